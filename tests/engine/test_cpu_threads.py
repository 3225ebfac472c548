"""The CPU thread policy: OpenMP threads wait passively in `s2s` and the app."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cpu_threads import USER_CHOICES, prefer_passive_waiting

ROOT = Path(__file__).resolve().parents[2]


def test_passive_waiting_unless_the_user_chose_or_torch_is_loaded():
    env: dict[str, str] = {}
    assert prefer_passive_waiting(env, modules={})
    assert env == {"OMP_WAIT_POLICY": "PASSIVE"}
    for name in USER_CHOICES:
        env = {name: "ACTIVE" if name == "OMP_WAIT_POLICY" else "1000"}
        chosen = dict(env)
        assert not prefer_passive_waiting(env, modules={})
        assert env == chosen  # the user's own tuning wins
    env = {}
    assert not prefer_passive_waiting(env, modules={"torch": object()})
    assert env == {}  # too late to take effect: nothing changes


def run_fresh(code: str, **env: str) -> list[str]:
    """Run ``code`` in a fresh interpreter (torch not loaded) and return its lines."""
    clean = {k: v for k, v in os.environ.items() if k not in USER_CHOICES}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**clean, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", **env},
        timeout=120,
    ).stdout
    return out.split()


# libgomp reads the policy once, when torch loads it: the entry points must set it
# before anything imports torch.
S2S = """
import contextlib, io, os, sys
import engine.cli
print("torch" in sys.modules)
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    engine.cli.main(["--version"])
print(os.environ.get("OMP_WAIT_POLICY"), "torch" in sys.modules)
"""
APP = """
import os, sys
import s2s_gui
print("torch" in sys.modules, os.environ.get("OMP_WAIT_POLICY"))
"""


def test_s2s_sets_passive_waiting_before_torch_loads():
    assert run_fresh(S2S) == ["False", "PASSIVE", "False"]


@pytest.mark.parametrize("name", USER_CHOICES)
def test_s2s_keeps_a_users_own_openmp_setting(name):
    lines = run_fresh(S2S, **{name: "ACTIVE" if name == "OMP_WAIT_POLICY" else "7"})
    expected = "ACTIVE" if name == "OMP_WAIT_POLICY" else "None"
    assert lines == ["False", expected, "False"]


def test_the_app_sets_passive_waiting_before_torch_loads():
    assert run_fresh(APP) == ["False", "PASSIVE"]
