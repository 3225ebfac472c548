"""The window fits a laptop screen: 1366x768 and 1280x720, every tab's controls visible."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QWidget,
)

# What a 1280x720 screen leaves to the window's contents: a title bar and borders
# (~40 px high, ~16 wide) and a desktop panel (~32 px).
FRAME = QSize(16, 72)
CONTROLS = (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit)


def in_scroll_area(widget: QWidget, page: QWidget) -> bool:
    """Whether ``widget`` lies in a scroll area below ``page`` (it may scroll away)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not page:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def clipped_controls(page: QWidget) -> list[str]:
    """The page's visible controls outside its rectangle (scroll areas excepted)."""
    bounds = page.rect()
    out = []
    for widget in page.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(page):
            continue
        if in_scroll_area(widget, page):
            continue
        rect = QRect(widget.mapTo(page, QPoint(0, 0)), widget.size())
        if not bounds.contains(rect):
            out.append(
                f"{type(widget).__name__} {widget.text() if hasattr(widget, 'text') else ''} at {rect}"
            )
    return out


def test_minimum_size_fits_1280x720(window):
    window.show()
    screen = QSize(1280, 720) - FRAME
    hint = window.minimumSizeHint()
    assert hint.width() <= screen.width() and hint.height() <= screen.height(), hint
    window.resize(screen)
    assert window.width() <= screen.width() and window.height() <= screen.height()


@pytest.mark.parametrize("size", [QSize(1280, 720), QSize(1366, 768)])
def test_every_tab_shows_its_controls(qtbot, window, size):
    window.show()
    window.resize(size - FRAME)
    tabs = window.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        page = tabs.widget(index)
        qtbot.waitUntil(lambda page=page: page.isVisible() and page.width() > 0)
        qtbot.waitUntil(lambda page=page: not clipped_controls(page), timeout=2_000)
    view = window.evaluate_view
    tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.start.isVisible())
    start = QRect(view.start.mapTo(view, QPoint(0, 0)), view.start.size())
    assert view.rect().contains(start)


def test_the_first_window_fits_the_screen():
    from s2s_gui.app import PREFERRED_SIZE, default_size

    laptop = default_size(QSize(1280, 720 - 32))  # minus a desktop panel
    assert laptop.width() <= 1280 and laptop.height() <= 720 - 32
    assert default_size(QSize(2560, 1400)) == PREFERRED_SIZE
