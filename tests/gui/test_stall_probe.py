"""`python -m s2s_gui.stall_probe` (part of `make bench`) runs the real window and reports.

Its figures are a benchmark, not a test; this checks that the probe itself works: it
trains, ticks, types into the Translate view (or switches tabs) and prints every key the
README names.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("view", ["translate", "tabs"])
def test_the_probe_trains_acts_and_reports(tmp_path, view):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "s2s_gui.stall_probe", "--seconds", "5", f"--{view}",
         "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["view"] == view
    if view == "translate":
        assert result["sentences_typed"] >= 1 and result["tab_switches"] == 0
    else:
        assert result["tab_switches"] >= 2 and result["sentences_typed"] == 0
    assert result["gui_ticks"] > 100  # a 5 ms timer over ~5 s of training
    assert result["gui_stall_max_ms"] >= result["gui_stall_p99_ms"] > 0
    assert 0 <= result["gui_stall_at_s"] <= result["gui_probe_s"]
    # the GUI thread cannot use more CPU time than the stall lasted (+ clock granularity)
    assert 0 <= result["gui_stall_cpu_ms"] <= result["gui_stall_max_ms"] + 5
    assert result["gc_full_collections"] >= 0 and "gc_full_max_ms" in result
    assert result["device"].startswith("CPU")
