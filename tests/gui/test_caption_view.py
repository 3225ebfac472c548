"""The image side of the app: Caption view, attention overlay, thumbnails, image states."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from engine.events import BeamStep, TranslatedHypothesis, Translation
from engine.images import open_image, shapes_pairs, shapes_scene
from engine.shapes import COLOURS
from s2s_gui.gateway import images as gw_images
from s2s_gui.image_overlay import alpha_map

GRID = (4, 4)


def _shape_colour(ref: str) -> tuple[tuple[int, int], tuple[int, int, int]]:
    """A point inside a built-in picture's first shape, and the picture's colour there."""
    _, seed, i = ref.split(":")
    x0, y0, x1, y1 = shapes_scene(int(seed), int(i)).shapes[0].box
    x, y = (x0 + x1) // 2, (y0 + y1) // 2
    return (x, y), open_image(ref).getpixel((x, y))


@pytest.fixture
def shapes():
    """The built-in shapes task, drawn by the engine."""
    import engine.images

    return engine.images


class FakeCaptioner:
    """A Translator for images: one caption; attention on cell ``t`` at word ``t``."""

    images, grid = True, GRID

    def __init__(self, attention: bool = True) -> None:
        self.attention = attention
        self.calls: list[list[str]] = []

    def translate(self, refs, cfg, history=False, should_stop=None):
        self.calls.append(list(refs))
        out = []
        for ref in refs:
            pieces = ("▁a", "▁red", "▁square", "</s>")
            att = None
            if self.attention:
                att = np.full((4, 16), 0.01, np.float32)
                for t in range(4):
                    att[t, 5 * t] = 1 - 0.01 * 15
            lp = np.array([-0.1, -0.2, -0.3, -0.05], np.float32)
            hyp = TranslatedHypothesis(
                "a red square", pieces, float(lp.sum()), -0.5, lp, att
            )
            hyp2 = TranslatedHypothesis("a red circle", pieces, -2.0, -1.0, lp, att)
            step = BeamStep(
                0,
                np.array([5, 6]),
                np.array([-1, -1]),
                np.array([-0.1, -0.9], np.float32),
                np.array([False, False]),
                np.array([7]),
                np.array([-1]),
                np.array([-3.0], np.float32),
                ("▁a", "▁one"),
                ("▁two",),
            )
            cells = tuple(f"r{r}c{c}" for r in range(4) for c in range(4))
            out.append(Translation(ref, cells, (hyp, hyp2), (step,)))
        return out


@pytest.fixture
def captioner(monkeypatch, controller, tmp_path, shapes):
    """The controller's lab decodes with a fake image run."""
    run = tmp_path / "runs" / "img-run"
    run.mkdir(parents=True)
    fake = FakeCaptioner()
    monkeypatch.setattr(
        gw_images, "is_image_model", lambda c: bool(c.runs) and c.runs[0] == str(run)
    )
    monkeypatch.setattr(controller.lab.cache, "get", lambda choice: fake)
    return str(run), fake


# ---------------------------------------------------------------------- caption view
@pytest.fixture
def view(qtbot, controller, captioner):
    from s2s_gui.widgets.caption_view import CaptionView

    run, _ = captioner
    view = CaptionView(controller.lab.images, controller.lab)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()  # the strip lays its items out before their thumbnails arrive
    with qtbot.waitSignal(controller.lab.images.captioned, timeout=20_000):
        controller.lab.choose([run])  # the strip fills and its first image is captioned
    return view


def test_the_main_window_shows_caption_instead_of_translate_for_an_image_run(
    qtbot, window, tmp_path, monkeypatch
):
    from PySide6.QtGui import QAction, QKeySequence

    run = str(tmp_path / "img")
    monkeypatch.setattr(gw_images, "is_image_model", lambda c: c.runs == (run,))
    tabs, lab = window.tabs, window.controller.lab
    caption, translate = (
        tabs.indexOf(window.caption_view),
        tabs.indexOf(window.translate_view),
    )
    assert tabs.isTabVisible(translate) and not tabs.isTabVisible(caption)
    tabs.setCurrentWidget(window.translate_view)
    lab.choose([run])
    assert tabs.isTabVisible(caption) and not tabs.isTabVisible(translate)
    assert tabs.currentWidget() is window.caption_view
    assert tabs.tabText(caption) == "Caption"
    opened: list[str] = []
    monkeypatch.setattr(
        window.caption_view, "open_image_dialog", lambda: opened.append("image")
    )
    monkeypatch.setattr(
        window.start_page, "_on_open_clicked", lambda: opened.append("corpus")
    )
    (ctrl_o,) = [
        a
        for a in window.findChildren(QAction)
        if a.shortcut() == QKeySequence("Ctrl+O")
    ]
    ctrl_o.trigger()  # on the Caption tab Ctrl+O opens an image
    lab.choose([str(tmp_path / "text-run")])
    assert tabs.isTabVisible(translate) and not tabs.isTabVisible(caption)
    assert tabs.currentWidget() is window.translate_view
    ctrl_o.trigger()  # elsewhere, corpus files
    assert opened == ["image", "corpus"]


