"""Evaluation in a worker fills the charts and the table; it can be cancelled."""

from __future__ import annotations

from engine.data import read_pairs
from s2s_gui.widgets.evaluate_view import EvaluateView


def test_evaluation_fills_the_charts_and_the_table(qtbot, controller, trained_run):
    lab = controller.lab
    lab.choose([trained_run])
    view = EvaluateView(lab)
    qtbot.addWidget(view)
    with qtbot.waitSignal(lab.eval_finished, timeout=30_000) as blocker:
        view.start.click()
    report = blocker.args[0].report
    assert "BLEU" in view.scores.text() and "nrefs:1" in view.signature.text()
    assert view.by_length.buckets == report.by_length and report.by_length
    assert view.by_rarity.buckets == report.by_rarity and report.by_rarity
    assert view.proxy.rowCount() == report.sentences == 20
    view.by_length.choose(0)  # as a click on the first bar does
    assert view.proxy.rowCount() == report.by_length[0].count
    view.by_length.choose(-1)
    assert view.proxy.rowCount() == 20
    qtbot.waitUntil(lambda: view.start.isEnabled())
    assert "8-bit" not in blocker.args[0].model


def test_evaluating_with_8_bit_weights(qtbot, controller, trained_run):
    lab = controller.lab
    lab.choose([trained_run])
    view = EvaluateView(lab)
    qtbot.addWidget(view)
    view.controls.int8.setChecked(True)
    with qtbot.waitSignal(lab.eval_finished, timeout=30_000) as blocker:
        view.start.click()
    outcome = blocker.args[0]
    assert "8-bit" in outcome.model and outcome.report.sentences == 20
    translator = lab.cache.get(lab.choice(int8=True))
    assert all(type(m.decoder.out).__name__ == "Int8Linear" for m in translator.models)
    qtbot.waitUntil(lambda: view.start.isEnabled())


def test_cancelling_an_evaluation(qtbot, controller, trained_run, tmp_path):
    lab = controller.lab
    lab.choose([trained_run])
    test = tmp_path / "test.tsv"
    pairs = read_pairs("builtin:task/reverse?size=3000&min=3&max=6&seed=7")
    test.write_text("".join(f"{s}\t{t}\n" for s, t in pairs), encoding="utf-8")
    finished: list[object] = []
    lab.eval_finished.connect(finished.append)
    with qtbot.waitSignal(lab.eval_progress, timeout=20_000):
        lab.start_evaluation(str(test), view_cfg())
    with qtbot.waitSignal(lab.eval_stopped, timeout=10_000) as blocker:
        lab.cancel_evaluation()
    assert blocker.args == ["cancelled"]
    qtbot.waitUntil(lambda: not lab.evaluating, timeout=5_000)
    assert finished == []


def view_cfg():
    from engine.config import DecodeConfig

    return DecodeConfig(beam=2, batch_size=16)
