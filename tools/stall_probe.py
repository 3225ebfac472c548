"""`python -m tools.stall_probe`: the GUI event loop's longest stall while training.

A 5 ms timer runs on the GUI thread of the real main window while the controller trains
a model in its worker thread; the largest gap between two ticks is the worst stall a
person could feel. Part of `make bench` (figures, not a test).

Each stall is split by where the time went (on Linux; elsewhere only the CPU part):
the GUI thread's own CPU time, its time runnable but waiting for a core (``run_delay``
in ``/proc/thread-self/schedstat``), and the rest, when it was blocked: waiting for the
GIL, or on a virtual machine, for the hypervisor to run its virtual CPU again. The CPU
time the hypervisor took from the whole machine meanwhile (``steal`` in ``/proc/stat``,
counted in 10 ms ticks) tells the two apart. Reading the two files costs the timer two
short system calls per tick.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from engine.config import Config


@dataclass(frozen=True, slots=True)
class Clocks:
    """One reading of the clocks a stall is split by, all in milliseconds."""

    wall: float
    cpu: float  # the reading thread's CPU time
    # Wall time once the counters were read: a reading preempted midway counts the
    # preemption in runq, so the gap must reach to here to contain it.
    wall_end: float
    runq: float | None  # its time runnable but not running (Linux schedstat)
    steal: float | None  # CPU time the hypervisor took from every CPU (/proc/stat)


@dataclass(frozen=True, slots=True)
class Stall:
    """Where the time between two readings went (milliseconds)."""

    gap: float
    cpu: float  # the thread's own work
    runq: float | None  # waiting for a core
    blocked: float | None  # the rest: waiting for the GIL (or for the hypervisor)
    steal: float | None  # taken by the hypervisor meanwhile, summed over all CPUs


def split(before: Clocks, after: Clocks) -> Stall:
    """The gap between two readings and its parts (those both readings know)."""
    gap = after.wall_end - before.wall  # the counters' deltas lie within it
    cpu = after.cpu - before.cpu
    runq = blocked = steal = None
    if before.runq is not None and after.runq is not None:
        runq = after.runq - before.runq
        blocked = max(0.0, gap - cpu - runq)
    if before.steal is not None and after.steal is not None:
        steal = after.steal - before.steal
    return Stall(gap, cpu, runq, blocked, steal)


class ClockReader:
    """Reads `Clocks` for the thread that creates it; /proc files are kept open."""

    def __init__(self) -> None:
        self._tick_ms = 1000 / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 0
        try:
            self._sched = os.open("/proc/thread-self/schedstat", os.O_RDONLY)
            self._stat = os.open("/proc/stat", os.O_RDONLY)
        except OSError:  # not Linux, or a kernel without schedstat
            self._sched = self._stat = None

    def read(self) -> Clocks:
        wall, cpu = 1000 * time.perf_counter(), 1000 * time.thread_time()
        if self._sched is None:
            return Clocks(wall, cpu, wall, None, None)
        # schedstat: "<ns on CPU> <ns waiting on a run queue> <timeslices>"
        on_cpu, waiting = os.pread(self._sched, 64, 0).split()[:2]
        # /proc/stat: "cpu  user nice system idle iowait irq softirq steal ..."
        steal = os.pread(self._stat, 256, 0).split(b"\n", 1)[0].split()[8]
        end = 1000 * time.perf_counter()
        return Clocks(
            wall, int(on_cpu) / 1e6, end, int(waiting) / 1e6, int(steal) * self._tick_ms
        )

    def close(self) -> None:
        for fd in (self._sched, self._stat):
            if fd is not None:
                os.close(fd)
        self._sched = self._stat = None


def timed_config(
    preset_name: str, device: str, seconds: float, log_every: int = 0
) -> Config:
    """A preset's config that trains for ``seconds`` of wall time, whatever its steps,
    and logs every ``log_every`` steps (0: as the preset does)."""
    from engine.config import replace
    from s2s_gui.presets import apply_preset, load_presets

    preset = next(p for p in load_presets() if p.name == preset_name)
    cfg = apply_preset(preset, None)
    train = replace(cfg.train, device=device, max_minutes=seconds / 60)
    if log_every:
        train = replace(train, log_every=log_every)
    return replace(cfg, train=replace(train, max_steps=0, epochs=1000))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.stall_probe")
    parser.add_argument(
        "--seconds", type=float, default=30.0, help="training time probed"
    )
    parser.add_argument("--preset", default="Quick demo", help="a preset's name")
    parser.add_argument("--device", default="auto")
    parser.add_argument(
        "--log-every",
        type=int,
        default=0,
        metavar="N",
        help="log every N training steps (default: as the preset does); 1 makes the "
        "curves grow by thousands of points in minutes, as a fast GPU's do",
    )
    view = parser.add_mutually_exclusive_group()
    view.add_argument(
        "--translate",
        action="store_true",
        help="show the Translate view instead and type a new sentence every 2 s, "
        "decoded with the live weights (beam tree, attention and plots redrawn)",
    )
    view.add_argument(
        "--tabs",
        action="store_true",
        help="switch to the next tab every 1.5 s instead (every page shown while "
        "training: first shows, re-shows, plots resumed)",
    )
    view.add_argument(
        "--resize",
        action="store_true",
        help="resize the window every 1.5 s instead, between 1300x850 and 1100x720 "
        "(the Train view's six plots laid out and drawn anew)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from engine.malloc import tune_malloc
    from s2s_gui import quirks

    if quirks.enabled("malloc"):
        tune_malloc()  # as the app does
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from s2s_gui.app import build_window
    from s2s_gui.lab_state import LIVE

    app = QApplication.instance() or QApplication([sys.argv[0]])
    settings = QSettings(
        os.path.join(tempfile.mkdtemp(), "probe.ini"), QSettings.IniFormat
    )
    with tempfile.TemporaryDirectory() as runs:
        controller, window = build_window(settings, runs)
        window.show()
        cfg = timed_config(args.preset, args.device, args.seconds, args.log_every)
        stalls: list[Stall] = []  # every gap between two ticks while training
        ends: list[float] = []  # when each gap ended (wall clock, ms)
        clocks = ClockReader()  # created here: it reads the GUI thread's clocks
        state: dict = {"last": None, "training": False, "start": None}

        def tick() -> None:
            now = clocks.read()
            if state["training"] and state["last"] is not None:
                stalls.append(split(state["last"], now))
                ends.append(now.wall)
            state["last"] = now

        full_gc_ms: list[float] = []  # full collections while training (the GIL held)
        gc_began = [0.0]

        def on_gc(phase: str, info: dict) -> None:
            if info["generation"] != 2 or not state["training"]:
                return
            if phase == "start":
                gc_began[0] = time.perf_counter()
            else:
                full_gc_ms.append(1000 * (time.perf_counter() - gc_began[0]))

        gc.callbacks.append(on_gc)

        sentences = ["a b c d e", "q r s t", "h e l l o w", "m n o p q r s", "x y z"]
        sizes = [(1300, 850), (1100, 720)]
        done = [0]  # how many times the chosen act ran

        def type_next() -> None:
            window.translate_view.source.setPlainText(
                sentences[done[0] % len(sentences)]
            )

        def switch_tab() -> None:
            window.tabs.setCurrentIndex(
                (window.tabs.currentIndex() + 1) % window.tabs.count()
            )

        def resize_window() -> None:
            window.resize(*sizes[(done[0] + 1) % 2])

        # the act a person repeats while the model trains: every how many ms, and what
        acts = {
            "translate": (2000, type_next),
            "tabs": (1500, switch_tab),
            "resize": (1500, resize_window),
        }
        view = next((v for v in acts if getattr(args, v)), "train")

        def act() -> None:
            acts[view][1]()
            done[0] += 1

        acting = QTimer(timeout=act)

        def on_started(event) -> None:  # the first step, after the data and model
            state["device"] = event.device
            state["first_step"] = clocks.read()
            if view == "translate":
                controller.lab.choose([LIVE])
                window.tabs.setCurrentWidget(window.translate_view)
            if view in acts:
                acting.start(acts[view][0])

        controller.train_started.connect(on_started)

        def on_finished(event) -> None:
            state["finished"] = event
            state["end"] = clocks.read()
            state["training"] = False  # a tick before the loop quits ends after the run
            app.quit()

        controller.training_finished.connect(on_finished)
        timer = QTimer(interval=5, timeout=tick)
        timer.start()
        window.tabs.setCurrentWidget(window.train_tab)  # the busiest view: live plots
        settle_until = time.perf_counter() + 10.0

        def start_when_settled() -> None:
            # as a person would: once the window is shown and its pages drawn ahead;
            # from here every stall counts, the run's data and model preparation too
            if window.page_warmer.pending() and time.perf_counter() < settle_until:
                return
            settle.stop()
            state["training"] = True
            state["start"] = clocks.read()
            controller.start_training(cfg)

        settle = QTimer(interval=100, timeout=start_when_settled)
        settle.start()
        app.exec()
        logged = len(controller.history.steps)
        timer.stop()
        acting.stop()
        gc.callbacks.remove(on_gc)
        controller.shutdown()
        window.close()
        clocks.close()
    result = _report(stalls, ends, state)
    result.update(
        {
            "gc_full_collections": len(full_gc_ms),
            "gc_full_max_ms": round(max(full_gc_ms, default=0.0), 1),
            "gui_probe_s": _seconds(state.get("start"), state.get("end")),
            "first_step_after_s": _seconds(state.get("start"), state.get("first_step")),
            "view": view,
            "sentences_typed": done[0] if view == "translate" else 0,
            "tab_switches": done[0] if view == "tabs" else 0,
            "resizes": done[0] if view == "resize" else 0,
            "logged_points": logged,
            "device": state.get("device", ""),
            # what S2S_QUIRKS_OFF and the version guards left out of this measurement
            "quirks_off": [name for name, on in quirks.summary().items() if not on],
        }
    )
    if args.json:
        print(json.dumps(result))
    else:
        doing = {
            "train": "Train view",
            "translate": f"Translate view, {done[0]} sentences typed",
            "tabs": f"{done[0]} tab switches",
            "resize": f"Train view, {done[0]} window resizes",
        }[view]
        print(_describe(result, doing))
    return 0


def _seconds(since: Clocks | None, until: Clocks | None) -> float | None:
    """Seconds between two clock readings, to 0.01 s (None if either is missing)."""
    if since is None or until is None:
        return None
    return round((until.wall - since.wall) / 1000, 2)


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _report(stalls: list[Stall], ends: list[float], state: dict) -> dict:
    """The JSON figures for the gaps seen while training (see the README's Speed)."""
    start, end = state.get("start"), state.get("end")
    since = start.wall if start else 0.0  # when the probe pressed Start
    ticks = len(stalls)
    if not stalls:  # training ended before the timer ticked twice
        stalls, ends = [Stall(0.0, 0.0, None, None, None)], [since]
    gaps = np.array([s.gap for s in stalls])
    worst = stalls[int(gaps.argmax())]
    # the longest stall during which the hypervisor took no CPU time from the machine
    # (its counter did not move): one the app and this machine's cores account for
    unstolen = [s.gap for s in stalls if s.steal == 0]
    steal_pct = None
    if start and end and start.steal is not None and end.wall > start.wall:
        cores = os.cpu_count() or 1
        steal_pct = round(
            100 * (end.steal - start.steal) / ((end.wall - start.wall) * cores), 1
        )
    finished = state.get("finished")
    return {
        "gui_stall_max_ms": round(float(gaps.max()), 1),
        # seconds after Start when the longest stall ended
        "gui_stall_at_s": round((ends[int(gaps.argmax())] - since) / 1000, 2),
        # the longest stall split: the GUI thread's own CPU time, waiting for a core,
        # blocked (the GIL, or the hypervisor); and CPU time the hypervisor took
        "gui_stall_cpu_ms": round(worst.cpu, 1),
        "gui_stall_runq_ms": _ms(worst.runq),
        "gui_stall_blocked_ms": _ms(worst.blocked),
        "gui_stall_steal_ms": _ms(worst.steal),
        "gui_stall_max_unstolen_ms": round(max(unstolen), 1) if unstolen else None,
        "gui_stall_p99_ms": round(float(np.percentile(gaps, 99)), 1),
        "gui_ticks": ticks,
        "host_steal_pct": steal_pct,
        "train_tokens_per_s": round(finished.train_tokens_per_s) if finished else None,
    }


def _describe(result: dict, doing: str) -> str:
    """One line for people: the longest stall, where its time went, the context."""
    parts = [f"{result['gui_stall_cpu_ms']:.0f} ms GUI work"]
    if result["gui_stall_runq_ms"] is not None:
        parts.append(f"{result['gui_stall_runq_ms']:.0f} ms waiting for a core")
        parts.append(
            f"{result['gui_stall_blocked_ms']:.0f} ms blocked (GIL or hypervisor)"
        )
    line = (
        f"GUI event loop while training ({result['gui_probe_s']} s from Start, first step "
        f"after {result['first_step_after_s']} s, 5 ms timer, {doing}): "
        f"longest stall {result['gui_stall_max_ms']:.0f} ms ({', '.join(parts)}"
    )
    if result["gui_stall_steal_ms"] is not None:
        line += f"; the hypervisor took {result['gui_stall_steal_ms']:.0f} ms of CPU meanwhile"
    line += f"), p99 {result['gui_stall_p99_ms']:.0f} ms (target: under 50 ms)"
    if result["host_steal_pct"] is not None:
        unstolen = result["gui_stall_max_unstolen_ms"]
        line += (
            f"; longest with no CPU stolen {unstolen:.0f} ms"
            if unstolen is not None
            else "; CPU was stolen during every gap"
        )
        line += f"; hypervisor steal {result['host_steal_pct']}% of CPU time"
    if result["train_tokens_per_s"] is not None:
        line += f"; training {result['train_tokens_per_s']:,} tokens/s (source+target)"
    return (
        line + f"; {result['gc_full_collections']} full garbage collections, longest "
        f"{result['gc_full_max_ms']:.0f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
