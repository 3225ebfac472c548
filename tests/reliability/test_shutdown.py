"""Closing the app in the middle of anything ends within a couple of seconds."""

from __future__ import annotations

import time

import pytest

from engine.config import Config, DecodeConfig, TrainConfig, replace
from s2s_gui.controller import AppController
from tests.gui.conftest import tiny_config

LIMIT_S = 2.5  # "a couple of seconds", with headroom for a loaded 2-core machine


def long_config(task_size: int = 300) -> Config:
    """The GUI tests' tiny config, made to train until stopped."""
    cfg = tiny_config(
        max_steps=1_000_000,
        log_every=1,
        eval_every=5,
        lr_schedule=TrainConfig().lr_schedule,  # the engine default, as in the app
    )
    return replace(cfg, data=replace(cfg.data, task_size=task_size))


@pytest.fixture
def controller(qtbot, tmp_path):
    ctl = AppController(runs_root=tmp_path / "runs")
    ctl.closed = False
    yield ctl
    if not ctl.closed:
        assert ctl.shutdown(timeout_ms=10_000)


def close(ctl: AppController) -> float:
    """Seconds that ``shutdown()`` (what closing the window calls) took."""
    t0 = time.perf_counter()
    assert ctl.shutdown(timeout_ms=10_000)
    ctl.closed = True
    return time.perf_counter() - t0


def test_close_while_training(qtbot, controller):
    with qtbot.waitSignal(controller.evaluated, timeout=30_000):
        controller.start_training(long_config())
    assert close(controller) < LIMIT_S


def test_close_while_preparing_data_and_tokenizer(qtbot, controller):
    with qtbot.waitSignal(controller.progress, timeout=30_000):
        controller.start_training(long_config(task_size=20_000))
    assert close(controller) < LIMIT_S


def test_close_while_previewing_a_corpus(qtbot, controller):
    controller.preview_corpus(long_config(task_size=20_000).data)
    assert close(controller) < LIMIT_S


def test_close_while_evaluating(qtbot, controller, trained_run):
    lab = controller.lab
    lab.choose([str(trained_run[0])])
    with qtbot.waitSignal(lab.eval_running, timeout=5_000):
        lab.start_evaluation("dev", DecodeConfig(beam=5))
    assert close(controller) < LIMIT_S


def test_close_while_projecting_hidden_states(qtbot, controller, trained_run):
    lab = controller.lab
    lab.choose([str(trained_run[0])])
    lab.compute_states([(f"a{i} b{i} c", "g") for i in range(200)], "sample")
    assert close(controller) < LIMIT_S


def test_close_while_translating(qtbot, controller, trained_run):
    lab = controller.lab
    lab.choose([str(trained_run[0])])
    lab.translate(["a b c " * 300], DecodeConfig(beam=8), debounce=False)
    assert close(controller) < LIMIT_S


def test_a_minute_of_fast_typing_never_queues(qtbot, controller, trained_run):
    """Every keystroke asks for a translation; at most one waits behind the running one."""
    lab = controller.lab
    lab.choose([str(trained_run[0])])
    seen: list[int] = []
    lab.translated.connect(lambda r: seen.append(r.request))
    text, last = "", 0
    for char in ("the quick brown fox jumps over the lazy dog " * 14)[:600]:
        text += char
        last = lab.translate([text], DecodeConfig(beam=3), debounce=False)
        assert controller.jobs.active <= 1  # the running job; one request waits
    qtbot.waitUntil(lambda: last in seen, timeout=20_000)
    assert lab._decoder.ran + lab.dropped_requests == 600
    assert lab._decoder.ran <= 10 and seen == [last]  # older answers are stale
