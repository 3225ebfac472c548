"""A caption's words with a stepper: which word's attention the picture shows."""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

logger = logging.getLogger(__name__)

CURRENT = "background:#ffd27f; font-weight:bold;"


def piece_word(piece: str) -> str:
    """A target piece as a reader sees it: no word-start mark; EOS named."""
    if piece == "</s>":
        return "⟨end⟩"
    return piece.replace("▁", "") or "·"  # a lone word-start piece


class CaptionWords(QWidget):
    """The words (each a link: hover one to preview it, click to choose it), the
    chosen one highlighted; ◀ slider ▶ (and ←/→ on the view) move through them.

    ``word_shown(index)`` fires with the word whose map to draw: the chosen one,
    or while hovering the hovered one.
    """

    word_shown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pieces: tuple[str, ...] = ()
        self.words = QLabel()
        self.words.setObjectName("captionWords")
        self.words.setTextFormat(Qt.TextFormat.RichText)
        self.words.setWordWrap(True)
        self.words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.words.setToolTip(self.tr("Hover a word to see where the model looked"))
        self.prev = QToolButton()
        self.prev.setArrowType(Qt.ArrowType.LeftArrow)
        self.prev.setToolTip(self.tr("Previous word (←)"))
        self.next = QToolButton()
        self.next.setArrowType(Qt.ArrowType.RightArrow)
        self.next.setToolTip(self.tr("Next word (→)"))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setPageStep(1)
        self.step_label = QLabel(" ")
        self.step_label.setMinimumWidth(150)
        self.smooth = QCheckBox(self.tr("Smooth"))
        self.smooth.setChecked(True)
        self.smooth.setToolTip(
            self.tr("Blend between grid cells (off: one flat block per cell)")
        )
        steps = QHBoxLayout()
        steps.addWidget(self.prev)
        steps.addWidget(self.slider, 1)
        steps.addWidget(self.next)
        steps.addWidget(self.step_label)
        steps.addWidget(self.smooth)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.words)
        layout.addLayout(steps)
        self.prev.clicked.connect(lambda: self.step(-1))
        self.next.clicked.connect(lambda: self.step(+1))
        self.slider.valueChanged.connect(self._on_chosen)
        self.words.linkHovered.connect(self._on_hovered)
        self.words.linkActivated.connect(lambda href: self.slider.setValue(int(href)))

    def set_pieces(self, pieces: tuple[str, ...], steppable: bool) -> None:
        """A new caption; ``steppable``: its words have maps to step through."""
        self.pieces = pieces
        for w in (self.prev, self.next, self.slider, self.smooth):
            w.setEnabled(steppable)
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(len(pieces) - 1, 0))
        self.slider.setValue(0)
        self.slider.blockSignals(False)
        self._on_chosen(0)

    def step(self, delta: int) -> None:
        self.slider.setValue(self.slider.value() + delta)

    def _on_chosen(self, index: int) -> None:
        self.words.setText(self._html(index))
        if self.pieces:
            self.step_label.setText(
                self.tr("piece {i} of {n}: {word}").format(
                    i=index + 1, n=len(self.pieces), word=piece_word(self.pieces[index])
                )
            )
        self.word_shown.emit(index)

    def _on_hovered(self, href: str) -> None:
        self.word_shown.emit(int(href) if href else self.slider.value())

    def _html(self, current: int) -> str:
        parts = []
        for i, piece in enumerate(self.pieces):
            style = "color:#202020; text-decoration:none;"
            if i == current:
                style += CURRENT
            word = html.escape(piece_word(piece))
            # a piece that starts no word is written against the one before
            space = " " if i and (piece.startswith("▁") or piece == "</s>") else ""
            parts.append(f"{space}<a href='{i}' style='{style}'>{word}</a>")
        return "<span style='font-size:15pt'>" + "".join(parts) + "</span>"
