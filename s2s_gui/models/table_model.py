"""The part every table model here shares: columns and translated headers from HEADERS."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

Index = QModelIndex | QPersistentModelIndex


class HeaderedTableModel(QAbstractTableModel):
    """A table whose columns are ``HEADERS`` (and optional header tooltips ``TIPS``),
    both marked with QT_TRANSLATE_NOOP("Columns", ...) and translated when shown."""

    HEADERS: tuple[str, ...] = ()
    TIPS: tuple[str, ...] = ()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("Columns", self.HEADERS[section])
        if role == Qt.ItemDataRole.ToolTipRole and self.TIPS:
            return QCoreApplication.translate("Columns", self.TIPS[section])
        return None
