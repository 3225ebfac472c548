"""Plots repaint only what changed: cached axes, no repaint loops, no double layouts.

These guard the GUI thread's time while a model trains (see ``tools.stall_probe``):
each failure mode below once cost 10-60 ms of a paint.
"""

from __future__ import annotations

import random
import time
from collections import Counter

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QApplication, QLabel, QTabWidget, QWidget

from engine.events import BeamStep, TrainStep
from s2s_gui.quirks.plot_cache import CheapAxis, cheap_axes, cheap_repaints, draw_lines
from s2s_gui.state import MetricHistory
from s2s_gui.widgets.attention_view import AttentionView
from s2s_gui.widgets.beam_tree_view import BeamTreeView
from s2s_gui.widgets.metric_plot import MetricPlot
from s2s_gui.widgets.plots_view import PLOTS, PlotsView
from s2s_gui.widgets.token_logprob_plot import TokenLogprobPlot
from tests.gui.test_plots import FakeController, fill


@pytest.fixture
def axis_paints(monkeypatch) -> Counter:
    """(plot widget class, axis side) -> paints; patch before the plots are built."""
    painted: Counter = Counter()
    paint = CheapAxis.paint

    def counted(axis, *args):
        view = axis.getViewWidget()
        painted[(type(view).__name__, axis.orientation)] += 1
        return paint(axis, *args)

    monkeypatch.setattr(CheapAxis, "paint", counted)
    return painted


