"""The translate box: any text gets an answer or a notice, quickly (bounded decoding)."""

from __future__ import annotations

import time

import pytest

from engine.config import DecodeConfig
from engine.search import HARD_MAX_LEN
from engine.translate import MAX_SOURCE_PIECES, Translator

NASTY = {
    "empty": "",
    "whitespace": " \t \u3000 \u00a0 ",
    "emoji": "🙂🚀👩‍👩‍👧‍👦 🇫🇷 ok",
    "mixed scripts": "Hello мир 世界 مرحبا שלום नमस्ते 😀",
    "no known pieces": "ஃஃஃ ᚠᚢᚦ ꧁꧂ \U0001d11e\U0001d11e",
    "control characters": "a\x00b\x1bc\u200b\u202e d",
    "one long word": "z" * 3000,
}


@pytest.fixture
def translator(trained_run) -> Translator:
    # A model trained for 4 steps: it rarely says EOS, the worst case for decoding.
    return Translator.from_run_dirs([trained_run[0]], device="cpu")


def test_nasty_text_always_gets_an_answer(translator):
    cfg = DecodeConfig(beam=4, nbest=2)
    texts = list(NASTY.values())
    out = translator.translate(texts, cfg, history=True)
    assert [t.source for t in out] == texts
    for name, result in zip(NASTY, out):
        assert result.hypotheses, name
        assert all(isinstance(h.text, str) for h in result.hypotheses), name
        if not NASTY[name].strip():
            assert result.hypotheses[0].text == "" and result.source_pieces == ()


def test_ten_thousand_characters_are_cut_with_a_notice_and_answer_quickly(translator):
    long_text = " ".join(f"w{i % 97}" for i in range(3000))[:10_000]
    cfg = DecodeConfig(beam=5, nbest=5, max_len_ratio=10.0, max_len_offset=1000)
    t0 = time.perf_counter()
    (result,) = translator.translate([long_text], cfg, history=True)
    seconds = time.perf_counter() - t0
    assert seconds < 10.0  # ~1 s here; unbounded, this decoded 10k source pieces
    assert result.source == long_text
    assert len(result.source_pieces) == MAX_SOURCE_PIECES + 1  # + EOS
    assert "too long" in result.notice and "10,000 characters" in result.notice
    assert all(len(h.pieces) <= HARD_MAX_LEN for h in result.hypotheses)
    assert len(result.steps) <= HARD_MAX_LEN


def test_short_text_has_no_notice(translator):
    (result,) = translator.translate(["a b c"], DecodeConfig(beam=2))
    assert result.notice == ""
