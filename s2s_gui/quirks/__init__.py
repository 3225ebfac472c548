"""Every workaround over Qt and pyqtgraph internals, and every process-level GUI tweak.

Each quirk has a name, the reason it exists in one line, and, where it leans on how a
library behaves inside, the version range it was written for. Outside that range, or
when named in ``S2S_QUIRKS_OFF`` (comma-separated, or ``all``), it is not applied and
the plain Qt/pyqtgraph path runs, so ``python -m tools.stall_probe`` can measure the
app with and without each. Widgets ask ``enabled(name)``; they never carry the patch.

No Qt import here: the gateway asks too, and a guard imports its library only when
asked about a quirk that has one.
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass

ENV = "S2S_QUIRKS_OFF"


@dataclass(frozen=True)
class Quirk:
    why: str
    package: str | None = None  # whose internals it leans on; None: no version guard
    since: tuple[int, ...] = ()  # first version it was written for
    below: tuple[int, ...] = ()  # first version it was not checked against


PYQTGRAPH = {"package": "pyqtgraph", "since": (0, 13, 7), "below": (0, 15)}
QT = {"package": "PySide6", "since": (6, 6), "below": (6, 12)}

QUIRKS: dict[str, Quirk] = {
    "axis_paint": Quirk(
        "translucent one-pixel tick and grid lines are ~20x slower to stroke than "
        "to fill; axes fill them (plot_cache.CheapAxis overrides AxisItem painting)",
        **PYQTGRAPH,
    ),
    "axis_cache": Quirk(
        "pyqtgraph replays every axis's recorded picture on each repaint of its view; "
        "axes are cached as device pixmaps instead",
        **PYQTGRAPH,
    ),
    "keep_cache": Quirk(
        "every QGraphicsWidget repaints on window (de)activation, as on a tab switch, "
        "dropping the axis caches; plots filter those events out",
        **QT,
    ),
    "one_clip": Quirk(
        "pyqtgraph's minimal viewport updates clip to many rectangles, through which "
        "long translucent curves draw slowly; plots repaint one bounding rectangle",
        **PYQTGRAPH,
    ),
    "grid_levels": Quirk(
        "pyqtgraph draws a grid's third tick level at ~2% opacity, invisible yet the "
        "largest part of an axis's paint; grids stop at two levels",
        **PYQTGRAPH,
    ),
    "range_now": Quirk(
        "ViewBox defers a new range's transform to its next paint, which then asks "
        "for a second paint; the transform is applied at once (ViewBox.updateMatrix)",
        **PYQTGRAPH,
    ),
    "page_warm": Quirk(
        "QTabWidget lays out and paints a page only on its first show (a 45-140 ms "
        "stall); hidden plot pages are laid out and painted while the app is idle",
        **QT,
    ),
    "reveal": Quirk(
        "a resize lays out and draws every plot in one pass; plots are hidden while "
        "resizing and come back one per pass of the event loop",
        **QT,
    ),
    "result_stagger": Quirk(
        "a translation result is drawn in three passes of the event loop, not one "
        "30-60 ms pass",
    ),
    "gui_gc": Quirk(
        "Python collects in whichever thread allocates, and a worker thread running "
        "Qt destructors deadlocked with the GUI thread; collection runs on a GUI timer",
    ),
    "gc_freeze": Quirk(
        "a full collection walks ~400k objects (50-190 ms with the GIL held); what "
        "lives through a training run is frozen out of the collector's sight",
    ),
    "malloc": Quirk(
        "glibc hands tensors fresh mmap pages and trims the heap at once; fixed "
        "thresholds reuse freed memory (engine.malloc)",
    ),
}


def switched_off() -> frozenset[str]:
    """The quirks named in ``S2S_QUIRKS_OFF``; ``all`` names every one."""
    names = {n.strip() for n in os.environ.get(ENV, "").split(",") if n.strip()}
    if "all" in names:
        return frozenset(QUIRKS)
    unknown = names - set(QUIRKS)
    if unknown:
        raise ValueError(
            f"{ENV}: unknown quirk(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(QUIRKS)}, all"
        )
    return frozenset(names)


def in_range(name: str) -> bool:
    """Whether the installed library is one the quirk was written for."""
    quirk = QUIRKS[name]
    if quirk.package is None:
        return True
    found = version_tuple(importlib.import_module(quirk.package).__version__)
    return quirk.since <= found < quirk.below


def enabled(name: str) -> bool:
    """Whether quirk ``name`` applies: not switched off, and inside its version range."""
    return name not in switched_off() and in_range(name)


def version_tuple(version: str) -> tuple[int, ...]:
    """``"6.11.3"`` -> ``(6, 11, 3)``; a suffix such as ``.dev0`` or ``rc1`` is dropped."""
    return tuple(int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3])


def summary() -> dict[str, bool]:
    """Each quirk's name and whether it applies now (for the stall probe's report)."""
    return {name: enabled(name) for name in QUIRKS}
