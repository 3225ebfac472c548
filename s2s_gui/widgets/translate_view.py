"""Translate as you type: best translation, n-best, beam tree, attention, token log-probs."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from engine.events import TranslateResult, Translation
from s2s_gui.models.nbest_model import NbestModel
from s2s_gui.quirks import enabled
from s2s_gui.quirks.reveal import StaggeredReveal
from s2s_gui.widgets.attention_view import AttentionView
from s2s_gui.widgets.beam_tree_view import BeamTreeView
from s2s_gui.widgets.decode_controls import DecodeControls
from s2s_gui.widgets.explain_panel import ExplainPanel
from s2s_gui.widgets.model_picker import ModelPicker
from s2s_gui.widgets.token_logprob_plot import TokenLogprobPlot

logger = logging.getLogger(__name__)

MAX_LINES = 20
# A result is drawn in three parts, each on its own pass of the event loop: the lists,
# then the beam tree, then the heatmap and bars. Drawn at once they took 30-60 ms of the
# GUI thread while a model trained; a part takes 10-20 (the stall probe, --translate).
# Quirk ``result_stagger``: switched off, all three are drawn at once.
STAGGER_MS = 30


class TranslateView(QWidget):
    """Maps typing and settings to ``lab.translate``; shows each result's parts."""

    def __init__(self, lab: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lab = lab
        self.result: TranslateResult | None = None
        self._asked = 0.0
        self.picker = ModelPicker(lab)
        self.controls = DecodeControls()
        self.controls.set_int8_available(lab.int8_available)
        self.source = QPlainTextEdit()
        self.source.setPlaceholderText(self.tr("Type a sentence (one per line)…"))
        self.reference = QLineEdit()
        self.reference.setPlaceholderText(
            self.tr("Reference translation of the selected sentence (optional)")
        )
        self.outputs = QListWidget()
        self.outputs.setWordWrap(True)
        self.best = QLabel("—")
        self.best.setObjectName("bestTranslation")
        self.best.setFixedHeight(30)  # a new text never relayouts the view
        self.best.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(" ")
        self.status.setObjectName("dimLabel")
        self.status.setWordWrap(True)  # a long run name must not widen the column
        self.nbest_model = NbestModel(self)
        self.nbest = QTableView()
        self.nbest.setModel(self.nbest_model)
        self.nbest.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.nbest.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.nbest.verticalHeader().hide()
        header = self.nbest.horizontalHeader()
        header.setSectionResizeMode(NbestModel.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        for col, width in (
            (0, 28),
            (2, 80),
            (3, 70),
            (4, 60),
        ):  # fixed: no re-measuring
            header.resizeSection(col, width)
        self.tree = BeamTreeView()
        self.node_info = QLabel(self.tr("Click a node of the tree to see its prefix."))
        self.node_info.setWordWrap(True)
        self.node_info.setObjectName("dimLabel")
        self.attention = AttentionView()
        self.logprobs = TokenLogprobPlot()
        self._parts: list[Callable[[], None]] = []  # what is left to draw of a result
        self._part_timer = QTimer(self, singleShot=True, interval=STAGGER_MS)
        self._stagger = enabled("result_stagger")
        self._part_timer.timeout.connect(self._draw_next_part)
        self._layout()
        self.source.textChanged.connect(self._ask)
        self.reference.textChanged.connect(self._ask)
        self.controls.changed.connect(self._ask)
        lab.models_changed.connect(self._ask)
        self.outputs.currentRowChanged.connect(self._on_sentence_selected)
        self.nbest.selectionModel().currentRowChanged.connect(self._on_hyp_selected)
        self.tree.node_clicked.connect(self.node_info.setText)
        lab.translated.connect(self._on_translated)
        lab.translate_failed.connect(self._on_failed)

    def _layout(self) -> None:
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(QLabel(self.tr("Source")))
        col.addWidget(self.source, 1)
        col.addWidget(self.reference)
        col.addWidget(QLabel(self.tr("Translations (select one to inspect it)")))
        col.addWidget(self.outputs, 3)
        col.addWidget(self.status)
        top = QWidget()
        top_col = QVBoxLayout(top)
        top_col.setContentsMargins(0, 0, 0, 0)
        top_col.addWidget(self.best)
        top_col.addWidget(self.nbest, 1)
        tree_box = QWidget()
        tree_col = QVBoxLayout(tree_box)
        tree_col.setContentsMargins(0, 0, 0, 0)
        tree_col.addWidget(ExplainPanel("beam"))
        tree_col.addWidget(self.tree, 1)
        tree_col.addWidget(self.node_info)
        att_box = QWidget()
        att_col = QVBoxLayout(att_box)
        att_col.setContentsMargins(0, 0, 0, 0)
        att_col.addWidget(ExplainPanel("attention"))
        att_col.addWidget(self.attention, 3)
        att_col.addWidget(self.logprobs, 2)
        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.addWidget(tree_box)
        plots.addWidget(att_box)
        plots.setSizes([560, 440])
        # after a resize the tree, the attention and the log-prob plots come back one
        # per pass (the splitter places its columns itself, so this sees it first)
        self.reveal = StaggeredReveal(plots, [self.tree, self.attention, self.logprobs])
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(top)
        right.addWidget(plots)
        right.setSizes([215, 535])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([300, 1000])
        bar = QHBoxLayout()
        bar.addWidget(self.picker, 1)
        bar.addSpacing(16)
        bar.addWidget(self.controls)
        layout = QVBoxLayout(self)
        layout.addWidget(ExplainPanel("translate"))
        layout.addLayout(bar)
        layout.addWidget(split, 1)

    # ------------------------------------------------------------------ requests
    def lines(self) -> list[str]:
        lines = [line.strip() for line in self.source.toPlainText().splitlines()]
        return [line for line in lines if line][:MAX_LINES]

    def _ask(self, *_: object) -> None:
        lines = self.lines()
        # an image run reads pictures: the Caption view decodes for it, not this one
        if not lines or self._lab.images.image_model:
            return
        self._asked = time.perf_counter()
        self._lab.translate(
            lines,
            self.controls.config(),
            self.reference.text(),
            max(self.outputs.currentRow(), 0),
            int8=self.controls.int8.isChecked(),
        )

    # ------------------------------------------------------------------ results
    def _on_translated(self, result: TranslateResult) -> None:
        self.result = result
        row = max(self.outputs.currentRow(), 0)
        self.outputs.blockSignals(True)
        self.outputs.clear()
        empty = self.tr("(empty)")
        for tr in result.translations:
            best = tr.hypotheses[0].text if tr.hypotheses else ""
            self.outputs.addItem(f"{tr.source}\n→ {best or empty}")
        self.outputs.setCurrentRow(min(row, self.outputs.count() - 1))
        self.outputs.blockSignals(False)
        waited = 1000 * (time.perf_counter() - self._asked)
        n = len(result.translations)
        notices = [tr.notice for tr in result.translations if tr.notice]
        decoded = (
            self.tr(
                "1 sentence decoded in {ms:.0f} ms ({waited:.0f} ms after the last edit)"
            )
            if n == 1
            else self.tr(
                "{n} sentences decoded in {ms:.0f} ms ({waited:.0f} ms after the last edit)"
            )
        )
        self.status.setText(
            decoded.format(n=n, ms=1000 * result.seconds, waited=waited)
            + f" · {result.model}"
            + "".join(f"\n⚠ {note}" for note in notices)
        )
        self._show(self.outputs.currentRow())

    def _on_failed(self, message: str) -> None:
        self.status.setText(
            self.tr("Cannot translate: {message}").format(message=message)
        )

    def _on_sentence_selected(self, row: int) -> None:
        self._show(row)
        if self.reference.text().strip():
            self._ask()  # the reference belongs to the selected sentence

    def translation(self, row: int) -> Translation | None:
        if self.result is None or not 0 <= row < len(self.result.translations):
            return None
        return self.result.translations[row]

    def _show(self, row: int) -> None:
        tr = self.translation(row)
        if tr is None:
            return
        self.best.setText(tr.hypotheses[0].text if tr.hypotheses else "")
        self.nbest_model.set_hypotheses(tr.hypotheses)
        self.node_info.setText(self.tr("Click a node of the tree to see its prefix."))
        selection = self.nbest.selectionModel()
        selection.blockSignals(True)
        self.nbest.selectRow(0)
        selection.blockSignals(False)
        # a newer result replaces the parts an older one had left to draw
        alpha = self.controls.config().alpha
        self._parts = [
            lambda: self.tree.show_steps(tr.steps, alpha),
            self._on_hyp_selected,
        ]
        if self._stagger:
            self._part_timer.start()
        else:
            while self._parts:
                self._parts.pop(0)()

    def _draw_next_part(self) -> None:
        if self._parts:
            self._parts.pop(0)()
        if self._parts:
            self._part_timer.start()

    def drawing(self) -> bool:
        """Whether parts of the shown result are still to be drawn (for tests)."""
        return bool(self._parts)

    def _on_hyp_selected(self, *_: object) -> None:
        tr = self.translation(self.outputs.currentRow())
        hyp = self.nbest_model.hypothesis(max(self.nbest.currentIndex().row(), 0))
        if tr is None or hyp is None:
            return
        self.attention.show_attention(hyp.attention, tr.source_pieces, hyp.pieces)
        ref = self.result.reference if self.result else None
        if ref is not None and ref.source != tr.source:
            ref = None
        self.logprobs.show_logprobs(
            hyp.token_logprobs,
            hyp.pieces,
            ref.token_logprobs if ref else None,
            ref.pieces if ref else (),
        )
