"""Behaviour of engine.evaluate: the evaluation generator and its report."""

from __future__ import annotations

import json
import math
import random

import numpy as np
import pytest
import torch

from engine.config import DecodeConfig, ModelConfig
from engine.evaluate import evaluate, format_report, report_to_dict, run_evaluation
from engine.events import EvalReport, Progress, TranslatedHypothesis, Translation
from engine.model import build_model
from engine.tokenizer import Tokenizer
from engine.translate import Translator

WORDS = "a b c d e f g h".split()


def _sentences(n: int, rng: random.Random, lo: int = 1, hi: int = 18) -> list[str]:
    return [" ".join(rng.choices(WORDS, k=rng.randint(lo, hi))) for _ in range(n)]


@pytest.fixture(scope="module")
def translator(tmp_path_factory: pytest.TempPathFactory) -> Translator:
    corpus = _sentences(200, random.Random(0))
    tok = Tokenizer.train(
        corpus, tmp_path_factory.mktemp("t") / "spm.model", 32, "word"
    )
    torch.manual_seed(0)
    cfg = ModelConfig(cell="gru", layers=1, emb=16, hidden=32, dropout=0.0)
    return Translator([build_model(cfg, tok.vocab_size, tok.vocab_size)], tok, tok)


class EchoTranslator(Translator):
    """The real Translator (forced decoding included) whose output copies its input."""

    def translate(self, texts, cfg, history=False, should_stop=None):
        return [
            Translation(
                t, (), (TranslatedHypothesis(t, (), 0.0, 0.0, np.zeros(0), None),)
            )
            for t in texts
        ]


PAIRS = [(s, s) for s in _sentences(30, random.Random(1))]
CFG = DecodeConfig(beam=2, nbest=2, max_len_ratio=1.0, max_len_offset=3, batch_size=2)


def test_report_structure(translator: Translator) -> None:
    train = _sentences(100, random.Random(2))
    events = list(evaluate(translator, PAIRS, CFG, train_sources=train))
    *progress, report = events
    assert isinstance(report, EvalReport)
    assert progress and all(isinstance(e, Progress) for e in progress)
    decode = [e.done for e in progress if e.stage == "decode"]
    score = [e.done for e in progress if e.stage == "score"]
    assert decode == sorted(decode) and decode[-1] == len(PAIRS)
    assert score[-1] == len(PAIRS)
    assert report.sentences == len(PAIRS) and report.sentences_per_s > 0
    assert 0.0 <= report.bleu <= 100.0 and 0.0 <= report.chrf <= 100.0
    assert "tok:13a" in report.signature
    assert math.isfinite(report.ppl) and report.ppl > 1.0  # an untrained model
    assert [(r.source, r.reference) for r in report.rows] == PAIRS
    for buckets in (report.by_length, report.by_rarity):
        assert sum(b.count for b in buckets) == len(PAIRS) and len(buckets) >= 2
    out = report_to_dict(report, rows=True)
    text = json.dumps(out, allow_nan=False)  # strict JSON
    assert {"bleu", "chrf", "signature", "ppl", "sentences", "sentences_per_s"} <= set(
        json.loads(text)
    )
    assert out["by_length"][-1]["high"] is None and len(out["rows"]) == len(PAIRS)
    assert "BLEU by source length" in format_report(report)


def test_perfect_output_scores_100(translator: Translator) -> None:
    echo = EchoTranslator(translator.models, translator.src_tok, translator.tgt_tok)
    report = run_evaluation(echo, PAIRS, CFG, train_sources=[s for s, _ in PAIRS])
    assert report.bleu == pytest.approx(100.0) and report.chrf == pytest.approx(100.0)
    assert all(r.bleu == pytest.approx(100.0) for r in report.rows)
    assert all(b.bleu == pytest.approx(100.0) for b in report.by_length)
    assert all(b.bleu == pytest.approx(100.0) for b in report.by_rarity)
    # perplexity comes from forced decoding of the references, not the hypotheses
    full = run_evaluation(translator, PAIRS, CFG)
    assert report.ppl == pytest.approx(full.ppl)
    assert full.by_rarity == ()  # no training sources given


def test_stop_ends_without_a_report(translator: Translator) -> None:
    seen: list[object] = []
    for event in evaluate(translator, PAIRS, CFG, should_stop=lambda: len(seen) >= 1):
        seen.append(event)
    assert len(seen) == 1 and isinstance(seen[0], Progress)
    with pytest.raises(InterruptedError):
        run_evaluation(translator, PAIRS, CFG, should_stop=lambda: True)
