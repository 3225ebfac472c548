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
from s2s_gui.widgets.point_labels import PointLabels

logger = logging.getLogger(__name__)

KEPT, PRUNED, FINISHED, ROOT = "#1f77b4", "#b0b0b0", "#2ca02c", "#303030"
VISIBLE_STEPS = 9  # steps shown at first; drag or zoom to see the rest  # text items kept in a pool, reused between trees


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
        item.setTitle(
            self.tr("Beam search tree (drag to scroll, wheel to zoom)"), size="9pt"
        )
        self.edges = pg.PlotCurveItem(pen=pg.mkPen("#9a9a9a", width=1), connect="pairs")
        self.nodes = pg.ScatterPlotItem(size=11, hoverable=True, tip=self._tip)
        self.highlight = pg.PlotCurveItem(pen=pg.mkPen("#ff7f0e", width=3))
        for it in (self.edges, self.highlight, self.nodes):
            item.addItem(it)
        self.labels = PointLabels()
        item.addItem(self.labels)
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
        self.highlight.setData([], [])
        last = max((n.x for n in nodes), default=1.0)
        low = min((n.y for n in nodes), default=0.0)
        set_range_now(
            self.plotItem,
            xRange=(-0.5, min(last, VISIBLE_STEPS) + 0.5),
            yRange=(low - 0.3, 1.0),
        )
        self._place_labels()

    def _segments(self) -> tuple[np.ndarray, np.ndarray]:
        seg = self.tree.edges() if self.tree else np.zeros((0, 2, 2))
        return seg[:, :, 0].ravel(), seg[:, :, 1].ravel()

    def _place_labels(self) -> None:
        nodes = [n for n in (self.tree.nodes if self.tree else ()) if n.step >= 0]
        self.labels.set_labels(
            [(n.x, n.y) for n in nodes],
            [f"{n.piece}\n{n.score:.1f}" for n in nodes],
            ["#303030" if n.kept else "#8a8a8a" for n in nodes],
        )

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
        path, i = [], index
        while i >= 0:
            path.append(self.tree.nodes[i])
            i = self.tree.nodes[i].parent
        self.highlight.setData([n.x for n in path], [n.y for n in path])
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
