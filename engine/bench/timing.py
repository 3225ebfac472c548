"""Timing for `s2s bench`: a training step as the config trains, throughput and latency."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from engine.batching import Batch
from engine.bench.memory import MemoryMeter
from engine.bench.reference import ReferenceSeq2Seq
from engine.config import TrainConfig
from engine.loss import sequence_loss
from engine.model import target_logits
from engine.optim import clip_gradients, make_optimizer
from engine.translate import map_on_workers
from engine.utils import bf16_autocast

LATENCY_RUNS, LATENCY_WARMUP = 35, 5


@dataclass(frozen=True)
class TrainRate:
    tokens_per_s: float  # source + target
    tgt_tokens_per_s: float
    flops_per_s: float  # model FLOPs (see flops.FLOPS_METHOD)


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
    warm_up: bool = True,
) -> TrainRate:
    """Run ``step`` over the batches (cycling) for about ``seconds``; measure rates.

    One untimed pass over all the batches first (unless ``warm_up`` is False, for a
    step that has already had it): the first step at each new batch shape touches
    memory the process has never used (pages fresh from the kernel, whether glibc
    maps a block or grows its heap), and those page faults cost a CPU step up to ~20%
    for the first few dozen steps of a run, none after. The figure is the rate a long
    training run settles at.
    """
    flops = flops or [0] * len(batches)
    for batch in batches if warm_up else ():
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

    def step(batch: Batch) -> None:
        optimizer.zero_grad(set_to_none=True)
        with bf16_autocast(device, tcfg.bf16):
            if isinstance(model, ReferenceSeq2Seq):
                logits = model(batch.src, batch.src_len, batch.tgt_in)  # (B, T, V)
                target = batch.tgt_out
            else:  # ours projects onto the vocabulary only at real tokens
                logits = target_logits(model, batch)
                target = batch.targets
        loss, _ = sequence_loss(logits, target)
        (loss / batch.n_tgt_tokens).backward()
        if tcfg.clip > 0:  # the reference's plain optimizer: clip_grad_norm_'s own way
            clip_gradients(optimizer, model.parameters(), tcfg.clip)
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


def _rate_on_workers(
    fn: Callable[[Batch], object], batches: list[Batch], workers: int
) -> float:
    """Sentences per second of ``fn`` over all batches on ``workers`` threads with one
    intra-op thread each, as ``s2s translate`` decodes on a CPU (``cpu_workers``).

    The process's torch thread count is set back afterwards.
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        map_on_workers(fn, batches[:workers], workers)  # warm-up: a batch per worker
        start = time.perf_counter()
        map_on_workers(fn, batches, workers)
        seconds = time.perf_counter() - start
    finally:
        torch.set_num_threads(threads)
    return sum(b.src.size(0) for b in batches) / seconds


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
