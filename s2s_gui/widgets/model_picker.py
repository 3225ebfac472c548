"""Choose the model to decode with: the run being trained, or one or several runs."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

from s2s_gui.lab_state import LIVE

logger = logging.getLogger(__name__)


class ModelPicker(QWidget):
    """A button with a menu of checkable runs; several checked runs form an ensemble.

    Every picker shows the lab controller's one choice, so the views agree.
    """

    def __init__(self, lab: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lab = lab
        self.button = QToolButton()
        self.button.setMinimumWidth(200)
        self.button.setMaximumWidth(520)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._tip = self.tr(
            "The model to use. Tick several runs trained on the same data to decode "
            "with an ensemble (their predictions are averaged)."
        )
        self.menu = QMenu(self)
        self.button.setMenu(self.menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Model")))
        layout.addWidget(self.button, 1)
        self.menu.aboutToShow.connect(self._fill_menu)
        lab.models_changed.connect(self._on_models_changed)
        self._on_models_changed(lab.choice().label)

    def _fill_menu(self) -> None:
        self.menu.clear()
        chosen = set(self._lab.chosen)
        live = QAction(self.tr("Model being trained (latest weights)"), self.menu)
        live.setCheckable(True)
        live.setChecked(LIVE in chosen)
        live.setEnabled(self._lab.live_available)
        live.triggered.connect(lambda: self._lab.choose([LIVE]))
        self.menu.addAction(live)
        self.menu.addSeparator()
        for run in self._lab.runs:
            action = QAction(
                self.tr("{name}  ({steps:,} steps)").format(
                    name=run.name, steps=run.steps
                ),
                self.menu,
            )
            action.setCheckable(True)
            action.setChecked(run.path in chosen)
            action.setToolTip(run.description)
            action.toggled.connect(
                lambda on, path=run.path: self._on_run_toggled(path, on)
            )
            self.menu.addAction(action)
        if not self._lab.runs:
            empty = QAction(self.tr("No trained runs yet"), self.menu)
            empty.setEnabled(False)
            self.menu.addAction(empty)

    def _on_run_toggled(self, path: str, on: bool) -> None:
        runs = [r for r in self._lab.chosen if r != LIVE and r != path]
        self._lab.choose(runs + [path] if on else runs)

    def _on_models_changed(self, label: str) -> None:
        metrics = self.button.fontMetrics()
        self.button.setText(
            metrics.elidedText(label, Qt.TextElideMode.ElideMiddle, 480)
        )
        self.button.setToolTip(f"{label}\n\n{self._tip}")