class PaintCounter(QObject):
    """Counts a widget's paint events and keeps the rectangles each one repaints."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.count = 0
        self.rect_counts: list[int] = []
        widget.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
            self.rect_counts.append(event.region().rectCount())
        return False


def settled(qtbot, axis_paints: Counter) -> int:
    """The number of axis paints once the first layout passes are over."""
    drawn = -1
    while drawn != sum(axis_paints.values()):
        drawn = sum(axis_paints.values())
        qtbot.wait(100)
    return drawn


def tabbed(qtbot, plot: QWidget) -> QTabWidget:
    tabs = QTabWidget()
    tabs.addTab(QLabel("another page"), "a")
    tabs.addTab(plot, "plot")
    qtbot.addWidget(tabs)
    tabs.resize(640, 420)
    tabs.show()
    qtbot.waitExposed(tabs)
    tabs.setCurrentIndex(1)
    qtbot.wait(150)
    return tabs


def test_cached_axes_keep_their_pixmaps_across_tab_switches(qtbot, axis_paints):
    plot = pg.PlotWidget(axisItems=cheap_axes())
    cheap_repaints(plot)
    plot.plotItem.showGrid(x=True, y=True)
    tabs = tabbed(qtbot, plot)
    drawn = settled(qtbot, axis_paints)
    assert drawn >= 2  # left and bottom, at least once each
    for _ in range(3):
        tabs.setCurrentIndex(0)
        qtbot.wait(50)
        tabs.setCurrentIndex(1)
        qtbot.wait(100)
    # the scene's (de)activation on each switch no longer throws the pixmaps away
    assert sum(axis_paints.values()) == drawn
    plot.setXRange(0, 50)  # a real change still redraws
    qtbot.wait(100)
    assert axis_paints[("PlotWidget", "bottom")] > 1


def test_translate_view_settles_after_being_shown_again(qtbot, window):
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    for page in (window.translate_view, window.train_tab):
        window.tabs.setCurrentWidget(page)
        qtbot.wait(150)
    attention = window.translate_view.attention
    paints = PaintCounter(attention.viewport())
    window.tabs.setCurrentWidget(window.translate_view)
    qtbot.wait(400)
    # its note (a TextItem) once fed auto-range: ~60 repaints in a row, 7 ms each
    assert 1 <= paints.count <= 3


def test_log_prob_plot_draws_each_axis_once_for_a_new_result(qtbot, axis_paints):
    plot = TokenLogprobPlot()
    tabs = tabbed(qtbot, plot)  # noqa: F841 (keeps the page alive)
    axis_paints.clear()
    plot.show_logprobs(-np.linspace(0.1, 3.0, 9), [f"▁w{i}" for i in range(9)])
    qtbot.wait(150)
    drawn = {
        side: axis_paints[("TokenLogprobPlot", side)] for side in ("left", "bottom")
    }
    # both are drawn anew (new range, new labels) but not twice: the axes' sizes are
    # fixed, so new tick labels never relayout the plot
    assert drawn == {"left": 1, "bottom": 1}


def beam_steps(n: int, k: int = 3) -> list[BeamStep]:
    """``n`` steps of a beam of ``k``: each candidate extends the one above it."""
    ids = np.arange(k)
    return [
        BeamStep(
            step=t,
            tokens=ids + 4,
            parents=np.zeros(k, dtype=np.int64) if t == 0 else ids,
            scores=-(t + 1) * (1.0 + ids.astype(np.float32)),
            finished=np.full(k, t == n - 1),
            pruned_tokens=np.array([9]),
            pruned_parents=np.array([0]),
            pruned_scores=np.array([-(t + 1) * 5.0], dtype=np.float32),
            pieces=tuple(f"p{i}" for i in range(k)),
            pruned_pieces=("x",),
        )
        for t in range(n)
    ]


@pytest.mark.parametrize("make", [TokenLogprobPlot, AttentionView, BeamTreeView])
def test_a_new_result_with_a_new_range_is_painted_once(qtbot, make):
    plot = make()
    tabs = tabbed(qtbot, plot)  # noqa: F841 (keeps the page alive)
    pieces = [f"w{i}" for i in range(12)]

    def show(n: int) -> None:
        if isinstance(plot, TokenLogprobPlot):
            plot.show_logprobs(-np.linspace(0.1, 3.0, n), pieces[:n])
        elif isinstance(plot, AttentionView):
            plot.show_attention(np.full((n, n + 1), 0.5), pieces[: n + 1], pieces[:n])
        else:
            plot.show_steps(beam_steps(n), alpha=0.6)

    show(4)
    qtbot.wait(150)
    paints = PaintCounter(plot.viewport())
    show(9)  # another length: another view range
    qtbot.wait(200)
    # pyqtgraph applies a new range's transform when the paint begins, which moved the
    # items mid-paint and asked for a second paint of the data area
    assert paints.count == 1


def test_a_refreshed_metric_plot_repaints_one_rectangle(qtbot):
    # the raw gradient-norm curve is noisy: drawn through a clip of several rectangles
    # (pyqtgraph's default minimal update), a refresh of 3,000 points took ~160 ms
    rng = np.random.default_rng(0)
    history = MetricHistory()
    for i in range(3000):
        history.append_step(
            TrainStep(
                i / 100, 20 * i, 3.0, 20.0, 1e-3, 1 + rng.random(), 8e3, 4e3, i, -1
            )
        )
    title, unit, series = next(p for p in PLOTS if p[0] == "Gradient norm")
    plot = MetricPlot(title, unit, series)
    plot.refresh(history, {}, 0.6)
    tabs = tabbed(qtbot, plot)  # noqa: F841 (keeps the page alive)
    paints = PaintCounter(plot.viewport())
    for i in range(3000, 3005):
        history.append_step(TrainStep(0, 20 * i, 3.0, 20.0, 1e-3, 1.5, 8e3, 4e3, i, -1))
        plot.refresh(history, {}, 0.6)
        qtbot.wait(60)
    assert paints.count >= 5  # each refresh is painted...
    assert set(paints.rect_counts) == {1}  # ...through one clip rectangle


def draw_specs(axis: pg.AxisItem) -> tuple:
    """What ``axis`` would draw now: (axis line, ticks, texts), as pyqtgraph plans it."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        return axis.generateDrawSpecs(painter)
    finally:
        painter.end()


def drawn_labels(axis: pg.AxisItem) -> list[str]:
    """The labels ``axis`` draws now; asserts that no two of them overlap."""
    _, _, texts = draw_specs(axis)
    rects = [rect for rect, _, _ in texts]
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[:i])
    return [text for _, _, text in texts]


def in_view(axis: pg.AxisItem, pieces: list[str], vertical: bool) -> list[str]:
    """The pieces whose cell centre lies inside the view's range along ``axis``."""
    low, high = axis.linkedView().viewRange()[1 if vertical else 0]
    return [p for i, p in enumerate(pieces) if low <= i + 0.5 <= high]


