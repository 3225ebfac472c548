"""The start page: a corpus (built-in, downloaded, opened or dropped), a preset, Start."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from s2s_gui.presets import Preset
from s2s_gui.widgets.download_dialog import DownloadDialog

logger = logging.getLogger(__name__)

CORPUS_PATTERNS = "*.tsv *.txt *.gz *.zip *.tmx *.po *.mo *.ts *.qm *.en *.fr *.de"
PAIRS_PRESET = "Sentence pairs"  # chosen with a downloaded corpus


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
        self.settings: QSettings | None = None  # set by restore(): choices are kept
        self.downloads: Any = None  # a DownloadController, set by set_downloads()
        self.download_dialog: DownloadDialog | None = None
        self.builtins = QListWidget()
        for label, spec in builtins:
            self.builtins.addItem(self._corpus_item(label, spec))
        self.builtins.itemClicked.connect(self._on_corpus_item)
        self.get_pairs = QPushButton(self.tr("Get sentence pairs…"))
        self.get_pairs.setToolTip(
            self.tr(
                "Download real sentences with their translations (Tatoeba, "
                "English and one of 26 languages)"
            )
        )
        self.get_pairs.setEnabled(False)
        self.get_pairs.clicked.connect(self.open_download_dialog)
        self.recent_corpora = QListWidget()
        self.recent_corpora.itemClicked.connect(self._on_corpus_item)
        open_files = QPushButton(self.tr("Open corpus files…"))
        open_files.setToolTip(
            self.tr("One file of pairs, or two aligned files (Moses style)")
        )
        open_files.clicked.connect(self._on_open_clicked)
        self.chosen = QLabel(self.tr("No corpus chosen yet."))
        self.chosen.setWordWrap(True)
        corpus_box = self._box(
            self.tr("1 · Corpus"), self.builtins, self.get_pairs, open_files
        )
        corpus_box.layout().addWidget(
            QLabel(self.tr("Or drop files (.tsv, .zip, …) here. Recent corpora:"))
        )
        corpus_box.layout().addWidget(self.recent_corpora)
        corpus_box.layout().setStretchFactor(self.builtins, 3)
        corpus_box.layout().setStretchFactor(self.recent_corpora, 1)
        self.preset_list = QListWidget()
        # Descriptions wrap at the list's width rather than run off its edge.
        self.preset_list.setWordWrap(True)
        self.preset_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.preset_list.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
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
    def _corpus_item(label: str, spec: str) -> QListWidgetItem:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, spec)
        item.setToolTip(spec)
        return item

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
        labels = self._labels()
        for spec in corpora:
            self.recent_corpora.addItem(self._corpus_item(labels.get(spec, spec), spec))
        self.recent_runs.clear()
        for path in runs:
            item = QListWidgetItem(Path(path).name)
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent_runs.addItem(item)

    def _labels(self) -> dict[str, str]:
        """spec -> label of the corpora listed."""
        items = (self.builtins.item(i) for i in range(self.builtins.count()))
        return {item.data(Qt.ItemDataRole.UserRole): item.text() for item in items}

    def show_corpus(self, spec: str) -> None:
        label = self._labels().get(spec)
        text = f"{label} ({spec})" if label else spec
        self.chosen.setText(self.tr("Corpus: <b>{spec}</b>").format(spec=text))

    def select_preset(self, name: str) -> None:
        names = [p.name for p in self.presets]
        if name in names:
            self.preset_list.setCurrentRow(names.index(name))

    def add_corpus(self, label: str, spec: str) -> None:
        """List a new corpus first (or relabel it), select and choose it."""
        for row in range(self.builtins.count()):
            if self.builtins.item(row).data(Qt.ItemDataRole.UserRole) == spec:
                self.builtins.takeItem(row)
                break
        self.builtins.insertItem(0, self._corpus_item(label, spec))
        self.builtins.setCurrentRow(0)
        self.choose_corpus(spec)

    # ------------------------------------------------------------------ settings
    def restore(self, settings: QSettings) -> None:
        """Choose the corpus and preset of the last session; from now on every choice
        is kept in ``settings``. At the first launch nothing is read in the background:
        the window comes up idle."""
        preset = settings.value("start/preset")
        if isinstance(preset, str):
            self.select_preset(preset)
        spec = settings.value("start/corpus")
        self.settings = settings
        if isinstance(spec, str) and self._still_there(spec):
            self.choose_corpus(spec)

    def _still_there(self, spec: str) -> bool:
        """A listed corpus, or files that still exist (a moved file is not restored)."""
        if spec in self._labels():
            return True
        if spec.startswith(("builtin:", "tatoeba:")):
            return False
        return all(Path(part).is_file() for part in spec.split("|"))

    # ------------------------------------------------------------------ downloads
    def set_downloads(self, downloads: Any) -> None:
        """Offer "Get sentence pairs…" through ``downloads`` (a DownloadController)."""
        self.downloads = downloads
        self.get_pairs.setEnabled(downloads is not None)

    def open_download_dialog(self) -> DownloadDialog:
        if self.download_dialog is None:
            self.download_dialog = DownloadDialog(self.downloads, self)
            self.download_dialog.corpus_ready.connect(self._on_downloaded)
        self.download_dialog.show()
        self.download_dialog.raise_()
        return self.download_dialog

    def _on_downloaded(self, label: str, spec: str) -> None:
        self.select_preset(PAIRS_PRESET)
        self.add_corpus(label, spec)

    # ------------------------------------------------------------------ input
    def choose_corpus(self, spec: str) -> None:
        self.show_corpus(spec)
        listed = [
            self.builtins.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.builtins.count())
        ]
        if spec in listed:
            self.builtins.setCurrentRow(listed.index(spec))
        else:
            self.builtins.clearSelection()
        if self.settings is not None:
            self.settings.setValue("start/corpus", spec)
        self.corpus_chosen.emit(spec)

    def _on_corpus_item(self, item: QListWidgetItem) -> None:
        self.choose_corpus(item.data(Qt.ItemDataRole.UserRole))

    def _on_run_item(self, item: QListWidgetItem) -> None:
        self.run_chosen.emit(item.data(Qt.ItemDataRole.UserRole))

    def _on_preset_row(self, row: int) -> None:
        if 0 <= row < len(self.presets):
            if self.settings is not None:
                self.settings.setValue("start/preset", self.presets[row].name)
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
