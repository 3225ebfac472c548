"""Python's garbage collection on the GUI thread's timer, not in whichever thread allocates."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from s2s_gui.quirks import enabled


class GuiThreadCollector(QObject):
    """Turns off Python's automatic garbage collection and collects on a GUI timer.

    Python collects in whichever thread allocates past a threshold, and frees every
    unreachable cycle there, widgets and other Qt objects among them: a worker thread
    then ran their C++ destructors. In the GUI tests one did so while importing
    scikit-learn for a PCA. It held a lock of Qt's for the object it was destroying
    and waited for the GIL, while the GUI thread, holding the GIL, waited for that lock
    to delete a menu: a deadlock (0% CPU; the native stacks, read with gdb, showed it).

    ``collect`` decides as CPython 3.11 does, checking every ``interval_ms``: the
    oldest generation whose count is past its threshold is collected. A full
    collection (generation 2) walks every tracked object, 50-190 ms here, so CPython
    waits until the objects that survived into the oldest generation since the last
    one add up to a quarter of it. It does not expose that count; the interpreter's
    allocated memory blocks (``sys.getallocatedblocks``, ~0.3 ms to read) stand for
    it here.
    """

    def __init__(self, interval_ms: int = 100, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._blocks_after_full = sys.getallocatedblocks()
        gc.disable()
        self._timer = QTimer(self, interval=interval_ms, timeout=self.collect)
        self._timer.start()

    def collect(self) -> int | None:
        """Collect what Python would collect now; the generation collected, or None."""
        young, middle, old = gc.get_count()
        if young <= self._thresholds[0]:
            return None
        generation = 0
        if old > self._thresholds[2] and self._grew_by_a_quarter():
            generation = 2
        elif middle > self._thresholds[1]:
            generation = 1
        gc.collect(generation)
        if generation == 2:
            self._blocks_after_full = sys.getallocatedblocks()
        return generation

    def _grew_by_a_quarter(self) -> bool:
        return sys.getallocatedblocks() - self._blocks_after_full > (
            self._blocks_after_full / 4
        )


def install_collector(app: QApplication) -> GuiThreadCollector | None:
    """``app``'s collector, made on first call (on the GUI thread) as a child of ``app``,
    which owns it; None where quirk ``gui_gc`` is off (Python collects as it would)."""
    if not enabled("gui_gc"):
        return None
    found = app.findChild(GuiThreadCollector)
    return found if found is not None else GuiThreadCollector(parent=app)
