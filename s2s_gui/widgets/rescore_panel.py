"""Rescore a Moses n-best list: model/baseline weight slider, BLEU before/after/oracle."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from engine.events import RescoreOutcome
from s2s_gui.explanations import glossary
from s2s_gui.lab_state import format_score
from s2s_gui.widgets.explain_panel import ExplainPanel

logger = logging.getLogger(__name__)


class RescorePanel(QGroupBox):
    """Files in, a weight slider, three BLEU numbers out."""

    def __init__(self, lab: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Rescore an n-best list"))
        self._lab = lab
        self._loaded = False
        self.files: dict[str, QLineEdit] = {}
        grid = QGridLayout()
        for row, (key, label) in enumerate(
            (
                ("nbest", self.tr("Moses n-best")),
                ("source", self.tr("Source sentences")),
                ("reference", self.tr("References")),
            )
        ):
            edit = QLineEdit()
            edit.setPlaceholderText(self.tr("file…"))
            browse = QPushButton("…")
            browse.setMaximumWidth(32)
            browse.clicked.connect(lambda _=False, k=key: self._on_browse(k))
            name = QLabel(label)
            if key == "nbest":
                name.setToolTip(glossary("moses_nbest"))
                edit.setToolTip(glossary("moses_nbest"))
            grid.addWidget(name, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(browse, row, 2)
            self.files[key] = edit
        load = QPushButton(self.tr("Load"))
        demo = QPushButton(self.tr("Demo list from the dev split"))
        demo.setToolTip(
            self.tr(
                "No n-best file at hand? Make one from the model's own beam plus "
                "perturbed copies, with a noisy baseline score."
            )
        )
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setValue(50)
        self.weight = QLabel()
        self.result = QLabel(self.tr("Load a list to rescore it."))
        self.result.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(load)
        buttons.addWidget(demo)
        buttons.addStretch(1)
        weights = QHBoxLayout()
        weights.addWidget(QLabel(self.tr("baseline")))
        weights.addWidget(self.slider, 1)
        weights.addWidget(QLabel(self.tr("model")))
        layout = QVBoxLayout(self)
        layout.addWidget(ExplainPanel("rescore"))
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addLayout(weights)
        layout.addWidget(self.weight)
        layout.addWidget(self.result)
        self._settle = QTimer(self, singleShot=True, interval=150)
        self._settle.timeout.connect(self._rerank)
        self.slider.valueChanged.connect(self._on_slider)
        load.clicked.connect(self._on_load)
        demo.clicked.connect(self._on_demo)
        lab.nbest_loaded.connect(self._on_loaded)
        lab.rescored.connect(self._on_rescored)
        lab.rescore_failed.connect(self._on_failed)
        self._on_slider(self.slider.value())

    def weights(self) -> tuple[float, float]:
        w = self.slider.value() / 100
        return (w, 1.0 - w)

    def _on_browse(self, key: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a file"))
        if path:
            self.files[key].setText(path)

    def _on_load(self) -> None:
        nbest, source, ref = (self.files[k].text().strip() for k in self.files)
        if not nbest or not source:
            self.result.setText(
                self.tr("Choose the n-best file and its source sentences.")
            )
            return
        self.result.setText(self.tr("Reading…"))
        self._lab.load_nbest(nbest, source, ref)

    def _on_demo(self) -> None:
        self.result.setText(self.tr("Decoding the dev split for a demo list…"))
        self._lab.demo_nbest()

    def _on_loaded(self, lists: int) -> None:
        self._loaded = True
        self.result.setText(
            self.tr("{lists} n-best lists loaded; scoring with the model…").format(
                lists=lists
            )
        )
        self._rerank()

    def _on_slider(self, _value: int) -> None:
        model, base = self.weights()
        self.weight.setText(
            self.tr("weights: model {model:.2f} · baseline {base:.2f}").format(
                model=model, base=base
            )
        )
        if self._loaded:
            self._settle.start()

    def _rerank(self) -> None:
        self._lab.rerank(self.weights())

    def _on_rescored(self, out: RescoreOutcome) -> None:
        self.result.setText(
            self.tr(
                "<b>BLEU after reranking {after}</b> · baseline (before) {before} · "
                "oracle {oracle}<br>{lists} sentences, {hypotheses} hypotheses"
            ).format(
                after=format_score(out.bleu_after),
                before=format_score(out.bleu_before),
                oracle=format_score(out.bleu_oracle),
                lists=out.lists,
                hypotheses=out.hypotheses,
            )
        )

    def _on_failed(self, message: str) -> None:
        self.result.setText(
            self.tr("Rescoring failed: {message}").format(message=message)
        )
