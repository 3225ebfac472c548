"""Data-parallel training under torchrun: process group, ranks and the few collectives."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch
import torch.distributed as tdist
from torch.nn.parallel import DistributedDataParallel

from engine.config import Config, ConfigError, TrainConfig

logger = logging.getLogger(__name__)

TIMEOUT_ENV = (
    "S2S_DIST_TIMEOUT_MIN"  # minutes a rank waits in a collective (default 30)
)
HASH_ENV = (
    "S2S_DEBUG_WEIGHT_HASHES"  # test hook: folder where each rank logs weight hashes
)
# Reasons a rank may want to end the loop, most urgent first (Trainer._limit_reached).
STOP_REASONS = ("stopped", "max_minutes", "max_steps")


def env_rank() -> int:
    """This process's global rank as torchrun sets it (0 when not under torchrun)."""
    return int(os.environ.get("RANK", "0"))


def env_world_size() -> int:
    """Processes in the job as torchrun sets it (1 when not under torchrun)."""
    return int(os.environ.get("WORLD_SIZE", "1"))


def under_torchrun() -> bool:
    """True when torchrun (or a compatible launcher) started this process."""
    return "WORLD_SIZE" in os.environ and "RANK" in os.environ


class Distributed:
    """One process's place in a data-parallel job.

    A default instance stands for a single process: every collective is a no-op and
    every hook leaves the trainer exactly as it was. ``setup()`` builds the real one
    under torchrun. Small collectives (counts, stop votes, state, RNG) go through a
    CPU ``gloo`` group so that they never wait on the GPU stream; DDP's gradient
    all-reduce uses the default group (``nccl`` on GPUs).
    """

    def __init__(
        self,
        rank: int = 0,
        world_size: int = 1,
        local_rank: int = 0,
        device: torch.device | None = None,
        backend: str | None = None,
        cpu_group: Any = None,
    ) -> None:
        self.rank, self.world_size, self.local_rank = rank, world_size, local_rank
        self.device = device  # None: the trainer picks from train.device as usual
        self.backend = backend  # None: single process, no process group
        self._group = cpu_group

    @property
    def active(self) -> bool:
        """True inside a process group (even one of size 1)."""
        return self.backend is not None

    @property
    def is_main(self) -> bool:
        """Rank 0: the process that writes files and prints."""
        return self.rank == 0

    # ------------------------------------------------------------------ configuration
    def effective_config(self, config: Config) -> Config:
        """The per-process config: batch split by ``batch_scope``, lr by the world size.

        ``batch_scope = "global"`` divides batch_size (which must divide evenly) and
        batch_tokens by the world size; ``"rank"`` keeps them, so the job's batch is
        world_size times larger. The lr is multiplied by the world size only when
        ``lr_scale_with_world`` is set: nothing is scaled silently.
        """
        t = config.train
        n = self.world_size
        batch_size, batch_tokens, lr = t.batch_size, t.batch_tokens, t.lr
        if t.batch_scope == "global" and n > 1:
            if batch_size % n:
                raise ConfigError(
                    f"a global batch of {batch_size} sentences cannot be split evenly "
                    f"over {n} processes",
                    "train.batch_size",
                )
            batch_size //= n
            if batch_tokens and batch_tokens < n:
                raise ConfigError(
                    f"a global budget of {batch_tokens} tokens is too small for {n} "
                    "processes",
                    "train.batch_tokens",
                )
            batch_tokens //= n
        if t.lr_scale_with_world:
            lr *= n
        train = replace(t, batch_size=batch_size, batch_tokens=batch_tokens, lr=lr)
        return replace(config, train=train)

    def describe(self, train: TrainConfig) -> dict[str, Any]:
        """What the run directory records about the job (metrics "start" record)."""
        per_rank = train.batch_tokens or train.batch_size
        return {
            "world_size": self.world_size,
            "backend": self.backend or "none",
            "batch_scope": train.batch_scope,
            "batch_unit": "tokens" if train.batch_tokens else "sentences",
            "batch_per_rank": per_rank,
            "batch_global": per_rank * self.world_size,
            "lr_effective": train.lr,
        }

    def label(self, device_name: str) -> str:
        """e.g. ``2 x CUDA: NVIDIA H100 (nccl)``; unchanged for a single process."""
        if not self.active:
            return device_name
        return f"{self.world_size} x {device_name} ({self.backend})"

    # ------------------------------------------------------------------ model
    def wrap(
        self, model: torch.nn.Module, optimizer: torch.optim.Optimizer, seed: int
    ) -> torch.nn.Module:
        """The module to train through: DistributedDataParallel under torchrun.

        The weights are already equal on every rank (same seed; DDP also broadcasts
        rank 0's at construction). The RNGs are then reseeded per rank so that dropout
        and teacher-forcing draws differ between ranks.
        """
        if os.environ.get(HASH_ENV):
            _record_weight_hashes(
                model, optimizer, Path(os.environ[HASH_ENV]), self.rank
            )
        if not self.active:
            return model
        torch.manual_seed(seed + 1_000_003 * self.rank)
        random.seed(seed + 1_000_003 * self.rank)
        ids = (
            [self.device.index]
            if self.device is not None and self.device.type == "cuda"
            else None
        )
        return DistributedDataParallel(model, device_ids=ids)

    # ------------------------------------------------------------------ collectives
    def barrier(self) -> None:
        if self.active:
            tdist.barrier(group=self._group)

    def all_sum(self, *values: Any) -> tuple[Any, ...]:
        """Sums over ranks of numbers or scalar tensors (returned unchanged alone)."""
        if not self.active:
            return values
        buf = torch.tensor([float(v) for v in values], dtype=torch.float64)
        tdist.all_reduce(buf, group=self._group)
        return tuple(buf.tolist())

    def loss_divisor(self, count: int) -> float:
        """What to divide this rank's summed loss by for a job-wide mean.

        DDP averages gradients over ranks, so dividing each rank's sum by
        (job-wide count / world size) gives exactly the gradient of the job's summed
        loss over the job's count: the same as one process on the whole batch, even
        when ranks hold different numbers of tokens.
        """
        if not self.active:
            return count
        (total,) = self.all_sum(count)
        return max(total, 1.0) / self.world_size

    def everywhere(self, flag: bool) -> bool:
        """True when ``flag`` is true on every rank (e.g. a finite loss)."""
        if not self.active:
            return flag
        (false_count,) = self.all_sum(float(not flag))
        return false_count == 0

    def agree(self, reason: str) -> str:
        """The loop-ending reason every rank follows: the most urgent any rank has.

        Ranks must stop at the same step, or the next gradient all-reduce would wait
        for a rank that has left. ``reason`` is ``"epochs"`` to go on.
        """
        if not self.active:
            return reason
        votes = self.all_sum(*(float(reason == r) for r in STOP_REASONS))
        for name, count in zip(STOP_REASONS, votes):
            if count > 0:
                return name
        return "epochs"

    def sync_state(self, state: Any) -> None:
        """Copy rank 0's trainer state (a dataclass: lr, best score, ...) in place."""
        if not self.active:
            return
        box = [vars(state) if self.is_main else None]
        tdist.broadcast_object_list(box, src=0, group=self._group)
        if not self.is_main:
            vars(state).update(box[0])

    # ------------------------------------------------------------------ checkpoints
    def gather_rng(self, device: torch.device) -> list[dict[str, Any]] | None:
        """Every rank's RNG states, for rank 0's trainer.pt (None alone)."""
        if not self.active:
            return None
        mine: dict[str, Any] = {
            "torch": torch.get_rng_state(),
            "python": random.getstate(),
        }
        if device.type == "cuda":
            mine["cuda"] = torch.cuda.get_rng_state(device)
        out: list[Any] = [None] * self.world_size
        tdist.all_gather_object(out, mine, group=self._group)
        return out

    def restore(self, saved: dict[str, Any], state: Any, device: torch.device) -> None:
        """Check the world size of a run being resumed and take this rank's RNG states.

        Every rank reads the same trainer.pt. Resuming with another world size would
        change the batches and their split mid-epoch, so it is refused.
        """
        was = int(saved["trainer"].get("world_size", 1))
        if was != self.world_size:
            raise ConfigError(
                f"this run was trained by {was} process(es); resume it with the same "
                f"number (e.g. torchrun --nproc_per_node={was}), not {self.world_size}"
            )
        state.world_size = self.world_size
        ranks = saved.get("rng_ranks")
        if not self.active or not ranks:
            return
        mine = ranks[self.rank]
        torch.set_rng_state(mine["torch"])
        random.setstate(mine["python"])
        if "cuda" in mine and device.type == "cuda":
            torch.cuda.set_rng_state(mine["cuda"], device)

    def cleanup(self) -> None:
        """Leave the process group, all ranks together (safe to call more than once).

        A rank that tore down its group while another still talked to it (rank 0
        finishing its last checkpoint) sometimes died in gloo's C++ teardown
        ("terminate called without an active exception", SIGABRT): so ranks meet at
        a barrier first. It waits at most a minute, in case a rank has failed.
        """
        if self.active and tdist.is_initialized():
            try:
                tdist.monitored_barrier(
                    group=self._group, timeout=dt.timedelta(seconds=60)
                )
            except RuntimeError as exc:  # a rank failed or left: tear down anyway
                logger.warning("ranks did not meet before leaving: %s", exc)
            tdist.destroy_process_group()
        self.backend = None


