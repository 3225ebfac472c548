"""Sentence-length histograms of both sides of a corpus (two bar items, created once)."""

from __future__ import annotations

import logging

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from s2s_gui.quirks.plot_cache import cheap_axes, cheap_repaints, show_grid
from s2s_gui.widgets.metric_plot import PALETTE

logger = logging.getLogger(__name__)


class LengthHistogram(pg.PlotWidget):
    """Source and target lengths in words, side by side per length."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems=cheap_axes())
        cheap_repaints(self)
        item = self.plotItem
        item.setTitle(self.tr("Sentence lengths"))
        item.setLabel("bottom", self.tr("words"))
        item.setLabel("left", self.tr("pairs"))
        show_grid(item, y=True)
        self.legend = legend = item.addLegend(offset=(-8, 8))
        self.src_bars = pg.BarGraphItem(
            x=[], height=[], width=0.4, brush=PALETTE[0], pen=None
        )
        self.tgt_bars = pg.BarGraphItem(
            x=[], height=[], width=0.4, brush=PALETTE[1], pen=None
        )
        item.addItem(self.src_bars)
        item.addItem(self.tgt_bars)
        legend.addItem(self.src_bars, self.tr("source"))
        legend.addItem(self.tgt_bars, self.tr("target"))
        self._has_source = True

    def set_lengths(self, src: np.ndarray, tgt: np.ndarray) -> None:
        """Count pairs per length; bars sit left (source) and right (target) of each x."""
        top = int(max(src.max(initial=0), tgt.max(initial=0)))
        bins = np.arange(top + 2)
        src_counts = np.bincount(src.astype(np.int64), minlength=top + 1)
        tgt_counts = np.bincount(tgt.astype(np.int64), minlength=top + 1)
        # an image corpus has no source lengths: its captions' bars stand alone
        has_source = len(src) > 0 or len(tgt) == 0
        if has_source != self._has_source:
            self._has_source = has_source
            self.legend.clear()
            if has_source:
                self.legend.addItem(self.src_bars, self.tr("source"))
            self.legend.addItem(self.tgt_bars, self.tr("target"))
        shift, width = (0.2, 0.4) if has_source else (0.0, 0.6)
        self.src_bars.setOpts(x=bins[: top + 1] - 0.2, height=src_counts, width=0.4)
        self.tgt_bars.setOpts(x=bins[: top + 1] + shift, height=tgt_counts, width=width)
        self.plotItem.setXRange(-0.5, top + 0.5)
        self.plotItem.setYRange(0, 1.3 * max(src_counts.max(), tgt_counts.max(), 1))
