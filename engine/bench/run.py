"""`s2s bench`: training and decoding throughput, each beside a plain reference measured in the same run."""

from __future__ import annotations

import ctypes
import gc
import logging
import math
import os
import random
import resource
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch
from torch import nn

from engine.batching import Batch, BucketSampler, make_batch
from engine.config import Config, DecodeConfig, ModelConfig, TrainConfig
from engine.data import load_corpus
from engine.encoder import flip_within_length
from engine.model import build_model
from engine.search import beam_search, greedy_decode
from engine.tokenizer import BOS, EOS, PAD, train_tokenizers
from engine.training import make_optimizer, sequence_loss
from engine.utils import device_name, pick_device, set_seed

logger = logging.getLogger(__name__)

BENCH_MODEL = {
    "cell": "lstm",
    "layers": 2,
    "emb": 256,
    "hidden": 256,
    "attention": "dot",
}
TRAIN_PAIRS = 4000  # pairs cut into training batches (the first 60 batches are timed)
TOKENIZER_SAMPLE_PAIRS = 50_000  # --data: the sentencepiece model is trained on these
LATENCY_PIECES = 13  # about a 10-word sentence
LATENCY_RUNS, LATENCY_WARMUP = 35, 5
MAX_BATCH_CAP = {"cuda": 1 << 16, "cpu": 4096}  # sentences; other devices: cpu's
GATES = {"rnn": 1, "gru": 3, "lstm": 4}
# Peak dense (no sparsity) TFLOP/s from NVIDIA's datasheets: (name in the device name,
# BF16 tensor core, FP32). Checked in order, so the more specific names come first.
GPU_PEAK_TFLOPS = (
    ("H200 NVL", 835.0, 60.0),
    ("H200", 989.0, 67.0),  # H200 SXM
    ("H100 NVL", 835.0, 60.0),
    ("H100 PCIe", 756.0, 51.0),
    ("H100", 989.0, 67.0),  # H100 SXM ("NVIDIA H100 80GB HBM3")
    ("A100", 312.0, 19.5),  # SXM and PCIe alike
)
FLOPS_METHOD = (
    "analytic model FLOPs = 2 per multiply-add, over real (non-padding) tokens: "
    "RNN/GRU/LSTM cells gates x (input + hidden) x hidden per token, layer and "
    "direction; attention score + context per (target, source) pair, plus key, "
    "query and combine projections; output projection input x vocab per target "
    "token; embeddings, softmax, loss and optimizer free; training step = 3 x "
    "forward (backward = 2 x forward). Per token = per source + target token."
)


