"""What `s2s bench` runs on: synthetic id sequences, or a corpus tokenized as training does."""

from __future__ import annotations

import math
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from engine.config import Config
from engine.data import load_corpus
from engine.tokenizer import train_tokenizers

TRAIN_PAIRS = 4000  # pairs cut into training batches (the first 60 batches are timed)
TOKENIZER_SAMPLE_PAIRS = 50_000  # --data: the sentencepiece model is trained on these


@dataclass
class BenchData:
    """Id sequences (no BOS/EOS) to benchmark on, and where they came from."""

    label: str  # "synthetic" or the corpus spec
    pairs: int  # pairs the sequences were drawn from
    train_src: list[list[int]]
    train_tgt: list[list[int]]
    test_src: list[list[int]]
    src_vocab: int
    tgt_vocab: int

    def describe(self) -> dict:
        return {
            "data": self.label,
            "data_pairs": self.pairs,
            "train_pairs": len(self.train_src),
            "mean_src_len": round(float(np.mean([len(s) for s in self.train_src])), 2),
            "mean_tgt_len": round(float(np.mean([len(t) for t in self.train_tgt])), 2),
            "src_vocab": self.src_vocab,
            "tgt_vocab": self.tgt_vocab,
        }


def synthetic_corpus(
    n: int, vocab: int, seed: int = 0, tgt_vocab: int | None = None
) -> tuple[list[list[int]], list[list[int]]]:
    """Random id sequences with Tatoeba-like lengths (median ~8 source pieces, long tail)."""
    rng = np.random.default_rng(seed)
    src_len = np.clip(np.round(rng.lognormal(math.log(8), 0.45, n)), 2, 48).astype(int)
    tgt_len = np.clip(np.round(src_len * rng.normal(1.15, 0.15, n)), 2, 60).astype(int)
    src = [rng.integers(4, vocab, int(k)).tolist() for k in src_len]
    tgt = [rng.integers(4, tgt_vocab or vocab, int(k)).tolist() for k in tgt_len]
    return src, tgt


def synthetic_data(vocab: int, tgt_vocab: int, sentences: int) -> BenchData:
    src, tgt = synthetic_corpus(TRAIN_PAIRS, vocab, 0, tgt_vocab)
    test_src, _ = synthetic_corpus(sentences, vocab, 1, tgt_vocab)
    return BenchData(
        "synthetic", TRAIN_PAIRS + sentences, src, tgt, test_src, vocab, tgt_vocab
    )


def corpus_data(
    spec: str,
    config: Config,
    sentences: int,
    progress: Callable[[str], None] = lambda message: None,
) -> BenchData:
    """Pairs of a real corpus as training tokenizes them.

    The corpus is read and cleaned as ``s2s train`` does (``data.swap``, ``max_len``),
    sentencepiece is trained on a sample of up to TOKENIZER_SAMPLE_PAIRS pairs with
    the config's tokenizer settings (``data.vocab_size`` is a cap, lowered for small
    corpora exactly as in training), and TRAIN_PAIRS + ``sentences`` shuffled pairs
    are encoded (repeated when the corpus has fewer).
    """
    dcfg = replace(config.data, train=spec, dev=None, dev_size=1)
    progress(f"reading {spec}")
    corpus = load_corpus(dcfg)
    pairs = corpus.train + corpus.dev
    random.Random(0).shuffle(pairs)
    sample = pairs[:TOKENIZER_SAMPLE_PAIRS]
    progress(f"training sentencepiece on {len(sample)} pairs")
    with tempfile.TemporaryDirectory(prefix="s2s-bench-") as tmp:
        src_tok, tgt_tok = train_tokenizers(
            replace(corpus, train=sample), dcfg, Path(tmp)
        )
    chosen = [pairs[i % len(pairs)] for i in range(TRAIN_PAIRS + sentences)]
    src = src_tok.encode_batch([s for s, _ in chosen])
    tgt = tgt_tok.encode_batch([t for _, t in chosen])
    return BenchData(
        spec,
        len(pairs),
        src[:TRAIN_PAIRS],
        tgt[:TRAIN_PAIRS],
        src[TRAIN_PAIRS:],
        src_tok.vocab_size,
        tgt_tok.vocab_size,
    )
