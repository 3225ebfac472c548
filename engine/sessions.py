"""Stateful analysis sessions shared by the app and ``s2s``: live weights, states, rescoring."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.config import DecodeConfig
from engine.events import PointInfo, RescoreOutcome, StatesResult

if TYPE_CHECKING:
    from engine.translate import Translator

logger = logging.getLogger(__name__)

Stop = Callable[[], bool]
CORPUS_SAMPLE = 1000  # training sources a "corpus" plane and the neighbours use


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


# ---------------------------------------------------------------------- hidden states
class StatesSession:
    """Encoder states of sentences in a PCA plane that stays put.

    The plane is fitted once, on ``fit_sentences`` (e.g. a sample of the training
    sources) or, without them, on the first sentences projected; after that it is
    only applied. Each sentence is encoded on its own (a batch of one) and cached,
    so adding sentences never moves the points already there. A new session is the
    only thing that refits the plane. Not thread-safe: one thread at a time.
    """

    def __init__(
        self,
        model: Any,
        src_tok: Any,
        device: Any = "cpu",
        fit_sentences: Sequence[str] | None = None,
        layer: int = -1,
        part: str = "h",
        label: str = "",
    ) -> None:
        self.model, self.src_tok, self.device = model, src_tok, device
        self.fit_sentences = list(fit_sentences) if fit_sentences else None
        self.layer, self.part, self.label = layer, part, label
        self.projection: Any = None  # engine.analysis.PcaProjection once fitted
        self.translator: Any = None  # point_info translates with it (for_translator)
        self.sample: list[str] = []  # training sources for nearest neighbours
        self._states: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {}
        self._index: Any = None

    @classmethod
    def for_translator(
        cls,
        translator: Translator,
        run_dir: str | Path | None,
        basis: str = "sentences",
        label: str = "",
    ) -> StatesSession:
        """A session over a translator's first model; ``basis="corpus"`` fits the
        plane on the run's sample of training sources (when it kept one)."""
        sample = _source_sample(run_dir)
        fit = sample if basis == "corpus" and sample else None
        session = cls(
            translator.models[0], translator.src_tok, translator.device, fit,
            label=label,
        )  # fmt: skip
        session.translator, session.sample = translator, sample
        return session

    @property
    def basis(self) -> str:
        return "corpus" if self.fit_sentences else "sentences"

    def _encode(self, sentences: Sequence[str], stop: Stop | None = None) -> None:
        from engine.analysis import encoder_states

        missing = [s for s in dict.fromkeys(sentences) if s not in self._states]
        if not missing:
            return
        final, tokens, pieces = encoder_states(
            self.model, self.src_tok, missing, self.device, self.layer, self.part,
            batch_size=1, should_stop=stop,
        )  # fmt: skip
        for i, s in enumerate(missing):
            self._states[s] = (final[i], tokens[i], pieces[i])

    def _fit(self, sentences: Sequence[str]) -> None:
        from engine.analysis import PcaProjection, encoder_states

        if self.fit_sentences:
            reference, _, _ = encoder_states(
                self.model, self.src_tok, self.fit_sentences, self.device,
                self.layer, self.part,
            )  # fmt: skip
        elif sentences:
            reference = np.stack([self._states[s][0] for s in dict.fromkeys(sentences)])
        else:
            return
        self.projection = PcaProjection.fit(reference)

    def project(
        self, pairs: Sequence[tuple[str, str]], stop: Stop | None = None
    ) -> StatesResult:
        """Points of (sentence, group) pairs; fits the plane on first use."""
        sentences = [s for s, _ in pairs]
        self._encode(sentences, stop)
        if self.projection is None:
            self._fit(sentences)
        if self.projection is None or not sentences:
            points = np.zeros((0, 2))
            traj: tuple[np.ndarray, ...] = ()
        else:
            points = np.concatenate(
                [self.projection.transform(self._states[s][0]) for s in sentences]
            )
            traj = tuple(
                self.projection.transform(self._states[s][1]) for s in sentences
            )
        ratio = (0.0, 0.0)
        if self.projection is not None:
            ratio = tuple(self.projection.explained_variance_ratio)
        return StatesResult(
            sentences=tuple(sentences),
            groups=tuple(g for _, g in pairs),
            points=points,
            trajectories=traj,
            pieces=tuple(tuple(self._states[s][2]) for s in sentences),
            explained=(float(ratio[0]), float(ratio[1])),
            basis=self.basis,
            model=self.label,
        )

    def point_info(
        self, sentence: str, k: int = 5, stop: Stop | None = None
    ) -> PointInfo:
        """The translation of ``sentence`` and its nearest training sentences."""
        from engine.analysis import NearestIndex, encoder_states

        translation = ""
        if self.translator is not None:
            out = self.translator.translate([sentence], DecodeConfig(beam=5))
            translation = out[0].hypotheses[0].text if out and out[0].hypotheses else ""
        if self._index is None and self.sample:
            states, _, _ = encoder_states(
                self.model, self.src_tok, self.sample, self.device, should_stop=stop
            )
            self._index = NearestIndex(states, self.sample)
        neighbours: tuple[tuple[str, float], ...] = ()
        if self._index is not None:
            self._encode([sentence], stop)
            found = self._index.neighbours(self._states[sentence][0], k)[0]
            neighbours = tuple((s, float(sim)) for s, sim in found if s != sentence)
        return PointInfo(sentence, translation, neighbours)

    def write_csv(self, path: str, result: StatesResult) -> None:
        """The points as ``sentence,x,y`` rows (engine.analysis.write_states_csv)."""
        from engine.analysis import PcaProjection, write_states_csv

        projection = self.projection or PcaProjection(
            np.zeros(1), np.zeros((2, 1)), np.asarray(result.explained)
        )
        write_states_csv(path, list(result.sentences), result.points, projection)


