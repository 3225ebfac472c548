"""Encoder hidden states, a reusable 2-D PCA projection and a nearest-sentence index."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import torch

from engine.tokenizer import EOS, PAD
from engine.utils import atomic_write_text

logger = logging.getLogger(__name__)


class _PieceTokenizer(Protocol):
    def encode(self, text: str) -> list[int]: ...
    def id_to_piece(self, i: int) -> str: ...


def encoder_states(
    model: Any,
    src_tok: _PieceTokenizer,
    sentences: Sequence[str],
    device: torch.device | str = "cpu",
    layer: int = -1,
    part: str = "h",
    batch_size: int = 64,
    should_stop: Callable[[], bool] | None = None,
) -> tuple[np.ndarray, list[np.ndarray], list[list[str]]]:
    """Encoder states of every sentence, via ``Seq2Seq.token_states``.

    Sentences are encoded in batches of similar length and returned in input order.
    Each source is its pieces followed by EOS, exactly as the model sees it.

    Args:
        model: a ``Seq2Seq`` (set to eval mode here).
        src_tok: the source tokenizer.
        sentences: N plain-text source sentences.
        device: where to run the encoder.
        layer: encoder layer (-1 = top).
        part: ``"h"`` or ``"c"`` (cell state, LSTM only).
        batch_size: sentences per encoder call; 1 makes every sentence's state
            independent of its batch companions, bit for bit.
        should_stop: checked between batches; when it returns True the work stops
            and ``InterruptedError`` is raised.
    Returns:
        final states (N, D) float32, per-token states [(len_i, D)] float32 (len_i
        counts the EOS), and the pieces of each sentence (ending with EOS's piece).
    """
    device = torch.device(device)
    if getattr(src_tok, "images", False):
        return _image_states(model, src_tok, sentences, device, batch_size, should_stop)
    ids = [list(src_tok.encode(s)) + [EOS] for s in sentences]
    pieces = [[src_tok.id_to_piece(i) for i in row] for row in ids]
    order = sorted(range(len(ids)), key=lambda i: (len(ids[i]), i))
    finals: list[np.ndarray | None] = [None] * len(ids)
    per_token: list[np.ndarray | None] = [None] * len(ids)
    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                if should_stop is not None and should_stop():
                    raise InterruptedError("encoder states: stopped")
                chunk = order[start : start + batch_size]
                lens = [len(ids[i]) for i in chunk]
                src = torch.full((len(chunk), max(lens)), PAD, dtype=torch.long)
                for row, i in enumerate(chunk):
                    src[row, : lens[row]] = torch.tensor(ids[i])
                src_len = torch.tensor(lens, dtype=torch.long)
                tokens, final = model.token_states(
                    src.to(device), src_len.to(device), layer=layer, part=part
                )  # (B, S, D), (B, D)
                tokens = tokens.float().cpu().numpy()
                final = final.float().cpu().numpy()
                for row, i in enumerate(chunk):
                    finals[i] = final[row].copy()
                    per_token[i] = tokens[row, : lens[row]].copy()
    finally:
        model.train(was_training)
    width = finals[0].shape[-1] if finals else 0
    stacked = np.stack(finals) if finals else np.zeros((0, width), np.float32)
    return stacked.astype(np.float32, copy=False), per_token, pieces  # type: ignore[return-value]


def _image_states(
    model: Any,
    source: Any,
    refs: Sequence[str],
    device: torch.device,
    batch_size: int,
    should_stop: Callable[[], bool] | None,
) -> tuple[np.ndarray, list[np.ndarray], list[list[str]]]:
    """``encoder_states`` for a captioner: the pooled CNN encoding of each image
    (``refs``: image references), its grid cells' features, and the cells' labels."""
    labels = list(source.cell_labels())
    finals, cells = [], []
    was_training = model.training
    model.eval()  # batch norm with its running statistics: rows stay independent
    try:
        with torch.inference_mode():
            for start in range(0, len(refs), batch_size):
                if should_stop is not None and should_stop():
                    raise InterruptedError("encoder states: stopped")
                chunk = refs[start : start + batch_size]
                images = torch.stack([source.encode(r) for r in chunk]).to(device)
                src_len = torch.full((len(chunk),), len(labels), device=device)
                grid, pooled = model.token_states(images, src_len)  # (B,P,D), (B,D)
                finals.extend(pooled.float().cpu().numpy())
                cells.extend(grid.float().cpu().numpy())
    finally:
        model.train(was_training)
    width = finals[0].shape[-1] if finals else 0
    stacked = np.stack(finals) if finals else np.zeros((0, width), np.float32)
    return stacked.astype(np.float32, copy=False), cells, [labels for _ in refs]


class PcaProjection:
    """A 2-D PCA fitted once on reference states and then only applied.

    Points never move when sentences are added: the projection is fixed after
    :meth:`fit`, and :meth:`transform` maps every row on its own (no batched matrix
    product whose rounding could depend on the other rows).
    """

    def __init__(
        self,
        mean: np.ndarray,
        components: np.ndarray,
        explained_variance_ratio: np.ndarray,
    ) -> None:
        self.mean = np.asarray(mean, dtype=np.float64)  # (D,)
        self.components = np.asarray(components, dtype=np.float64)  # (2, D)
        self.explained_variance_ratio = np.asarray(
            explained_variance_ratio, dtype=np.float64
        )  # (2,)

    @classmethod
    def fit(cls, states: np.ndarray) -> PcaProjection:
        """Fit on reference states (N, D); fewer than 3 rows give zero axes as needed."""
        x = np.asarray(states, dtype=np.float64)
        if x.ndim != 2 or x.shape[0] == 0:
            raise ValueError(f"need a non-empty (N, D) array of states; got {x.shape}")
        n_comp = min(2, x.shape[0] - 1, x.shape[1])
        components = np.zeros((2, x.shape[1]))
        ratio = np.zeros(2)
        if n_comp > 0 and np.ptp(x, axis=0).max() > 0:
            # imported here, not with this module, which training imports too: loading
            # scikit-learn takes ~2 s and holds the GIL for 100-250 ms at a time, a
            # freeze of the app's window when a run started
            from sklearn.decomposition import PCA

            pca = PCA(n_components=n_comp, svd_solver="full", random_state=0).fit(x)
            components[:n_comp] = pca.components_
            ratio[:n_comp] = np.nan_to_num(pca.explained_variance_ratio_)
        return cls(x.mean(axis=0), components, ratio)

    def transform(self, states: np.ndarray) -> np.ndarray:
        """Project states (N, D) to points (N, 2); each row independently."""
        x = np.asarray(states, dtype=np.float64)
        if x.ndim == 1:
            x = x[None, :]
        if x.shape[-1] != self.mean.shape[0]:
            raise ValueError(
                f"states have width {x.shape[-1]}, the projection {self.mean.shape[0]}"
            )
        centred = x - self.mean  # (N, D)
        return (centred[:, None, :] * self.components[None, :, :]).sum(axis=-1)

    def to_dict(self) -> dict[str, list[float] | list[list[float]]]:
        """A JSON-friendly form (floats survive a JSON round trip exactly)."""
        return {
            "mean": self.mean.tolist(),
            "components": self.components.tolist(),
            "explained_variance_ratio": self.explained_variance_ratio.tolist(),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> PcaProjection:
        try:
            proj = cls(raw["mean"], raw["components"], raw["explained_variance_ratio"])
        except KeyError as exc:
            raise ValueError(f"PCA projection lacks {exc.args[0]!r}") from None
        if proj.components.shape != (2, proj.mean.shape[0]):
            raise ValueError("PCA projection: components do not match the mean")
        return proj


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


class NearestIndex:
    """Cosine-similarity search over encoder final states of training sentences."""

    def __init__(
        self,
        states: np.ndarray,
        sentences: Sequence[str] | None = None,
        chunk: int = 8192,
    ) -> None:
        """Build the index once.

        Args:
            states: final states (N, D) of the indexed sentences.
            sentences: the N sentences, for :meth:`neighbours` (optional).
            chunk: index rows compared at a time (bounds memory to queries x chunk).
        """
        if states.ndim != 2:
            raise ValueError(f"need (N, D) states; got {states.shape}")
        if sentences is not None and len(sentences) != states.shape[0]:
            raise ValueError(f"{states.shape[0]} states but {len(sentences)} sentences")
        self.vectors = _normalise(states)  # (N, D), unit rows
        self.sentences = list(sentences) if sentences is not None else None
        self.chunk = max(1, chunk)

    def __len__(self) -> int:
        return self.vectors.shape[0]

    def query(self, states: np.ndarray, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
        """The k most similar indexed rows for each query state.

        Args:
            states: query states (Q, D) (or one (D,) state).
            k: neighbours per query (capped at the index size).
        Returns:
            indices (Q, k) int64 and cosine similarities (Q, k) float32, most
            similar first (ties: lower index first).
        """
        q = _normalise(np.atleast_2d(states))  # (Q, D)
        k = min(k, len(self))
        n_q = q.shape[0]
        best_sim = np.zeros((n_q, 0), np.float32)
        best_idx = np.zeros((n_q, 0), np.int64)
        for start in range(0, len(self), self.chunk):
            block = self.vectors[start : start + self.chunk]  # (C, D)
            sims = q @ block.T  # (Q, C)
            idx = np.broadcast_to(np.arange(start, start + block.shape[0]), sims.shape)
            cand_sim = np.concatenate([best_sim, sims], axis=1)
            cand_idx = np.concatenate([best_idx, idx], axis=1)
            if cand_sim.shape[1] > k:
                keep = np.argpartition(-cand_sim, k - 1, axis=1)[:, :k]
                cand_sim = np.take_along_axis(cand_sim, keep, axis=1)
                cand_idx = np.take_along_axis(cand_idx, keep, axis=1)
            best_sim, best_idx = cand_sim, cand_idx
        order = np.lexsort((best_idx, -best_sim), axis=1) if k else best_idx
        return (
            np.take_along_axis(best_idx, order, axis=1),
            np.take_along_axis(best_sim, order, axis=1),
        )

    def neighbours(
        self, states: np.ndarray, k: int = 5
    ) -> list[list[tuple[str, float]]]:
        """Like :meth:`query`, as (sentence, similarity) pairs per query."""
        if self.sentences is None:
            raise ValueError("this index was built without its sentences")
        idx, sims = self.query(states, k)
        return [
            [(self.sentences[j], float(s)) for j, s in zip(row_i, row_s, strict=True)]
            for row_i, row_s in zip(idx, sims, strict=True)
        ]


def write_states_csv(
    path: str | Path,
    sentences: Sequence[str],
    points: np.ndarray,
    projection: PcaProjection,
) -> None:
    """Write ``s2s states`` output: ``sentence,x,y`` rows after a ``#`` comment line
    giving the explained variance ratio of the two axes (written atomically).

    Args:
        path: the CSV file.
        sentences: N sentences.
        points: (N, 2) PCA points from ``projection.transform``.
        projection: the projection used (for the explained variance).
    """
    if len(sentences) != len(points):
        raise ValueError(f"{len(sentences)} sentences but {len(points)} points")
    ev = projection.explained_variance_ratio
    buf = io.StringIO()
    buf.write(f"# explained_variance_ratio: x={ev[0]:.6f} y={ev[1]:.6f}\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["sentence", "x", "y"])
    for sentence, (x, y) in zip(sentences, points, strict=True):
        writer.writerow([sentence, repr(float(x)), repr(float(y))])
    atomic_write_text(Path(path), buf.getvalue())


def read_states_csv(path: str | Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Read a file from :func:`write_states_csv`: sentences, points (N, 2), variance (2,)."""
    text = Path(path).read_text(encoding="utf-8")
    first, _, rest = text.partition("\n")
    if not first.startswith("# explained_variance_ratio:"):
        raise ValueError(f"{path}:1: not a states CSV (no explained variance line)")
    ev = np.array([float(part.split("=")[1]) for part in first.split()[2:4]])
    rows = list(csv.reader(rest.splitlines()))[1:]
    sentences = [r[0] for r in rows]
    points = np.array([[float(r[1]), float(r[2])] for r in rows]).reshape(-1, 2)
    return sentences, points, ev


def reference_sample(
    sentences: Sequence[str], n: int = 1000, seed: int = 1
) -> list[str]:
    """A deterministic sample of up to ``n`` distinct non-blank sentences (e.g. of
    the training sources) to fit the PCA plane on when no reference set is given."""
    unique = list(dict.fromkeys(s for s in sentences if s.strip()))
    if len(unique) <= n:
        return unique
    rng = np.random.default_rng(seed)
    keep = np.sort(rng.choice(len(unique), size=n, replace=False))
    return [unique[i] for i in keep]


def project_sentences(
    model: Any,
    src_tok: _PieceTokenizer,
    sentences: Sequence[str],
    fit_sentences: Sequence[str] | None = None,
    device: torch.device | str = "cpu",
    layer: int = -1,
    part: str = "h",
) -> tuple[np.ndarray, PcaProjection]:
    """Points (N, 2) of ``sentences`` in a PCA plane fitted on ``fit_sentences``.

    With ``fit_sentences`` fixed (a ``--fit`` file or a sample of the training
    corpus), adding a sentence to ``sentences`` leaves the other points exactly
    where they were: each sentence is encoded on its own (batch of one).  Without
    it the plane is fitted on ``sentences`` themselves and moves when they change.
    """
    from engine.sessions import StatesSession

    session = StatesSession(model, src_tok, device, fit_sentences, layer, part)
    result = session.project([(s, "") for s in sentences])
    return result.points, session.projection
