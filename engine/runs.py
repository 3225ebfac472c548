"""Finding and describing run directories (for the app's runs list and overlays)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from engine import checkpoint as ckpt
from engine.checkpoint import read_metrics
from engine.config import Config, ConfigError, load_config

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunInfo:
    """What the runs list shows about one run directory."""

    path: Path
    config: Config | None  # None when config.toml is missing or invalid
    steps: int  # last logged step
    best_bleu: float  # nan when never evaluated
    finished: str  # the TrainFinished reason, "" while running or after a crash
    resumable: bool  # trainer state present
    has_weights: bool  # best or last weights present

    @property
    def name(self) -> str:
        return self.path.name


def is_run_dir(path: Path) -> bool:
    return (Path(path) / ckpt.CONFIG_FILE).is_file()


def describe_run(path: str | Path) -> RunInfo:
    path = Path(path)
    try:
        config = load_config(path / ckpt.CONFIG_FILE)
    except ConfigError as exc:
        logger.warning("%s", exc)
        config = None
    records = read_metrics(path)
    steps = max((int(r.get("step") or 0) for r in records), default=0)
    bleus = [
        r["bleu"] for r in records if r["type"] == "eval" and r.get("bleu") is not None
    ]
    finished = next(
        (r["reason"] for r in reversed(records) if r["type"] == "finished"), ""
    )
    return RunInfo(
        path=path,
        config=config,
        steps=steps,
        best_bleu=max(bleus) if bleus else float("nan"),
        finished=finished,
        resumable=(path / ckpt.TRAINER_STATE).is_file(),
        has_weights=(path / ckpt.BEST_WEIGHTS).is_file()
        or (path / ckpt.LAST_WEIGHTS).is_file(),
    )


def list_runs(root: str | Path) -> list[RunInfo]:
    """Run directories directly under ``root``, newest first."""
    root = Path(root)
    if not root.is_dir():
        return []
    runs = [p for p in root.iterdir() if p.is_dir() and is_run_dir(p)]
    runs.sort(key=lambda p: (p / ckpt.CONFIG_FILE).stat().st_mtime, reverse=True)
    return [describe_run(p) for p in runs]


def weights_path(run_dir: str | Path, which: str = "best") -> Path:
    """The weights file to decode with: ``best`` falls back to ``last``."""
    run_dir = Path(run_dir)
    best, last = run_dir / ckpt.BEST_WEIGHTS, run_dir / ckpt.LAST_WEIGHTS
    if which == "best" and best.is_file():
        return best
    if last.is_file():
        return last
    if best.is_file():
        return best
    raise ckpt.CheckpointError(
        f"{run_dir}: no weights (best or last) in this run directory"
    )


def has_weights(run_dir: str | Path) -> bool:
    """True when the run holds best or last weights (a cheap file check)."""
    try:
        weights_path(run_dir)
    except ckpt.CheckpointError:
        return False
    return True


def run_dev_pairs(run_dir: str | Path) -> list[tuple[str, str]]:
    """The dev split a run was trained with, as its config.toml names it."""
    from engine.data import dev_pairs

    return dev_pairs(load_config(Path(run_dir) / ckpt.CONFIG_FILE).data)


def new_run_dir(root: str | Path, cfg: Config) -> Path:
    """A fresh folder under ``root`` named after time, corpus and model (not made)."""
    corpus = re.sub(r"[^A-Za-z0-9]+", "-", cfg.data.train.split("?")[0]).strip("-")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path(root) / f"{stamp}-{corpus[-24:]}-{cfg.model.cell}"
    path, n = base, 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    return path
