"""Issue 4 leftovers: editable probe sentences, and continuing a run for N more steps."""

from __future__ import annotations

from s2s_gui.widgets.probe_view import ProbeView
from s2s_gui.widgets.runs_panel import RunsPanel
from tests.gui.conftest import tiny_config


def test_probes_and_continuing_a_finished_run(qtbot, controller):
    probes = ProbeView(controller)
    runs = RunsPanel(controller)
    qtbot.addWidget(probes)
    qtbot.addWidget(runs)
    probes.editor.setPlainText("a b c\n\nc b a d\n")
    probes.apply.click()
    assert controller.probes == ["a b c", "c b a d"]
    with qtbot.waitSignal(controller.training_finished, timeout=30_000):
        controller.start_training(tiny_config(max_steps=10, eval_every=10))
    assert [s.source for s in probes.model._samples] == ["a b c", "c b a d"]
    qtbot.waitUntil(lambda: runs.model.rowCount() == 1, timeout=10_000)
    runs.table.selectRow(0)
    assert runs.extend.isEnabled()
    runs.more.setValue(10)
    with qtbot.waitSignal(controller.training_finished, timeout=30_000) as blocker:
        runs.extend.click()
    assert blocker.args[0].step == 20