def _source_sample(run_dir: str | Path | None) -> list[str]:
    from engine.checkpoint import load_source_sample

    return load_source_sample(run_dir)[:CORPUS_SAMPLE] if run_dir else []


# ---------------------------------------------------------------------- rescoring
class ScoreMemo:
    """A translator facade whose ``score`` remembers each (source, target) pair, so
    that reranking with new weights never decodes again."""

    def __init__(self, translator: Any) -> None:
        self.translator = translator
        self._memo: dict[tuple[str, str], np.ndarray] = {}

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[np.ndarray]:
        missing = [(s, t) for s, t in zip(sources, targets) if (s, t) not in self._memo]
        if missing:
            found = self.translator.score(
                [s for s, _ in missing], [t for _, t in missing]
            )
            self._memo.update(zip(missing, found))
        return [self._memo[(s, t)] for s, t in zip(sources, targets)]


class RescoreSession:
    """An n-best list with its sources and references, reranked with new weights.

    Not thread-safe: one thread at a time.
    """

    def __init__(self) -> None:
        self.sources: list[str] = []
        self.references: list[str] | None = None
        self.lists: list[list[Any]] = []
        self._memo: ScoreMemo | None = None

    def load(self, nbest: str, source: str, reference: str = "") -> int:
        """Read an n-best file with its source (and reference) file; lists read."""
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
        """A demo n-best list from the model's own beam (``synthetic_nbest``)."""
        from engine.rescore import synthetic_nbest

        self.sources = [s for s, _ in pairs]
        self.references = [r for _, r in pairs]
        self.lists = synthetic_nbest(translator, self.sources, DecodeConfig(beam=5))
        return len(self.lists)

    def rerank(
        self, translator: Any, weights: tuple[float, float], stop: Stop | None = None
    ) -> RescoreOutcome:
        """Rerank every list by ``weights``; scores are computed once per model."""
        from engine.rescore import rescore

        if not self.lists:
            raise ValueError("Load an n-best file (or make a demo list) first.")
        if self._memo is None or self._memo.translator is not translator:
            self._memo = ScoreMemo(translator)
        report = rescore(
            self._memo, self.sources, self.lists, weights, self.references,
            should_stop=stop,
        )  # fmt: skip
        best = tuple(
            entries[0].hypothesis if entries else "" for entries in report.lists
        )
        return RescoreOutcome(
            report.weights, report.bleu_before, report.bleu_after, report.bleu_oracle,
            len(report.lists), report.hypotheses, best,
        )  # fmt: skip
