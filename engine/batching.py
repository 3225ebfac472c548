"""Padded batches and a length-bucketing sampler (reproducible per seed and epoch)."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from engine.tokenizer import BOS, EOS, PAD

logger = logging.getLogger(__name__)

CHUNK_BATCHES = 100  # sort by length inside shuffled chunks of about this many batches


@dataclass
class Batch:
    """A padded batch (CPU tensors until :meth:`to` moves them).

    Attributes:
        src: source ids + EOS, padded with PAD, (batch, src_len).
        src_len: real source lengths including EOS, (batch,).
        tgt_in: BOS + target ids, padded, (batch, tgt_len).
        tgt_out: target ids + EOS, padded, (batch, tgt_len).
        tgt_len: real target lengths (tokens in ``tgt_out`` including EOS), (batch,).
        index: positions of the pairs in the dataset, (batch,).
        real: positions of the real target tokens (not PAD) in ``tgt_out`` flattened
            row by row, (n_tgt_tokens,): ``tgt_out.flatten()[real]`` are the targets.
        n_src_tokens, n_tgt_tokens: real token counts, plain ints counted on the host
            when the batch is made, so reading them never waits for a GPU.
        host_src_len: ``src_len`` on the CPU, also after :meth:`to` (packing a batch for
            an RNN needs its lengths on the host; copying them back would wait for the
            GPU).
    """

    src: Tensor
    src_len: Tensor
    tgt_in: Tensor
    tgt_out: Tensor
    tgt_len: Tensor
    index: Tensor
    real: Tensor
    n_src_tokens: int = -1
    n_tgt_tokens: int = -1
    host_src_len: Tensor | None = None

    def __post_init__(self) -> None:
        if self.n_src_tokens < 0:
            self.n_src_tokens = int(self.src_len.sum())
        if self.n_tgt_tokens < 0:
            self.n_tgt_tokens = int(self.tgt_len.sum())
        if self.host_src_len is None:
            self.host_src_len = self.src_len.cpu()

    def to(self, device: torch.device | str, non_blocking: bool = False) -> Batch:
        """A copy of the batch on ``device``; ``non_blocking`` copies from pinned memory
        (CUDA), so the copy overlaps the GPU's work instead of waiting for it."""
        tensors = (
            self.src,
            self.src_len,
            self.tgt_in,
            self.tgt_out,
            self.tgt_len,
            self.index,
            self.real,
        )
        pin = non_blocking and torch.device(device).type == "cuda"
        return Batch(
            *(
                (t.pin_memory() if pin and t.device.type == "cpu" else t).to(
                    device, non_blocking=non_blocking
                )
                for t in tensors
            ),
            n_src_tokens=self.n_src_tokens,
            n_tgt_tokens=self.n_tgt_tokens,
            host_src_len=self.host_src_len,
        )

    @property
    def targets(self) -> Tensor:
        """The real target ids, (n_tgt_tokens,), at the positions ``real`` (row-major)."""
        return self.tgt_out.flatten().index_select(0, self.real)

    @property
    def size(self) -> int:
        """Number of sentence pairs."""
        return int(self.src.shape[0])

    @property
    def src_mask(self) -> Tensor:
        """True at real source tokens, (batch, src_len)."""
        positions = torch.arange(self.src.shape[1], device=self.src.device)
        return positions[None, :] < self.src_len[:, None]

    @property
    def tgt_mask(self) -> Tensor:
        """True at real target positions of ``tgt_in``/``tgt_out``, (batch, tgt_len)."""
        positions = torch.arange(self.tgt_out.shape[1], device=self.tgt_out.device)
        return positions[None, :] < self.tgt_len[:, None]


def make_batch(
    src_ids: Sequence[list[int]], tgt_ids: Sequence[list[int]], index: Sequence[int]
) -> Batch:
    """Pad token-id lists into a :class:`Batch` (order kept as given).

    Args:
        src_ids: source ids per pair, without BOS/EOS.
        tgt_ids: target ids per pair, without BOS/EOS.
        index: dataset position of each pair.
    """
    if not (len(src_ids) == len(tgt_ids) == len(index)) or not src_ids:
        raise ValueError(
            "make_batch needs equally many (>0) sources, targets and indices"
        )
    n = len(src_ids)
    src_len = np.array([len(s) + 1 for s in src_ids], dtype=np.int64)
    tgt_len = np.array([len(t) + 1 for t in tgt_ids], dtype=np.int64)
    src = np.full((n, src_len.max()), PAD, dtype=np.int64)
    tgt_in = np.full((n, tgt_len.max()), PAD, dtype=np.int64)
    tgt_out = np.full((n, tgt_len.max()), PAD, dtype=np.int64)
    for row, (s, t) in enumerate(zip(src_ids, tgt_ids, strict=True)):
        src[row, : len(s)] = s
        src[row, len(s)] = EOS
        tgt_in[row, 0] = BOS
        tgt_in[row, 1 : len(t) + 1] = t
        tgt_out[row, : len(t)] = t
        tgt_out[row, len(t)] = EOS
    return Batch(
        src=torch.from_numpy(src),
        src_len=torch.from_numpy(src_len),
        tgt_in=torch.from_numpy(tgt_in),
        tgt_out=torch.from_numpy(tgt_out),
        tgt_len=torch.from_numpy(tgt_len),
        index=torch.as_tensor(list(index), dtype=torch.int64),
        real=torch.from_numpy(np.flatnonzero(tgt_out != PAD)),
        n_src_tokens=int(src_len.sum()),
        n_tgt_tokens=int(tgt_len.sum()),
    )


