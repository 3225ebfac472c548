"""PCA scatter of encoder final states (one ScatterPlotItem), labels, trajectories."""

from __future__ import annotations

import html
import logging

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtGui import QColor, QFont, QPainterPath, QTransform
from PySide6.QtWidgets import QWidget

from engine.events import StatesResult
from s2s_gui.quirks.plot_cache import (
    cheap_axes,
    cheap_repaints,
    set_range_now,
    show_grid,
)
from s2s_gui.widgets.empty_hint import EmptyHint
from s2s_gui.widgets.metric_plot import export_plot

logger = logging.getLogger(__name__)

TITLE = QT_TRANSLATE_NOOP("StatesPlot", "Encoder final states, projected with PCA")
# Tableau 10: a qualitative palette whose neighbours stay apart for most colour vision
SENTENCE_COLORS = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip
GROUP_SYMBOLS = ("o", "s", "t", "d", "star", "h", "p", "t1")
ARROW_ANGLES = (
    24  # arrow heads are drawn in this many directions (one atlas entry each)
)


def sentence_colors(count: int) -> list[str]:
    """A colour per sentence, in order; a sentence added later gets the next one."""
    return [SENTENCE_COLORS[i % len(SENTENCE_COLORS)] for i in range(count)]


def group_symbols(groups: tuple[str, ...]) -> dict[str, str]:
    """A marker shape per ``# group``, in order of first appearance."""
    return {
        g: GROUP_SYMBOLS[i % len(GROUP_SYMBOLS)]
        for i, g in enumerate(dict.fromkeys(groups))
    }


def _arrow_symbols() -> list[QPainterPath]:
    """Arrow heads pointing right, rotated to each of ``ARROW_ANGLES`` directions;
    pyqtgraph's y axis points up, so a positive angle turns counter-clockwise."""
    head = QPainterPath()
    head.moveTo(0.5, 0.0)
    head.lineTo(-0.5, 0.4)
    head.lineTo(-0.25, 0.0)
    head.lineTo(-0.5, -0.4)
    head.closeSubpath()
    out = []
    for k in range(ARROW_ANGLES):
        turn = QTransform()
        turn.rotate(-360.0 * k / ARROW_ANGLES)
        out.append(turn.map(head))
    return out


