"""Hidden states, live (the paper's Figure 2): sentences in, a stable PCA scatter out."""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from engine.events import PointInfo, StatesResult
from s2s_gui.lab_state import parse_groups
from s2s_gui.sentence_presets import PRESETS
from s2s_gui.widgets.explain_panel import ExplainPanel
from s2s_gui.widgets.image_points import ImagePoints
from s2s_gui.widgets.model_picker import ModelPicker
from s2s_gui.widgets.states_plot import SENTENCE_COLORS, StatesPlot

logger = logging.getLogger(__name__)

# What an image run's points can be coloured by: an attribute of the picture's
# first shape (gateway.images.ATTRIBUTES), or nothing.
ATTRIBUTES = (
    (QT_TRANSLATE_NOOP("StatesView", "shape"), "shape"),
    (QT_TRANSLATE_NOOP("StatesView", "colour"), "colour"),
    (QT_TRANSLATE_NOOP("StatesView", "size"), "size"),
    (QT_TRANSLATE_NOOP("StatesView", "number of shapes"), "count"),
    (QT_TRANSLATE_NOOP("StatesView", "nothing"), ""),
)
BASES = (
    (QT_TRANSLATE_NOOP("StatesView", "the sentences themselves"), "sentences"),
    (QT_TRANSLATE_NOOP("StatesView", "the run's corpus sample"), "corpus"),
)


