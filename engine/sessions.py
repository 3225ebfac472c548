"""Stateful analysis sessions shared by the app and ``s2s``: live weights, states, rescoring."""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.translate import Translator

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LiveModel:
    """A copy of a training run's weights, taken between steps and never trained.

    Made on the training thread (:func:`live_model`), it can be read from any other:
    nothing writes to its model, and every Translator decodes with copies of its own.
    """

    run_dir: str
    step: int
    model: Any  # engine.model.Seq2Seq in eval mode, owned by this snapshot
    src_tok: Any
    tgt_tok: Any
    device: str

    def translator(self, int8: bool = False) -> Translator:
        """A Translator over this snapshot (``int8``: 8-bit decoder on the CPU)."""
        from engine.translate import Translator

        device = "cpu" if int8 else self.device
        return Translator([self.model], self.src_tok, self.tgt_tok, device, int8=int8)


def live_model(trainer: Any, step: int) -> LiveModel:
    """Copy ``trainer``'s weights; call on its own thread, between steps."""
    if trainer.model is None:
        raise RuntimeError("training has not started yet")
    model = copy.deepcopy(trainer.model).eval()
    return LiveModel(
        str(trainer.run_dir), step, model, trainer.src_tok, trainer.tgt_tok,
        str(trainer.device),
    )  # fmt: skip
