"""Multi-GPU runs from the app: torchrun in a subprocess (2 CPU ranks on gloo here)."""

from __future__ import annotations

import math
import os
from dataclasses import asdict
from pathlib import Path

from engine.checkpoint import MetricsTail, record_to_event
from engine.events import TrainStep
from s2s_gui.gateway import distributed
from s2s_gui.state import RunState
from s2s_gui.widgets.training_panel import TrainingPanel
from tests.gui.conftest import tiny_config


def test_metrics_records_become_events_again(tmp_path):
    step = TrainStep(1.5, 30, 2.0, 7.4, 0.01, math.nan, 100.0, 50.0, 3.0, -1.0)
    record = {"type": "step", **asdict(step), "grad_norm": None}  # as MetricsLog writes
    back = record_to_event(record)
    assert back.step == 30 and back.loss == 2.0 and math.isnan(back.grad_norm)
    assert record_to_event({"type": "start", "world_size": 2}) is None  # incomplete
    path = tmp_path / "metrics.jsonl"
    tail = MetricsTail(path)
    assert tail.read() == []  # not written yet
    path.write_text('{"type": "step", "step": 1}\n{"type": "st', encoding="utf-8")
    assert [r["step"] for r in tail.read()] == [1]
    with open(path, "a", encoding="utf-8") as handle:
        handle.write('ep", "step": 2}\n')
    assert [r["step"] for r in tail.read()] == [2]  # a torn line waits for its end


def test_gpu_choice_shows_only_with_several_gpus(qtbot, controller, monkeypatch):
    monkeypatch.setattr(distributed, "visible_gpus", lambda: 1)
    one = TrainingPanel(controller, lambda: None)
    qtbot.addWidget(one)
    assert one.gpus.isHidden() and one.gpus.value() == 1
    monkeypatch.setattr(distributed, "visible_gpus", lambda: 4)
    four = TrainingPanel(controller, lambda: None)
    qtbot.addWidget(four)
    assert not four.gpus.isHidden() and four.gpus.maximum() == 4


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0]
    except OSError:
        return False
    return state != "Z"


def test_torchrun_job_feeds_the_plots_and_stops_on_all_ranks(qtbot, controller):
    cfg = tiny_config(max_steps=100_000, eval_every=100_000, log_every=1)
    run_dir = controller.start_training(cfg, gpus=2)  # device cpu: gloo
    worker = controller._train[1]
    qtbot.waitUntil(lambda: len(controller.history.steps) >= 2, timeout=120_000)
    assert controller.state is RunState.TRAINING
    ranks = distributed._children(worker.pid)
    assert len(ranks) == 2
    x, y = controller.history.step_curve("loss")
    assert len(x) >= 2 and all(math.isfinite(v) for v in y)
    controller.pause_training()  # not offered for torchrun jobs
    assert controller.state is RunState.TRAINING
    with qtbot.waitSignal(controller.training_finished, timeout=60_000) as blocker:
        controller.stop_training()
    assert blocker.args[0] is not None and blocker.args[0].reason == "stopped"
    assert controller.state is RunState.FINISHED
    assert not any(_alive(pid) for pid in [worker.pid, *ranks])
    assert (Path(run_dir) / "last.safetensors").is_file()  # rank 0 saved on the way out
    assert os.path.isfile(Path(run_dir) / distributed.LOG_NAME)
