"""Hidden-state jobs (worker threads): encoder states, a stable PCA plane, neighbours."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from engine.config import DecodeConfig
from s2s_gui.lab_state import PointInfo, StatesResult

logger = logging.getLogger(__name__)

Stop = Callable[[], bool]


class StatesSession:
    """The model, plane and states of the hidden-states view.

    Used by one worker thread at a time. The plane is fitted once (on the sentences
    or on the run's corpus sample) and then only applied; each sentence is encoded on
    its own and cached, so adding sentences never moves the points already shown.
    ``reset()`` (a new model, a new basis, or the person asking for a refresh) is the
    only thing that refits it.
    """

    def __init__(self) -> None:
        self.translator: Any = None
        self.label = ""
        self.run_dir: Any = None
        self.basis = "sentences"
        self.key: Any = None  # which model choice the states belong to
        self.projection: Any = None
        self._states: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {}
        self._index: Any = None

    def reset(
        self, translator: Any, label: str, run_dir: Any, basis: str, key: Any = None
    ) -> None:
        self.key = key
        self.translator, self.label, self.run_dir = translator, label, run_dir
        self.basis, self.projection = basis, None
        self._states.clear()
        self._index = None

    def _encode(self, sentences: Sequence[str], stop: Stop | None = None) -> None:
        from engine.analysis import encoder_states

        missing = [s for s in dict.fromkeys(sentences) if s not in self._states]
        if not missing:
            return
        tr = self.translator
        final, tokens, pieces = encoder_states(
            tr.models[0], tr.src_tok, missing, tr.device, batch_size=1, should_stop=stop
        )
        for i, s in enumerate(missing):
            self._states[s] = (final[i], tokens[i], pieces[i])

    def _sample(self) -> list[str]:
        from engine.checkpoint import load_source_sample

        sample = load_source_sample(self.run_dir) if self.run_dir else []
        return sample[:1000]

    def project(
        self, pairs: Sequence[tuple[str, str]], stop: Stop | None = None
    ) -> StatesResult:
        """Points of (sentence, group) pairs; fits the plane on first use."""
        from engine.analysis import PcaProjection, encoder_states

        sentences = [s for s, _ in pairs]
        self._encode(sentences, stop)
        if self.projection is None:
            if self.basis == "corpus" and self._sample():
                tr = self.translator
                ref, _, _ = encoder_states(
                    tr.models[0], tr.src_tok, self._sample(), tr.device
                )
            elif sentences:
                ref = np.stack([self._states[s][0] for s in dict.fromkeys(sentences)])
            else:
                ref = None
            if ref is not None:
                self.projection = PcaProjection.fit(ref)
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
        ratio = (
            tuple(self.projection.explained_variance_ratio)
            if self.projection is not None
            else (0.0, 0.0)
        )
        return StatesResult(
            sentences=tuple(sentences),
            groups=tuple(g for _, g in pairs),
            points=points,
            trajectories=traj,
            pieces=tuple(tuple(self._states[s][2]) for s in sentences),
            explained=(float(ratio[0]), float(ratio[1])),
            basis=self.basis
            if self._sample() or self.basis != "corpus"
            else "sentences",
            model=self.label,
        )

    def point_info(
        self, sentence: str, k: int = 5, stop: Stop | None = None
    ) -> PointInfo:
        """The translation of ``sentence`` and its nearest training sentences."""
        from engine.analysis import NearestIndex, encoder_states

        out = self.translator.translate([sentence], DecodeConfig(beam=5))
        translation = out[0].hypotheses[0].text if out and out[0].hypotheses else ""
        if self._index is None:
            sample = self._sample()
            if sample:
                tr = self.translator
                states, _, _ = encoder_states(
                    tr.models[0], tr.src_tok, sample, tr.device, should_stop=stop
                )
                self._index = NearestIndex(states, sample)
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
