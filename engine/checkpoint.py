"""Run-directory files: weights (safetensors), trainer state, metrics; all written atomically.

Opening a file from a stranger must never run code: weights are safetensors, and the
trainer state is read with ``torch.load(weights_only=True)``.
"""

from __future__ import annotations

import io
import json
import logging
import math
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save

from engine.utils import atomic_write_bytes, atomic_write_text

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
CONFIG_FILE = "config.toml"
BEST_WEIGHTS = "best.safetensors"
LAST_WEIGHTS = "last.safetensors"
TRAINER_STATE = "trainer.pt"
METRICS_FILE = "metrics.jsonl"
SOURCE_RANKS = "source_ranks.json"  # word -> frequency rank, for BLEU by rarity
SOURCE_SAMPLE = "source_sample.txt"  # training sources to fit PCA planes on


class CheckpointError(RuntimeError):
    """A checkpoint is missing, truncated, corrupt, or does not fit its config."""


def save_weights(state: dict[str, torch.Tensor], path: Path, step: int) -> None:
    """Write a state dict as safetensors (contiguous CPU copies), atomically."""
    tensors = {name: t.detach().to("cpu").contiguous() for name, t in state.items()}
    metadata = {"format_version": str(FORMAT_VERSION), "step": str(step)}
    atomic_write_bytes(Path(path), st_save(tensors, metadata=metadata))


def load_weights(path: str | Path) -> dict[str, torch.Tensor]:
    """Read a safetensors file; a missing, truncated or corrupt file is a CheckpointError."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CheckpointError(f"{path}: no such checkpoint") from None
    except OSError as exc:
        raise CheckpointError(f"{path}: cannot read: {exc}") from None
    try:
        return st_load(data)
    except (SafetensorError, ValueError, RuntimeError) as exc:
        raise CheckpointError(
            f"{path}: not a valid safetensors checkpoint (truncated or corrupt?): {exc}"
        ) from None


def load_into(model: torch.nn.Module, state: dict[str, torch.Tensor], source: str) -> None:
    """Load weights into a model, refusing any missing, extra or mis-shaped tensor."""
    own = model.state_dict()
    missing = sorted(set(own) - set(state))
    extra = sorted(set(state) - set(own))
    if missing or extra:
        raise CheckpointError(
            f"{source}: weights do not match the model built from its config "
            f"(missing: {missing[:5]}, unexpected: {extra[:5]})"
        )
    for name, tensor in state.items():
        if tuple(tensor.shape) != tuple(own[name].shape):
            raise CheckpointError(
                f"{source}: tensor {name} has shape {tuple(tensor.shape)}, "
                f"the config needs {tuple(own[name].shape)}"
            )
    model.load_state_dict(state)


def save_trainer_state(state: dict[str, Any], path: Path) -> None:
    """Everything needed for an exact resume (model, optimizer, sampler, RNG), in one file."""
    buffer = io.BytesIO()
    torch.save({"format_version": FORMAT_VERSION, **state}, buffer)
    atomic_write_bytes(Path(path), buffer.getvalue())


def load_trainer_state(path: Path) -> dict[str, Any]:
    path = Path(path)
    if not path.exists():
        raise CheckpointError(f"{path}: no trainer state to resume from")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # unpickling refuses code, truncation raises various errors
        raise CheckpointError(
            f"{path}: cannot load trainer state (truncated, corrupt or unsafe): {exc}"
        ) from None
    if not isinstance(state, dict) or state.get("format_version") != FORMAT_VERSION:
        raise CheckpointError(f"{path}: not a trainer state of format {FORMAT_VERSION}")
    return state


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class MetricsLog:
    """Appends one JSON object per line to ``metrics.jsonl`` and flushes each line."""

    def __init__(self, path: Path, keep_until_step: int | None = None) -> None:
        self.path = Path(path)
        if keep_until_step is not None and self.path.exists():
            # On resume, forget what was logged after the checkpoint we continue from.
            kept = [
                line
                for line in read_metrics(self.path)
                if int(line.get("step", 0)) <= keep_until_step and line["type"] != "finished"
            ]
            text = "".join(json.dumps(line) + "\n" for line in kept)
            atomic_write_text(self.path, text)
        self._handle = open(self.path, "a", encoding="utf-8")  # noqa: SIM115

    def write(self, kind: str, fields: dict[str, Any]) -> None:
        """Append one record; a full disk loses the line, never the training run."""
        record = {"type": kind, **{k: _json_safe(v) for k, v in fields.items()}}
        try:
            self._handle.write(json.dumps(record) + "\n")
            self._handle.flush()
        except OSError as exc:
            logger.warning("%s: metrics line not written: %s", self.path, exc)

    def close(self) -> None:
        try:
            self._handle.close()
        except OSError as exc:  # the buffered last line could not be flushed
            logger.warning("%s: %s", self.path, exc)


def read_metrics(path: str | Path) -> list[dict[str, Any]]:
    """Read ``metrics.jsonl`` (a run directory or the file); a torn last line is skipped."""
    path = Path(path)
    if path.is_dir():
        path = path / METRICS_FILE
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a crash
        if isinstance(record, dict) and "type" in record:
            records.append(record)
    return records


def save_source_facts(run_dir: Path, train_sources: list[str]) -> None:
    """Keep what analysis needs of the training data: word ranks and a source sample."""
    from engine.analysis import reference_sample
    from engine.metrics import frequency_ranks

    ranks = frequency_ranks(train_sources)
    top = dict(sorted(ranks.items(), key=lambda kv: kv[1])[:200_000])
    atomic_write_text(run_dir / SOURCE_RANKS, json.dumps(top, ensure_ascii=False))
    sample = reference_sample(train_sources, n=2000)
    atomic_write_text(run_dir / SOURCE_SAMPLE, "".join(s + "\n" for s in sample))


def load_source_ranks(run_dir: Path) -> dict[str, int] | None:
    path = Path(run_dir) / SOURCE_RANKS
    if not path.is_file():
        return None
    ranks = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): int(v) for k, v in ranks.items()}


def load_source_sample(run_dir: Path) -> list[str]:
    path = Path(run_dir) / SOURCE_SAMPLE
    if not path.is_file():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
