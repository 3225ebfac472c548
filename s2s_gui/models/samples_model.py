"""Thin table models over sentence pairs: the corpus preview and the probe sentences."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QModelIndex,
    Qt,
)

from engine.events import Sample
from s2s_gui.models.table_model import HeaderedTableModel, Index


class PairsModel(HeaderedTableModel):
    """Corpus preview: # | source | target (filter it with a QSortFilterProxyModel)."""

    COL_INDEX, COL_SOURCE, COL_TARGET = range(3)
    HEADERS = (
        "#",
        QT_TRANSLATE_NOOP("Columns", "Source"),
        QT_TRANSLATE_NOOP("Columns", "Target"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._pairs: Sequence[tuple[str, str]] = ()

    def set_pairs(self, pairs: Sequence[tuple[str, str]]) -> None:
        self.beginResetModel()
        self._pairs = pairs
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._pairs)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        row, col = index.row(), index.column()
        if col == self.COL_INDEX:
            return row + 1
        return self._pairs[row][col - 1]


class SamplesModel(HeaderedTableModel):
    """Probe sentences: source | reference | hypothesis | sentence BLEU."""

    COL_SOURCE, COL_REFERENCE, COL_HYPOTHESIS, COL_BLEU = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("Columns", "Source"),
        QT_TRANSLATE_NOOP("Columns", "Reference"),
        QT_TRANSLATE_NOOP("Columns", "Current translation"),
        QT_TRANSLATE_NOOP("Columns", "BLEU"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._samples: tuple[Sample, ...] = ()
        self.step = -1

    def set_samples(self, samples: Sequence[Sample], step: int = -1) -> None:
        self.beginResetModel()
        self._samples, self.step = tuple(samples), step
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._samples)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        sample = self._samples[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == self.COL_BLEU:
                return "–" if math.isnan(sample.bleu) else f"{sample.bleu:.1f}"
            return (sample.source, sample.reference, sample.hypothesis)[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_BLEU:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
