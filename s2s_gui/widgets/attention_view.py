"""Attention heatmap of one hypothesis: target pieces (rows) x source pieces (columns)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QCursor, QFont, QFontMetricsF
from PySide6.QtWidgets import QToolTip, QWidget

from s2s_gui.quirks.plot_cache import cheap_axes, cheap_repaints, set_range_now
from s2s_gui.widgets.empty_hint import EmptyHint
from s2s_gui.widgets.piece_ticks import PieceAxis, Ticks, piece_ticks

logger = logging.getLogger(__name__)


def ticks(pieces: Sequence[str]) -> Ticks:
    """Axis ticks centred on each cell (fewer labels when crowded: ``piece_ticks``)."""
    return piece_ticks([(i + 0.5, p) for i, p in enumerate(pieces)])


BOTTOM_PX = 64  # the source pieces, written upwards (longer ones are elided)


class AttentionView(pg.PlotWidget):
    """One ImageItem (``setImage(weights, levels=(0, 1))``), piece ticks on both axes.

    Every row and column keeps a label: the view shows as many cells as have room for
    one, and a longer sentence scrolls (drag, or the wheel to zoom; A fits it all).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            parent,
            axisItems=cheap_axes(
                bottom=PieceAxis("bottom", vertical_text=True), left=PieceAxis("left")
            ),
        )
        cheap_repaints(self)
        item = self.plotItem
        # which axis is which goes in the title: a bottom axis label would take the
        # height of one more row of cells
        item.setTitle(
            self.tr("Attention")
            + " <span style='font-size:8pt'>"
            + self.tr("(rows: output pieces · columns: source pieces)")
            + "</span>",
            size="10pt",
        )
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
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, small.pointSizeF() - 1))  # more pieces fit
        for side in ("bottom", "left"):
            axis = item.getAxis(side)
            axis.setStyle(tickTextOffset=4, tickFont=small)
        item.getAxis("left").setWidth(80)
        item.getAxis("bottom").setHeight(BOTTOM_PX)
        self.shape = (0, 0)
        self.source: tuple[str, ...] = ()
        self.target: tuple[str, ...] = ()
        self.weights = np.zeros((0, 0))
        self.hint = EmptyHint(
            self,
            self.tr(
                "Type a sentence on the left: which source pieces each output piece "
                "looked at shows here."
            ),
        )
        self._proxy = pg.SignalProxy(
            self.scene().sigMouseMoved, rateLimit=20, slot=self._on_mouse_moved
        )

    def cell_px(self) -> tuple[float, float]:
        """The least pixels a column and a row need for their labels."""
        axis = self.getAxis("left")
        height = QFontMetricsF(axis.style["tickFont"] or axis.font()).height()
        return height + 2 * PieceAxis.GAP + 1, height + PieceAxis.GAP + 1

    def readout_at(self, x: float, y: float) -> str:
        """What the cell at data point (x, y) holds: source, output piece and weight."""
        rows, cols = self.shape
        col, row = int(np.floor(x)), int(np.floor(y))
        if not (0 <= row < rows and 0 <= col < cols):
            return ""
        return self.tr("source {src} · output {tgt} · weight {w:.3f}").format(
            src=self.source[col], tgt=self.target[row], w=float(self.weights[row, col])
        )

    def _on_mouse_moved(self, args: tuple[QPointF]) -> None:
        pos = args[0]
        vb = self.plotItem.vb
        inside = vb.sceneBoundingRect().contains(pos)
        point = vb.mapSceneToView(pos)
        text = self.readout_at(point.x(), point.y()) if inside else ""
        if text:
            QToolTip.showText(QCursor.pos(), text, self)
        else:
            QToolTip.hideText()

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
            self.hint.set_empty(weights is not None)
            item.getAxis("bottom").setTicks([])
            item.getAxis("left").setTicks([])
            return
        self.message.hide()
        self.hint.set_empty(False)
        rows, cols = weights.shape
        self.image.setImage(np.asarray(weights, dtype=np.float32), levels=(0.0, 1.0))
        self.image.setRect(0, 0, cols, rows)
        self.shape = (rows, cols)
        self.source, self.target = tuple(source[:cols]), tuple(target[:rows])
        self.weights = np.asarray(weights, dtype=float)
        item.getAxis("bottom").setTicks(ticks(source[:cols]))
        item.getAxis("left").setTicks(ticks(target[:rows]))
        vb = item.getViewBox()
        col_px, row_px = self.cell_px()
        fit_cols = max(1, int((vb.width() or 400) // col_px))
        fit_rows = max(1, int((vb.height() or 300) // row_px))
        vb.setLimits(xMin=-0.5, xMax=cols + 0.5, yMin=-0.5, yMax=rows + 0.5)
        # the first columns the first output pieces looked at (a reordering, say the
        # reverse task, starts at the far end)
        first = np.asarray(weights[: min(rows, fit_rows)], dtype=float).sum(axis=0)
        peak = int(np.argmax(first)) if first.size else 0
        x0 = int(np.clip(peak - fit_cols // 2, 0, max(0, cols - fit_cols)))
        set_range_now(
            item,
            xRange=(x0, x0 + min(cols, fit_cols)),
            yRange=(0, min(rows, fit_rows)),
            padding=0.01,
        )
