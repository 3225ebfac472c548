"""One live metric plot: items created once, refreshed with setData; crosshair, export."""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters
from PySide6.QtCore import QCoreApplication, QPointF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from s2s_gui.quirks.plot_cache import cheap_axes, cheap_repaints, show_grid
from s2s_gui.state import MetricHistory, ema
from s2s_gui.widgets.empty_hint import EmptyHint
from s2s_gui.widgets.metric_style import (
    MetricAxis,
    overlay_pen,
    run_color,
    short_run_name,
)

logger = logging.getLogger(__name__)

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2")
CONTEXT = "Plots"  # titles and labels come marked QT_TRANSLATE_NOOP("Plots", ...)
X_STEP, X_TIME = "step", "time"


def shown(text: str) -> str:
    """A plot title or label in the interface language (unmarked text passes as is)."""
    return QCoreApplication.translate(CONTEXT, text)


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is >= ``value`` (> 0)."""
    power = 10 ** np.floor(np.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


@dataclass(frozen=True)
class Series:
    """One curve: ``source`` is "step" (every log line) or "eval" (every evaluation)."""

    source: str
    name: str  # a MetricHistory column, e.g. "loss" or "dev_ppl"
    label: str  # English, marked for lupdate; shown translated
    color: str
    smooth: bool = False  # apply the view's smoothing (the raw curve stays, faint)


@dataclass(frozen=True)
class Overlay:
    """Another run drawn over the current one: its curves, colour and name."""

    history: MetricHistory
    color: str
    name: str


class MetricPlot(pg.PlotWidget):
    """Curves of one or more metrics for the current run plus overlaid runs.

    ``title`` is the plot's stable English key; the plot shows ``display_title``.
    The series' key sits in the title, not in a legend over the curves; the overlaid
    runs' names are in the view's run selector.
    """

    def __init__(
        self,
        title: str,
        y_label: str,
        series: Sequence[Series],
        parent: QWidget | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(
            parent,
            axisItems=cheap_axes(left=MetricAxis("left"), bottom=MetricAxis("bottom")),
        )
        cheap_repaints(self)
        self.series = tuple(series)
        self.title = title
        self.display_title = shown(title)
        item = self.plotItem
        key = " ".join(
            f"<span style='color:{s.color}'>{'●' if s.source == 'eval' else '━'}"
            f" {html.escape(shown(s.label))}</span>"
            for s in self.series
        )
        item.setTitle(
            f"{html.escape(self.display_title)} &nbsp;<small>{key}</small>", size="10pt"
        )
        item.setLabel("left", shown(y_label))
        item.setLabel("bottom", self.tr("step"))
        show_grid(item, x=True, y=True)
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        self.curves: dict[str, pg.PlotDataItem] = {}  # created once
        self.raw: dict[str, pg.PlotDataItem] = {}
        for s in self.series:
            if s.smooth:
                raw = item.plot(pen=pg.mkPen(s.color + "40", width=1))
                self.raw[s.name] = raw
            symbol = "o" if s.source == "eval" else None
            self.curves[s.name] = curve = item.plot(
                pen=pg.mkPen(s.color, width=2),
                symbol=symbol,
                symbolSize=6,
                symbolBrush=s.color,
                symbolPen=None,
                name=shown(s.label),
            )
            curve.setZValue(2)  # the current run over the overlaid ones
        self._overlays: dict[str, list[pg.PlotDataItem]] = {}
        self._overlay_names: dict[str, str] = {}
        # a fixed width (no relayout when tick labels change), wide enough for five
        # characters of tick label beside the axis title
        item.getAxis("left").setWidth(62)
        self.x_mode = X_STEP
        self.live = False  # a run is training: x grows in pages; else fit the data
        self._x_max = 0.0  # the x range grows in pages, so the x axis rarely redraws
        self._follow = (
            True  # frame x and y as data arrives; False once the person zooms or pans
        )
        self._y_frame: tuple[float, float] | None = None  # see _page_y
        self._log_y = False
        item.vb.sigRangeChangedManually.connect(self._on_range_changed_manually)
        item.autoBtn.clicked.connect(self._on_auto_clicked)
        self.hint = EmptyHint(self, hint)
        self._make_crosshair()

    # ------------------------------------------------------------------ data
    def refresh(
        self,
        history: MetricHistory,
        overlays: Mapping[str, MetricHistory | Overlay],
        smoothing: float = 0.0,
        show_current: bool = True,
    ) -> None:
        """Copy the histories into the existing items (no item is created here).

        ``overlays`` maps a run folder to its history (coloured in turn) or to an
        :class:`Overlay`; the current run's curves are hidden when not ``show_current``.
        """
        for s in self.series:
            x, y = self._xy(history, s)
            if s.smooth:
                self.raw[s.name].setData(x, y, skipFiniteCheck=True)
                y = ema(y, smoothing)
            self.curves[s.name].setData(x, y, skipFiniteCheck=s.source == "step")
        for item in (*self.curves.values(), *self.raw.values()):
            item.setVisible(show_current)
        runs = {
            key: o if isinstance(o, Overlay) else Overlay(o, run_color(n), o.label)
            for n, (key, o) in enumerate(overlays.items())
        }
        self._sync_overlays(runs, smoothing)
        self.hint.set_empty(not self._drawn_items())
        self._page_x()
        self._page_y()

    def _drawn_items(self) -> list[pg.PlotDataItem]:
        items = (*self.curves.values(), *self.raw.values(), *self._overlay_items())
        return [
            c
            for c in items
            if c.isVisible() and c.yData is not None and len(c.yData) > 0
        ]

    def _page_y(self) -> None:
        """Frame y around every drawn value, and move the frame only when data leaves it.

        Autoranging on every update would change the y axis at each repaint, and a
        changed axis is redrawn with all its text; with a frame that holds a margin of
        10% of the span, the axis (cached as a pixmap) is redrawn only now and then. A
        constant curve (a fixed lr) gets a range around its value, not ±0.5. Once no
        run is training, the frame fits the data.
        """
        if not self._follow:
            return
        log = self._log_y
        ys = [c.yData for c in self._drawn_items()]
        values = np.concatenate(ys) if ys else np.zeros(0)
        values = values[np.isfinite(values) & ((values > 0) if log else True)]
        if not len(values):
            return
        if log:
            values = np.log10(values)
        lo, hi = float(values.min()), float(values.max())
        if lo == hi:  # a flat curve: from 0 to twice the value (log: one decade around)
            lo, hi = (lo - 0.5, hi + 0.5) if log or lo <= 0 else (0.0, 2 * hi)
        frame = self._y_frame
        margin = 0.1 * (hi - lo)
        if not self.live:
            fitted = (lo - margin / 2, hi + margin / 2)
            if frame != fitted:
                self._y_frame = fitted
                self.plotItem.enableAutoRange(y=False)
                self.plotItem.setYRange(*fitted, padding=0)
            return
        fits = frame is not None and frame[0] <= lo and hi <= frame[1]
        tight = frame is not None and (hi - lo) > 0.5 * (frame[1] - frame[0])
        if fits and tight:
            return
        self._y_frame = (lo - margin, hi + margin)
        self.plotItem.enableAutoRange(y=False)
        self.plotItem.setYRange(*self._y_frame, padding=0)

    def _overlay_items(self) -> list[pg.PlotDataItem]:
        return [item for items in self._overlays.values() for item in items]

    def x_extent(self) -> tuple[float, float] | None:
        """The smallest and largest x of the drawn curves (None: nothing drawn)."""
        # x grows along each curve: its ends are enough (a refresh stays cheap)
        ends = [(c.xData[0], c.xData[-1]) for c in self._drawn_items()]
        values = np.asarray(ends, dtype=float).ravel()
        values = values[np.isfinite(values)]
        return (float(values.min()), float(values.max())) if len(values) else None

    def _page_x(self) -> None:
        """While a run trains, keep x in [0, page] where page is 1.5x the last x,
        rounded up to 1-2-5 (the x axis rarely redraws); otherwise fit the data."""
        if not self._follow:
            return
        extent = self.x_extent()
        if extent is None:
            return
        last = extent[1]
        if not self.live:
            if self._x_max != -last:  # a fitted range, remembered as a negative page
                self._x_max = -last
                self.plotItem.enableAutoRange(x=False)
                self.plotItem.setXRange(min(0.0, extent[0]), last, padding=0.02)
            return
        if last > self._x_max or last < self._x_max / 4:
            self._x_max = nice_ceiling(1.5 * last) if last > 0 else 0.0
            if self._x_max:
                self.plotItem.enableAutoRange(x=False)
                self.plotItem.setXRange(0, self._x_max, padding=0.02)

    def set_live(self, live: bool) -> None:
        """Page x while a run trains (True); fit every curve once it ends (False)."""
        if live != self.live:
            self.live, self._x_max, self._y_frame = live, 0.0, None
            self._page_x()
            self._page_y()

    def set_x_mode(self, mode: str) -> None:
        """Plot against the step (``X_STEP``) or minutes since the run began."""
        self.x_mode, self._x_max = mode, 0.0
        self.plotItem.setLabel(
            "bottom",
            self.tr("step") if mode == X_STEP else self.tr("relative time (min)"),
        )

    def _on_range_changed_manually(self, *_: object) -> None:
        self._follow = False  # the person zoomed or panned: leave both axes alone

    def _on_auto_clicked(self) -> None:
        self._follow, self._x_max, self._y_frame = True, 0.0, None

    def _xy(self, history: MetricHistory, s: Series) -> tuple[np.ndarray, np.ndarray]:
        if s.source == "step":
            x, y = history.step_curve(s.name)
        else:
            x, y = history.eval_curve(s.name)
        if self.x_mode == X_TIME:
            steps, seconds = history.step_curve("elapsed_s")
            if len(steps):
                x = np.interp(x, steps, seconds) / 60.0
            else:
                x = np.full(len(x), np.nan)
        return x, y

    def _sync_overlays(self, overlays: Mapping[str, Overlay], smoothing: float) -> None:
        for key in [k for k in self._overlays if k not in overlays]:
            for curve in self._overlays.pop(key):
                self.plotItem.removeItem(curve)
        for key, run in overlays.items():
            if key not in self._overlays:  # created once per overlaid run
                self._overlays[key] = [
                    self.plotItem.plot(
                        pen=overlay_pen(run.color, n),
                        symbol="o" if s.source == "eval" else None,
                        symbolSize=5,
                        symbolBrush=run.color,
                        symbolPen=None,
                    )
                    for n, s in enumerate(self.series)
                ]
            self._overlay_names[key] = run.name
            for n, (s, curve) in enumerate(
                zip(self.series, self._overlays[key], strict=True)
            ):
                x, y = self._xy(run.history, s)
                curve.setData(x, ema(y, smoothing) if s.smooth else y)
                if curve.opts["pen"].color().name() != run.color:
                    curve.setPen(overlay_pen(run.color, n))
                    curve.setSymbolBrush(run.color)

    def overlay_colors(self) -> dict[str, str]:
        """Each overlaid run's colour (for tests)."""
        return {
            key: items[0].opts["pen"].color().name()
            for key, items in self._overlays.items()
        }

    def point_count(self) -> int:
        """Points held by the current run's curves (for tests)."""
        return sum(
            len(c.xData) if c.xData is not None else 0 for c in self.curves.values()
        )

    def set_log_y(self, on: bool) -> None:
        self._log_y, self._y_frame = on, None
        self.plotItem.setLogMode(x=False, y=on)
        self._page_y()

    # ------------------------------------------------------------------ crosshair
    def _make_crosshair(self) -> None:
        pen = pg.mkPen("#888888", width=1, style=Qt.PenStyle.DotLine)
        self._vline = pg.InfiniteLine(angle=90, movable=False, pen=pen)
        self._readout = pg.TextItem(color="#202020", anchor=(0, 1), fill="#ffffffe0")
        for item in (self._vline, self._readout):
            item.setZValue(100)
            item.hide()
            self.plotItem.addItem(item, ignoreBounds=True)
        self._proxy = pg.SignalProxy(
            self.plotItem.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse_moved
        )

    def _on_mouse_moved(self, args: tuple[QPointF]) -> None:
        pos = args[0]
        inside = self.plotItem.vb.sceneBoundingRect().contains(pos)
        text = self.readout(self.plotItem.vb.mapSceneToView(pos).x()) if inside else ""
        for item in (self._vline, self._readout):
            item.setVisible(inside and bool(text))
        if not inside or not text:
            return
        point = self.plotItem.vb.mapSceneToView(pos)
        self._vline.setPos(point.x())
        # the readout sits in the top corner away from the cursor, inside the plot
        (x0, x1), (y0, y1) = self.plotItem.vb.viewRange()
        right = point.x() < (x0 + x1) / 2
        self._readout.setAnchor((1.0 if right else 0.0, 0.0))
        self._readout.setPos(x1 if right else x0, y1)
        self._readout.setHtml(text)

    def readout(self, x: float) -> str:
        """Each visible curve's value at its point nearest to ``x`` (HTML lines): the
        first line gives the x of the current run's nearest point, a value taken
        elsewhere (an evaluation, another run's log) says where."""
        axis = self.tr("step") if self.x_mode == X_STEP else self.tr("min")
        rows = [
            ("", s, self.curves[s.name], s.color)
            for s in self.series
            if self.curves[s.name].isVisible()
        ]
        for key, items in self._overlays.items():
            color = items[0].opts["pen"].color().name()
            name = short_run_name(self._overlay_names.get(key, key), 16)
            rows += [
                (name, s, c, color) for s, c in zip(self.series, items, strict=True)
            ]
        values = []
        for run, s, curve, color in rows:
            xs, ys = curve.getOriginalDataset()
            if xs is None or len(xs) == 0:
                continue
            i = int(np.clip(np.searchsorted(xs, x), 0, len(xs) - 1))
            if i > 0 and abs(xs[i - 1] - x) < abs(xs[i] - x):
                i -= 1
            values.append((run, s, color, float(xs[i]), float(ys[i])))
        if not values:
            return ""
        at = values[0][3]
        lines = [html.escape(f"{axis} {at:,.4g}")]
        for run, s, color, px, value in values:
            name = f"{run} {shown(s.label)}" if run else shown(s.label)
            where = "" if px == at else f" ({axis} {px:,.4g})"
            lines.append(
                f"<span style='color:{color}'>■</span> "
                + html.escape(f"{name}: {value:.4g}{where}")
            )
        return "<span style='font-size:8pt'>" + "<br>".join(lines) + "</span>"

    # ------------------------------------------------------------------ export
    def export(self, path: str) -> None:
        """Write the plot as PNG (or any raster format Qt knows) or as SVG."""
        export_plot(self, path, self.display_title)


def export_plot(widget: pg.PlotWidget, path: str, title: str = "") -> None:
    """Write a plot widget as PNG (or any raster format Qt knows) or as SVG."""
    if path.lower().endswith(".svg"):
        # pyqtgraph's SVGExporter cannot parse Qt 6.12's path data; let Qt write it
        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(widget.size())
        generator.setViewBox(widget.rect())
        generator.setTitle(title)
        painter = QPainter(generator)
        widget.render(painter)
        painter.end()
    else:
        exporter = pyqtgraph.exporters.ImageExporter(widget.plotItem)
        exporter.parameters()["width"] = max(800, int(widget.width()))
        exporter.export(path)
    logger.info("exported %s to %s", title or "a plot", path)
