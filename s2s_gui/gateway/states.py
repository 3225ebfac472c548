"""The hidden-states view's engine session (engine.sessions.StatesSession)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from engine.events import PointInfo, StatesResult
from engine.sessions import StatesSession

Stop = Callable[[], bool]


class StatesSlot:
    """The session of the chosen model and basis, made anew when either changes.

    Used by one worker thread at a time (the states requests run one after another).
    """

    def __init__(self) -> None:
        self.session: StatesSession | None = None
        self._key: Any = None

    def project(
        self,
        translator: Callable[[], Any],
        choice: Any,
        pairs: Sequence[tuple[str, str]],
        basis: str,
        refit: bool,
        stop: Stop,
    ) -> StatesResult:
        """Points of ``pairs``; ``refit`` (or a new model or basis) fits a new plane.

        Args:
            translator: gives the chosen model's Translator (loaded on first use).
            choice: the ``gateway.lab.ModelChoice`` the points belong to.
        """
        key = (choice.runs, choice.run_dir, basis)  # not the live step: points stay
        if refit or self.session is None or self._key != key:
            self.session = StatesSession.for_translator(
                translator(), choice.run_dir, basis, choice.label
            )
            self._key = key
        return self.session.project(pairs, stop)

    def point_info(self, sentence: str, stop: Stop) -> PointInfo:
        if self.session is None:  # the view offers points only once it shows some
            raise RuntimeError("no sentences projected yet")
        return self.session.point_info(sentence, stop=stop)

    def write_csv(self, path: str, result: StatesResult) -> None:
        """Write the shown points (small: done on the GUI thread)."""
        if self.session is not None:
            self.session.write_csv(path, result)
