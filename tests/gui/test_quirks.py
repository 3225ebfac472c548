"""Each quirk can be switched off (``S2S_QUIRKS_OFF``) or falls outside its versions,
and the app then runs the plain Qt/pyqtgraph path and still works."""

from __future__ import annotations

import gc

import numpy as np
import pyqtgraph as pg
import PySide6
import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsView

from s2s_gui import quirks
from s2s_gui.quirks.collector import GuiThreadCollector, install_collector
from s2s_gui.widgets.attention_view import AttentionView
from s2s_gui.widgets.plots_view import PlotsView
from s2s_gui.widgets.token_logprob_plot import TokenLogprobPlot
from tests.gui.test_plot_paint import drawn_labels
from tests.gui.test_plots import FakeController, fill

PLOT_QUIRKS = ("axis_paint", "axis_cache", "keep_cache", "one_clip", "range_now")


@pytest.fixture
def switch_off(monkeypatch):
    def off(*names: str) -> None:
        monkeypatch.setenv(quirks.ENV, ",".join(names))

    return off


def test_the_installed_qt_and_pyqtgraph_are_ones_the_quirks_were_written_for():
    # a newer release turns its quirks off: measure them again with the stall probe
    # (S2S_QUIRKS_OFF) and widen the range of those that still earn their place
    left_out = [name for name in quirks.QUIRKS if not quirks.in_range(name)]
    assert left_out == [], f"{pg.__version__=} {PySide6.__version__=}"


def test_the_switch_names_quirks_all_of_them_or_fails_loudly(switch_off):
    assert quirks.switched_off() == frozenset()
    switch_off("page_warm", " axis_cache ")
    assert quirks.switched_off() == {"page_warm", "axis_cache"}
    assert not quirks.enabled("page_warm") and quirks.enabled("reveal")
    switch_off("all")
    assert not any(quirks.summary().values())
    switch_off("axis_cahce")  # a typo must not measure the app with the quirk on
    with pytest.raises(ValueError, match="axis_cahce"):
        quirks.enabled("axis_cache")


def test_a_quirk_is_off_outside_the_versions_it_was_written_for(
    monkeypatch, switch_off
):
    assert quirks.version_tuple("6.11.3") == (6, 11, 3)
    assert quirks.version_tuple("0.14.0.dev0") == (0, 14, 0)
    monkeypatch.setattr(pg, "__version__", "0.15.0")
    assert not quirks.enabled("axis_paint") and not quirks.enabled("range_now")
    assert quirks.enabled("page_warm")  # leans on Qt, not on pyqtgraph
    assert quirks.enabled("gui_gc")  # no library guard
    monkeypatch.setattr(pg, "__version__", "0.13.6")
    assert not quirks.enabled("axis_paint")
    monkeypatch.setattr(pg, "__version__", "0.13.7")
    assert quirks.enabled("axis_paint")
    monkeypatch.setattr(PySide6, "__version__", "6.12.0")
    assert not quirks.enabled("page_warm") and not quirks.enabled("keep_cache")
    assert quirks.enabled("axis_paint")


def applied(plot: TokenLogprobPlot) -> dict[str, bool]:
    """Which plot quirks a built plot carries."""
    left = plot.getAxis("left")
    mode = QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate
    return {
        "axis_paint": left.fills_lines,
        "axis_cache": left.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache,
        "keep_cache": hasattr(plot, "axis_cache_keeper"),
        "one_clip": plot.viewportUpdateMode() == mode,
        "grid_levels": left.style["maxTickLevel"] == 1,
    }


def logprob_plot(qtbot) -> TokenLogprobPlot:
    plot = TokenLogprobPlot()
    qtbot.addWidget(plot)
    plot.resize(420, 260)
    plot.show()
    qtbot.waitExposed(plot)
    plot.show_logprobs(-np.linspace(0.1, 3.0, 9), [f"▁w{i}" for i in range(9)])
    qtbot.wait(50)
    return plot


def test_plots_carry_every_plot_quirk_unless_switched_off(qtbot, switch_off):
    assert all(applied(logprob_plot(qtbot)).values())
    switch_off("all")
    assert not any(applied(logprob_plot(qtbot)).values())


def shown_data(plot: TokenLogprobPlot) -> tuple:
    """What a plot shows: its ranges, its bars' heights and its axes' labels."""
    labels = [drawn_labels(plot.getAxis(side)) for side in ("left", "bottom")]
    heights = np.asarray(plot.hyp.opts["height"]).tolist()
    return plot.getPlotItem().viewRange(), heights, labels


