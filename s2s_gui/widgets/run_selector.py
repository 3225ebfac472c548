"""The runs shown in the Train plots: a colour swatch and a short name each, checkable."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from s2s_gui.widgets.metric_plot import PALETTE
from s2s_gui.widgets.metric_style import short_run_name

logger = logging.getLogger(__name__)

CURRENT = ""  # the key of the current run's entry


def swatch(color: str, dashed: bool) -> QIcon:
    """A short line in the run's colour, dashed as its curves are."""
    pixmap = QPixmap(22, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    pen = QPen(QColor(color), 3)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setWidthF(2.5)
    painter.setPen(pen)
    painter.drawLine(1, 6, 21, 6)
    painter.end()
    return QIcon(pixmap)


class RunSelector(QListWidget):
    """A column of checkable entries, TensorBoard-style: the current run first (in
    bold; its curves are solid, each metric in its own colour), then each overlaid
    run in its colour (its curves dashed). Long names lose their middle.

    ``visibility_changed(key, shown)``: ``key`` is a run folder, or ``CURRENT``.
    """

    visibility_changed = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIconSize(QSize(22, 12))
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedWidth(236)
        self.setSpacing(1)
        self.setToolTip(self.tr("Tick a run to show its curves; overlay runs in Runs"))
        self._keys: list[str] = []
        self.itemChanged.connect(self._on_item_changed)

    def set_runs(
        self, current: str | None, overlays: Sequence[tuple[str, str]]
    ) -> None:
        """``current``: the current run's folder (None: none yet); ``overlays``:
        (folder, colour) of each overlaid run. Ticks are kept for runs still listed."""
        hidden = {k for k in self._keys if not self.is_shown(k)}
        self.blockSignals(True)
        self.clear()
        self._keys = []
        entries = [(CURRENT, current or "", PALETTE[0], False)] if current else []
        entries += [(path, path, color, True) for path, color in overlays]
        for key, path, color, dashed in entries:
            item = QListWidgetItem(swatch(color, dashed), short_run_name(path))
            if key == CURRENT:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                item.setToolTip(self.tr("This run: {path}").format(path=path))
            else:
                item.setToolTip(path)
            item.setData(Qt.ItemDataRole.UserRole, color)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            shown = key not in hidden
            item.setCheckState(
                Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked
            )
            self.addItem(item)
            self._keys.append(key)
        self.blockSignals(False)

    def keys(self) -> list[str]:
        return list(self._keys)

    def names(self) -> list[str]:
        """The shown names, in order (for tests)."""
        return [self.item(i).text() for i in range(self.count())]

    def colors(self) -> list[str]:
        return [
            self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
        ]

    def is_shown(self, key: str) -> bool:
        if key not in self._keys:
            return True
        item = self.item(self._keys.index(key))
        return item.checkState() == Qt.CheckState.Checked

    def set_shown(self, key: str, shown: bool) -> None:
        item = self.item(self._keys.index(key))
        item.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        key = self._keys[self.row(item)]
        self.visibility_changed.emit(key, item.checkState() == Qt.CheckState.Checked)
