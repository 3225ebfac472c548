"""Run-directory files: weights (safetensors), trainer state, metrics; all written atomically.

Opening a file from a stranger must never run code: weights are safetensors, and the
trainer state is read with ``torch.load(weights_only=True)``.
"""

from __future__ import annotations

import io
import json
import logging
import math
import os
from dataclasses import fields
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save

from engine.config import Config, load_config
from engine.events import EvalResult, TrainFinished, TrainStart, TrainStep
from engine.readers import file_problem
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
LOCK_FILE = ".lock"  # the pid of the process training in the folder, while it does
TOKENIZER_FILES = ("spm.model", "src.model", "tgt.model")  # engine.tokenizer's names
RUN_FILES = (
    CONFIG_FILE,
    *TOKENIZER_FILES,
    BEST_WEIGHTS,
    LAST_WEIGHTS,
    TRAINER_STATE,
    METRICS_FILE,
    SOURCE_RANKS,
    SOURCE_SAMPLE,
)  # every file a run writes: what "this folder already holds a run" looks for


class CheckpointError(RuntimeError):
    """A checkpoint is missing, truncated, corrupt, or does not fit its config."""


class RunFolderError(CheckpointError):
    """A file in a run folder is unreadable or not what a run writes; the message
    names the file and what is wrong with it."""


def _read_run_file(path: Path, what: str) -> bytes:
    """The bytes of one run-folder file; every failure is a RunFolderError naming it."""
    problem = file_problem(path)
    if problem == "no such file":
        raise RunFolderError(f"{path}: no {what} (no such file)")
    if problem:
        raise RunFolderError(f"{path}: {problem}")
    try:
        data = path.read_bytes()
    except MemoryError:
        raise RunFolderError(f"{path}: not enough memory to read this {what}") from None
    except OSError as exc:
        raise RunFolderError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not data:
        raise RunFolderError(f"{path}: empty file (a write cut short?)")
    return data


def save_weights(state: dict[str, torch.Tensor], path: Path, step: int) -> None:
    """Write a state dict as safetensors (contiguous CPU copies), atomically."""
    tensors = {name: t.detach().to("cpu").contiguous() for name, t in state.items()}
    metadata = {"format_version": str(FORMAT_VERSION), "step": str(step)}
    atomic_write_bytes(Path(path), st_save(tensors, metadata=metadata))


def load_weights(path: str | Path) -> dict[str, torch.Tensor]:
    """Read a safetensors file; a missing, truncated or corrupt file is a CheckpointError."""
    path = Path(path)
    data = _read_run_file(path, "checkpoint")
    try:
        return st_load(data)
    except MemoryError:
        raise RunFolderError(
            f"{path}: not enough memory to load this checkpoint"
        ) from None
    except (SafetensorError, ValueError, RuntimeError) as exc:
        raise RunFolderError(
            f"{path}: not a valid safetensors checkpoint (truncated or corrupt?): {exc}"
        ) from None


def load_run_config(run_dir: str | Path) -> Config:
    """The config a run folder was trained with; errors name the folder first."""
    run_dir = Path(run_dir)
    if not run_dir.exists():
        raise RunFolderError(f"{run_dir}: no such run folder")
    if not run_dir.is_dir():
        raise RunFolderError(f"{run_dir}: not a folder; give a run folder")
    if not (run_dir / CONFIG_FILE).exists():
        raise RunFolderError(f"{run_dir}: not a run folder (it has no {CONFIG_FILE})")
    return load_config(run_dir / CONFIG_FILE)


def load_run_weights(run_dir: str | Path, which: str = "best") -> tuple[dict, Path]:
    """The weights to decode with, and their file: ``which`` first, then the other.

    A damaged file (truncated, corrupt, unreadable) is passed over with a warning
    that names it, so that a torn ``best`` still leaves ``last`` usable.
    """
    run_dir = Path(run_dir)
    names = [BEST_WEIGHTS, LAST_WEIGHTS]
    if which == "last":
        names.reverse()
    present = [run_dir / n for n in names if (run_dir / n).exists()]
    if not present:
        raise RunFolderError(
            f"{run_dir}: no weights ({BEST_WEIGHTS} or {LAST_WEIGHTS})"
        )
    errors = []
    for path in present:
        try:
            state = load_weights(path)
        except RunFolderError as exc:
            errors.append(str(exc))
            continue
        if errors:
            logger.warning("%s; using %s instead", errors[0], path.name)
        elif path.name != names[0]:
            logger.info("%s: no %s yet; using %s", run_dir, names[0], path.name)
        return state, path
    raise RunFolderError("; ".join(errors))


def load_into(
    model: torch.nn.Module, state: dict[str, torch.Tensor], source: str
) -> None:
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
        if tensor.is_floating_point() and not torch.isfinite(tensor).all():
            raise RunFolderError(
                f"{source}: tensor {name} holds NaN or infinite values (damaged weights)"
            )
    model.load_state_dict(state)


