"""Value objects and pure helpers for the translate, hidden-states and evaluate views."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from engine.events import Bucket, EvalReport, Translation

logger = logging.getLogger(__name__)

LIVE = "live"  # the model choice "the run being trained, latest weights"


@dataclass(frozen=True)
class ReferenceScore:
    """Forced decoding of a reference: where the model is surprised."""

    source: str
    reference: str
    pieces: tuple[str, ...]  # (T,) target pieces, the last one is EOS
    token_logprobs: np.ndarray  # (T,) float32


@dataclass(frozen=True)
class TranslateResult:
    """What one translate request produced (built in a worker, read on the GUI thread)."""

    request: int  # the request number; the view drops answers to older ones
    translations: tuple[Translation, ...]
    reference: ReferenceScore | None
    seconds: float  # decoding time in the worker
    model: str  # e.g. "live (step 1,200)" or "eng-fra"


@dataclass(frozen=True)
class StatesResult:
    """PCA points of the hidden-states view, in the order of ``sentences``."""

    sentences: tuple[str, ...]
    groups: tuple[str, ...]
    points: np.ndarray  # (N, 2)
    trajectories: tuple[np.ndarray, ...]  # per sentence (len_i, 2) per-token points
    pieces: tuple[tuple[str, ...], ...]
    explained: tuple[float, float]  # explained variance ratio of the two axes
    basis: str  # "sentences" | "corpus"
    model: str


@dataclass(frozen=True)
class PointInfo:
    """The selected point: its translation and nearest training sentences."""

    sentence: str
    translation: str
    neighbours: tuple[tuple[str, float], ...]  # (sentence, cosine similarity)


@dataclass(frozen=True)
class EvalOutcome:
    """An evaluation report plus what the table needs to filter rows by bucket."""

    report: EvalReport
    lengths: np.ndarray  # (N,) source length in words, per row
    rarities: np.ndarray  # (N,) average word-frequency rank, per row (nan: unknown)
    test: str  # what was evaluated, e.g. "dev split of eng-fra (1000 pairs)"
    model: str


@dataclass(frozen=True)
class RescoreOutcome:
    weights: tuple[float, float]
    bleu_before: float | None
    bleu_after: float | None
    bleu_oracle: float | None
    lists: int
    hypotheses: int
    best: tuple[str, ...] = field(default=())  # reranked top hypothesis per sentence


def parse_groups(text: str) -> list[tuple[str, str]]:
    """Sentences one per line; a line ``# name`` starts a group (blank lines skipped).

    Returns:
        (sentence, group) pairs in order; sentences before any header are in "".
    """
    group, out = "", []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#"):
            group = line.lstrip("#").strip()
        elif line:
            out.append((line, group))
    return out


def format_groups(pairs: Sequence[tuple[str, str]]) -> str:
    """The inverse of :func:`parse_groups`."""
    lines, group = [], ""
    for sentence, g in pairs:
        if g != group:
            lines.append(f"# {g}")
            group = g
        lines.append(sentence)
    return "\n".join(lines) + "\n"


def bucket_mask(values: np.ndarray, bucket: Bucket) -> np.ndarray:
    """Rows whose value lies in ``[bucket.low, bucket.high)``."""
    return (values >= bucket.low) & (values < bucket.high)


def format_score(value: float | None, digits: int = 1) -> str:
    """``12.345`` -> ``12.3``; None or nan -> ``–``."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.{digits}f}"
