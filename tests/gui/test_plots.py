"""Plots are created once and refreshed from the history by the timer's _refresh()."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from engine.events import EvalResult, TrainStep
from s2s_gui.state import MetricHistory
from s2s_gui.widgets.plots_view import PlotsView


class FakeController(QObject):
    overlays_changed = Signal()
    run_opened = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.history = MetricHistory()
        self.overlays: dict[str, MetricHistory] = {}


def fill(history: MetricHistory, n: int) -> None:
    for i in range(1, n + 1):
        history.append_step(
            TrainStep(i / 50, i, 5 / i, np.exp(5 / i), 1e-3, 1.0, 1e3, 5e2, i, 9)
        )
        if i % 10 == 0:
            history.append_eval(EvalResult(i, i / 50, 4 / i, np.exp(4 / i), i / 2, i))


def test_plots_hold_the_logged_points_after_refresh(qtbot, tmp_path):
    ctl = FakeController()
    view = PlotsView(ctl)
    qtbot.addWidget(view)
    fill(ctl.history, 40)
    loss = view.plot("Loss")
    items_before = len(loss.plotItem.items)
    view._refresh()
    assert not ctl.history.dirty
    assert len(loss.plotItem.items) == items_before  # nothing created on refresh
    train, dev = loss.curves["loss"], loss.curves["dev_loss"]
    assert len(train.xData) == 40 and len(dev.xData) == 4
    assert np.array_equal(loss.raw["loss"].yData, ctl.history.step_curve("loss")[1])
    assert view.plot("Dev BLEU / chrF").point_count() == 8
    assert "step 20" in loss.readout(20.4)
    view.log_y.setChecked(True)
    assert loss.plotItem.ctrl.logYCheck.isChecked()
    view.plot("Loss").export(str(tmp_path / "loss.png"))
    view.plot("Loss").export(str(tmp_path / "loss.svg"))
    assert (tmp_path / "loss.png").stat().st_size > 0
    assert "<svg" in (tmp_path / "loss.svg").read_text()


def test_overlays_add_and_remove_curves(qtbot):
    ctl = FakeController()
    view = PlotsView(ctl)
    qtbot.addWidget(view)
    other = MetricHistory(label="reversed")
    fill(other, 20)
    ctl.overlays["/runs/b"] = other
    ctl.overlays_changed.emit()
    view._refresh()
    loss = view.plot("Loss")
    assert len(loss._overlays["/runs/b"]) == 2
    assert len(loss._overlays["/runs/b"][0].xData) == 20
    del ctl.overlays["/runs/b"]
    ctl.overlays_changed.emit()
    view._refresh()
    assert loss._overlays == {}


def test_y_frame_holds_until_data_leaves_it(qtbot):
    ctl = FakeController()
    view = PlotsView(ctl)
    qtbot.addWidget(view)
    loss = view.plot("Loss")
    fill(ctl.history, 40)  # loss 5/i: from 5 down to 0.125
    view._refresh()
    low, high = loss.plotItem.vb.viewRange()[1]
    assert low < 0.125 and high > 5.0  # every drawn value is inside, with a margin
    for i in range(41, 44):  # 5/i stays inside the margin: the frame (and axis) stay
        ctl.history.append_step(
            TrainStep(i / 50, i, 5 / i, 1.0, 1e-3, 1.0, 1e3, 5e2, i, 9)
        )
    view._refresh()
    assert loss.plotItem.vb.viewRange()[1] == [low, high]
    ctl.history.append_step(TrainStep(1.0, 50, 9.0, 1.0, 1e-3, 1.0, 1e3, 5e2, 50, 9))
    view._refresh()  # a value above the frame moves it
    assert loss.plotItem.vb.viewRange()[1][1] > 9.0
    lr = view.plot("Learning rate")  # a constant curve is framed around its value
    lr_low, lr_high = lr.plotItem.vb.viewRange()[1]
    assert lr_low <= 0.0 and 1e-3 < lr_high < 3e-3


def test_hidden_plots_wait_and_catch_up_one_per_tick_when_shown(qtbot):
    ctl = FakeController()
    view = PlotsView(ctl)
    qtbot.addWidget(view)
    fill(ctl.history, 40)
    qtbot.wait(120)  # hidden (another tab): no refresh, so nothing to repaint on show
    assert not view._timer.isActive()
    assert not [p for p in view.plots if p.point_count()]
    view.show()
    qtbot.waitExposed(view)
    assert view._timer.isActive()
    view._timer.stop()  # tick by hand from here
    assert len([p for p in view.plots if p.point_count()]) <= 1
    view._tick()
    assert 1 <= len([p for p in view.plots if p.point_count()]) <= 2
    for _ in range(len(view.plots)):
        view._tick()
    assert all(p.point_count() for p in view.plots)
    view.hide()
    assert not view._timer.isActive()