class ReferenceSeq2Seq(nn.Module):
    """The plain baseline: an nn.LSTM/GRU/RNN encoder and a decoder stepped in Python.

    This is how most tutorials write an encoder-decoder: no packing, the decoder run
    one token at a time, and with attention Luong's dot score and attentional hidden
    state tanh(W[c;h]). It implements the cell, sizes, layers, reversed source and
    attention (dot or none) of a config; see :func:`reference_config`.
    """

    def __init__(
        self,
        src_vocab: int,
        tgt_vocab: int,
        emb: int,
        hidden: int,
        layers: int,
        cell: str = "lstm",
        attention: bool = True,
        reverse_source: bool = False,
    ):
        super().__init__()
        rnn = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}[cell]
        self.reverse_source = reverse_source
        self.src_emb = nn.Embedding(src_vocab, emb, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(tgt_vocab, emb, padding_idx=PAD)
        self.encoder = rnn(emb, hidden, layers, batch_first=True)
        self.decoder = rnn(emb, hidden, layers, batch_first=True)
        self.combine = nn.Linear(2 * hidden, hidden) if attention else None
        self.out = nn.Linear(hidden, tgt_vocab)

    @classmethod
    def like(cls, cfg: ModelConfig, src_vocab: int, tgt_vocab: int) -> ReferenceSeq2Seq:
        """The reference for a model config (see :func:`reference_config`)."""
        return cls(
            src_vocab,
            tgt_vocab,
            cfg.emb,
            cfg.hidden,
            cfg.layers,
            cfg.cell,
            cfg.attention != "none",
            cfg.reverse_source,
        )

    def _encode(self, src: torch.Tensor):
        if self.reverse_source:  # reversed before padding, as a tutorial would
            src = flip_within_length(src, (src != PAD).sum(1))  # (B, S)
        enc, state = self.encoder(self.src_emb(src))  # (B, S, H)
        return enc, state, (src == PAD).unsqueeze(1)  # mask (B, 1, S)

    def _step(self, tokens, state, enc, pad_mask):
        out, state = self.decoder(self.tgt_emb(tokens), state)  # (B, 1, H)
        if self.combine is None:
            return self.out(out), state  # (B, 1, V)
        scores = (out @ enc.transpose(1, 2)).masked_fill(pad_mask, -1e9)  # (B, 1, S)
        context = scores.softmax(-1) @ enc  # (B, 1, H)
        hidden = torch.tanh(self.combine(torch.cat([out, context], -1)))
        return self.out(hidden), state  # (B, 1, V)

    def forward(self, src, src_len, tgt_in):
        enc, state, pad_mask = self._encode(src)
        logits = []
        for t in range(tgt_in.size(1)):
            step_logits, state = self._step(tgt_in[:, t : t + 1], state, enc, pad_mask)
            logits.append(step_logits)
        return torch.cat(logits, 1)  # (B, T, V)

    @torch.no_grad()
    def greedy(self, src, max_len: int) -> torch.Tensor:
        enc, state, pad_mask = self._encode(src)
        tokens = torch.full((src.size(0), 1), BOS, dtype=torch.long, device=src.device)
        out = []
        done = torch.zeros(src.size(0), dtype=torch.bool, device=src.device)
        for _ in range(max_len):
            logits, state = self._step(tokens, state, enc, pad_mask)
            tokens = logits.argmax(-1)  # (B, 1)
            out.append(tokens)
            done |= tokens.squeeze(1) == EOS
            if bool(done.all()):
                break
        return torch.cat(out, 1)


def reference_config(cfg: ModelConfig) -> ModelConfig:
    """What :class:`ReferenceSeq2Seq` implements of ``cfg``: dot attention or none,
    one direction, no bridge, input feeding, Cho context, tying or dropout."""
    return replace(
        cfg,
        attention="none" if cfg.attention == "none" else "dot",
        bidirectional=False,
        bridge=False,
        context_every_step=False,
        input_feeding=False,
        tie_embeddings=False,
        dropout=0.0,
    )


# ------------------------------------------------------------------------- FLOPs
@dataclass(frozen=True)
class ModelMacs:
    """Forward multiply-adds of a model, by what they scale with."""

    per_src_token: int  # encoder cells (+ attention keys)
    per_tgt_token: int  # decoder cells, attention projections, output layer
    per_pair: int  # attention score + context, per (target, source) token pair
    per_sentence: int  # the bridge

    def train_flops(self, src_len: Sequence[int], tgt_len: Sequence[int]) -> int:
        """FLOPs of one training step over sentences of these real lengths.

        Args:
            src_len: source tokens per sentence, EOS included, (batch,).
            tgt_len: target tokens per sentence, EOS included, (batch,).
        Returns:
            2 FLOPs per multiply-add, x3 for forward + backward (2 x forward).
        """
        src, tgt = int(sum(src_len)), int(sum(tgt_len))
        pairs = sum(int(s) * int(t) for s, t in zip(src_len, tgt_len, strict=True))
        macs = (
            self.per_src_token * src
            + self.per_tgt_token * tgt
            + self.per_pair * pairs
            + self.per_sentence * len(src_len)
        )
        return 6 * macs


def count_macs(cfg: ModelConfig, tgt_vocab: int) -> ModelMacs:
    """Forward multiply-adds of ``engine.model.Seq2Seq`` for ``cfg`` (FLOPS_METHOD)."""
    gates, h, layers = GATES[cfg.cell], cfg.hidden, cfg.layers
    dirs = 2 if cfg.bidirectional else 1
    enc_dim = dirs * h
    per_src = sum(
        dirs * gates * ((cfg.emb if layer == 0 else enc_dim) + h) * h
        for layer in range(layers)
    )
    dec_in = cfg.emb + (h if cfg.input_feeding else 0)
    dec_in += enc_dim if cfg.context_every_step else 0
    per_tgt = sum(
        gates * ((dec_in if layer == 0 else h) + h) * h for layer in range(layers)
    )
    per_pair = 0
    if cfg.attention != "none":
        if cfg.attention != "dot" or enc_dim != h:
            per_src += enc_dim * h  # keys, precomputed once per source token
        if cfg.attention == "concat":
            per_tgt += h * h  # query projection
        per_pair = h + enc_dim  # score (dot, or concat's energy) + context
        per_tgt += (enc_dim + h) * h  # attentional hidden tanh(W[c;h])
    pre_dim = h + (enc_dim if cfg.context_every_step else 0)
    if cfg.tie_embeddings and pre_dim != cfg.emb:
        per_tgt += pre_dim * cfg.emb
        pre_dim = cfg.emb
    per_tgt += pre_dim * tgt_vocab
    bridged = cfg.bridge or enc_dim != h
    per_sentence = layers * enc_dim * h * (2 if cfg.cell == "lstm" else 1) * bridged
    return ModelMacs(per_src, per_tgt, per_pair, per_sentence)


def datasheet_peak_tflops(name: str, bf16: bool) -> tuple[float, str] | None:
    """Peak dense TFLOP/s of a GPU by its name, and where the number comes from."""
    for key, bf16_peak, fp32_peak in GPU_PEAK_TFLOPS:
        if key in name:
            kind = "BF16 tensor core" if bf16 else "FP32"
            peak = bf16_peak if bf16 else fp32_peak
            return peak, f"NVIDIA {key} datasheet, dense {kind} (no sparsity)"
    return None


def measured_matmul_tflops(device: torch.device, dtype: torch.dtype) -> float:
    """TFLOP/s of the best of five square matmuls (a measured peak for this device)."""
    n = 8192 if device.type == "cuda" else 1024
    a = torch.randn(n, n, device=device, dtype=dtype)
    b = torch.randn(n, n, device=device, dtype=dtype)
    a @ b
    _sync()
    best = math.inf
    for _ in range(5):
        start = time.perf_counter()
        a @ b
        _sync()
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e12


# -------------------------------------------------------------------------- data
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


# ------------------------------------------------------------------------ memory
def _rss_bytes() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _release_memory(device: torch.device) -> None:
    """Give freed memory back (CUDA cache; glibc's free lists) so phases start even."""
    gc.collect()
    if device.type == "cuda":
        torch.cuda.empty_cache()
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def memory_method(device: torch.device) -> str:
    if device.type == "cuda":
        return (
            "torch.cuda.max_memory_allocated after reset_peak_memory_stats, above the "
            "allocation at the phase's start (tensors only, not the allocator's cache)"
        )
    if _rss_bytes() is None:
        return "not measured (needs /proc/self/statm)"
    return (
        "resident set size sampled every 5 ms, peak above the phase's start "
        "(after gc and malloc_trim)"
    )


class MemoryMeter:
    """Peak memory of a ``with`` block above its level at the start (see memory_method).

    ``peak`` is in bytes, or None where it cannot be measured.
    """

    def __init__(self, device: torch.device) -> None:
        self.device = device
        self.peak: int | None = None
        self.device_peak: int | None = None  # CUDA: the whole run's peak so far
        self._base: int | None = None

    def __enter__(self) -> MemoryMeter:
        _release_memory(self.device)
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            self._before = torch.cuda.max_memory_allocated(self.device)
            torch.cuda.reset_peak_memory_stats(self.device)
            self._base = torch.cuda.memory_allocated(self.device)
            return self
        self._base = self._top = _rss_bytes()
        if self._base is not None:
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self._top = max(self._top, _rss_bytes() or 0)

    def __exit__(self, *exc) -> None:
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            top = torch.cuda.max_memory_allocated(self.device)
            self.peak, self.device_peak = top - self._base, max(top, self._before)
        elif self._base is not None:
            self._stop.set()
            self._thread.join()
            self.peak = max(0, max(self._top, _rss_bytes() or 0) - self._base)

    @property
    def mb(self) -> float | None:
        return None if self.peak is None else round(self.peak / 2**20, 1)


def _peak_memory_mb(device: torch.device) -> float:
    if device.type == "cuda":
        return torch.cuda.max_memory_allocated(device) / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _mem_available() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


# --------------------------------------------------------------------- max batch
def _is_oom(exc: BaseException) -> bool:
    text = str(exc).lower()
    return (
        isinstance(exc, (torch.OutOfMemoryError, MemoryError))
        or "out of memory" in text
        or "can't allocate memory" in text
        or "alloc_failed" in text
    )


@dataclass(frozen=True)
class SearchResult:
    largest: int  # 0: not even one sentence fits
    limited_by: str  # "memory", "cap N", or "error: ..." (a non-memory failure)


def largest_batch(
    try_step: Callable[[int], None],
    cap: int,
    start: int = 1,
    release: Callable[[], None] = lambda: None,
) -> SearchResult:
    """The largest n in 1..cap whose ``try_step(n)`` does not run out of memory.

    Doubles from ``start`` until a step fails or ``cap`` is reached, then bisects
    between the last size that fitted and the first that did not. Out-of-memory
    errors (``torch.OutOfMemoryError``, ``MemoryError``, allocator messages) mean
    "does not fit"; ``release`` runs after every try. Any other error is raised while
    nothing has fitted yet, and afterwards counts as not fitting, named in
    ``limited_by`` when it is the failure at the boundary.
    """
    lo = 0
    failures: dict[int, str] = {}

    def fits(n: int) -> bool:
        try:
            try_step(n)
        except (RuntimeError, MemoryError) as exc:
            if not _is_oom(exc) and lo == 0:
                raise
            failures[n] = "memory" if _is_oom(exc) else f"error: {_first_line(exc)}"
            release()
            return False
        release()
        return True

    n = max(1, min(start, cap))
    while fits(n):
        lo = n
        if n >= cap:
            return SearchResult(cap, f"cap {cap}")
        n = min(2 * n, cap)
    hi = n
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    return SearchResult(lo, failures[hi])


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]


