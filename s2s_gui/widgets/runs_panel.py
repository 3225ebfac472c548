"""The runs list: open an old run's curves, overlay several runs, resume a stopped one."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from s2s_gui.models.runs_model import RunsModel
from s2s_gui.state import RunState

logger = logging.getLogger(__name__)


class RunsPanel(QWidget):
    """Runs under the runs folder, newest first; the overlay column drives the plots."""

    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.model = RunsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.open = QPushButton(self.tr("Show curves"))
        self.resume = QPushButton(self.tr("Resume training"))
        self.more = QSpinBox()
        self.more.setRange(10, 10_000_000)
        self.more.setSingleStep(500)
        self.more.setValue(1000)
        self.more.setPrefix("+")
        self.more.setSuffix(self.tr(" steps"))
        self.extend = QPushButton(self.tr("Continue"))
        self.extend.setToolTip(
            self.tr(
                "Continue the selected run from its last checkpoint for this many "
                "more steps"
            )
        )
        self.folder = QPushButton(self.tr("Open folder"))
        refresh = QPushButton(self.tr("Refresh"))
        self.message = QLabel(
            self.tr(
                "Runs in {folder}. Tick 'Overlay' to compare runs in the plots."
            ).format(folder=controller.runs_root)
        )
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        for button in (self.open, self.resume, self.more, self.extend, self.folder):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.open.clicked.connect(self._on_open_clicked)
        self.resume.clicked.connect(self._on_resume_clicked)
        self.extend.clicked.connect(self._on_extend_clicked)
        self.folder.clicked.connect(self._on_folder_clicked)
        refresh.clicked.connect(controller.refresh_runs)
        self.table.doubleClicked.connect(self._on_open_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.overlay_toggled.connect(controller.set_overlay)
        controller.runs_changed.connect(self._on_runs_changed)
        controller.run_failed.connect(self.message.setText)
        controller.state_changed.connect(self._update_buttons)
        self._update_buttons()

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.model.run(rows[0].row()) if rows else None

    def _on_runs_changed(self, runs: list) -> None:
        self.model.set_runs(runs)
        self._update_buttons()

    def _update_buttons(self, *_: object) -> None:
        run = self.selected()
        busy = self._controller.state.busy
        self.open.setEnabled(run is not None and not busy)
        self.folder.setEnabled(run is not None)
        self.resume.setEnabled(run is not None and run.resumable and not busy)
        self.extend.setEnabled(run is not None and run.resumable and not busy)

    def _on_open_clicked(self, *_: object) -> None:
        run = self.selected()
        if run is not None:
            self._controller.open_run(run.path)

    def _on_resume_clicked(self) -> None:
        run = self.selected()
        if run is not None and self._controller.state is not RunState.TRAINING:
            try:
                self._controller.resume_run(run.path)
            except Exception as exc:  # a config that no longer loads, say
                self.message.setText(
                    self.tr("Cannot resume {run}: {error}").format(
                        run=run.name, error=exc
                    )
                )

    def _on_extend_clicked(self) -> None:
        run = self.selected()
        if run is None or self._controller.state.busy:
            return
        try:
            self._controller.resume_run(
                run.path, max_steps=run.steps + self.more.value()
            )
        except Exception as exc:  # a config that no longer loads, say
            self.message.setText(
                self.tr("Cannot continue {run}: {error}").format(
                    run=run.name, error=exc
                )
            )
            return
        self.message.setText(
            self.tr("Continuing {run} up to step {step:,}.").format(
                run=run.name, step=run.steps + self.more.value()
            )
        )

    def _on_folder_clicked(self) -> None:
        run = self.selected()
        if run is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(run.path))
