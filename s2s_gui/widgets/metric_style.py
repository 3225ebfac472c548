"""How the metric plots name and colour runs and write their tick labels."""

from __future__ import annotations

import re
from pathlib import PurePath

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPen

from s2s_gui.quirks.plot_cache import CheapAxis

# Overlaid runs: Okabe & Ito's colour-blind-safe palette less its yellow (unreadable on
# white) and its blue, those farthest from the metric colours (metric_plot) first.
RUN_COLORS = ("#e69f00", "#cc79a7", "#000000", "#56b4e9", "#009e73", "#d55e00")
RUN_STAMP = re.compile(r"^(\d{8})-(\d{2})(\d{2})(\d{2})-(?:builtin-)?(.*)$")


def run_color(n: int) -> str:
    """The colour of the ``n``-th overlaid run."""
    return RUN_COLORS[n % len(RUN_COLORS)]


def short_run_name(path: str, limit: int = 28) -> str:
    """A run folder as a person reads it: ``.../20261121-110426-builtin-task-reverse-lstm``
    -> ``11:04:26 task-reverse-lstm``; longer names lose their middle."""
    name = PurePath(path).name or str(path)
    match = RUN_STAMP.match(name)
    if match:
        _, hh, mm, ss, rest = match.groups()
        name = f"{hh}:{mm}:{ss} {rest}" if rest else f"{hh}:{mm}:{ss}"
    if len(name) > limit:
        keep = limit - 1
        name = name[: (keep + 1) // 2] + "…" + name[len(name) - keep // 2 :]
    return name


def overlay_pen(color: str, index: int) -> QPen:
    """An overlaid run's pen: dashed for its first series, dotted for its second."""
    style = Qt.PenStyle.DashLine if index % 2 == 0 else Qt.PenStyle.DotLine
    return pg.mkPen(color, width=2, style=style)


def compact_number(value: float, spacing: float) -> str:
    """A tick label at most ~5 characters wide: 25000 -> ``25k``, 0.0015 -> ``0.0015``."""
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size or (value == 0 and spacing >= size):
            places = max(0, int(np.ceil(-np.log10(spacing / size))))
            return f"{value / size:.{places}f}{suffix}"
    places = max(0, int(np.ceil(-np.log10(spacing)))) if spacing > 0 else 0
    return f"{value:.{places}f}"


class MetricAxis(CheapAxis):
    """An axis whose tick labels say 25k, not 25000 with "(x1000)" in the axis label:
    the label keeps its text and the ticks stay narrow enough not to reach it."""

    def __init__(self, orientation: str, **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        if self.logMode or not len(values):
            return super().tickStrings(values, scale, spacing)
        return [compact_number(v * scale, spacing * scale) for v in values]
