"""The "Get sentence pairs" dialog: pick a language, see the size, download with progress."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

logger = logging.getLogger(__name__)

KIB = 1024  # the progress bar counts KiB: its int range then holds any file size


def megabytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


class DownloadDialog(QDialog):
    """Talks to a DownloadController (``controller.downloads``); emits the new corpus."""

    corpus_ready = Signal(str, str)  # label, data.train spec

    def __init__(self, downloads: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Get sentence pairs"))
        self.downloads = downloads
        self._plan: Any = None
        self._last_done = 0
        self.language = QComboBox()
        for code, name in downloads.languages():
            self.language.addItem(f"{name} ({code})", code)
        self.language.setCurrentIndex(max(0, self.language.findData("fra")))
        self.size = QLabel()
        self.size.setWordWrap(True)
        self.attribution = QLabel()
        self.attribution.setWordWrap(True)
        self.attribution.setOpenExternalLinks(True)
        self.attribution.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
        )
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.bytes = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        buttons = QDialogButtonBox()
        self.download = QPushButton(self.tr("Download"))
        self.download.setDefault(True)
        self.cancel = QPushButton(self.tr("Cancel download"))
        self.cancel.setEnabled(False)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.download, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel, QDialogButtonBox.ButtonRole.ActionRole)
        form = QFormLayout()
        form.addRow(self.tr("Pairs of English and"), self.language)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "Real sentences and their translations, written by the volunteers "
                    "of the Tatoeba Project: tens of thousands of pairs for most "
                    "languages. They are downloaded once and kept on this computer."
                )
            )
        )
        layout.itemAt(0).widget().setWordWrap(True)
        layout.addLayout(form)
        layout.addWidget(self.size)
        layout.addWidget(self.progress)
        layout.addWidget(self.bytes)
        layout.addWidget(self.status)
        layout.addWidget(self.attribution)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.language.currentIndexChanged.connect(self._on_language)
        self.download.clicked.connect(self._on_download)
        self.cancel.clicked.connect(self._on_cancel)
        close.clicked.connect(self.close)
        downloads.planned.connect(self._on_planned)
        downloads.plan_failed.connect(self._on_plan_failed)
        downloads.progress.connect(self._on_progress)
        downloads.finished.connect(self._on_finished)
        downloads.failed.connect(self._on_failed)
        downloads.cancelled.connect(self._on_cancelled)
        downloads.running_changed.connect(self._on_running)
        self._on_language()

    @property
    def code(self) -> str:
        return self.language.currentData()

    # ------------------------------------------------------------------ input
    def _on_language(self) -> None:
        self._plan = None
        self.size.setText(self.tr("Checking the size…"))
        self.status.clear()
        self.bytes.clear()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.download.setText(self.tr("Download"))
        self._show_attribution()
        self.downloads.plan(self.code)

    def _on_download(self) -> None:
        cached = getattr(self._plan, "cached", None)
        if cached is not None and self._plan.code == self.code:
            self.status.setText(self.tr("Checking the copy on this computer…"))
        else:
            self.status.setText(self.tr("Connecting…"))
        self.downloads.start(self.code)

    def _on_cancel(self) -> None:
        self.status.setText(self.tr("Cancelling…"))
        self.downloads.cancel()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.downloads.running:  # a closed dialog would hide a running transfer
            self.downloads.cancel()
        super().closeEvent(event)

    def reject(self) -> None:  # Esc
        if self.downloads.running:
            self.downloads.cancel()
        super().reject()

    def showEvent(self, event: Any) -> None:  # noqa: N802
        if self._plan is not None and not self.downloads.running:
            self._on_language()  # reopened: what is on disk may have changed
        super().showEvent(event)

    # ------------------------------------------------------------------ display
    def _show_attribution(self) -> None:
        folder = f"{self.downloads.data_folder()}/{self.code}-eng"
        self.attribution.setText(
            self.tr(
                "Licence: the sentences come from the "
                '<a href="https://tatoeba.org">Tatoeba Project</a> and were paired by '
                '<a href="https://www.manythings.org/anki/">manythings.org</a>, under '
                '<a href="https://creativecommons.org/licenses/by/2.0/fr/">CC-BY 2.0 '
                "FR</a>: credit Tatoeba and its contributors when you use them. The "
                "attribution is kept beside the data in {path}, and each line of the "
                "file keeps the names of its sentences' authors."
            ).format(path=f"<code>{folder}/ATTRIBUTION.txt</code>")
        )

    def _on_planned(self, plan: Any) -> None:
        if plan.code != self.code:
            return  # an answer about a language chosen before
        self._plan = plan
        if plan.cached is not None:
            self.size.setText(
                self.tr("Already on this computer: {pairs} pairs.").format(
                    pairs=f"{plan.cached.pairs:,}"
                )
            )
            self.download.setText(self.tr("Use these pairs"))
            return
        total = (
            megabytes(plan.size)
            if plan.size is not None
            else self.tr("size not announced")
        )
        if plan.have:
            self.size.setText(
                self.tr(
                    "{name}: {total}. {have} are already here from an earlier "
                    "download; it continues from there."
                ).format(
                    name=plan.url.rsplit("/", 1)[-1],
                    total=total,
                    have=megabytes(plan.have),
                )
            )
            self.download.setText(self.tr("Resume download"))
            self._show_bytes(plan.have, plan.size)
        else:
            self.size.setText(
                self.tr("{name}: {total}, from {host}.").format(
                    name=plan.url.rsplit("/", 1)[-1],
                    total=total,
                    host=plan.url.rsplit("/", 1)[0] + "/",
                )
            )

    def _on_plan_failed(self, code: str, message: str) -> None:
        if code == self.code:
            self.size.setText(
                self.tr("The size is unknown: {error}").format(error=message)
            )

    def _show_bytes(self, done: int, total: int | None) -> None:
        self._last_done = done
        if total:
            self.progress.setRange(0, max(1, total // KIB))
            self.progress.setValue(min(done, total) // KIB)
            self.bytes.setText(
                self.tr("{done} of {total}").format(
                    done=megabytes(done), total=megabytes(total)
                )
            )
        else:
            self.progress.setRange(0, 0)  # busy: the server gave no size
            self.bytes.setText(self.tr("{done} so far").format(done=megabytes(done)))

    def _on_progress(self, ev: Any) -> None:
        self._show_bytes(ev.done, ev.total)
        if ev.stage == "check":
            self.status.setText(self.tr("Checking what arrived…"))
        elif ev.resumed_from:
            self.status.setText(
                self.tr("Downloading (resumed at {at})…").format(
                    at=megabytes(ev.resumed_from)
                )
            )
        else:
            self.status.setText(self.tr("Downloading…"))

    def _on_running(self, running: bool) -> None:
        self.language.setEnabled(not running)
        self.download.setEnabled(not running)
        self.cancel.setEnabled(running)

    def _on_finished(self, fetched: Any) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.size.setText(
            self.tr("Already on this computer: {pairs} pairs.").format(
                pairs=f"{fetched.pairs:,}"
            )
        )
        self.status.setText(
            self.tr(
                "Done: {pairs} pairs, now chosen as the corpus on the Start page. "
                "Kept in {folder} with ATTRIBUTION.txt."
            ).format(pairs=f"{fetched.pairs:,}", folder=fetched.folder)
        )
        self.download.setText(self.tr("Use these pairs"))
        self.corpus_ready.emit(fetched.label, fetched.spec)

    def _on_failed(self, message: str) -> None:
        self.status.setText(self.tr("Download failed: {error}").format(error=message))
        self.downloads.plan(self.code)

    def _on_cancelled(self) -> None:
        self.status.setText(
            self.tr(
                "Cancelled. The {done} downloaded so far are kept; Download "
                "continues from there."
            ).format(done=megabytes(self._last_done))
        )
        self.downloads.plan(self.code)
