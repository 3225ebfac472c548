"""The `s2s` command-line contract (DESIGN.md section 4), end to end on tiny runs."""

from __future__ import annotations

import io
import json

import pytest

from engine.cli import main
from engine.config import dumps_config
from tests.conftest import tiny_config


def run_cli(argv, capsys, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def train_run(tmp_path, name, capsys, **sections):
    cfg = tiny_config(**sections)
    path = tmp_path / f"{name}.toml"
    path.write_text(dumps_config(cfg), encoding="utf-8")
    code, out, err = run_cli(
        ["train", str(path), "--out", str(tmp_path / name)], capsys
    )
    assert code == 0, err
    return tmp_path / name, json.loads(out.strip().splitlines()[-1]), err


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One reverse-task run that decodes well, shared by the decoding tests."""
    from engine.training import Trainer

    root = tmp_path_factory.mktemp("cli")
    cfg = tiny_config(
        train={"max_steps": 500, "eval_every": 500, "lr": 0.01, "lr_schedule": "none"},
        model={"cell": "gru", "attention": "dot", "emb": 24, "hidden": 48},
    )
    list(Trainer(cfg, root / "run").steps())
    return root / "run"


def test_train_prints_the_json_summary_last(tmp_path, capsys):
    run, summary, err = train_run(tmp_path, "r", capsys)
    assert set(summary) == {
        "run_dir",
        "steps",
        "epochs",
        "train_tokens_per_s",
        "dev_ppl",
        "dev_bleu",
        "stopped",
    }
    assert summary["run_dir"] == str(run) and summary["steps"] == 30
    assert summary["stopped"] == "max_steps" and summary["dev_ppl"] > 0
    assert "step" in err and "eval step" in err  # progress goes to stderr


@pytest.mark.parametrize(
    "model",
    [
        {"cell": "rnn", "attention": "none"},
        {"cell": "gru", "attention": "dot", "reverse_source": True},
        {"cell": "lstm", "attention": "general"},
        {"cell": "lstm", "attention": "concat", "input_feeding": True},
        {"cell": "gru", "attention": "none", "context_every_step": True},
        {"cell": "lstm", "attention": "dot", "bidirectional": True, "layers": 2},
    ],
)
def test_every_model_kind_learns_and_translates(tmp_path, capsys, monkeypatch, model):
    run, summary, _ = train_run(tmp_path, "r", capsys, model=model)
    steps = [json.loads(x) for x in (run / "metrics.jsonl").read_text().splitlines()]
    losses = [r["loss"] for r in steps if r["type"] == "step"]
    assert losses[-1] < losses[0]
    code, out, err = run_cli(
        ["translate", str(run), "--beam", "2"], capsys, "a b c\nd e f g\n", monkeypatch
    )
    assert code == 0, err
    assert len(out.splitlines()) == 2


def test_translate_nbest_json_and_errors(trained, capsys, monkeypatch):
    code, out, _ = run_cli(
        ["translate", str(trained), "--beam", "5", "--nbest", "5", "--json"],
        capsys,
        "a b c d\n",
        monkeypatch,
    )
    assert code == 0
    result = json.loads(out)
    texts = [h["text"] for h in result["hypotheses"]]
    scores = [h["score"] for h in result["hypotheses"]]
    assert result["source"] == "a b c d" and len(texts) == 5
    assert len(set(texts)) == 5 and scores == sorted(scores, reverse=True)
    assert texts[0] == "d c b a"
    code, _, err = run_cli(
        ["translate", str(trained), "--beam", "5", "--nbest", "6"],
        capsys,
        "a\n",
        monkeypatch,
    )
    assert code == 2 and "cannot exceed the beam size" in err


def test_beam_one_equals_greedy_through_the_cli(trained, capsys, monkeypatch):
    text = "a b c\nq w e r t y\nz z\n"
    _, greedy, _ = run_cli(
        ["translate", str(trained), "--beam", "1"], capsys, text, monkeypatch
    )
    _, beam1, _ = run_cli(
        ["translate", str(trained), "--beam", "1", "--alpha", "0"],
        capsys,
        text,
        monkeypatch,
    )
    assert greedy == beam1


def test_ensemble_decodes(trained, capsys, monkeypatch):
    code, out, err = run_cli(
        ["translate", str(trained), str(trained), "--beam", "3"],
        capsys,
        "a b c\n",
        monkeypatch,
    )
    assert code == 0, err
    assert out.strip() == "c b a"


def test_eval_json_has_scores_and_buckets(trained, tmp_path, capsys):
    test = tmp_path / "test.tsv"
    test.write_text("a b c\tc b a\nd e f g h\th g f e d\nx y\ty x\n", encoding="utf-8")
    code, out, err = run_cli(
        ["eval", str(trained), "--test", str(test), "--json"], capsys
    )
    assert code == 0, err
    report = json.loads(out)
    for key in (
        "bleu",
        "chrf",
        "signature",
        "ppl",
        "sentences",
        "sentences_per_s",
        "by_length",
        "by_rarity",
    ):
        assert key in report, key
    assert report["sentences"] == 3
    assert sum(b["count"] for b in report["by_length"]) == 3
    assert sum(b["count"] for b in report["by_rarity"]) == 3


def test_states_points_stay_put_when_a_sentence_is_added(trained, tmp_path, capsys):
    first = tmp_path / "a.txt"
    first.write_text("a b c d\nd c b a\n", encoding="utf-8")
    more = tmp_path / "b.txt"
    more.write_text("a b c d\nd c b a\nq r s\n", encoding="utf-8")
    for src, out in ((first, "a.csv"), (more, "b.csv")):
        code, _, err = run_cli(
            ["states", str(trained), "--input", str(src), "--out", str(tmp_path / out)],
            capsys,
        )
        assert code == 0, err
    rows_a = [
        r
        for r in (tmp_path / "a.csv").read_text().splitlines()
        if not r.startswith("#")
    ]
    rows_b = [
        r
        for r in (tmp_path / "b.csv").read_text().splitlines()
        if not r.startswith("#")
    ]
    assert rows_b[: len(rows_a)] == rows_a and len(rows_b) == len(rows_a) + 1


def test_rescore_reports_before_after_and_oracle(trained, tmp_path, capsys):
    src = tmp_path / "src.txt"
    src.write_text("a b c\nd e f g\nh i\n", encoding="utf-8")
    ref = tmp_path / "ref.txt"
    ref.write_text("c b a\ng f e d\ni h\n", encoding="utf-8")
    nbest = tmp_path / "list.nbest"
    code, _, err = run_cli(
        [
            "nbest",
            str(trained),
            "--source",
            str(src),
            "--out",
            str(nbest),
            "--beam",
            "4",
            "--noise",
            "3",
        ],
        capsys,
    )
    assert code == 0, err
    code, out, err = run_cli(
        [
            "rescore",
            str(trained),
            "--source",
            str(src),
            "--nbest",
            str(nbest),
            "--references",
            str(ref),
            "--out",
            str(tmp_path / "reranked.nbest"),
        ],
        capsys,
    )
    assert code == 0, err
    report = json.loads(out)
    assert (
        report["bleu_oracle"] >= max(report["bleu_before"], report["bleu_after"]) - 1e-9
    )
    assert (tmp_path / "reranked.nbest").read_text().count("|||") > 0


def test_bad_corpus_is_a_clear_error(tmp_path, capsys):
    cfg = tiny_config(data={"train": str(tmp_path / "missing.tsv")})
    path = tmp_path / "c.toml"
    path.write_text(dumps_config(cfg), encoding="utf-8")
    code, out, err = run_cli(["train", str(path), "--out", str(tmp_path / "r")], capsys)
    assert code == 2 and "missing.tsv" in err and "Traceback" not in err


PAIRS_TEXT = "a b c d\ne f g\n"


def best_hypotheses(trained, flags, capsys, monkeypatch) -> list[dict]:
    """`s2s translate --json *flags` of PAIRS_TEXT: each line's best hypothesis."""
    code, out, err = run_cli(
        ["translate", str(trained), "--json", *flags], capsys, PAIRS_TEXT, monkeypatch
    )
    assert code == 0, err
    return [json.loads(line)["hypotheses"][0] for line in out.splitlines()]


def check_same_translations_other_scores(trained, flag, capsys, monkeypatch) -> None:
    """``flag`` (--int8, --bf16) gives the float translations with other scores."""
    plain = best_hypotheses(trained, [], capsys, monkeypatch)
    other = best_hypotheses(trained, [flag], capsys, monkeypatch)
    assert [h["text"] for h in other] == [h["text"] for h in plain]
    assert other[0]["text"] == "d c b a"
    # the other precision really ran: the same translations, slightly different scores
    assert [h["logprob"] for h in other] != [h["logprob"] for h in plain]


def test_translate_int8_gives_the_float_translation(trained, capsys, monkeypatch):
    check_same_translations_other_scores(trained, "--int8", capsys, monkeypatch)


def test_translate_bf16_gives_the_float_translation(trained, capsys, monkeypatch):
    from engine import utils

    monkeypatch.setattr(utils, "cpu_has_native_bf16", lambda: True)
    check_same_translations_other_scores(trained, "--bf16", capsys, monkeypatch)
    # A CPU without bf16 instructions (or --int8 beside it) is a clear error.
    monkeypatch.setattr(utils, "cpu_has_native_bf16", lambda: False)
    for flags, message in (
        (["--bf16"], "native bf16"),
        (["--bf16", "--int8"], "not both"),
    ):
        code, out, err = run_cli(
            ["translate", str(trained), *flags], capsys, PAIRS_TEXT, monkeypatch
        )
        assert code == 2 and message in err and "Traceback" not in err


def test_keys_lists_each_key_with_its_default_and_help(capsys):
    from engine.config import config_keys, key_help

    assert main(["keys"]) == 0
    out = capsys.readouterr().out
    for name in config_keys():
        section, _, field = name.partition(".")
        assert f"\n  {field} = " in "\n" + out, name
    assert key_help("model.reverse_source")[0] in out
    assert main(["keys", "decode"]) == 0
    only = capsys.readouterr().out
    assert only.startswith("[decode]") and "[model]" not in only
