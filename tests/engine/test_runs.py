"""engine.runs: naming new run folders, a run's weights and its dev split."""

from __future__ import annotations

from pathlib import Path

from engine.checkpoint import CONFIG_FILE, LAST_WEIGHTS
from engine.config import save_config
from engine.runs import has_weights, new_run_dir, run_dev_pairs
from tests.conftest import tiny_config


def test_a_new_run_folder_is_named_after_corpus_and_model_and_never_reused(
    tmp_path: Path,
) -> None:
    cfg = tiny_config()
    first = new_run_dir(tmp_path, cfg)
    assert first.parent == tmp_path and not first.exists()
    assert first.name.endswith("-builtin-task-reverse-" + cfg.model.cell)
    first.mkdir()
    second = new_run_dir(tmp_path, cfg)
    assert second != first and not second.exists()


def test_weights_and_dev_split_of_a_run(tmp_path: Path) -> None:
    cfg = tiny_config()
    save_config(cfg, tmp_path / CONFIG_FILE)
    assert not has_weights(tmp_path)
    (tmp_path / LAST_WEIGHTS).write_bytes(b"")
    assert has_weights(tmp_path)
    dev = run_dev_pairs(tmp_path)
    assert len(dev) == cfg.data.dev_size
    # the reverse task: each target is its source backwards
    assert all(t.split() == s.split()[::-1] for s, t in dev)
