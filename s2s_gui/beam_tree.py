"""Pure layout of a beam-search tree for display: nodes, edges, prefixes, continuations."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine.events import BeamStep

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TreeNode:
    """One partial hypothesis: the root (step -1), a kept or a pruned candidate."""

    step: int  # -1 for the root (BOS)
    slot: int  # index among the kept (or pruned) candidates of its step
    kept: bool
    piece: str
    score: float  # accumulated log-prob
    finished: bool
    parent: int  # index of the parent node in ``BeamTree.nodes`` (-1 for the root)
    x: float
    y: float


@dataclass(frozen=True)
class BeamTree:
    nodes: tuple[TreeNode, ...]

    def edges(self) -> np.ndarray:
        """(E, 2, 2) segment end points parent -> child, for a line item."""
        segs = [
            ((self.nodes[n.parent].x, self.nodes[n.parent].y), (n.x, n.y))
            for n in self.nodes
            if n.parent >= 0
        ]
        return np.asarray(segs, dtype=float).reshape(-1, 2, 2)

    def prefix(self, index: int) -> list[str]:
        """The pieces from the root to node ``index`` (root excluded)."""
        out = []
        while index > 0:
            out.append(self.nodes[index].piece)
            index = self.nodes[index].parent
        return out[::-1]

    def continuation(self, index: int, alpha: float) -> tuple[list[str], float] | None:
        """The best finished hypothesis through node ``index``: (pieces, score).

        Args:
            index: a node of this tree.
            alpha: length normalisation used by the search (score / len**alpha).
        Returns:
            None when no finished hypothesis passes through the node (it was pruned,
            or its branch died out).
        """
        best: tuple[float, int] | None = None
        for i, n in enumerate(self.nodes):
            if n.kept and n.finished and self._descends(i, index):
                score = n.score / float(n.step + 1) ** alpha
                if best is None or score > best[0]:
                    best = (score, i)
        if best is None:
            return None
        return self.prefix(best[1]), best[0]

    def _descends(self, i: int, ancestor: int) -> bool:
        while i >= 0:
            if i == ancestor:
                return True
            i = self.nodes[i].parent
        return False


def build_tree(steps: Sequence[BeamStep], max_pruned: int = 3) -> BeamTree:
    """Lay the steps out left to right: kept candidates on rows 0..K-1 (best on top),
    the best ``max_pruned`` pruned ones of each step below them; the root at x = 0."""
    width = max((len(s.tokens) for s in steps), default=1)
    nodes = [TreeNode(-1, 0, True, "<s>", 0.0, False, -1, 0.0, -(width - 1) / 2)]
    prev_kept: list[int] = [0]  # node index of each kept slot of the previous step
    for s in steps:
        kept_here = []
        pieces = s.pieces or tuple(str(t) for t in s.tokens)
        for i in range(len(s.tokens)):
            parent = prev_kept[int(s.parents[i])] if s.parents[i] >= 0 else 0
            kept_here.append(len(nodes))
            nodes.append(
                TreeNode(
                    s.step, i, True, pieces[i], float(s.scores[i]),
                    bool(s.finished[i]), parent, s.step + 1.0, -float(i),
                )
            )  # fmt: skip
        if max_pruned > 0:
            pruned = s.pruned_pieces or tuple(str(t) for t in s.pruned_tokens)
            for j in range(min(len(s.pruned_tokens), max_pruned)):
                p = int(s.pruned_parents[j])
                parent = prev_kept[p] if 0 <= p < len(prev_kept) else 0
                nodes.append(
                    TreeNode(
                        s.step, j, False, pruned[j], float(s.pruned_scores[j]),
                        False, parent, s.step + 1.0, -float(len(s.tokens) + j) - 0.5,
                    )
                )  # fmt: skip
        prev_kept = kept_here
    return BeamTree(tuple(nodes))
