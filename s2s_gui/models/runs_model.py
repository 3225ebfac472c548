"""Thin table model over the runs list, with a checkbox column for overlays."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QModelIndex,
    Qt,
    Signal,
)

from s2s_gui.models.table_model import HeaderedTableModel, Index
from s2s_gui.state import RunSummary


class RunsModel(HeaderedTableModel):
    """Overlay ☑ | name | status | steps | best BLEU | model."""

    COL_OVERLAY, COL_NAME, COL_STATUS, COL_STEPS, COL_BLEU, COL_MODEL = range(6)
    HEADERS = (
        QT_TRANSLATE_NOOP("Columns", "Overlay"),
        QT_TRANSLATE_NOOP("Columns", "Run"),
        QT_TRANSLATE_NOOP("Columns", "Status"),
        QT_TRANSLATE_NOOP("Columns", "Steps"),
        QT_TRANSLATE_NOOP("Columns", "Best dev BLEU (greedy)"),
        QT_TRANSLATE_NOOP("Columns", "Model"),
    )
    overlay_toggled = Signal(str, bool)  # run dir, shown

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._runs: list[RunSummary] = []
        self._overlaid: set[str] = set()

    def set_runs(self, runs: Sequence[RunSummary]) -> None:
        self.beginResetModel()
        self._runs = list(runs)
        self._overlaid &= {r.path for r in self._runs}
        self.endResetModel()

    def run(self, row: int) -> RunSummary:
        return self._runs[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._runs)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        run, col = self._runs[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == self.COL_OVERLAY:
            checked = run.path in self._overlaid
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return run.path
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        bleu = "–" if math.isnan(run.bleu) else f"{run.bleu:.1f}"
        values = ("", run.name, run.status, run.steps, bleu, run.description)
        return values[col]

    def setData(
        self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != self.COL_OVERLAY:
            return False
        path = self._runs[index.row()].path
        shown = Qt.CheckState(value) == Qt.CheckState.Checked
        (self._overlaid.add if shown else self._overlaid.discard)(path)
        self.dataChanged.emit(index, index, [role])
        self.overlay_toggled.emit(path, shown)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.column() == self.COL_OVERLAY:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base