def test_every_attention_piece_in_view_has_a_label(qtbot):
    plot = AttentionView()
    tabs = tabbed(qtbot, plot)  # noqa: F841 (keeps the page alive)
    source = [f"▁word{i}" for i in range(40)]  # a 25-word sentence's pieces and more
    target = [f"▁mot{i}" for i in range(35)]
    plot.show_attention(np.full((35, 40), 0.5), source, target)
    qtbot.wait(100)
    bottom, left = plot.getAxis("bottom"), plot.getAxis("left")
    columns, rows = in_view(bottom, source, False), in_view(left, target, True)
    assert len(columns) >= 10 and len(rows) >= 5  # a useful window, not a sliver
    assert sorted(drawn_labels(bottom)) == sorted(columns)  # no column unlabelled
    assert sorted(drawn_labels(left)) == sorted(rows)
    plot.plotItem.setXRange(30, 40, padding=0)  # scrolled to the end: labelled too
    plot.plotItem.setYRange(25, 35, padding=0)
    qtbot.wait(50)
    assert sorted(drawn_labels(bottom)) == sorted(in_view(bottom, source, False))
    assert "▁word39" in drawn_labels(bottom) and "▁mot34" in drawn_labels(left)
    assert (
        plot.readout_at(39.5, 34.2) == "source ▁word39 · output ▁mot34 · weight 0.500"
    )
    assert plot.readout_at(41, 1) == ""


def test_log_prob_labels_thin_out_instead_of_overlapping(qtbot):
    plot = TokenLogprobPlot()
    tabs = tabbed(qtbot, plot)  # noqa: F841 (keeps the page alive)
    pieces = ["▁Je", "▁pense", "▁que", "▁nous", "▁devrions", "▁partir", "▁avant"] * 6
    plot.show_logprobs(-np.linspace(0.1, 3.0, 42), pieces)
    qtbot.wait(100)
    assert 6 <= len(drawn_labels(plot.getAxis("bottom"))) < 42
    plot.show_logprobs(-np.linspace(0.1, 3.0, 5), pieces[:5])
    qtbot.wait(100)
    assert sorted(drawn_labels(plot.getAxis("bottom"))) == sorted(pieces[:5])


def test_piece_axes_measure_every_level_only_for_pieces(qtbot):
    plot = AttentionView()
    qtbot.addWidget(plot)
    axis = plot.getAxis("bottom")
    numbers = pg.AxisItem("bottom").style["textFillLimits"]
    # before a result: pyqtgraph's numbers, as cheap to plan as on any axis (measured
    # at every level, ~50 labels, the empty view took 12.7 ms to redraw, not 6.6)
    assert axis.style["textFillLimits"] == numbers
    plot.show_attention(np.eye(3), ["a", "b", "c"], ["x", "y", "z"])
    assert axis.style["textFillLimits"] == [(0, float("inf"))]
    axis.setTicks(None)
    assert axis.style["textFillLimits"] == numbers


def test_grid_lines_skip_the_invisible_finest_level(qtbot):
    plot = TokenLogprobPlot()
    tabs = tabbed(qtbot, plot)  # noqa: F841 (keeps the page alive)
    plot.show_logprobs(-np.linspace(0.1, 3.0, 9), [f"w{i}" for i in range(9)])
    qtbot.wait(100)
    _, ticks, _ = draw_specs(plot.plotItem.getAxis("left"))
    alphas = [pen.color().alpha() for pen, _, _ in ticks]
    assert len(alphas) >= 3  # grid lines are still there...
    assert min(alphas) >= 16  # ...but none of the ~2% ones pyqtgraph adds by default


def painted(draw, size=(120, 120), shift=(0.0, 0.0)) -> QImage:
    """What ``draw(painter)`` paints on a transparent image, moved by ``shift``."""
    image = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.translate(*shift)
    draw(painter)
    painter.end()
    return image