# ----------------------------------------------------------------------- timing
@dataclass(frozen=True)
class TrainRate:
    tokens_per_s: float  # source + target
    tgt_tokens_per_s: float
    flops_per_s: float  # model FLOPs (see FLOPS_METHOD)


def _sync() -> None:
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    elif torch.backends.mps.is_available():
        torch.mps.synchronize()


def _timed_steps(
    step: Callable[[Batch], None],
    batches: list[Batch],
    seconds: float,
    flops: Sequence[int] | None = None,
) -> TrainRate:
    """Run ``step`` over the batches (cycling) for about ``seconds``; measure rates."""
    flops = flops or [0] * len(batches)
    for batch in batches[:2]:  # warm-up
        step(batch)
    _sync()
    src_tokens = tgt_tokens = total_flops = 0
    start = time.perf_counter()
    i = 0
    while True:
        batch = batches[i % len(batches)]
        step(batch)
        src_tokens += batch.n_src_tokens
        tgt_tokens += batch.n_tgt_tokens
        total_flops += flops[i % len(batches)]
        i += 1
        if i >= 5 and time.perf_counter() - start >= seconds:
            break
    _sync()
    elapsed = time.perf_counter() - start
    return TrainRate(
        (src_tokens + tgt_tokens) / elapsed, tgt_tokens / elapsed, total_flops / elapsed
    )


