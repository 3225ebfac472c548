"""LabController: verbs and signals of the translate, hidden-states and evaluate views.

Owned by the AppController (``controller.lab``); it owns the lab's worker threads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from engine.config import DecodeConfig
from engine.events import EvalResult, Progress
from s2s_gui import lab_jobs
from s2s_gui.lab_jobs import ModelChoice, RescoreSession, TranslatorCache
from s2s_gui.lab_state import LIVE, EvalOutcome
from s2s_gui.lab_workers import GeneratorWorker, LatestWorker
from s2s_gui.states_jobs import StatesSession

logger = logging.getLogger(__name__)

DEBOUNCE_MS = 250


class LabController(QObject):
    """Model choice, translation as you type, hidden states, evaluation, rescoring."""

    models_changed = Signal(str)  # a label for the chosen model(s)
    runs_available = Signal(object)  # list[RunSummary] that hold weights
    translated = Signal(object)  # TranslateResult
    translate_failed = Signal(str)
    states_ready = Signal(object)  # StatesResult
    point_ready = Signal(object)  # PointInfo
    states_failed = Signal(str)
    eval_progress = Signal(object)  # Progress
    eval_finished = Signal(object)  # EvalOutcome
    eval_stopped = Signal(str)  # "cancelled" or an error message
    eval_running = Signal(bool)
    rescored = Signal(object)  # RescoreOutcome
    nbest_loaded = Signal(int)  # lists
    rescore_failed = Signal(str)

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self._app = app
        self.cache = TranslatorCache()
        self.runs: list[Any] = []
        self.chosen: tuple[str, ...] = ()  # run dirs, or (LIVE,)
        self._trainer: Any = None
        self._version, self._live_step = 0, 0
        self._threads: list[tuple[QThread, QObject]] = []
        self._workers: dict[str, LatestWorker] = {}
        self._decoder = self._start_latest("translate")
        self._states_worker = self._start_latest("states")
        self._rescorer = self._start_latest("rescore")
        self._states = StatesSession()
        self._rescore = RescoreSession()
        self._request = 0
        self._pending: Callable[[], None] | None = None
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self._submit_translation)
        self._eval: tuple[QThread, GeneratorWorker] | None = None
        app.runs_changed.connect(self._on_runs_changed)
        app.train_started.connect(self._on_train_started)
        app.evaluated.connect(self._on_evaluated)

    # ------------------------------------------------------------------ models
    def choose(self, runs: Sequence[str]) -> None:
        """Decode with these run dirs (an ensemble when several) or ``[LIVE]``."""
        self.chosen = tuple(runs)
        self.models_changed.emit(self.choice().label)

    def choice(self, int8: bool = False) -> ModelChoice:
        """The chosen model(s); ``int8``: decoded on the CPU with 8-bit weights."""
        if self.chosen == (LIVE,) and self._trainer is not None:
            name = Path(self._trainer.run_dir).name
            label = self.tr("live: {name} (step {step:,})").format(
                name=name, step=self._live_step
            )
            choice = ModelChoice((), self._trainer, self._version, label)
        else:
            runs = tuple(r for r in self.chosen if r != LIVE)
            names = " + ".join(Path(r).name for r in runs)
            choice = ModelChoice(runs, None, 0, names or self.tr("no model chosen"))
        if not int8:
            return choice
        label = self.tr("{model}, 8-bit on the CPU").format(model=choice.label)
        return replace(choice, int8=True, label=label)

    @property
    def int8_available(self) -> bool:
        """Whether this PyTorch build can decode with 8-bit weights (x86/fbgemm)."""
        from engine.quantize import int8_available

        return int8_available()

    @property
    def live_available(self) -> bool:
        return self._trainer is not None

    def _on_runs_changed(self, runs: list) -> None:
        self.runs = [r for r in runs if lab_jobs.has_weights(r.path)]
        self.runs_available.emit(self.runs)
        if not self.chosen and self.runs:
            self.choose([self.runs[0].path])

    def _on_train_started(self, _ev: object) -> None:
        self._trainer = self._app.current_trainer()
        self._version += 1
        self.choose([LIVE])

    def _on_evaluated(self, ev: EvalResult) -> None:
        # a fresh snapshot is taken on the next request, never per keystroke
        self._version, self._live_step = self._version + 1, ev.step
        if self.chosen == (LIVE,):
            self.models_changed.emit(self.choice().label)

    # ------------------------------------------------------------------ translate
    def translate(
        self,
        texts: Sequence[str],
        cfg: DecodeConfig,
        reference: str = "",
        ref_index: int = 0,
        debounce: bool = True,
        int8: bool = False,
    ) -> int:
        """Ask for translations; returns the request number its result will carry."""
        self._request += 1
        request, choice, texts = self._request, self.choice(int8), list(texts)

        def job(stop: Callable[[], bool]) -> Any:
            return lab_jobs.translate(
                self.cache, choice, request, texts, cfg, reference, ref_index, stop
            )

        self._pending = lambda: self._decoder.submit(f"translate:{request}", job)
        if debounce:
            self._debounce.start()
        else:
            self._submit_translation()
        return request

    def _submit_translation(self) -> None:
        self._debounce.stop()
        if self._pending is not None:
            self._pending, submit = None, self._pending
            submit()

    @property
    def dropped_requests(self) -> int:
        return self._decoder.dropped

    def _on_translated(self, value: Any) -> None:
        if value.request == self._request:  # older answers are stale
            self.translated.emit(value)

    # ------------------------------------------------------------------ hidden states
    def compute_states(self, pairs: Sequence[tuple[str, str]], basis: str) -> None:
        """Project (sentence, group) pairs; the plane stays until refresh_states()."""
        pairs, session = list(pairs), self._states
        choice = self.choice()

        key = (choice.runs, id(choice.trainer))  # not the live version: points stay

        def job(stop: Callable[[], bool]) -> Any:
            if session.key != key or session.basis != basis:
                tr = self.cache.get(choice)
                session.reset(tr, choice.label, choice.run_dir, basis, key)
            return session.project(pairs, stop)

        self._states_worker.submit("states:plot", job)

    def refresh_states(self, pairs: Sequence[tuple[str, str]], basis: str) -> None:
        """Latest weights of the chosen model, and a plane fitted anew."""
        pairs, session, choice = list(pairs), self._states, self.choice()
        key = (choice.runs, id(choice.trainer))

        def job(stop: Callable[[], bool]) -> Any:
            tr = self.cache.get(choice)
            session.reset(tr, choice.label, choice.run_dir, basis, key)
            return session.project(pairs, stop)

        self._states_worker.submit("states:plot", job)

    def select_point(self, sentence: str) -> None:
        session = self._states
        self._states_worker.submit(
            "states:point", lambda stop: session.point_info(sentence, stop=stop)
        )

    def export_states_csv(self, path: str, result: Any) -> None:
        """Write the shown points (small: done on the GUI thread)."""
        self._states.write_csv(path, result)

    def _on_states_done(self, value: Any) -> None:
        if hasattr(value, "points"):
            self.states_ready.emit(value)
        else:
            self.point_ready.emit(value)

    # ------------------------------------------------------------------ evaluate
    def start_evaluation(
        self, test: str, cfg: DecodeConfig, limit: int = 0, int8: bool = False
    ) -> None:
        """Evaluate the chosen model on ``test`` ("dev" or a file) in a worker."""
        self.cancel_evaluation()
        choice = self.choice(int8)
        worker = GeneratorWorker(
            lambda stop: lab_jobs.evaluation(self.cache, choice, test, cfg, limit, stop)
        )
        thread = self._wire(worker, "evaluate")
        worker.ready.connect(self._drain_eval)
        worker.failed.connect(self._on_eval_failed)
        worker.finished.connect(self._on_eval_finished)
        self._eval = (thread, worker)
        thread.start()
        self.eval_running.emit(True)

    def cancel_evaluation(self) -> None:
        if self._eval is not None:
            self._eval[1].stop()

    @property
    def evaluating(self) -> bool:
        return self._eval is not None

    @Slot()
    def _drain_eval(self) -> None:
        if self._eval is None:
            return
        for ev in self._eval[1].take_events():
            if isinstance(ev, EvalOutcome):
                self.eval_finished.emit(ev)
            elif isinstance(ev, Progress):
                self.eval_progress.emit(ev)

    @Slot(str)
    def _on_eval_failed(self, message: str) -> None:
        self.eval_stopped.emit(message)

    @Slot()
    def _on_eval_finished(self) -> None:
        self._drain_eval()
        if self._eval is not None:
            thread, worker = self._eval
            if worker.stopped:
                self.eval_stopped.emit("cancelled")
            self._eval = None
            self._threads.remove((thread, worker))
            thread.quit()
            thread.wait(2_000)  # run() has returned; the thread is ending
            worker.deleteLater()
            thread.deleteLater()
        self.eval_running.emit(False)

    # ------------------------------------------------------------------ rescore
    def load_nbest(self, nbest: str, source: str, reference: str) -> None:
        session = self._rescore
        self._rescorer.submit(
            "rescore:load",
            lambda stop: ("loaded", session.load(nbest, source, reference)),
        )

    def demo_nbest(self) -> None:
        """A synthetic n-best list from the model's beam on the dev split."""
        session, choice = self._rescore, self.choice()

        def job(stop: Callable[[], bool]) -> Any:
            pairs = lab_jobs.demo_pairs(choice)
            return ("loaded", session.synthetic(self.cache.get(choice), pairs))

        self._rescorer.submit("rescore:load", job)

    def rerank(self, weights: tuple[float, float]) -> None:
        session, choice = self._rescore, self.choice()
        self._rescorer.submit(
            "rescore:rerank",
            lambda stop: session.rerank(self.cache.get(choice), weights, stop),
        )

    def _on_rescored(self, value: Any) -> None:
        if isinstance(value, tuple):
            self.nbest_loaded.emit(value[1])
        else:
            self.rescored.emit(value)

    # ------------------------------------------------------------------ threads
    def _wire(self, worker: QObject, name: str) -> QThread:
        thread = QThread(self)
        thread.setObjectName(name)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        self._threads.append((thread, worker))
        return thread

    def _start_latest(self, name: str) -> LatestWorker:
        worker = LatestWorker(name)
        thread = self._wire(worker, name)
        worker.done.connect(self._on_job_done)  # queued: runs on the GUI thread
        worker.failed.connect(self._on_job_failed)
        self._workers[name] = worker
        thread.start()
        return worker

    @Slot(str)
    def _on_job_done(self, tag: str) -> None:
        name = tag.partition(":")[0]
        value = self._workers[name].take(tag)
        if value is None:
            return
        {
            "translate": self._on_translated,
            "states": self._on_states_done,
            "rescore": self._on_rescored,
        }[name](value)

    @Slot(str, str)
    def _on_job_failed(self, tag: str, message: str) -> None:
        {
            "translate": self.translate_failed,
            "states": self.states_failed,
            "rescore": self.rescore_failed,
        }[tag.partition(":")[0]].emit(message)

    def shutdown(self, timeout_ms: int = 15_000) -> bool:
        """Stop every lab worker and join its thread."""
        self._debounce.stop()
        for _, worker in self._threads:
            worker.stop()  # type: ignore[attr-defined]
        ok = True
        for thread, _ in self._threads:
            thread.quit()
            ok = thread.wait(timeout_ms) and ok
        return ok
