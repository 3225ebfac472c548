"""Text views left over from a text run behave once an image run is chosen."""

from __future__ import annotations

import numpy as np

from s2s_gui.gateway import images as gw_images


def _image_run(monkeypatch, tmp_path) -> str:
    run = str(tmp_path / "runs" / "img-run")
    monkeypatch.setattr(gw_images, "is_image_model", lambda c: c.runs == (run,))
    return run


def test_the_translate_view_does_not_send_its_text_to_an_image_run(
    qtbot, controller, tmp_path, monkeypatch
):
    from s2s_gui.widgets.translate_view import TranslateView

    run = _image_run(monkeypatch, tmp_path)
    lab = controller.lab
    asked: list[list[str]] = []
    monkeypatch.setattr(lab, "translate", lambda texts, *a, **k: asked.append(texts))
    view = TranslateView(lab)
    qtbot.addWidget(view)
    view.source.setPlainText("a b c")
    assert asked == [["a b c"]]
    lab.choose([run])  # a captioner would fail on the text as a picture's path
    view.source.setPlainText("d e f")
    assert asked == [["a b c"]]
    lab.choose([str(tmp_path / "text-run")])
    assert asked[-1] == ["d e f"]


def test_an_image_run_draws_no_token_trajectories_left_ticked_by_a_text_run(
    qtbot, controller, tmp_path, monkeypatch
):
    from s2s_gui.widgets.states_view import StatesView

    run = _image_run(monkeypatch, tmp_path)
    lab = controller.lab
    monkeypatch.setattr(lab.images, "load_image_set", lambda n, purpose: None)
    view = StatesView(lab)
    qtbot.addWidget(view)
    view.paths.setChecked(True)
    assert view.plot.show_paths
    lab.choose([run])
    assert view.paths.isChecked() and not view.plot.show_paths
    lab.choose([str(tmp_path / "text-run")])
    assert view.plot.show_paths


def test_the_length_histogram_of_captions_alone_has_no_source_entry(qtbot):
    from s2s_gui.widgets.length_histogram import LengthHistogram

    plot = LengthHistogram()
    qtbot.addWidget(plot)

    def entries() -> list[str]:
        return [label.text for _, label in plot.legend.items]

    lengths = np.array([3, 4, 4, 6])
    plot.set_lengths(np.zeros(0, np.int64), lengths)
    assert entries() == ["target"]
    plot.set_lengths(lengths, lengths)
    assert entries() == ["source", "target"]


def test_a_long_caption_wraps_instead_of_narrowing_the_picture(qtbot, controller):
    from s2s_gui.widgets.caption_view import CaptionView

    view = CaptionView(controller.lab.images, controller.lab)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    qtbot.waitExposed(view)
    width = view.picture.width()
    view.best.setText(" ".join(["from left to right a large yellow triangle"] * 4))
    qtbot.wait(50)  # the layout settles on the next pass
    assert view.picture.width() == width
