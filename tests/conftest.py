"""Shared fixtures: tiny, seeded configs on synthetic data (no network, no ../shared)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
import torch  # noqa: E402

from engine import utils  # noqa: E402
from engine.config import Config  # noqa: E402

torch.set_num_threads(1)  # tests are many tiny models on a small shared machine


@pytest.fixture(autouse=True)
def _onednn_back_on() -> Iterator[None]:
    """A test that forces bf16 on a CPU without oneDNN bf16 kernels turns oneDNN off
    for the process (engine.utils): back on for the next test, so that the suite runs
    the kernels this CPU would use."""
    enabled = torch.backends.mkldnn.enabled
    yield
    if torch.backends.mkldnn.enabled != enabled:
        torch.backends.mkldnn.enabled = enabled
        utils._onednn_bf16_or_off.cache_clear()


@contextmanager
def float64() -> Iterator[None]:
    """Models and tensors created inside are float64: two computations equal in exact
    arithmetic (a batch split in parts or whole, two processes or one) then differ by
    rounding ~1e-16, not by the float32 rounding of whichever summation order this CPU's
    kernels (AVX2, AVX-512, AMX) take."""
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        yield
    finally:
        torch.set_default_dtype(before)


def tiny_config(**sections) -> Config:
    """A config that trains in seconds: reverse task, emb 16, hidden 32, 1 layer."""
    raw = {
        "data": {
            "train": "builtin:task/reverse",
            "task_size": 400,
            "task_min_len": 3,
            "task_max_len": 6,
            "dev_size": 40,
            "vocab_size": 40,
        },
        "model": {"cell": "gru", "layers": 1, "emb": 16, "hidden": 32, "dropout": 0.0},
        "train": {
            "batch_size": 32,
            "epochs": 50,
            "max_steps": 30,
            "log_every": 5,
            "eval_every": 15,
            "bleu_sentences": 20,
            "lr": 0.01,
            "threads": 1,
            # fp32 on every machine, so a test's run is the same with or without a CPU
            # that has bf16 instructions; the bf16 tests turn it on themselves.
            "bf16": False,
        },
        "decode": {"beam": 2},
    }
    for name, values in sections.items():
        raw.setdefault(name, {}).update(values)
    return Config.from_dict(raw)


@pytest.fixture
def tiny_cfg() -> Config:
    return tiny_config()
