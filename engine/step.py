"""One optimisation step: out-of-memory splitting, clipping, non-finite skipping."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

import numpy as np
import torch

from engine import distributed
from engine.batching import Batch
from engine.config import TrainConfig
from engine.loss import sequence_loss
from engine.model import Seq2Seq, target_logits
from engine.optim import clip_gradients, runs_fused


class OutOfMemory(RuntimeError):
    """A batch does not fit on the device even when split; says what to change."""


def is_oom(exc: BaseException) -> bool:
    return (
        isinstance(exc, torch.OutOfMemoryError) or "out of memory" in str(exc).lower()
    )


class Stepper:
    """Takes optimisation steps for a trainer; remembers how finely batches must be
    split to fit in memory."""

    def __init__(
        self,
        cfg: TrainConfig,
        model: Seq2Seq,
        net: torch.nn.Module,
        optimizer: torch.optim.Optimizer,
        dist: distributed.Distributed,
        device: torch.device,
        autocast: Callable,
        batch_of: Callable[[list[int]], Batch],
        lock: threading.Lock,
    ) -> None:
        self.cfg, self.model, self.net, self.optimizer = cfg, model, net, optimizer
        self.dist, self.device, self.autocast = dist, device, autocast
        self.batch_of = batch_of  # training pairs by index, on the device
        self.lock = lock  # held while the weights change (snapshots read them)
        self.parts, self.note = 1, ""  # out of memory: batches split in parts

    def step(
        self, batch: Batch, lr: float, step: int
    ) -> tuple[torch.Tensor | None, torch.Tensor, torch.Tensor | None]:
        """One optimisation step; returns (nll sum, grad norm, skipped).

        A step whose loss or gradient is not finite changes nothing. With a fused
        optimizer in one process under ``nan_policy = "skip"`` the optimizer's kernel
        skips it (its ``found_inf``, as under ``GradScaler``), so no host sync waits for
        the check: ``skipped`` is then a 0-d bool on the device, read by the loop at its
        next log line. Otherwise the host checks at once: ``skipped`` is None, and nll
        is None when the step was skipped.

        Out of memory: the batch is retried in 2, 4, ... parts whose gradients add up
        to the same step, and later batches keep that split (``note`` says so).
        Raises:
            OutOfMemory: one sentence per part does not fit either, or under torchrun.
        """
        cfg = self.cfg
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        count = batch.n_tgt_tokens if cfg.loss == "token" else batch.src.size(0)
        divisor = self.dist.loss_divisor(count)  # job-wide mean under torchrun
        while True:
            self.optimizer.zero_grad(set_to_none=True)
            try:
                loss, nll = self.backward(self.split(batch), divisor)
                break
            except RuntimeError as exc:
                if not is_oom(exc):
                    raise
                error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.after_oom(
                batch, error, step
            )  # outside ``except``: the tensors are freed
        max_norm = cfg.clip if cfg.clip > 0 else math.inf
        grad_norm = clip_gradients(self.optimizer, self.model.parameters(), max_norm)
        finite = torch.isfinite(grad_norm) & torch.isfinite(loss)  # 0-d, on the device
        if self.skip_in_kernel:
            skipped = ~finite
            self.optimizer.found_inf = skipped.float()
            with self.lock:
                self.optimizer.step()
            return nll, grad_norm.detach(), skipped
        if not self.dist.everywhere(bool(finite)):  # ranks skip together or not at all
            self.optimizer.zero_grad(set_to_none=True)
            return None, grad_norm, None
        with self.lock:
            self.optimizer.step()
        return nll, grad_norm.detach(), None

    @property
    def skip_in_kernel(self) -> bool:
        """Whether non-finite steps are skipped by the fused optimizer (no host sync)."""
        return (
            runs_fused(self.optimizer)
            and not self.dist.active
            and self.cfg.nan_policy == "skip"
        )

    def backward(
        self, parts: list[Batch], divisor: float
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Forward and backward over the parts of one batch; (loss, nll) sums, detached."""
        cfg = self.cfg
        loss_sum = nll_sum = torch.zeros((), device=self.device)
        for part in parts:
            with self.autocast():
                logits = target_logits(self.net, part, cfg.teacher_forcing)  # (N, V)
            loss, nll = sequence_loss(logits, part.targets, cfg.label_smoothing)
            (loss / divisor).backward()
            loss_sum, nll_sum = loss_sum + loss.detach(), nll_sum + nll.detach()
        return loss_sum, nll_sum

    def split(self, batch: Batch) -> list[Batch]:
        if self.parts == 1:
            return [batch]
        index = batch.index.tolist()
        chunks = np.array_split(np.arange(len(index)), min(self.parts, len(index)))
        return [self.batch_of([index[i] for i in c]) for c in chunks]

    def after_oom(self, batch: Batch, error: str, step: int) -> None:
        """Split further, or raise OutOfMemory saying what to change."""
        self.optimizer.zero_grad(set_to_none=True)
        if self.device.type == "cuda":
            torch.cuda.empty_cache()
        size = batch.src.size(0)
        if self.dist.active or self.parts >= size:
            raise OutOfMemory(
                f"out of memory at step {step + 1} ({error}) with "
                f"{-(-size // self.parts)} sentence(s) per part: lower "
                "train.batch_size or train.batch_tokens, use a smaller model "
                "(model.hidden, model.layers, model.emb) or another device"
            )
        self.parts = min(2 * self.parts, size)
        self.note = (
            f"out of memory on a batch of {size} sentences ({error}); retried in "
            f"{self.parts} parts, and later batches are split too. Lower "
            "train.batch_size or train.batch_tokens to train at full speed"
        )


class StepWindow:
    """Sums over the steps between two log lines, kept on the device (no per-step sync)."""

    def __init__(self, device: torch.device) -> None:
        self.nll = torch.zeros((), device=device)
        self.grad_norm = torch.zeros((), device=device)
        self.tokens = 0
        self.src_tokens = 0
        self.start = time.perf_counter()
        self._skipped: list[tuple[int, torch.Tensor]] = []  # (step, 0-d bool) to read

    def add(
        self,
        nll: torch.Tensor,
        grad_norm: torch.Tensor,
        skipped: torch.Tensor | None = None,
        step: int = 0,
    ) -> None:
        """One step's sums; ``skipped`` (0-d bool on the device) leaves them out."""
        if skipped is None:
            self.nll += nll
            self.grad_norm = grad_norm
            return
        self.nll += torch.where(skipped, 0.0, nll)
        self.grad_norm = torch.where(skipped, self.grad_norm, grad_norm)
        self._skipped.append((step, skipped))

    def skipped_steps(self) -> list[int]:
        """The steps added with a true ``skipped`` flag since the last call."""
        if not self._skipped:
            return []
        flags = torch.stack([flag for _, flag in self._skipped]).tolist()
        steps = [step for (step, _), bad in zip(self._skipped, flags) if bad]
        self._skipped = []
        return steps

    @property
    def all_tokens(self) -> int:
        return self.tokens + self.src_tokens
