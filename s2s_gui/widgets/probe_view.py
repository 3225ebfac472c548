"""Probe sentences: source / reference / current translation, refreshed at each evaluation."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from engine.events import EvalResult
from s2s_gui.models.samples_model import SamplesModel
from s2s_gui.models.thumbnail_model import ThumbnailProxy
from s2s_gui.widgets.explain_panel import ExplainPanel

logger = logging.getLogger(__name__)

THUMBNAIL_PX = 48  # a probe image beside its current caption


class ProbeView(QWidget):
    """A table over SamplesModel; EvalResult.samples replace the rows at each evaluation."""

    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SamplesModel(self)
        # an image run's probes are image references: shown as thumbnails
        self._images = controller.lab.images
        self.thumbnails = ThumbnailProxy(self._images, SamplesModel.COL_SOURCE, self)
        self.thumbnails.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.thumbnails)
        self._text_rows = (
            self.table.verticalHeader().defaultSectionSize(),
            self.table.iconSize(),
        )
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
            self.tr("Probe sentences from the dev set appear here at each evaluation.")
        )
        self._controller = controller
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(
            self.tr(
                "Your probe sentences, one per line (empty: the first dev sentences)"
            )
        )
        self.apply = QPushButton(self.tr("Use these probes"))
        self.apply.setToolTip(self.tr("Translated from the next evaluation on"))
        self.apply.clicked.connect(self._on_apply_clicked)
        edit_box = QWidget()
        edit_col = QVBoxLayout(edit_box)
        edit_col.setContentsMargins(0, 0, 0, 0)
        edit_col.addWidget(self.editor, 1)
        edit_col.addWidget(self.apply)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(edit_box)
        split.setSizes([900, 300])
        head = QHBoxLayout()
        head.addWidget(self.caption, 1)
        head.addWidget(ExplainPanel("probes"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(split, 1)
        controller.evaluated.connect(self._on_evaluated)

    def _on_apply_clicked(self) -> None:
        self._controller.set_probes(self.editor.toPlainText().splitlines())
        n = len(self._controller.probes)
        self.caption.setText(
            self.tr(
                "Probe sentences set: {n}. They are translated at the next evaluation."
            ).format(n=n)
            if n
            else self.tr(
                "Probes reset to the first dev sentences (from the next evaluation)."
            )
        )

    def _on_evaluated(self, ev: EvalResult) -> None:
        self.model.set_samples(ev.samples, ev.step)
        images = any(self._images.is_image_ref(s.source) for s in ev.samples)
        if images != self.thumbnails.enabled:
            self.thumbnails.set_enabled(images)
            height, icons = self._text_rows
            if images:
                height, icons = THUMBNAIL_PX + 6, QSize(THUMBNAIL_PX, THUMBNAIL_PX)
            self.table.setIconSize(icons)
            self.table.verticalHeader().setDefaultSectionSize(height)
        best = self.tr(" (best so far)") if ev.best else ""
        self.caption.setText(
            self.tr(
                "Probe sentences at step {step:,}{best} — dev BLEU (greedy) {bleu:.1f}, "
                "perplexity {ppl:.2f}"
            ).format(step=ev.step, best=best, bleu=ev.bleu, ppl=ev.dev_ppl)
        )
