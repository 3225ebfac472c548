"""What trainer.pt holds (progress, optimizer, random states) and how a checkpoint is
written without losing the run when the disk is full."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import torch

from engine import checkpoint as ckpt
from engine.events import CheckpointSaved, TrainEvent, TrainWarning

DISK_RETRY_S = 10.0  # a checkpoint that cannot be written is retried this often


@dataclass
class TrainerState:
    """Where a run is: saved in trainer.pt so that a resumed run continues exactly."""

    step: int = 0
    epoch: int = 0
    batch_in_epoch: int = 0
    lr: float = 0.0  # the plateau schedule's (or a constant) learning rate
    best_score: float = -math.inf  # dev BLEU, or minus the dev loss without BLEU
    bad_evals: int = 0  # evaluations since the best one (patience)
    elapsed: float = 0.0  # seconds of training over all sessions
    tokens: int = 0
    best_step: int = 0
    planned_steps: int = 0  # warmdown under max_minutes: fixed once the speed is known
    world_size: int = 1

    @classmethod
    def from_dict(cls, saved: object, source: Path) -> TrainerState:
        """The state stored in ``source``; a key missing or of the wrong type is an
        error that names the file."""
        names = {f.name: f.type for f in fields(cls)}
        if not isinstance(saved, dict) or not set(names) <= set(saved):
            raise ckpt.RunFolderError(
                f"{source}: the trainer state lacks {sorted(names)}"
            )
        values = {}
        for name, kind in names.items():
            value = saved[name]
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not ok or (kind == "int" and not isinstance(value, int)):
                raise ckpt.RunFolderError(
                    f"{source}: trainer state {name} = {value!r} is not {kind}"
                )
            values[name] = value
        return cls(**values)


def pack_checkpoint(
    weights: dict[str, torch.Tensor],
    optimizer: torch.optim.Optimizer,
    state: TrainerState,
    rng_ranks: list | None = None,
) -> dict[str, Any]:
    """Everything an exact resume needs, as trainer.pt stores it."""
    saved = {
        "model": weights,
        "optimizer": optimizer.state_dict(),
        "trainer": asdict(state),
        "rng_torch": torch.get_rng_state(),
        "rng_python": random.getstate(),
    }
    if torch.cuda.is_available():
        saved["rng_cuda"] = torch.cuda.get_rng_state_all()
    if rng_ranks:
        saved["rng_ranks"] = rng_ranks  # every torchrun rank's RNG states
    return saved


def restore_checkpoint(
    saved: dict[str, Any],
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    path: Path,
) -> TrainerState:
    """Put a loaded trainer.pt back into ``model``, ``optimizer`` and the RNGs."""
    ckpt.load_into(model, saved["model"], str(path))
    try:
        optimizer.load_state_dict(saved["optimizer"])
        torch.set_rng_state(saved["rng_torch"])
        if "rng_cuda" in saved and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(saved["rng_cuda"])
        random.setstate(saved["rng_python"])
    except (ValueError, TypeError, KeyError, RuntimeError) as exc:
        raise ckpt.RunFolderError(
            f"{path}: damaged trainer state (optimizer or random state): {exc}"
        ) from None
    return TrainerState.from_dict(saved["trainer"], path)


def write_checkpoint(
    run_dir: Path,
    weights: dict[str, torch.Tensor],
    saved: dict[str, Any],
    best: bool,
    step: int,
    should_stop: Callable[[], bool],
) -> Iterator[TrainEvent]:
    """Write last (and best) weights and trainer.pt; yields CheckpointSaved.

    A full disk or an unwritable folder pauses here, keeping the work in memory, and
    retries every ``DISK_RETRY_S`` until the write succeeds or a stop is asked for;
    the warnings say what is on disk meanwhile.
    """
    paused = False
    while True:
        try:
            ckpt.save_weights(weights, run_dir / ckpt.LAST_WEIGHTS, step)
            if best:
                ckpt.save_weights(weights, run_dir / ckpt.BEST_WEIGHTS, step)
            ckpt.save_trainer_state(saved, run_dir / ckpt.TRAINER_STATE)
            break
        except OSError as exc:
            if not paused:
                paused = True
                yield TrainWarning(step, _disk_message(run_dir, step, exc))
        if _wait_unless_stopped(DISK_RETRY_S, should_stop):
            on_disk = ckpt.describe_saved(run_dir)
            # a full checkpoint on disk is an earlier one: this save never finished
            full = on_disk.startswith("a full checkpoint")
            kept = "keeps its previous checkpoint:" if full else "holds"
            yield TrainWarning(
                step, f"stopped without saving step {step}; {run_dir} {kept} {on_disk}"
            )
            return
    if paused:
        yield TrainWarning(step, f"checkpoint of step {step} written; training goes on")
    yield CheckpointSaved(step=step, path=str(run_dir), best=best)


def _wait_unless_stopped(seconds: float, should_stop: Callable[[], bool]) -> bool:
    """Wait up to ``seconds`` in short slices; True as soon as a stop is asked for."""
    deadline = time.monotonic() + seconds
    while not should_stop():
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(0.2, left))
    return True


def _disk_message(run_dir: Path, step: int, exc: OSError) -> str:
    why = exc.strerror or str(exc)
    return (
        f"cannot write the checkpoint of step {step} to {run_dir} ({why}); training "
        f"is paused and retries every {DISK_RETRY_S:g} s: free some disk space or make "
        "the folder writable. Stop ends the run with what is on disk: "
        f"{ckpt.describe_saved(run_dir)}"
    )
