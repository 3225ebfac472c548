"""DownloadController: verbs and signals of the "Get sentence pairs" dialog.

Owned by the AppController (``controller.downloads``); its jobs run in the app's pool.
One download at a time; a size check runs whenever a language is chosen.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from s2s_gui.gateway import downloads
from s2s_gui.gateway.jobs import Job, JobPool, describe_error

logger = logging.getLogger(__name__)


class DownloadController(QObject):
    """Plan, start and cancel downloads of Tatoeba pairs; report on the GUI thread."""

    planned = Signal(object)  # engine DownloadPlan: size, bytes here, cached corpus
    plan_failed = Signal(str, str)  # language code, message
    progress = Signal(object)  # engine DownloadProgress (done, total, stage)
    finished = Signal(object)  # downloads.Fetched
    failed = Signal(str)
    cancelled = Signal()
    running_changed = Signal(bool)

    def __init__(self, jobs: JobPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._plan: Job | None = None
        self._download: Job | None = None

    # ------------------------------------------------------------------ queries
    def languages(self) -> list[tuple[str, str]]:
        return downloads.languages()

    def data_folder(self) -> str:
        return downloads.data_folder()

    def corpora(self) -> list[tuple[str, str]]:
        """(label, spec) of the corpora downloaded before."""
        try:
            return downloads.downloaded_corpora()
        except OSError as exc:  # an unreadable data folder must not stop the app
            logger.warning("cannot list downloaded corpora: %s", exc)
            return []

    @property
    def running(self) -> bool:
        return self._download is not None

    # ------------------------------------------------------------------ verbs
    def plan(self, code: str) -> None:
        """Ask for the size (or the cached copy) of ``code``'s pairs."""
        if self._plan is not None:
            self._plan.cancel()
        self._plan = self._jobs.start(
            downloads.plan,
            code,
            on_return=self.planned.emit,
            on_error=lambda exc: self.plan_failed.emit(code, describe_error(exc)),
        )

    def start(self, code: str) -> None:
        """Download ``code``'s pairs (resuming a partial file); ignored while busy."""
        if self._download is not None:
            return
        self._download = self._jobs.start(
            downloads.fetch,
            code,
            on_yield=self.progress.emit,
            on_return=self._on_returned,
            on_error=lambda exc: self.failed.emit(describe_error(exc)),
            on_finish=self._on_finished,
        )
        self.running_changed.emit(True)

    def cancel(self) -> None:
        """Stop the download after its current chunk; the partial file is kept."""
        if self._download is not None:
            self._download.stop()

    def _on_returned(self, value: Any) -> None:
        if value is None:
            self.cancelled.emit()
        else:
            self.finished.emit(value)

    def _on_finished(self) -> None:
        self._download = None
        self.running_changed.emit(False)