class BucketSampler:
    """Batches of similar-length pairs, by sentence count or by a token budget.

    Each epoch: shuffle all pairs, cut them into chunks of about 100 batches, sort
    every chunk by (source, target) length, cut it into batches, shuffle the batch
    order. The result depends only on (seed, epoch). With a token budget a batch holds
    as many pairs as fit in ``batch_tokens`` source+target tokens counted with padding
    (batch size x (longest source + longest target)); a single pair over the budget
    gets a batch of its own.

    For distributed training every rank builds the same batch list; when it does not
    divide evenly, the first batches are repeated so that every rank gets the same
    number (each pair still appears at least once per epoch over all ranks).
    """

    def __init__(
        self,
        src_lens: Sequence[int] | np.ndarray,
        tgt_lens: Sequence[int] | np.ndarray,
        batch_size: int,
        batch_tokens: int = 0,
        seed: int = 1,
        shuffle: bool = True,
        num_replicas: int = 1,
        rank: int = 0,
        bucket: bool = True,
    ) -> None:
        """Args:
        src_lens, tgt_lens: lengths of each pair as batched, (n,): source ids + EOS
            (``len(ids) + 1``) and target ids + 1 (the BOS/EOS position).
        batch_size: pairs per batch (used when ``batch_tokens`` is 0).
        batch_tokens: token budget per batch; 0 = batches by ``batch_size``.
        seed: shuffling seed; shuffle: False keeps the data order (e.g. for dev).
        num_replicas, rank: split the batches between distributed ranks.
        bucket: False leaves each chunk in its shuffled order, so a batch is a random
            sample of the corpus (batch norm's batch statistics then match the running
            ones used at test time; see ``engine.cnn_encoder``).
        """
        self.src_lens = np.asarray(src_lens, dtype=np.int64)
        self.tgt_lens = np.asarray(tgt_lens, dtype=np.int64)
        if self.src_lens.shape != self.tgt_lens.shape or self.src_lens.ndim != 1:
            raise ValueError("src_lens and tgt_lens must be 1-D and of equal length")
        if len(self.src_lens) == 0:
            raise ValueError("BucketSampler needs at least one pair")
        if batch_size < 1 or batch_tokens < 0:
            raise ValueError("batch_size must be >= 1 and batch_tokens >= 0")
        if not 0 <= rank < num_replicas:
            raise ValueError(f"rank {rank} is not in 0..{num_replicas - 1}")
        self.batch_size, self.batch_tokens = batch_size, batch_tokens
        self.seed, self.shuffle, self.bucket = seed, shuffle, bucket
        self.num_replicas, self.rank = num_replicas, rank
        self._len: int | None = None

    def _chunk_size(self) -> int:
        if self.batch_tokens == 0:
            return self.batch_size * CHUNK_BATCHES
        mean = float((self.src_lens + self.tgt_lens).mean())
        per_batch = max(1, int(self.batch_tokens / mean))
        return per_batch * CHUNK_BATCHES

    def _cut(self, order: np.ndarray) -> list[list[int]]:
        """Cut length-sorted indices into batches."""
        if self.batch_tokens == 0:
            return [
                order[i : i + self.batch_size].tolist()
                for i in range(0, len(order), self.batch_size)
            ]
        batches: list[list[int]] = []
        current: list[int] = []
        max_src = max_tgt = 0
        for i in order.tolist():
            new_src = max(max_src, int(self.src_lens[i]))
            new_tgt = max(max_tgt, int(self.tgt_lens[i]))
            if current and (len(current) + 1) * (new_src + new_tgt) > self.batch_tokens:
                batches.append(current)
                current, new_src, new_tgt = (
                    [],
                    int(self.src_lens[i]),
                    int(self.tgt_lens[i]),
                )
            current.append(i)
            max_src, max_tgt = new_src, new_tgt
        if current:
            batches.append(current)
        return batches

    def _all_batches(self, epoch: int) -> list[list[int]]:
        n = len(self.src_lens)
        rng = np.random.default_rng([self.seed, epoch])
        perm = rng.permutation(n) if self.shuffle else np.arange(n)
        chunk = self._chunk_size()
        batches: list[list[int]] = []
        for start in range(0, n, chunk):
            part = perm[start : start + chunk]
            # lexsort is stable: ties keep their shuffled order
            order = (
                part[np.lexsort((self.tgt_lens[part], self.src_lens[part]))]
                if self.bucket
                else part
            )
            batches.extend(self._cut(order))
        if self.shuffle:
            batches = [batches[i] for i in rng.permutation(len(batches))]
        return batches

    def epoch_batches(self, epoch: int) -> list[list[int]]:
        """This rank's batches (lists of dataset indices) for ``epoch``.

        The same (seed, epoch) always gives the same list.
        """
        batches = self._all_batches(epoch)
        per_rank = math.ceil(len(batches) / self.num_replicas)
        total = per_rank * self.num_replicas
        padded = [batches[i % len(batches)] for i in range(total)]
        return padded[self.rank :: self.num_replicas]

    def __len__(self) -> int:
        """Batches per epoch for this rank: exact by sentence count; with a token budget
        the count of epoch 0 (other epochs differ by a few at most)."""
        if self._len is None:
            self._len = len(self.epoch_batches(0))
        return self._len
