"""After a resize, draw a page's plots one per pass of the event loop, not all in one.

A resized plot lays out and draws its axes anew, ~10 ms each with nothing else running
and two to three times that while a model trains. With six of them on the Train page,
one resize of the window held the GUI thread 60-70 ms, and ~100 ms while a model
trained; the Translate page's three took 43-48 ms. Drawing even one of them in the
resize's own pass doubled that pass (Train: 23 ms, 11 ms without; 45-55 ms of CPU time
while a model trained), so none is: the plots come back once the resizing pauses.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from s2s_gui.quirks import enabled


class StaggeredReveal(QObject):
    """Hides ``plots`` when ``host`` is resized, and shows them again one per pass.

    ``host`` must place its children in its own ``resizeEvent``, as a QSplitter or a
    ``PlotGrid`` does, not through a layout: Qt hands a resize to a widget's layout
    before any event filter sees it, and the layout resizes every child at once. Seen
    first here, the plots are hidden before they get their new size, so in that pass
    they are neither laid out nor drawn (their space stays empty: the size policy
    retains it). Once no resize has come for ``settle_ms`` they come back one per pass
    of the event loop, so a window dragged to a new size draws none of them until it
    stops. With quirk ``reveal`` off it does nothing: the plots are resized and drawn
    with their host, and ``pending`` is always empty.
    """

    def __init__(
        self,
        host: QWidget,
        plots: Sequence[QWidget],
        settle_ms: int = 60,
    ) -> None:
        super().__init__(host)
        self._host = host
        self._plots = list(plots)
        self._hidden: list[QWidget] = []  # in the order they come back
        self.active = enabled("reveal")
        if not self.active:
            return
        for plot in self._plots:
            policy = plot.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # in a layout: a gap, not a relayout
            plot.setSizePolicy(policy)
        self._settle = QTimer(self, singleShot=True, interval=settle_ms)
        self._settle.timeout.connect(self._show_next)
        self._next = QTimer(self, singleShot=True, interval=0)  # the next pass
        self._next.timeout.connect(self._show_next)
        host.installEventFilter(self)

    def pending(self) -> list[QWidget]:
        """The plots still hidden after the last resize, in the order they come back."""
        return list(self._hidden)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # shown for the first time, or again after a resize while hidden: all at once
        if (
            watched is self._host
            and event.type() == QEvent.Type.Resize
            and self._host.isVisible()
            and event.oldSize().isValid()
        ):
            self._next.stop()
            shown = [p for p in self._plots if p.isVisible()]
            for plot in shown:
                plot.hide()  # before the host resizes it: the new size waits for the show
            self._hidden = sorted({*self._hidden, *shown}, key=self._plots.index)
            if self._hidden:
                self._settle.start()  # restarted while a resize goes on
        return False

    def _show_next(self) -> None:
        if self._hidden:
            self._hidden.pop(0).show()
        if self._hidden:
            self._next.start()