def save_trainer_state(state: dict[str, Any], path: Path) -> None:
    """Everything needed for an exact resume (model, optimizer, sampler, RNG), in one file."""
    buffer = io.BytesIO()
    torch.save({"format_version": FORMAT_VERSION, **state}, buffer)
    atomic_write_bytes(Path(path), buffer.getvalue())


_STATE_TYPES = {  # key -> type of what a trainer state holds there
    "model": dict,
    "optimizer": dict,
    "trainer": dict,
    "rng_torch": torch.Tensor,
    "rng_python": tuple,
}
_COUNTERS = ("step", "epoch", "batch_in_epoch")


def load_trainer_state(path: Path) -> dict[str, Any]:
    """Read and check ``trainer.pt``; anything wrong is a RunFolderError naming it."""
    path = Path(path)
    if not path.exists():
        raise RunFolderError(
            f"{path}: no trainer state to resume from; the folder holds "
            f"{describe_saved(path.parent)}"
        )
    data = _read_run_file(path, "trainer state")
    try:
        state = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except MemoryError:
        raise RunFolderError(
            f"{path}: not enough memory to load the trainer state"
        ) from None
    except (
        Exception
    ) as exc:  # unpickling refuses code, truncation raises various errors
        raise RunFolderError(
            f"{path}: cannot load trainer state (truncated, corrupt or unsafe): {exc}"
        ) from None
    if not isinstance(state, dict) or state.get("format_version") != FORMAT_VERSION:
        raise RunFolderError(f"{path}: not a trainer state of format {FORMAT_VERSION}")
    for key, kind in _STATE_TYPES.items():
        if not isinstance(state.get(key), kind):
            found = type(state[key]).__name__ if key in state else "nothing"
            raise RunFolderError(
                f"{path}: damaged trainer state: {key!r} holds {found}, "
                f"expected a {kind.__name__}"
            )
    if not all(isinstance(t, torch.Tensor) for t in state["model"].values()):
        raise RunFolderError(
            f"{path}: damaged trainer state: 'model' is not all tensors"
        )
    for key in _COUNTERS:
        value = state["trainer"].get(key)
        if type(value) is not int or value < 0:
            raise RunFolderError(
                f"{path}: damaged trainer state: trainer {key!r} is {value!r}, "
                "expected a count"
            )
    return state


def _weights_step(path: Path) -> int | None:
    """The step a weights file was saved at (its header only), None when unreadable."""
    if file_problem(path):
        return None
    try:
        with safe_open(str(path), "pt") as handle:
            return int((handle.metadata() or {})["step"])
    except Exception:  # any damage: the file does not count as a checkpoint
        return None


def _trainer_step(path: Path) -> int | None:
    if file_problem(path):
        return None
    try:
        return load_trainer_state(path)["trainer"]["step"]
    except RunFolderError:
        return None


def describe_saved(run_dir: str | Path) -> str:
    """What a run folder holds on disk, in words, for messages about saving."""
    run_dir = Path(run_dir)
    weights = _weights_step(run_dir / LAST_WEIGHTS)
    if weights is None:
        weights = _weights_step(run_dir / BEST_WEIGHTS)
    trainer = _trainer_step(run_dir / TRAINER_STATE)
    if weights is None:
        if trainer is not None:
            return f"the trainer state of step {trainer} but no readable weights"
        return "no checkpoint yet"
    if trainer is None:
        return (
            f"the weights of step {weights} only, no trainer state "
            "(they translate but cannot be resumed)"
        )
    if trainer == weights:
        return f"a full checkpoint of step {trainer}"
    return (
        f"the weights of step {weights} and the trainer state of step {trainer} "
        f"(a resume continues from step {trainer})"
    )


def run_files(run_dir: str | Path) -> list[str]:
    """The names of the files a run writes that ``run_dir`` already holds."""
    run_dir = Path(run_dir)
    return [name for name in RUN_FILES if os.path.lexists(run_dir / name)]


