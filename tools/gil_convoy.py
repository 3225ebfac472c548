"""What a GIL hand-over costs the GUI thread while a model trains in another thread.

Every PySide6 call lets go of the GIL and takes it back, and so does every Python method
Qt calls (a pyqtgraph item's ``paint``, ``boundingRect``). While the training thread wants
the GIL, each take-back waits. This measures that wait without Qt: the main thread makes
bursts of calls that let go of the GIL (``os.fstat``, a system call of about a
microsecond; ``time.sleep(0)`` would add the kernel's timer slack) while the quick demo trains
in a thread with one torch thread, as in the app, under a given switch interval.

    .venv/bin/python tools/gil_convoy.py [--interval 0.005] [--calls 100]

Prints the burst times (median, p90, p99, max), the same burst with nothing training,
and the training throughput, so a switch interval's cost to training shows too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def bursts(calls: int, until: threading.Event | None, count: int = 0) -> list[float]:
    """Milliseconds per burst of ``calls`` GIL hand-overs, 20 ms apart."""
    times = []
    fd = os.open(os.devnull, os.O_RDONLY)
    try:
        while (until is not None and not until.is_set()) or len(times) < count:
            begin = time.perf_counter()
            for _ in range(calls):
                os.fstat(fd)
            times.append(1000 * (time.perf_counter() - begin))
            time.sleep(0.02)
    finally:
        os.close(fd)
    return sorted(times)


def summary(times: list[float]) -> str:
    def at(q: float) -> float:
        return times[min(len(times) - 1, int(q * len(times)))]

    return (
        f"median {statistics.median(times):.2f} ms, p90 {at(0.9):.2f}, "
        f"p99 {at(0.99):.2f}, max {times[-1]:.1f} ({len(times)} bursts)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--interval", type=float, default=0.005, help="sys.setswitchinterval"
    )
    parser.add_argument(
        "--calls", type=int, default=100, help="GIL hand-overs per burst"
    )
    parser.add_argument("--seconds", type=float, default=24.0, help="training time")
    args = parser.parse_args()

    import torch

    from engine.events import TrainFinished, TrainStart
    from engine.training import Trainer
    from tools.stall_probe import timed_config

    sys.setswitchinterval(args.interval)
    idle = bursts(args.calls, None, count=200)
    cfg = timed_config("Quick demo", "cpu", args.seconds)
    started, done, finished = threading.Event(), threading.Event(), []

    def run() -> None:
        torch.set_num_threads(1)
        try:
            for event in Trainer(cfg, tempfile.mkdtemp(), resume=False).steps():
                if isinstance(event, TrainStart):
                    started.set()
                elif isinstance(event, TrainFinished):
                    finished.append(event)
        finally:
            started.set()
            done.set()

    thread = threading.Thread(target=run)
    thread.start()
    started.wait()
    busy = bursts(args.calls, done)
    thread.join()
    print(
        f"switch interval {args.interval * 1000:g} ms, {args.calls} GIL hand-overs per burst"
    )
    print(f"  nothing training:   {summary(idle)}")
    print(f"  while training:     {summary(busy)}")
    if finished:
        print(
            f"  training: {finished[0].train_tokens_per_s:,.0f} tokens/s (source+target)"
        )


if __name__ == "__main__":
    main()
