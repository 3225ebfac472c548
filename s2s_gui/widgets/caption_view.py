"""Caption an image: the picture, n-best captions, beam tree, attention per word."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeyEvent,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from engine.events import TranslatedHypothesis, Translation
from s2s_gui.models.nbest_model import NbestModel
from s2s_gui.widgets.beam_tree_view import BeamTreeView
from s2s_gui.widgets.caption_words import CaptionWords
from s2s_gui.widgets.decode_controls import DecodeControls
from s2s_gui.widgets.image_attention import ImageAttentionView
from s2s_gui.widgets.model_picker import ModelPicker

logger = logging.getLogger(__name__)

STRIP_IMAGES = 20  # corpus pictures offered on the left
ICON_PX = 64
IMAGE_FILTER = "*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff"
ROLE_REF = Qt.ItemDataRole.UserRole
ROLE_LOADED = Qt.ItemDataRole.UserRole + 1


class CaptionNbestModel(NbestModel):
    """The n-best table, its text column named for captions."""

    HEADERS = (
        "#",
        QT_TRANSLATE_NOOP("Columns", "Caption"),
        *NbestModel.HEADERS[2:],
    )


class CaptionView(QWidget):
    """Maps picked images and settings to ``images.caption``; shows each result.

    Left: corpus pictures. Middle: the picture with the attention of the chosen
    word, the caption's words (hover one to see its map) and the step controls.
    Right: the n-best captions and the beam tree.
    """

    def __init__(self, images: Any, lab: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._images, self._lab = images, lab
        self.setAcceptDrops(True)
        self.ref: str | None = None
        self.translation: Translation | None = None
        self.grid: tuple[int, int] | None = None
        self._strip_for: tuple[str, ...] | None = None  # the models the strip shows
        self.picker = ModelPicker(lab)
        self.controls = DecodeControls()
        self.controls.set_int8_available(lab.int8_available)
        self.open_button = QPushButton(self.tr("Open image…"))
        self.open_button.setToolTip(self.tr("Or drop an image file on this view"))
        self.strip = QListWidget()
        self.strip.setViewMode(QListView.ViewMode.IconMode)
        self.strip.setIconSize(QSize(ICON_PX, ICON_PX))
        self.strip.setResizeMode(QListView.ResizeMode.Adjust)
        self.strip.setMovement(QListView.Movement.Static)
        self.strip.setUniformItemSizes(True)
        self.strip.setGridSize(QSize(ICON_PX + 10, ICON_PX + 10))
        blank = QPixmap(ICON_PX, ICON_PX)
        blank.fill(QColor("#e4e4e4"))
        self._blank = QIcon(blank)  # until the thumbnail arrives
        self.strip.setSpacing(4)
        self.strip.setMinimumWidth(2 * ICON_PX + 40)
        self.strip_note = QLabel(" ")
        self.strip_note.setObjectName("dimLabel")
        self.strip_note.setWordWrap(True)
        self.picture = ImageAttentionView()
        self.picture.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stepper = CaptionWords()
        # the stepper's parts, named here for tests and key handling
        self.words, self.slider = self.stepper.words, self.stepper.slider
        self.prev, self.next = self.stepper.prev, self.stepper.next
        self.step_label, self.smooth = self.stepper.step_label, self.stepper.smooth
        self.no_attention = QLabel(
            self.tr(
                "This model has no attention: the CNN's features are pooled into one "
                "vector that starts the decoder, so no word looks at a place. Train "
                "with attention on to see where each word looks."
            )
        )
        self.no_attention.setObjectName("dimLabel")
        self.no_attention.setWordWrap(True)
        self.no_attention.hide()
        self.best = QLabel("—")
        self.best.setObjectName("bestTranslation")
        self.best.setWordWrap(True)  # a long caption must not push the panes aside
        self.best.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.nbest_model = CaptionNbestModel(self)
        self.nbest = QTableView()
        self.nbest.setModel(self.nbest_model)
        self.nbest.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.nbest.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.nbest.verticalHeader().hide()
        header = self.nbest.horizontalHeader()
        header.setSectionResizeMode(NbestModel.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 28), (2, 70), (3, 60), (4, 50)):
            header.resizeSection(col, width)
        self.tree = BeamTreeView()
        self.node_info = QLabel(self.tr("Click a node of the tree to see its prefix."))
        self.node_info.setWordWrap(True)
        self.node_info.setObjectName("dimLabel")
        self.status = QLabel(" ")
        self.status.setObjectName("dimLabel")
        self.status.setWordWrap(True)
        self._layout()
        self._connect()
        if images.image_model:
            self._on_models_changed()

    def _layout(self) -> None:
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(QLabel(self.tr("Pictures from the corpus")))
        col.addWidget(self.strip, 1)
        col.addWidget(self.strip_note)
        middle = QWidget()
        mid = QVBoxLayout(middle)
        mid.setContentsMargins(0, 0, 0, 0)
        mid.addWidget(self.picture, 1)
        mid.addWidget(self.stepper)
        mid.addWidget(self.no_attention)
        right = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_col = QVBoxLayout(top)
        top_col.setContentsMargins(0, 0, 0, 0)
        top_col.addWidget(self.best)
        top_col.addWidget(self.nbest, 1)
        tree_box = QWidget()
        tree_col = QVBoxLayout(tree_box)
        tree_col.setContentsMargins(0, 0, 0, 0)
        tree_col.addWidget(self.tree, 1)
        tree_col.addWidget(self.node_info)
        right.addWidget(top)
        right.addWidget(tree_box)
        right.setSizes([200, 400])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(middle)
        split.addWidget(right)
        split.setSizes([170, 560, 560])
        bar = QHBoxLayout()
        bar.addWidget(self.picker, 1)
        bar.addSpacing(12)
        bar.addWidget(self.controls)
        bar.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

    def _connect(self) -> None:
        images, lab = self._images, self._lab
        self.open_button.clicked.connect(self.open_image_dialog)
        self.strip.currentItemChanged.connect(self._on_strip_item)
        self.controls.changed.connect(self._ask)
        self.stepper.word_shown.connect(self._on_word_shown)
        self.smooth.toggled.connect(self.picture.set_smooth)
        self.nbest.selectionModel().currentRowChanged.connect(self._on_hyp_selected)
        self.tree.node_clicked.connect(self.node_info.setText)
        lab.models_changed.connect(self._on_models_changed)
        images.captioned.connect(self._on_captioned)
        images.caption_failed.connect(self._on_failed)
        images.picture_ready.connect(self._on_picture)
        images.picture_failed.connect(self._on_failed)
        images.image_set_ready.connect(self._on_image_set)
        images.thumbnails_ready.connect(self._on_thumbnails)

    # ------------------------------------------------------------------ input
    def choose_image(self, ref: str) -> None:
        """Show ``ref`` (a file or a built-in reference) and caption it."""
        self.ref = ref
        self.translation = None
        self.picture.set_attention(None, None)
        self.status.setText(self.tr("Reading {ref}…").format(ref=ref))
        self._images.show_picture(ref)
        self._ask()

    def open_image_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open an image"),
            "",
            self.tr("Images ({patterns});;All files (*)").format(patterns=IMAGE_FILTER),
        )
        if path:
            self.choose_image(path)

    def _ask(self, *_: object) -> None:
        if self.ref is None or not self._images.image_model:
            return
        self._images.caption(
            [self.ref], self.controls.config(), int8=self.controls.int8.isChecked()
        )

    def _on_models_changed(self, *_: object) -> None:
        if not self._images.image_model:
            return
        if self._strip_for != self._lab.chosen:  # not at each live evaluation
            self._strip_for = self._lab.chosen
            self._images.load_image_set(STRIP_IMAGES, "caption")
        self._ask()

    def _on_strip_item(self, item: QListWidgetItem | None, *_: object) -> None:
        if item is not None:
            self.choose_image(item.data(ROLE_REF))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self._dropped_images(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = self._dropped_images(event)
        if paths:
            self.choose_image(paths[0])
            event.acceptProposedAction()

    def _dropped_images(self, event: QDragEnterEvent | QDropEvent) -> list[str]:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        return self._images.image_files(
            [u.toLocalFile() for u in urls if u.isLocalFile()]
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Left:
            self.step_word(-1)
        elif event.key() == Qt.Key.Key_Right:
            self.step_word(+1)
        else:
            super().keyPressEvent(event)

    def step_word(self, delta: int) -> None:
        self.stepper.step(delta)

    # ------------------------------------------------------------------ corpus strip
    def _on_image_set(self, purpose: str, image_set: Any) -> None:
        if purpose != "caption":
            return
        self.strip.blockSignals(True)
        self.strip.clear()
        for ref, captions in zip(image_set.refs, image_set.captions):
            item = QListWidgetItem(self._blank, "")
            item.setData(ROLE_REF, ref)
            item.setToolTip("\n".join([ref, *captions]))
            self.strip.addItem(item)
        self.strip.blockSignals(False)
        self._on_thumbnails(image_set.refs)
        self.strip_note.setText(
            self.tr("{n} pictures from {source}").format(
                n=len(image_set.refs), source=image_set.source
            )
        )
        if self.ref is None and image_set.refs:
            self.strip.setCurrentRow(0)

    def _on_thumbnails(self, refs: Any) -> None:
        wanted = set(refs)
        for row in range(self.strip.count()):
            item = self.strip.item(row)
            ref = item.data(ROLE_REF)
            if ref in wanted and item.data(ROLE_LOADED) is None:
                image = self._images.thumbnail(ref)
                if image is not None:
                    item.setIcon(QIcon(QPixmap.fromImage(image)))
                    item.setData(ROLE_LOADED, True)

    # ------------------------------------------------------------------ results
    def _on_picture(self, picture: Any) -> None:
        if picture.ref == self.ref:
            self.picture.set_picture(picture.image)
            self.picture.setFocus()

    def _on_failed(self, message: str) -> None:
        self.status.setText(
            self.tr("Cannot caption: {message}").format(message=message)
        )

    def _on_captioned(self, value: Any) -> None:
        result = value.result
        if not result.translations or result.translations[0].source != self.ref:
            return
        self.translation, self.grid = result.translations[0], value.grid
        tr = self.translation
        self.best.setText(tr.hypotheses[0].text if tr.hypotheses else "")
        self.nbest_model.set_hypotheses(tr.hypotheses)
        self.tree.show_steps(tr.steps, self.controls.config().alpha)
        self.node_info.setText(self.tr("Click a node of the tree to see its prefix."))
        self.nbest.selectRow(0)
        self._on_hyp_selected()
        self.status.setText(
            self.tr("Captioned in {ms:.0f} ms · {model}").format(
                ms=1000 * result.seconds, model=result.model
            )
            + "".join(f"\n⚠ {t.notice}" for t in result.translations if t.notice)
        )

    def hypothesis(self) -> TranslatedHypothesis | None:
        return self.nbest_model.hypothesis(max(self.nbest.currentIndex().row(), 0))

    def _on_hyp_selected(self, *_: object) -> None:
        hyp = self.hypothesis()
        if hyp is None:
            return
        has_attention = hyp.attention is not None and len(hyp.pieces) > 0
        self.no_attention.setVisible(not has_attention)
        self.picture.set_attention(hyp.attention if has_attention else None, self.grid)
        self.stepper.set_pieces(hyp.pieces, has_attention)

    def _on_word_shown(self, index: int) -> None:
        hyp = self.hypothesis()
        if hyp is not None:
            self.picture.show_word(index if hyp.attention is not None else None)
