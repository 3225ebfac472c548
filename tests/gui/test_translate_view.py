"""Translate as you type on a tiny trained run: n-best, beam tree, attention, staleness."""

from __future__ import annotations

import pytest

from engine.config import DecodeConfig
from s2s_gui.widgets.translate_view import TranslateView


@pytest.fixture
def view(qtbot, controller, trained_run):
    controller.lab.choose([trained_run])
    view = TranslateView(controller.lab)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    return view


def test_typing_produces_a_translation(qtbot, view):
    with qtbot.waitSignal(view._lab.translated, timeout=20_000) as blocker:
        qtbot.keyClicks(view.source, "a b c d")
    result = blocker.args[0]
    assert [t.source for t in result.translations] == ["a b c d"]
    assert view.outputs.count() == 1
    assert view.nbest_model.rowCount() == len(result.translations[0].hypotheses) >= 1
    assert "decoded in" in view.status.text()


def test_changing_the_beam_size_updates_the_nbest_table(qtbot, view):
    view.controls.greedy.setChecked(True)
    with qtbot.waitSignal(view._lab.translated, timeout=20_000) as blocker:
        view.source.setPlainText("b c d e")
    assert view.nbest_model.rowCount() == 1
    assert len(blocker.args[0].translations[0].steps[0].tokens) == 1
    with qtbot.waitSignal(view._lab.translated, timeout=20_000) as blocker:
        view.controls.beam_on.setChecked(True)
        view.controls.beam.setValue(4)
        view.controls.nbest.setValue(4)
    tr = blocker.args[0].translations[0]
    assert view.controls.config() == DecodeConfig(beam=4, nbest=4, alpha=0.6)
    assert len(tr.steps[0].tokens) == 4  # four partial hypotheses kept
    assert view.nbest_model.rowCount() == len(tr.hypotheses) >= 1


def test_beam_tree_and_heatmap_render_for_a_hypothesis(qtbot, view):
    with qtbot.waitSignal(view._lab.translated, timeout=20_000) as blocker:
        view.source.setPlainText("c d e f")
    tr = blocker.args[0].translations[0]
    qtbot.waitUntil(lambda: not view.drawing())
    nodes = view.tree.tree.nodes
    assert len(nodes) > len(tr.steps) and len(view.tree.nodes.data) == len(nodes)
    assert any(not n.kept for n in nodes)  # pruned candidates are drawn too
    text = view.tree.select(len(nodes) - 1)
    assert text.startswith("prefix:")
    view.nbest.selectRow(view.nbest_model.rowCount() - 1)
    hyp = tr.hypotheses[-1]
    assert (
        view.attention.shape
        == hyp.attention.shape
        == (
            len(hyp.pieces),
            len(tr.source_pieces),
        )
    )
    assert view.logprobs.counts == (len(hyp.pieces), 0)


def test_a_result_is_drawn_in_parts_and_a_newer_one_replaces_the_rest(
    qtbot, view, monkeypatch
):
    results = []
    for text in ("a b c", "d e f g"):
        with qtbot.waitSignal(view._lab.translated, timeout=20_000) as blocker:
            view.source.setPlainText(text)
        results.append(blocker.args[0])
        qtbot.waitUntil(lambda: not view.drawing())
    trees: list[int] = []
    show_steps = view.tree.show_steps
    monkeypatch.setattr(
        view.tree,
        "show_steps",
        lambda steps, a: (trees.append(len(steps)), show_steps(steps, a)),
    )
    old, new = (r.translations[0] for r in results)
    view._on_translated(results[0])
    # the lists at once; the tree and the heatmap each on a later pass of the loop
    assert view.nbest_model.rowCount() == len(old.hypotheses)
    assert trees == [] and view.drawing()
    view._on_translated(results[1])  # before the first result's parts were drawn
    qtbot.waitUntil(lambda: not view.drawing())
    assert trees == [len(new.steps)]  # only the newer result's tree is drawn
    assert view.attention.shape == new.hypotheses[0].attention.shape


def test_a_reference_is_scored_by_forced_decoding(qtbot, view):
    with qtbot.waitSignal(view._lab.translated, timeout=20_000) as blocker:
        view.source.setPlainText("a b c")
        view.reference.setText("c b a")
    ref = blocker.args[0].reference
    assert ref is not None and len(ref.pieces) == len(ref.token_logprobs)
    qtbot.waitUntil(lambda: view.logprobs.counts[1] == len(ref.pieces))


def test_stale_requests_are_dropped_and_the_newest_wins(qtbot, controller, trained_run):
    lab = controller.lab
    lab.choose([trained_run])
    seen: list[int] = []
    lab.translated.connect(lambda r: seen.append(r.request))
    cfg = DecodeConfig(beam=3, nbest=3)
    last = 0
    for i in range(12):
        last = lab.translate(["a b c d e f"[: 2 * (i % 5) + 1]], cfg, debounce=False)
    qtbot.waitUntil(lambda: last in seen, timeout=20_000)
    qtbot.wait(200)  # nothing older may arrive after the newest
    assert seen == [last]
    assert lab.dropped_requests >= 10  # at most one running plus one waiting
    # typing fast is debounced: one request reaches the worker
    ran = lab._decoder.ran
    for text in ("a", "a b", "a b c"):
        lab.translate([text], cfg)
    with qtbot.waitSignal(lab.translated, timeout=20_000) as blocker:
        pass
    assert blocker.args[0].translations[0].source == "a b c"
    assert lab._decoder.ran == ran + 1


def test_an_over_long_input_is_cut_with_a_visible_notice(qtbot, view):
    with qtbot.waitSignal(view._lab.translated, timeout=30_000):
        view.source.setPlainText(" ".join(["a b c d"] * 800))  # ~3,200 pieces
    assert "⚠" in view.status.text()


def test_the_8_bit_box_decodes_with_int8_weights_on_the_cpu(qtbot, view):
    assert view.controls.int8.isEnabled()  # this CPU build has the x86/fbgemm kernels
    with qtbot.waitSignal(view._lab.translated, timeout=20_000) as blocker:
        view.source.setPlainText("a b c d")
    fp32 = blocker.args[0]
    float_translator = view._lab.cache.get(view._lab.choice())
    with qtbot.waitSignal(view._lab.translated, timeout=20_000) as blocker:
        view.controls.int8.setChecked(True)
    int8 = blocker.args[0]
    assert "8-bit" in int8.model and "8-bit" not in fp32.model
    assert "8-bit" in view.status.text()
    translator = view._lab.cache.get(view._lab.choice(int8=True))
    assert translator.device.type == "cpu"
    assert all(type(m.decoder.out).__name__ == "Int8Linear" for m in translator.models)
    assert view._lab.cache.get(view._lab.choice()) is float_translator  # both kept
    best = [tr.hypotheses[0] for tr in (fp32.translations[0], int8.translations[0])]
    assert best[0].score != best[1].score  # really decoded with other weights
    assert abs(best[0].score - best[1].score) < 0.5 * abs(best[0].score) + 0.5
