"""Type a sentence and see its sentencepiece pieces and ids."""

from __future__ import annotations

import html
import logging
from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from s2s_gui.state import CorpusPreview

logger = logging.getLogger(__name__)


class TokenizerPreview(QWidget):
    """Pieces of the typed text with the preview tokenizer; vocabulary and unknown rate."""

    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Type a source sentence…"))
        self.text.textChanged.connect(self._on_text_changed)
        self.pieces = QLabel("–")
        self.pieces.setWordWrap(True)
        self.pieces.setTextFormat(self.pieces.textFormat().RichText)
        self.ids = QLabel("–")
        self.ids.setWordWrap(True)
        self.vocab = QLabel(self.tr("(read a corpus first)"))
        form = QFormLayout(self)
        form.addRow(self.tr("Text"), self.text)
        form.addRow(self.tr("Pieces"), self.pieces)
        form.addRow(self.tr("Ids"), self.ids)
        form.addRow(self.tr("Vocabulary"), self.vocab)
        controller.preview_ready.connect(self._on_preview_ready)

    def _on_preview_ready(self, preview: CorpusPreview) -> None:
        self.vocab.setText(
            self.tr(
                "source {src:,} · target {tgt:,} pieces · "
                "unknown pieces on the corpus: {unk:.2f}%"
            ).format(
                src=preview.src_vocab, tgt=preview.tgt_vocab, unk=100 * preview.unk_rate
            )
        )
        if not self.text.text():
            self.text.setText(preview.pairs[0][0] if preview.pairs else "")
        self._on_text_changed(self.text.text())

    def _on_text_changed(self, text: str) -> None:
        pairs = self._controller.tokenize(text) if text else []
        if not pairs:
            self.pieces.setText("–")
            self.ids.setText("–")
            return
        boxes = " ".join(
            f"<span style='background:#e4ecf7;border-radius:3px'>&nbsp;{html.escape(p)}&nbsp;</span>"
            for p, _ in pairs
        )
        count = self.tr("({n} pieces)").format(n=len(pairs))
        self.pieces.setText(f"{boxes}  <i>{count}</i>")
        self.ids.setText(" ".join(str(i) for _, i in pairs))
