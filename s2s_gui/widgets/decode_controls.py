"""Decoding settings: greedy or beam, beam size, n-best, alpha, maximum length, 8-bit."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from engine.config import DecodeConfig

logger = logging.getLogger(__name__)


class DecodeControls(QWidget):
    """One row of controls; ``changed`` fires on every edit, ``config()`` reads them.

    ``int8`` (a checkbox) is not part of the search settings: it picks how the model
    runs, and the view hands ``int8.isChecked()`` to the lab controller beside them.
    """

    changed = Signal()

    def __init__(self, nbest: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.greedy = QRadioButton(self.tr("Greedy"))
        self.greedy.setToolTip(self.tr("Take the most likely next piece at every step"))
        self.beam_on = QRadioButton(self.tr("Beam"))
        self.beam_on.setToolTip(
            self.tr("Keep the k best partial translations at every step")
        )
        group = QButtonGroup(self)
        group.addButton(self.greedy)
        group.addButton(self.beam_on)
        self.beam_on.setChecked(True)
        self.beam = self._spin(1, 64, 5, self.tr("Beam size k"))
        self.nbest = self._spin(
            1, 64, 5, self.tr("How many finished hypotheses to list")
        )
        self.alpha = QDoubleSpinBox()
        self.alpha.setRange(0.0, 2.0)
        self.alpha.setSingleStep(0.1)
        self.alpha.setValue(0.6)
        self.alpha.setToolTip(
            self.tr("Length normalisation: score = log-prob / length^α")
        )
        self.max_len = QDoubleSpinBox()
        self.max_len.setRange(0.5, 10.0)
        self.max_len.setSingleStep(0.5)
        self.max_len.setValue(2.0)
        self.max_len.setToolTip(
            self.tr(
                "Maximum output length, as a multiple of the source length (+10 pieces)"
            )
        )
        self.int8 = QCheckBox(self.tr("8-bit"))
        self.int8.setToolTip(
            self.tr(
                "Decode on the CPU with 8-bit decoder weights: about 1.5-2x as fast for "
                "one sentence, translations nearly always the same (the encoder and the "
                "saved weights stay 32-bit)"
            )
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.greedy)
        layout.addWidget(self.beam_on)
        layout.addWidget(self.beam)
        self._nbest_label = QLabel(self.tr("n-best"))
        if nbest:
            self._nbest_label.setToolTip(self.nbest.toolTip())
            layout.addWidget(self._nbest_label)
            layout.addWidget(self.nbest)
        for text, field in (("α", self.alpha), (self.tr("max length ×"), self.max_len)):
            label = QLabel(text)
            label.setToolTip(
                field.toolTip()
            )  # the jargon is on the label a person reads
            layout.addWidget(label)
            layout.addWidget(field)
        layout.addWidget(self.int8)
        self._with_nbest = nbest
        for w in (self.beam, self.nbest):
            w.valueChanged.connect(self._on_edited)
        for w in (self.alpha, self.max_len):
            w.valueChanged.connect(self._on_edited)
        self.beam_on.toggled.connect(self._on_edited)
        self.int8.toggled.connect(self._on_edited)
        self._on_edited()

    def set_int8_available(self, available: bool) -> None:
        """Disable the 8-bit choice where PyTorch lacks the int8 CPU kernels."""
        if not available:
            self.int8.setChecked(False)
            self.int8.setToolTip(
                self.tr("8-bit decoding needs PyTorch's x86 or fbgemm int8 kernels")
            )
        self.int8.setEnabled(available)

    @staticmethod
    def _spin(low: int, high: int, value: int, tip: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setToolTip(tip)
        return spin

    def _on_edited(self, *_: object) -> None:
        beam = self.beam_on.isChecked()
        self.beam.setEnabled(beam)
        self.nbest.setEnabled(beam)
        self.nbest.setMaximum(self.beam.value())  # n-best cannot exceed the beam
        self.changed.emit()

    def config(self) -> DecodeConfig:
        beam = self.beam.value() if self.beam_on.isChecked() else 1
        nbest = min(self.nbest.value(), beam) if self._with_nbest else 1
        return DecodeConfig(
            beam=beam,
            nbest=nbest,
            alpha=self.alpha.value(),
            max_len_ratio=self.max_len.value(),
        )
