"""LabController: verbs and signals of the translate, hidden-states and evaluate views.

Owned by the AppController (``controller.lab``); its jobs run in the app's job pool.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from engine.config import DecodeConfig
from engine.events import EvalOutcome, EvalResult, Progress
from s2s_gui.gateway import data, lab, runs
from s2s_gui.gateway.jobs import Job, Latest, describe_error
from s2s_gui.gateway.lab import ModelChoice, RescoreSession, TranslatorCache
from s2s_gui.gateway.states import StatesSlot
from s2s_gui.image_controller import ImageController
from s2s_gui.lab_state import LIVE

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
        self._training = False  # a run in this process offers live weights
        self._live_step = 0
        self._decoder = Latest(app.jobs, "translate")
        self._states_worker = Latest(app.jobs, "states")
        self._rescorer = Latest(app.jobs, "rescore")
        self._states = StatesSlot()
        self._rescore = RescoreSession()
        self._request = 0
        self._pending: Callable[[], None] | None = None
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self._submit_translation)
        self._eval: Job | None = None
        app.runs_changed.connect(self._on_runs_changed)
        app.train_started.connect(self._on_train_started)
        app.evaluated.connect(self._on_evaluated)
        self.images = ImageController(self, app.jobs)  # captions and thumbnails

    # ------------------------------------------------------------------ models
    def choose(self, runs: Sequence[str]) -> None:
        """Decode with these run dirs (an ensemble when several) or ``[LIVE]``."""
        self.chosen = tuple(runs)
        self.models_changed.emit(self.choice().label)

    def choice(self, int8: bool = False) -> ModelChoice:
        """The chosen model(s); ``int8``: decoded on the CPU with 8-bit weights."""
        live = self._app.live
        if self.chosen == (LIVE,) and live is not None:
            name = Path(live.run_dir).name
            label = self.tr("live: {name} (step {step:,})").format(
                name=name, step=self._live_step
            )
            choice = ModelChoice((), live, label)
        else:
            runs = tuple(r for r in self.chosen if r != LIVE)
            names = " + ".join(Path(r).name for r in runs)
            choice = ModelChoice(runs, None, names or self.tr("no model chosen"))
        if not int8:
            return choice
        label = self.tr("{model}, 8-bit on the CPU").format(model=choice.label)
        return replace(choice, int8=True, label=label)

    @property
    def int8_available(self) -> bool:
        """Whether this PyTorch build can decode with 8-bit weights (x86/fbgemm)."""
        return data.int8_available()

    @property
    def live_available(self) -> bool:
        return self._app.live is not None

    def _on_runs_changed(self, summaries: list) -> None:
        self.runs = [r for r in summaries if runs.has_weights(r.path)]
        self.runs_available.emit(self.runs)
        if not self.chosen and self.runs:
            self.choose([self.runs[0].path])

    def _on_train_started(self, _ev: object) -> None:
        self.choose([LIVE])

    def _on_evaluated(self, ev: EvalResult) -> None:
        # the training thread published a snapshot of these weights just before
        self._live_step = ev.step
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
            return lab.translate(
                self.cache, choice, request, texts, cfg, reference, ref_index, stop
            )

        self._pending = lambda: self._decoder.submit(
            job, self._on_translated, self._on_translate_failed
        )
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
        if value.request == self._request:  # asked again while this one ran
            self.translated.emit(value)

    def _on_translate_failed(self, exc: Exception) -> None:
        self.translate_failed.emit(_message(exc))

    # ------------------------------------------------------------------ hidden states
    def compute_states(self, pairs: Sequence[tuple[str, str]], basis: str) -> None:
        """Project (sentence, group) pairs; the plane stays until refresh_states()."""
        self._project_states(list(pairs), basis, refit=False)

    def refresh_states(self, pairs: Sequence[tuple[str, str]], basis: str) -> None:
        """Latest weights of the chosen model, and a plane fitted anew."""
        self._project_states(list(pairs), basis, refit=True)

    def _project_states(self, pairs: list, basis: str, refit: bool) -> None:
        slot, choice = self._states, self.choice()

        def job(stop: Callable[[], bool]) -> Any:
            translator = lambda: self.cache.get(choice)  # noqa: E731
            return slot.project(translator, choice, pairs, basis, refit, stop)

        self._states_worker.submit(job, self.states_ready.emit, self._states_failed)

    def select_point(self, sentence: str) -> None:
        slot = self._states
        self._states_worker.submit(
            lambda stop: slot.point_info(sentence, stop),
            self.point_ready.emit,
            self._states_failed,
        )

    def export_states_csv(self, path: str, result: Any) -> None:
        """Write the shown points (small: done on the GUI thread)."""
        self._states.write_csv(path, result)

    def _states_failed(self, exc: Exception) -> None:
        self.states_failed.emit(_message(exc))

    # ------------------------------------------------------------------ evaluate
    def start_evaluation(
        self, test: str, cfg: DecodeConfig, limit: int = 0, int8: bool = False
    ) -> None:
        """Evaluate the chosen model on ``test`` ("dev" or a file) in a worker."""
        self.cancel_evaluation()
        choice = self.choice(int8)
        self._eval = self._app.jobs.start(
            lab.evaluation,
            self.cache,
            choice,
            test,
            cfg,
            limit,
            on_yield=self._on_eval_event,
            on_error=self._on_eval_failed,
            on_finish=self._on_eval_finished,
        )
        self.eval_running.emit(True)

    def cancel_evaluation(self) -> None:
        if self._eval is not None:
            self._eval.stop()

    @property
    def evaluating(self) -> bool:
        return self._eval is not None

    def _on_eval_event(self, ev: object) -> None:
        match ev:
            case EvalOutcome():
                self.eval_finished.emit(ev)
            case Progress():
                self.eval_progress.emit(ev)

    def _on_eval_failed(self, exc: Exception) -> None:
        self.eval_stopped.emit(describe_error(exc))

    def _on_eval_finished(self) -> None:
        if self._eval is not None and self._eval.stopped:
            self.eval_stopped.emit("cancelled")
        self._eval = None
        self.eval_running.emit(False)

    # ------------------------------------------------------------------ rescore
    def load_nbest(self, nbest: str, source: str, reference: str) -> None:
        session = self._rescore
        self._rescorer.submit(
            lambda stop: session.load(nbest, source, reference),
            self.nbest_loaded.emit,
            self._rescore_failed,
        )

    def demo_nbest(self) -> None:
        """A synthetic n-best list from the model's beam on the dev split."""
        session, choice = self._rescore, self.choice()

        def job(stop: Callable[[], bool]) -> Any:
            pairs = lab.demo_pairs(choice)
            return session.synthetic(self.cache.get(choice), pairs)

        self._rescorer.submit(job, self.nbest_loaded.emit, self._rescore_failed)

    def rerank(self, weights: tuple[float, float]) -> None:
        session, choice = self._rescore, self.choice()
        self._rescorer.submit(
            lambda stop: lab.rerank(session, self.cache.get(choice), weights, stop),
            self.rescored.emit,
            self._rescore_failed,
        )

    def _rescore_failed(self, exc: Exception) -> None:
        self.rescore_failed.emit(_message(exc))

    def shutdown(self) -> None:
        """Drop waiting requests; the app's job pool stops and joins the jobs."""
        self._debounce.stop()
        self._pending = None
        for latest in (self._decoder, self._states_worker, self._rescorer):
            latest.clear()
        self.images.shutdown()


def _message(exc: Exception) -> str:
    """A request the engine cannot serve says why in a ValueError's own words."""
    return str(exc) if isinstance(exc, ValueError) else describe_error(exc)
