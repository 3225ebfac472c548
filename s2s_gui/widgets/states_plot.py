"""PCA scatter of encoder final states (one ScatterPlotItem), labels, trajectories."""

from __future__ import annotations

import html
import logging

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from engine.events import StatesResult
from s2s_gui.quirks.plot_cache import (
    cheap_axes,
    cheap_repaints,
    set_range_now,
    show_grid,
)
from s2s_gui.widgets.metric_plot import PALETTE, export_plot

logger = logging.getLogger(__name__)

TITLE = QT_TRANSLATE_NOOP("StatesPlot", "Encoder final states, projected with PCA")


def group_colors(groups: tuple[str, ...]) -> dict[str, str]:
    """A palette colour per group, in order of first appearance."""
    return {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(dict.fromkeys(groups))}


class StatesPlot(pg.PlotWidget):
    """Items are created once; ``show_result`` only calls setData and moves labels."""

    point_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems=cheap_axes())
        cheap_repaints(self)
        self.result: StatesResult | None = None
        self.fixed_colors: dict[str, str] = {}  # group -> its own colour (e.g. "red")
        item = self.plotItem
        item.setTitle(self.tr(TITLE))
        show_grid(item, x=True, y=True, alpha=0.2)
        item.setMenuEnabled(False)
        for side in ("bottom", "left"):
            item.getAxis(side).enableAutoSIPrefix(False)
        self.paths = pg.PlotCurveItem(
            pen=pg.mkPen("#a0a0a0", width=1), connect="finite"
        )
        self.scatter = pg.ScatterPlotItem(size=12, hoverable=True, tip=self._tip)
        self.selected = pg.ScatterPlotItem(
            size=20, brush=None, pen=pg.mkPen("#ff7f0e", width=3)
        )
        for it in (self.paths, self.scatter, self.selected):
            item.addItem(it)
        self._font = QFont()
        self._font.setPointSize(8)
        self._labels: list[pg.TextItem] = []
        self.show_labels = True
        self.show_paths = False
        self.scatter.sigClicked.connect(self._on_clicked)

    def show_result(self, result: StatesResult) -> None:
        self.result = result
        colors = self.group_colors(result.groups)
        pts = result.points
        self.scatter.setData(
            x=pts[:, 0],
            y=pts[:, 1],
            brush=[pg.mkBrush(colors[g]) for g in result.groups],
            pen=pg.mkPen("w", width=1),
            data=list(range(len(pts))),
        )
        self.selected.setData([], [])
        item = self.plotItem
        item.setLabel("bottom", self.variance_label(0, result.explained[0]))
        item.setLabel("left", self.variance_label(1, result.explained[1]))
        legend = " &nbsp; ".join(
            f"<span style='color:{c}'>●</span> {html.escape(g)}"
            for g, c in colors.items()
            if g
        )
        title = self.tr(TITLE)
        item.setTitle(f"{title}<br><span style='font-size:9pt'>{legend}</span>")
        self._draw_paths()
        self._place_labels()
        self._frame()

    def group_colors(self, groups: tuple[str, ...]) -> dict[str, str]:
        """The palette's colour per group, or the group's fixed colour when it has one."""
        fixed = self.fixed_colors
        return {g: fixed.get(g, c) for g, c in group_colors(groups).items()}

    def variance_label(self, axis: int, ratio: float) -> str:
        """``PC1 (43.2% of variance)``."""
        return self.tr("PC{n} ({share:.1f}% of variance)").format(
            n=axis + 1, share=100 * ratio
        )

    def _frame(self) -> None:
        """Fit the points, with room on the right for their labels."""
        pts = self.result.points if self.result is not None else np.zeros((0, 2))
        if not len(pts):
            return
        low, high = pts.min(axis=0), pts.max(axis=0)
        span = np.maximum(high - low, 1e-6)
        right = 0.35 if self.show_labels else 0.08
        set_range_now(
            self.plotItem,
            xRange=(low[0] - 0.08 * span[0], high[0] + right * span[0]),
            yRange=(low[1] - 0.1 * span[1], high[1] + 0.1 * span[1]),
            padding=0,
        )

    def _draw_paths(self) -> None:
        if not (self.show_paths and self.result and self.result.trajectories):
            self.paths.setData([], [])
            return
        parts = []
        for t in self.result.trajectories:
            parts.extend([t, np.full((1, 2), np.nan)])
        xy = np.concatenate(parts)
        self.paths.setData(xy[:, 0], xy[:, 1])

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
                label.setPos(*self.result.points[i])
                label.show()
            else:
                label.hide()

    def set_options(self, labels: bool, paths: bool) -> None:
        self.show_labels, self.show_paths = labels, paths
        self._draw_paths()
        self._place_labels()
        self._frame()

    def positions(self) -> np.ndarray:
        """The plotted points, (N, 2) (for tests)."""
        x, y = self.scatter.getData()
        return np.column_stack([x, y])

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
        p = self.result.points[index]
        self.selected.setData([p[0]], [p[1]])
        self.point_clicked.emit(index)

    def export(self, path: str) -> None:
        export_plot(self, path, self.tr("Encoder states (PCA)"))
