"""Many short labels drawn by one graphics item (far cheaper than one TextItem each)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

logger = logging.getLogger(__name__)


class PointLabels(pg.GraphicsObject):
    """Text centred above data points, drawn at a fixed pixel size.

    One ``paint`` call with plain ``drawText`` per label; the view's zoom moves the
    anchor points but never scales the text.
    """

    def __init__(self, point_size: int = 8, lift_px: float = 7.0) -> None:
        super().__init__()
        self._font = QFont()
        self._font.setPointSize(point_size)
        self._lift = lift_px
        self._xy = np.zeros((0, 2))
        self._texts: list[str] = []
        self._colors: list[QColor] = []
        self._bounds = QRectF()

    def set_labels(
        self, xy: np.ndarray, texts: Sequence[str], colors: Sequence[str]
    ) -> None:
        """Replace every label: positions (N, 2) in data units, texts, colours."""
        self.prepareGeometryChange()
        self._xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        self._texts = list(texts)
        cache: dict[str, QColor] = {}
        self._colors = [cache.setdefault(c, QColor(c)) for c in colors]
        if len(self._xy):
            (x0, y0), (x1, y1) = self._xy.min(axis=0), self._xy.max(axis=0)
            self._bounds = QRectF(x0 - 1, y0 - 1, x1 - x0 + 2, y1 - y0 + 2)
        else:
            self._bounds = QRectF()
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._bounds

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
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom
        visible = painter.viewport()
        for (x, y), text, color in zip(self._xy, self._texts, self._colors):
            p = transform.map(QPointF(x, y))
            if not visible.adjusted(-80, -40, 80, 40).contains(p.toPoint()):
                continue
            painter.setPen(color)
            box = QRectF(p.x() - 60, p.y() - self._lift - 40, 120, 40)
            painter.drawText(box, int(flags), text)
        painter.restore()
