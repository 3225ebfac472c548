"""Behaviour of engine.rescore: Moses n-best I/O and reranking with the model."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from engine.config import DecodeConfig, ModelConfig
from engine.data import DataError
from engine.model import build_model
from engine.rescore import (
    MODEL_FEATURE,
    NbestEntry,
    parse_nbest_line,
    read_nbest,
    rescore,
    synthetic_nbest,
    write_nbest,
)
from engine.tokenizer import Tokenizer
from engine.translate import Translator

WORDS = "a b c d e f g h".split()


@pytest.fixture(scope="module")
def translator(tmp_path_factory: pytest.TempPathFactory) -> Translator:
    rng = random.Random(0)
    corpus = [" ".join(rng.choices(WORDS, k=rng.randint(2, 6))) for _ in range(200)]
    tok = Tokenizer.train(
        corpus, tmp_path_factory.mktemp("t") / "spm.model", 32, "word"
    )
    torch.manual_seed(0)
    cfg = ModelConfig(cell="gru", layers=1, emb=16, hidden=32, dropout=0.0)
    return Translator([build_model(cfg, tok.vocab_size, tok.vocab_size)], tok, tok)


def test_parse_tolerates_extra_spaces() -> None:
    e = parse_nbest_line("  3 |||  the   cat  ||| LM0= -1.5   TM0= -2 -3 |||  -4.25 \n")
    assert e == NbestEntry(3, "the cat", "LM0= -1.5 TM0= -2 -3", -4.25)
    e = parse_nbest_line("0|||x|||F= 1|||2|||0-0 1-1")  # extra alignment field
    assert e.hypothesis == "x" and e.score == 2.0 and e.extra == ("0-0 1-1",)


def test_write_read_round_trip(tmp_path) -> None:
    lists = [
        [
            NbestEntry(0, "a b c", "LM0= -1 TM0= -2", -0.1),
            NbestEntry(0, "a b", "", -7e-5),
        ],
        [],
        [NbestEntry(2, "d", "LM0= 3.25", 1 / 3, ("0-0",))],
    ]
    path = tmp_path / "nbest.txt"
    write_nbest(path, lists)
    assert read_nbest(path) == lists
    assert read_nbest(path, n_sentences=4) == [*lists, []]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("0 ||| the cat ||| LM0= -1", "found 3 field"),
        ("x ||| the cat ||| LM0= -1 ||| -2", "sentence id 'x' is not a number"),
        ("-1 ||| the cat ||| LM0= -1 ||| -2", "negative"),
        ("0 ||| the cat ||| LM0= -1 ||| high", "score 'high' is not a number"),
        ("0 ||| the cat ||| LM0= -1 ||| nan", "not finite"),
    ],
)
def test_malformed_line_names_file_and_line(tmp_path, line: str, message: str) -> None:
    path = tmp_path / "bad.nbest"
    path.write_text(f"0 ||| a ||| F= 1 ||| -1\n\n{line}\n", encoding="utf-8")
    with pytest.raises(DataError, match=message) as info:
        read_nbest(path)
    assert str(info.value).startswith(f"{path}:3: ")


def test_id_beyond_the_sources_is_an_error(tmp_path) -> None:
    path = tmp_path / "n.txt"
    path.write_text("0 ||| a ||| F= 1 ||| -1\n5 ||| b ||| F= 1 ||| -1\n")
    with pytest.raises(DataError, match=r"n.txt:2: sentence id 5 but only 2 sources"):
        read_nbest(path, n_sentences=2)
    with pytest.raises(DataError, match="no such file"):
        read_nbest(tmp_path / "missing.txt")


def _lists(sources: list[str], refs: list[str], rng: random.Random):
    """Baseline-sorted lists that contain their reference somewhere below the top."""
    out = []
    for i, ref in enumerate(refs):
        hyps = [f"{ref} {tail}" for tail in ("a", "b a", "c c", "h")]  # distinct
        hyps.insert(rng.randint(1, 4), ref)
        scores = sorted((rng.uniform(-10, 0) for _ in hyps), reverse=True)
        out.append(
            [
                NbestEntry(i, h, f"F= {s:.3f}", s)
                for h, s in zip(hyps, scores, strict=True)
            ]
        )
    return out


def test_rescoring(translator: Translator) -> None:
    rng = random.Random(3)
    sources = [" ".join(rng.choices(WORDS, k=rng.randint(3, 6))) for _ in range(8)]
    refs = [" ".join(reversed(s.split())) for s in sources]
    nbest = _lists(sources, refs, rng)

    baseline = rescore(translator, sources, nbest, weights=(0.0, 1.0), references=refs)
    assert [[e.hypothesis for e in lst] for lst in baseline.lists] == [
        [e.hypothesis for e in lst] for lst in nbest
    ]
    assert baseline.bleu_before == pytest.approx(baseline.bleu_after)
    assert baseline.hypotheses == sum(map(len, nbest))

    report = rescore(translator, sources, nbest, references=refs)  # paper: 0.5 / 0.5
    assert report.weights == (0.5, 0.5)
    assert report.bleu_oracle == pytest.approx(100.0)  # every list holds its reference
    assert (
        report.bleu_oracle >= report.bleu_after
        and report.bleu_oracle >= report.bleu_before
    )
    for lst, mscores, orig in zip(
        report.lists, report.model_scores, nbest, strict=True
    ):
        combined = [e.score for e in lst]
        assert combined == sorted(combined, reverse=True)
        assert sorted(e.hypothesis for e in lst) == sorted(e.hypothesis for e in orig)
        by_hyp = {e.hypothesis: e.score for e in orig}
        for e, m in zip(lst, mscores, strict=True):
            assert e.score == pytest.approx(0.5 * m + 0.5 * by_hyp[e.hypothesis])
            assert e.features.endswith(f"{MODEL_FEATURE} {m:.6g}")
    # the model score is the mean per-token log-prob of forced decoding
    lp = translator.score([sources[0]], [report.lists[0][0].hypothesis])[0]
    assert report.model_scores[0][0] == pytest.approx(float(np.mean(lp)), abs=1e-5)

    model_only = rescore(translator, sources, nbest, weights=(1.0, 0.0))
    for mscores in model_only.model_scores:
        assert list(mscores) == sorted(mscores, reverse=True)
    assert model_only.bleu_before is None and model_only.bleu_oracle is None


def test_synthetic_nbest_round_trips_and_rescores(tmp_path, translator) -> None:
    sources = ["a b c", "d e f g", "h a"]
    refs = ["c b a", "g f e d", "a h"]
    nbest = synthetic_nbest(translator, sources, DecodeConfig(beam=3), extra=3, seed=2)
    assert len(nbest) == 3
    for i, lst in enumerate(nbest):
        assert lst and all(e.id == i for e in lst)
        assert [e.score for e in lst] == sorted((e.score for e in lst), reverse=True)
        assert len({e.hypothesis for e in lst}) == len(lst)
    path = tmp_path / "synthetic.nbest"
    write_nbest(path, nbest)
    assert read_nbest(path, n_sentences=3) == nbest
    report = rescore(translator, sources, read_nbest(path, 3), references=refs)
    for bleu in (report.bleu_before, report.bleu_after, report.bleu_oracle):
        assert bleu is not None and 0.0 <= bleu <= 100.0
    write_nbest(tmp_path / "reranked.nbest", report.lists)
    assert read_nbest(tmp_path / "reranked.nbest") == [list(x) for x in report.lists]
