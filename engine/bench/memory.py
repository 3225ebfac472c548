"""Memory for `s2s bench`: a peak meter (RSS or CUDA allocations) and the largest-batch search."""

from __future__ import annotations

import ctypes
import gc
import os
import resource
import threading
from collections.abc import Callable
from dataclasses import dataclass

import torch


def _rss_bytes() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _release_memory(device: torch.device) -> None:
    """Give freed memory back (CUDA cache; glibc's free lists) so phases start even."""
    gc.collect()
    if device.type == "cuda":
        torch.cuda.empty_cache()
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def memory_method(device: torch.device) -> str:
    if device.type == "cuda":
        return (
            "torch.cuda.max_memory_allocated after reset_peak_memory_stats, above the "
            "allocation at the phase's start (tensors only, not the allocator's cache)"
        )
    if _rss_bytes() is None:
        return "not measured (needs /proc/self/statm)"
    return (
        "resident set size sampled every 5 ms, peak above the phase's start "
        "(after gc and malloc_trim)"
    )


class MemoryMeter:
    """Peak memory of a ``with`` block above its level at the start (see memory_method).

    ``peak`` is in bytes, or None where it cannot be measured.
    """

    def __init__(self, device: torch.device) -> None:
        self.device = device
        self.peak: int | None = None
        self.device_peak: int | None = None  # CUDA: the whole run's peak so far
        self._base: int | None = None

    def __enter__(self) -> MemoryMeter:
        _release_memory(self.device)
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            self._before = torch.cuda.max_memory_allocated(self.device)
            torch.cuda.reset_peak_memory_stats(self.device)
            self._base = torch.cuda.memory_allocated(self.device)
            return self
        self._base = self._top = _rss_bytes()
        if self._base is not None:
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self._top = max(self._top, _rss_bytes() or 0)

    def __exit__(self, *exc) -> None:
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            top = torch.cuda.max_memory_allocated(self.device)
            self.peak, self.device_peak = top - self._base, max(top, self._before)
        elif self._base is not None:
            self._stop.set()
            self._thread.join()
            self.peak = max(0, max(self._top, _rss_bytes() or 0) - self._base)

    @property
    def mb(self) -> float | None:
        return None if self.peak is None else round(self.peak / 2**20, 1)


def _peak_memory_mb(device: torch.device) -> float:
    if device.type == "cuda":
        return torch.cuda.max_memory_allocated(device) / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _mem_available() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


# --------------------------------------------------------------------- max batch
def _is_oom(exc: BaseException) -> bool:
    text = str(exc).lower()
    return (
        isinstance(exc, (torch.OutOfMemoryError, MemoryError))
        or "out of memory" in text
        or "can't allocate memory" in text
        or "alloc_failed" in text
    )


@dataclass(frozen=True)
class SearchResult:
    largest: int  # 0: not even one sentence fits
    limited_by: str  # "memory", "cap N", or "error: ..." (a non-memory failure)


def largest_batch(
    try_step: Callable[[int], None],
    cap: int,
    start: int = 1,
    release: Callable[[], None] = lambda: None,
) -> SearchResult:
    """The largest n in 1..cap whose ``try_step(n)`` does not run out of memory.

    Doubles from ``start`` until a step fails or ``cap`` is reached, then bisects
    between the last size that fitted and the first that did not. Out-of-memory
    errors (``torch.OutOfMemoryError``, ``MemoryError``, allocator messages) mean
    "does not fit"; ``release`` runs after every try. Any other error is raised while
    nothing has fitted yet, and afterwards counts as not fitting, named in
    ``limited_by`` when it is the failure at the boundary.
    """
    lo = 0
    failures: dict[int, str] = {}

    def fits(n: int) -> bool:
        try:
            try_step(n)
        except (RuntimeError, MemoryError) as exc:
            if not _is_oom(exc) and lo == 0:
                raise
            failures[n] = "memory" if _is_oom(exc) else f"error: {_first_line(exc)}"
            release()
            return False
        release()
        return True

    n = max(1, min(start, cap))
    while fits(n):
        lo = n
        if n >= cap:
            return SearchResult(cap, f"cap {cap}")
        n = min(2 * n, cap)
    hi = n
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    return SearchResult(lo, failures[hi])


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]
