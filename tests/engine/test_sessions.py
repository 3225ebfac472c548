"""engine.sessions: live snapshots, a states plane that stays put, memoised rescoring;
and the per-row values and dev pairs the app shows through them."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
import torch

from engine.analysis import project_sentences
from engine.config import DataConfig, DecodeConfig, ModelConfig
from engine.data import dev_pairs
from engine.evaluate import run_evaluation
from engine.events import EvalReport, PointInfo, TrainStart
from engine.metrics import average_rank, frequency_ranks, words
from engine.model import build_model
from engine.sessions import RescoreSession, ScoreMemo, StatesSession, live_model
from engine.tokenizer import Tokenizer
from engine.training import Trainer
from engine.translate import Translator
from tests.conftest import tiny_config

WORDS = "a b c d e f g h".split()
TINY = ModelConfig(
    cell="gru", layers=1, emb=16, hidden=32, dropout=0.0, attention="none"
)


def _sentences(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choices(WORDS, k=rng.randint(2, 6))) for _ in range(n)]


@pytest.fixture(scope="module")
def tok(tmp_path_factory: pytest.TempPathFactory) -> Tokenizer:
    path = tmp_path_factory.mktemp("tok") / "spm.model"
    return Tokenizer.train(_sentences(300, 0), path, vocab_size=32, model_type="word")


@pytest.fixture(scope="module")
def translator(tok: Tokenizer) -> Translator:
    torch.manual_seed(0)
    return Translator([build_model(TINY, tok.vocab_size, tok.vocab_size)], tok, tok)


# ---------------------------------------------------------------------- live model
def test_a_live_model_keeps_the_weights_of_its_step(tmp_path: Path) -> None:
    cfg = tiny_config(train={"max_steps": 1000, "log_every": 1, "eval_every": 1000})
    trainer = Trainer(cfg, tmp_path / "run")
    decode = DecodeConfig(beam=3)
    for ev in trainer.steps(lambda: False):
        if isinstance(ev, TrainStart):
            live = live_model(trainer, ev.start_step)
            before = live.translator().translate(["a b c"], decode)[0].hypotheses[0]
            weights = {k: v.clone() for k, v in live.model.state_dict().items()}
        elif getattr(ev, "step", 0) >= 20:
            break
    assert live.step == 0 and live.run_dir == str(tmp_path / "run")
    assert live.model is not trainer.model
    trained = trainer.model.state_dict()
    assert any(not torch.equal(trained[k], w) for k, w in weights.items())
    assert all(torch.equal(live.model.state_dict()[k], w) for k, w in weights.items())
    again = live.translator().translate(["a b c"], decode)[0].hypotheses[0]
    assert (again.text, again.score) == (before.text, before.score)
    assert live.translator(int8=True).device.type == "cpu"


# ---------------------------------------------------------------------- states
def test_points_stay_put_when_sentences_are_added(translator: Translator) -> None:
    session = StatesSession.for_translator(translator, None)
    first = session.project([("a b c", "x"), ("d e f g", "x")])
    more = session.project([("h a", "y"), ("a b c", "x"), ("d e f g", "x")])
    assert np.array_equal(first.points, more.points[1:])  # exactly: plane kept
    assert more.groups == ("y", "x", "x") and more.basis == "sentences"
    assert [len(t) for t in more.trajectories] == [len(p) for p in more.pieces]
    fresh = StatesSession.for_translator(translator, None)
    refit = fresh.project([("h a", "y"), ("a b c", "x"), ("d e f g", "x")])
    assert not np.allclose(refit.points[1:], first.points)  # a new plane


def test_the_command_line_projection_is_the_session(translator: Translator, tok):
    sentences, fit = ["a b c", "d e f g", "h a"], _sentences(40, 3)
    model = translator.models[0]
    for fit_on in (None, fit):
        points, projection = project_sentences(model, tok, sentences, fit_on)
        session = StatesSession(model, tok, "cpu", fit_on)
        result = session.project([(s, "") for s in sentences])
        assert np.array_equal(points, result.points)
        assert result.basis == ("sentences" if fit_on is None else "corpus")
        assert np.array_equal(projection.components, session.projection.components)


def test_point_info_translates_and_finds_neighbours(translator: Translator) -> None:
    session = StatesSession.for_translator(translator, None)
    session.sample = ["a b c", "a b c d", "h g f"]
    session.project([("a b c", "")])
    info = session.point_info("a b c", k=2)
    assert isinstance(info, PointInfo) and info.sentence == "a b c"
    assert (
        info.translation
        == translator.translate(["a b c"], DecodeConfig(beam=5))[0].hypotheses[0].text
    )
    # the sentence itself is left out of its neighbours
    assert [s for s, _ in info.neighbours] == ["a b c d"]


# ---------------------------------------------------------------------- rescoring
class CountingTranslator:
    """Longer targets are less likely, per token too; counts the pairs it scored."""

    def __init__(self) -> None:
        self.scored = 0

    def score(self, sources, targets):
        self.scored += len(targets)
        sizes = [len(t.split()) + 1 for t in targets]  # + EOS
        return [np.full(n, -float(n), np.float32) for n in sizes]


def test_the_score_memo_scores_each_pair_once() -> None:
    inner = CountingTranslator()
    memo = ScoreMemo(inner)
    first = memo.score(["s", "s"], ["a b", "a"])
    again = memo.score(["s", "s", "s"], ["a", "a b", "a b c"])
    assert inner.scored == 3  # "a b", "a", then only "a b c"
    assert np.array_equal(first[0], again[1]) and again[2].tolist() == [-4.0] * 4


def test_reranking_with_new_weights_never_scores_again(tmp_path: Path) -> None:
    (tmp_path / "src.txt").write_text("s0\ns1\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("a b\nc\n", encoding="utf-8")
    lines = [
        "0 ||| a b c d ||| f= 1 ||| -1.0", "0 ||| a b ||| f= 1 ||| -5.0",
        "1 ||| c ||| f= 1 ||| -3.0", "1 ||| c d e ||| f= 1 ||| -2.0",
    ]  # fmt: skip
    (tmp_path / "nbest.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    session, inner = RescoreSession(), CountingTranslator()
    with pytest.raises(ValueError):
        session.rerank(inner, (1.0, 0.0))
    assert (
        session.load(
            str(tmp_path / "nbest.txt"),
            str(tmp_path / "src.txt"),
            str(tmp_path / "ref.txt"),
        )
        == 2
    )
    baseline = session.rerank(inner, (0.0, 1.0))  # (model, baseline) weights
    scored = inner.scored
    model = session.rerank(inner, (1.0, 0.0))
    assert inner.scored == scored == 4  # the second weights reuse the scores
    assert baseline.best == ("a b c d", "c d e")  # the SMT scores decide
    assert model.best == ("a b", "c")  # the shorter, likelier targets win
    assert model.lists == 2 and model.hypotheses == 4
    assert model.bleu_before == baseline.bleu_before == baseline.bleu_after


# ---------------------------------------------------------------------- eval rows, dev
def test_an_evaluation_reports_each_rows_length_and_rarity(translator) -> None:
    pairs = [("a b c", "c b a"), ("d, e!", "e d"), ("h h h h g", "g h h h h")]
    train = _sentences(50, 7)
    report = run_evaluation(translator, pairs, DecodeConfig(beam=2), train)
    assert isinstance(report, EvalReport)
    assert report.lengths.tolist() == [len(words(s)) for s, _ in pairs] == [3, 2, 5]
    ranks = frequency_ranks(train)
    assert report.rarities.tolist() == [average_rank(s, ranks) for s, _ in pairs]
    plain = run_evaluation(translator, pairs, DecodeConfig(beam=2))
    assert np.isnan(plain.rarities).all() and len(plain.rarities) == 3


def test_dev_pairs_are_oriented_as_training_saw_them(tmp_path: Path) -> None:
    train, dev = tmp_path / "train.tsv", tmp_path / "dev.tsv"
    train.write_text("".join(f"s{i}\tt{i}\n" for i in range(20)), encoding="utf-8")
    dev.write_text("ds\tdt\n", encoding="utf-8")
    assert dev_pairs(DataConfig(train=str(train), dev=str(dev))) == [("ds", "dt")]
    swapped = DataConfig(train=str(train), dev=str(dev), swap=True)
    assert dev_pairs(swapped) == [("dt", "ds")]
    split = dev_pairs(DataConfig(train=str(train), dev_size=3, swap=True))
    assert len(split) == 3 and all(s.startswith("t") for s, _ in split)
