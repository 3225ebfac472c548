"""The CPU thread policy of `s2s` and the app: OpenMP threads sleep while they wait.

No torch import: it must run before torch loads its OpenMP runtime.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, MutableMapping

# Settings of the OpenMP runtime that a user who chose one of them has tuned by hand.
USER_CHOICES = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "KMP_BLOCKTIME")


def prefer_passive_waiting(
    environ: MutableMapping[str, str] = os.environ,
    modules: Mapping[str, object] = sys.modules,
) -> bool:
    """Let torch's OpenMP threads sleep, not spin, between parallel regions.

    By default GNU OpenMP keeps a thread that waits for work (or for its team at a
    barrier) spinning on its core for up to ~300,000 iterations. On a dedicated machine
    that saves a wake-up; on a shared one (a desktop with a browser, the app's own
    window, any busy program) the spinning threads take the turns of the threads that
    have work, and a team whose member was pre-empted waits, spinning, for it.

    The runtime reads the setting once, when torch loads it, so this must run before
    ``import torch``: `s2s`'s ``main`` and the app's package call it first. It changes
    nothing once torch is loaded (``modules``), nor when the user chose a setting of
    their own (``OMP_WAIT_POLICY``, ``GOMP_SPINCOUNT``, ``KMP_BLOCKTIME``).

    Returns:
        Whether it set the passive policy.
    """
    if "torch" in modules or any(name in environ for name in USER_CHOICES):
        return False
    environ["OMP_WAIT_POLICY"] = "PASSIVE"
    return True
