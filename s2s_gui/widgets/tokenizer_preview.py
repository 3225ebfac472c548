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
        self.text.setPlaceholderText("Type a source sentence…")
        self.text.textChanged.connect(self._on_text_changed)
        self.pieces = QLabel("–")
        self.pieces.setWordWrap(True)
        self.pieces.setTextFormat(self.pieces.textFormat().RichText)
        self.ids = QLabel("–")
        self.ids.setWordWrap(True)
        self.vocab = QLabel("(read a corpus first)")
        form = QFormLayout(self)
        form.addRow("Text", self.text)
        form.addRow("Pieces", self.pieces)
        form.addRow("Ids", self.ids)
        form.addRow("Vocabulary", self.vocab)
        controller.preview_ready.connect(self._on_preview_ready)

    def _on_preview_ready(self, preview: CorpusPreview) -> None:
        self.vocab.setText(
            f"source {preview.src_vocab:,} · target {preview.tgt_vocab:,} pieces · "
            f"unknown pieces on the corpus: {100 * preview.unk_rate:.2f}%"
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
        self.pieces.setText(f"{boxes}  <i>({len(pairs)} pieces)</i>")
        self.ids.setText(" ".join(str(i) for _, i in pairs))