class StatesView(QWidget):
    """Sentence editor (with ``# group`` lines), options, the plot and the selection."""

    def __init__(self, lab: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lab = lab
        self.picker = ModelPicker(lab)
        self.presets = QComboBox()
        self.presets.addItem(self.tr("Presets…"))
        for name in PRESETS:
            self.presets.addItem(
                QCoreApplication.translate("SentencePresets", name), name
            )
        self.sentences = QPlainTextEdit()
        self.sentences.setPlaceholderText(
            self.tr(
                "One sentence per line; each gets a colour.\nA line '# name' starts a group (a marker shape)."
            )
        )
        self.add_line = QLineEdit()
        self.add_line.setPlaceholderText(
            self.tr("Add a sentence (its point appears, the others stay)")
        )
        add = QPushButton(self.tr("Add"))
        load = QPushButton(self.tr("Load file…"))
        self.basis = QComboBox()
        for label, key in BASES:
            self.basis.addItem(self.tr(label), key)
        self.basis.setToolTip(
            self.tr("The sentences the 2-D plane is fitted on (once)")
        )
        self.refresh = QPushButton(self.tr("Refresh with latest weights"))
        self.refresh.setToolTip(
            self.tr("Re-encode everything with the newest model and refit")
        )
        self.labels = QCheckBox(self.tr("Labels"))
        self.labels.setChecked(True)
        self.paths = QCheckBox(self.tr("Token trajectories"))
        self.paths.setToolTip(
            self.tr("The hidden state after each source piece, same plane")
        )
        export = QPushButton(self.tr("Export plot…"))
        csv = QPushButton(self.tr("Export CSV…"))
        self.plot = StatesPlot()
        self.info = QLabel(
            self.tr("Click a point to see its translation and its neighbours.")
        )
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(" ")
        self.status.setObjectName("dimLabel")
        self.status.setWordWrap(True)
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        self.text_box = QWidget()  # a text model's sentences
        text_col = QVBoxLayout(self.text_box)
        text_col.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.presets, 1)
        row.addWidget(load)
        text_col.addLayout(row)
        text_col.addWidget(self.sentences, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_line, 1)
        row.addWidget(add)
        text_col.addLayout(row)
        col.addWidget(self.text_box, 1)
        self._make_image_box()
        col.addWidget(self.image_box, 1)
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Fit the plane on")), 0, 0)
        grid.addWidget(self.basis, 0, 1)
        grid.addWidget(self.labels, 1, 0)
        grid.addWidget(self.paths, 1, 1)
        col.addLayout(grid)
        col.addWidget(self.refresh)
        row = QHBoxLayout()
        row.addWidget(export)
        row.addWidget(csv)
        col.addLayout(row)
        col.addWidget(self.status)
        right = QWidget()
        rcol = QVBoxLayout(right)
        rcol.setContentsMargins(0, 0, 0, 0)
        rcol.addWidget(self.plot, 1)
        rcol.addWidget(self.info)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([330, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(ExplainPanel("states"))
        layout.addWidget(self.picker)
        layout.addWidget(split, 1)
        self._edits = QTimer(self, singleShot=True, interval=400)
        self._edits.timeout.connect(self.update_plot)
        self.sentences.textChanged.connect(self._edits.start)
        self.presets.activated.connect(self._on_preset)
        add.clicked.connect(self._on_add)
        self.add_line.returnPressed.connect(self._on_add)
        load.clicked.connect(self._on_load)
        self.basis.currentIndexChanged.connect(self.update_plot)
        self.refresh.clicked.connect(self._on_refresh)
        self.labels.toggled.connect(self._on_options)
        self.paths.toggled.connect(self._on_options)
        export.clicked.connect(self._on_export)
        csv.clicked.connect(self._on_csv)
        self.plot.point_clicked.connect(self._on_point_clicked)
        lab.states_ready.connect(self._on_states)
        lab.point_ready.connect(self._on_point)
        lab.states_failed.connect(self.status.setText)
        lab.models_changed.connect(self.update_plot)
        images = lab.images
        images.model_kind_changed.connect(self._on_model_kind)
        images.image_set_ready.connect(self._on_image_set)
        images.image_set_failed.connect(self.status.setText)
        images.thumbnails_ready.connect(self._draw_thumbnails)
        self._on_model_kind(images.image_model)

    # ------------------------------------------------------------------ image runs
    def _make_image_box(self) -> None:
        """An image run's points: pictures of its dev split, coloured by attribute."""
        self.image_set: Any = None  # gateway.images.ImageSet once loaded
        self.image_mode = False
        self.image_count = QSpinBox()
        self.image_count.setRange(10, 1000)
        self.image_count.setSingleStep(50)
        self.image_count.setValue(200)
        self.colour_by = QComboBox()
        for label, key in ATTRIBUTES:
            self.colour_by.addItem(self.tr(label), key)
        self.colour_by.setToolTip(
            self.tr("Colour each point by its picture's first shape")
        )
        self.thumbs = QCheckBox(self.tr("Draw the pictures"))
        self.thumbs.setToolTip(self.tr("Each point as a small thumbnail"))
        encode = QPushButton(self.tr("Encode the pictures"))
        self.image_box = QWidget()
        grid = QGridLayout(self.image_box)
        grid.setContentsMargins(0, 0, 0, 0)
        note = QLabel(
            self.tr(
                "Each point is one picture: the CNN encoder's pooled features, "
                "projected to two dimensions."
            )
        )
        note.setWordWrap(True)
        grid.addWidget(note, 0, 0, 1, 2)
        grid.addWidget(QLabel(self.tr("Pictures from the dev split")), 1, 0)
        grid.addWidget(self.image_count, 1, 1)
        grid.addWidget(QLabel(self.tr("Colour by")), 2, 0)
        grid.addWidget(self.colour_by, 2, 1)
        grid.addWidget(self.thumbs, 3, 0, 1, 2)
        grid.addWidget(encode, 4, 0, 1, 2)
        grid.setRowStretch(5, 1)
        self.image_points = ImagePoints(self.plot.plotItem)
        encode.clicked.connect(self.load_images)
        self.colour_by.currentIndexChanged.connect(self._fix_colours)
        self.colour_by.currentIndexChanged.connect(self.update_plot)
        self.thumbs.toggled.connect(self._draw_thumbnails)

    def _on_model_kind(self, image: bool) -> None:
        self.image_mode = image
        self.text_box.setVisible(not image)
        self.image_box.setVisible(image)
        self.paths.setEnabled(not image)  # a picture has no token trajectory
        self.labels.setChecked(not image)  # image names say little; thumbnails do
        self._on_options()
        self.image_points.clear()
        self._fix_colours()
        if image and self.isVisible():
            self.load_images()

    def load_images(self) -> None:
        self.status.setText(self.tr("Reading the pictures…"))
        self._lab.images.load_image_set(self.image_count.value(), "states")

    def _on_image_set(self, purpose: str, image_set: Any) -> None:
        if purpose == "states":
            self.image_set = image_set
            self._fix_colours()
            self.update_plot()

    def _fix_colours(self, *_: object) -> None:
        """An image run's points take a colour per attribute value; coloured by
        colour, each takes its shape's own."""
        if not (self.image_mode and self.image_set is not None):
            self.plot.group_palette = {}
            return
        attribute = self.colour_by.currentData()
        values = dict.fromkeys(self.image_set.attributes.get(attribute, ()))
        swatches = self.image_set.swatches if attribute == "colour" else {}
        self.plot.group_palette = {
            v: swatches.get(v, SENTENCE_COLORS[i % len(SENTENCE_COLORS)])
            for i, v in enumerate(values)
        }

    def image_pairs(self) -> list[tuple[str, str]]:
        """(picture, group): the group is the chosen attribute's value."""
        if self.image_set is None:
            return []
        values = self.image_set.attributes.get(self.colour_by.currentData(), ())
        if len(values) != len(self.image_set.refs):
            values = ("",) * len(self.image_set.refs)
        return list(zip(self.image_set.refs, values))

    def _draw_thumbnails(self, *_: object) -> None:
        result = self.plot.result
        if not (self.image_mode and self.thumbs.isChecked() and result is not None):
            self.image_points.clear()
            return
        self.image_points.set_points(
            result.points,
            [self._lab.images.thumbnail(ref) for ref in result.sentences],
            self.plot.colors,
        )

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if self.image_mode and self.image_set is None:
            self.load_images()

    def pairs(self) -> list[tuple[str, str]]:
        if self.image_mode:
            return self.image_pairs()
        return parse_groups(self.sentences.toPlainText())

    def update_plot(self, *_: object) -> None:
        if self.pairs():
            self.status.setText(self.tr("Encoding…"))
            self._lab.compute_states(self.pairs(), self.basis.currentData())

    def add_sentence(self, sentence: str) -> None:
        text = self.sentences.toPlainText().rstrip("\n")
        self.sentences.setPlainText(f"{text}\n{sentence}" if text else sentence)

    def _on_add(self) -> None:
        if self.add_line.text().strip():
            self.add_sentence(self.add_line.text().strip())
            self.add_line.clear()

    def _on_preset(self, index: int) -> None:
        if index > 0:
            self.sentences.setPlainText(PRESETS[self.presets.itemData(index)])
            self.presets.setCurrentIndex(0)

    def _on_load(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Load sentences"), "", self.tr("Text (*.txt)")
        )
        if path:
            self.sentences.setPlainText(Path(path).read_text(encoding="utf-8"))

    def _on_refresh(self) -> None:
        if self.pairs():
            self.status.setText(self.tr("Encoding with the latest weights…"))
            self._lab.refresh_states(self.pairs(), self.basis.currentData())

    def _on_options(self, *_: object) -> None:
        # a picture has no token trajectory, whatever a text run left ticked
        paths = self.paths.isChecked() and not self.image_mode
        self.plot.set_options(self.labels.isChecked(), paths)

    def _on_states(self, result: StatesResult) -> None:
        self.plot.show_result(result)
        self._draw_thumbnails()
        basis = self.tr(dict((k, v) for v, k in BASES)[result.basis])
        text = (
            self.tr("{n} pictures · plane fitted on {basis} · {model}")
            if self.image_mode
            else self.tr("{n} sentences · plane fitted on {basis} · {model}")
        )
        self.status.setText(
            text.format(n=len(result.sentences), basis=basis, model=result.model)
        )

    def _on_point_clicked(self, index: int) -> None:
        sentence = self.plot.result.sentences[index]
        self.info.setText(
            f"<b>{html.escape(sentence)}</b><br>" + self.tr("translating…")
        )
        self._lab.select_point(sentence)

    def _on_point(self, info: PointInfo) -> None:
        esc = html.escape
        empty = self.tr("(empty)")
        near = "".join(
            f"<li>{esc(s)} <i>({sim:.2f})</i></li>" for s, sim in info.neighbours
        )
        self.info.setText(
            f"<b>{esc(info.sentence)}</b> → "
            f"{esc(info.translation) or empty}<br>"
            + self.tr("Nearest training sentences (cosine similarity of the states):")
            + f"<ul>{near}</ul>"
        )

    def _on_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export plot"),
            "states.png",
            self.tr("PNG image (*.png);;SVG drawing (*.svg)"),
        )
        if path:
            self.plot.export(path)

    def _on_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export points"), "states.csv", "CSV (*.csv)"
        )
        if path and self.plot.result is not None:
            self._lab.export_states_csv(path, self.plot.result)
