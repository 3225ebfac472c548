"""Plots in a grid of equal cells; after a resize, drawn one per pass of the event loop."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QRect, QSize, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget


class PlotGrid(QWidget):
    """Places ``plots`` row by row in ``columns`` equal columns, like a QGridLayout.

    A resized plot lays out and draws its axes anew, ~10 ms each with nothing else
    running. With six of them on the Train page, one resize of the window held the GUI
    thread 60-70 ms, and ~100 ms while a model trained. Here, when the grid is resized
    while shown, the first ``keep`` plots are resized and drawn in that pass; the others
    are hidden before they get their new cells, so they are neither laid out nor drawn
    there (their cells stay empty), and come back one per pass once no resize has come
    for ``settle_ms``. A window dragged to a new size draws only the first plot until it
    stops. A layout cannot do this: it resizes every widget before anyone can hide one.
    """

    def __init__(
        self,
        plots: Sequence[QWidget],
        columns: int,
        spacing: int = 4,
        keep: int = 1,
        settle_ms: int = 60,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.plots = list(plots)
        self._columns = columns
        self._rows = math.ceil(len(self.plots) / columns)
        self._spacing = spacing
        self._keep = keep
        self._hidden: list[QWidget] = []  # in the order they come back
        for plot in self.plots:
            plot.setParent(self)
        self._settle = QTimer(self, singleShot=True, interval=settle_ms)
        self._settle.timeout.connect(self._show_next)
        self._next = QTimer(self, singleShot=True, interval=0)  # the next pass
        self._next.timeout.connect(self._show_next)

    def pending(self) -> list[QWidget]:
        """The plots still hidden after the last resize, in the order they come back."""
        return list(self._hidden)

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
        # shown for the first time (or again, after a resize while hidden): all at once
        stagger = self.isVisible() and event.oldSize().isValid()
        if stagger:
            self._next.stop()
        for index, plot in enumerate(self.plots):
            if stagger and index >= self._keep and plot.isVisible():
                plot.hide()  # hidden first: the new geometry waits for the show
                self._hidden.append(plot)
            plot.setGeometry(self.cell(index))
        if stagger and self._hidden:
            self._hidden.sort(key=self.plots.index)
            self._settle.start()  # restarted while a resize goes on

    def _show_next(self) -> None:
        if self._hidden:
            self._hidden.pop(0).show()
        if self._hidden:
            self._next.start()
