"""kill -9 at any moment leaves the previous checkpoint loadable, and --resume works."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from engine import checkpoint as ckpt
from engine.config import dumps_config, load_config
from engine.translate import Translator
from tests.conftest import tiny_config

ROOT = Path(__file__).resolve().parents[2]


def s2s_train(config: Path, run: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "engine.cli", "train", str(config), "--out", str(run)]
    return subprocess.Popen(
        [*cmd, *extra, "--device", "cpu"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def assert_consistent(run: Path) -> bool:
    """Whatever a kill left is loadable or cleanly absent; True when resumable."""
    if not (run / ckpt.CONFIG_FILE).exists():
        return False
    load_config(run / ckpt.CONFIG_FILE)
    for name in (ckpt.LAST_WEIGHTS, ckpt.BEST_WEIGHTS):
        if (run / name).exists():
            ckpt.load_weights(run / name)  # never half-written
    if not (run / ckpt.TRAINER_STATE).exists():
        return False
    state = ckpt.load_trainer_state(run / ckpt.TRAINER_STATE)
    assert state["trainer"]["step"] > 0
    Translator.from_run_dirs([run], device="cpu", checkpoint="last")
    return True


def test_sigkill_at_random_moments_then_resume(tmp_path):
    rng = random.Random(7)
    cfg = tiny_config(
        data={"task_size": 300},
        train={
            "max_steps": 100_000,
            "eval_every": 3,
            "log_every": 1,
            "bleu_sentences": 2,
            "patience": 0,
        },
    )
    config = tmp_path / "c.toml"
    config.write_text(dumps_config(cfg), encoding="utf-8")
    run = tmp_path / "run"
    kills = resumed = 0
    for _ in range(2):
        resumable = (run / ckpt.TRAINER_STATE).exists()
        resumed += resumable
        proc = s2s_train(config, run, *(["--resume"] if resumable else []))
        evals = 0
        for line in proc.stderr:  # a second evaluation: the first one was saved
            evals += line.startswith("eval step")
            if evals == 2:
                break
        try:  # a random moment around the checkpoint writes
            proc.wait(timeout=rng.uniform(0.0, 0.6))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
        assert_consistent(run)
    assert kills == 2 and resumed == 1
    if not (run / ckpt.TRAINER_STATE).exists():  # killed before the first checkpoint
        proc = s2s_train(config, run, "--max-steps", "3")
    else:
        step = ckpt.load_trainer_state(run / ckpt.TRAINER_STATE)["trainer"]["step"]
        proc = s2s_train(config, run, "--resume", "--max-steps", str(step + 3))
    out, _ = proc.communicate(timeout=120)  # --resume runs to its new step limit
    assert proc.returncode == 0
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["stopped"] == "max_steps"
    assert assert_consistent(run)
