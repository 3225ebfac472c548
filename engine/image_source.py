"""The source side of a captioning run: image references in, image tensors out.

An image run has no source tokenizer. In its place :class:`ImageSource` answers the
calls the trainer, the validator and the Translator make of one: ``encode`` and
``encode_batch`` turn references (file paths or ``shapes:SEED:I``) into normalised
(3, S, S) tensors, cached per reference, and ``vocab_size`` is 0. Its settings live in
the run's ``config.toml`` (``data.image_size``, ``model.cnn_layers``), so a run folder
holds only the target tokenizer, ``tgt.model``, beside them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from engine.batching import Batch, make_batch
from engine.cnn_encoder import grid_side
from engine.config import Config, ConfigError, load_config
from engine.special import BOS, EOS, PAD

logger = logging.getLogger(__name__)

CAPTION_MAX_LEN = 40  # pieces a caption may reach when decode.max_len is 0
CACHE_IMAGES = 4096  # images ``encode`` keeps (about 100 MB at 64x64)


class ImageSource:
    """Image references -> tensors for a CNN encoder of ``blocks`` stride-2 blocks.

    Images are kept in float16 (half the memory of float32; their 8-bit pixels lose
    nothing) and every encode, in training and in decoding alike, goes through that
    rounding, so a model sees exactly the same pixels at both times.
    """

    images = True
    vocab_size = 0

    def __init__(self, image_size: int, blocks: int) -> None:
        self.image_size = image_size
        side = grid_side(image_size, blocks)
        self.grid = (side, side)
        self.positions = side * side
        self._cache: dict[str, Tensor] = {}

    @classmethod
    def from_config(cls, config: Config) -> ImageSource:
        return cls(config.data.image_size, config.model.cnn_layers)

    @classmethod
    def for_run(cls, run_dir: str | Path) -> ImageSource:
        """The image source of the run in ``run_dir`` (from its ``config.toml``)."""
        return cls.from_config(load_config(Path(run_dir) / "config.toml"))

    def encode(self, ref: str) -> Tensor:
        """The image as the model sees it, (3, S, S) float32.

        Raises:
            engine.images.ImageError: the image cannot be read (the message names it).
        """
        cached = self._cache.get(ref)
        if cached is None:
            from engine.images import load_image

            cached = load_image(ref, self.image_size).to(torch.float16)
            if len(self._cache) < CACHE_IMAGES:
                self._cache[ref] = cached
        return cached.float()

    def encode_batch(self, refs: Sequence[str]) -> list[Tensor]:
        """Tensors of several references, each image read once (kept as float16)."""
        from engine.images import load_image

        loaded: dict[str, Tensor] = {}
        for ref in dict.fromkeys(refs):
            loaded[ref] = load_image(ref, self.image_size).to(torch.float16)
        return [loaded[r] for r in refs]

    def cell_labels(self) -> tuple[str, ...]:
        """One label per grid cell, row-major: "r0c0", "r0c1", ..."""
        h, w = self.grid
        return tuple(f"r{r}c{c}" for r in range(h) for c in range(w))

    def __repr__(self) -> str:
        return f"ImageSource(image_size={self.image_size}, grid={self.grid})"


def is_image_source(tok: object) -> bool:
    return getattr(tok, "images", False) is True


def source_lengths(rows: Sequence, positions: int) -> list[int]:
    """Source lengths as batched: ids + EOS for text, the grid's P for images."""
    if rows and isinstance(rows[0], Tensor):
        return [positions] * len(rows)
    return [len(s) + 1 for s in rows]


def make_image_batch(
    images: Sequence[Tensor],
    tgt_ids: Sequence[list[int]],
    index: Sequence[int],
    positions: int,
) -> Batch:
    """A :class:`Batch` whose ``src`` is (B, 3, S, S) float32 and ``src_len`` P each."""
    n = len(images)
    if not (n == len(tgt_ids) == len(index)) or not n:
        raise ValueError("need equally many (>0) images, targets and indices")
    tgt_len = np.array([len(t) + 1 for t in tgt_ids], dtype=np.int64)
    tgt_in = np.full((n, tgt_len.max()), PAD, dtype=np.int64)
    tgt_out = np.full((n, tgt_len.max()), PAD, dtype=np.int64)
    for row, t in enumerate(tgt_ids):
        tgt_in[row, 0] = BOS
        tgt_in[row, 1 : len(t) + 1] = t
        tgt_out[row, : len(t)] = t
        tgt_out[row, len(t)] = EOS
    return Batch(
        src=torch.stack(list(images)).float(),
        src_len=torch.full((n,), positions, dtype=torch.int64),
        tgt_in=torch.from_numpy(tgt_in),
        tgt_out=torch.from_numpy(tgt_out),
        tgt_len=torch.from_numpy(tgt_len),
        index=torch.as_tensor(list(index), dtype=torch.int64),
        real=torch.from_numpy(np.flatnonzero(tgt_out != PAD)),
        n_src_tokens=n * positions,
        n_tgt_tokens=int(tgt_len.sum()),
    )


def collate(
    src_rows: Sequence, tgt_ids: Sequence[list[int]], index: Sequence[int], src_tok
) -> Batch:
    """``make_batch`` for text rows (id lists), ``make_image_batch`` for images."""
    if src_rows and isinstance(src_rows[0], Tensor):
        return make_image_batch(src_rows, tgt_ids, index, src_tok.positions)
    return make_batch(src_rows, tgt_ids, index)


def check_encoder(config: Config, images: bool) -> None:
    """An image corpus needs the CNN encoder and a text corpus the RNN one."""
    if images and config.model.encoder != "cnn":
        raise ConfigError(
            f"{config.data.train} is an image corpus: set model.encoder = cnn",
            "model.encoder",
        )
    if not images and config.model.encoder == "cnn":
        raise ConfigError(
            f"model.encoder = cnn reads images, but {config.data.train} is text; "
            "use an image corpus (builtin:images/shapes, a captions .tsv, Flickr8k)",
            "model.encoder",
        )
