"""Checkpoints are atomic, validated, and never run code from a file."""

from __future__ import annotations

import os
import pickle

import pytest
import torch

from engine import checkpoint as ckpt


def test_weights_round_trip(tmp_path):
    state = {"a": torch.randn(3, 4), "b": torch.arange(5)}
    ckpt.save_weights(state, tmp_path / "w.safetensors", step=7)
    loaded = ckpt.load_weights(tmp_path / "w.safetensors")
    assert loaded.keys() == state.keys()
    assert all(torch.equal(loaded[k], state[k]) for k in state)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_truncated_weights_are_refused(tmp_path):
    path = tmp_path / "w.safetensors"
    ckpt.save_weights({"a": torch.randn(100)}, path, step=1)
    path.write_bytes(path.read_bytes()[:-50])
    with pytest.raises(ckpt.CheckpointError, match="truncated or corrupt"):
        ckpt.load_weights(path)


def test_mismatched_shapes_are_refused():
    model = torch.nn.Linear(3, 2)
    with pytest.raises(ckpt.CheckpointError, match="shape"):
        ckpt.load_into(
            model, {"weight": torch.zeros(2, 4), "bias": torch.zeros(2)}, "x"
        )
    with pytest.raises(ckpt.CheckpointError, match="missing"):
        ckpt.load_into(model, {"weight": torch.zeros(2, 3)}, "x")


class _Exploit:
    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_malicious_pickle_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    exploit = _Exploit()
    exploit.marker = marker
    path = tmp_path / "trainer.pt"
    path.write_bytes(pickle.dumps({"format_version": 1, "x": exploit}, protocol=2))
    with pytest.raises(ckpt.CheckpointError, match="unsafe"):
        ckpt.load_trainer_state(path)
    assert not marker.exists()


def test_metrics_log_skips_torn_line_and_trims_on_resume(tmp_path):
    path = tmp_path / "metrics.jsonl"
    log = ckpt.MetricsLog(path)
    for step in (10, 20, 30):
        log.write("step", {"step": step, "loss": float("nan")})
    log.close()
    with open(path, "a") as handle:
        handle.write('{"type": "step", "st')  # crash mid-line
    assert [r["step"] for r in ckpt.read_metrics(path)] == [10, 20, 30]
    assert ckpt.read_metrics(path)[0]["loss"] is None
    ckpt.MetricsLog(path, keep_until_step=20).close()
    assert [r["step"] for r in ckpt.read_metrics(path)] == [10, 20]


def test_a_run_config_error_names_the_folder_before_its_files(tmp_path):
    from engine.config import Config, save_config

    with pytest.raises(ckpt.RunFolderError, match=r"missing: no such run folder"):
        ckpt.load_run_config(tmp_path / "missing")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ckpt.RunFolderError, match=r"file: not a folder"):
        ckpt.load_run_config(tmp_path / "file")
    with pytest.raises(
        ckpt.RunFolderError, match=r"not a run folder \(it has no config"
    ):
        ckpt.load_run_config(tmp_path)
    save_config(Config(), tmp_path / ckpt.CONFIG_FILE)
    assert ckpt.load_run_config(tmp_path) == Config()
