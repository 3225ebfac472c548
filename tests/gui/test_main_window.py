"""The real window: choose the reverse task, train, stop, close, survive a bad corpus."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from s2s_gui.state import RunState
from tests.gui.conftest import tiny_config


class GapProbe:
    """A 5 ms timer on the GUI thread; the largest gap between ticks is the worst stall."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.max_gap = 0.0
        self.timer = QTimer(interval=5, timeout=self._tick)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.max_gap = max(self.max_gap, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()


def test_reverse_task_trains_from_the_start_page(qtbot, window):
    window.show()
    ctl = window.controller
    builtins = window.start_page.builtins
    item = builtins.findItems("Task: reverse", Qt.MatchFlag.MatchExactly)[0]
    rect = builtins.visualItemRect(item)
    with qtbot.waitSignal(ctl.preview_ready, timeout=20_000):
        qtbot.mouseClick(
            builtins.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
        )
    assert window.data_view.model.rowCount() > 0
    table = window.data_view.table  # the index column fits the last row's number
    last = str(window.data_view.model.rowCount())
    assert table.columnWidth(0) > table.fontMetrics().horizontalAdvance(last)
    assert window.config_panel.current_config().data.train == "builtin:task/reverse"
    window.config_panel.set_config(tiny_config(max_steps=30))
    probe = GapProbe()
    ctl.train_started.connect(lambda _: probe.start())
    with qtbot.waitSignal(ctl.training_finished, timeout=30_000):
        qtbot.mouseClick(window.start_page.start, Qt.MouseButton.LeftButton)
    probe.timer.stop()
    print(f"\nmax GUI event-loop gap while training: {1000 * probe.max_gap:.1f} ms")
    assert probe.max_gap < 0.25  # the target is 50 ms; the shared test machine is noisy
    assert window.tabs.currentWidget() is window.train_tab
    window.plots._refresh()
    loss = window.plots.plot("Loss")
    assert (
        len(loss.curves["loss"].xData) == 15 and len(loss.curves["dev_loss"].xData) == 3
    )
    assert window.probes.model.rowCount() > 0
    assert "finished" in window.training_panel.progress_bar.format()
    assert window.training_panel.start.isEnabled()
    assert window.device_label.text().startswith("CPU")


def test_stop_button_stops_within_a_second(qtbot, window):
    ctl = window.controller
    window.config_panel.set_config(tiny_config(max_steps=100_000, log_every=1))
    with qtbot.waitSignal(ctl.step, timeout=30_000):
        window.training_panel.start.click()
    assert (
        window.training_panel.stop.isEnabled()
        and not window.training_panel.start.isEnabled()
    )
    t0 = time.perf_counter()
    with qtbot.waitSignal(ctl.training_finished, timeout=1_000):
        window.training_panel.stop.click()
    assert time.perf_counter() - t0 < 1.0
    assert "stopped" in window.training_panel.progress_bar.format()


def test_close_during_training_stops_and_joins(qtbot, window):
    ctl = window.controller
    asked = []
    window.confirm_close = lambda: asked.append(True) or True
    window.config_panel.set_config(tiny_config(max_steps=100_000, log_every=1))
    with qtbot.waitSignal(ctl.step, timeout=30_000):
        window.training_panel.start.click()
    t0 = time.perf_counter()
    assert window.close()
    assert asked == [True]
    assert time.perf_counter() - t0 < 5.0
    assert ctl._train is None or not ctl._train[0].running


def test_closing_can_be_cancelled(qtbot, window):
    ctl = window.controller
    window.confirm_close = lambda: False
    window.config_panel.set_config(tiny_config(max_steps=100_000, log_every=1))
    with qtbot.waitSignal(ctl.step, timeout=30_000):
        window.training_panel.start.click()
    assert not window.close()
    assert ctl.state.busy
    with qtbot.waitSignal(ctl.training_finished, timeout=2_000):
        ctl.stop_training()


def test_bad_corpus_file_shows_an_error_and_the_app_survives(qtbot, window, tmp_path):
    ctl = window.controller
    bad = tmp_path / "broken.tsv"
    bad.write_bytes(b"\xff\xfe not text \x00\x01\n")
    cfg = tiny_config()
    window.config_panel.set_config(cfg)
    with qtbot.waitSignal(ctl.preview_failed, timeout=10_000):
        window.start_page.choose_corpus(str(bad))
    assert not window.data_view.error.isHidden()
    assert "broken.tsv" in window.data_view.error.text()
    with qtbot.waitSignal(ctl.training_failed, timeout=10_000):
        window.training_panel.start.click()
    assert ctl.state is RunState.FAILED
    assert "broken.tsv" in window.training_panel.error.text()
    assert window.findChild(object, "trainingFailedBox") is not None
    window.config_panel.set_config(tiny_config(max_steps=4))  # still works afterwards
    with qtbot.waitSignal(ctl.training_finished, timeout=30_000):
        window.training_panel.start.click()
    assert window.training_panel.error.isHidden()


def test_invalid_config_blocks_start_with_a_message(qtbot, window):
    window.config_panel.editor("train.batch_size").setValue(0)
    window.training_panel.start.click()
    assert window.controller.state is RunState.IDLE
    assert "Configure" in window.training_panel.error.text()
    assert "at least 1" in window.config_panel.error_text("train.batch_size")


def test_engine_warnings_show_in_the_training_view(qtbot, window):
    """A TrainWarning (NaN step skipped, OOM split, disk full) is visible, not just logged."""
    win = window
    controller = win.controller
    panel = win.training_panel
    assert panel.warning.isHidden()
    controller.warning.emit(
        "cannot write the checkpoint (disk full); retrying every 10 s"
    )
    assert not panel.warning.isHidden()
    assert "disk full" in panel.warning.text()


def test_cycles_are_collected_on_the_gui_thread_not_where_they_were_dropped(window):
    # a worker thread that collected them ran Qt objects' destructors there, and
    # deadlocked with the GUI thread (see s2s_gui.collector)
    freed_on: list[threading.Thread] = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            freed_on.append(threading.current_thread())

    kept: list[list] = []

    def work() -> None:
        Cycle()  # unreachable at once; only a collection frees it
        kept.extend([] for _ in range(50_000))  # far past the threshold for one

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert freed_on == []  # not by the worker...
    deadline = time.monotonic() + 3
    while not freed_on and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    assert freed_on == [threading.main_thread()]  # ...but by the GUI thread's timer
