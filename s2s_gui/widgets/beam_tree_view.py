"""The beam search tree: steps left to right, kept and pruned partial hypotheses."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from engine.events import BeamStep
from s2s_gui.beam_tree import BeamTree, build_tree
from s2s_gui.quirks.plot_cache import cheap_axes, cheap_repaints, set_range_now
from s2s_gui.widgets.empty_hint import EmptyHint
from s2s_gui.widgets.point_labels import PointLabels

logger = logging.getLogger(__name__)

KEPT, PRUNED, FINISHED, ROOT = "#1f77b4", "#b0b0b0", "#2ca02c", "#303030"
PATH = "#ff7f0e"
NODE_PX = 11
MIN_STEP_PX = 48.0  # at least this many pixels per step, labels or not


class BeamTreeView(pg.PlotWidget):
    """One ScatterPlotItem for the nodes, one line item for the edges, one for labels.

    ``node_clicked(text)`` carries the clicked prefix and its best continuation.
    """

    node_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems=cheap_axes())
        cheap_repaints(self)
        self.tree: BeamTree | None = None
        self.alpha = 0.6
        item = self.plotItem
        item.hideAxis("left")
        item.setLabel("bottom", self.tr("output position (step)"))
        item.setMenuEnabled(False)
        item.getViewBox().setMouseEnabled(x=True, y=False)  # scroll along the steps
        self.legend = self.tr(
            "<span style='color:{kept}'>●</span> kept in the beam &nbsp; "
            "<span style='color:{done}'>●</span> finished (ended with &lt;/s&gt;) "
            "&nbsp; <span style='color:{pruned}'>●</span> pruned &nbsp; "
            "<span style='color:{path}'>━</span> best translation / clicked node"
        ).format(kept=KEPT, done=FINISHED, pruned=PRUNED, path=PATH)
        item.setTitle(
            self.tr("Beam search tree: drag ↔ to scroll, wheel to zoom, A to fit")
            + f"<br><span style='font-size:8pt'>{self.legend}</span>",
            size="9pt",
        )
        self.edges = pg.PlotCurveItem(pen=pg.mkPen("#9a9a9a", width=1), connect="pairs")
        self.nodes = pg.ScatterPlotItem(size=NODE_PX, hoverable=True, tip=self._tip)
        self.highlight = pg.PlotCurveItem(pen=pg.mkPen(PATH, width=3))
        for it in (self.edges, self.highlight, self.nodes):
            item.addItem(it)
        self.labels = PointLabels(marker_px=NODE_PX)
        item.addItem(self.labels)
        self.hint = EmptyHint(
            self, self.tr("Type a sentence on the left to see its beam search tree.")
        )
        self._brushes = {c: pg.mkBrush(c) for c in (KEPT, PRUNED, FINISHED, ROOT)}
        self._pen = pg.mkPen("w", width=1)
        self.nodes.sigClicked.connect(self._on_clicked)

    def show_steps(self, steps: Sequence[BeamStep], alpha: float) -> None:
        """Draw a new tree (the items are reused: setData / set_labels)."""
        self.tree, self.alpha = build_tree(steps), alpha
        nodes = self.tree.nodes
        b = self._brushes  # shared objects, so the symbol atlas renders each once
        kinds = [
            b[ROOT]
            if n.step < 0
            else b[FINISHED]
            if n.finished
            else b[KEPT]
            if n.kept
            else b[PRUNED]
            for n in nodes
        ]
        self.nodes.setData(
            x=[n.x for n in nodes],
            y=[n.y for n in nodes],
            brush=kinds,
            pen=self._pen,
            data=list(range(len(nodes))),
        )
        self.edges.setData(*self._segments())
        self.hint.set_empty(len(nodes) <= 1)
        self._place_labels()
        last = max((n.x for n in nodes), default=1.0)
        low = min((n.y for n in nodes), default=0.0)
        # as many steps as fit with each step's labels readable; the rest by scrolling
        step_px = max(MIN_STEP_PX, self.labels.max_width() + NODE_PX + 10)
        width = self.plotItem.getViewBox().width() or 500.0
        shown = max(1.0, width / step_px)
        vb = self.plotItem.getViewBox()
        vb.setLimits(xMin=-1.0, xMax=last + 1.5)
        set_range_now(
            self.plotItem,
            xRange=(-0.5, min(last + 0.9, shown - 0.5)),
            yRange=(low - 0.4, 0.6),
            padding=0,
        )
        best = self._best_leaf()
        self.highlight.setData([], [])
        if best is not None:
            self._draw_path(best)

    def _segments(self) -> tuple[np.ndarray, np.ndarray]:
        seg = self.tree.edges() if self.tree else np.zeros((0, 2, 2))
        return seg[:, :, 0].ravel(), seg[:, :, 1].ravel()

    def _place_labels(self) -> None:
        every = list(self.tree.nodes if self.tree else ())
        # kept nodes first: where two labels would touch, theirs are the ones drawn
        nodes = sorted((n for n in every if n.step >= 0), key=lambda n: not n.kept)
        self.labels.set_labels(
            [(n.x, n.y) for n in nodes],
            [f"{n.piece} {n.score:.1f}" for n in nodes],
            ["#303030" if n.kept else "#8a8a8a" for n in nodes],
            markers=np.array([(n.x, n.y) for n in every], dtype=float),
        )

    def _best_leaf(self) -> int | None:
        """The finished node with the best length-normalised score."""
        if self.tree is None:
            return None
        best = None
        for i, n in enumerate(self.tree.nodes):
            if n.kept and n.finished:
                score = n.score / float(n.step + 1) ** self.alpha
                if best is None or score > best[0]:
                    best = (score, i)
        return None if best is None else best[1]

    def _draw_path(self, index: int) -> None:
        path, i = [], index
        while i >= 0:
            path.append(self.tree.nodes[i])
            i = self.tree.nodes[i].parent
        self.highlight.setData([n.x for n in path], [n.y for n in path])

    def _tip(self, x: float, y: float, data: object) -> str:
        if self.tree is None or not isinstance(data, int | np.integer):
            return ""
        n = self.tree.nodes[int(data)]
        state = (
            self.tr("finished")
            if n.finished
            else self.tr("kept")
            if n.kept
            else self.tr("pruned")
        )
        prefix = " ".join(self.tree.prefix(int(data))) or "<s>"
        return f"{prefix}\n" + self.tr("log-prob {score:.2f} ({state})").format(
            score=n.score, state=state
        )

    def _on_clicked(self, _item: object, points: Sequence[object], *_: object) -> None:
        if points:
            self.select(int(points[0].data()))

    def select(self, index: int) -> str:
        """Highlight node ``index``'s path; emit and return its description."""
        if self.tree is None:
            return ""
        self._draw_path(index)
        prefix = " ".join(self.tree.prefix(index)) or self.tr("(start)")
        best = self.tree.continuation(index, self.alpha)
        if best is None:
            rest = self.tr(
                "no finished translation grew from this node (pruned or died out)"
            )
        else:
            pieces, score = best
            rest = self.tr("best continuation: {pieces}  (score {score:.3f})").format(
                pieces=" ".join(pieces), score=score
            )
        text = self.tr("prefix: {prefix}").format(prefix=prefix) + f"\n{rest}"
        self.node_clicked.emit(text)
        return text
