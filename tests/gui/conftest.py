"""Fixtures for the GUI tests: a tiny reverse-task config, isolated settings and runs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from engine.config import Config, DataConfig, ModelConfig, TrainConfig
from s2s_gui.controller import AppController


def tiny_config(max_steps: int = 20, **train: object) -> Config:
    """Seconds on 2 CPU cores: 300 reversed strings, emb 16, hidden 32."""
    return Config(
        data=DataConfig(
            train="builtin:task/reverse",
            task_size=300,
            dev_size=20,
            vocab_size=40,
            task_min_len=3,
            task_max_len=6,
        ),
        model=ModelConfig(cell="gru", layers=1, emb=16, hidden=32, dropout=0.0),
        train=TrainConfig(
            **{
                "max_steps": max_steps,
                "batch_size": 16,
                "log_every": 2,
                "eval_every": 10,
                "bleu_sentences": 8,
                "device": "cpu",
                "lr_schedule": "none",
                "patience": 0,
                **train,
            }
        ),
    )


@pytest.fixture(autouse=True)
def every_quirk_on(monkeypatch) -> None:
    """The tests check the app as it ships; a test switches quirks off itself."""
    monkeypatch.delenv("S2S_QUIRKS_OFF", raising=False)


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path, monkeypatch) -> None:
    """Downloaded corpora go to (and are listed from) this test's folder only."""
    monkeypatch.setenv("S2S_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def tiny_cfg() -> Config:
    return tiny_config()


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def controller(qtbot, tmp_path):
    ctl = AppController(runs_root=tmp_path / "runs")
    yield ctl
    assert ctl.shutdown(timeout_ms=10_000)


@pytest.fixture
def window(qtbot, tmp_path, settings):
    from s2s_gui.app import build_window

    ctl, win = build_window(settings, str(tmp_path / "runs"))
    qtbot.addWidget(win)
    win.confirm_close = lambda: True
    yield win
    ctl.shutdown(timeout_ms=10_000)
    win.log_view.detach()


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory) -> str:
    """A tiny reverse-task run trained once per session with the real Trainer."""
    from engine.training import Trainer

    cfg = tiny_config(max_steps=40, eval_every=20, log_every=10, lr=0.01)
    run_dir = tmp_path_factory.mktemp("lab") / "reverse-run"
    for _ in Trainer(cfg, run_dir).steps():
        pass
    return str(run_dir)
