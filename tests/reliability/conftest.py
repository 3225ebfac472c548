"""Fixtures for the fault-injection suite: one tiny trained run, copied per test."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from engine import checkpoint as ckpt
from engine.tasks import task_pairs
from engine.training import Trainer
from tests.conftest import tiny_config


def write_tsv(path: Path, pairs: list[tuple[str, str]]) -> Path:
    path.write_text("".join(f"{s}\t{t}\n" for s, t in pairs), encoding="utf-8")
    return path


def fingerprint(run_dir: Path) -> dict[str, str]:
    """name -> sha256 of every file in a run directory (not the pid file that a
    training process keeps there while it runs)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(Path(run_dir).iterdir())
        if p.is_file() and p.name != ckpt.LOCK_FILE
    }


@pytest.fixture(scope="session")
def _trained_run(tmp_path_factory) -> Path:
    """A run trained for 4 steps on a TSV corpus (not a built-in), so that the
    corpus file can be damaged afterwards."""
    root = tmp_path_factory.mktemp("trained")
    corpus = write_tsv(root / "corpus.tsv", task_pairs("reverse", 200, 3, 6, 1))
    cfg = tiny_config(
        data={"train": str(corpus), "dev_size": 20},
        train={"max_steps": 4, "eval_every": 4, "log_every": 2, "bleu_sentences": 4},
    )
    list(Trainer(cfg, root / "run").steps())
    return root


@pytest.fixture
def trained_run(_trained_run, tmp_path) -> tuple[Path, Path]:
    """(run dir, its corpus file): a private copy of the session's tiny run."""
    shutil.copytree(_trained_run, tmp_path / "trained")
    run, corpus = tmp_path / "trained" / "run", tmp_path / "trained" / "corpus.tsv"
    cfg = (run / "config.toml").read_text(encoding="utf-8")
    (run / "config.toml").write_text(
        cfg.replace(str(_trained_run / "corpus.tsv"), str(corpus)), encoding="utf-8"
    )
    return run, corpus
