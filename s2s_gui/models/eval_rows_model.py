"""Evaluated sentences: a thin table model plus a proxy filtering by text and bucket."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from engine.events import Sample
from s2s_gui.models.table_model import HeaderedTableModel, Index

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class EvalRowsModel(HeaderedTableModel):
    """# | source | reference | hypothesis | sentence BLEU (sorts by number)."""

    COL_INDEX, COL_SOURCE, COL_REFERENCE, COL_HYPOTHESIS, COL_BLEU = range(5)
    HEADERS = (
        "#",
        QT_TRANSLATE_NOOP("Columns", "Source"),
        QT_TRANSLATE_NOOP("Columns", "Reference"),
        QT_TRANSLATE_NOOP("Columns", "Hypothesis"),
        QT_TRANSLATE_NOOP("Columns", "BLEU"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[Sample, ...] = ()

    def set_rows(self, rows: Sequence[Sample]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        s = self._rows[row]
        if role == SORT_ROLE:
            if col == self.COL_INDEX:
                return row
            if col == self.COL_BLEU:
                return -1.0 if math.isnan(s.bleu) else s.bleu
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            SORT_ROLE,
        ):
            if col == self.COL_INDEX:
                return row + 1
            if col == self.COL_BLEU:
                return "–" if math.isnan(s.bleu) else f"{s.bleu:.1f}"
            return (s.source, s.reference, s.hypothesis)[col - 1]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (0, self.COL_BLEU):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class EvalRowsFilter(QSortFilterProxyModel):
    """Rows whose text contains a string and that fall in the chosen bucket."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)  # any column
        self._allowed: np.ndarray | None = None

    def set_allowed(self, mask: np.ndarray | None) -> None:
        """Only rows where ``mask`` is true (None: every row)."""
        self.beginFilterChange()
        self._allowed = mask
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802
        if self._allowed is not None and not (
            row < len(self._allowed) and self._allowed[row]
        ):
            return False
        return super().filterAcceptsRow(row, parent)
