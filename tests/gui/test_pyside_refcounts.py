"""The installed PySide6 must keep None's and True's reference counts.

PySide6 6.12.0 on Python 3.11 took one reference to None away on every call of a void Qt
method and one to True on every ``emit()``; the app then aborted ("none_dealloc:
deallocating None") after a few minutes of training, when the plots had made ~150k calls.
pyproject.toml keeps such a build out; this test fails if one comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

CALLS = 2_000


class _Sender(QObject):
    bare = Signal()
    carrying = Signal(object)


def _refs() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def _drift(call) -> tuple[int, int, int]:
    call()  # first-call caches are not a leak
    keep = [None, True, False] * CALLS  # headroom, so that a leak cannot abort the test
    before = _refs()
    for _ in range(CALLS):
        call()
    after = _refs()
    del keep
    return tuple(a - b for a, b in zip(after, before, strict=True))


def test_void_calls_and_emits_keep_the_singletons_alive(qtbot):
    sender = _Sender()
    seen = []
    sender.bare.connect(lambda: seen.append(1))
    sender.carrying.connect(seen.append)
    calls = {
        "setObjectName (void)": lambda: sender.setObjectName("x"),
        "parent() returning None": sender.parent,
        "emit() with a slot": sender.bare.emit,
        "emit(object) with a slot": lambda: sender.carrying.emit(7),
    }
    drift = {name: _drift(call) for name, call in calls.items()}
    assert len(seen) == 2 * (CALLS + 1)
    # a real leak is one per call (2,000); allow a few for interpreter caches
    assert all(max(map(abs, d)) < 50 for d in drift.values()), drift