def _train_step_fn(model: nn.Module, device: torch.device, tcfg: TrainConfig):
    """One training step as the config trains: its optimizer, lr, clipping, bf16.

    Ours uses the trainer's own optimizer (fused Adam); the reference the plain one.
    """
    if isinstance(model, ReferenceSeq2Seq):
        if tcfg.optimizer == "sgd":
            optimizer = torch.optim.SGD(model.parameters(), lr=tcfg.lr)
        else:
            optimizer = torch.optim.Adam(model.parameters(), lr=tcfg.lr)
    else:
        optimizer = make_optimizer(model.parameters(), tcfg, device)
    use_autocast = device.type == "cuda" and tcfg.bf16

    def step(batch: Batch) -> None:
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=use_autocast):
            if isinstance(model, ReferenceSeq2Seq):
                logits = model(batch.src, batch.src_len, batch.tgt_in)  # (B, T, V)
                target = batch.tgt_out
            else:  # ours projects onto the vocabulary only at real tokens
                keep = batch.tgt_out != PAD
                logits = model(batch.src, batch.src_len, batch.tgt_in, keep=keep)
                target = batch.tgt_out[keep]
        loss, _ = sequence_loss(logits, target)
        (loss / batch.n_tgt_tokens).backward()
        if tcfg.clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), tcfg.clip)
        optimizer.step()

    return step


def _bench_training(
    make_model: Callable[[], nn.Module],
    batches: list[Batch],
    flops: list[int],
    device: torch.device,
    tcfg: TrainConfig,
    seconds: float,
):
    """Build and train one model; returns (model, step, rate, memory meter).

    Memory is measured (untimed) over building the model and its optimizer and
    training on the batch with the most padded tokens; then the steps are timed.
    """
    biggest = max(batches, key=lambda b: b.src.numel() + b.tgt_in.numel())
    with MemoryMeter(device) as meter:
        model = make_model().to(device).train()
        step = _train_step_fn(model, device, tcfg)
        step(biggest)
    return model, step, _timed_steps(step, batches, seconds, flops), meter


def _rate(fn: Callable[[Batch], object], batches: list[Batch]) -> float:
    """Sentences per second of ``fn`` over all batches (after one warm-up call)."""
    fn(batches[0])
    _sync()
    start = time.perf_counter()
    count = 0
    for batch in batches:
        fn(batch)
        count += batch.src.size(0)
    _sync()
    return count / (time.perf_counter() - start)


def _latency_ms(fn: Callable[[], object]) -> tuple[float, float]:
    """p50 and p95 wall time of ``fn`` in ms, after a few warm-up calls."""
    times = []
    for _ in range(LATENCY_WARMUP + LATENCY_RUNS):
        start = time.perf_counter()
        fn()
        _sync()
        times.append((time.perf_counter() - start) * 1000)
    times = times[LATENCY_WARMUP:]
    return float(np.percentile(times, 50)), float(np.percentile(times, 95))


def _ratio(ours: float | None, reference: float | None) -> float | None:
    if ours is None or not reference:
        return None
    return round(ours / reference, 3)


