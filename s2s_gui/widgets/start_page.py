"""The start page: a corpus (built-in, opened or dropped), a preset, then Start."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from s2s_gui.presets import Preset

logger = logging.getLogger(__name__)

CORPUS_PATTERNS = "*.tsv *.txt *.gz *.tmx *.po *.mo *.ts *.qm *.en *.fr *.de"


def spec_for_files(paths: Sequence[str]) -> str:
    """One file is a corpus; two files are a Moses pair ``src|tgt`` (sorted by name)."""
    if len(paths) == 2:
        return "|".join(sorted(paths))
    return paths[0]


class StartPage(QWidget):
    """Two clicks to a training run: pick a corpus, press Start (preset optional)."""

    corpus_chosen = Signal(str)  # a data.train spec
    preset_chosen = Signal(object)  # Preset
    start_clicked = Signal()
    run_chosen = Signal(str)  # a run directory from the recent list

    def __init__(
        self,
        builtins: Sequence[tuple[str, str]],
        presets: Sequence[Preset],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.presets = list(presets)
        self.builtins = QListWidget()
        for label, spec in builtins:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, spec)
            item.setToolTip(spec)
            self.builtins.addItem(item)
        self.builtins.itemClicked.connect(self._on_corpus_item)
        self.recent_corpora = QListWidget()
        self.recent_corpora.itemClicked.connect(self._on_corpus_item)
        open_files = QPushButton(self.tr("Open corpus files…"))
        open_files.setToolTip(
            self.tr("One file of pairs, or two aligned files (Moses style)")
        )
        open_files.clicked.connect(self._on_open_clicked)
        self.chosen = QLabel(self.tr("No corpus chosen yet."))
        self.chosen.setWordWrap(True)
        corpus_box = self._box(self.tr("1 · Corpus"), self.builtins, open_files)
        corpus_box.layout().addWidget(
            QLabel(self.tr("Or drop files here. Recent corpora:"))
        )
        corpus_box.layout().addWidget(self.recent_corpora)
        self.preset_list = QListWidget()
        for preset in self.presets:
            item = QListWidgetItem(
                f"{preset.display_name}\n    {preset.display_description}"
            )
            item.setToolTip(preset.display_description)
            self.preset_list.addItem(item)
        self.preset_list.currentRowChanged.connect(self._on_preset_row)
        preset_box = self._box(
            self.tr("2 · Preset (fills the Configure tab)"), self.preset_list
        )
        self.start = QPushButton(self.tr("Start training"))
        self.start.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay)
        )
        self.start.setObjectName("bigStart")
        self.start.setMinimumHeight(48)
        self.start.clicked.connect(self.start_clicked)
        self.recent_runs = QListWidget()
        self.recent_runs.itemActivated.connect(self._on_run_item)
        self.recent_runs.itemClicked.connect(self._on_run_item)
        start_box = self._box(self.tr("3 · Train"), self.chosen, self.start)
        start_box.layout().addWidget(
            QLabel(self.tr("Recent runs (click to show their curves):"))
        )
        start_box.layout().addWidget(self.recent_runs, 1)
        row = QHBoxLayout(self)
        row.addWidget(corpus_box, 3)
        row.addWidget(preset_box, 3)
        row.addWidget(start_box, 2)

    @staticmethod
    def _box(title: str, *widgets: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        for widget in widgets:
            layout.addWidget(widget)
        return box

    # ------------------------------------------------------------------ display
    def set_recent(self, corpora: Sequence[str], runs: Sequence[str]) -> None:
        self.recent_corpora.clear()
        for spec in corpora:
            item = QListWidgetItem(spec)
            item.setData(Qt.ItemDataRole.UserRole, spec)
            self.recent_corpora.addItem(item)
        self.recent_runs.clear()
        for path in runs:
            item = QListWidgetItem(Path(path).name)
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent_runs.addItem(item)

    def show_corpus(self, spec: str) -> None:
        self.chosen.setText(self.tr("Corpus: <b>{spec}</b>").format(spec=spec))

    def select_preset(self, name: str) -> None:
        names = [p.name for p in self.presets]
        if name in names:
            self.preset_list.setCurrentRow(names.index(name))

    # ------------------------------------------------------------------ input
    def choose_corpus(self, spec: str) -> None:
        self.show_corpus(spec)
        self.corpus_chosen.emit(spec)

    def _on_corpus_item(self, item: QListWidgetItem) -> None:
        self.choose_corpus(item.data(Qt.ItemDataRole.UserRole))

    def _on_run_item(self, item: QListWidgetItem) -> None:
        self.run_chosen.emit(item.data(Qt.ItemDataRole.UserRole))

    def _on_preset_row(self, row: int) -> None:
        if 0 <= row < len(self.presets):
            self.preset_chosen.emit(self.presets[row])

    def _on_open_clicked(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Open corpus files"),
            "",
            self.tr("Parallel text ({patterns});;All files (*)").format(
                patterns=CORPUS_PATTERNS
            ),
        )
        if paths:
            self.choose_corpus(spec_for_files(paths[:2]))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.choose_corpus(spec_for_files(paths[:2]))
            event.acceptProposedAction()
