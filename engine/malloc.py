"""How the C library hands out memory, tuned for tensors that change size every step.

No torch import: the GUI calls this before anything big is loaded.
"""

from __future__ import annotations

import ctypes

# glibc mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3
_MMAP_THRESHOLD = 32 << 20  # glibc's largest allowed value on 64-bit
_TRIM_THRESHOLD = 512 << 20  # free memory kept at the heap's top before giving it back
_TOP_PAD = 64 << 20


def tune_malloc() -> bool:
    """Keep freed tensor memory in the heap instead of returning it to the kernel at once.

    By default glibc serves allocations above a threshold (128 KB, adapting upwards) with
    fresh ``mmap`` pages and trims the heap as soon as 128 KB lie free at its top, so a
    CPU decoder step, whose tensors change size from step to step, touches new pages all
    the time, hundreds of thousands of page faults per thousand sentences. With fixed
    thresholds the same memory is reused; the process keeps up to 512 MB of freed memory
    for later (``malloc_trim`` still gives it back). Returns False where the C library
    has no ``mallopt`` (not glibc) or refuses the values; nothing changes then.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return all(
        mallopt(param, value) == 1
        for param, value in (
            (_M_MMAP_THRESHOLD, _MMAP_THRESHOLD),
            (_M_TRIM_THRESHOLD, _TRIM_THRESHOLD),
            (_M_TOP_PAD, _TOP_PAD),
        )
    )