def test_lines_filled_as_rectangles_cover_the_pixels_qt_strokes():
    rng = random.Random(6)

    def coordinate(low: float, high: float) -> float:
        value = rng.uniform(
            low, high
        )  # and whole and half pixels, where rounding bites
        return rng.choice([value, round(value), int(value) + 0.5])

    def pen() -> QPen:
        line_pen = QPen(QColor(48, 48, 48, rng.choice([255, 85, 63, 8])))
        line_pen.setCosmetic(True)
        line_pen.setWidth(rng.choice([0, 1]))
        return line_pen

    for _ in range(300):
        lines = []
        top, bottom = coordinate(5, 45), coordinate(50, 100)
        for _ in range(rng.choice([3, 6])):  # crossing each other at times
            fixed, a, b = coordinate(5, 100), coordinate(5, 45), coordinate(50, 100)
            kind = rng.choice(["across", "down", "down over the same rows"])
            if kind == "across":
                lines.append((pen(), QPointF(b, fixed), QPointF(a, fixed)))
            elif kind == "down":
                lines.append((pen(), QPointF(fixed, a), QPointF(fixed, b)))
            else:  # filled together, as a grid's lines are (a column may repeat)
                lines.append((pen(), QPointF(fixed, top), QPointF(fixed, bottom)))
        shift = (rng.choice([0, 3, -2, 0.3, 1.5, -0.7]), rng.choice([0, 5, 0.5, 2.25]))

        def stroked(painter, lines=lines):
            for line_pen, start, end in lines:
                painter.setPen(line_pen)
                painter.drawLine(start, end)

        filled = painted(
            lambda painter, lines=lines: draw_lines(painter, lines), shift=shift
        )
        assert filled == painted(stroked, shift=shift), (lines, shift)


def loss_plot() -> MetricPlot:
    history = MetricHistory()
    for i in range(200):
        history.append_step(
            TrainStep(i / 100, 20 * i, 3.0 - i / 100, 20.0, 1e-3, 1.0, 8e3, 4e3, i, -1)
        )
    title, unit, series = next(p for p in PLOTS if p[0] == "Loss")
    plot = MetricPlot(title, unit, series)
    plot.refresh(history, {}, 0.6)
    return plot


def logprob_plot() -> TokenLogprobPlot:
    plot = TokenLogprobPlot()
    plot.show_logprobs(-np.linspace(0.1, 3.0, 9), [f"▁w{i}" for i in range(9)])
    return plot


def attention_plot() -> AttentionView:
    plot = AttentionView()
    plot.show_attention(np.eye(5), list("abcde"), list("vwxyz"))
    return plot


@pytest.mark.parametrize("make", [loss_plot, logprob_plot, attention_plot])
def test_cheap_axes_draw_what_pyqtgraph_draws(qtbot, make):
    plot = make()
    tabs = tabbed(qtbot, plot)  # noqa: F841 (keeps the page alive)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        rect = axis.boundingRect().toAlignedRect()
        size = (rect.width() + 4, rect.height() + 4)
        shift = (2.4 - rect.x(), 1.6 - rect.y())  # part pixels, as a layout places it
        axis.picture = None
        cheap = painted(lambda p, axis=axis: axis.paint(p, None, None), size, shift)
        assert axis.picture is None  # drawn straight: no picture recorded
        plain = painted(
            lambda p, axis=axis: pg.AxisItem.paint(axis, p, None, None), size, shift
        )
        assert cheap == plain, (make.__name__, side)
        # and it drew something: the axis, ticks and labels (and the grid's lines)
        assert cheap != painted(lambda p: None, size), (make.__name__, side)


def test_a_plot_widget_must_have_cheap_axes(qtbot):
    with pytest.raises(TypeError, match="cheap_axes"):
        cheap_repaints(pg.PlotWidget())


def test_hidden_plot_pages_are_drawn_ahead_at_their_shown_size(
    qtbot, tmp_path, settings, axis_paints
):
    from s2s_gui.app import build_window

    controller, window = build_window(settings, str(tmp_path / "runs"))
    qtbot.addWidget(window)
    window.confirm_close = lambda: True
    try:
        window.resize(1300, 850)
        window.show()
        qtbot.waitExposed(window)
        warmer = window.page_warmer
        qtbot.waitUntil(lambda: not warmer.pending(), timeout=5000)
        translate = window.translate_view
        assert translate.geometry() == window.tabs.currentWidget().geometry()
        assert axis_paints[("AttentionView", "bottom")] >= 1  # drawn while hidden
        drawn = sum(axis_paints.values())
        window.tabs.setCurrentWidget(translate)
        qtbot.wait(200)
        # shown at the size it was drawn at, from the axes' cached pixmaps
        assert sum(axis_paints.values()) == drawn
        window.resize(1100, 800)  # a new size: drawn again once the resize settles
        qtbot.waitUntil(lambda: not warmer.pending(), timeout=5000)
        assert window.train_tab.geometry() == translate.geometry()
    finally:
        controller.shutdown(timeout_ms=10_000)
        window.log_view.detach()


