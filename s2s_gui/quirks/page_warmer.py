"""Lay out and paint a tab widget's hidden plot pages ahead, while the app is idle."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QRect, QTimer
from PySide6.QtWidgets import QTabWidget, QWidget

from s2s_gui.quirks import enabled


class PageWarmer(QObject):
    """Paints each hidden page that holds plots once, at the size it will be shown at.

    A QTabWidget sizes a page only when it is first shown, so showing a page of plots
    the first time laid it out and drew every axis from scratch in one pass: 45-65 ms
    of the GUI thread for Translate, up to 140 ms for Train, a stall a person feels,
    and one the stall probe counts when it happens during training. Here the pages
    are given the visible page's geometry and rendered off screen (``grab``) while the
    app is idle, after the window first shows and after each resize settles: in one
    pass a page is laid out, and in each of the next its plots are drawn one at a time
    (the Train page's six in one pass took 55-65 ms with nothing training). The axes'
    pixmaps (see ``plot_cache``) then survive until the real show. With quirk
    ``page_warm`` off it does nothing, and ``pending`` is always empty.
    """

    def __init__(self, tabs: QTabWidget, delay_ms: int = 400) -> None:
        super().__init__(tabs)
        self._tabs = tabs
        # (page, None): lay the page out; (page, plot): draw one of its plots
        self._pending: list[tuple[QWidget, pg.GraphicsView | None]] = []
        self._drawing: dict[int, int] = {}  # id(page) -> its plots still to draw
        self._warmed: dict[int, QRect] = {}  # id(page) -> the geometry it was drawn at
        self._settle = QTimer(self, singleShot=True, interval=delay_ms)
        self._settle.timeout.connect(self._begin)
        self._next = QTimer(self, singleShot=True, interval=0)  # after pending paints
        self._next.timeout.connect(self._warm_next)
        self.active = enabled("page_warm")
        if self.active:
            tabs.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._tabs and event.type() in (
            QEvent.Type.Show,
            QEvent.Type.Resize,
        ):
            self._settle.start()  # restarted while a resize goes on
        return False

    def pending(self) -> list[QWidget]:
        """Hidden pages with plots not yet drawn at the visible page's geometry."""
        current = self._tabs.currentWidget()
        if current is None or not self.active:
            return []
        pages = (self._tabs.widget(i) for i in range(self._tabs.count()))
        return [
            page
            for page in pages
            if page is not current
            and (
                self._warmed.get(id(page)) != current.geometry()
                or self._drawing.get(id(page))
            )
            and page.findChildren(pg.GraphicsView)
        ]

    def _begin(self) -> None:
        self._drawing.clear()
        self._pending = [(page, None) for page in self.pending()]
        self._next.start()

    def _warm_next(self) -> None:
        current = self._tabs.currentWidget()
        if not self._pending or current is None or not self._tabs.isVisible():
            return
        page, plot = self._pending.pop(0)
        if page is current:  # shown meanwhile: the show draws it
            self._drawing.pop(id(page), None)
            self._pending = [job for job in self._pending if job[0] is not page]
        elif plot is not None:
            plot.grab()  # paints it, filling its axes' caches
            self._drawing[id(page)] -= 1
        else:
            rect = current.geometry()
            page.setGeometry(rect)  # the stack gives it the same rect when shown
            # rendering any part of a hidden widget first polishes it and lays out
            # everything inside (what a show would do); one pixel paints next to nothing
            page.grab(QRect(0, 0, 1, 1))
            plots = [
                v for v in page.findChildren(pg.GraphicsView) if v.isVisibleTo(page)
            ]
            self._drawing[id(page)] = len(plots)
            self._pending[:0] = [(page, plot) for plot in plots]
            self._warmed[id(page)] = rect
        if self._pending:
            self._next.start()
