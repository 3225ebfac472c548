"""Pure helpers of the translate, hidden-states and evaluate views (no engine calls)."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import numpy as np

from engine.events import Bucket

logger = logging.getLogger(__name__)

LIVE = "live"  # the model choice "the run being trained, latest weights"


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
