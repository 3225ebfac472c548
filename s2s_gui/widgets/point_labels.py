"""Many short labels drawn by one graphics item (far cheaper than one TextItem each)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QTransform
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

logger = logging.getLogger(__name__)

CELL = 48.0  # pixels: the grid that finds a label's possible neighbours


class PointLabels(pg.GraphicsObject):
    """One-line text to the right of data points, at a fixed pixel size.

    A label is drawn only where it touches neither a label already placed nor any
    point's marker (``marker_px`` across): the earlier labels win, so pass the
    important ones first. Zoomed out, labels thin out instead of overlapping.
    """

    def __init__(
        self, point_size: int = 8, marker_px: float = 11.0, gap_px: float = 3.0
    ) -> None:
        super().__init__()
        self._font = QFont()
        self._font.setPointSize(point_size)
        self.metrics = QFontMetricsF(self._font)
        self._marker = marker_px
        self._gap = gap_px
        self._xy = np.zeros((0, 2))
        self._points = np.zeros((0, 2))  # every marker, labelled or not
        self._texts: list[str] = []
        self._widths = np.zeros(0)
        self._colors: list[QColor] = []
        self._bounds = QRectF()
        self._backing = QColor(255, 255, 255, 200)

    def set_labels(
        self,
        xy: np.ndarray,
        texts: Sequence[str],
        colors: Sequence[str],
        markers: np.ndarray | None = None,
    ) -> None:
        """Replace every label: positions (N, 2) in data units, texts, colours; and the
        markers (M, 2) labels must keep clear of (default: the labelled points)."""
        self.prepareGeometryChange()
        self._xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        self._points = (
            self._xy if markers is None else np.asarray(markers, float).reshape(-1, 2)
        )
        self._texts = list(texts)
        self._widths = np.array(
            [self.metrics.horizontalAdvance(t) for t in self._texts], dtype=float
        )
        cache: dict[str, QColor] = {}
        self._colors = [cache.setdefault(c, QColor(c)) for c in colors]
        if len(self._points):
            (x0, y0), (x1, y1) = self._points.min(axis=0), self._points.max(axis=0)
            self._bounds = QRectF(x0 - 1, y0 - 1, x1 - x0 + 2, y1 - y0 + 2)
        else:
            self._bounds = QRectF()
        self.update()

    def max_width(self) -> float:
        """The widest label's width in pixels."""
        return float(self._widths.max()) if len(self._widths) else 0.0

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._bounds

    def marker_rects(self, transform: QTransform) -> list[QRectF]:
        """Every marker's square in device pixels under ``transform``."""
        half = self._marker / 2
        out = []
        for x, y in self._points:
            p = transform.map(QPointF(x, y))
            out.append(QRectF(p.x() - half, p.y() - half, 2 * half, 2 * half))
        return out

    def placed(self, transform: QTransform) -> list[tuple[int, QRectF]]:
        """(label index, its text rectangle in device pixels) of the labels drawn."""
        grid: dict[tuple[int, int], list[QRectF]] = {}

        def cells(r: QRectF):
            for i in range(int(r.left() // CELL), int(r.right() // CELL) + 1):
                for j in range(int(r.top() // CELL), int(r.bottom() // CELL) + 1):
                    yield i, j

        def clear(r: QRectF) -> bool:
            return not any(r.intersects(o) for c in cells(r) for o in grid.get(c, ()))

        for r in self.marker_rects(transform):
            for c in cells(r):
                grid.setdefault(c, []).append(r)
        height = self.metrics.height()
        shift = self._marker / 2 + self._gap
        out = []
        for i, ((x, y), width) in enumerate(zip(self._xy, self._widths, strict=True)):
            p = transform.map(QPointF(x, y))
            rect = QRectF(p.x() + shift, p.y() - height / 2, width, height)
            if clear(rect.adjusted(-1, -1, 1, 1)):
                out.append((i, rect))
                for c in cells(rect):
                    grid.setdefault(c, []).append(rect)
        return out

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        if not self._texts:
            return
        transform = painter.transform()
        painter.save()
        painter.resetTransform()
        painter.setFont(self._font)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        visible = QRectF(painter.viewport()).adjusted(-200, -40, 200, 40)
        for i, rect in self.placed(transform):
            if visible.intersects(rect):
                painter.fillRect(rect, self._backing)  # readable over the edges
                painter.setPen(self._colors[i])
                painter.drawText(rect, flags, self._texts[i])
        painter.restore()
