"""Small helpers: seeds, devices, atomic file writes, timing."""

from __future__ import annotations

import functools
import logging
import os
import random
import tempfile
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import numpy as np
import torch

logger = logging.getLogger(__name__)


def set_seed(seed: int) -> None:
    """Seed Python, numpy and torch (all devices)."""
    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)


def pick_device(name: str = "auto") -> torch.device:
    """``auto`` picks CUDA, then MPS, then CPU; an explicit device must exist."""
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("device 'cuda' was asked for, but no CUDA GPU is available")
    if name == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise RuntimeError("device 'mps' was asked for, but MPS is not available")
    return torch.device(name)


CPU_BF16_ENV = "S2S_CPU_BF16"  # "1" or "0": overrides the CPU's bf16 probe


def cpu_has_native_bf16() -> bool:
    """Whether this CPU multiplies bf16 matrices in hardware (AVX512-BF16 or AMX).

    oneDNN then runs bf16 matmuls and LSTM layers 2.5-3x as fast as fp32 ones (AMD
    Zen 4: 300-370 against 120-150 GFLOP/s on 2 cores); without those instructions bf16
    is emulated and slower than fp32, so autocast stays off there.

    ``S2S_CPU_BF16=1`` answers yes and ``0`` no whatever the CPU: ``1`` runs the
    bf16 path (emulated, slowly) on any CPU, as the test suite's bf16 variant does;
    ``0`` keeps a CPU with bf16 instructions in fp32.
    """
    forced = os.environ.get(CPU_BF16_ENV, "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    if forced:
        raise ValueError(f"{CPU_BF16_ENV} must be 0 or 1 (or unset), not {forced!r}")
    probes = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(getattr(torch.cpu, name, lambda: False)() for name in probes)


def uses_bf16(device: torch.device, bf16: bool) -> bool:
    """Whether training with ``train.bf16 = bf16`` autocasts to bf16 on ``device``:
    on CUDA, and on a CPU with native bf16 (:func:`cpu_has_native_bf16`)."""
    if not bf16:
        return False
    return device.type == "cuda" or (device.type == "cpu" and cpu_has_native_bf16())


def bf16_autocast(device: torch.device, bf16: bool) -> AbstractContextManager:
    """bf16 autocast where :func:`uses_bf16` says so, else a no-op context.

    Weights, gradients and the optimizer stay fp32; matmuls and RNN layers run in bf16.
    """
    if uses_bf16(device, bf16):
        if device.type == "cpu":
            _onednn_bf16_or_off()
        return torch.autocast(device.type, dtype=torch.bfloat16)
    return nullcontext()


@functools.cache
def _onednn_bf16_or_off() -> None:
    """Turns oneDNN off for good where bf16 is forced on a CPU that oneDNN has no bf16
    kernels for (``S2S_CPU_BF16=1`` or a test on an AVX2-only CPU): PyTorch would still
    hand it bf16 LSTM layers, which fail there, while its own kernels run them (slowly).
    Never switched back on: a flag restored on leaving autocast would race with the
    other decoding threads."""
    if (
        torch.backends.mkldnn.is_available()
        and not torch.ops.mkldnn._is_mkldnn_bf16_supported()
    ):
        logger.info("bf16 on a CPU without oneDNN bf16 kernels: oneDNN turned off")
        torch.backends.mkldnn.enabled = False


def device_name(device: torch.device) -> str:
    """A human-readable device name, e.g. ``CUDA: NVIDIA H100`` or ``CPU (2 threads)``."""
    if device.type == "cuda":
        return f"CUDA: {torch.cuda.get_device_name(device)}"
    if device.type == "mps":
        return "Apple MPS"
    threads = torch.get_num_threads()
    return f"CPU ({threads} thread{'s' if threads != 1 else ''})"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old file or the new one.

    The bytes go to a temporary file in the same folder, are fsync'ed, and the file is
    renamed over the target.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


class Timer:
    """Wall-clock seconds since creation or the last ``reset``."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    def reset(self) -> None:
        self.start = time.perf_counter()

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start


def format_duration(seconds: float) -> str:
    """``75`` -> ``1:15``; ``3700`` -> ``1:01:40``; negative -> ``?``."""
    if seconds < 0 or not np.isfinite(seconds):
        return "?"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
