"""Plots that read at a glance: run names and colours, fitted ranges, labels that keep
clear of each other, a colour per sentence, hints on empty plots."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor

from engine.events import BeamStep, Bucket, StatesResult
from s2s_gui.state import MetricHistory, RunState
from s2s_gui.widgets.attention_view import AttentionView
from s2s_gui.widgets.beam_tree_view import BeamTreeView
from s2s_gui.widgets.bucket_plot import BucketPlot
from s2s_gui.widgets.metric_style import short_run_name
from s2s_gui.widgets.plots_view import PLOTS, PlotsView
from s2s_gui.widgets.run_selector import CURRENT
from s2s_gui.widgets.states_plot import StatesPlot
from s2s_gui.widgets.token_logprob_plot import TokenLogprobPlot
from tests.gui.test_plots import fill

METRIC_COLORS = {QColor(s.color).name() for _, _, series in PLOTS for s in series}
CURRENT_DIR = "/runs/20261121-120000-builtin-task-reverse-gru"
OTHER_DIR = "/home/me/lab/runs/20261121-110426-builtin-task-reverse-lstm"
THIRD_DIR = "/runs/a-run-folder-with-a-very-long-name-that-goes-on-and-on"


class Controller(QObject):
    overlays_changed = Signal()
    run_opened = Signal(str)
    state_changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.history = MetricHistory()
        self.overlays: dict[str, MetricHistory] = {}
        self.run_dir: str | None = None


@pytest.fixture
def overlaid(qtbot):
    """A plots view over a current run that is also ticked as an overlay, and two
    other overlaid runs."""
    ctl = Controller()
    view = PlotsView(ctl)
    qtbot.addWidget(view)
    ctl.run_dir = CURRENT_DIR
    fill(ctl.history, 40)
    for path, n in ((CURRENT_DIR, 40), (OTHER_DIR, 30), (THIRD_DIR, 20)):
        ctl.overlays[path] = MetricHistory.from_records([], path.rsplit("/", 1)[1])
        fill(ctl.overlays[path], n)
    ctl.overlays_changed.emit()
    view._refresh()
    return ctl, view


def test_the_run_selector_names_runs_short_in_colours_of_their_own(overlaid):
    _ctl, view = overlaid
    runs = view.runs
    assert runs.keys() == [CURRENT, OTHER_DIR, THIRD_DIR]  # the current run once
    assert runs.names()[:2] == [
        "12:00:00 task-reverse-gru",
        "11:04:26 task-reverse-lstm",
    ]
    assert all("/" not in name and len(name) <= 28 for name in runs.names())
    assert runs.names()[2] == short_run_name(THIRD_DIR) and "…" in runs.names()[2]
    assert runs.item(1).toolTip() == OTHER_DIR  # the full path on hover
    overlay_colors = runs.colors()[1:]
    assert len(set(overlay_colors)) == 2
    assert not {QColor(c).name() for c in overlay_colors} & METRIC_COLORS
    for plot in view.plots:  # drawn in those colours, and no legend over the curves
        assert set(plot._overlays) == {OTHER_DIR, THIRD_DIR}
        assert plot.overlay_colors() == dict(
            zip([OTHER_DIR, THIRD_DIR], overlay_colors)
        )
        assert plot.plotItem.legend is None


def test_every_overlaid_run_gets_a_colour_even_past_the_palette(qtbot):
    ctl = Controller()
    view = PlotsView(ctl)
    qtbot.addWidget(view)
    paths = [f"/runs/run{i}" for i in range(8)]
    for path in paths:
        ctl.overlays[path] = MetricHistory()
    ctl.overlays_changed.emit()
    colors = view.runs.colors()
    assert len(colors) == 8 and len(set(colors[:6])) == 6  # distinct while they last


def test_the_current_run_is_not_drawn_twice(overlaid):
    _ctl, view = overlaid
    loss = view.plot("Loss")
    assert CURRENT_DIR not in loss._overlays
    # one train curve of 40 points: the current run's own
    assert [len(c.xData) for c in loss._drawn_items()].count(40) == 2  # raw + smooth


def test_unticking_a_run_hides_its_curves_and_the_readout_follows(overlaid):
    _ctl, view = overlaid
    loss = view.plot("Loss")
    assert "11:04:26" in loss.readout(10)
    view.runs.set_shown(OTHER_DIR, False)
    view._refresh()
    assert set(loss._overlays) == {THIRD_DIR}
    assert "11:04:26" not in loss.readout(10)
    view.runs.set_shown(CURRENT, False)
    view._refresh()
    assert not loss.curves["loss"].isVisible()
    assert loss.readout(10).count("■") == 2  # the third run's train and dev


def test_x_fits_the_data_once_the_run_ends_and_hints_show_until_data(qtbot):
    ctl = Controller()
    view = PlotsView(ctl)
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    qtbot.waitExposed(view)
    loss, bleu = view.plot("Loss"), view.plot("Dev BLEU / chrF")
    assert loss.hint.isVisible() and "Start" in loss.hint.text()
    assert bleu.hint.isVisible() and "evaluation" in bleu.hint.text()
    ctl.state_changed.emit(RunState.TRAINING)
    fill(ctl.history, 9)  # no evaluation yet
    view._refresh()
    assert not loss.hint.isVisible() and bleu.hint.isVisible()
    fill(ctl.history, 40)
    view._refresh()
    assert not bleu.hint.isVisible()
    assert loss.plotItem.vb.viewRange()[0][1] > 55  # while training: room to grow
    ctl.state_changed.emit(RunState.FINISHED)
    view._refresh()
    low, high = loss.plotItem.vb.viewRange()[0]
    span = high - low
    assert 40 <= high <= 40 + 0.03 * span and low <= 1  # fitted: no empty third
    ctl.history.clear()
    view._refresh()
    assert loss.hint.isVisible()


def test_x_can_be_relative_time(qtbot):
    ctl = Controller()
    view = PlotsView(ctl)
    qtbot.addWidget(view)
    fill(ctl.history, 40)  # fill logs step i at elapsed_s = i
    view.x_axis.setCurrentIndex(1)
    view._refresh()
    loss = view.plot("Loss")
    assert np.allclose(loss.curves["loss"].xData, np.arange(1, 41) / 60)
    assert np.allclose(loss.curves["dev_loss"].xData, np.arange(10, 41, 10) / 60)
    assert "time" in loss.plotItem.getAxis("bottom").labelText


def test_tick_labels_are_compact_and_axis_titles_whole(qtbot):
    ctl = Controller()
    view = PlotsView(ctl)
    qtbot.addWidget(view)
    throughput = view.plot("Throughput")
    axis = throughput.plotItem.getAxis("left")
    assert axis.tickStrings([15000, 20000, 25000], 1, 5000) == ["15k", "20k", "25k"]
    fill(ctl.history, 40)
    view._refresh()
    gradient = view.plot("Gradient norm").plotItem.getAxis("left")
    assert gradient.labelText == "norm (pre-clip)" and not gradient.autoSIPrefix
    assert axis.labelText == "tokens / s" and not axis.autoSIPrefix


# ---------------------------------------------------------------------- beam tree
def long_beam(words: int = 25, k: int = 5, pruned: int = 3) -> list[BeamStep]:
    """A beam of ``k`` over ``words + 5`` steps, each candidate extending the one above
    it; the pieces are as long as real words."""
    ids = np.arange(k)
    steps = []
    for t in range(words + 5):
        steps.append(
            BeamStep(
                step=t,
                tokens=ids + 4,
                parents=np.zeros(k, dtype=np.int64) if t == 0 else ids,
                scores=-(t + 1) * (0.3 + ids.astype(np.float32)),
                finished=np.full(k, t == words + 4),
                pruned_tokens=np.arange(pruned) + 9,
                pruned_parents=np.arange(pruned) % k,
                pruned_scores=-(t + 1) * 6.0 - np.arange(pruned, dtype=np.float32),
                pieces=tuple(f"▁word{t}{'x' * i}" for i in range(k)),
                pruned_pieces=tuple(f"▁other{j}" for j in range(pruned)),
            )
        )
    return steps


def placed_labels(tree: BeamTreeView):
    labels = tree.labels
    transform = labels.deviceTransform(tree.viewportTransform())
    return labels.placed(transform), labels.marker_rects(transform)


@pytest.mark.parametrize("words", [4, 25])
def test_beam_tree_labels_keep_clear_of_nodes_and_each_other(qtbot, words):
    tree = BeamTreeView()
    qtbot.addWidget(tree)
    tree.resize(560, 330)
    tree.show()
    qtbot.waitExposed(tree)
    assert tree.hint.isVisible()
    tree.show_steps(long_beam(words), alpha=0.6)
    assert not tree.hint.isVisible()
    placed, markers = placed_labels(tree)
    rects = [rect for _, rect in placed]
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[:i])
    assert not any(r.intersects(m) for r in rects for m in markers)
    # at the first view every kept node on screen has its label, and the view holds
    # at least a few steps; a long sentence scrolls instead of running off the edge
    (x0, x1), _ = tree.plotItem.vb.viewRange()
    nodes = [n for n in tree.tree.nodes if n.step >= 0]
    kept_shown = {
        i
        for i, n in enumerate(sorted(nodes, key=lambda n: not n.kept))
        if n.kept and x0 <= n.x <= x1
    }
    assert kept_shown <= {i for i, _ in placed}
    assert x1 - x0 >= min(words, 4)
    if words == 25:
        last = max(n.x for n in nodes)
        assert x1 < last  # not squeezed: the rest is a drag away
        tree.plotItem.setXRange(last - 5, last + 1, padding=0)
        placed, markers = placed_labels(tree)
        rects = [rect for _, rect in placed]
        assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[:i])
        assert not any(r.intersects(m) for r in rects for m in markers)
        assert placed  # the end of the sentence is readable too
        tree.plotItem.vb.autoRange()  # "A": the whole tree; labels thin out instead
        placed, markers = placed_labels(tree)
        rects = [rect for _, rect in placed]
        assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[:i])
        assert not any(r.intersects(m) for r in rects for m in markers)
        assert 0 < len(placed) < len(nodes)


def test_beam_tree_has_a_legend_for_its_colours(qtbot):
    tree = BeamTreeView()
    qtbot.addWidget(tree)
    title = tree.plotItem.titleLabel.text
    for words in ("kept in the beam", "finished", "pruned", "best translation"):
        assert words in title
    tree.show_steps(long_beam(4), alpha=0.6)
    # the best finished hypothesis' path is drawn from the start
    xs, _ = tree.highlight.getData()
    assert len(xs) == 4 + 5 + 1  # every step and the root


# ---------------------------------------------------------------------- states
def states(n: int, groups: tuple[str, ...]) -> StatesResult:
    rng = np.random.default_rng(n)
    return StatesResult(
        sentences=tuple(f"sentence {i}" for i in range(n)),
        groups=groups,
        points=rng.normal(size=(n, 2)),
        trajectories=tuple(rng.normal(size=(3 + i, 2)) for i in range(n)),
        pieces=tuple(tuple("abc") for _ in range(n)),
        explained=(0.5, 0.3),
        basis="sentences",
        model="m",
    )


def test_each_sentence_has_its_colour_and_its_trajectory_a_start_and_a_direction(
    qtbot,
):
    plot = StatesPlot()
    qtbot.addWidget(plot)
    plot.resize(600, 400)
    plot.show()
    qtbot.waitExposed(plot)
    assert plot.hint.isVisible()
    plot.set_options(labels=True, paths=True)
    result = states(4, ("g", "g", "h", "h"))
    plot.show_result(result)
    assert not plot.hint.isVisible()
    assert len(set(plot.point_colors())) == 4  # one per sentence, even in a group
    assert plot.path_colors() == plot.point_colors()
    starts = np.column_stack(plot.starts.getData())
    assert np.array_equal(starts, np.array([t[0] for t in result.trajectories]))
    assert len(plot.arrows.data) == sum(len(t) - 1 for t in result.trajectories)
    symbols = list(plot.scatter.data["symbol"])
    assert symbols[0] == symbols[1] != symbols[2] == symbols[3]  # a shape per group
    # a sentence added later, in the last group, still gets a colour of its own
    plot.show_result(states(5, ("g", "g", "h", "h", "h")))
    colors = plot.point_colors()
    assert colors[:4] == plot.point_colors()[:4] and colors[4] not in colors[:4]


def test_a_clicked_point_gets_a_ring_and_its_trajectory_stands_out(qtbot):
    plot = StatesPlot()
    qtbot.addWidget(plot)
    plot.set_options(labels=False, paths=True)
    result = states(4, ("", "", "", ""))
    plot.show_result(result)
    assert len(plot.selected.data) == 0
    with qtbot.waitSignal(plot.point_clicked) as blocker:
        plot.select(2)
    assert blocker.args == [2]
    ring = np.column_stack(plot.selected.getData())
    assert np.array_equal(ring, result.points[2:3])
    pens = [c.opts["pen"] for c in plot._paths[:4]]
    assert pens[2].widthF() > max(p.widthF() for i, p in enumerate(pens) if i != 2)
    assert pens[2].color().alpha() > max(
        p.color().alpha() for i, p in enumerate(pens) if i != 2
    )


# ---------------------------------------------------------------------- others
def test_empty_translate_plots_say_what_fills_them(qtbot):
    plots = [make() for make in (AttentionView, TokenLogprobPlot)]
    for plot in plots:
        qtbot.addWidget(plot)
        plot.show()
        qtbot.waitExposed(plot)
        assert plot.hint.isVisible() and plot.hint.text(), type(plot).__name__
    attention, logprobs = plots
    attention.show_attention(np.eye(3), list("abc"), list("xyz"))
    assert not attention.hint.isVisible()
    logprobs.show_logprobs(-np.ones(3), list("abc"))
    assert not logprobs.hint.isVisible()


def test_hypothesis_and_reference_bars_sit_side_by_side_on_one_label_row(qtbot):
    plot = TokenLogprobPlot()
    qtbot.addWidget(plot)
    hyp, ref = -np.linspace(0.1, 1.0, 4), -np.linspace(0.2, 2.0, 6)
    plot.show_logprobs(hyp, list("abcd"), ref, list("uvwxyz"))
    hyp_x, ref_x = plot.hyp.opts["x"], plot.ref.opts["x"]
    assert max(hyp_x) < min(ref_x)  # not interleaved
    ticks = [t for level in plot.getAxis("bottom")._tickLevels for t in level]
    assert sorted(p for p, _ in ticks) == sorted([*hyp_x, *ref_x])  # one label each
    assert dict(ticks)[ref_x[0]] == "u" and dict(ticks)[hyp_x[0]] == "a"
    assert plot.ref_tag.isVisible() and plot.divider.isVisible()
    assert "hypothesis" in plot.plotItem.titleLabel.text
    plot.show_logprobs(hyp, list("abcd"))
    assert not plot.ref.isVisible() and not plot.ref_tag.isVisible()


def test_a_bucket_of_few_sentences_is_shown_with_caution(qtbot):
    plot = BucketPlot("BLEU by length", "words")
    qtbot.addWidget(plot)
    plot.show()
    qtbot.waitExposed(plot)
    assert plot.hint.isVisible()
    assert not plot.getAxis("left").style["showValues"]  # no bare 0-1 numbers
    plot.show_buckets(
        [Bucket("1-5", 1, 6, 40, 30.0, 50.0), Bucket("6-10", 6, 11, 1, 80.0, 90.0)]
    )
    assert not plot.hint.isVisible()
    assert plot.getAxis("left").style["showValues"]
    brushes = plot.bars.opts["brushes"]
    assert brushes[0].style() == Qt.BrushStyle.SolidPattern
    assert brushes[1].style() == Qt.BrushStyle.BDiagPattern  # hatched
    assert "n=1 (few)" in plot._counts[1].toPlainText()
    assert "n=40" in plot._counts[0].toPlainText()
    assert "Only 1 sentences" in plot.tip(1) and "Only" not in plot.tip(0)
