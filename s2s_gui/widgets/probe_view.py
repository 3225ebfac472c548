"""Probe sentences: source / reference / current translation, refreshed at each evaluation."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from engine.events import EvalResult
from s2s_gui.models.samples_model import SamplesModel

logger = logging.getLogger(__name__)


class ProbeView(QWidget):
    """A table over SamplesModel; EvalResult.samples replace the rows at each evaluation."""

    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SamplesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(
            SamplesModel.COL_BLEU, QHeaderView.ResizeMode.ResizeToContents
        )
        self.caption = QLabel(
            "Probe sentences from the dev set appear here at each evaluation."
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.table)
        controller.evaluated.connect(self._on_evaluated)

    def _on_evaluated(self, ev: EvalResult) -> None:
        self.model.set_samples(ev.samples, ev.step)
        best = " (best so far)" if ev.best else ""
        self.caption.setText(
            f"Probe sentences at step {ev.step:,}{best} — dev BLEU {ev.bleu:.1f}, "
            f"perplexity {ev.dev_ppl:.2f}"
        )