# -------------------------------------------------------------------------- main
def run_bench(
    config: Config | None = None,
    device: str = "auto",
    seconds: float = 10.0,
    sentences: int = 1000,
    vocab: int | None = None,
    tgt_vocab: int | None = None,
    data: str | None = None,
    max_batch: bool | None = None,
    max_batch_cap: int | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> dict:
    """Measure ours and the reference on the same batches; return the figures.

    Args:
        config: the model and training settings (default: 2x256 LSTM, dot attention).
        device: auto | cpu | cuda | mps.
        seconds: time per training figure.
        sentences: sentences decoded for the decoding figures.
        vocab: synthetic data: source (and target) vocabulary; with ``data``: the
            tokenizer's cap. Default: the config's ``data.vocab_size``.
        tgt_vocab: synthetic data only: a different target vocabulary.
        data: a corpus spec (any format training reads) instead of synthetic pairs.
        max_batch: search the largest training batch that fits (None: on CUDA only).
        max_batch_cap: the search's upper bound in sentences (default MAX_BATCH_CAP).
    """
    if seconds <= 0 or sentences < 1:
        raise ValueError("--seconds must be > 0 and --sentences at least 1")
    if tgt_vocab is not None and tgt_vocab < 16:
        raise ValueError(f"--tgt-vocab must be at least 16; got {tgt_vocab}")
    config = config or Config()
    if config == Config():
        config = replace(
            config, model=replace(config.model, **BENCH_MODEL, dropout=0.0)
        )
    if vocab is not None:
        config = replace(config, data=replace(config.data, vocab_size=vocab))
    mcfg, tcfg = config.model, config.train
    dev = pick_device(device)
    set_seed(0)
    if data is None:
        size = config.data.vocab_size
        bench_data = synthetic_data(size, tgt_vocab or size, sentences)
    elif tgt_vocab is not None:
        raise ValueError("--tgt-vocab applies to synthetic data only (not with --data)")
    else:
        bench_data = corpus_data(data, config, sentences, progress)
    results: dict = {
        "device": device_name(dev),
        "model": vars(mcfg).copy(),
        "vocab": bench_data.tgt_vocab,
        "batch_size": tcfg.batch_size,
        "batch_tokens": tcfg.batch_tokens,
        "optimizer": tcfg.optimizer,
        "bf16": dev.type == "cuda" and tcfg.bf16,
        **bench_data.describe(),
    }
    ours, ref, ours_step, ref_step, device_peak = _training_figures(
        results, config, bench_data, dev, seconds, progress
    )
    _decoding_figures(results, ours, ref, bench_data.test_src, dev, progress)
    peak = _peak_memory_mb(dev)  # CUDA: since the reference's meter reset the peak
    if device_peak is not None:
        peak = max(peak, device_peak / 2**20)
    results["peak_memory_mb"] = round(peak, 1)
    progress("measuring a matmul peak")
    _flops_figures(results, dev, tcfg.bf16)
    if max_batch is None:
        max_batch = dev.type == "cuda"
    ours.train()
    ref.train()
    _max_batch_figures(
        results,
        bench_data,
        tcfg,
        dev,
        ours_step,
        ref_step,
        max_batch,
        max_batch_cap,
        progress,
    )
    return results


def _training_figures(results, config, bench_data, dev, seconds, progress):
    mcfg, tcfg = config.model, config.train
    sv, tv = bench_data.src_vocab, bench_data.tgt_vocab
    src, tgt = bench_data.train_src, bench_data.train_tgt
    sampler = BucketSampler(
        [len(s) + 1 for s in src],
        [len(t) + 1 for t in tgt],
        batch_size=tcfg.batch_size,
        batch_tokens=tcfg.batch_tokens,
        seed=0,
    )
    batches = [
        make_batch([src[i] for i in idx], [tgt[i] for i in idx], idx)
        for idx in sampler.epoch_batches(0)[:60]
    ]
    ref_cfg = reference_config(mcfg)
    flops, ref_flops = (
        [
            count_macs(cfg, tv).train_flops(b.src_len.tolist(), b.tgt_len.tolist())
            for b in batches
        ]
        for cfg in (mcfg, ref_cfg)
    )
    batches = [b.to(dev) for b in batches]
    tokens = sum(b.n_src_tokens + b.n_tgt_tokens for b in batches)

    def ours_model() -> nn.Module:
        return build_model(mcfg, sv, tv)

    def ref_model() -> nn.Module:
        return ReferenceSeq2Seq.like(ref_cfg, sv, tv)

    # Library start-up (thread pools, kernel caches, cuBLAS workspaces) would count
    # against the first model measured: one throw-away step of each first.
    for make in (ours_model, ref_model):
        _train_step_fn(make().to(dev), dev, tcfg)(batches[0])
    progress("training: ours")
    ours, ours_step, rate, meter = _bench_training(
        ours_model, batches, flops, dev, tcfg, seconds
    )
    progress("training: reference")
    ref, ref_step, ref_rate, ref_meter = _bench_training(
        ref_model, batches, ref_flops, dev, tcfg, seconds
    )
    results.update(
        train_tokens_per_s=round(rate.tokens_per_s, 1),
        train_tgt_tokens_per_s=round(rate.tgt_tokens_per_s, 1),
        reference_train_tokens_per_s=round(ref_rate.tokens_per_s, 1),
        reference_train_tgt_tokens_per_s=round(ref_rate.tgt_tokens_per_s, 1),
        train_ratio_vs_reference=round(rate.tokens_per_s / ref_rate.tokens_per_s, 3),
        memory_method=memory_method(dev),
        train_peak_memory_mb=meter.mb,
        reference_train_peak_memory_mb=ref_meter.mb,
        train_memory_ratio_vs_reference=_ratio(meter.mb, ref_meter.mb),
        flops_method=FLOPS_METHOD,
        train_model_flops_per_token=round(sum(flops) / tokens, 1),
        reference_train_model_flops_per_token=round(sum(ref_flops) / tokens, 1),
        achieved_tflops=round(rate.flops_per_s / 1e12, 6),
        reference_achieved_tflops=round(ref_rate.flops_per_s / 1e12, 6),
        achieved_gflops=round(rate.flops_per_s / 1e9, 3),
        reference_achieved_gflops=round(ref_rate.flops_per_s / 1e9, 3),
        flops_ratio_vs_reference=_ratio(rate.flops_per_s, ref_rate.flops_per_s),
    )
    return ours, ref, ours_step, ref_step, ref_meter.device_peak


def _output_bias(model: nn.Module) -> torch.Tensor | None:
    """The vocabulary projection's bias, (V,), or None if the model has none."""
    if isinstance(model, ReferenceSeq2Seq):
        return model.out.bias
    decoder = getattr(model, "decoder", None)
    out = getattr(decoder, "out", None)  # None when tied (then ``out_bias``)
    bias = out.bias if out is not None else getattr(decoder, "out_bias", None)
    return bias if isinstance(bias, torch.Tensor) else None


def _never_end(*models: nn.Module) -> bool:
    """Make untrained models decode to the length limit: EOS's output bias -> -1e4.

    Random weights end sentences at random steps (a model whose first argmax is EOS
    decodes 50x faster), so without this the decoding figures compare luck. Returns
    False if a model's output bias was not found (then nothing is changed).
    """
    biases = [_output_bias(model) for model in models]
    if any(bias is None for bias in biases):
        return False
    with torch.no_grad():
        for bias in biases:
            bias[EOS] = -1e4
    return True


def _decoding_figures(results, ours, ref, test_src, dev, progress) -> None:
    ours.eval()
    ref.eval()
    results["decode_to_length_limit"] = _never_end(ours, ref)
    sentences = len(test_src)
    order = sorted(range(sentences), key=lambda i: len(test_src[i]))
    dec_batches = [
        make_batch(
            [test_src[i] for i in order[s : s + 64]],
            [[4]] * len(order[s : s + 64]),
            order[s : s + 64],
        ).to(dev)
        for s in range(0, sentences, 64)
    ]

    def max_len(batch: Batch) -> int:
        return int(batch.src_len.max()) * 2 + 10

    beam_cfg = DecodeConfig(beam=5, nbest=1)
    one_src = min(test_src, key=lambda s: abs(len(s) - LATENCY_PIECES))
    one = make_batch([one_src], [[4]], [0]).to(dev)
    with torch.no_grad():
        progress("greedy decoding: ours and reference")
        greedy = _rate(
            lambda b: greedy_decode([ours], b.src, b.src_len, max_len(b)), dec_batches
        )
        ref_greedy = _rate(lambda b: ref.greedy(b.src, max_len(b)), dec_batches)
        progress("beam-5 decoding: batched and one sentence at a time")
        beam = _rate(
            lambda b: beam_search([ours], b.src, b.src_len, beam_cfg), dec_batches
        )
        singles = [
            make_batch([test_src[i]], [[4]], [i]).to(dev)
            for i in range(min(sentences, 150))
        ]
        single = _rate(
            lambda b: beam_search([ours], b.src, b.src_len, beam_cfg), singles
        )
        progress(f"latency: one {len(one_src)}-piece sentence, greedy and beam 5")
        g50, g95 = _latency_ms(
            lambda: greedy_decode([ours], one.src, one.src_len, max_len(one))
        )
        r50, r95 = _latency_ms(lambda: ref.greedy(one.src, max_len(one)))
        b50, b95 = _latency_ms(
            lambda: beam_search([ours], one.src, one.src_len, beam_cfg)
        )
    results.update(
        greedy_sentences_per_s=round(greedy, 1),
        reference_greedy_sentences_per_s=round(ref_greedy, 1),
        greedy_ratio_vs_reference=round(greedy / ref_greedy, 3),
        beam5_sentences_per_s=round(beam, 1),
        beam5_single_sentence_per_s=round(single, 1),
        beam5_ratio_vs_single=round(beam / single, 3),
        latency_sentence_pieces=len(one_src),
        latency_p50_ms=round(b50, 2),
        latency_p95_ms=round(b95, 2),
        greedy_latency_p50_ms=round(g50, 2),
        greedy_latency_p95_ms=round(g95, 2),
        reference_greedy_latency_p50_ms=round(r50, 2),
        reference_greedy_latency_p95_ms=round(r95, 2),
        greedy_latency_p50_ratio_vs_reference=round(g50 / r50, 3),
        greedy_latency_p95_ratio_vs_reference=round(g95 / r95, 3),
    )


def _flops_figures(results: dict, dev: torch.device, bf16: bool) -> None:
    """Utilisation against the datasheet peak (CUDA) and a matmul measured here."""
    half = dev.type == "cuda" and bf16
    dtype = torch.bfloat16 if half else torch.float32
    measured = measured_matmul_tflops(dev, dtype)
    peak = None
    if dev.type == "cuda":
        peak = datasheet_peak_tflops(torch.cuda.get_device_name(dev), half)
    ours, ref = results["achieved_tflops"], results["reference_achieved_tflops"]
    results.update(
        measured_matmul_tflops=round(measured, 4),
        measured_matmul_dtype=str(dtype).removeprefix("torch."),
        flops_utilization_vs_measured_matmul_peak=round(ours / measured, 4),
        reference_flops_utilization_vs_measured_matmul_peak=round(ref / measured, 4),
        peak_tflops=peak[0] if peak else None,
        peak_tflops_source=peak[1] if peak else None,
        flops_utilization=round(ours / peak[0], 4) if peak else None,
        reference_flops_utilization=round(ref / peak[0], 4) if peak else None,
    )


def _max_batch_figures(
    results, data, tcfg, dev, ours_step, ref_step, enabled, cap, progress
) -> None:
    """The largest training batch of the data's longest pairs, ours and reference."""
    long_src, long_tgt = max(data.train_src, key=len), max(data.train_tgt, key=len)
    per_sentence = len(long_src) + len(long_tgt) + 2  # padded tokens, as batch_tokens
    unit = "tokens" if tcfg.batch_tokens > 0 else "sentences"
    results.update(
        largest_batch=None,
        reference_largest_batch=None,
        largest_batch_ratio_vs_reference=None,
        largest_batch_unit=unit,
        largest_batch_limited_by=None,
        reference_largest_batch_limited_by=None,
        largest_batch_method="not measured (on CPU pass --max-batch)",
    )
    if not enabled:
        return
    cap = cap or MAX_BATCH_CAP.get(dev.type, MAX_BATCH_CAP["cpu"])
    budget = None
    if dev.type != "cuda":
        available = _mem_available()
        budget = available // 4 if available else 2**30
    start = max(1, tcfg.batch_size)
    if tcfg.batch_tokens > 0:
        start = max(1, tcfg.batch_tokens // per_sentence)
    found = {}
    for name, step in (("ours", ours_step), ("reference", ref_step)):
        progress(f"largest batch: {name}")
        found[name] = largest_batch(
            _batch_trial(step, long_src, long_tgt, dev, budget),
            cap,
            start,
            release=lambda: _release_memory(dev),
        )
    scale = per_sentence if unit == "tokens" else 1
    ours, ref = found["ours"].largest * scale, found["reference"].largest * scale
    if budget is None:
        how = "no torch.OutOfMemoryError"
    else:
        how = f"peak RSS growth under {budget // 2**20} MB (a quarter of MemAvailable)"
    results.update(
        largest_batch=ours,
        reference_largest_batch=ref,
        largest_batch_ratio_vs_reference=_ratio(ours, ref),
        largest_batch_limited_by=found["ours"].limited_by,
        reference_largest_batch_limited_by=found["reference"].limited_by,
        largest_batch_method=(
            f"largest batch whose training step ran with {how}; doubling from "
            f"train.batch_size then bisecting, up to {cap} sentences; every pair at "
            f"the data's longest ({len(long_src)} source, {len(long_tgt)} target "
            f"pieces){'; tokens = sentences x padded pair length' * (scale > 1)}"
        ),
    )


def _batch_trial(step, long_src, long_tgt, dev, budget):
    """try_step(n) for :func:`largest_batch`: one training step on n longest pairs."""

    def try_step(n: int) -> None:
        batch = make_batch([long_src] * n, [long_tgt] * n, range(n)).to(dev)
        if budget is None:
            step(batch)
            _sync()
            return
        with MemoryMeter(dev) as meter:
            step(batch)
        if meter.peak is not None and meter.peak > budget:
            raise MemoryError(f"{meter.peak // 2**20} MB is over the budget")

    return try_step


# ------------------------------------------------------------------------- table
def _num(x: float | None) -> str:
    if x is None:
        return "-"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def format_table(results: dict) -> str:
    """A human-readable table: each of our figures beside the reference and the ratio."""
    cuda = results["device"].startswith("CUDA")
    flops_unit = "TFLOP/s" if cuda else "GFLOP/s"
    flops_key = "achieved_tflops" if cuda else "achieved_gflops"
    datasheet = results["peak_tflops"] is not None
    util_key = (
        "flops_utilization"
        if datasheet
        else "flops_utilization_vs_measured_matmul_peak"
    )
    pct = {  # utilisation in percent, for display only
        k: None if results[k] is None else 100 * results[k]
        for k in (util_key, f"reference_{util_key}")
    }
    rows = [
        (
            "training tokens/s (src+tgt)",
            "train_tokens_per_s",
            "reference_train_tokens_per_s",
        ),
        (
            "training tokens/s (target)",
            "train_tgt_tokens_per_s",
            "reference_train_tgt_tokens_per_s",
        ),
        (
            "training peak memory (MB)",
            "train_peak_memory_mb",
            "reference_train_peak_memory_mb",
        ),
        (f"training model {flops_unit}", flops_key, f"reference_{flops_key}"),
        (
            "  % of datasheet peak" if datasheet else "  % of measured matmul peak",
            util_key,
            f"reference_{util_key}",
        ),
        (
            "greedy sentences/s",
            "greedy_sentences_per_s",
            "reference_greedy_sentences_per_s",
        ),
        (
            "greedy latency, one sentence, p50 (ms)",
            "greedy_latency_p50_ms",
            "reference_greedy_latency_p50_ms",
        ),
        (
            "greedy latency, one sentence, p95 (ms)",
            "greedy_latency_p95_ms",
            "reference_greedy_latency_p95_ms",
        ),
        (
            f"largest training batch ({results['largest_batch_unit']})",
            "largest_batch",
            "reference_largest_batch",
        ),
    ]
    lines = [
        f"device: {results['device']}",
        _describe_run(results),
        f"{'figure':44} {'ours':>11} {'reference':>11} {'ratio':>7}",
    ]
    for label, ours_key, ref_key in rows:
        ours, ref = results[ours_key], results[ref_key]
        if ours_key in pct:
            ours, ref = pct[ours_key], pct[ref_key]
        ratio = f"{ours / ref:>6.2f}x" if ours is not None and ref else f"{'-':>7}"
        lines.append(f"{label:44} {_num(ours):>11} {_num(ref):>11} {ratio}")
    beam, single = (
        results["beam5_sentences_per_s"],
        results["beam5_single_sentence_per_s"],
    )
    lines += [
        f"{'beam-5 sentences/s, batched vs one at a time':44} {_num(beam):>11} "
        f"{_num(single):>11} {beam / single:>6.2f}x",
        f"{'beam-5 latency, one sentence, p50 / p95 (ms)':44} "
        f"{_num(results['latency_p50_ms']):>11} {_num(results['latency_p95_ms']):>11}",
        f"{'process peak memory (MB)':44} {_num(results['peak_memory_mb']):>11}",
        "ratio = ours / reference: above 1 is better for rates, below 1 for ms, MB;",
        f"one sentence: {results['latency_sentence_pieces']} pieces; model FLOPs: "
        f"{_num(results['train_model_flops_per_token'])} per token (s2s bench --json "
        "has the method)",
    ]
    return "\n".join(lines)


def _describe_run(results: dict) -> str:
    m = results["model"]
    attention = m["attention"] if m["attention"] != "none" else "no attention"
    reverse = ", reversed source" if m["reverse_source"] else ""
    data = results["data"]
    return (
        f"model: {m['cell']} {m['layers']}x{m['hidden']}, emb {m['emb']}, {attention}"
        f"{reverse}; vocab {results['src_vocab']}/{results['tgt_vocab']}; batch "
        f"{results['batch_tokens'] or results['batch_size']}"
        f"{' tokens' if results['batch_tokens'] else ''}; {results['optimizer']}"
        f"{', bf16' if results['bf16'] else ''}\n"
        f"data: {data} ({results['train_pairs']} training pairs, mean "
        f"{results['mean_src_len']} / {results['mean_tgt_len']} pieces)"
    )
