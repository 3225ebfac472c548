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

from s2s_gui.lab_state import RescoreOutcome, format_score
from s2s_gui.widgets.explain_panel import ExplainPanel

logger = logging.getLogger(__name__)


class RescorePanel(QGroupBox):
    """Files in, a weight slider, three BLEU numbers out."""

    def __init__(self, lab: Any, parent: QWidget | None = None) -> None:
        super().__init__("Rescore an n-best list", parent)
        self._lab = lab
        self._loaded = False
        self.files: dict[str, QLineEdit] = {}
        grid = QGridLayout()
        for row, (key, label) in enumerate(
            (
                ("nbest", "Moses n-best"),
                ("source", "Source sentences"),
                ("reference", "References"),
            )
        ):
            edit = QLineEdit()
            edit.setPlaceholderText("file…")
            browse = QPushButton("…")
            browse.setMaximumWidth(32)
            browse.clicked.connect(lambda _=False, k=key: self._on_browse(k))
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(browse, row, 2)
            self.files[key] = edit
        load = QPushButton("Load")
        demo = QPushButton("Demo list from the dev split")
        demo.setToolTip(
            "No n-best file at hand? Make one from the model's own beam plus "
            "perturbed copies, with a noisy baseline score."
        )
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setValue(50)
        self.weight = QLabel()
        self.result = QLabel("Load a list to rescore it.")
        self.result.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(load)
        buttons.addWidget(demo)
        buttons.addStretch(1)
        weights = QHBoxLayout()
        weights.addWidget(QLabel("baseline"))
        weights.addWidget(self.slider, 1)
        weights.addWidget(QLabel("model"))
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
        path, _ = QFileDialog.getOpenFileName(self, "Choose a file")
        if path:
            self.files[key].setText(path)

    def _on_load(self) -> None:
        nbest, source, ref = (self.files[k].text().strip() for k in self.files)
        if not nbest or not source:
            self.result.setText("Choose the n-best file and its source sentences.")
            return
        self.result.setText("Reading…")
        self._lab.load_nbest(nbest, source, ref)

    def _on_demo(self) -> None:
        self.result.setText("Decoding the dev split for a demo list…")
        self._lab.demo_nbest()

    def _on_loaded(self, lists: int) -> None:
        self._loaded = True
        self.result.setText(f"{lists} n-best lists loaded; scoring with the model…")
        self._rerank()

    def _on_slider(self, _value: int) -> None:
        model, base = self.weights()
        self.weight.setText(f"weights: model {model:.2f} · baseline {base:.2f}")
        if self._loaded:
            self._settle.start()

    def _rerank(self) -> None:
        self._lab.rerank(self.weights())

    def _on_rescored(self, out: RescoreOutcome) -> None:
        self.result.setText(
            f"<b>BLEU after reranking {format_score(out.bleu_after)}</b> · "
            f"baseline (before) {format_score(out.bleu_before)} · "
            f"oracle {format_score(out.bleu_oracle)}<br>"
            f"{out.lists} sentences, {out.hypotheses} hypotheses"
        )

    def _on_failed(self, message: str) -> None:
        self.result.setText(f"Rescoring failed: {message}")
