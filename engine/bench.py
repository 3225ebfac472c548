"""`s2s bench`: training and decoding throughput, each beside a plain reference measured in the same run."""

from __future__ import annotations

import logging
import math
import resource
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import torch
from torch import nn

from engine.batching import Batch, BucketSampler, make_batch
from engine.config import Config, DecodeConfig
from engine.model import build_model
from engine.search import beam_search, greedy_decode
from engine.tokenizer import BOS, EOS, PAD
from engine.training import sequence_loss
from engine.utils import device_name, pick_device, set_seed

logger = logging.getLogger(__name__)

BENCH_MODEL = {
    "cell": "lstm",
    "layers": 2,
    "emb": 256,
    "hidden": 256,
    "attention": "dot",
}


class ReferenceSeq2Seq(nn.Module):
    """The plain baseline: an nn.LSTM encoder and a decoder stepped token by token in Python.

    This is how most tutorials write an attentional encoder-decoder (Luong dot attention,
    attentional hidden state tanh(W[c;h]), no packing, no fused whole-sequence decoder).
    """

    def __init__(
        self, src_vocab: int, tgt_vocab: int, emb: int, hidden: int, layers: int
    ):
        super().__init__()
        self.src_emb = nn.Embedding(src_vocab, emb, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(tgt_vocab, emb, padding_idx=PAD)
        self.encoder = nn.LSTM(emb, hidden, layers, batch_first=True)
        self.decoder = nn.LSTM(emb, hidden, layers, batch_first=True)
        self.combine = nn.Linear(2 * hidden, hidden)
        self.out = nn.Linear(hidden, tgt_vocab)

    def _encode(self, src: torch.Tensor):
        enc, state = self.encoder(self.src_emb(src))  # (B, S, H)
        return enc, state, (src == PAD).unsqueeze(1)  # mask (B, 1, S)

    def _step(self, tokens, state, enc, pad_mask):
        out, state = self.decoder(self.tgt_emb(tokens), state)  # (B, 1, H)
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


def synthetic_corpus(
    n: int, vocab: int, seed: int = 0
) -> tuple[list[list[int]], list[list[int]]]:
    """Random id sequences with Tatoeba-like lengths (median ~8 source pieces, long tail)."""
    rng = np.random.default_rng(seed)
    src_len = np.clip(np.round(rng.lognormal(math.log(8), 0.45, n)), 2, 48).astype(int)
    tgt_len = np.clip(np.round(src_len * rng.normal(1.15, 0.15, n)), 2, 60).astype(int)
    src = [rng.integers(4, vocab, int(k)).tolist() for k in src_len]
    tgt = [rng.integers(4, vocab, int(k)).tolist() for k in tgt_len]
    return src, tgt


def _timed_steps(step: Callable[[Batch], None], batches: list[Batch], seconds: float):
    """Run ``step`` over the batches (cycling) for about ``seconds``; return tokens/s."""
    for batch in batches[:2]:  # warm-up
        step(batch)
    _sync()
    src_tokens = tgt_tokens = 0
    start = time.perf_counter()
    i = 0
    while True:
        batch = batches[i % len(batches)]
        step(batch)
        src_tokens += batch.n_src_tokens
        tgt_tokens += batch.n_tgt_tokens
        i += 1
        if i >= 5 and time.perf_counter() - start >= seconds:
            break
    _sync()
    elapsed = time.perf_counter() - start
    return (src_tokens + tgt_tokens) / elapsed, tgt_tokens / elapsed


def _sync() -> None:
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def _train_step_fn(model: nn.Module, device: torch.device, bf16: bool):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    use_autocast = device.type == "cuda" and bf16

    def step(batch: Batch) -> None:
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=use_autocast):
            if isinstance(model, ReferenceSeq2Seq):
                logits = model(batch.src, batch.src_len, batch.tgt_in)  # (B, T, V)
                target = batch.tgt_out
            else:  # ours projects onto the vocabulary only at real tokens
                keep = batch.tgt_out != PAD
                logits = model(batch.src, batch.src_len, batch.tgt_in, keep=keep)
                target = batch.tgt_out[keep]
        loss, _ = sequence_loss(logits, target)
        optimizer.zero_grad(set_to_none=True)
        (loss / batch.n_tgt_tokens).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()

    return step


