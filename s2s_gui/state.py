"""Run state and metric buffers shared by the controller and the plots (no widgets)."""

from __future__ import annotations

import csv
import enum
import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.events import EvalResult, TrainStep

logger = logging.getLogger(__name__)

STEP_FIELDS = (
    "step",
    "epoch",
    "loss",
    "ppl",
    "lr",
    "grad_norm",
    "tokens_per_s",
    "elapsed_s",
)
EVAL_FIELDS = ("step", "epoch", "dev_loss", "dev_ppl", "bleu", "chrf")


class RunState(enum.Enum):
    """What the controller is doing; one signal carries it to every widget."""

    IDLE = "idle"
    PREPARING = "preparing"  # worker started, reading data / training tokenizers
    TRAINING = "training"
    PAUSED = "paused"
    STOPPING = "stopping"
    FINISHED = "finished"
    FAILED = "failed"

    @property
    def busy(self) -> bool:
        """True while a training thread is alive."""
        return self in (
            RunState.PREPARING,
            RunState.TRAINING,
            RunState.PAUSED,
            RunState.STOPPING,
        )


class _Columns:
    """Named float64 columns in one growing buffer; doubles when full, halves at the cap."""

    def __init__(
        self, names: tuple[str, ...], capacity: int = 256, max_points: int = 0
    ) -> None:
        self.names = names
        self._index = {n: i for i, n in enumerate(names)}
        if max_points:
            capacity = min(capacity, max_points)
        self._data = np.empty((len(names), capacity), dtype=np.float64)
        self._n = 0
        self._max = max_points

    def __len__(self) -> int:
        return self._n

    def append(self, values: Iterable[float]) -> None:
        if self._n == self._data.shape[1]:
            if self._max and self._n >= self._max:
                self._decimate()
            else:
                size = min(2 * self._n, self._max) if self._max else 2 * self._n
                grown = np.empty((len(self.names), size), dtype=np.float64)
                grown[:, : self._n] = self._data[:, : self._n]
                self._data = grown
        self._data[:, self._n] = tuple(values)
        self._n += 1

    def _decimate(self) -> None:
        """Keep every other point (the newest one survives) so memory stays bounded."""
        kept = self._data[:, self._n - 1 :: -2][:, ::-1]
        self._n = kept.shape[1]
        self._data[:, : self._n] = kept

    def column(self, name: str) -> np.ndarray:
        """A read-only view of the filled part of one column."""
        view = self._data[self._index[name], : self._n]
        view.flags.writeable = False
        return view


class MetricHistory:
    """Training and evaluation curves of one run, in growing numpy buffers.

    The controller appends from the GUI thread; plots read it from a timer and clear
    ``dirty`` once they have drawn. ``max_points`` bounds the step curve: when it is
    reached, every other point is dropped (older data keeps a coarser resolution).
    """

    def __init__(self, max_points: int = 200_000, label: str = "") -> None:
        self.label = label
        self.steps = _Columns(STEP_FIELDS, max_points=max_points)
        self.evals = _Columns(EVAL_FIELDS)
        self.dirty = False
        self.version = 0  # bumped by every change; plots remember the one they drew

    def clear(self) -> None:
        self.steps = _Columns(STEP_FIELDS, max_points=self.steps._max)
        self.evals = _Columns(EVAL_FIELDS)
        self.dirty = True
        self.version += 1

    def append_step(self, ev: TrainStep) -> None:
        self.steps.append(float(getattr(ev, name)) for name in STEP_FIELDS)
        self.dirty = True
        self.version += 1

    def append_eval(self, ev: EvalResult) -> None:
        self.evals.append(float(getattr(ev, name)) for name in EVAL_FIELDS)
        self.dirty = True
        self.version += 1

    def step_curve(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(steps, values) of one training metric, e.g. ``loss`` or ``lr``."""
        return self.steps.column("step"), self.steps.column(name)

    def eval_curve(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(steps, values) of one evaluation metric, e.g. ``dev_ppl`` or ``bleu``."""
        return self.evals.column("step"), self.evals.column(name)

    def load_records(
        self, records: Iterable[Mapping[str, Any]], label: str = ""
    ) -> None:
        """Replace the curves, in place, by metrics.jsonl records (type step / eval)."""
        self.clear()
        self.label = label
        targets = {"step": (STEP_FIELDS, self.steps), "eval": (EVAL_FIELDS, self.evals)}
        for rec in records:
            names, target = targets.get(rec.get("type"), ((), None))
            if target is not None:
                target.append(_number(rec.get(n)) for n in names)
        self.dirty = True
        self.version += 1

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any]], label: str = ""
    ) -> MetricHistory:
        """A new history holding metrics.jsonl records."""
        history = cls()
        history.load_records(records, label)
        return history

    def write_csv(self, path: str | Path) -> None:
        """One row per logged step or evaluation, sorted by step."""
        rows: list[dict[str, float | str]] = []
        for kind, cols in (("step", self.steps), ("eval", self.evals)):
            columns = {n: cols.column(n) for n in cols.names}
            for i in range(len(cols)):
                rows.append({"type": kind, **{n: columns[n][i] for n in cols.names}})
        rows.sort(key=lambda r: (r["step"], r["type"] == "eval"))
        header = ["type", *dict.fromkeys(STEP_FIELDS + EVAL_FIELDS)]
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def ema(values: np.ndarray, weight: float) -> np.ndarray:
    """Exponential moving average with bias correction (TensorBoard-style smoothing).

    Args:
        values: the raw curve, (n,).
        weight: 0 = no smoothing, close to 1 = very smooth.
    Returns:
        the smoothed curve, (n,).
    """
    values = np.asarray(values, dtype=np.float64)
    if weight <= 0 or len(values) == 0:
        return values
    weight = min(weight, 0.999)
    # blocks short enough that weight**-block stays far from overflow
    block = int(min(4096, max(1, 250 / -math.log10(weight))))
    k = np.arange(block)
    grow, fall = weight ** -k.astype(np.float64), weight ** (k + 1.0)
    out = np.empty_like(values)
    acc = 0.0
    for start in range(0, len(values), block):
        chunk = values[start : start + block]
        m = len(chunk)
        inner = np.cumsum(chunk * grow[:m]) * (1 - weight) * fall[:m] / weight
        out[start : start + m] = fall[:m] * acc + inner
        acc = out[start + m - 1]
    steps = np.arange(1, len(values) + 1, dtype=np.float64)
    return out / (1 - weight**steps)


def format_duration(seconds: float) -> str:
    """``75`` -> ``1:15``; ``3700`` -> ``1:01:40``; negative or nan -> ``?``."""
    if not math.isfinite(seconds) or seconds < 0:
        return "?"
    hours, rest = divmod(int(round(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class RunSummary:
    """One line of the runs list (built by the controller from the engine's RunInfo)."""

    path: str
    name: str
    status: str  # "finished: max_steps", "stopped", "running or crashed"
    steps: int
    bleu: float
    resumable: bool
    description: str  # e.g. "lstm x2, 256/256, attention dot, reversed source"


@dataclass(frozen=True)
class CorpusPreview:
    """What the data view shows about a corpus before training."""

    spec: str
    report: Any  # engine.events.CorpusReport
    pairs: tuple[tuple[str, str], ...]  # a bounded sample of training pairs
    src_vocab: int
    tgt_vocab: int
    unk_rate: float  # share of UNK pieces on the sample, both sides
