"""Regenerate docs/screenshots/*.png: every view of the app at 1366x768.

Two tiny reverse-task runs are trained in a temporary folder (seconds each on a CPU),
then each view is filled the way a person would fill it and grabbed. A small shapes
captioner follows (about two minutes on a CPU) for the image views: Data with
thumbnails, Caption and Hidden states. Nothing outside the temporary folder is read or
written, except the PNGs (and no ../shared data).

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

from engine.config import (
    Config,
    DataConfig,
    DecodeConfig,
    ModelConfig,
    TrainConfig,
    load_config,
)
from engine.shapes import (
    COLOURS,
    parse_shapes_ref,
    scene_captions,
    shapes_scene,
    word_boxes,
)

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


SHAPES_CONFIG = (
    Path(__file__).resolve().parents[1] / "resources/configs/shapes-caption.toml"
)


def caption_config(steps: int) -> Config:
    """resources/configs/shapes-caption.toml cut down to about two minutes on two CPU
    threads: one-shape captions come out right, and the right caption of a two-shape
    picture wins for only some of them, so pick_picture looks for one."""
    return load_config(SHAPES_CONFIG).with_overrides(
        [
            "data.task_size=4000",
            f"train.max_steps={steps}",
            "train.max_minutes=4.0",  # a cap on a busy machine, not the usual stop
            f"train.eval_every={max(steps // 2, 1)}",
            "train.bleu_sentences=100",
            "train.threads=2",
            "train.device=cpu",
            "train.seed=3",
        ]
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


class Catch:
    """Records a signal from before the action that fires it, so that none is missed."""

    def __init__(self, signal: Any) -> None:
        self.signal = signal
        self.got: list[Any] = []
        signal.connect(self._record)

    def _record(self, *args: Any) -> None:
        self.got.append(args[0] if args else None)

    def until(self, pred: Callable[[Any], bool], timeout_s: float, what: str) -> Any:
        """Run the event loop until a recorded value satisfies ``pred``; that value."""
        timer = QTimer(singleShot=True, interval=int(timeout_s * 1000))
        timer.start()
        try:
            while timer.isActive():
                for value in self.got:
                    if pred(value):
                        return value
                self.got.clear()
                settle(50)
            raise TimeoutError(f"no {what} within {timeout_s:.0f} s")
        finally:
            self.got.clear()

    def close(self) -> None:
        self.signal.disconnect(self._record)


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
    parser.add_argument(
        "--caption-steps", type=int, default=800, help="steps of the shapes captioner"
    )
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
            shoot_images(window, shots, root, args.caption_steps)
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


def scene_of(ref: str) -> Any:
    parsed = parse_shapes_ref(ref)
    return None if parsed is None else shapes_scene(*parsed)


def shoot_images(window: Any, shots: Shooter, root: Path, steps: int) -> None:
    """Data of the shapes corpus, then a shapes captioner's Caption and states views."""
    ctl, lab = window.controller, window.controller.lab
    cfg = caption_config(steps)

    def choose_corpus() -> None:
        window.config_panel.set_config(cfg)
        thumbnails = Catch(lab.images.thumbnails_ready)
        window.start_page.choose_corpus("builtin:images/shapes")
        wait(ctl.preview_ready, 120, "corpus preview")
        thumbnails.until(lambda _: True, 60, "thumbnails")
        thumbnails.close()
        settle(1500)  # the rows below ask for their thumbnails as they are painted

    shots.tab("data-images", window.data_view, choose_corpus)
    run = train(window, cfg, root / "runs" / "shapes")
    view = window.caption_view

    def caption() -> None:
        captioned = Catch(lab.images.captioned)
        lab.choose([run])  # the Caption tab replaces Translate; its strip fills
        captioned.until(lambda _: True, 120, "first caption")
        pick_picture(view, captioned)
        captioned.close()
        settle(1500)  # the beam tree labels its nodes a few at a time

    shots.tab("caption", view, caption)

    def states() -> None:
        states = window.states_view
        states.image_count.setValue(200)
        states.colour_by.setCurrentIndex(states.colour_by.findData("colour"))
        ready = Catch(lab.states_ready)
        states.load_images()
        ready.until(lambda r: len(r.sentences) >= 100, 120, "image states")
        ready.close()
        thumbs = Catch(lab.images.thumbnails_ready)
        states.thumbs.setChecked(True)
        thumbs.until(lambda _: True, 60, "state thumbnails")
        thumbs.close()

    shots.tab("states-images", window.states_view, states)


def pick_picture(view: Any, captioned: Catch) -> None:
    """Show a strip picture of two or three shapes, captioned right (and short enough
    for one line when one is), stepped to a colour word that names one shape, so that
    the overlay sits on that shape."""
    from s2s_gui.widgets.caption_view import ROLE_REF

    strip = view.strip
    best: tuple[tuple[bool, bool], int, int] | None = None
    for row in range(strip.count()):
        ref = strip.item(row).data(ROLE_REF)
        scene = scene_of(ref)
        if scene is None or not 2 <= len(scene.shapes) <= 3:
            continue
        show(view, captioned, row)
        text = view.hypothesis().text
        boxes = word_boxes(scene, text)
        named = [i for i, w in enumerate(text.split()) if w in COLOURS and boxes[i]]
        if not named:
            continue
        rank = (text in scene_captions(scene), len(text.split()) <= 11)
        logger.info("%s: %s%s", ref, text, "" if rank[0] else " (wrong)")
        if best is None or rank > best[0]:
            best = (rank, row, named[0])
        if all(rank):
            break
    if best is None:
        raise RuntimeError("no strip picture of 2-3 shapes got a usable caption")
    _, row, word = best
    show(view, captioned, row)
    view.step_word(word - view.slider.value())
    logger.info("shown: %s, word %d", view.hypothesis().text, word)


def show(view: Any, captioned: Catch, row: int) -> None:
    """Click strip picture ``row`` and wait for its caption."""
    from s2s_gui.widgets.caption_view import ROLE_REF

    ref = view.strip.item(row).data(ROLE_REF)
    if view.ref == ref and view.translation is not None:
        return
    view.strip.setCurrentRow(row)
    captioned.until(
        lambda v: v.result.translations[0].source == ref, 60, f"caption of {ref}"
    )


if __name__ == "__main__":
    sys.exit(main())
