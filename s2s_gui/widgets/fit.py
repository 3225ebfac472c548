"""Small layout helpers that let the window fit a laptop screen (1280x720 and up)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QWidget


def scrolled(page: QWidget) -> QScrollArea:
    """``page`` in a frameless scroll area: on a small screen it scrolls instead of
    forcing the window taller or wider than the screen."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


def group(*widgets: QWidget) -> QWidget:
    """Widgets that stay on one row of a wrapping toolbar (a label and its field)."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    return box