@pytest.mark.parametrize("name", [*PLOT_QUIRKS, "grid_levels"])
def test_a_plot_shows_the_same_data_with_a_quirk_off(qtbot, switch_off, name):
    on = logprob_plot(qtbot)
    shown, data = on.grab().toImage(), shown_data(on)
    switch_off(name)
    plain = logprob_plot(qtbot)
    if name in applied(plain):
        assert not applied(plain)[name]
    assert shown_data(plain) == data
    if name not in ("axis_cache", "grid_levels"):
        # pixel for pixel; a cached axis places a grid line at a part pixel one row
        # off pyqtgraph's replay, and the finest grid level adds faint lines
        assert plain.grab().toImage() == shown


def test_out_of_range_pyqtgraph_builds_plain_plots(qtbot, monkeypatch, switch_off):
    monkeypatch.setattr(pg, "__version__", "0.15.1")
    plot = logprob_plot(qtbot)
    carried = applied(plot)
    assert carried.pop("keep_cache")  # a Qt quirk: Qt's version is in range
    assert not any(carried.values())
    view = AttentionView()  # with a colour bar nested in it
    qtbot.addWidget(view)
    view.show_attention(np.eye(4), list("abcd"), list("wxyz"))
    assert view.getAxis("left").cacheMode() == QGraphicsItem.CacheMode.NoCache


def test_with_reveal_off_a_resize_draws_every_plot_at_once(qtbot, switch_off):
    switch_off("reveal")
    ctl = FakeController()
    view = PlotsView(ctl)
    qtbot.addWidget(view)
    fill(ctl.history, 40)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    view.resize(820, 560)
    QApplication.processEvents()
    assert all(p.isVisible() for p in view.plots)
    assert view.grid.reveal.pending() == []


def test_the_app_owns_one_collector_unless_switched_off(qtbot, switch_off):
    enabled = gc.isenabled()
    app = QObject()  # stands for the QApplication: the collector's owner
    try:
        made = install_collector(app)
        assert isinstance(made, GuiThreadCollector) and made.parent() is app
        assert install_collector(app) is made  # one per app, no module global
        assert not gc.isenabled()
        gc.enable()
        other = QObject()
        switch_off("gui_gc")
        assert install_collector(other) is None
        assert other.findChild(GuiThreadCollector) is None and gc.isenabled()
    finally:
        app.deleteLater()
        (gc.enable if enabled else gc.disable)()


def test_with_gc_freeze_off_a_run_leaves_the_heap_to_the_collector(
    monkeypatch, tmp_path, switch_off
):
    import engine.training
    from s2s_gui.gateway.training import TrainingRun
    from tests.gui.conftest import tiny_config

    frozen: list[int] = []

    class NoSteps:
        def __init__(self, *args, **kwargs):
            frozen.append(gc.get_freeze_count())

        def steps(self, should_stop):
            return iter(())

    monkeypatch.setattr(engine.training, "Trainer", NoSteps)
    switch_off("gc_freeze")
    run = TrainingRun(tiny_config(), tmp_path, resume=False, probes=[])
    assert list(run.events(lambda: False)) == []
    assert frozen == [0]


def test_with_malloc_off_the_c_library_keeps_its_defaults(monkeypatch, switch_off):
    import engine.malloc
    from s2s_gui.gateway.training import tune_malloc

    calls: list[int] = []
    monkeypatch.setattr(engine.malloc, "tune_malloc", lambda: calls.append(1))
    tune_malloc()
    assert calls == [1]
    switch_off("malloc")
    tune_malloc()
    assert calls == [1]


def test_with_result_stagger_off_a_result_is_drawn_at_once(
    qtbot, controller, trained_run, switch_off
):
    from s2s_gui.widgets.translate_view import TranslateView

    switch_off("result_stagger")
    controller.lab.choose([trained_run])
    view = TranslateView(controller.lab)
    qtbot.addWidget(view)
    with qtbot.waitSignal(controller.lab.translated, timeout=20_000) as blocker:
        view.source.setPlainText("a b c")
    hyp = blocker.args[0].translations[0].hypotheses[0]
    assert not view.drawing()  # in the result's own pass
    assert view.attention.shape == hyp.attention.shape


@pytest.mark.parametrize("name", [*quirks.QUIRKS, "all"])
def test_the_window_opens_and_shows_every_tab_with_a_quirk_off(
    qtbot, tmp_path, settings, switch_off, name
):
    from s2s_gui.app import build_window

    switch_off(name)
    controller, window = build_window(settings, str(tmp_path / "runs"))
    qtbot.addWidget(window)
    window.confirm_close = lambda: True
    try:
        window.resize(1200, 800)
        window.show()
        qtbot.waitExposed(window)
        tabs = window.tabs
        for i in [*range(tabs.count()), 0]:
            tabs.setCurrentIndex(i)
            qtbot.wait(30)
            page = tabs.widget(i)
            assert page.isVisible() and page.width() > 100 and page.height() > 100
        window.resize(1100, 760)
        qtbot.wait(100)
        if name in ("page_warm", "all"):
            assert not window.page_warmer.active and window.page_warmer.pending() == []
    finally:
        controller.shutdown(timeout_ms=10_000)
        window.log_view.detach()
