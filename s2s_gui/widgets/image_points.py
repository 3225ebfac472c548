"""Small pictures drawn at data points of a plot, at a fixed pixel size."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPixmapItem, QGraphicsRectItem

logger = logging.getLogger(__name__)


class ImagePoints:
    """One pixmap item per point, centred on it; zooming moves but never scales them.

    A frame in the point's group colour keeps the colouring visible under the picture.
    """

    def __init__(self, plot: pg.PlotItem, px: int = 30) -> None:
        self._plot, self.px = plot, px
        self._items: list[tuple[QGraphicsPixmapItem, QGraphicsRectItem]] = []

    def __len__(self) -> int:
        return sum(1 for item, _ in self._items if item.isVisible())

    def set_points(
        self,
        xy: np.ndarray,
        images: Sequence[QImage | None],
        colors: Sequence[str],
    ) -> None:
        """Pictures at ``xy`` (N, 2); a None picture leaves its point plain."""
        while len(self._items) < len(images):
            item = QGraphicsPixmapItem()
            frame = QGraphicsRectItem(item)
            for it in (item, frame):
                it.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            item.setZValue(12)  # above the markers (10) and the selection ring (11)
            self._plot.addItem(item, ignoreBounds=True)
            self._items.append((item, frame))
        for i, (item, frame) in enumerate(self._items):
            image = images[i] if i < len(images) else None
            if image is None:
                item.hide()
                continue
            pixmap = QPixmap.fromImage(image).scaled(
                self.px,
                self.px,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            item.setPixmap(pixmap)
            item.setOffset(-pixmap.width() / 2, -pixmap.height() / 2)
            w, h = pixmap.width(), pixmap.height()
            frame.setRect(-w / 2 - 1, -h / 2 - 1, w + 2, h + 2)
            frame.setPen(QPen(QColor(colors[i]), 2))
            item.setPos(float(xy[i, 0]), float(xy[i, 1]))
            item.show()

    def clear(self) -> None:
        for item, _ in self._items:
            item.hide()
