"""Hidden states: adding a sentence never moves the points already shown."""

from __future__ import annotations

import numpy as np

from s2s_gui.widgets.states_view import StatesView

SENTENCES = "# one\na b c d\nd c b a\n# two\ne f g\ng f e\n"


def test_adding_a_sentence_does_not_move_existing_points(
    qtbot, controller, trained_run, tmp_path
):
    lab = controller.lab
    lab.choose([trained_run])
    view = StatesView(lab)
    qtbot.addWidget(view)
    with qtbot.waitSignal(lab.states_ready, timeout=20_000) as blocker:
        view.sentences.setPlainText(SENTENCES)
    first = blocker.args[0]
    before = view.plot.positions()
    assert before.shape == (4, 2) and first.groups == ("one", "one", "two", "two")
    assert "% of variance" in view.plot.plotItem.getAxis("bottom").labelText
    with qtbot.waitSignal(lab.states_ready, timeout=20_000):
        view.add_sentence("a a b b")
    after = view.plot.positions()
    assert after.shape == (5, 2)
    assert np.array_equal(after[:4], before)  # bit for bit
    colors = view.plot.point_colors()  # the added sentence has a colour of its own
    assert len(set(colors)) == 5 and colors[4] not in colors[:4]
    view.paths.setChecked(True)
    assert len(view.plot.path_colors()) == 5  # a trajectory per sentence
    with qtbot.waitSignal(lab.point_ready, timeout=20_000) as blocker:
        view.plot.select(0)
    assert blocker.args[0].sentence == "a b c d" and blocker.args[0].neighbours
    view.plot.export(str(tmp_path / "states.svg"))
    view.plot.export(str(tmp_path / "states.png"))
    lab.export_states_csv(str(tmp_path / "states.csv"), view.plot.result)
    assert "<svg" in (tmp_path / "states.svg").read_text(encoding="utf-8")
    assert (tmp_path / "states.png").stat().st_size > 1000
    rows = (tmp_path / "states.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("# explained_variance_ratio") and len(rows) == 2 + 5
