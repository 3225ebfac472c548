"""Engine calls of the translate and evaluate views, run on worker threads."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from engine.config import DecodeConfig
from engine.events import (
    EvalOutcome,
    EvalReport,
    Progress,
    ReferenceScore,
    RescoreOutcome,
    TranslateResult,
)
from engine.sessions import RescoreSession

__all__ = ["ModelChoice", "RescoreSession", "TranslatorCache"]

logger = logging.getLogger(__name__)


Stop = Callable[[], bool]


@dataclass(frozen=True)
class ModelChoice:
    """What to decode with: run directories (an ensemble when several) or the
    latest snapshot of the run being trained (an ``engine.sessions.LiveModel``)."""

    runs: tuple[str, ...] = ()
    live: Any = None
    label: str = ""
    int8: bool = False  # decode on the CPU with 8-bit decoder weights

    @property
    def run_dir(self) -> Path | None:
        """The run whose facts (dev split, word ranks, source sample) apply."""
        if self.live is not None:
            return Path(self.live.run_dir)
        return Path(self.runs[0]) if self.runs else None


class TranslatorCache:
    """Translators by model choice, loaded or snapshotted on first use (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: dict[tuple[Any, ...], Any] = {}  # ((run, mtime), ..., int8) -> tr
        self._live: tuple[Any, bool, Any] | None = None  # (snapshot, int8, translator)

    def get(self, choice: ModelChoice) -> Any:
        if choice.live is not None:
            with self._lock:
                if self._live is not None and self._live[0] is choice.live:
                    if self._live[1] == choice.int8:
                        return self._live[2]
            translator = choice.live.translator(int8=choice.int8)
            with self._lock:
                self._live = (choice.live, choice.int8, translator)
            return translator
        if not choice.runs:
            raise ValueError(
                QCoreApplication.translate(
                    "LabJobs", "Choose a run (or train one) to translate with."
                )
            )
        from engine.runs import weights_path
        from engine.translate import Translator

        key = (
            *((r, weights_path(r).stat().st_mtime) for r in choice.runs),
            choice.int8,
        )
        with self._lock:
            if key in self._runs:
                return self._runs[key]
        translator = Translator.from_run_dirs(
            list(choice.runs), device="cpu" if choice.int8 else "auto", int8=choice.int8
        )
        with self._lock:
            # keep one choice of runs loaded, in float and 8-bit if both were asked for
            self._runs = {k: v for k, v in self._runs.items() if k[:-1] == key[:-1]}
            self._runs[key] = translator
        return translator


def translate(
    cache: TranslatorCache,
    choice: ModelChoice,
    request: int,
    texts: Sequence[str],
    cfg: DecodeConfig,
    reference: str,
    ref_index: int,
    should_stop: Stop,
) -> TranslateResult | None:
    """Beam search with history for every line, plus forced decoding of a reference."""
    translator = cache.get(choice)
    if should_stop():
        return None
    t0 = time.perf_counter()
    out = translator.translate(list(texts), cfg, history=True, should_stop=should_stop)
    if len(out) < len(texts):
        return None  # a newer request is waiting
    ref = None
    if reference.strip() and 0 <= ref_index < len(texts) and texts[ref_index].strip():
        lps = translator.score([texts[ref_index]], [reference])[0]
        tok = translator.tgt_tok
        pieces = [tok.id_to_piece(i) for i in tok.encode(reference)] + ["</s>"]
        ref = ReferenceScore(texts[ref_index], reference, tuple(pieces), lps)
    seconds = time.perf_counter() - t0
    return TranslateResult(request, tuple(out), ref, seconds, choice.label)


# ---------------------------------------------------------------------- evaluation
def test_pairs(test: str, run_dir: Path | None) -> list[tuple[str, str]]:
    """``"dev"`` = the run's dev split; anything else is a corpus file spec."""
    from engine.data import read_pairs
    from engine.runs import run_dev_pairs

    if test == "dev":
        if run_dir is None:
            raise ValueError(
                QCoreApplication.translate(
                    "LabJobs", "The live model has no run folder yet."
                )
            )
        return run_dev_pairs(run_dir)
    return read_pairs(test)


def evaluation(
    should_stop: Stop,
    cache: TranslatorCache,
    choice: ModelChoice,
    test: str,
    cfg: DecodeConfig,
    limit: int,
) -> Iterator[Progress | EvalOutcome]:
    """Progress events, then an EvalOutcome (nothing more when cancelled)."""
    from engine.checkpoint import load_source_ranks
    from engine.evaluate import evaluate

    yield Progress(
        "data",
        0,
        0,
        QCoreApplication.translate(
            "LabJobs", "reading the test set and loading the model"
        ),
    )
    pairs = test_pairs(test, choice.run_dir)
    if limit:
        pairs = pairs[:limit]
    translator = cache.get(choice)
    ranks = load_source_ranks(choice.run_dir) if choice.run_dir else None
    name = (
        QCoreApplication.translate("LabJobs", "the dev split")
        if test == "dev"
        else Path(test).name
    )
    for ev in evaluate(translator, pairs, cfg, ranks, should_stop=should_stop):
        yield EvalOutcome(ev, name, choice.label) if isinstance(ev, EvalReport) else ev


# ---------------------------------------------------------------------- rescoring
def rerank(
    session: RescoreSession,
    translator: Any,
    weights: tuple[float, float],
    should_stop: Stop,
) -> RescoreOutcome:
    """Rerank the loaded lists (engine.sessions.RescoreSession)."""
    if not session.lists:
        raise ValueError(
            QCoreApplication.translate(
                "LabJobs", "Load an n-best file (or make a demo list) first."
            )
        )
    return session.rerank(translator, weights, should_stop)


def demo_pairs(choice: ModelChoice, n: int = 200) -> list[tuple[str, str]]:
    """The first ``n`` dev pairs of the chosen run, for a synthetic n-best list."""
    from engine.runs import run_dev_pairs

    if choice.run_dir is None:
        raise ValueError(
            QCoreApplication.translate("LabJobs", "The chosen model has no run folder.")
        )
    return run_dev_pairs(choice.run_dir)[:n]
