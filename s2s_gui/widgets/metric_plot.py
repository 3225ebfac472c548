"""One live metric plot: items created once, refreshed with setData; crosshair, export."""

from __future__ import annotations

import logging
from collections.abc import Sequence
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

logger = logging.getLogger(__name__)

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2")
CONTEXT = "Plots"  # titles and labels come marked QT_TRANSLATE_NOOP("Plots", ...)


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


class MetricPlot(pg.PlotWidget):
    """Curves of one or more metrics for the current run plus overlaid runs.

    ``title`` is the plot's stable English key; the plot shows ``display_title``.
    """

    def __init__(
        self,
        title: str,
        y_label: str,
        series: Sequence[Series],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, axisItems=cheap_axes())
        cheap_repaints(self)
        self.series = tuple(series)
        self.title = title
        self.display_title = shown(title)
        item = self.plotItem
        item.setTitle(self.display_title)
        item.setLabel("left", shown(y_label))
        item.setLabel("bottom", self.tr("step"))
        show_grid(item, x=True, y=True)
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        self.legend = item.addLegend(offset=(-8, 8), labelTextSize="8pt")
        self.curves: dict[str, pg.PlotDataItem] = {}  # created once
        self.raw: dict[str, pg.PlotDataItem] = {}
        for s in self.series:
            if s.smooth:
                raw = item.plot(pen=pg.mkPen(s.color + "40", width=1))
                self.raw[s.name] = raw
            symbol = "o" if s.source == "eval" else None
            self.curves[s.name] = item.plot(
                pen=pg.mkPen(s.color, width=2),
                symbol=symbol,
                symbolSize=6,
                symbolBrush=s.color,
                symbolPen=None,
                name=shown(s.label),
            )
        self._overlays: dict[str, list[pg.PlotDataItem]] = {}
        item.getAxis("left").setWidth(54)  # no relayout when tick labels change width
        self._x_max = 0.0  # the x range grows in pages, so the x axis rarely redraws
        self._follow = (
            True  # frame x and y as data arrives; False once the person zooms or pans
        )
        self._y_frame: tuple[float, float] | None = None  # see _page_y
        self._log_y = False
        item.vb.sigRangeChangedManually.connect(self._on_range_changed_manually)
        item.autoBtn.clicked.connect(self._on_auto_clicked)
        self._make_crosshair()

    # ------------------------------------------------------------------ data
    def refresh(
        self,
        history: MetricHistory,
        overlays: dict[str, MetricHistory],
        smoothing: float = 0.0,
    ) -> None:
        """Copy the histories into the existing items (no item is created here)."""
        for s in self.series:
            x, y = self._xy(history, s)
            if s.smooth:
                self.raw[s.name].setData(x, y, skipFiniteCheck=True)
                y = ema(y, smoothing)
            self.curves[s.name].setData(x, y, skipFiniteCheck=s.source == "step")
        self._sync_overlays(overlays, smoothing)
        self._page_x(history, overlays)
        self._page_y()

    def _page_y(self) -> None:
        """Frame y around every drawn value, and move the frame only when data leaves it.

        Autoranging on every update would change the y axis at each repaint, and a
        changed axis is redrawn with all its text; with a frame that holds a margin of
        10% of the span, the axis (cached as a pixmap) is redrawn only now and then. A
        constant curve (a fixed lr) gets a range around its value, not ±0.5.
        """
        if not self._follow:
            return
        log = self._log_y
        ys = [
            c.yData
            for c in (*self.curves.values(), *self.raw.values(), *self._overlay_items())
            if c.yData is not None and len(c.yData)
        ]
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
        fits = frame is not None and frame[0] <= lo and hi <= frame[1]
        tight = frame is not None and (hi - lo) > 0.5 * (frame[1] - frame[0])
        if fits and tight:
            return
        margin = 0.1 * (hi - lo)
        self._y_frame = (lo - margin, hi + margin)
        self.plotItem.enableAutoRange(y=False)
        self.plotItem.setYRange(*self._y_frame, padding=0)

    def _overlay_items(self) -> list[pg.PlotDataItem]:
        return [item for items in self._overlays.values() for item in items]

    def _page_x(
        self, history: MetricHistory, overlays: dict[str, MetricHistory]
    ) -> None:
        """Keep x in [0, page] where page is 1.5x the last step, rounded up to 1-2-5."""
        if not self._follow:
            return
        last = max(
            (
                h.steps.column("step")[-1]
                for h in (history, *overlays.values())
                if len(h.steps)
            ),
            default=0.0,
        )
        if last > self._x_max or last < self._x_max / 4:
            self._x_max = nice_ceiling(1.5 * last) if last else 0.0
            if self._x_max:
                self.plotItem.enableAutoRange(x=False)
                self.plotItem.setXRange(0, self._x_max, padding=0.02)

    def _on_range_changed_manually(self, *_: object) -> None:
        self._follow = False  # the person zoomed or panned: leave both axes alone

    def _on_auto_clicked(self) -> None:
        self._follow, self._x_max, self._y_frame = True, 0.0, None

    @staticmethod
    def _xy(history: MetricHistory, s: Series) -> tuple[np.ndarray, np.ndarray]:
        if s.source == "step":
            return history.step_curve(s.name)
        return history.eval_curve(s.name)

    def _sync_overlays(
        self, overlays: dict[str, MetricHistory], smoothing: float
    ) -> None:
        for key in [k for k in self._overlays if k not in overlays]:
            for curve in self._overlays.pop(key):
                self.plotItem.removeItem(curve)
        for n, (key, history) in enumerate(overlays.items()):
            if key not in self._overlays:  # created once per overlaid run
                color = PALETTE[(n + 2) % len(PALETTE)]
                self._overlays[key] = [
                    self.plotItem.plot(
                        pen=pg.mkPen(color, width=2, style=Qt.PenStyle.DashLine),
                        name=f"{history.label}: {shown(s.label)}",
                    )
                    for s in self.series
                ]
            for s, curve in zip(self.series, self._overlays[key], strict=True):
                x, y = self._xy(history, s)
                curve.setData(x, ema(y, smoothing) if s.smooth else y)

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
        self._hline = pg.InfiniteLine(angle=0, movable=False, pen=pen)
        self._readout = pg.TextItem(color="#202020", anchor=(0, 1), fill="#ffffffd0")
        for item in (self._vline, self._hline, self._readout):
            item.setZValue(100)
            item.hide()
            self.plotItem.addItem(item, ignoreBounds=True)
        self._proxy = pg.SignalProxy(
            self.plotItem.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse_moved
        )

    def _on_mouse_moved(self, args: tuple[QPointF]) -> None:
        pos = args[0]
        inside = self.plotItem.sceneBoundingRect().contains(pos)
        for item in (self._vline, self._hline, self._readout):
            item.setVisible(inside)
        if not inside:
            return
        point = self.plotItem.vb.mapSceneToView(pos)
        self._vline.setPos(point.x())
        self._hline.setPos(point.y())
        self._readout.setPos(point)
        self._readout.setText(self.readout(point.x()))

    def readout(self, x: float) -> str:
        """The value of each curve at the logged step nearest to ``x``."""
        lines = [self.tr("step {step:,.0f}").format(step=x)]
        for s in self.series:
            curve = self.curves[s.name]
            xs, ys = curve.getOriginalDataset()
            if xs is None or len(xs) == 0:
                continue
            i = int(np.clip(np.searchsorted(xs, x), 0, len(xs) - 1))
            if i > 0 and abs(xs[i - 1] - x) < abs(xs[i] - x):
                i -= 1
            lines.append(
                self.tr("{label}: {value:.4g} (step {step:,.0f})").format(
                    label=shown(s.label), value=ys[i], step=xs[i]
                )
            )
        return "\n".join(lines)

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
