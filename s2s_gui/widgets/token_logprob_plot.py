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
from s2s_gui.widgets.empty_hint import EmptyHint
from s2s_gui.widgets.piece_ticks import PieceAxis, piece_ticks

logger = logging.getLogger(__name__)

HYP, REF = "#1f77b4", "#d62728"


class TokenLogprobPlot(pg.PlotWidget):
    """Two bar items created once: the hypothesis' pieces, then (when a reference is
    typed) the reference's, side by side on one row of piece labels and one y axis;
    bars point down from 0."""

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
        item.getAxis("bottom").setHeight(26)
        item.setMenuEnabled(False)
        show_grid(item, y=True)
        self.hyp = pg.BarGraphItem(x=[], height=[], width=0.7, brush=HYP, name="")
        self.ref = pg.BarGraphItem(x=[], height=[], width=0.7, brush=REF, name="")
        item.addItem(self.hyp)
        item.addItem(self.ref)
        # between the two sentences: a line, and which is which above each
        self.divider = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen("#808080", width=1)
        )
        item.addItem(self.divider, ignoreBounds=True)
        self.hyp_tag = pg.TextItem(self.tr("hypothesis"), color=HYP, anchor=(0, 1))
        self.ref_tag = pg.TextItem(self.tr("reference"), color=REF, anchor=(0, 1))
        for tag in (self.hyp_tag, self.ref_tag):
            item.addItem(tag, ignoreBounds=True)
        self.hint = EmptyHint(
            self,
            self.tr(
                "How sure the model was of each output piece; type a reference "
                "translation to compare."
            ),
        )
        self.counts = (0, 0)
        self._set_reference_shown(False)

    def _set_reference_shown(self, on: bool) -> None:
        for it in (self.ref, self.divider, self.ref_tag, self.hyp_tag):
            it.setVisible(on)

    def show_logprobs(
        self,
        hyp: np.ndarray | None,
        hyp_pieces: Sequence[str],
        ref: np.ndarray | None = None,
        ref_pieces: Sequence[str] = (),
    ) -> None:
        """Bars of the hypothesis' pieces, then of the reference's to their right."""
        hyp = np.zeros(0) if hyp is None else np.asarray(hyp, dtype=float)
        ref = np.zeros(0) if ref is None else np.asarray(ref, dtype=float)
        both = len(ref) > 0
        start = len(hyp) + 1  # the reference's first bar, one empty slot after
        self.hyp.setOpts(x=np.arange(len(hyp)), height=hyp, width=0.7)
        self.ref.setOpts(x=start + np.arange(len(ref)), height=ref, width=0.7)
        self._set_reference_shown(both)
        self.hint.set_empty(len(hyp) == 0 and not both)
        self.counts = (len(hyp), len(ref))
        labels = [(i, p) for i, p in enumerate(list(hyp_pieces)[: len(hyp)])]
        if both:
            labels += [
                (start + i, p) for i, p in enumerate(list(ref_pieces)[: len(ref)])
            ]
        self.plotItem.getAxis("bottom").setTicks(piece_ticks(labels))
        n = start + len(ref) if both else len(hyp)
        low = min(float(np.min(hyp, initial=0)), float(np.min(ref, initial=0)))
        low = min(low, -1.0)
        if both:
            self.divider.setPos(start - 1)
            self.hyp_tag.setPos(-0.4, low * 1.17)
            self.ref_tag.setPos(start - 0.4, low * 1.17)
        set_range_now(
            self.plotItem,
            xRange=(-0.7, max(n, 8) - 0.3),
            yRange=(low * 1.18 if both else low, 0.0),
            padding=0.05,
        )
