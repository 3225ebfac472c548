"""Per-token log-probabilities of a hypothesis and, when typed, of a reference."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from s2s_gui.quirks.plot_cache import (
    cheap_axes,
    cheap_repaints,
    set_range_now,
    show_grid,
)
from s2s_gui.widgets.piece_ticks import PieceAxis, piece_ticks

logger = logging.getLogger(__name__)

HYP, REF = "#1f77b4", "#d62728"


class TokenLogprobPlot(pg.PlotWidget):
    """Two bar items created once (hypothesis, reference); bars point down from 0."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems=cheap_axes(bottom=PieceAxis("bottom")))
        cheap_repaints(self)
        item = self.plotItem
        item.setTitle(
            self.tr(
                "Log-prob per piece: <span style='color:{hyp}'>■ hypothesis</span>"
                " &nbsp; <span style='color:{ref}'>■ reference</span>"
            ).format(hyp=HYP, ref=REF),
            size="9pt",
        )
        item.setLabel("left", self.tr("log-prob"))
        # a fixed width: sized to its tick labels, the axis relayouted the plot after
        # its first paint and both axes were drawn twice
        item.getAxis("left").setWidth(48)
        item.getAxis("bottom").setHeight(26)  # as show_logprobs sets it for one line
        item.setMenuEnabled(False)
        show_grid(item, y=True)
        self.hyp = pg.BarGraphItem(x=[], height=[], width=0.4, brush=HYP, name="")
        self.ref = pg.BarGraphItem(x=[], height=[], width=0.4, brush=REF, name="")
        item.addItem(self.hyp)
        item.addItem(self.ref)
        self.counts = (0, 0)

    def show_logprobs(
        self,
        hyp: np.ndarray | None,
        hyp_pieces: Sequence[str],
        ref: np.ndarray | None = None,
        ref_pieces: Sequence[str] = (),
    ) -> None:
        """Bars of the hypothesis (left of each tick) and the reference (right)."""
        hyp = np.zeros(0) if hyp is None else np.asarray(hyp, dtype=float)
        ref = np.zeros(0) if ref is None else np.asarray(ref, dtype=float)
        both = len(ref) > 0
        shift = 0.2 if both else 0.0
        self.hyp.setOpts(
            x=np.arange(len(hyp)) - shift, height=hyp, width=0.4 if both else 0.7
        )
        self.ref.setOpts(x=np.arange(len(ref)) + shift, height=ref, width=0.4)
        self.ref.setVisible(both)
        self.counts = (len(hyp), len(ref))
        n = max(len(hyp), len(ref))
        labels = []
        for i in range(n):
            top = hyp_pieces[i] if i < len(hyp_pieces) else ""
            low = ref_pieces[i] if both and i < len(ref_pieces) else ""
            labels.append((i, f"{top}\n{low}" if both else top))
        axis = self.plotItem.getAxis("bottom")
        axis.setTicks(piece_ticks(labels))
        axis.setHeight(44 if both else 26)  # two lines: hypothesis over reference
        low = min(float(np.min(hyp, initial=0)), float(np.min(ref, initial=0)))
        set_range_now(
            self.plotItem,
            xRange=(-0.7, max(n, 8) - 0.3),
            yRange=(min(low, -1.0), 0.0),
            padding=0.05,
        )