class StatesPlot(pg.PlotWidget):
    """Items are created once; ``show_result`` only calls setData and moves labels.

    Each sentence has a colour (its point, label and trajectory), each ``# group`` a
    marker shape. A trajectory starts at a hollow circle and carries arrow heads
    along its direction; the clicked point gets a ring and its trajectory stands out.
    """

    point_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems=cheap_axes())
        cheap_repaints(self)
        self.result: StatesResult | None = None
        self.colors: list[str] = []
        self.group_palette: dict[str, str] = {}  # group -> colour: colour by group
        self.chosen = -1
        item = self.plotItem
        item.setTitle(self.tr(TITLE))
        show_grid(item, x=True, y=True, alpha=0.2)
        item.setMenuEnabled(False)
        for side in ("bottom", "left"):
            item.getAxis(side).enableAutoSIPrefix(False)
        self._paths: list[pg.PlotCurveItem] = []  # one per sentence, kept for reuse
        self.starts = pg.ScatterPlotItem(size=9, brush=pg.mkBrush("#ffffff"))
        self.arrows = pg.ScatterPlotItem(size=10, pen=None)
        self.scatter = pg.ScatterPlotItem(size=12, hoverable=True, tip=self._tip)
        self.selected = pg.ScatterPlotItem(
            size=22, brush=pg.mkBrush(0, 0, 0, 0), pen=pg.mkPen("#202020", width=2.5)
        )
        for it in (self.starts, self.arrows, self.scatter, self.selected):
            it.setZValue(10 if it is not self.selected else 11)
            item.addItem(it)
        self._arrow_paths = _arrow_symbols()
        self._font = QFont()
        self._font.setPointSize(8)
        self._labels: list[pg.TextItem] = []
        self.show_labels = True
        self.show_paths = False
        self.hint = EmptyHint(
            self,
            self.tr(
                "Type sentences on the left (or pick a preset) to see where the "
                "encoder puts them."
            ),
        )
        self.scatter.sigClicked.connect(self._on_clicked)

    def show_result(self, result: StatesResult) -> None:
        self.result = result
        self.colors = self.colors_for(result)
        symbols = group_symbols(result.groups)
        pts = result.points
        self.hint.set_empty(not len(pts))
        self.scatter.setData(
            x=pts[:, 0],
            y=pts[:, 1],
            brush=[pg.mkBrush(c) for c in self.colors],
            symbol=[symbols[g] for g in result.groups],
            pen=pg.mkPen("w", width=1),
            data=list(range(len(pts))),
        )
        self.chosen = min(self.chosen, len(pts) - 1)
        item = self.plotItem
        item.setLabel("bottom", self.variance_label(0, result.explained[0]))
        item.setLabel("left", self.variance_label(1, result.explained[1]))
        shapes = {"o": "●", "s": "■", "t": "▼", "d": "◆", "star": "★", "h": "⬢"}
        legend = " &nbsp; ".join(
            f"{shapes.get(sym, '▲')} {html.escape(g)}"
            for g, sym in symbols.items()
            if g
        )
        title = self.tr(TITLE)
        item.setTitle(f"{title}<br><span style='font-size:9pt'>{legend}</span>")
        self._draw_paths()
        self._place_labels()
        self._frame()
        self._show_selection()

    def colors_for(self, result: StatesResult) -> list[str]:
        """A colour per sentence, or per group when ``group_palette`` names each."""
        palette = self.group_palette
        if palette and all(g in palette for g in result.groups):
            return [palette[g] for g in result.groups]
        return sentence_colors(len(result.sentences))

    def variance_label(self, axis: int, ratio: float) -> str:
        """``PC1 (43.2% of variance)``."""
        return self.tr("PC{n} ({share:.1f}% of variance)").format(
            n=axis + 1, share=100 * ratio
        )

    def _frame(self) -> None:
        """Fit the points (and the trajectories shown), with room for the labels."""
        if self.result is None or not len(self.result.points):
            return
        parts = [self.result.points]
        if self.show_paths:
            parts += [t for t in self.result.trajectories if len(t)]
        pts = np.concatenate(parts)
        low, high = pts.min(axis=0), pts.max(axis=0)
        span = np.maximum(high - low, 1e-6)
        right = 0.3 if self.show_labels else 0.08
        set_range_now(
            self.plotItem,
            xRange=(low[0] - 0.08 * span[0], high[0] + right * span[0]),
            yRange=(low[1] - 0.1 * span[1], high[1] + 0.1 * span[1]),
            padding=0,
        )

    def _trajectories(self) -> tuple[np.ndarray, ...]:
        if not (self.show_paths and self.result):
            return ()
        return self.result.trajectories

    def _draw_paths(self) -> None:
        paths = self._trajectories()
        while len(self._paths) < len(paths):
            curve = pg.PlotCurveItem()
            self.plotItem.addItem(curve)
            self._paths.append(curve)
        for i, curve in enumerate(self._paths):
            if i < len(paths) and len(paths[i]):
                curve.setData(paths[i][:, 0], paths[i][:, 1])
                curve.show()
            else:
                curve.setData([], [])
                curve.hide()
        self._style_paths()
        starts = [t[0] for t in paths if len(t)]
        colors = [self.colors[i] for i, t in enumerate(paths) if len(t)]
        self.starts.setData(
            pos=np.asarray(starts, dtype=float).reshape(-1, 2),
            pen=[pg.mkPen(c, width=2) for c in colors],
            brush=pg.mkBrush("#ffffff"),
        )

    def _style_paths(self) -> None:
        """Each trajectory in its sentence's colour; with a point chosen, its own drawn
        thick and the others faded."""
        for i, curve in enumerate(self._paths[: len(self._trajectories())]):
            color = QColor(self.colors[i])
            chosen = self.chosen < 0 or i == self.chosen
            color.setAlpha(220 if chosen else 70)
            width = 3.0 if i == self.chosen else 1.5
            curve.setPen(pg.mkPen(color, width=width))
            curve.setZValue(5 if i == self.chosen else 1)

    def _draw_arrows(self) -> None:
        """An arrow head halfway along each step of each trajectory, pointing on."""
        paths = self._trajectories()
        px, py = self.plotItem.vb.viewPixelSize()
        pos, symbols, brushes = [], [], []
        for i, t in enumerate(paths):
            if len(t) < 2:
                continue
            mid = (t[1:] + t[:-1]) / 2
            step = t[1:] - t[:-1]
            angle = np.arctan2(step[:, 1] / max(py, 1e-12), step[:, 0] / max(px, 1e-12))
            turns = np.round(angle / (2 * np.pi) * ARROW_ANGLES).astype(int)
            color = QColor(self.colors[i])
            color.setAlpha(255 if self.chosen < 0 or i == self.chosen else 70)
            brush = pg.mkBrush(color)
            for m, k in zip(mid, turns % ARROW_ANGLES, strict=True):
                pos.append(m)
                symbols.append(self._arrow_paths[int(k)])
                brushes.append(brush)
        self.arrows.setData(
            pos=np.asarray(pos, dtype=float).reshape(-1, 2),
            symbol=symbols,
            brush=brushes,
        )

    def _place_labels(self) -> None:
        shown = self.result.sentences if self.result and self.show_labels else ()
        while len(self._labels) < len(shown):
            label = pg.TextItem(anchor=(-0.1, 0.5), color="#303030")
            label.setFont(self._font)
            self.plotItem.addItem(label)
            self._labels.append(label)
        for i, label in enumerate(self._labels):
            if i < len(shown):
                label.setText(shown[i])
                label.setColor(QColor(self.colors[i]).darker(140))
                label.setPos(*self.result.points[i])
                label.show()
            else:
                label.hide()

    def set_options(self, labels: bool, paths: bool) -> None:
        self.show_labels, self.show_paths = labels, paths
        self._draw_paths()
        self._place_labels()
        self._frame()
        self._draw_arrows()

    def positions(self) -> np.ndarray:
        """The plotted points, (N, 2) (for tests)."""
        x, y = self.scatter.getData()
        return np.column_stack([x, y])

    def point_colors(self) -> list[str]:
        """Each plotted point's fill colour, ``#rrggbb`` (for tests)."""
        return [QColor(b.color()).name() for b in self.scatter.data["brush"]]

    def path_colors(self) -> list[str]:
        """Each shown trajectory's colour, ``#rrggbb`` (for tests)."""
        return [
            c.opts["pen"].color().name()
            for c in self._paths[: len(self._trajectories())]
            if c.isVisible()
        ]

    def _tip(self, x: float, y: float, data: object) -> str:
        if self.result is None:
            return ""
        i = int(data)
        group = self.result.groups[i]
        note = self.tr("(group: {group})").format(group=group) if group else ""
        return self.result.sentences[i] + (f"\n{note}" if note else "")

    def _on_clicked(self, _item: object, points: list, *_: object) -> None:
        if len(points):
            self.select(int(points[0].data()))

    def select(self, index: int) -> None:
        if self.result is None or not 0 <= index < len(self.result.sentences):
            return
        self.chosen = index
        self._show_selection()
        self.point_clicked.emit(index)

    def _show_selection(self) -> None:
        if self.result is None or not 0 <= self.chosen < len(self.result.points):
            self.selected.setData([], [])
        else:
            p = self.result.points[self.chosen]
            self.selected.setData([p[0]], [p[1]])
        self._style_paths()
        self._draw_arrows()

    def export(self, path: str) -> None:
        export_plot(self, path, self.tr("Encoder states (PCA)"))
