"""BusyLoad: competing busy processes for `s2s bench --load N`, always ended on exit."""

from __future__ import annotations

import logging
import subprocess
import sys

logger = logging.getLogger(__name__)

# Each process spins in pure Python, as a busy program beside the app would (a browser
# tab, another job), and stops by itself at its deadline or when its parent is gone, so
# none outlives the bench even if the bench is killed without running its clean-up.
_SPIN = """
import os, sys, time
deadline = time.monotonic() + float(sys.argv[1])
parent = os.getppid()
sys.stdout.write("ready\\n")
sys.stdout.flush()
while time.monotonic() < deadline and os.getppid() == parent:
    for _ in range(20000):
        pass
"""
MAX_SECONDS = 600.0  # a load process's lifetime if nobody stops it


class BusyLoad:
    """``with BusyLoad(n):`` runs n single-threaded busy processes for its duration.

    They are plain interpreters started with ``python -I -c`` (``subprocess``, not
    ``multiprocessing``): a fork of this process would copy torch's thread pools, and a
    spawned multiprocessing child would import the bench's modules and torch just to
    spin. Entering waits until every process runs; leaving (also on an exception or
    Ctrl-C) kills and reaps them all.

    Args:
        processes: how many busy processes (0: none, the context does nothing).
        max_seconds: each process's own deadline, in case the bench never leaves.
    """

    def __init__(self, processes: int, max_seconds: float = MAX_SECONDS):
        if processes < 0:
            raise ValueError(f"--load must be 0 or more; got {processes}")
        self.processes = processes
        self.max_seconds = max_seconds
        self.procs: list[subprocess.Popen] = []

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def __enter__(self) -> BusyLoad:
        try:
            for _ in range(self.processes):
                self.procs.append(
                    subprocess.Popen(
                        [sys.executable, "-I", "-c", _SPIN, str(self.max_seconds)],
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.PIPE,
                    )
                )
            for proc in self.procs:  # each has started its loop
                if proc.stdout.readline() != b"ready\n":
                    raise RuntimeError("a --load process did not start")
        except BaseException:
            self.stop()
            raise
        logger.debug("busy load: processes %s", self.pids())
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Kill and reap every process (idempotent)."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
        for proc in self.procs:
            proc.wait()
            proc.stdout.close()
        self.procs = []
