"""Evaluate on a test set: BLEU, chrF, signature, Figure 3 charts, a filterable table."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from superqt import QFlowLayout

from engine.config import DecodeConfig
from engine.events import EvalOutcome, Progress
from s2s_gui.lab_state import bucket_mask, format_score
from s2s_gui.models.eval_rows_model import EvalRowsFilter, EvalRowsModel
from s2s_gui.run_labels import bleu_tooltip, eval_bleu_label
from s2s_gui.widgets.bucket_plot import BucketPlot
from s2s_gui.widgets.decode_controls import DecodeControls
from s2s_gui.widgets.explain_panel import ExplainPanel
from s2s_gui.widgets.fit import group, scrolled
from s2s_gui.widgets.model_picker import ModelPicker
from s2s_gui.widgets.rescore_panel import RescorePanel

logger = logging.getLogger(__name__)


class EvaluateView(QWidget):
    """Start/cancel maps to the lab controller; its signals fill the charts and table."""

    def __init__(self, lab: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lab = lab
        self.outcome: EvalOutcome | None = None
        self._decode = DecodeConfig()  # the search of the evaluation being shown
        self.picker = ModelPicker(lab)
        self.test = QComboBox()
        self.test.addItem(self.tr("The run's dev split"), "dev")
        self.test.addItem(self.tr("A test file…"), "file")
        self.limit = QSpinBox()
        self.limit.setRange(0, 1_000_000)
        self.limit.setSpecialValueText(self.tr("all"))
        self.limit.setToolTip(self.tr("Evaluate only the first N pairs (0 = all)"))
        self.controls = DecodeControls(nbest=False)
        self.controls.set_int8_available(lab.int8_available)
        self.start = QPushButton(self.tr("Evaluate"))
        self.start.setObjectName("startButton")
        self.cancel = QPushButton(self.tr("Cancel"))
        self.cancel.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("idle"))
        self.scores = QLabel(self.tr("BLEU – · chrF –"))
        self.scores.setToolTip(bleu_tooltip())
        self.scores.setObjectName("bigScore")
        self.signature = QLabel(" ")
        self.signature.setObjectName("dimLabel")
        self.signature.setWordWrap(True)
        self.signature.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.by_length = BucketPlot(
            self.tr("BLEU by source length"), self.tr("source length (words)")
        )
        self.by_rarity = BucketPlot(
            self.tr("BLEU by word rarity"),
            self.tr("average frequency rank of the source words"),
        )
        self.rows = EvalRowsModel(self)
        self.proxy = EvalRowsFilter(self)
        self.proxy.setSourceModel(self.rows)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(EvalRowsModel.COL_INDEX, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for col in (EvalRowsModel.COL_INDEX, EvalRowsModel.COL_BLEU):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Filter sentences…"))
        self.filter_note = QLabel(self.tr("All sentences"))
        self.rescore = RescorePanel(lab)
        self._layout()
        self.start.clicked.connect(self._on_start)
        self.cancel.clicked.connect(lab.cancel_evaluation)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.by_length.bucket_clicked.connect(
            lambda i: self._on_bucket(self.by_length, i)
        )
        self.by_rarity.bucket_clicked.connect(
            lambda i: self._on_bucket(self.by_rarity, i)
        )
        lab.eval_progress.connect(self._on_progress)
        lab.eval_finished.connect(self._on_finished)
        lab.eval_stopped.connect(self._on_stopped)
        lab.eval_running.connect(self._on_running)

    def _layout(self) -> None:
        # The toolbar wraps onto a second row on a narrow window (a laptop's 1280 px)
        # instead of forcing the window wider than the screen.
        bar = QFlowLayout()
        bar.setHorizontalSpacing(10)
        bar.addWidget(self.picker)
        bar.addWidget(group(QLabel(self.tr("Test set")), self.test))
        bar.addWidget(group(QLabel(self.tr("first")), self.limit))
        bar.addWidget(group(self.start, self.cancel))
        bar.addWidget(self.controls)  # the search settings wrap first
        self.toolbar = bar
        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.addWidget(self.by_length)
        charts.addWidget(self.by_rarity)
        charts.addWidget(self.rescore)
        charts.setSizes([420, 420, 380])
        table_box = QWidget()
        col = QVBoxLayout(table_box)
        col.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.filter_note, 1)
        row.addWidget(self.search)
        col.addLayout(row)
        col.addWidget(self.table, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scrolled(charts))
        split.addWidget(table_box)
        split.setStretchFactor(0, 3)  # the charts need height to show their axes
        split.setStretchFactor(1, 2)
        split.setSizes([400, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(ExplainPanel("evaluate"))
        layout.addLayout(bar)
        layout.addWidget(self.progress)
        layout.addWidget(self.scores)
        layout.addWidget(self.signature)
        layout.addWidget(split, 1)

    def _on_start(self) -> None:
        test = self.test.currentData()
        if test == "file":
            test, _ = QFileDialog.getOpenFileName(
                self, self.tr("Test pairs (any corpus format)")
            )
            if not test:
                return
        self._decode = self.controls.config()
        self._lab.start_evaluation(
            test,
            self._decode,
            self.limit.value(),
            int8=self.controls.int8.isChecked(),
        )

    def _on_running(self, running: bool) -> None:
        self.start.setEnabled(not running)
        self.cancel.setEnabled(running)
        if running:
            self.progress.setRange(0, 0)
            self.progress.setFormat(self.tr("starting…"))

    def _on_progress(self, ev: Progress) -> None:
        self.progress.setRange(0, max(ev.total, 0))
        self.progress.setValue(ev.done)
        self.progress.setFormat(ev.message or ev.stage)

    def _on_finished(self, outcome: EvalOutcome) -> None:
        self.outcome = outcome
        r = outcome.report
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.progress.setFormat(
            self.tr(
                "{n} sentences of {test} · {speed:.1f} sentences/s · {model}"
            ).format(
                n=r.sentences,
                test=outcome.test,
                speed=r.sentences_per_s,
                model=outcome.model,
            )
        )
        self.scores.setText(
            self.tr("{label} {bleu} · chrF {chrf} · reference perplexity {ppl}").format(
                label=eval_bleu_label(self._decode.beam, r.sentences),
                bleu=format_score(r.bleu),
                chrf=format_score(r.chrf),
                ppl=format_score(r.ppl, 2),
            )
        )
        self.scores.setToolTip(bleu_tooltip(r.signature))
        self.signature.setText(
            self.tr("sacrebleu signature: {signature}").format(signature=r.signature)
        )
        self.signature.setToolTip(bleu_tooltip(r.signature))
        self.by_length.show_buckets(r.by_length)
        self.by_rarity.show_buckets(r.by_rarity)
        self.rows.set_rows(r.rows)
        self.proxy.set_allowed(None)
        self.filter_note.setText(self.tr("All {n} sentences").format(n=len(r.rows)))

    def _on_stopped(self, message: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(
            self.tr("cancelled")
            if message == "cancelled"
            else self.tr("failed: {message}").format(message=message)
        )

    def _on_bucket(self, plot: BucketPlot, index: int) -> None:
        other = self.by_rarity if plot is self.by_length else self.by_length
        if other.chosen >= 0:
            other.choose(-1, emit=False)
        if self.outcome is None or index < 0:
            self.proxy.set_allowed(None)
            self.filter_note.setText(self.tr("All sentences"))
            return
        values = (
            self.outcome.lengths if plot is self.by_length else self.outcome.rarities
        )
        bucket = plot.buckets[index]
        self.proxy.set_allowed(bucket_mask(values, bucket))
        kind = self.tr("length") if plot is self.by_length else self.tr("rarity")
        self.filter_note.setText(
            self.tr(
                "Sentences with {kind} {label} ({count}) — click the bar again to "
                "show all"
            ).format(kind=kind, label=bucket.label, count=bucket.count)
        )
