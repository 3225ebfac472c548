"""A centred grey hint over an empty plot, saying what fills it; hidden once data comes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QLayout, QSizePolicy, QWidget


class EmptyHint(QLabel):
    """A label centred over ``plot`` by a layout of its own; ``set_empty(False)`` hides
    it and brings back the tick numbers it hid.

    A child widget, not a scene item: it neither joins the plot's auto-range nor asks
    for a repaint of the plotted items. Placed by a layout, not by an event filter in
    Python, so nothing of it runs while the plot is being torn down.
    """

    def __init__(self, plot: QWidget, text: str) -> None:
        super().__init__(text, plot)
        self.setObjectName("emptyPlotHint")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet("color: #707070; background: transparent;")
        self.setMaximumWidth(360)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QGridLayout(plot)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(20, 20, 20, 20)
        layout.addWidget(self, 0, 0, Qt.AlignmentFlag.AlignCenter)
        self._plot = plot
        self._empty = False
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