def setup(device: str = "auto") -> Distributed:
    """Join torchrun's process group, or a single-process stand-in without torchrun.

    Reads RANK, WORLD_SIZE and LOCAL_RANK (MASTER_ADDR/MASTER_PORT are read by
    ``init_process_group``). On CUDA each process takes the GPU of its LOCAL_RANK and
    the backend is ``nccl``; on CPU it is ``gloo``.

    Args:
        device: ``train.device`` (auto | cpu | cuda; mps cannot join a process group).
    """
    if not under_torchrun():
        return Distributed()
    rank, world = env_rank(), env_world_size()
    local = int(os.environ.get("LOCAL_RANK", "0"))
    if device == "mps":
        raise ConfigError(
            "cannot be mps under torchrun; use cuda or cpu", "train.device"
        )
    if device == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("device 'cuda' was asked for, but no CUDA GPU is available")
    if device in ("auto", "cuda") and torch.cuda.is_available():
        if local >= torch.cuda.device_count():
            raise RuntimeError(
                f"LOCAL_RANK {local} has no GPU: only {torch.cuda.device_count()} visible"
            )
        where, backend = torch.device("cuda", local), "nccl"
        torch.cuda.set_device(where)
    else:
        where, backend = torch.device("cpu"), "gloo"
    timeout = dt.timedelta(minutes=float(os.environ.get(TIMEOUT_ENV, "30")))
    if not tdist.is_initialized():
        tdist.init_process_group(backend, timeout=timeout)
    group = (
        tdist.new_group(backend="gloo", timeout=timeout) if backend == "nccl" else None
    )
    logger.info("rank %d of %d on %s (%s)", rank, world, where, backend)
    return Distributed(rank, world, local, where, backend, group)


class NullLog:
    """Stands in for ``MetricsLog`` on ranks other than 0 (they write no files)."""

    def __init__(self, path: Path, keep_until_step: int | None = None) -> None:
        self.path = Path(path)

    def write(self, kind: str, fields: dict[str, Any]) -> None:
        pass

    def close(self) -> None:
        pass


def weights_hash(model: torch.nn.Module) -> str:
    """A short digest of every parameter's bytes (equal weights, equal digest)."""
    digest = hashlib.sha256()
    for name, param in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(param.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]


def _record_weight_hashes(
    model: torch.nn.Module, optimizer: torch.optim.Optimizer, folder: Path, rank: int
) -> None:
    """Test hook: after every optimizer step, append ``<n> <hash>`` to rank<r>.txt."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"rank{rank}.txt"
    count = [0]

    def after_step(opt: Any, args: Any, kwargs: Any) -> None:
        count[0] += 1
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{count[0]} {weights_hash(model)}\n")

    optimizer.register_step_post_hook(after_step)
