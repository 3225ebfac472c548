"""The data view: corpus summary, length histograms, searchable pairs, tokenizer preview."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from PySide6.QtCore import QSize, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from engine.events import CorpusReport
from s2s_gui.models.samples_model import PairsModel
from s2s_gui.models.thumbnail_model import PicturesModel, ThumbnailProxy
from s2s_gui.state import CorpusPreview
from s2s_gui.widgets.length_histogram import LengthHistogram
from s2s_gui.widgets.tokenizer_preview import TokenizerPreview

logger = logging.getLogger(__name__)

THUMBNAIL_PX = 64  # thumbnails of an image corpus, in the source column
PICTURE_COLUMN_PX = 200  # the thumbnail and the picture's name; captions get the rest


class DataView(QWidget):
    """Shows what the controller read: the preview before training, the report during it."""

    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(
            self.tr("No corpus read yet: choose one on the Start page.")
        )
        self.summary.setWordWrap(True)
        self.summary.setObjectName("summary")
        self.error = QLabel()
        self.error.setObjectName("errorBanner")
        self.error.setWordWrap(True)
        self.error.hide()
        self.histogram = LengthHistogram()
        self.text_model = PairsModel(self)
        self.pictures_model = PicturesModel(self)  # an image corpus, by picture
        self.model: PairsModel = self.text_model
        self._images = controller.lab.images
        # an image corpus's sources are image references: shown with thumbnails
        self.thumbnails = ThumbnailProxy(self._images, PairsModel.COL_SOURCE, self)
        self.thumbnails.setSourceModel(self.pictures_model)
        self._text_rows: tuple[int, QSize] | None = None  # row height, icon size
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search both sides…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        # sized from the row count (see _fit_index_column): measuring the column's
        # contents (ResizeToContents) took 150-200 ms on each layout with 5k pairs
        header.setSectionResizeMode(PairsModel.COL_INDEX, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(
            PairsModel.COL_SOURCE, QHeaderView.ResizeMode.Stretch
        )
        header.setSectionResizeMode(
            PairsModel.COL_TARGET, QHeaderView.ResizeMode.Stretch
        )
        pairs_box = QGroupBox(self.tr("Training pairs"))
        pairs_layout = QVBoxLayout(pairs_box)
        pairs_layout.addWidget(self.search)
        pairs_layout.addWidget(self.table)
        tok_box = QGroupBox(self.tr("Tokenizer preview"))
        QVBoxLayout(tok_box).addWidget(TokenizerPreview(controller))
        self.tok_box = tok_box  # hidden for pictures: they have no source tokenizer
        self.pairs_box = pairs_box
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.histogram, 1)
        left_layout.addWidget(tok_box)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(pairs_box)
        split.setSizes([500, 600])
        layout = QVBoxLayout(self)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(split)
        layout.addLayout(row, 1)
        controller.preview_ready.connect(self._on_preview_ready)
        controller.preview_failed.connect(self.show_error)
        controller.corpus_report.connect(self._on_report)

    def show_loading(self, spec: str) -> None:
        self.error.hide()
        self.summary.setText(
            self.tr("Reading <b>{spec}</b> and training a preview tokenizer…").format(
                spec=spec
            )
        )

    def show_error(self, message: str) -> None:
        self.error.setText(
            self.tr("Cannot read this corpus: {message}").format(message=message)
        )
        self.error.show()
        self.summary.setText(self.tr("No corpus loaded."))
        self.model.set_pairs(())

    def _on_preview_ready(self, preview: CorpusPreview) -> None:
        self.error.hide()
        images = any(self._images.is_image_ref(src) for src, _ in preview.pairs[:20])
        self.model.set_pairs(())
        self.model = self.pictures_model if images else self.text_model
        # text skips the thumbnail layer: each Python layer slows the search's
        # scan of every row
        self.proxy.setSourceModel(self.thumbnails if images else self.model)
        self.proxy.setFilterKeyColumn(PairsModel.COL_TARGET if images else -1)
        self.model.set_pairs(preview.pairs)
        self._show_thumbnails(images)
        self._fit_index_column()
        self._on_report(preview.report)

    def _show_thumbnails(self, on: bool) -> None:
        """Thumbnail rows for an image corpus, one-line rows for text."""
        self.thumbnails.set_enabled(on)
        self.tok_box.setVisible(not on)
        self.pairs_box.setTitle(
            self.tr("Pictures and their captions") if on else self.tr("Training pairs")
        )
        rows = self.table.verticalHeader()
        if self._text_rows is None:
            self._text_rows = (rows.defaultSectionSize(), self.table.iconSize())
        height, icons = self._text_rows
        header = self.table.horizontalHeader()
        mode = QHeaderView.ResizeMode
        if on:  # room for a picture's four captions, one a line
            lines = 4 * self.table.fontMetrics().lineSpacing() + 10
            height = max(THUMBNAIL_PX + 6, lines)
            icons = QSize(THUMBNAIL_PX, THUMBNAIL_PX)
            header.setSectionResizeMode(PairsModel.COL_SOURCE, mode.Interactive)
            header.resizeSection(PairsModel.COL_SOURCE, PICTURE_COLUMN_PX)
        else:
            header.setSectionResizeMode(PairsModel.COL_SOURCE, mode.Stretch)
        self.table.setIconSize(icons)
        self.table.setWordWrap(not on)  # a caption a line, cut at the right edge
        rows.setDefaultSectionSize(height)
        self.search.setPlaceholderText(
            self.tr("Search the captions…") if on else self.tr("Search both sides…")
        )

    def _fit_index_column(self) -> None:
        digits = "9" * len(str(max(self.model.rowCount(), 10)))
        width = self.table.fontMetrics().horizontalAdvance(digits) + 16  # + margins
        self.table.horizontalHeader().resizeSection(PairsModel.COL_INDEX, width)

    def _on_report(self, report: CorpusReport) -> None:
        dropped = sum(n for _, n in report.dropped)
        reasons = "; ".join(f"{n:,} {why}" for why, n in report.dropped) or self.tr(
            "none"
        )
        mean_src = report.src_lengths.mean() if len(report.src_lengths) else 0.0
        mean_tgt = report.tgt_lengths.mean() if len(report.tgt_lengths) else 0.0
        if self.thumbnails.enabled:  # a picture has no length in words
            self._on_image_report(report, dropped, reasons, mean_tgt)
            return
        self.summary.setText(
            f"<b>{report.source}</b><br>"
            + self.tr(
                "{pairs:,} training pairs · {dev:,} dev pairs · "
                "{dropped:,} dropped ({reasons})<br>"
                "mean length {src:.1f} → {tgt:.1f} words"
            ).format(
                pairs=report.pairs,
                dev=report.dev_pairs,
                dropped=dropped,
                reasons=reasons,
                src=mean_src,
                tgt=mean_tgt,
            )
        )
        self.histogram.set_lengths(report.src_lengths, report.tgt_lengths)

    def _on_image_report(
        self, report: CorpusReport, dropped: int, reasons: str, mean: float
    ) -> None:
        self.summary.setText(
            f"<b>{report.source}</b><br>"
            + self.tr(
                "{pairs:,} training captions · {dev:,} dev captions · "
                "{dropped:,} dropped ({reasons})<br>"
                "{pictures:,} pictures shown · mean caption length {tgt:.1f} words"
            ).format(
                pairs=report.pairs,
                dev=report.dev_pairs,
                dropped=dropped,
                reasons=reasons,
                pictures=self.model.rowCount(),
                tgt=mean,
            )
        )
        self.histogram.set_lengths(np.zeros(0, np.int64), report.tgt_lengths)