def run_bench(
    config: Config | None = None,
    device: str = "auto",
    seconds: float = 10.0,
    sentences: int = 1000,
    vocab: int = 8000,
    progress: Callable[[str], None] = lambda message: None,
) -> dict:
    """Measure ours and the reference on the same synthetic batches; return the figures."""
    config = config or Config()
    if config == Config():
        config = replace(
            config, model=replace(config.model, **BENCH_MODEL, dropout=0.0)
        )
    mcfg, tcfg = config.model, config.train
    dev = pick_device(device)
    set_seed(0)
    src, tgt = synthetic_corpus(4000, vocab)
    sampler = BucketSampler(
        [len(s) + 1 for s in src],
        [len(t) + 1 for t in tgt],
        batch_size=tcfg.batch_size,
        batch_tokens=tcfg.batch_tokens,
        seed=0,
    )
    batches = [
        make_batch([src[i] for i in idx], [tgt[i] for i in idx], idx).to(dev)
        for idx in sampler.epoch_batches(0)[:60]
    ]
    results: dict = {
        "device": device_name(dev),
        "model": vars(mcfg).copy(),
        "vocab": vocab,
    }
    results["batch_size"] = tcfg.batch_size

    progress("training: ours")
    ours = build_model(mcfg, vocab, vocab).to(dev).train()
    tok, tgt_tok = _timed_steps(_train_step_fn(ours, dev, tcfg.bf16), batches, seconds)
    progress("training: reference")
    ref = (
        ReferenceSeq2Seq(vocab, vocab, mcfg.emb, mcfg.hidden, mcfg.layers)
        .to(dev)
        .train()
    )
    ref_tok, ref_tgt_tok = _timed_steps(
        _train_step_fn(ref, dev, tcfg.bf16), batches, seconds
    )
    results.update(
        train_tokens_per_s=round(tok, 1),
        train_tgt_tokens_per_s=round(tgt_tok, 1),
        reference_train_tokens_per_s=round(ref_tok, 1),
        reference_train_tgt_tokens_per_s=round(ref_tgt_tok, 1),
        train_ratio_vs_reference=round(tok / ref_tok, 3),
    )

    ours.eval()
    ref.eval()
    test_src, test_tgt = synthetic_corpus(sentences, vocab, seed=1)
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

    with torch.no_grad():
        progress("greedy decoding: ours and reference")
        greedy = _rate(
            lambda b: greedy_decode([ours], b.src, b.src_len, max_len(b)), dec_batches
        )
        ref_greedy = _rate(lambda b: ref.greedy(b.src, max_len(b)), dec_batches)
        progress("beam-5 decoding: batched and one sentence at a time")
        beam_cfg = DecodeConfig(beam=5, nbest=1)
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
        progress("latency: one 10-word sentence, beam 5")
        one = make_batch([list(range(4, 4 + 13))], [[4]], [0]).to(dev)
        latencies = []
        for _ in range(40):
            start = time.perf_counter()
            beam_search([ours], one.src, one.src_len, beam_cfg)
            _sync()
            latencies.append((time.perf_counter() - start) * 1000)
    latencies = latencies[5:]
    results.update(
        greedy_sentences_per_s=round(greedy, 1),
        reference_greedy_sentences_per_s=round(ref_greedy, 1),
        greedy_ratio_vs_reference=round(greedy / ref_greedy, 3),
        beam5_sentences_per_s=round(beam, 1),
        beam5_single_sentence_per_s=round(single, 1),
        beam5_ratio_vs_single=round(beam / single, 3),
        latency_p50_ms=round(float(np.percentile(latencies, 50)), 2),
        latency_p95_ms=round(float(np.percentile(latencies, 95)), 2),
        peak_memory_mb=round(_peak_memory_mb(dev), 1),
    )
    return results


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


def _peak_memory_mb(device: torch.device) -> float:
    if device.type == "cuda":
        return torch.cuda.max_memory_allocated(device) / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def format_table(results: dict) -> str:
    """A human-readable table: each of our figures beside the reference and the ratio."""
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
            "greedy sentences/s",
            "greedy_sentences_per_s",
            "reference_greedy_sentences_per_s",
        ),
        (
            "beam-5 sentences/s (batched vs one at a time)",
            "beam5_sentences_per_s",
            "beam5_single_sentence_per_s",
        ),
    ]
    lines = [
        f"device: {results['device']}",
        f"{'figure':48} {'ours':>10} {'reference':>10} {'ratio':>7}",
    ]
    for label, ours, ref in rows:
        ratio = results[ours] / results[ref] if results[ref] else float("nan")
        lines.append(
            f"{label:48} {results[ours]:>10.1f} {results[ref]:>10.1f} {ratio:>6.2f}x"
        )
    lines.append(
        f"{'translate latency, 10 words, beam 5 (p50/p95 ms)':48} "
        f"{results['latency_p50_ms']:>10.1f} {results['latency_p95_ms']:>10.1f}"
    )
    lines.append(f"{'peak memory (MB)':48} {results['peak_memory_mb']:>10.1f}")
    return "\n".join(lines)
