"""The log panel: a logging.Handler that forwards records to a read-only text view."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QWidget

logger = logging.getLogger(__name__)

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class _Bridge(QObject):
    line = Signal(str)


class QtLogHandler(logging.Handler):
    """Thread-safe: records from worker threads reach the view through a queued signal."""

    def __init__(self) -> None:
        super().__init__()
        self.bridge = _Bridge()
        self.setFormatter(logging.Formatter(FORMAT, "%H:%M:%S"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.bridge.line.emit(self.format(record))
        except RuntimeError:  # the bridge was deleted at shutdown
            pass


class LogView(QPlainTextEdit):
    """Shows engine and app log lines (the newest 5000)."""

    def __init__(
        self, level: int = logging.INFO, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setMaximumBlockCount(5000)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.handler = QtLogHandler()
        self.handler.setLevel(level)
        self.handler.bridge.line.connect(self.appendPlainText)
        for name in ("engine", "s2s_gui"):
            log = logging.getLogger(name)
            log.addHandler(self.handler)
            if log.getEffectiveLevel() > level:
                log.setLevel(level)

    def detach(self) -> None:
        """Stop receiving records (call before the window is destroyed)."""
        for name in ("engine", "s2s_gui"):
            logging.getLogger(name).removeHandler(self.handler)
