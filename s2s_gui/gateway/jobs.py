"""One way to run engine work off the GUI thread: superqt workers on an owned pool."""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Slot
from superqt.utils import FunctionWorker, GeneratorWorker, create_worker

logger = logging.getLogger(__name__)
translate = QCoreApplication.translate  # thread-safe; lupdate collects the calls

Stop = Callable[[], bool]
Callback = Callable[[Any], None]


def describe_error(exc: BaseException) -> str:
    """A message a person can act on; engine errors already name file and line."""
    text = str(exc) or type(exc).__name__
    if "out of memory" in text.lower():
        return translate(
            "Workers",
            "The device ran out of memory. Try a smaller batch size, a token budget, "
            "a smaller model or the CPU.\n\n({text})",
        ).format(text=text)
    name = type(exc).__name__
    if name in ("DataError", "ConfigError", "FileNotFoundError", "TorchrunFailed"):
        return text
    return f"{name}: {text}"


class _RunWithoutWarningCapture:
    """superqt's ``WorkerBase.run`` minus its ``warnings.catch_warnings()``.

    ``catch_warnings`` swaps the process-wide filters and ``warnings.showwarning``;
    from two overlapping workers the first to end restores the state the second
    saved, so the second's capture stays installed for the whole process and every
    later warning, from any thread, goes to a finished worker's signal unseen.
    Warnings here take the logging path every other thread uses.
    """

    def run(self) -> None:
        self.started.emit()
        self._running = True
        try:
            result = self.work()
            if isinstance(result, Exception):
                raise result
            if not self.abort_requested:
                self.returned.emit(result)
        except Exception as exc:
            self.errored.emit(exc)
        self._running = False
        self.finished.emit()
        self._finished.emit(self)


class _FunctionWorker(_RunWithoutWarningCapture, FunctionWorker):
    pass


class _GeneratorWorker(_RunWithoutWarningCapture, GeneratorWorker):
    pass


