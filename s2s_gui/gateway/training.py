"""Training in the app: the Trainer's events, a pause, probes and live snapshots."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from engine.config import Config
from engine.events import EvalResult, TrainEvent, TrainStart
from engine.sessions import LiveModel, live_model
from s2s_gui.quirks import enabled

__all__ = ["LiveModel", "TrainingRun"]

logger = logging.getLogger(__name__)


class TrainingRun:
    """A Trainer that lives and dies on one worker thread.

    ``events(should_stop)`` (the job) builds the Trainer there and yields its events;
    before a ``TrainStart`` and every ``EvalResult`` it yields a ``LiveModel``, an
    immutable copy of the weights taken there between steps, so the mutable Trainer
    never leaves its thread. Pause: ``should_stop``, which the engine calls between
    batches, blocks while paused. Probe sentences set from the GUI thread are handed
    to the Trainer on its own thread, before the next event.
    """

    can_pause = True

    def __init__(
        self,
        cfg: Config,
        run_dir: str | Path,
        resume: bool,
        probes: list[str],
        threads: int = 0,
    ) -> None:
        self._cfg, self.run_dir, self._resume = cfg, Path(run_dir), resume
        self._threads = threads
        self._running = threading.Event()
        self._running.set()
        self._probes: tuple[str, ...] | None = tuple(probes) if probes else None
        self._probes_changed = False

    def events(self, should_stop: Callable[[], bool]) -> Iterator[Any]:
        from engine.training import Trainer

        # The app tracks ~400k objects once torch, Qt and a corpus are loaded; a full
        # (generation 2) garbage collection walks them all in 50-190 ms with the GIL
        # held, and collections run on the GUI thread's timer (``collector``), so
        # the window froze that long. Everything alive when training starts lives
        # until it ends, so it is moved out of the collector's sight (``gc.freeze``)
        # and handed back when the run ends. Frozen first before the run is
        # prepared (reading the corpus and imports started a full collection of
        # their own), and again once training starts, for what preparing it made.
        freeze = enabled("gc_freeze")
        if freeze:
            gc.freeze()
        try:
            if self._threads > 0:
                import torch

                torch.set_num_threads(self._threads)
            trainer = Trainer(
                self._cfg, self.run_dir, resume=self._resume, probes=self._probes
            )
            ev: TrainEvent
            for ev in trainer.steps(should_stop=lambda: self._should_stop(should_stop)):
                if self._probes_changed:
                    self._probes_changed = False
                    trainer.set_probes(list(self._probes or ()))
                if isinstance(ev, TrainStart):
                    if freeze:
                        gc.freeze()
                    yield live_model(trainer, ev.start_step)
                elif isinstance(ev, EvalResult):
                    yield live_model(trainer, ev.step)
                yield ev
        finally:
            if freeze:
                gc.unfreeze()

    def _should_stop(self, should_stop: Callable[[], bool]) -> bool:
        """Called by the engine between batches; blocks here while paused."""
        self._running.wait()
        return should_stop()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def set_probes(self, sources: list[str]) -> None:
        """Thread-safe: probe sentences for the next evaluations."""
        self._probes = tuple(sources)
        self._probes_changed = True


def with_limits(cfg: Config, max_steps: int) -> Config:
    return replace(cfg, train=replace(cfg.train, max_steps=max_steps))


def preload_engine() -> None:
    """Import the engine runtime on the GUI thread at start-up.

    Importing extension modules holds the GIL for hundreds of milliseconds; done
    later by a worker, it would freeze the window just as training starts.
    """
    import torch

    import engine.training  # noqa: F401

    torch.optim.Adam([torch.zeros(1, requires_grad=True)])  # imports torch._dynamo


def tune_malloc() -> None:
    """Training and decoding in this process reuse freed memory (engine.malloc)."""
    if not enabled("malloc"):
        return
    from engine.malloc import tune_malloc as _tune

    _tune()
