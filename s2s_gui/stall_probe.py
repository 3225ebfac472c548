"""`python -m s2s_gui.stall_probe`: the GUI event loop's longest stall while training.

A 5 ms timer runs on the GUI thread of the real main window while the controller trains
a model in its worker thread; the largest gap between two ticks is the worst stall a
person could feel. Part of `make bench` (figures, not a test).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time

import numpy as np


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m s2s_gui.stall_probe")
    parser.add_argument(
        "--seconds", type=float, default=30.0, help="training time probed"
    )
    parser.add_argument("--preset", default="Quick demo", help="a preset's name")
    parser.add_argument("--device", default="auto")
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
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from engine.config import replace
    from s2s_gui.app import build_window
    from s2s_gui.lab_state import LIVE
    from s2s_gui.presets import apply_preset, load_presets

    app = QApplication.instance() or QApplication([sys.argv[0]])
    settings = QSettings(
        os.path.join(tempfile.mkdtemp(), "probe.ini"), QSettings.IniFormat
    )
    with tempfile.TemporaryDirectory() as runs:
        controller, window = build_window(settings, runs)
        window.show()
        preset = next(p for p in load_presets() if p.name == args.preset)
        cfg = apply_preset(preset, None)
        train = replace(cfg.train, device=args.device, max_minutes=args.seconds / 60)
        cfg = replace(cfg, train=replace(train, max_steps=0, epochs=1000))
        gaps: list[float] = []
        ends: list[int] = []  # when each gap ended, ms on ``clock``
        # GUI-thread CPU time spent in each gap: a stall mostly of CPU is the GUI's own
        # work; one with little is waiting (for the GIL, or for a core)
        cpu: list[float] = []
        clock = QElapsedTimer()
        state = {"last": None, "training": False, "since": 0, "cpu": 0.0}

        def tick() -> None:
            now, used = clock.elapsed(), time.thread_time()
            if state["training"] and state["last"] is not None:
                gaps.append(now - state["last"])
                ends.append(now)
                cpu.append(1000 * (used - state["cpu"]))
            state["last"], state["cpu"] = now, used

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
        typing = QTimer(interval=2000)
        typed = [0]

        def type_next() -> None:
            view = window.translate_view
            view.source.setPlainText(sentences[typed[0] % len(sentences)])
            typed[0] += 1

        typing.timeout.connect(type_next)
        switching = QTimer(interval=1500)
        switched = [0]

        def switch_tab() -> None:
            window.tabs.setCurrentIndex(
                (window.tabs.currentIndex() + 1) % window.tabs.count()
            )
            switched[0] += 1

        switching.timeout.connect(switch_tab)

        def on_started(event) -> None:
            state["training"] = True
            state["since"] = clock.elapsed()
            state["device"] = event.device
            if args.translate:
                controller.lab.choose([LIVE])
                window.tabs.setCurrentWidget(window.translate_view)
                typing.start()
            if args.tabs:
                switching.start()

        controller.train_started.connect(on_started)
        controller.training_finished.connect(lambda _ev: app.quit())
        timer = QTimer(interval=5, timeout=tick)
        clock.start()
        timer.start()
        window.tabs.setCurrentWidget(window.train_tab)  # the busiest view: live plots
        begin = time.perf_counter()
        controller.start_training(cfg)
        app.exec()
        timer.stop()
        typing.stop()
        switching.stop()
        gc.callbacks.remove(on_gc)
        controller.shutdown()
        window.close()
    gaps_ms = np.array(gaps or [0.0])
    worst = int(gaps_ms.argmax())
    result = {
        "gui_stall_max_ms": float(gaps_ms.max()),
        # seconds into training when the longest stall ended
        "gui_stall_at_s": round((ends[worst] - state["since"]) / 1000, 2) if gaps else 0.0,
        # GUI-thread CPU time within the longest stall (the rest was waiting)
        "gui_stall_cpu_ms": round(cpu[worst], 1) if gaps else 0.0,
        "gui_stall_p99_ms": float(np.percentile(gaps_ms, 99)),
        "gui_ticks": len(gaps),
        "gc_full_collections": len(full_gc_ms),
        "gc_full_max_ms": round(max(full_gc_ms, default=0.0), 1),
        "gui_probe_s": round(time.perf_counter() - begin, 1),
        "view": "translate" if args.translate else "tabs" if args.tabs else "train",
        "sentences_typed": typed[0],
        "tab_switches": switched[0],
        "device": state.get("device", ""),
    }
    if args.json:
        print(json.dumps(result))
    else:
        doing = {
            "train": "Train view",
            "translate": f"Translate view, {typed[0]} sentences typed",
            "tabs": f"{switched[0]} tab switches",
        }[result["view"]]
        print(
            f"GUI event loop while training ({result['gui_probe_s']} s, 5 ms timer, "
            f"{doing}): "
            f"longest stall {result['gui_stall_max_ms']:.0f} ms "
            f"({result['gui_stall_cpu_ms']:.0f} ms of it GUI work), "
            f"p99 {result['gui_stall_p99_ms']:.0f} ms (target: under 50 ms); "
            f"{result['gc_full_collections']} full garbage collections, longest "
            f"{result['gc_full_max_ms']:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
