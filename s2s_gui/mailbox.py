"""Worker threads never emit Qt signals themselves: they post them here for the GUI thread.

PySide6 (seen with 6.12.0 here) can crash when a Python-declared signal is emitted from a
non-GUI thread while the GUI thread runs Python. (6.12.0 also miscounts references to None
and True on Python 3.11, which may have been the real cause; pyproject.toml keeps it out,
and the mailbox stays: it costs one 10 ms timer.) So a worker calls ``post(self,
"finished")`` instead of ``self.finished.emit()``; a 10 ms timer on the GUI thread takes
the posted signals in order and emits them there, where every connection is a plain call.
"""

from __future__ import annotations

import logging
import queue
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

logger = logging.getLogger(__name__)

_posted: queue.SimpleQueue[tuple[QObject, str, tuple[Any, ...]]] = queue.SimpleQueue()
_pump: QTimer | None = None


def drain(events: queue.SimpleQueue[Any]) -> list[Any]:
    """Everything in ``events`` now, oldest first (a worker's ``take_events``)."""
    taken = []
    while True:
        try:
            taken.append(events.get_nowait())
        except queue.Empty:
            return taken


def post(sender: QObject, signal: str, *args: Any) -> None:
    """Thread-safe: emit ``sender.<signal>(*args)`` soon, on the GUI thread."""
    _posted.put((sender, signal, args))


def deliver() -> None:
    """GUI thread: emit everything posted so far, oldest first."""
    while True:
        try:
            sender, signal, args = _posted.get_nowait()
        except queue.Empty:
            return
        try:
            getattr(sender, signal).emit(*args)
        except RuntimeError:  # the sender was deleted meanwhile: nobody is listening
            logger.debug("dropped %s from a deleted worker", signal)


def ensure_pump() -> None:
    """Start the delivering timer; call on the GUI thread (workers do, when created)."""
    global _pump
    app = QCoreApplication.instance()
    if _pump is not None or app is None or QThread.currentThread() is not app.thread():
        return
    _pump = QTimer(app)
    _pump.setInterval(10)
    _pump.timeout.connect(deliver)
    _pump.start()
