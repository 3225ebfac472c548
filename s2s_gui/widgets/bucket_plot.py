"""BLEU per bucket as bars with sentence counts (Sutskever et al. 2014, Figure 3)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QWidget

from engine.events import Bucket
from s2s_gui.quirks.plot_cache import (
    cheap_axes,
    cheap_repaints,
    set_range_now,
    show_grid,
)
from s2s_gui.widgets.empty_hint import EmptyHint

logger = logging.getLogger(__name__)

BAR, CHOSEN = "#1f77b4", "#ff7f0e"
FEW = 5  # a bucket of fewer sentences gives a BLEU that says little: shown hatched


class BucketPlot(pg.PlotWidget):
    """One BarGraphItem; clicking a bar emits its index (clicking again: -1)."""

    bucket_clicked = Signal(int)

    def __init__(self, title: str, x_label: str, parent: QWidget | None = None):
        super().__init__(parent, axisItems=cheap_axes())
        cheap_repaints(self)
        self.buckets: tuple[Bucket, ...] = ()
        self.chosen = -1
        item = self.plotItem
        item.setTitle(title, size="10pt")
        item.setLabel("bottom", x_label)
        item.setLabel("left", "BLEU")
        item.setMenuEnabled(False)
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        show_grid(item, y=True)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush=BAR)
        item.addItem(self.bars)
        self._font = QFont()
        self._font.setPointSize(8)
        self._counts: list[pg.TextItem] = []
        self.hint = EmptyHint(
            self, self.tr("Press Evaluate to see BLEU per bucket of the test set.")
        )
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.scene().sigMouseMoved.connect(self._on_scene_moved)

    def show_buckets(self, buckets: Sequence[Bucket]) -> None:
        self.buckets, self.chosen = tuple(buckets), -1
        heights = np.array([b.bleu for b in self.buckets], dtype=float)
        self._paint()
        while len(self._counts) < len(self.buckets):
            text = pg.TextItem(anchor=(0.5, 1.0), color="#303030")
            text.setFont(self._font)
            self.plotItem.addItem(text)
            self._counts.append(text)
        for i, text in enumerate(self._counts):
            if i < len(self.buckets):
                b = self.buckets[i]
                count = (
                    self.tr("n={n} (few)").format(n=b.count)
                    if self.few(i)
                    else f"n={b.count}"
                )
                text.setText(f"{b.bleu:.1f}\n{count}")
                text.setColor("#a05000" if self.few(i) else "#303030")
                text.setPos(i, float(heights[i]))
                text.show()
            else:
                text.hide()
        axis = self.plotItem.getAxis("bottom")
        axis.setTicks([[(i, b.label) for i, b in enumerate(self.buckets)]])
        top = float(np.nanmax(heights, initial=1.0)) if len(heights) else 1.0
        set_range_now(
            self.plotItem,
            xRange=(-0.6, max(len(self.buckets), 1) - 0.4),
            yRange=(0, max(top, 1.0) * 1.3),
            padding=0,
        )

    def few(self, index: int) -> bool:
        """Whether bucket ``index`` holds too few sentences for its BLEU to mean much."""
        return self.buckets[index].count < FEW

    def tip(self, index: int) -> str:
        """The tooltip of bar ``index``."""
        b = self.buckets[index]
        text = self.tr("{label}: BLEU {bleu:.1f} over {n} sentences").format(
            label=b.label, bleu=b.bleu, n=b.count
        )
        if self.few(index):
            text += "\n" + self.tr(
                "Only {n} sentences: this BLEU may be far from the model's real "
                "quality on such sentences."
            ).format(n=b.count)
        return text

    def _brush(self, index: int) -> QBrush:
        color = CHOSEN if index == self.chosen else BAR
        if not self.few(index):
            return QBrush(QColor(color))
        faded = QColor(color)
        return QBrush(faded, Qt.BrushStyle.BDiagPattern)  # hatched: few sentences

    def _paint(self) -> None:
        n = len(self.buckets)
        brushes = [self._brush(i) for i in range(n)]
        pens = [pg.mkPen(CHOSEN if i == self.chosen else BAR) for i in range(n)]
        self.hint.set_empty(n == 0)
        self.bars.setOpts(
            x=np.arange(n),
            height=[b.bleu for b in self.buckets],
            width=0.7,
            brushes=brushes,
            pens=pens,
        )

    def bar_at(self, scene_pos: QPointF) -> int:
        """The bar under a scene point, or -1."""
        point = self.plotItem.vb.mapSceneToView(scene_pos)
        i = int(round(point.x()))
        inside = 0 <= i < len(self.buckets) and abs(point.x() - i) <= 0.35
        return i if inside else -1

    def _on_scene_moved(self, pos: QPointF) -> None:
        i = self.bar_at(pos)
        self.setToolTip(self.tip(i) if i >= 0 else "")

    def _on_scene_clicked(self, event: object) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self.buckets:
            return
        i = self.bar_at(event.scenePos())
        if i >= 0:
            self.choose(-1 if i == self.chosen else i)

    def choose(self, index: int, emit: bool = True) -> None:
        """Highlight bar ``index`` (-1: none) and emit ``bucket_clicked``."""
        self.chosen = index
        self._paint()
        if emit:
            self.bucket_clicked.emit(index)
