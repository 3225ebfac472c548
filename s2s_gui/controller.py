"""AppController: the single façade between widgets and the engine; owns the threads."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Signal

from engine.config import Config
from engine.events import (
    CheckpointSaved,
    CorpusReport,
    EvalResult,
    Progress,
    TrainFinished,
    TrainStart,
    TrainStep,
    TrainWarning,
)
from s2s_gui.download_controller import DownloadController
from s2s_gui.gateway import data, distributed, images, runs, training
from s2s_gui.gateway.jobs import Job, JobPool, describe_error
from s2s_gui.gateway.training import LiveModel, TrainingRun
from s2s_gui.lab_controller import LabController
from s2s_gui.progress_log import ProgressLog
from s2s_gui.state import MetricHistory, RunState

logger = logging.getLogger(__name__)


def default_runs_root() -> Path:
    """``<user data folder>/runs``, e.g. ~/.local/share/Seq2Seq Lab/Seq2Seq Lab/runs."""
    base = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation
    )
    return Path(base or Path.home() / ".seq2seq-lab") / "runs"


def gui_threads() -> int:
    """Torch CPU threads for training: leave one core to the GUI thread."""
    return max(1, (os.cpu_count() or 2) - 1)


class AppController(QObject):
    """Verbs for the widgets, typed signals back; owns the gateway's job pool."""

    state_changed = Signal(object)  # RunState
    progress = Signal(object)  # Progress
    corpus_report = Signal(object)  # CorpusReport
    train_started = Signal(object)  # TrainStart
    step = Signal(object)  # TrainStep
    evaluated = Signal(object)  # EvalResult
    checkpoint_saved = Signal(object)  # CheckpointSaved
    warning = Signal(str)
    training_finished = Signal(object)  # TrainFinished (the thread has ended)
    training_failed = Signal(str)
    device_changed = Signal(str)
    preview_ready = Signal(object)  # CorpusPreview
    preview_failed = Signal(str)
    runs_changed = Signal(object)  # list[RunSummary]
    run_opened = Signal(str)  # run dir whose curves are now in ``history``
    overlays_changed = Signal()
    run_failed = Signal(str)  # opening an old run failed

    def __init__(
        self, runs_root: str | Path | None = None, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.runs_root = Path(runs_root) if runs_root else default_runs_root()
        self.history = MetricHistory()
        self.overlays: dict[str, MetricHistory] = {}
        self.state = RunState.IDLE
        self.run_dir: str | None = None
        self.threads = gui_threads()
        self.config: Config | None = None  # the config of the latest training run
        self._progress_log = ProgressLog(None)
        self._bf16: dict[str, bool] = {}  # device -> native bf16 there
        self.jobs = JobPool(self)
        self._train: tuple[Job, Any] | None = (
            None  # (job, TrainingRun | DistributedRun)
        )
        self._tasks: dict[Hashable, Job] = {}  # the newest task of each kind
        self._finished: TrainFinished | None = None
        self._error: str | None = None
        self._preview_dir = Path(tempfile.mkdtemp(prefix="s2s-preview-"))
        self._tokenizer: Any = None
        self.probes: list[str] = []  # probe sentences for the next evaluations
        self.live: Any = None  # engine.sessions.LiveModel of the running training
        self.lab = LabController(self)  # translate, hidden states, evaluate
        self.downloads = DownloadController(self.jobs, self)  # Tatoeba pairs
        training.preload_engine()  # imports hold the GIL: do them now, not mid-run

    # ------------------------------------------------------------------ training verbs
    def start_training(
        self, cfg: Config, run_dir: str | Path | None = None, gpus: int = 1
    ) -> str:
        """Train ``cfg`` in ``run_dir`` (a new folder under runs_root by default).

        ``gpus`` > 1 runs a torchrun job in a subprocess, one process per GPU, and
        follows its metrics.jsonl (no pause, no live snapshots for translation).
        """
        run_dir = Path(run_dir) if run_dir else runs.new_run_dir(self.runs_root, cfg)
        if gpus > 1:
            self._launch(distributed.DistributedRun(cfg, run_dir, gpus), cfg)
        else:
            probes = list(self.probes)
            self._launch(TrainingRun(cfg, run_dir, False, probes, self.threads), cfg)
        return str(run_dir)

    def resume_run(self, run_dir: str | Path, max_steps: int | None = None) -> None:
        """Continue a stopped run from its last checkpoint (its own config wins)."""
        cfg = runs.run_config(run_dir)
        if max_steps is not None:
            cfg = training.with_limits(cfg, max_steps)
        probes = list(self.probes)
        self._launch(TrainingRun(cfg, run_dir, True, probes, self.threads), cfg)
        self.history.load_records(runs.read_metrics(run_dir), Path(run_dir).name)

    def _launch(self, run: Any, cfg: Config) -> None:
        """Start ``run.events`` (a TrainingRun or DistributedRun) as the training job."""
        if self.state.busy:
            raise RuntimeError("a training run is already in progress")
        self.run_dir, self._finished, self._error = str(run.run_dir), None, None
        self.config = cfg  # what the run's labels and log lines describe
        self._progress_log = ProgressLog(cfg)
        self.live = None
        self.history.clear()
        self._set_state(RunState.PREPARING)
        job = self.jobs.start(
            run.events,
            on_yield=self._on_event,
            on_error=self._on_failed,
            on_finish=self._on_training_ended,
        )
        self._train = (job, run)
        logger.info("training in %s", run.run_dir)

    def pause_training(self) -> None:
        if self._train and self.state is RunState.TRAINING and self._train[1].can_pause:
            self._train[1].pause()
            self._set_state(RunState.PAUSED)

    def resume_training(self) -> None:
        if self._train and self.state is RunState.PAUSED:
            self._train[1].resume()
            self._set_state(RunState.TRAINING)

    def stop_training(self) -> None:
        if self._train and self.state.busy:
            job, run = self._train
            job.stop()
            run.resume()  # a paused run sees the stop at once
            self._set_state(RunState.STOPPING)

    def gpu_count(self) -> int:
        """CUDA GPUs visible here; with more than one the training form offers torchrun."""
        return distributed.visible_gpus()

    def set_probes(self, sources: list[str]) -> None:
        """Probe sentences translated at every evaluation (empty: the first dev ones)."""
        self.probes = [s.strip() for s in sources if s.strip()]
        if self._train is not None:  # handed over on the training thread
            self._train[1].set_probes(self.probes)

    def shutdown(self, timeout_ms: int = 15_000) -> bool:
        """Stop every job and join its thread; True when all have ended."""
        self.lab.shutdown()
        if self._train is not None:
            self._train[1].resume()  # a paused run must reach its stop check
        ok = self.jobs.shutdown(timeout_ms)
        shutil.rmtree(self._preview_dir, ignore_errors=True)
        if not ok:
            logger.error("a worker thread did not end within %d ms", timeout_ms)
        return ok

    # ------------------------------------------------------------------ engine events
    def _on_event(self, ev: object) -> None:
        match ev:
            case LiveModel():
                self.live = ev
            case TrainStep():
                self.history.append_step(ev)
                self._progress_log.step(ev)
                self.step.emit(ev)
            case EvalResult():
                self.history.append_eval(ev)
                self._progress_log.evaluated(ev)
                self.evaluated.emit(ev)
            case TrainStart():
                self._progress_log.started(ev)
                self.run_dir = ev.run_dir
                if self.state is RunState.PREPARING:
                    self._set_state(RunState.TRAINING)
                self.device_changed.emit(ev.device)
                self.train_started.emit(ev)
            case Progress():
                self.progress.emit(ev)
            case CorpusReport():
                self.corpus_report.emit(ev)
            case CheckpointSaved():
                self.checkpoint_saved.emit(ev)
            case TrainWarning():
                logger.warning("step %d: %s", ev.step, ev.message)
                self.warning.emit(ev.message)
            case TrainFinished():
                self._progress_log.finished(ev)
                self._finished = ev
            case _:
                logger.debug("unhandled event %r", ev)

    def _on_failed(self, exc: Exception) -> None:
        self._error = describe_error(exc)
        logger.error("training failed: %s", self._error)

    def _on_training_ended(self) -> None:
        self._train = None
        if self._error is not None:
            self._set_state(RunState.FAILED)
            self.training_failed.emit(self._error)
        else:
            self._set_state(RunState.FINISHED)
            self.training_finished.emit(self._finished)
        self.refresh_runs()

    def _set_state(self, state: RunState) -> None:
        if state is not self.state:
            self.state = state
            self.state_changed.emit(state)

    # ------------------------------------------------------------------ data verbs
    def preview_corpus(self, data_cfg: Any) -> None:
        """Read the corpus and train a preview tokenizer off the GUI thread."""
        out = self._preview_dir / f"p{len(os.listdir(self._preview_dir))}"
        self._run_task(
            "preview",
            data.preview_corpus,
            data_cfg,
            out,
            on_return=self._on_preview,
            on_error=self._on_preview_failed,
        )

    def tokenize(self, text: str) -> list[tuple[str, int]]:
        """Source-side pieces and ids of ``text`` with the preview tokenizer."""
        if self._tokenizer is None:
            return []
        return data.tokenize(self._tokenizer, text)

    def builtin_corpora(self) -> list[tuple[str, str]]:
        """(label, spec) of the downloaded Tatoeba pairs, the synthetic tasks, the
        installed Qt catalogs and the built-in image corpora."""
        return (
            self.downloads.corpora() + data.builtin_corpora() + images.image_corpora()
        )

    def device_label(self, device: str) -> str:
        """e.g. "CUDA: NVIDIA H100" or "CPU (1 thread)" for the configured device."""
        return data.device_label(device, self.threads)

    def bf16_available(self, device: str) -> bool:
        """Whether ``train.device`` resolves here to a device with native bf16."""
        if device not in self._bf16:
            self._bf16[device] = data.bf16_available(device)
        return self._bf16[device]

    def cpu_count(self) -> int:
        """Logical CPUs of this machine (`s2s train` uses them all)."""
        return os.cpu_count() or 1

    def _on_preview(self, value: Any) -> None:
        if value is not None:
            preview, self._tokenizer = value
            self.preview_ready.emit(preview)

    def _on_preview_failed(self, exc: Exception) -> None:
        self._tokenizer = None
        self.preview_failed.emit(describe_error(exc))

    # ------------------------------------------------------------------ runs verbs
    def refresh_runs(self) -> None:
        self._run_task(
            "runs",
            lambda stop: runs.list_runs(self.runs_root),
            on_return=self.runs_changed.emit,
            on_error=self._on_run_failed,
        )

    def open_run(self, run_dir: str) -> None:
        """Show an old run's curves (read in a worker)."""
        if self.state.busy:
            self.run_failed.emit(
                self.tr("Stop the current training before opening another run.")
            )
            return
        self._run_task(
            "open",
            lambda stop: runs.read_metrics(run_dir),
            on_return=lambda records: self._on_run_read(run_dir, records),
            on_error=self._on_run_failed,
        )

    def _on_run_read(self, run_dir: str, records: list[dict[str, Any]]) -> None:
        self.run_dir = run_dir
        self.history.load_records(records, Path(run_dir).name)
        self.run_opened.emit(run_dir)

    def set_overlay(self, run_dir: str, shown: bool) -> None:
        """Add or remove a run's curves as an overlay on every plot."""
        if not shown:
            if self.overlays.pop(run_dir, None) is not None:
                self.overlays_changed.emit()
            return
        self._run_task(
            ("overlay", run_dir),
            lambda stop: runs.read_metrics(run_dir),
            on_return=lambda records: self._on_overlay_read(run_dir, records),
            on_error=self._on_run_failed,
        )

    def _on_overlay_read(self, run_dir: str, records: list[dict[str, Any]]) -> None:
        self.overlays[run_dir] = MetricHistory.from_records(records, Path(run_dir).name)
        self.overlays_changed.emit()

    def _on_run_failed(self, exc: Exception) -> None:
        self.run_failed.emit(describe_error(exc))

    def _run_task(
        self, kind: Hashable, fn: Callable[..., Any], *args: Any, **callbacks: Any
    ) -> None:
        """Run ``fn(should_stop, *args)`` in a job; a newer one of the same kind
        cancels it (its answer is dropped)."""
        old = self._tasks.pop(kind, None)
        if old is not None:
            old.cancel()
        self._tasks = {k: job for k, job in self._tasks.items() if not job.done}
        self._tasks[kind] = self.jobs.start(fn, *args, **callbacks)
