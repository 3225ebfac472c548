"""Attention heatmap of one hypothesis: target pieces (rows) x source pieces (columns)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from s2s_gui.quirks.plot_cache import cheap_axes, cheap_repaints, set_range_now
from s2s_gui.widgets.piece_ticks import PieceAxis, Ticks, piece_ticks

logger = logging.getLogger(__name__)


def ticks(pieces: Sequence[str]) -> Ticks:
    """Axis ticks centred on each cell (fewer labels when crowded: ``piece_ticks``)."""
    return piece_ticks([(i + 0.5, p) for i, p in enumerate(pieces)])


class AttentionView(pg.PlotWidget):
    """One ImageItem (``setImage(weights, levels=(0, 1))``), piece ticks on both axes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            parent,
            axisItems=cheap_axes(bottom=PieceAxis("bottom"), left=PieceAxis("left")),
        )
        cheap_repaints(self)
        item = self.plotItem
        item.setTitle(self.tr("Attention"))
        item.setLabel("bottom", self.tr("source pieces"))
        item.setLabel("left", self.tr("output pieces"))
        item.setMenuEnabled(False)
        item.invertY(True)  # the first output piece on top
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("viridis"))
        item.addItem(self.image)
        self.colorbar = pg.ColorBarItem(
            values=(0, 1),
            colorMap=pg.colormap.get("viridis"),
            width=12,
            interactive=False,
        )
        self.colorbar.setImageItem(self.image, insert_in=item)
        cheap_repaints(self.colorbar)  # a PlotItem of its own, with its own axes
        self.message = pg.TextItem(color="#606060", anchor=(0.5, 0.5))
        # A TextItem keeps its size on screen, so its bounds in data space change with
        # the view; counted in auto-range it fed a repaint loop (~60 passes, 7 ms each,
        # whenever the view was shown). The range is set explicitly for each result.
        item.addItem(self.message, ignoreBounds=True)
        item.disableAutoRange()
        item.setRange(xRange=(0, 1), yRange=(0, 1), padding=0.02)
        for side in ("bottom", "left"):
            axis = item.getAxis(side)
            axis.setStyle(tickTextOffset=4)
        item.getAxis("left").setWidth(80)
        self.shape = (0, 0)

    def show_attention(
        self,
        weights: np.ndarray | None,
        source: Sequence[str],
        target: Sequence[str],
    ) -> None:
        """Show (T, S) weights; None (a model without attention) shows a note instead."""
        item = self.plotItem
        if weights is None or weights.size == 0:
            self.image.clear()
            self.shape = (0, 0)
            self.message.setText(
                self.tr(
                    "This model has no attention: the decoder only sees the encoder's "
                    "final state."
                )
                if weights is None
                else ""
            )
            self.message.setPos(0.5, 0.5)
            self.message.show()
            item.getAxis("bottom").setTicks([])
            item.getAxis("left").setTicks([])
            return
        self.message.hide()
        rows, cols = weights.shape
        self.image.setImage(np.asarray(weights, dtype=np.float32), levels=(0.0, 1.0))
        self.image.setRect(0, 0, cols, rows)
        self.shape = (rows, cols)
        item.getAxis("bottom").setTicks(ticks(source[:cols]))
        item.getAxis("left").setTicks(ticks(target[:rows]))
        set_range_now(item, xRange=(0, cols), yRange=(0, rows), padding=0.02)
