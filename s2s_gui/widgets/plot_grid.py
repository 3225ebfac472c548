"""Plots placed row by row in equal columns, drawn one per pass after a resize."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget

from s2s_gui.quirks.reveal import StaggeredReveal


class PlotGrid(QWidget):
    """Places ``plots`` row by row in ``columns`` equal columns, like a QGridLayout,
    and after a resize draws them one per pass (``StaggeredReveal``, which a layout
    would defeat).
    """

    def __init__(
        self,
        plots: Sequence[QWidget],
        columns: int,
        spacing: int = 4,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.plots = list(plots)
        self._columns = columns
        self._rows = math.ceil(len(self.plots) / columns)
        self._spacing = spacing
        for plot in self.plots:
            plot.setParent(self)
        self.reveal = StaggeredReveal(self, self.plots)

    def cell(self, index: int) -> QRect:
        """The rectangle of plot ``index`` at the grid's current size."""
        row, column = divmod(index, self._columns)
        gap = self._spacing
        width = (self.width() - gap * (self._columns - 1)) / self._columns
        height = (self.height() - gap * (self._rows - 1)) / self._rows
        left, top = round(column * (width + gap)), round(row * (height + gap))
        right = round(column * (width + gap) + width)
        bottom = round(row * (height + gap) + height)
        return QRect(left, top, right - left, bottom - top)

    def _span(self, size: QSize) -> QSize:
        gap = self._spacing
        return QSize(
            size.width() * self._columns + gap * (self._columns - 1),
            size.height() * self._rows + gap * (self._rows - 1),
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        cell = QSize(0, 0)
        for plot in self.plots:
            cell = cell.expandedTo(plot.minimumSize()).expandedTo(
                plot.minimumSizeHint()
            )
        return self._span(cell)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSizeHint().expandedTo(self._span(QSize(320, 220)))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        for index, plot in enumerate(self.plots):
            plot.setGeometry(self.cell(index))