def remove_run_files(run_dir: str | Path) -> None:
    """Delete what a run wrote (``s2s train --overwrite``); other files stay."""
    for name in run_files(run_dir):
        path = Path(run_dir) / name
        if path.is_dir() and not path.is_symlink():
            raise RunFolderError(f"{path}: is a directory; remove it yourself")
        path.unlink()


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class MetricsLog:
    """Appends one JSON object per line to ``metrics.jsonl`` and flushes each line."""

    def __init__(self, path: Path, keep_until_step: int | None = None) -> None:
        self.path = Path(path)
        problem = file_problem(self.path)
        if problem and problem != "no such file":
            raise RunFolderError(f"{self.path}: {problem}")
        if keep_until_step is not None and self.path.exists():
            # On resume, forget what was logged after the checkpoint we continue from.
            kept = [
                line
                for line in read_metrics(self.path)
                if (line.get("step") or 0) <= keep_until_step
                and line["type"] != "finished"
            ]
            text = "".join(json.dumps(line) + "\n" for line in kept)
            atomic_write_text(self.path, text)
        try:
            self._handle = open(self.path, "a", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise RunFolderError(f"{self.path}: cannot write: {exc.strerror}") from None

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


def _is_number(value: Any) -> bool:
    return value is None or isinstance(value, int | float)  # bool too: "best"


def _valid_record(record: Any) -> bool:
    """A metrics record as the trainer writes it: a type, an integer step, and
    numbers for the curves (a hand-edited or damaged line is left out)."""
    if not isinstance(record, dict) or not isinstance(record.get("type"), str):
        return False
    step = record.get("step")
    if step is not None and (type(step) is not int or step < 0):
        return False
    if record["type"] in ("step", "eval"):
        return all(_is_number(v) for k, v in record.items() if k != "type")
    return True


def _parse_records(lines: list[bytes] | list[str]) -> tuple[list[dict[str, Any]], int]:
    """The valid metrics records among ``lines`` and how many others were not blank."""
    records, skipped = [], 0
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:  # a line cut short by a crash, or not JSON at all
            record = None
        if _valid_record(record):
            records.append(record)
        elif line.strip():
            skipped += 1
    return records, skipped


def read_metrics(path: str | Path) -> list[dict[str, Any]]:
    """Read ``metrics.jsonl`` (a run directory or the file).

    A torn last line (a crash) or a damaged line is skipped with a warning naming
    the file; a file that cannot be read gives no records and a warning, since the
    curves are history and the run stays usable without them.
    """
    path = Path(path)
    if path.is_dir() and path.name != METRICS_FILE:
        path = path / METRICS_FILE
    problem = file_problem(path)
    if problem == "no such file":
        return []
    if problem:
        logger.warning("%s: %s; no metrics shown", path, problem)
        return []
    try:
        # undecodable bytes become U+FFFD and their line fails to parse below
        lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    except OSError as exc:
        logger.warning("%s: cannot read: %s", path, exc.strerror or exc)
        return []
    records, skipped = _parse_records(lines)
    if skipped:
        logger.warning("%s: %d damaged line(s) skipped", path, skipped)
    return records


class MetricsTail:
    """Reads the records appended to ``metrics.jsonl`` since the last call, for a
    reader following a run that another process writes (complete lines only)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._offset = 0
        self._partial = b""

    def read(self) -> list[dict[str, Any]]:
        try:
            with open(self.path, "rb") as handle:
                handle.seek(self._offset)
                data = handle.read()
        except (FileNotFoundError, IsADirectoryError):
            return []
        self._offset += len(data)
        *lines, self._partial = (self._partial + data).split(b"\n")
        return _parse_records(lines)[0]


# The event each kind of metrics record was written from (MetricsLog.write's ``kind``).
RECORD_EVENTS = {
    "start": TrainStart,
    "step": TrainStep,
    "eval": EvalResult,
    "finished": TrainFinished,
}


def record_to_event(record: dict[str, Any]) -> Any:
    """The engine event a metrics record was written from (None: not one).

    ``MetricsLog`` writes non-finite floats as null; they come back as NaN.
    """
    cls = RECORD_EVENTS.get(record.get("type", ""))
    if cls is None:
        return None
    names = {f.name for f in fields(cls)}
    values = {
        k: (math.nan if v is None else v) for k, v in record.items() if k in names
    }
    try:
        return cls(**values)
    except TypeError:
        logger.debug("metrics record does not fit %s: %r", cls.__name__, record)
        return None


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
    """Word -> frequency rank (for BLEU by rarity); None when the run has none.

    Raises:
        RunFolderError: the file is not a JSON object of words to positive ranks.
    """
    path = Path(run_dir) / SOURCE_RANKS
    if not os.path.lexists(path):
        return None
    data = _read_run_file(path, "word ranks")
    try:
        ranks = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise RunFolderError(
            f"{path}: not valid JSON (torn or damaged?): {exc}"
        ) from None
    if not isinstance(ranks, dict):
        raise RunFolderError(
            f"{path}: expected a JSON object of word -> rank, found a "
            f"{type(ranks).__name__}"
        )
    for word, rank in ranks.items():
        if type(rank) is not int or rank < 1:
            raise RunFolderError(
                f"{path}: the rank of {word!r} is {rank!r}, expected a whole number >= 1"
            )
    return ranks


def load_source_sample(run_dir: Path) -> list[str]:
    """Training sources kept to fit PCA planes on; [] when the run has none.

    Raises:
        RunFolderError: the file is not UTF-8 text or cannot be read.
    """
    path = Path(run_dir) / SOURCE_SAMPLE
    if not os.path.lexists(path):
        return []
    try:
        text = _read_run_file(path, "source sample").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RunFolderError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except RunFolderError as exc:
        if "empty file" in str(exc):
            return []
        raise
    return [line for line in text.splitlines() if line.strip()]
