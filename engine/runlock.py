"""One process trains in a run folder at a time: an advisory lock on the folder."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from engine.checkpoint import LOCK_FILE, RunFolderError

try:  # advisory locks: POSIX only; elsewhere a second trainer is not refused
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

logger = logging.getLogger(__name__)


class RunLock:
    """An advisory lock on a run folder, so that one process at a time trains there.

    The lock is the kernel's ``flock`` on the folder itself: it goes away with the
    process, even one killed by SIGKILL. While it is held, ``LOCK_FILE`` names the
    holder's pid for the refusal message; it is removed on release.
    """

    def __init__(self, run_dir: str | Path, active: bool = True) -> None:
        self.run_dir = Path(run_dir)
        self.active = active and fcntl is not None
        self._fd: int | None = None

    def __enter__(self) -> RunLock:
        if not self.active:
            return self
        self.run_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.run_dir, os.O_RDONLY)
        except OSError as exc:  # an unreadable folder: writing there will fail anyway
            logger.warning("%s: cannot lock the folder (%s)", self.run_dir, exc)
            return self
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise RunFolderError(
                f"{self.run_dir} is in use: another process (pid {self._holder()}) is "
                "training there; wait for it to finish, stop it, or choose another folder"
            ) from None
        except OSError as exc:  # a file system without flock: train unguarded
            logger.warning("%s: cannot lock the folder (%s)", self.run_dir, exc)
            os.close(fd)
            return self
        self._fd = fd
        try:
            (self.run_dir / LOCK_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")
        except OSError:  # only the message would miss the pid
            pass
        return self

    def _holder(self) -> str:
        try:
            return (self.run_dir / LOCK_FILE).read_text(encoding="ascii").strip() or "?"
        except (OSError, UnicodeDecodeError):
            return "?"

    def __exit__(self, *exc_info: object) -> None:
        if self._fd is not None:
            (self.run_dir / LOCK_FILE).unlink(missing_ok=True)
            os.close(self._fd)
            self._fd = None