def test_the_start_page_lists_the_shapes_corpus(window):
    from PySide6.QtCore import Qt

    items = window.start_page.builtins
    specs = {
        items.item(i).data(Qt.ItemDataRole.UserRole): items.item(i).text()
        for i in range(items.count())
    }
    assert specs["builtin:images/shapes"] == "Shapes (synthetic images)"


def test_the_strip_offers_corpus_pictures_and_the_first_is_captioned(qtbot, view):
    from PySide6.QtCore import Qt

    from s2s_gui.widgets.caption_view import ROLE_LOADED, ROLE_REF

    assert view.strip.count() == 20
    qtbot.waitUntil(
        lambda: all(view.strip.item(i).data(ROLE_LOADED) for i in range(20))
    )
    icon = view.strip.item(1).icon().pixmap(64, 64).toImage()
    (x, y), rgb = _shape_colour(view.strip.item(1).data(ROLE_REF))
    assert icon.pixelColor(x, y).getRgb()[:3] == rgb
    assert view.strip.visualItemRect(view.strip.item(1)).width() >= 64
    assert view.ref == "shapes:7:0"
    qtbot.waitUntil(lambda: view.picture.picture is not None)
    assert view.best.text() == "a red square"
    assert view.nbest_model.rowCount() == 2
    assert view.nbest_model.headerData(1, Qt.Orientation.Horizontal) == "Caption"
    assert len(view.tree.tree.nodes) == 4  # root, two kept, one pruned


def test_the_strip_is_read_again_only_for_other_models(qtbot, view, monkeypatch):
    loads: list[int] = []
    monkeypatch.setattr(view._images, "load_image_set", lambda n, p: loads.append(n))
    with qtbot.waitSignal(view._images.captioned, timeout=20_000):
        view._lab.models_changed.emit("live: step 200")  # e.g. a live evaluation
    assert loads == []  # the same pictures, captioned anew
    view._lab.chosen = ("another image run",)
    view._on_models_changed()
    assert loads == [20]


def test_an_opened_or_dropped_image_file_is_captioned(
    qtbot, view, captioner, tmp_path, monkeypatch
):
    from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
    from PySide6.QtGui import QDropEvent
    from PySide6.QtWidgets import QFileDialog

    _, fake = captioner
    path = tmp_path / "photo.png"
    Image.new("RGB", (120, 80), (10, 200, 10)).save(path)
    mime = QMimeData()
    mime.setUrls(
        [QUrl.fromLocalFile(str(tmp_path / "notes.txt")), QUrl.fromLocalFile(str(path))]
    )
    event = QDropEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(view._images.captioned, timeout=20_000) as blocker:
        view.dropEvent(event)
    assert blocker.args[0].result.translations[0].source == str(path)
    assert fake.calls[-1] == [str(path)]
    qtbot.waitUntil(
        lambda: view.picture.picture is not None and view.picture.picture.width() == 120
    )
    assert view.picture.picture.pixelColor(60, 40).green() == 200
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(path) + "x", "")
    )
    with qtbot.waitSignal(view._images.picture_failed, timeout=20_000):
        view.open_image_dialog()  # a file that is not there: said, not raised
    assert view.ref == str(path) + "x"


