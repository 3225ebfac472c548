"""The gateway's one way to run engine work: jobs, latest-wins requests, shutdown."""

from __future__ import annotations

import threading
import time
import warnings

import pytest

from s2s_gui.gateway.jobs import JobPool, Latest


@pytest.fixture
def pool(qtbot):
    jobs = JobPool()
    yield jobs
    assert jobs.shutdown(5_000)


def test_a_generator_yields_then_returns_on_the_gui_thread(qtbot, pool):
    gui = threading.get_ident()
    seen = []

    def count(should_stop, n):
        yield from range(n)
        return "done"

    def record(kind):
        return lambda value: seen.append((kind, value, threading.get_ident() == gui))

    pool.start(
        count, 3, on_yield=record("y"), on_return=record("r"),
        on_finish=lambda: seen.append("end"),
    )  # fmt: skip
    qtbot.waitUntil(lambda: "end" in seen, timeout=5_000)
    assert seen == [("y", 0, True), ("y", 1, True), ("y", 2, True), ("r", "done", True),
                    "end"]  # fmt: skip
    assert pool.active == 0


def test_cancel_stops_the_engine_and_drops_its_answer(qtbot, pool):
    started, answers, ended = threading.Event(), [], []

    def wait_for_stop(should_stop):
        started.set()
        while not should_stop():
            time.sleep(0.001)
        return "late"

    job = pool.start(wait_for_stop, on_return=answers.append,
                     on_finish=lambda: ended.append(True))  # fmt: skip
    assert started.wait(5)
    job.cancel()
    qtbot.waitUntil(lambda: bool(ended), timeout=5_000)
    assert answers == [] and job.stopped and not job.running


def test_an_error_reaches_on_error_and_a_stop_request_is_not_one(qtbot, pool):
    errors, ended = [], []

    def fail(should_stop):
        raise ValueError("no model chosen")

    def give_way(should_stop):
        raise InterruptedError  # what the engine raises when should_stop() turned true

    pool.start(fail, on_error=errors.append, on_finish=lambda: ended.append(1))
    pool.start(give_way, on_error=errors.append, on_finish=lambda: ended.append(2))
    qtbot.waitUntil(lambda: len(ended) == 2, timeout=5_000)
    assert [str(e) for e in errors] == ["no model chosen"]


def test_shutdown_stops_and_joins_every_job(qtbot):
    pool = JobPool()
    running = threading.Barrier(4)

    def until_stopped(should_stop):
        running.wait(5)
        while not should_stop():
            time.sleep(0.001)

    jobs = [pool.start(until_stopped) for _ in range(3)]
    running.wait(5)
    assert all(job.running for job in jobs)
    assert pool.shutdown(5_000)
    assert not any(job.running for job in jobs)


class _Answers:
    def __init__(self) -> None:
        self.values: list[int] = []

    def take(self, value: int) -> None:
        self.values.append(value)


def test_latest_runs_the_newest_request_and_drops_stale_answers(qtbot, pool):
    latest = Latest(pool, "test")
    answers, errors = _Answers(), []
    gate = threading.Event()
    stopped_early = []

    def first(should_stop):
        gate.wait(5)
        stopped_early.append(should_stop())  # a newer request waits
        return 0

    latest.submit(first, answers.take, errors.append)
    for i in range(1, 6):
        latest.submit(lambda stop, i=i: i, answers.take, errors.append)
    assert latest.waiting and latest.dropped == 4  # 1..4 replaced unseen
    gate.set()
    qtbot.waitUntil(lambda: bool(answers.values), timeout=5_000)
    qtbot.waitUntil(lambda: not latest.waiting and pool.active == 0, timeout=5_000)
    assert answers.values == [5]  # the first answer was stale when it came
    assert stopped_early == [True] and latest.ran == 2 and errors == []


def test_latest_keeps_answers_for_other_callbacks(qtbot, pool):
    """A request for another answer (a clicked point after a plot) stops the running
    job early but does not make its answer stale."""
    latest = Latest(pool, "states")
    plots, points = _Answers(), _Answers()
    gate = threading.Event()

    def plot(should_stop):
        gate.wait(5)
        return 1

    latest.submit(plot, plots.take, print)
    latest.submit(lambda stop: 2, points.take, print)
    gate.set()
    qtbot.waitUntil(lambda: bool(points.values), timeout=5_000)
    assert plots.values == [1] and points.values == [2]


def test_workers_leave_the_warnings_machinery_alone(qtbot, pool):
    """superqt's own run() swaps warnings.showwarning per worker; two overlapping
    workers left one installed for good, and later warnings went to a dead signal."""
    before = (warnings.showwarning, list(warnings.filters))
    ended = []
    for seconds in (0.05, 0.15):
        pool.start(lambda stop, s=seconds: time.sleep(s),
                   on_finish=lambda: ended.append(1))  # fmt: skip
    qtbot.waitUntil(lambda: len(ended) == 2, timeout=5_000)
    assert warnings.showwarning is before[0] and warnings.filters == before[1]
