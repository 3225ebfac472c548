"""Workers for the lab views: a newest-request-wins job thread and a generator runner.

Same rule as ``workers.py``: results never travel as signal arguments. They wait in
a dict or a queue owned by the worker; the signal only carries a tag (str) or nothing.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from s2s_gui.mailbox import drain, ensure_pump, post
from s2s_gui.workers import describe_error

logger = logging.getLogger(__name__)

Job = Callable[[Callable[[], bool]], Any]  # fn(should_stop) -> value


class LatestWorker(QObject):
    """One long-lived thread that runs jobs one at a time, newest request first.

    At most one job runs and one waits: submitting replaces the waiting job, whose
    request is dropped unseen. The running job's ``should_stop()`` turns true as soon
    as a newer job waits, so an engine that polls it can give up early.
    """

    done = Signal(str)  # tag; the value waits in ``values[tag]``
    failed = Signal(str, str)  # tag, message
    finished = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        ensure_pump()  # posted signals are emitted on the GUI thread
        self.name = name
        self.values: dict[str, Any] = {}
        self._cond = threading.Condition()
        self._pending: tuple[str, Job] | None = None
        self._quit = False
        self.dropped = 0  # requests replaced before they ran (for tests and the log)
        self.ran = 0

    def submit(self, tag: str, job: Job) -> None:
        """Thread-safe: queue ``job``; a job still waiting is dropped."""
        with self._cond:
            if self._pending is not None:
                self.dropped += 1
            self._pending = (tag, job)
            self._cond.notify()

    def take(self, tag: str) -> Any:
        """GUI thread: the value of a finished job (None when already taken)."""
        return self.values.pop(tag, None)

    def stop(self) -> None:
        """Thread-safe: drop the waiting job and end the loop after the running one."""
        with self._cond:
            self._quit, self._pending = True, None
            self._cond.notify()

    def _newer_waiting(self) -> bool:
        return self._pending is not None or self._quit

    @Slot()
    def run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._quit:
                    self._cond.wait()
                if self._quit:
                    break
                tag, job = self._pending
                self._pending = None
            try:
                value = job(self._newer_waiting)
                self.ran += 1
                if value is not None:
                    self.values[tag] = value  # atomic dict assignment
                    post(self, "done", tag)
            except InterruptedError:
                logger.debug("%s: job %s gave way to a newer one", self.name, tag)
            except ValueError as exc:  # a request we cannot serve: say why
                logger.info("%s: %s", self.name, exc)
                post(self, "failed", tag, str(exc))
            except Exception as exc:  # report; the loop goes on
                logger.exception("%s: job %s failed", self.name, tag)
                post(self, "failed", tag, describe_error(exc))
        post(self, "finished")


class GeneratorWorker(QObject):
    """Runs ``fn(should_stop)`` -> iterator of events, queueing each one (cancellable)."""

    ready = Signal()  # new events wait in ``events``
    failed = Signal(str)
    finished = Signal()

    def __init__(self, fn: Callable[[Callable[[], bool]], Iterator[Any]]) -> None:
        super().__init__()
        ensure_pump()  # posted signals are emitted on the GUI thread
        self._fn = fn
        self.events: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._stop = threading.Event()

    @Slot()
    def run(self) -> None:
        try:
            for ev in self._fn(self._stop.is_set):
                self.events.put(ev)
                post(self, "ready")
                if self._stop.is_set():
                    break
        except InterruptedError:
            logger.info("cancelled")
        except Exception as exc:
            logger.exception("worker failed")
            post(self, "failed", describe_error(exc))
        finally:
            post(self, "finished")

    def take_events(self) -> list[Any]:
        """GUI thread: every event queued so far, oldest first."""
        return drain(self.events)

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()
