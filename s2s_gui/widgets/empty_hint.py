"""A centred grey hint over an empty plot, saying what fills it; hidden once data comes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget


class EmptyHint(QLabel):
    """A label laid over ``plot``'s centre; ``set_empty(False)`` hides it.

    A child widget, not a scene item: it neither joins the plot's auto-range nor asks
    for a repaint of the plotted items when it is shown or hidden.
    """

    def __init__(self, plot: QWidget, text: str) -> None:
        super().__init__(text, plot)
        self.setObjectName("emptyPlotHint")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet("color: #707070; background: transparent;")
        self._plot = plot
        self._empty = False
        plot.installEventFilter(self)
        self._place()
        self.set_empty(True)

    def set_empty(self, empty: bool) -> None:
        """Show the hint (and no tick numbers, which would mean nothing) or hide it."""
        if empty == self._empty:
            return
        self._empty = empty
        self.setVisible(empty)
        axis_of = getattr(self._plot, "getAxis", None)
        if axis_of is not None:
            for side in ("left", "bottom"):
                axis_of(side).setStyle(showValues=not empty)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._plot and event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        width = max(120, min(self._plot.width() - 40, 360))
        height = self.heightForWidth(width) if self.wordWrap() else 40
        self.setGeometry(
            (self._plot.width() - width) // 2,
            (self._plot.height() - height) // 2,
            width,
            max(height, 20),
        )
