"""Engine calls of the translate and evaluate views, run on worker threads."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication

from engine.config import DecodeConfig
from engine.events import EvalReport, Progress
from s2s_gui.lab_state import (
    EvalOutcome,
    ReferenceScore,
    RescoreOutcome,
    TranslateResult,
)

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
def dev_pairs(run_dir: Path) -> list[tuple[str, str]]:
    """The dev split the run was trained with, as its config names it."""
    from engine.checkpoint import CONFIG_FILE
    from engine.config import load_config
    from engine.data import load_corpus, read_pairs

    cfg = load_config(run_dir / CONFIG_FILE).data
    if cfg.dev:
        pairs = read_pairs(cfg.dev)
        return [(t, s) for s, t in pairs] if cfg.swap else pairs
    return list(load_corpus(cfg).dev)


def test_pairs(test: str, run_dir: Path | None) -> list[tuple[str, str]]:
    """``"dev"`` = the run's dev split; anything else is a corpus file spec."""
    from engine.data import read_pairs

    if test == "dev":
        if run_dir is None:
            raise ValueError(
                QCoreApplication.translate(
                    "LabJobs", "The live model has no run folder yet."
                )
            )
        return dev_pairs(run_dir)
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
    from engine.metrics import average_rank, words

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
    for ev in evaluate(translator, pairs, cfg, ranks, should_stop=should_stop):
        if isinstance(ev, EvalReport):
            sources = [s for s, _ in pairs]
            lengths = np.array([len(words(s)) for s, _ in pairs], dtype=float)
            rarities = np.array(
                [average_rank(s, ranks) if ranks else np.nan for s in sources]
            )
            name = (
                QCoreApplication.translate("LabJobs", "the dev split")
                if test == "dev"
                else Path(test).name
            )
            yield EvalOutcome(ev, lengths, rarities, name, choice.label)
        else:
            yield ev


# ---------------------------------------------------------------------- rescoring
class _ScoreMemo:
    """A translator facade whose ``score`` remembers each (source, target) pair, so
    that moving the weight slider never decodes again."""

    def __init__(self, translator: Any) -> None:
        self._translator = translator
        self._memo: dict[tuple[str, str], np.ndarray] = {}

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[np.ndarray]:
        missing = [(s, t) for s, t in zip(sources, targets) if (s, t) not in self._memo]
        if missing:
            found = self._translator.score(
                [s for s, _ in missing], [t for _, t in missing]
            )
            self._memo.update(zip(missing, found))
        return [self._memo[(s, t)] for s, t in zip(sources, targets)]


class RescoreSession:
    """An n-best list with its sources and references; used by one worker thread."""

    def __init__(self) -> None:
        self.sources: list[str] = []
        self.references: list[str] | None = None
        self.lists: list[list[Any]] = []
        self._memo: tuple[Any, _ScoreMemo] | None = None

    def load(self, nbest: str, source: str, reference: str) -> int:
        from engine.rescore import read_nbest

        self.sources = Path(source).read_text(encoding="utf-8").splitlines()
        self.references = (
            Path(reference).read_text(encoding="utf-8").splitlines()
            if reference
            else None
        )
        self.lists = read_nbest(nbest, n_sentences=len(self.sources))
        return len(self.lists)

    def synthetic(self, translator: Any, pairs: Sequence[tuple[str, str]]) -> int:
        """A demo n-best list from the model's own beam (engine.rescore.synthetic_nbest)."""
        from engine.rescore import synthetic_nbest

        self.sources = [s for s, _ in pairs]
        self.references = [r for _, r in pairs]
        self.lists = synthetic_nbest(translator, self.sources, DecodeConfig(beam=5))
        return len(self.lists)

    def rerank(self, translator: Any, weights: tuple[float, float], stop: Stop) -> Any:
        from engine.rescore import rescore

        if not self.lists:
            raise ValueError(
                QCoreApplication.translate(
                    "LabJobs", "Load an n-best file (or make a demo list) first."
                )
            )
        if self._memo is None or self._memo[0] is not translator:
            self._memo = (translator, _ScoreMemo(translator))
        report = rescore(
            self._memo[1], self.sources, self.lists, weights, self.references,
            should_stop=stop,
        )  # fmt: skip
        best = tuple(
            entries[0].hypothesis if entries else "" for entries in report.lists
        )
        return RescoreOutcome(
            report.weights, report.bleu_before, report.bleu_after, report.bleu_oracle,
            len(report.lists), report.hypotheses, best,
        )  # fmt: skip


def demo_pairs(choice: ModelChoice, n: int = 200) -> list[tuple[str, str]]:
    """The first ``n`` dev pairs of the chosen run, for a synthetic n-best list."""
    if choice.run_dir is None:
        raise ValueError(
            QCoreApplication.translate("LabJobs", "The chosen model has no run folder.")
        )
    return dev_pairs(choice.run_dir)[:n]
