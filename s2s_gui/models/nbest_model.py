"""Thin table model over an n-best list: text | log-prob | normalised score | length."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QModelIndex,
    Qt,
)

from engine.events import TranslatedHypothesis
from s2s_gui.models.table_model import HeaderedTableModel, Index


class NbestModel(HeaderedTableModel):
    """One row per hypothesis, best first (the order the engine gives)."""

    COL_RANK, COL_TEXT, COL_LOGPROB, COL_SCORE, COL_LENGTH = range(5)
    HEADERS = (
        "#",
        QT_TRANSLATE_NOOP("Columns", "Translation"),
        QT_TRANSLATE_NOOP("Columns", "Log-prob"),
        QT_TRANSLATE_NOOP("Columns", "Score"),
        QT_TRANSLATE_NOOP("Columns", "Length"),
    )
    TIPS = (
        QT_TRANSLATE_NOOP("Columns", "Rank by normalised score"),
        QT_TRANSLATE_NOOP("Columns", "The hypothesis, detokenised"),
        QT_TRANSLATE_NOOP(
            "Columns", "Total log-probability: the sum over its pieces (0 = certain)"
        ),
        QT_TRANSLATE_NOOP("Columns", "Log-prob / length^α: what the beam ranks by"),
        QT_TRANSLATE_NOOP("Columns", "Pieces, end-of-sentence included"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hyps: tuple[TranslatedHypothesis, ...] = ()

    def set_hypotheses(self, hyps: Sequence[TranslatedHypothesis]) -> None:
        self.beginResetModel()
        self._hyps = tuple(hyps)
        self.endResetModel()

    def hypothesis(self, row: int) -> TranslatedHypothesis | None:
        return self._hyps[row] if 0 <= row < len(self._hyps) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hyps)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        h, col = self._hyps[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == self.COL_RANK:
                return index.row() + 1
            if col == self.COL_TEXT:
                return h.text or "(empty)"
            if col == self.COL_LOGPROB:
                return f"{h.logprob:.2f}"
            if col == self.COL_SCORE:
                return f"{h.score:.3f}"
            return len(h.pieces)
        if role == Qt.ItemDataRole.TextAlignmentRole and col != self.COL_TEXT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
