"""Frozen event dataclasses that cross the engine boundary (numbers, str, numpy only)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, slots=True)
class Progress:
    """Progress of a slow preparatory stage (reading data, training a tokenizer...)."""

    stage: str  # "data" | "tokenizer" | "batches" | "decode" | "states" ...
    done: int
    total: int  # 0 when unknown
    message: str = ""


@dataclass(frozen=True, slots=True)
class CorpusReport:
    """What was read: counts of kept and dropped pairs, with reasons."""

    source: str
    pairs: int  # kept for training
    dev_pairs: int
    dropped: tuple[tuple[str, int], ...] = ()  # (reason, count)
    src_lengths: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    tgt_lengths: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))


@dataclass(frozen=True, slots=True)
class TrainStart:
    run_dir: str
    device: str  # human-readable, e.g. "CPU (2 threads)" or "CUDA: NVIDIA H100"
    parameters: int
    train_pairs: int
    dev_pairs: int
    src_vocab: int
    tgt_vocab: int
    steps_per_epoch: int
    start_step: int  # > 0 when resuming
    total_steps: int  # 0 when unknown


@dataclass(frozen=True, slots=True)
class TrainStep:
    epoch: float  # fractional epoch
    step: int
    loss: float  # mean per target token over the last log window
    ppl: float
    lr: float
    grad_norm: float
    tokens_per_s: float  # source + target tokens per second
    tgt_tokens_per_s: float
    elapsed_s: float
    eta_s: float  # -1 when unknown


@dataclass(frozen=True, slots=True)
class Sample:
    source: str
    reference: str
    hypothesis: str
    bleu: float  # sentence BLEU


@dataclass(frozen=True, slots=True)
class EvalResult:
    step: int
    epoch: float
    dev_loss: float
    dev_ppl: float
    bleu: float
    chrf: float
    samples: tuple[Sample, ...] = ()
    best: bool = False


@dataclass(frozen=True, slots=True)
class CheckpointSaved:
    step: int
    path: str
    best: bool


@dataclass(frozen=True, slots=True)
class TrainWarning:
    step: int
    message: str


@dataclass(frozen=True, slots=True)
class TrainFinished:
    reason: (
        str  # "stopped" | "converged" | "max_steps" | "max_minutes" | "epochs" | "nan"
    )
    step: int
    epochs: float
    train_tokens_per_s: float
    dev_ppl: float  # nan when no evaluation ran
    dev_bleu: float


TrainEvent = (
    Progress
    | CorpusReport
    | TrainStart
    | TrainStep
    | EvalResult
    | CheckpointSaved
    | TrainWarning
    | TrainFinished
)


@dataclass(frozen=True, slots=True)
class Bucket:
    """One bucket of a BLEU breakdown (Sutskever et al. 2014, Figure 3).

    The bucket holds the sentences whose value (source length in words, or average
    word-frequency rank) lies in ``[low, high)``; ``high`` is ``inf`` for the last.
    """

    label: str  # e.g. "4-5", "16+", "120-340"
    low: float
    high: float
    count: int  # sentences in the bucket (never 0: empty buckets are left out)
    bleu: float  # corpus BLEU of the bucket's sentences
    chrf: float


@dataclass(frozen=True, slots=True)
class EvalReport:
    """The result of evaluating a model on a test set (`s2s eval`)."""

    bleu: float
    chrf: float
    signature: str  # sacrebleu signatures of BLEU and chrF
    ppl: float  # token-level perplexity of the references (forced decoding)
    sentences: int
    sentences_per_s: float  # decoding speed
    by_length: tuple[Bucket, ...] = ()
    by_rarity: tuple[Bucket, ...] = ()  # empty when no training sources were given
    rows: tuple[Sample, ...] = ()  # per sentence, in input order
    # per row: source length in words (engine.metrics.source_lengths), (N,) float
    lengths: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # per row: average word-frequency rank, nan without training sources, (N,)
    rarities: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass(frozen=True, slots=True)
class BeamStep:
    """One beam-search step of one sentence: the candidates kept and the best pruned ones.

    Candidate ``i`` of step ``t`` extends candidate ``parents[i]`` of step ``t - 1`` (the
    root, BOS, is ``-1`` at step 0). A kept candidate that ``finished`` (EOS, or the
    length limit) left the beam and is never a parent. Scores are accumulated log-probs.
    """

    step: int  # 0-based target position of the new tokens
    tokens: np.ndarray  # (K,) int64: token appended by each kept candidate
    parents: np.ndarray  # (K,) int64: index into the previous step's kept candidates
    scores: np.ndarray  # (K,) float32: accumulated log-prob
    finished: np.ndarray  # (K,) bool
    pruned_tokens: np.ndarray  # (P,) int64: the next-best candidates that were dropped
    pruned_parents: np.ndarray  # (P,) int64
    pruned_scores: np.ndarray  # (P,) float32
    pieces: tuple[str, ...] = ()  # pieces of ``tokens`` (filled in by the Translator)
    pruned_pieces: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TranslatedHypothesis:
    """One n-best entry. ``pieces`` ends with the EOS piece when the hypothesis ended
    with EOS, so that ``pieces``, ``token_logprobs`` and attention rows line up."""

    text: str  # detokenised
    pieces: tuple[str, ...]  # (T,)
    logprob: float  # total log-prob (sum of token_logprobs)
    score: float  # logprob / T**alpha
    token_logprobs: np.ndarray  # (T,) float32
    attention: np.ndarray | None  # (T, S) over source_pieces; None without attention


@dataclass(frozen=True, slots=True)
class Translation:
    """A source sentence with its n-best list (sorted by score) and optional beam tree.

    Empty or blank input gives one hypothesis with empty text and no tokens.
    """

    source: str
    source_pieces: tuple[str, ...]  # (S,) source pieces including the final EOS piece
    hypotheses: tuple[TranslatedHypothesis, ...]
    steps: tuple[BeamStep, ...] = ()  # filled when history was requested
    notice: str = ""  # e.g. "The input is too long...": shown beside the result


# ---------------------------------------------------------------------- lab results
@dataclass(frozen=True, slots=True)
class ReferenceScore:
    """Forced decoding of a reference: where the model is surprised."""

    source: str
    reference: str
    pieces: tuple[str, ...]  # (T,) target pieces, the last one is EOS
    token_logprobs: np.ndarray  # (T,) float32


@dataclass(frozen=True, slots=True)
class TranslateResult:
    """What one translate request produced."""

    request: int  # the request number; answers to older requests are stale
    translations: tuple[Translation, ...]
    reference: ReferenceScore | None
    seconds: float  # decoding time
    model: str  # e.g. "live (step 1,200)" or "eng-fra"


@dataclass(frozen=True, slots=True)
class StatesResult:
    """PCA points of sentences' encoder states, in the order of ``sentences``."""

    sentences: tuple[str, ...]
    groups: tuple[str, ...]
    points: np.ndarray  # (N, 2)
    trajectories: tuple[np.ndarray, ...]  # per sentence (len_i, 2) per-token points
    pieces: tuple[tuple[str, ...], ...]
    explained: tuple[float, float]  # explained variance ratio of the two axes
    basis: str  # "sentences" | "corpus": what the plane was fitted on
    model: str


@dataclass(frozen=True, slots=True)
class PointInfo:
    """One sentence of a states plot: its translation and nearest training sentences."""

    sentence: str
    translation: str
    neighbours: tuple[tuple[str, float], ...]  # (sentence, cosine similarity)


@dataclass(frozen=True, slots=True)
class EvalOutcome:
    """An evaluation report with what was evaluated, by which model."""

    report: EvalReport
    test: str  # e.g. "the dev split" or a file name
    model: str

    @property
    def lengths(self) -> np.ndarray:
        return self.report.lengths

    @property
    def rarities(self) -> np.ndarray:
        return self.report.rarities


@dataclass(frozen=True, slots=True)
class RescoreOutcome:
    """N-best lists reranked with new weights (``engine.sessions.RescoreSession``)."""

    weights: tuple[float, float]
    bleu_before: float | None
    bleu_after: float | None
    bleu_oracle: float | None
    lists: int
    hypotheses: int
    best: tuple[str, ...] = ()  # reranked top hypothesis per sentence
