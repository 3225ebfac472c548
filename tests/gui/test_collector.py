"""Garbage collection on the GUI thread's timer, deciding as CPython does."""

from __future__ import annotations

import gc

from s2s_gui.quirks import collector


def test_it_collects_the_oldest_generation_due_and_full_ones_once_the_heap_grew(
    qapp, monkeypatch
):
    enabled = gc.isenabled()
    collected: list[int] = []
    counts = [(0, 0, 0)]
    blocks = [1_000_000]
    monkeypatch.setattr(gc, "collect", lambda generation: collected.append(generation))
    monkeypatch.setattr(gc, "get_count", lambda: counts[0])
    monkeypatch.setattr(collector.sys, "getallocatedblocks", lambda: blocks[0])
    made = collector.GuiThreadCollector(interval_ms=60_000)
    try:
        assert not gc.isenabled()  # no collection in whichever thread allocates
        threshold = gc.get_threshold()
        counts[0] = (threshold[0], 0, 0)
        assert made.collect() is None and collected == []  # not past the threshold
        counts[0] = (threshold[0] + 1, 0, 0)
        assert made.collect() == 0
        counts[0] = (threshold[0] + 1, threshold[1] + 1, 0)
        assert made.collect() == 1
        # generation 2 is due by its count, but the heap has not grown by a quarter
        counts[0] = (threshold[0] + 1, threshold[1] + 1, threshold[2] + 1)
        blocks[0] = 1_200_000
        assert made.collect() == 1
        blocks[0] = 1_300_000
        assert made.collect() == 2
        assert made.collect() == 1  # measured again from the heap after it
        assert collected == [0, 1, 1, 2, 1]
    finally:
        made.deleteLater()
        if enabled:
            gc.enable()
