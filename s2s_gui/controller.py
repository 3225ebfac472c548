"""AppController: the single façade between widgets and the engine; owns the threads."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Qt, QThread, Signal, Slot

from engine.config import Config, load_config
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
from s2s_gui import distributed_runner, workers
from s2s_gui.lab_controller import LabController
from s2s_gui.state import MetricHistory, RunState
from s2s_gui.workers import TaskWorker, TrainWorker

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
    """Verbs for the widgets, typed signals back; the only owner of worker threads."""

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
        self._values: dict[str, tuple[Any]] = {}  # task results by tag, until delivered
        self.state = RunState.IDLE
        self.run_dir: str | None = None
        self.threads = gui_threads()
        self._train: tuple[QThread, TrainWorker] | None = None
        self._tasks: list[tuple[QThread, TaskWorker]] = []
        self._current: dict[str, str] = {}  # task kind -> tag of the newest request
        self._seq = 0
        self._finished: TrainFinished | None = None
        self._error: str | None = None
        self._preview_dir = Path(tempfile.mkdtemp(prefix="s2s-preview-"))
        self._tokenizer: Any = None
        self.probes: list[str] = []  # probe sentences for the next evaluations
        self.lab = LabController(self)  # translate, hidden states, evaluate
        workers.preload_engine()  # imports hold the GIL: do them now, not mid-run

    # ------------------------------------------------------------------ training verbs
    def new_run_dir(self, cfg: Config) -> Path:
        """A fresh folder under ``runs_root`` named after time, corpus and model."""
        corpus = re.sub(r"[^A-Za-z0-9]+", "-", cfg.data.train.split("?")[0]).strip("-")
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        base = self.runs_root / f"{stamp}-{corpus[-24:]}-{cfg.model.cell}"
        path, n = base, 1
        while path.exists():
            n += 1
            path = base.with_name(f"{base.name}-{n}")
        return path

    def start_training(
        self, cfg: Config, run_dir: str | Path | None = None, gpus: int = 1
    ) -> str:
        """Train ``cfg`` in ``run_dir`` (a new folder under runs_root by default).

        ``gpus`` > 1 runs a torchrun job in a subprocess, one process per GPU, and
        follows its metrics.jsonl (no pause, no live snapshots for translation).
        """
        run_dir = Path(run_dir) if run_dir else self.new_run_dir(cfg)
        if gpus > 1:
            job = distributed_runner.DistributedRunWorker(cfg, run_dir, gpus)
            self._launch(None, run_dir, job)
            return str(run_dir)
        probes = list(self.probes)
        self._launch(lambda: workers.make_trainer(cfg, run_dir, False, probes), run_dir)
        return str(run_dir)

    def resume_run(self, run_dir: str | Path, max_steps: int | None = None) -> None:
        """Continue a stopped run from its last checkpoint (its own config wins)."""
        cfg = load_config(Path(run_dir) / "config.toml")
        if max_steps is not None:
            cfg = workers.with_limits(cfg, max_steps)
        probes = list(self.probes)
        self._launch(
            lambda: workers.make_trainer(cfg, run_dir, True, probes), Path(run_dir)
        )
        self.history.load_records(workers.read_metrics(run_dir), Path(run_dir).name)

    def _launch(
        self, make_trainer: Callable[[], Any] | None, run_dir: Path, worker: Any = None
    ) -> None:
        if self.state.busy:
            raise RuntimeError("a training run is already in progress")
        self.run_dir, self._finished, self._error = str(run_dir), None, None
        self.history.clear()
        if worker is None:
            worker = TrainWorker(make_trainer, threads=self.threads)
        thread = QThread(self)
        thread.setObjectName("train")
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.ready.connect(self._drain_events)
        worker.failed.connect(self._on_failed)
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(self._on_train_thread_finished)
        self._train = (thread, worker)
        self._set_state(RunState.PREPARING)
        thread.start()
        logger.info("training in %s", run_dir)

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
            self._train[1].stop()
            self._set_state(RunState.STOPPING)

    def gpu_count(self) -> int:
        """CUDA GPUs visible here; with more than one the training form offers torchrun."""
        return distributed_runner.visible_gpus()

    def set_probes(self, sources: list[str]) -> None:
        """Probe sentences translated at every evaluation (empty: the first dev ones)."""
        self.probes = [s.strip() for s in sources if s.strip()]
        trainer = self.current_trainer()
        if trainer is not None:  # thread-safe; used from the next evaluation on
            trainer.set_probes(self.probes)

    def current_trainer(self) -> Any:
        """The Trainer of the running training (None before it is built)."""
        return getattr(self._train[1], "trainer", None) if self._train else None

    def shutdown(self, timeout_ms: int = 15_000) -> bool:
        """Stop every worker and join its thread; True when all have ended."""
        ok = self.lab.shutdown(timeout_ms)
        threads = [t for t, _ in self._tasks]
        for _, worker in self._tasks:
            worker.stop()
        if self._train:
            self._train[1].stop()
            threads.append(self._train[0])
        for thread in threads:
            thread.quit()  # exec() returns as soon as the worker's run() does
            ok = thread.wait(timeout_ms) and ok
        shutil.rmtree(self._preview_dir, ignore_errors=True)
        if not ok:
            logger.error("a worker thread did not end within %d ms", timeout_ms)
        return ok

    # ------------------------------------------------------------------ engine events
    @Slot()
    def _drain_events(self) -> None:
        if self._train:
            for ev in self._train[1].take_events():
                self._on_event(ev)

    def _on_event(self, ev: object) -> None:
        match ev:
            case TrainStep():
                self.history.append_step(ev)
                self.step.emit(ev)
            case EvalResult():
                self.history.append_eval(ev)
                self.evaluated.emit(ev)
            case TrainStart():
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
                self._finished = ev
            case _:
                logger.debug("unhandled event %r", ev)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._error = message

    @Slot()
    def _on_train_thread_finished(self) -> None:
        self._drain_events()
        thread, worker = self._train
        self._train = None
        worker.deleteLater()
        thread.deleteLater()
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
            "preview", lambda stop: workers.preview_corpus(data_cfg, out, stop)
        )

    def tokenize(self, text: str) -> list[tuple[str, int]]:
        """Source-side pieces and ids of ``text`` with the preview tokenizer."""
        if self._tokenizer is None:
            return []
        return workers.tokenize(self._tokenizer, text)

    def builtin_corpora(self) -> list[tuple[str, str]]:
        """(label, spec) of the synthetic tasks and the installed Qt catalogs."""
        return workers.builtin_corpora()

    def device_label(self, device: str) -> str:
        """e.g. "CUDA: NVIDIA H100" or "CPU (1 threads)" for the configured device."""
        return workers.device_label(device, self.threads)

    # ------------------------------------------------------------------ runs verbs
    def refresh_runs(self) -> None:
        self._run_task("runs", lambda stop: workers.list_runs(self.runs_root))

    def open_run(self, run_dir: str) -> None:
        """Show an old run's curves (read in a worker)."""
        if self.state.busy:
            self.run_failed.emit(
                self.tr("Stop the current training before opening another run.")
            )
            return
        self._run_task("open", lambda stop: (run_dir, workers.read_metrics(run_dir)))

    def set_overlay(self, run_dir: str, shown: bool) -> None:
        """Add or remove a run's curves as an overlay on every plot."""
        if not shown:
            if self.overlays.pop(run_dir, None) is not None:
                self.overlays_changed.emit()
            return
        self._run_task(
            f"overlay:{run_dir}", lambda stop: (run_dir, workers.read_metrics(run_dir))
        )

    # ------------------------------------------------------------------ task plumbing
    def _run_task(self, kind: str, fn: Callable[[Callable[[], bool]], Any]) -> None:
        """Run ``fn`` on a new thread; a newer task of the same kind supersedes it."""
        self._seq += 1
        tag = f"{kind}#{self._seq}"
        for _, old in self._tasks:
            if old.tag.startswith(f"{kind}#"):
                old.stop()  # its result will be ignored; the thread ends on its own
        self._current[kind] = tag
        worker = TaskWorker(tag, fn, self._values)
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.result.connect(self._on_task_done)
        worker.failed.connect(self._on_task_failed)
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(self._reap_tasks)
        self._tasks.append((thread, worker))
        thread.start()

    @Slot()
    def _reap_tasks(self) -> None:
        for thread, worker in [e for e in self._tasks if e[0].isFinished()]:
            self._tasks.remove((thread, worker))
            worker.deleteLater()
            thread.deleteLater()

    def _is_current(self, tag: str) -> str | None:
        kind = tag.partition("#")[0]
        return kind if self._current.get(kind) == tag else None

    @Slot(str)
    def _on_task_done(self, tag: str) -> None:
        # The thread may already be reaped; the value was kept aside under its tag.
        value = self._values.pop(tag, None)
        if value is not None:
            self._on_task_result(tag, value[0])

    def _on_task_result(self, tag: str, value: Any) -> None:
        kind = self._is_current(tag)
        if kind == "preview":
            preview, self._tokenizer = value
            self.preview_ready.emit(preview)
        elif kind == "runs":
            self.runs_changed.emit(value)
        elif kind == "open":
            run_dir, records = value
            self.run_dir = run_dir
            self.history.load_records(records, Path(run_dir).name)
            self.run_opened.emit(run_dir)
        elif kind is not None and kind.startswith("overlay:"):
            run_dir, records = value
            self.overlays[run_dir] = MetricHistory.from_records(
                records, Path(run_dir).name
            )
            self.overlays_changed.emit()

    @Slot(str, str)
    def _on_task_failed(self, tag: str, message: str) -> None:
        kind = self._is_current(tag)
        if kind is None:
            return
        if kind == "preview":
            self._tokenizer = None
            self.preview_failed.emit(message)
        else:
            self.run_failed.emit(message)
