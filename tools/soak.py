"""Soak test: train on CPU for a long time and check that memory (RSS) stays flat.

Trains a small LSTM with attention on the synthetic reverse task for ``--minutes``,
feeding every event into the GUI's ``MetricHistory`` (as the controller does), while a
sampler thread reads the process RSS every ``--every`` seconds. Prints the samples,
then start (after warm-up), peak and end RSS and the growth, and exits 1 when the
growth after warm-up exceeds ``--bound-mb``.

    python -m tools.soak --minutes 30 --threads 1
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from engine.config import Config  # noqa: E402
from engine.events import (  # noqa: E402
    CheckpointSaved,
    EvalResult,
    TrainFinished,
    TrainStep,
    TrainWarning,
)
from engine.malloc import tune_malloc  # noqa: E402
from engine.training import Trainer  # noqa: E402
from s2s_gui.state import MetricHistory  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """Resident set size of this process in MiB (Linux /proc)."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * PAGE / 2**20


def soak_config(minutes: float, threads: int) -> Config:
    return Config.from_dict(
        {
            "data": {
                "train": "builtin:task/reverse",
                "task_size": 20_000,
                "task_min_len": 3,
                "task_max_len": 12,
                "dev_size": 200,
                "vocab_size": 64,
            },
            "model": {"cell": "lstm", "layers": 1, "emb": 64, "hidden": 128},
            "train": {
                "device": "cpu",
                "threads": threads,
                "batch_size": 32,
                "epochs": 10_000,
                "max_minutes": minutes,
                "log_every": 1,  # the most events per second the GUI could see
                "eval_every": 500,  # evaluation + checkpoint every ~half minute
                "bleu_sentences": 100,
                "patience": 0,
            },
        }
    )


class Sampler(threading.Thread):
    """Reads RSS every ``every`` seconds until stopped."""

    def __init__(self, every: float) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.samples: list[tuple[float, float]] = []  # (seconds, MiB)
        self._stop_event = threading.Event()
        self._t0 = time.perf_counter()
        self.warm_at = float("inf")  # when the first checkpoint was written

    def mark_warm(self) -> None:
        self.warm_at = min(self.warm_at, time.perf_counter() - self._t0)

    def run(self) -> None:
        while True:
            elapsed = time.perf_counter() - self._t0
            self.samples.append((elapsed, rss_mb()))
            print(f"  {elapsed:7.0f} s  RSS {self.samples[-1][1]:8.1f} MiB", flush=True)
            if self._stop_event.wait(self.every):
                return

    def stop(self) -> None:
        self._stop_event.set()
        self.join()
        self.samples.append((time.perf_counter() - self._t0, rss_mb()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--every", type=float, default=10.0, help="seconds per sample")
    parser.add_argument(
        "--warmup",
        type=float,
        default=0.2,
        help="share of the run (at least until the first checkpoint)",
    )
    parser.add_argument("--bound-mb", type=float, default=64.0)
    parser.add_argument("--out", default=None, help="run directory (default: temp)")
    args = parser.parse_args(argv)
    tune_malloc()  # as the app does: freed memory stays in the heap (engine.malloc)
    history = MetricHistory()
    sampler = Sampler(args.every)
    steps = evals = warnings = 0
    finished: TrainFinished | None = None
    with tempfile.TemporaryDirectory(prefix="s2s-soak-") as tmp:
        run_dir = Path(args.out) if args.out else Path(tmp) / "run"
        trainer = Trainer(soak_config(args.minutes, args.threads), run_dir)
        print(f"soak: {args.minutes:g} min on CPU, {args.threads} thread(s), {run_dir}")
        sampler.start()
        for ev in trainer.steps():
            match ev:
                case TrainStep():
                    history.append_step(ev)
                    steps += 1
                case EvalResult():
                    history.append_eval(ev)
                    evals += 1
                case CheckpointSaved():
                    sampler.mark_warm()
                case TrainWarning():
                    warnings += 1
                case TrainFinished():
                    finished = ev
        sampler.stop()
    return report(sampler, args, history, steps, evals, warnings, finished)


def report(sampler, args, history, steps, evals, warnings, finished) -> int:
    """Print the figures; 1 when RSS grew more than the bound after warm-up."""
    samples = sampler.samples
    cut = max(samples[-1][0] * args.warmup, sampler.warm_at)
    settled = [mb for t, mb in samples if t >= cut] or [samples[-1][1]]
    start, peak, end = settled[0], max(mb for _, mb in samples), samples[-1][1]
    growth = max(settled) - start
    ok = growth <= args.bound_mb
    print(
        f"\ntrained {finished.step if finished else '?'} steps "
        f"({finished.reason if finished else 'no finish event'}); "
        f"{steps} step events, {evals} evaluations, {warnings} warnings; "
        f"history holds {len(history.steps)} step points"
    )
    print(f"RSS first sample:           {samples[0][1]:8.1f} MiB")
    print(f"RSS start (after warm-up, {cut:.0f} s): {start:8.1f} MiB")
    print(f"RSS peak:                   {peak:8.1f} MiB")
    print(f"RSS end:                    {end:8.1f} MiB")
    print(
        f"growth after warm-up:       {growth:8.1f} MiB "
        f"(bound {args.bound_mb:g} MiB): {'OK' if ok else 'EXCEEDED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