class Job(QObject):
    """One piece of engine work on a pool thread; callbacks run on the GUI thread.

    ``fn(should_stop, *args)`` is a function or a generator function. Its yielded
    values go to ``on_yield``, its return value to ``on_return`` and an exception
    to ``on_error``; ``on_finish`` runs last, always. ``stop()`` turns
    ``should_stop`` true (the engine polls it between batches and beam steps);
    ``cancel()`` also drops everything the job reports from then on. Neither calls
    superqt's ``quit()``: that would leave an engine generator suspended at a yield,
    its ``finally`` blocks run later by the garbage collector on the GUI thread; the
    engine ends at its next ``should_stop`` check instead, on its own thread.
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_yield: Callback | None = None,
        on_return: Callback | None = None,
        on_error: Callback | None = None,
        on_finish: Callable[[], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self.cancelled = False
        self._callbacks = (on_yield, on_return, on_error, on_finish)
        generator = _is_generator_function(fn)
        self.worker = create_worker(
            fn,
            self._stop.is_set,
            *args,
            _start_thread=False,
            _ignore_errors=True,
            _worker_class=_GeneratorWorker if generator else _FunctionWorker,
        )
        # Bound slots of a QObject that lives on the GUI thread: queued connections.
        if generator:
            self.worker.yielded.connect(self._on_yielded)
        self.worker.returned.connect(self._on_returned)
        self.worker.errored.connect(self._on_errored)
        self.worker.finished.connect(self._on_finished)
        self.done = False

    @property
    def should_stop(self) -> Stop:
        return self._stop.is_set

    @property
    def running(self) -> bool:
        """Whether the worker thread is inside the job now (thread-safe)."""
        return self.worker.is_running

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        """Thread-safe: ask the engine to end early; what it still reports arrives."""
        self._stop.set()

    def cancel(self) -> None:
        """GUI thread: stop, and drop every result and error still to come."""
        self.cancelled = True
        self._stop.set()

    @Slot(object)
    def _on_yielded(self, value: Any) -> None:
        if not self.cancelled and self._callbacks[0] is not None:
            self._callbacks[0](value)

    @Slot(object)
    def _on_returned(self, value: Any) -> None:
        if not self.cancelled and self._callbacks[1] is not None:
            self._callbacks[1](value)

    @Slot(object)
    def _on_errored(self, exc: Exception) -> None:
        if isinstance(exc, InterruptedError):  # the engine gave way to should_stop
            logger.debug("job stopped: %s", exc)
        elif not self.cancelled:
            logger.error("job failed", exc_info=exc)
            if self._callbacks[2] is not None:
                self._callbacks[2](exc)

    @Slot()
    def _on_finished(self) -> None:
        self.done = True
        if self._callbacks[3] is not None:
            self._callbacks[3]()
        pool = self.parent()
        if isinstance(pool, JobPool):
            pool.forget(self)


def _is_generator_function(fn: Callable[..., Any]) -> bool:
    target = getattr(fn, "func", fn)  # functools.partial
    return inspect.isgeneratorfunction(target)


class JobPool(QObject):
    """Owns the threads that run jobs; ``shutdown()`` stops and joins them all.

    A pool of its own, not Qt's global one: a training run holds a thread for
    hours, and the global pool has only as many threads as cores.
    """

    def __init__(self, parent: QObject | None = None, max_threads: int = 32) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._jobs: set[Job] = set()

    def start(self, fn: Callable[..., Any], *args: Any, **callbacks: Any) -> Job:
        """Run ``fn(should_stop, *args)`` on a pool thread (see :class:`Job`)."""
        job = Job(fn, *args, parent=self, **callbacks)
        # Python owns the worker: Qt's pool would delete it after run() while the
        # Job (and shiboken) still hold it. Qt reads autoDelete before run(), so the
        # last reference may go as soon as the worker has emitted ``finished``.
        job.worker.setAutoDelete(False)
        self._jobs.add(job)
        self._pool.start(job.worker)
        return job

    def forget(self, job: Job) -> None:
        self._jobs.discard(job)
        job.deleteLater()

    @property
    def active(self) -> int:
        return len(self._jobs)

    def shutdown(self, timeout_ms: int) -> bool:
        """Cancel every job and wait for its thread; True when all have ended."""
        for job in list(self._jobs):
            job.cancel()
        return self._pool.waitForDone(timeout_ms)


class Latest(QObject):
    """As-you-type work: one job runs at a time and at most one waits.

    A new request replaces the waiting one (dropped unseen) and turns the running
    job's ``should_stop`` true, so an engine that polls it gives up early. An
    answer is delivered unless a newer request for the same callback was made
    after it: older answers are stale.
    """

    def __init__(self, pool: JobPool, name: str) -> None:
        super().__init__(pool)
        self._pool, self.name = pool, name
        self._running: Job | None = None
        self._waiting: tuple[Callable[[Stop], Any], Callback, Callback] | None = None
        self._newest: dict[Callback, object] = {}  # callback -> its newest request
        self.dropped = 0  # requests replaced before they ran
        self.ran = 0

    @property
    def waiting(self) -> bool:
        return self._waiting is not None

    def submit(
        self, fn: Callable[[Stop], Any], on_done: Callback, on_error: Callback
    ) -> None:
        """GUI thread: run ``fn(should_stop)`` after the running job."""
        request = object()
        self._newest[on_done] = request
        if self._waiting is not None:
            self.dropped += 1
        self._waiting = (fn, self._deliver(request, on_done), on_error)
        if self._running is None:
            self._next()
        else:
            self._running.stop()

    def _deliver(self, request: object, on_done: Callback) -> Callback:
        def deliver(value: Any) -> None:
            if value is not None and self._newest.get(on_done) is request:
                on_done(value)

        return deliver

    def _next(self) -> None:
        if self._waiting is None:
            self._running = None
            return
        (fn, on_done, on_error), self._waiting = self._waiting, None
        self.ran += 1
        self._running = self._pool.start(
            fn, on_return=on_done, on_error=on_error, on_finish=self._next
        )

    def clear(self) -> None:
        """Drop the waiting request and stop the running one."""
        self._waiting = None
        if self._running is not None:
            self._running.cancel()
