"""The controller drives the real Trainer on a worker thread."""

from __future__ import annotations

import time
from pathlib import Path

from engine.events import TrainStep
from s2s_gui.state import RunState
from tests.gui.conftest import tiny_config


def test_tiny_training_runs_to_finished(qtbot, controller, tiny_cfg, tmp_path):
    steps: list[TrainStep] = []
    states: list[RunState] = []
    controller.step.connect(steps.append)
    controller.state_changed.connect(states.append)
    with qtbot.waitSignal(controller.training_finished, timeout=30_000) as blocker:
        run_dir = controller.start_training(tiny_cfg)
    finished = blocker.args[0]
    assert finished.reason == "max_steps" and finished.step == 20
    assert states[0] is RunState.PREPARING and RunState.TRAINING in states
    assert controller.state is RunState.FINISHED
    assert [s.step for s in steps] == list(range(2, 21, 2))
    x, y = controller.history.step_curve("loss")
    assert x.tolist() == [s.step for s in steps] and len(y) == len(steps)
    assert len(controller.history.evals) == 2  # steps 10 and 20
    assert Path(run_dir, "metrics.jsonl").is_file()
    assert Path(run_dir).parent == tmp_path / "runs"


def test_stop_ends_within_a_second_and_resume_continues(qtbot, controller):
    cfg = tiny_config(max_steps=100_000, eval_every=100_000, log_every=1)
    with qtbot.waitSignal(controller.step, timeout=30_000):
        run_dir = controller.start_training(cfg)
    t0 = time.perf_counter()
    with qtbot.waitSignal(controller.training_finished, timeout=1_000) as blocker:
        controller.stop_training()
    assert time.perf_counter() - t0 < 1.0
    assert blocker.args[0].reason == "stopped"
    stopped_at = blocker.args[0].step
    # resume the stopped run for a few more steps
    with qtbot.waitSignal(controller.training_finished, timeout=30_000) as blocker:
        controller.resume_run(run_dir, max_steps=stopped_at + 4)
    assert blocker.args[0].step == stopped_at + 4
    assert controller.history.step_curve("loss")[0][-1] == stopped_at + 4


def test_pause_holds_the_engine_until_resume(qtbot, controller):
    cfg = tiny_config(max_steps=100_000, eval_every=100_000, log_every=1)
    with qtbot.waitSignal(controller.step, timeout=30_000):
        controller.start_training(cfg)
    with qtbot.waitSignal(controller.state_changed, timeout=1_000):
        controller.pause_training()
    assert controller.state is RunState.PAUSED
    qtbot.wait(100)  # let queued events drain
    seen = len(controller.history.steps)
    qtbot.wait(300)
    assert len(controller.history.steps) <= seen + 1  # at most the event in flight
    controller.resume_training()
    qtbot.waitUntil(lambda: len(controller.history.steps) > seen + 3, timeout=10_000)
    with qtbot.waitSignal(controller.training_finished, timeout=2_000):
        controller.stop_training()


def test_bad_corpus_reports_a_clear_error(qtbot, controller, tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("only one column here\nand here\n", encoding="utf-8")
    cfg = tiny_config()
    cfg = type(cfg)(
        data=type(cfg.data)(train=str(bad)), model=cfg.model, train=cfg.train
    )
    with qtbot.waitSignal(controller.training_failed, timeout=10_000) as blocker:
        controller.start_training(cfg)
    assert "bad.tsv" in blocker.args[0]
    assert controller.state is RunState.FAILED
    with qtbot.waitSignal(controller.preview_failed, timeout=10_000) as blocker:
        controller.preview_corpus(cfg.data)
    assert "bad.tsv" in blocker.args[0]


def test_runs_list_open_and_overlay(qtbot, controller, tiny_cfg):
    with qtbot.waitSignal(controller.training_finished, timeout=30_000):
        run_dir = controller.start_training(tiny_cfg)
    with qtbot.waitSignal(controller.runs_changed, timeout=10_000) as blocker:
        controller.refresh_runs()
    runs = blocker.args[0]
    assert [r.path for r in runs] == [run_dir]
    assert runs[0].status == "finished: reached max steps (20)" and runs[0].steps == 20
    controller.history.clear()
    with qtbot.waitSignal(controller.run_opened, timeout=10_000):
        controller.open_run(run_dir)
    assert len(controller.history.steps) == 10
    with qtbot.waitSignal(controller.overlays_changed, timeout=10_000):
        controller.set_overlay(run_dir, True)
    assert len(controller.overlays[run_dir].evals) == 2
    controller.set_overlay(run_dir, False)
    assert controller.overlays == {}


def test_training_hides_the_heap_from_full_garbage_collections(qtbot, controller):
    """Full collections over the app's ~400k objects held the GIL for 50-190 ms;
    while training runs, what existed at its start is frozen, and given back after."""
    import gc

    assert gc.get_freeze_count() == 0
    cfg = tiny_config(max_steps=100_000, eval_every=100_000, log_every=1)
    with qtbot.waitSignal(controller.step, timeout=30_000):
        controller.start_training(cfg)
    assert gc.get_freeze_count() > 1000  # modules, the model, the corpus
    assert len(gc.get_objects()) < gc.get_freeze_count() / 10  # what a full pass walks
    with qtbot.waitSignal(controller.training_finished, timeout=2_000):
        controller.stop_training()
    qtbot.waitUntil(lambda: gc.get_freeze_count() == 0, timeout=5_000)


def test_a_run_is_prepared_with_the_heap_hidden_from_full_collections(
    qtbot, monkeypatch, tmp_path
):
    """Preparing a run (corpus, tokenizer, scikit-learn's import) starts a full
    collection of its own: over the whole heap it froze the GUI 200 ms at Start."""
    import gc

    import engine.training
    from s2s_gui.gateway.training import TrainingRun

    frozen_while_building = []

    class NoSteps:
        def __init__(self, *args, **kwargs):
            frozen_while_building.append(gc.get_freeze_count())

        def steps(self, should_stop):
            return iter(())

    monkeypatch.setattr(engine.training, "Trainer", NoSteps)
    assert gc.get_freeze_count() == 0
    run = TrainingRun(tiny_config(), tmp_path, resume=False, probes=[])
    assert list(run.events(lambda: False)) == []  # in this thread: build, no step
    assert frozen_while_building[0] > 1000  # modules, widgets: what existed at Start
    assert gc.get_freeze_count() == 0  # handed back when the run ends
