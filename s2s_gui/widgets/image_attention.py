"""A picture with one generated word's attention drawn over it as a translucent heatmap."""

from __future__ import annotations

import logging

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from s2s_gui.image_overlay import alpha_map, grid_shape, overlay_rgba

logger = logging.getLogger(__name__)

OVERLAY_MIN_PX = 384  # a small picture's heatmap is computed finer than its pixels


class ImageAttentionView(QWidget):
    """Paints the picture fitted to the widget, then the current word's heatmap.

    The heatmap is the word's attention row upsampled from the encoder's (h, w) grid
    to the whole picture (the CNN saw the whole picture, resized), normalised so the
    most attended cell is the most opaque.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(QSize(240, 240))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.lut = pg.colormap.get("inferno").getLookupTable(
            0.0, 1.0, 256, alpha=False, mode="byte"
        )
        self.picture: QImage | None = None
        self.attention: np.ndarray | None = None  # (T, h * w)
        self.grid: tuple[int, int] | None = None
        self.word: int | None = None
        self.smooth = True
        self.alpha: np.ndarray | None = None  # (H, W) of the word shown, for tests
        self._overlay: QImage | None = None

    # ------------------------------------------------------------------ input
    def set_picture(self, picture: QImage | None) -> None:
        self.picture = picture
        self._rebuild()

    def set_attention(
        self, attention: np.ndarray | None, grid: tuple[int, int] | None
    ) -> None:
        """Rows (T, h*w) of the hypothesis shown, or None (no overlay)."""
        self.attention = attention
        self.grid = (
            grid_shape(attention.shape[1], grid) if attention is not None else None
        )
        self._rebuild()

    def show_word(self, index: int | None) -> None:
        """Draw the attention of output position ``index`` (None: the plain picture)."""
        self.word = index
        self._rebuild()

    def set_smooth(self, smooth: bool) -> None:
        self.smooth = smooth
        self._rebuild()

    # ------------------------------------------------------------------ drawing
    def overlay_size(self) -> tuple[int, int]:
        """(width, height) the heatmap is computed at: the picture's, times an integer."""
        if self.picture is None:
            return (0, 0)
        w, h = self.picture.width(), self.picture.height()
        k = max(1, OVERLAY_MIN_PX // max(w, h, 1))
        return (w * k, h * k)

    def _rebuild(self) -> None:
        self.alpha, self._overlay = None, None
        t = self.word
        if (
            self.picture is not None
            and self.attention is not None
            and t is not None
            and 0 <= t < len(self.attention)
        ):
            size = self.overlay_size()
            self.alpha = alpha_map(self.attention[t], self.grid, size, self.smooth)
            rgba = overlay_rgba(self.alpha, self.lut)
            self._overlay = QImage(
                rgba.data, size[0], size[1], 4 * size[0], QImage.Format.Format_RGBA8888
            ).copy()
        self.update()

    def image_rect(self) -> QRect:
        """Where the picture is drawn: fitted to the widget, aspect kept, centred."""
        if self.picture is None:
            return QRect()
        size = self.picture.size().scaled(
            self.size() - QSize(8, 8), Qt.AspectRatioMode.KeepAspectRatio
        )
        x = (self.width() - size.width()) // 2
        y = (self.height() - size.height()) // 2
        return QRect(x, y, size.width(), size.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        if self.picture is None:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                self.rect(),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                self.tr("Open or drop an image, or pick one on the left."),
            )
            return
        rect = self.image_rect()
        # enlarged pixels stay sharp (the built-in pictures are 64 px); shrunk
        # photographs are smoothed
        smooth = rect.width() < self.picture.width()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
        painter.drawImage(rect, self.picture)
        if self._overlay is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(rect, self._overlay)
        painter.setPen(QPen(QColor("#808080"), 1))
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
