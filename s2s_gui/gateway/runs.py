"""Run folders for the runs list and the plots: summaries, metrics, weights."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QCoreApplication

from s2s_gui.run_labels import stop_reason
from s2s_gui.state import RunSummary

translate = QCoreApplication.translate  # thread-safe; lupdate collects the calls
RESUMABLE = ("", "stopped", "max_steps", "max_minutes")


def new_run_dir(root: Path, cfg: Any) -> Path:
    """A fresh folder under ``root`` named after time, corpus and model."""
    from engine.runs import new_run_dir as _new

    return _new(root, cfg)


def run_config(run_dir: str | Path) -> Any:
    """The engine config the run folder was trained with."""
    from engine.checkpoint import load_run_config

    return load_run_config(run_dir)


def read_metrics(run_dir: str | Path) -> list[dict[str, Any]]:
    from engine.checkpoint import read_metrics as _read

    return _read(Path(run_dir))


def list_runs(root: Path) -> list[RunSummary]:
    """The runs under ``root`` as runs-list lines, newest first."""
    from engine.runs import list_runs as _list

    out = []
    for info in _list(root):
        status = translate("Workers", "running or crashed")
        if info.finished:  # the same words as the Train view's status line
            reason = stop_reason(SimpleNamespace(reason=info.finished), info.config)
            status = (
                reason
                if info.finished == "stopped"
                else translate("Workers", "finished: {reason}").format(reason=reason)
            )
        out.append(
            RunSummary(
                path=str(info.path),
                name=info.name,
                status=status,
                steps=info.steps,
                bleu=info.best_bleu,
                resumable=info.resumable and info.finished in RESUMABLE,
                description=describe_model(info.config),
            )
        )
    return out


def describe_model(cfg: Any) -> str:
    """e.g. ``lstm x2 256/256, attention dot, reversed source`` (config may be None)."""
    if cfg is None:
        return translate("Workers", "config unreadable")
    m = cfg.model
    parts = [
        f"{m.cell} x{m.layers} {m.emb}/{m.hidden}",
        translate("Workers", "attention {kind}").format(kind=m.attention),
    ]
    if m.reverse_source:
        parts.append(translate("Workers", "reversed source"))
    if m.bidirectional:
        parts.append(translate("Workers", "bidirectional"))
    return f"{cfg.data.train}: " + ", ".join(parts)


def has_weights(run_dir: str) -> bool:
    """True when the run holds best or last weights (a cheap file check)."""
    from engine.runs import has_weights as _has

    return _has(run_dir)
