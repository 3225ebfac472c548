"""Multi-GPU training from the app: a torchrun subprocess whose metrics.jsonl feeds the plots."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from engine.checkpoint import METRICS_FILE, MetricsTail, record_to_event
from engine.config import Config, save_config
from engine.events import TrainFinished

logger = logging.getLogger(__name__)

LOG_NAME = "torchrun.log"  # torchrun's and the ranks' output, in the run directory


def visible_gpus() -> int:
    """CUDA GPUs visible to this process (the one place the app asks; tests patch it)."""
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def torchrun_command(config: Path, run_dir: Path, nproc: int) -> list[str]:
    """``python -m torch.distributed.run --standalone ... -m engine.cli train``.

    ``--standalone`` runs the rendezvous on localhost with a free port.
    """
    return [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        f"--nproc_per_node={nproc}",
        "-m",
        "engine.cli",
        "train",
        str(config),
        "--out",
        str(run_dir),
    ]


def _children(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux /proc; empty elsewhere)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


class TorchrunFailed(RuntimeError):
    """torchrun ended without a TrainFinished record; the message quotes its log."""


class DistributedRun:
    """Runs ``torchrun`` for one new run and turns its metrics.jsonl into events.

    ``events(should_stop)`` is the job, like ``TrainingRun.events``. Stop sends SIGINT
    to torchrun, which forwards it to every rank; the ranks agree on the step,
    evaluate, save and exit. Ranks still alive after ``grace_s`` get SIGTERM, then
    SIGKILL. Pause is not offered: a paused rank would time out the others; nor are
    live snapshots (the weights are in other processes).
    """

    can_pause = False

    def __init__(
        self,
        config: Config,
        run_dir: str | Path,
        nproc: int,
        poll_s: float = 0.2,
        grace_s: float = 20.0,
    ) -> None:
        self._config = config
        self.run_dir = Path(run_dir)
        self.nproc = nproc
        self._poll_s, self._grace_s = poll_s, grace_s
        self.pid: int | None = None

    def events(self, should_stop: Callable[[], bool]) -> Iterator[Any]:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="s2s-torchrun-", suffix=".toml")
        os.close(fd)
        config = Path(name)
        save_config(self._config, config)
        command = torchrun_command(config, self.run_dir, self.nproc)
        log_path = self.run_dir / LOG_NAME
        logger.info("launching %s", " ".join(command))
        with open(log_path, "ab") as log:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, away from the app's
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        self.pid = proc.pid
        try:
            finished = yield from self._follow(proc, should_stop)
        finally:
            config.unlink(missing_ok=True)
        if finished is None and not should_stop():
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise TorchrunFailed(
                f"torchrun exited with code {proc.returncode}; see {log_path}\n\n{tail}"
            )

    def _follow(
        self, proc: subprocess.Popen, should_stop: Callable[[], bool]
    ) -> Iterator[Any]:
        """Yield metrics records as events until the job ends; stop it when asked.

        Returns:
            the TrainFinished event, or None when the job ended without one.
        """
        tail = MetricsTail(self.run_dir / METRICS_FILE)
        finished: TrainFinished | None = None
        signalled: float | None = None
        escalated = False
        while True:
            running = proc.poll() is None
            for record in tail.read():
                event = record_to_event(record)
                if event is not None:
                    finished = event if isinstance(event, TrainFinished) else finished
                    yield event
            if not running:
                return finished
            if should_stop() and signalled is None:
                signalled = time.monotonic()
                self._signal(proc, signal.SIGINT)
            elif signalled is not None:
                waited = time.monotonic() - signalled
                if waited > self._grace_s + 5:
                    self._kill_all(proc)
                elif waited > self._grace_s and not escalated:
                    escalated = True
                    self._signal(proc, signal.SIGTERM)
            time.sleep(self._poll_s)

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def set_probes(self, sources: list[str]) -> None:
        pass  # the ranks read probes from their config

    def _signal(self, proc: subprocess.Popen, sig: signal.Signals) -> None:
        """Signal torchrun's process group; torchrun forwards it to every rank."""
        logger.info("sending %s to torchrun (pid %d)", sig.name, proc.pid)
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass

    def _kill_all(self, proc: subprocess.Popen) -> None:
        """Last resort: SIGKILL the ranks (each in its own session) and torchrun."""
        for pid in [*_children(proc.pid), proc.pid]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
