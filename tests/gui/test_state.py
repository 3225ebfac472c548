"""MetricHistory buffers, smoothing and CSV export."""

from __future__ import annotations

import csv

import numpy as np

from engine.events import EvalResult, TrainStep
from s2s_gui.state import MetricHistory, RunState, ema, format_duration


def step(i: int, loss: float = 1.0) -> TrainStep:
    return TrainStep(i / 10, i, loss, np.exp(loss), 0.1, 2.0, 100.0, 50.0, i * 0.1, 5.0)


def evaluation(i: int) -> EvalResult:
    return EvalResult(i, i / 10, 1.0, 2.7, 10.0 + i, 30.0)


def test_buffers_grow_and_keep_every_point():
    history = MetricHistory()
    for i in range(1, 1001):
        history.append_step(step(i, 1.0 / i))
    history.append_eval(evaluation(500))
    x, y = history.step_curve("loss")
    assert len(x) == len(y) == 1000
    assert x[0] == 1 and x[-1] == 1000 and np.allclose(y, 1.0 / x)
    assert history.eval_curve("bleu")[1].tolist() == [510.0]
    assert history.dirty


def test_buffers_are_bounded_and_keep_the_newest_point():
    history = MetricHistory(max_points=64)
    for i in range(1, 1001):
        history.append_step(step(i))
    x, _ = history.step_curve("loss")
    assert len(x) <= 64
    assert x[-1] == 1000
    assert np.all(np.diff(x) > 0)


def test_curves_are_read_only_views():
    history = MetricHistory()
    history.append_step(step(1))
    x, _ = history.step_curve("loss")
    assert not x.flags.writeable


def test_records_round_trip_and_csv(tmp_path):
    records = [
        {"type": "start", "run_dir": "x"},
        {
            "type": "step",
            "step": 2,
            "epoch": 0.1,
            "loss": 3.0,
            "ppl": 20.0,
            "lr": 0.1,
            "grad_norm": 1.0,
            "tokens_per_s": 9.0,
            "elapsed_s": 1.0,
        },
        {
            "type": "eval",
            "step": 2,
            "epoch": 0.1,
            "dev_loss": 2.0,
            "dev_ppl": 7.4,
            "bleu": None,
            "chrf": 1.0,
        },
        {"type": "finished", "reason": "stopped"},
    ]
    history = MetricHistory.from_records(records, label="run")
    assert history.label == "run"
    assert history.step_curve("loss")[1].tolist() == [3.0]
    assert np.isnan(history.eval_curve("bleu")[1][0])  # JSON null = no value
    path = tmp_path / "m.csv"
    history.write_csv(path)
    rows = list(csv.DictReader(path.open()))
    assert [r["type"] for r in rows] == ["step", "eval"]


def test_ema_smooths_without_lag_at_the_start():
    values = np.array([4.0, 4.0, 4.0, 0.0, 0.0])
    out = ema(values, 0.5)
    assert out[0] == 4.0  # bias-corrected: no pull towards zero
    assert 0 < out[-1] < 4 and np.all(np.diff(out[2:]) < 0)
    assert np.array_equal(ema(values, 0.0), values)


def test_small_helpers():
    assert format_duration(75) == "1:15" and format_duration(-1) == "?"
    assert RunState.PAUSED.busy and not RunState.FINISHED.busy