def test_stepping_through_the_words_moves_the_overlay(qtbot, view):
    from PySide6.QtCore import Qt

    qtbot.waitUntil(lambda: view.picture.alpha is not None)
    view.smooth.setChecked(False)

    def hot_cell() -> tuple[int, int]:
        y, x = np.unravel_index(np.argmax(view.picture.alpha), view.picture.alpha.shape)
        h, w = view.picture.alpha.shape
        return (4 * y // h, 4 * x // w)

    assert view.slider.value() == 0 and hot_cell() == (0, 0)
    qtbot.keyClick(view.picture, Qt.Key.Key_Right)
    assert view.slider.value() == 1 and hot_cell() == (1, 1)  # cell 5
    view.next.click()
    assert view.picture.word == 2 and hot_cell() == (2, 2)  # cell 10
    assert "square" in view.step_label.text()
    qtbot.keyClick(view.picture, Qt.Key.Key_Left)
    assert hot_cell() == (1, 1)
    view.words.linkHovered.emit("3")  # hovering a word shows its map
    assert view.picture.word == 3 and hot_cell() == (3, 3)
    view.words.linkHovered.emit("")  # and leaving it goes back to the chosen word
    assert view.picture.word == 1


def test_the_overlay_is_the_attention_row_upsampled(qtbot, view):
    from PySide6.QtGui import QColor

    qtbot.waitUntil(lambda: view.picture.alpha is not None)
    view.smooth.setChecked(False)
    view.slider.setValue(2)
    pic = view.picture
    row = pic.attention[2].astype(np.float64)  # the map is computed in float64
    w, h = pic.overlay_size()
    k = w // 64
    assert (w, h) == (64 * k, 64 * k) and k > 1
    expected = np.kron((row / row.max()).reshape(GRID), np.ones((h // 4, w // 4)))
    np.testing.assert_array_equal(pic.alpha, expected)  # blocks: exact
    # the layer's own pixels: alpha = MAX_ALPHA * weight / max, colour from the map
    from s2s_gui.image_overlay import MAX_ALPHA

    layer = pic._overlay
    for (y, x), weight in (
        ((h // 8 + h // 2, w // 8 + w // 2), 1.0),
        ((2, 2), row[0] / row.max()),
    ):
        assert (
            abs(QColor.fromRgba(layer.pixel(x, y)).alpha() - MAX_ALPHA * 255 * weight)
            <= 0.5
        )
    # on screen the hot cell is tinted and a cold one shows the picture as it is
    shot = pic.grab().toImage()
    rect = pic.image_rect()

    def on_screen(fx, fy):
        return QColor(
            shot.pixel(
                rect.x() + int(fx * rect.width()), rect.y() + int(fy * rect.height())
            )
        )

    picture = pic.picture
    for fx in (0.625, 0.9):  # the hot cell (2, 2) and a cold one
        layer_px = QColor.fromRgba(layer.pixel(int(fx * w), int(fx * h)))
        under = picture.pixelColor(
            int(fx * picture.width()), int(fx * picture.height())
        )
        a = layer_px.alpha() / 255
        want = [
            p * (1 - a) + c * a
            for p, c in zip(under.getRgb()[:3], layer_px.getRgb()[:3])
        ]
        got = on_screen(fx, fx).getRgb()[:3]
        assert max(abs(g - e) for g, e in zip(got, want)) <= 2  # 8-bit blending
        if fx < 0.7:  # the hot cell is tinted
            assert max(abs(g - p) for g, p in zip(got, under.getRgb()[:3])) > 30
    # smooth: the largest value stays in the hot cell, and far cells stay clear
    view.smooth.setChecked(True)
    smooth = pic.alpha
    y, x = np.unravel_index(np.argmax(smooth), smooth.shape)
    assert (4 * y // h, 4 * x // w) == (2, 2)
    np.testing.assert_allclose(smooth, alpha_map(row, GRID, (w, h), smooth=True))
    assert smooth[: h // 4, : w // 4].max() < 0.05


def test_without_attention_the_view_says_so(qtbot, controller, captioner):
    from s2s_gui.widgets.caption_view import CaptionView

    run, fake = captioner
    fake.attention = False
    view = CaptionView(controller.lab.images, controller.lab)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(controller.lab.images.captioned, timeout=20_000):
        controller.lab.choose([run])
    assert view.no_attention.isVisible()
    assert not view.slider.isEnabled()
    assert view.picture.alpha is None and view.best.text() == "a red square"


# ---------------------------------------------------------------------- thumbnails
def _decoration(model, row: int, col: int):
    from PySide6.QtCore import Qt

    return model.data(model.index(row, col), Qt.ItemDataRole.DecorationRole)


def test_the_data_view_shows_thumbnails_of_an_image_corpus(qtbot, controller, shapes):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    from engine.events import CorpusReport
    from s2s_gui.models.samples_model import PairsModel
    from s2s_gui.state import CorpusPreview
    from s2s_gui.widgets.data_view import DataView

    view = DataView(controller)
    qtbot.addWidget(view)
    view.resize(1300, 700)
    view.show()
    pairs = tuple(shapes_pairs(30, 3))
    (x, y), rgb = _shape_colour("shapes:3:0")
    preview = CorpusPreview(
        "builtin:images/shapes", CorpusReport("shapes", 60, 0), pairs, 0, 40, 0.0
    )
    with qtbot.waitSignal(controller.lab.images.thumbnails_ready, timeout=20_000):
        controller.preview_ready.emit(preview)
    col = PairsModel.COL_SOURCE
    qtbot.waitUntil(
        lambda: (
            _decoration(view.proxy, 0, col).pixelColor(x, y).getRgb()
            != (228, 228, 228, 255)
        )
    )
    image = _decoration(view.proxy, 0, col)
    assert isinstance(image, QImage) and image.size().width() == 64
    assert image.pixelColor(x, y).getRgb()[:3] == rgb
    assert view.table.rowHeight(0) >= 64
    assert _decoration(view.proxy, 0, PairsModel.COL_TARGET) is None
    # one row per picture, its captions gathered
    assert view.proxy.rowCount() == 30
    captions = view.proxy.index(0, PairsModel.COL_TARGET).data()
    assert captions.split("\n") == [t for s, t in pairs if s == "shapes:3:0"]
    assert view.proxy.headerData(1, Qt.Orientation.Horizontal) == "Picture"
    assert not view.tok_box.isVisible()
    # a text corpus afterwards: no thumbnails, one-line rows
    text = CorpusPreview(
        "x", CorpusReport("x", 1, 0), (("hello", "bonjour"),), 9, 9, 0.0
    )
    controller.preview_ready.emit(text)
    assert _decoration(view.proxy, 0, col) is None and view.table.rowHeight(0) < 64
    # a picture that cannot be read gets a pink square, not an endless wait
    broken = CorpusPreview(
        "x", CorpusReport("x", 1, 0), (("/nowhere/a.png", "a cat"),), 0, 9, 0.0
    )
    with qtbot.waitSignal(controller.lab.images.thumbnails_ready, timeout=20_000):
        controller.preview_ready.emit(broken)
    image = _decoration(view.proxy, 0, col)
    assert image.pixelColor(5, 5).name() == "#f5c2c0"


def test_the_probe_table_shows_probe_images_beside_their_captions(
    qtbot, controller, shapes
):
    from engine.events import EvalResult, Sample
    from s2s_gui.models.samples_model import SamplesModel
    from s2s_gui.widgets.probe_view import ProbeView

    view = ProbeView(controller)
    qtbot.addWidget(view)
    samples = (Sample("shapes:5:1", "a red circle", "a red circle", 100.0),)
    with qtbot.waitSignal(controller.lab.images.thumbnails_ready, timeout=20_000):
        controller.evaluated.emit(EvalResult(10, 0.5, 1.0, 2.7, 50.0, 60.0, samples))
        _decoration(view.table.model(), 0, SamplesModel.COL_SOURCE)  # as a paint would
    image = _decoration(view.table.model(), 0, SamplesModel.COL_SOURCE)
    (x, y), rgb = _shape_colour("shapes:5:1")
    assert image.pixelColor(x, y).getRgb()[:3] == rgb
    assert view.table.iconSize().width() == 48


# ---------------------------------------------------------------------- hidden states
def test_the_states_view_colours_pictures_by_the_chosen_attribute(
    qtbot, controller, captioner, monkeypatch
):
    from engine.events import StatesResult
    from s2s_gui.widgets.states_view import StatesView

    run, _ = captioner
    lab = controller.lab
    asked: list[list[tuple[str, str]]] = []

    def project(pairs, basis):  # the engine's PCA is tested with the engine
        asked.append(list(pairs))
        n = len(pairs)
        points = np.column_stack([np.arange(n, dtype=float), np.arange(n) % 3.0])
        lab.states_ready.emit(
            StatesResult(
                tuple(p for p, _ in pairs),
                tuple(g for _, g in pairs),
                points,
                (),
                (),
                (0.5, 0.3),
                basis,
                "img-run",
            )
        )

    monkeypatch.setattr(lab, "compute_states", project)
    view = StatesView(lab)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    lab.choose([run])
    assert view.image_box.isVisible() and not view.text_box.isVisible()
    view.image_count.setValue(30)
    with qtbot.waitSignal(lab.images.image_set_ready, timeout=20_000):
        view.load_images()
    refs = [f"shapes:7:{i}" for i in range(30)]
    view.colour_by.setCurrentIndex(view.colour_by.findData("colour"))
    scenes = [shapes_scene(7, i) for i in range(30)]
    assert asked[-1] == [(r, sc.shapes[0].colour) for r, sc in zip(refs, scenes)]
    # coloured by colour, each point takes its shape's own colour
    brushes = [b.color().getRgb()[:3] for b in view.plot.scatter.data["brush"]]
    assert brushes == [COLOURS[sc.shapes[0].colour] for sc in scenes]
    assert len(set(brushes)) > 2
    view.colour_by.setCurrentIndex(view.colour_by.findData("shape"))
    kinds = tuple(sc.shapes[0].kind for sc in scenes)
    assert [g for _, g in asked[-1]] == list(kinds)
    brushes = [b.color().name() for b in view.plot.scatter.data["brush"]]
    by_kind = dict(zip(kinds, brushes))  # any other attribute: a colour per value
    assert brushes == [by_kind[k] for k in kinds] and len(set(brushes)) == 3
    with qtbot.waitSignal(lab.images.thumbnails_ready, timeout=20_000):
        view.thumbs.setChecked(True)
    qtbot.waitUntil(lambda: len(view.image_points) == 30)


# ---------------------------------------------------------------------- the real engine
@pytest.fixture(scope="module")
def shapes_run(tmp_path_factory) -> str:
    """A tiny shapes captioner with attention, trained for a few seconds."""
    from engine.config import Config
    from engine.training import Trainer

    config = Config.from_dict(
        {
            "data": {"train": "builtin:images/shapes", "task_size": 40, "dev_size": 8,
                     "vocab_size": 40, "model_type": "word", "image_size": 32},
            "model": {"encoder": "cnn", "cnn_channels": 4, "cnn_layers": 2,
                      "cell": "gru", "layers": 1, "emb": 8, "hidden": 16,
                      "dropout": 0.0, "attention": "dot"},
            "train": {"batch_size": 8, "max_steps": 6, "eval_every": 6,
                      "lr_schedule": "none", "device": "cpu", "bleu_sentences": 4,
                      "bf16": False},
            "decode": {"max_len": 8},
        }
    )  # fmt: skip
    run = tmp_path_factory.mktemp("shapes") / "run"
    for _ in Trainer(config, run).steps():
        pass
    return str(run)


def test_a_real_captioner_drives_the_caption_and_states_views(
    qtbot, window, shapes_run
):
    lab = window.controller.lab
    with qtbot.waitSignal(lab.images.captioned, timeout=60_000) as blocker:
        lab.choose([shapes_run])  # the strip's first dev picture is captioned
    tabs = window.tabs
    assert tabs.isTabVisible(tabs.indexOf(window.caption_view))
    assert not tabs.isTabVisible(tabs.indexOf(window.translate_view))
    value = blocker.args[0]
    assert value.grid == (8, 8)  # 32 px, two stride-2 blocks
    tr = value.result.translations[0]
    assert tr.source.startswith("shapes:") and len(tr.source_pieces) == 64
    view = window.caption_view
    qtbot.waitUntil(lambda: view.picture.picture is not None)
    hyp = view.hypothesis()
    assert hyp.attention.shape == (len(hyp.pieces), 64)
    view.smooth.setChecked(False)
    w, h = view.picture.overlay_size()
    row = hyp.attention[0].astype(np.float64)
    expected = np.kron((row / row.max()).reshape(8, 8), np.ones((h // 8, w // 8)))
    np.testing.assert_array_equal(view.picture.alpha, expected)
    # hidden states: pooled encodings of dev pictures, grouped by shape kind
    states = window.states_view
    states.image_count.setValue(8)
    states.colour_by.setCurrentIndex(states.colour_by.findData("shape"))
    with qtbot.waitSignal(lab.states_ready, timeout=60_000) as blocker:
        states.load_images()
    result = blocker.args[0]
    assert len(result.sentences) == len(result.points) >= 2
    kinds = [
        shapes_scene(*map(int, r.split(":")[1:])).shapes[0].kind
        for r in result.sentences
    ]
    assert list(result.groups) == kinds
