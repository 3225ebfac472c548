"""Data-parallel training under torchrun: 2 CPU processes (gloo) against one process."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from engine import checkpoint as ckpt
from engine import training
from engine.batching import BucketSampler
from engine.config import ConfigError, dumps_config, load_config
from engine.distributed import HASH_ENV, TIMEOUT_ENV, Distributed
from engine.training import Trainer
from tests.conftest import float64, tiny_config

STEPS = 6
ROOT = Path(__file__).resolve().parents[2]
LAUNCH_TIMEOUT_S = 150


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def torchrun(
    args: list[str], env: dict[str, str], nproc: int = 2, cli: str = "engine.cli"
) -> subprocess.CompletedProcess:
    """``python -m torch.distributed.run ... -m CLI ARGS``, killed as a group on
    timeout so that no rank outlives the test."""
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        f"--nproc_per_node={nproc}",
        "--master_addr=127.0.0.1",
        f"--master_port={free_port()}",
        "-m",
        cli,
        *args,
    ]
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, TIMEOUT_ENV: "1", "OMP_NUM_THREADS": "1", **env}
    env["PYTHONPATH"] = path  # the ranks import this tree's engine and tests
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=LAUNCH_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=10)
        pytest.fail(f"torchrun did not finish in {LAUNCH_TIMEOUT_S} s:\n{err[-3000:]}")
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


def ddp_config():
    """Global batch 32 = 2 ranks x 16; no dropout and a constant lr, so that the two
    ranks together must compute exactly what one process computes on both halves."""
    return tiny_config(
        train={
            "batch_size": 32,
            "batch_scope": "global",
            "max_steps": STEPS,
            "log_every": 2,
            "eval_every": 1000,
            "bleu_sentences": 4,
            "lr_schedule": "none",
            "patience": 0,
            "device": "cpu",
        }
    )


@pytest.fixture(scope="module")
def ddp_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """Two ranks trained in float64, to be compared with one process (see below)."""
    root = tmp_path_factory.mktemp("ddp")
    config = root / "config.toml"
    config.write_text(dumps_config(ddp_config()), encoding="utf-8")
    run_dir = root / "run"
    done = torchrun(
        ["train", str(config), "--out", str(run_dir)],
        {HASH_ENV: str(root / "hashes")},
        cli="tests.engine.float64_cli",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return run_dir, done


def test_two_ranks_stay_in_sync_and_rank0_alone_reports(ddp_run):
    run_dir, done = ddp_run
    lines = [json.loads(x) for x in done.stdout.splitlines() if x.startswith("{")]
    assert len(lines) == 1  # rank 0 alone prints the summary
    assert lines[0]["steps"] == STEPS and lines[0]["stopped"] == "max_steps"
    assert done.stderr.count("training on 2 x CPU") == 1
    hashes = [
        (run_dir.parent / "hashes" / f"rank{r}.txt").read_text().splitlines()
        for r in (0, 1)
    ]
    assert len(hashes[0]) == STEPS
    assert hashes[0] == hashes[1]  # identical weights after every step
    start = ckpt.read_metrics(run_dir)[0]
    assert start["type"] == "start" and start["world_size"] == 2
    assert start["batch_per_rank"] == 16 and start["batch_global"] == 32
    state = ckpt.load_trainer_state(run_dir / ckpt.TRAINER_STATE)
    assert state["trainer"]["world_size"] == 2 and len(state["rng_ranks"]) == 2


class MergedHalves(BucketSampler):
    """One process that takes, at each step, what the two ranks held together."""

    def epoch_batches(self, epoch: int) -> list[list[int]]:
        halves = [
            BucketSampler(
                self.src_lens,
                self.tgt_lens,
                self.batch_size // 2,
                seed=self.seed,
                num_replicas=2,
                rank=rank,
            ).epoch_batches(epoch)
            for rank in (0, 1)
        ]
        return [a + b for a, b in zip(*halves)]


def test_two_ranks_match_one_process_on_the_same_global_batches(
    ddp_run, tmp_path, monkeypatch
):
    run_dir, _ = ddp_run
    cfg = load_config(run_dir / ckpt.CONFIG_FILE)
    monkeypatch.setattr(training, "BucketSampler", MergedHalves)
    with float64():  # as the ranks: equal in exact arithmetic, so compared in float64
        for _ in Trainer(cfg, tmp_path / "ref").steps():
            pass
    assert (tmp_path / "ref" / "spm.model").read_bytes() == (
        run_dir / "spm.model"
    ).read_bytes()  # same tokenizer, hence same ids and the same initial weights
    one = ckpt.load_weights(tmp_path / "ref" / ckpt.LAST_WEIGHTS)
    ddp = ckpt.load_weights(run_dir / ckpt.LAST_WEIGHTS)
    assert one.keys() == ddp.keys()
    assert {t.dtype for t in ddp.values()} == {torch.float64}
    for name, tensor in one.items():
        # The ranks' gradients are summed in another order (all-reduce of two halves):
        # ~1e-16 of their terms in float64, magnified by Adam at most lr / eps = 1e6
        # (a near-zero gradient), so 6 steps stay within 1e-9; a wrong step moves ~lr.
        torch.testing.assert_close(ddp[name], tensor, rtol=0, atol=1e-9, msg=name)


def test_resume_with_another_world_size_is_refused(ddp_run, tmp_path):
    run_dir, _ = ddp_run
    cfg = load_config(run_dir / ckpt.CONFIG_FILE)
    with pytest.raises(ConfigError, match="trained by 2 process"):
        for _ in Trainer(cfg, run_dir, resume=True).steps():
            pass


def test_batch_scope_and_lr_are_explicit():
    cfg = ddp_config()
    two = Distributed(world_size=2, rank=1)
    assert two.effective_config(cfg).train.batch_size == 16  # global 32 over 2 ranks
    per_rank = replace(cfg, train=replace(cfg.train, batch_scope="rank"))
    assert two.effective_config(per_rank).train.batch_size == 32
    assert two.effective_config(cfg).train.lr == cfg.train.lr  # never scaled silently
    scaled = replace(cfg, train=replace(cfg.train, lr_scale_with_world=True))
    assert two.effective_config(scaled).train.lr == pytest.approx(2 * cfg.train.lr)
    odd = replace(cfg, train=replace(cfg.train, batch_size=33))
    with pytest.raises(ConfigError, match="split evenly") as info:
        two.effective_config(odd)
    assert info.value.key == "train.batch_size"
    alone = Distributed()
    assert alone.effective_config(cfg) == cfg
    assert alone.agree("stopped") == "stopped" and alone.loss_divisor(7) == 7