def test_the_warmer_lays_a_page_out_in_one_pass_and_draws_one_plot_per_pass(
    qtbot, tmp_path, settings
):
    from s2s_gui.app import build_window

    controller, window = build_window(settings, str(tmp_path / "runs"))
    qtbot.addWidget(window)
    window.confirm_close = lambda: True
    try:
        tabs = window.tabs
        hidden = [
            view
            for i in range(tabs.count())
            if tabs.widget(i) is not tabs.currentWidget()
            for view in tabs.widget(i).findChildren(pg.GraphicsView)
        ]
        assert len(hidden) >= 10  # Train's six, Translate's three, ...
        counters = [PaintCounter(view.viewport()) for view in hidden]
        window.resize(1300, 850)
        window.show()
        qtbot.waitExposed(window)
        time.sleep(0.5)  # the warmer's delay has passed; no event handled meanwhile
        drawn_per_pass = []
        while window.page_warmer.pending():
            before = sum(c.count for c in counters)
            QApplication.processEvents()
            drawn_per_pass.append(sum(c.count for c in counters) - before)
        # the Train page's six plots in one pass took 60-100 ms; now at most one a pass
        assert max(drawn_per_pass) == 1
        assert all(c.count >= 1 for c in counters)  # and every one of them was drawn
    finally:
        controller.shutdown(timeout_ms=10_000)
        window.log_view.detach()


def test_a_resize_draws_the_translate_views_plots_one_per_pass_after_it(qtbot, window):
    window.resize(1300, 850)
    window.show()
    qtbot.waitExposed(window)
    view = window.translate_view
    window.tabs.setCurrentWidget(view)
    qtbot.wait(300)
    plots = [view.tree, view.attention, view.logprobs]
    counters = [PaintCounter(p.viewport()) for p in plots]
    for size in ((1340, 880), (1380, 900)):  # dragged: two resizes in a row
        window.resize(*size)
        QApplication.processEvents()
    # the splitter placed the plots after they were hidden: none was drawn
    assert [p.isVisible() for p in plots] == [False, False, False]
    assert [c.count for c in counters] == [0, 0, 0]
    placed = [p.geometry() for p in plots]
    time.sleep(0.1)  # the resize has settled; no event handled meanwhile
    came_back = []
    while view.reveal.pending():
        before = len(view.reveal.pending())
        QApplication.processEvents()
        came_back.append(before - len(view.reveal.pending()))
    assert len(came_back) >= 3 and max(came_back) == 1
    qtbot.wait(50)
    assert all(p.isVisible() for p in plots) and all(c.count >= 1 for c in counters)
    assert [p.geometry() for p in plots] == placed  # their space was kept meanwhile


def test_a_resize_draws_no_plot_at_once_and_then_one_per_pass(qtbot):
    ctl = FakeController()
    view = PlotsView(ctl)
    qtbot.addWidget(view)
    fill(ctl.history, 40)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(200)
    view._timer.stop()  # no refresh from here: only the resize repaints
    counters = [PaintCounter(p.viewport()) for p in view.plots]
    cells = [p.geometry() for p in view.plots]
    for size in ((860, 580), (820, 560)):  # a window dragged: two resizes in a row
        view.resize(*size)
        QApplication.processEvents()
    # the passes that resized them drew none; they keep their cells
    assert not any(p.isVisible() for p in view.plots)
    assert [c.count for c in counters] == [0] * 6
    assert [p.geometry() for p in view.plots] != cells
    assert all(p.width() > 100 and p.height() > 100 for p in view.plots)
    placed = [p.geometry() for p in view.plots]
    seen = []  # how many plots each pass of the event loop brought back
    time.sleep(0.1)  # the resize has settled; no event handled meanwhile
    while view.grid.reveal.pending():
        before = len(view.grid.reveal.pending())
        QApplication.processEvents()
        seen.append(before - len(view.grid.reveal.pending()))
    assert len(seen) >= 6 and max(seen) == 1
    qtbot.wait(50)
    assert all(p.isVisible() for p in view.plots)
    assert all(c.count >= 1 for c in counters)  # each drawn at its new size
    # in the cells the resize gave them: showing one again moved none of the others
    assert [p.geometry() for p in view.plots] == placed
