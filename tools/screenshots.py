"""Regenerate docs/screenshots/*.png: every view of the app at 1366x768.

Two tiny reverse-task runs are trained in a temporary folder (seconds each on a CPU),
then each view is filled the way a person would fill it and grabbed. Nothing outside
the temporary folder is read or written, except the PNGs (and no ../shared data).

    make screenshots                      # under Xvfb when present, offscreen otherwise
    python -m tools.screenshots --out docs/screenshots --size 1280x720
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from engine.config import Config, DataConfig, DecodeConfig, ModelConfig, TrainConfig

logger = logging.getLogger("screenshots")

# 25 "words" of the reverse task: the Translate view's long-sentence case.
LONG_SENTENCE = " ".join("thequickbrownfoxjumpsovrl"[:25])
STATES_SENTENCES = """# short
a b c
d e f
g h i
# long
a b c d e f g h
h g f e d c b a
q r s t u v w x y z
"""


def run_config(cell: str, steps: int, seed: int) -> Config:
    """A reverse task that learns in seconds, with attention for the heatmap."""
    return Config(
        data=DataConfig(
            train="builtin:task/reverse",
            task_size=2000,
            dev_size=60,
            vocab_size=40,
            task_min_len=3,
            task_max_len=25,
        ),
        model=ModelConfig(
            cell=cell, layers=1, emb=32, hidden=64, dropout=0.0, attention="dot"
        ),
        train=TrainConfig(
            max_steps=steps,
            batch_size=32,
            optimizer="adam",
            lr=0.01,
            lr_schedule="none",
            log_every=10,
            eval_every=100,
            bleu_sentences=30,
            device="cpu",
            patience=0,
            seed=seed,
        ),
        decode=DecodeConfig(),
    )


def wait(signal: Any, timeout_s: float, what: str) -> Any:
    """Run the event loop until ``signal`` fires; its first argument, if any."""
    loop = QEventLoop()
    got: list[Any] = []

    def done(*args: Any) -> None:
        got.append(args[0] if args else None)
        loop.quit()

    signal.connect(done)
    timer = QTimer(singleShot=True, interval=int(timeout_s * 1000))
    timer.timeout.connect(loop.quit)
    timer.start()
    loop.exec()
    signal.disconnect(done)
    if not got:
        raise TimeoutError(f"no {what} within {timeout_s:.0f} s")
    return got[0]


def settle(ms: int = 700) -> None:
    """Let staggered drawing, reveal timers and the page warmer finish."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


class Shooter:
    """Grabs the whole window, one tab at a time, into ``out``."""

    def __init__(self, window: Any, out: Path) -> None:
        self.window = window
        self.out = out
        self.files: list[Path] = []

    def tab(
        self, name: str, page: Any, prepare: Callable[[], None] | None = None
    ) -> None:
        """Show ``page``, fill it with ``prepare``, and save the window as NAME.png."""
        self.window.tabs.setCurrentWidget(page)
        if prepare is not None:
            prepare()
        settle()
        path = self.out / f"{name}.png"
        self.window.grab().save(str(path))
        self.files.append(path)
        logger.info("wrote %s", path)


def train(window: Any, cfg: Config, folder: Path) -> str:
    window.config_panel.set_config(cfg)
    window.training_panel.folder.setText(str(folder))
    window.tabs.setCurrentWidget(window.train_tab)
    window.training_panel.start.click()
    wait(window.controller.training_finished, 600, "end of training")
    return str(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--steps", type=int, default=400)
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Seq2Seq Lab screenshots")
    from s2s_gui.app import build_window, load_style
    from s2s_gui.fonts import register_fonts

    load_style(app)
    register_fonts()
    with tempfile.TemporaryDirectory(prefix="s2s-shots-") as tmp:
        root = Path(tmp)
        settings = QSettings(str(root / "settings.ini"), QSettings.Format.IniFormat)
        controller, window = build_window(settings, str(root / "runs"))
        window.confirm_close = lambda: True
        window.resize(width, height)
        window.show()
        shots = Shooter(window, out)
        try:
            shoot(window, shots, root, args.steps)
        finally:
            window.close()
            controller.shutdown()
    print("\n".join(str(p) for p in shots.files))
    return 0


def shoot(window: Any, shots: Shooter, root: Path, steps: int) -> None:
    ctl, lab = window.controller, window.controller.lab
    shots.tab("start", window.start_page)

    def choose_corpus() -> None:
        window.config_panel.set_config(run_config("gru", steps, 1))
        window.start_page.choose_corpus("builtin:task/reverse")
        wait(ctl.preview_ready, 120, "corpus preview")

    shots.tab("data", window.data_view, choose_corpus)
    first = train(window, run_config("gru", steps, 1), root / "runs" / "gru-reverse")
    shots.tab("configure", window.config_panel.parentWidget())
    shots.tab("training", window.train_tab)
    # a second run, shown with the first one overlaid
    train(window, run_config("lstm", steps // 2, 2), root / "runs" / "lstm-reverse")

    def overlay() -> None:
        ctl.set_overlay(first, True)
        wait(ctl.overlays_changed, 30, "overlay")

    shots.tab("training-overlay", window.train_tab, overlay)

    def runs() -> None:
        ctl.refresh_runs()
        wait(ctl.runs_changed, 30, "run list")

    shots.tab("runs", window.runs_panel, runs)
    lab.choose([first])

    def translate() -> None:
        window.translate_view.source.setPlainText(LONG_SENTENCE)
        wait(lab.translated, 60, "translation")

    shots.tab("translate", window.translate_view, translate)

    def states() -> None:
        view = window.states_view
        view.paths.setChecked(True)
        view.sentences.setPlainText(STATES_SENTENCES)
        view.update_plot()
        wait(lab.states_ready, 60, "hidden states")

    shots.tab("states", window.states_view, states)

    def evaluate() -> None:
        window.evaluate_view.start.click()
        wait(lab.eval_finished, 120, "evaluation")

    shots.tab("evaluate", window.evaluate_view, evaluate)


if __name__ == "__main__":
    sys.exit(main())
