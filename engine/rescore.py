"""Moses n-best lists: read, write, rescore with the model (the paper's SMT rescoring)."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from engine.data import DataError
from engine.metrics import corpus_bleu, sentence_bleu
from engine.readers import read_text_lines
from engine.utils import atomic_write_text

logger = logging.getLogger(__name__)

SEP = "|||"
MODEL_FEATURE = "Seq2Seq="  # the model score appended to the features when writing


@dataclass(frozen=True, slots=True)
class NbestEntry:
    """One line of a Moses n-best list: ``id ||| hypothesis ||| features ||| score``."""

    id: int  # 0-based sentence number
    hypothesis: str  # whitespace normalised to single spaces
    features: str  # e.g. "LM0= -24.1 TM0= -3.2 -4.0"; kept as text
    score: float  # the baseline (SMT) total score
    extra: tuple[str, ...] = ()  # any further fields (alignments...), kept as is


@dataclass(frozen=True, slots=True)
class RescoreReport:
    """Reranked lists and, given references, BLEU before/after/oracle."""

    lists: tuple[tuple[NbestEntry, ...], ...]  # per sentence, best combined first;
    # each entry's score is the combined score and its features end "Seq2Seq= m"
    model_scores: tuple[tuple[float, ...], ...]  # per sentence, in reranked order
    weights: tuple[float, float]  # (model, baseline)
    bleu_before: float | None  # top baseline hypotheses
    bleu_after: float | None  # top combined hypotheses
    bleu_oracle: float | None  # per list the best sentence-BLEU hypothesis
    hypotheses: int  # scored in all


def parse_nbest_line(
    line: str, path: str | Path = "<n-best>", lineno: int = 0
) -> NbestEntry:
    """Parse one n-best line; extra spaces anywhere are fine.

    Raises:
        DataError: naming ``path:lineno`` when the line is malformed.
    """
    fields = [f.strip() for f in line.rstrip("\r\n").split(SEP)]
    if len(fields) < 4:
        raise DataError(
            path,
            lineno,
            f"expected 'id ||| hypothesis ||| features ||| score', found {len(fields)}"
            " field(s)",
        )
    raw_id, hyp, features, raw_score, *extra = fields
    try:
        sent_id = int(raw_id)
    except ValueError:
        raise DataError(
            path, lineno, f"sentence id {raw_id!r} is not a number"
        ) from None
    if sent_id < 0:
        raise DataError(path, lineno, f"sentence id {sent_id} is negative")
    try:
        score = float(raw_score)
    except ValueError:
        raise DataError(path, lineno, f"score {raw_score!r} is not a number") from None
    if not np.isfinite(score):
        raise DataError(path, lineno, f"score {raw_score!r} is not finite")
    return NbestEntry(
        sent_id, " ".join(hyp.split()), " ".join(features.split()), score, tuple(extra)
    )


def read_nbest(
    path: str | Path, n_sentences: int | None = None
) -> list[list[NbestEntry]]:
    """Read a Moses n-best list, grouped by sentence id (file order kept within a list).

    Args:
        path: the n-best file (UTF-8).
        n_sentences: when given, the number of source sentences: ids must be below it
            and the result has exactly this many lists (empty where no line names them).
    Returns:
        One list of entries per sentence id 0..max id (or n_sentences - 1).
    Raises:
        DataError: ``path:line: message`` for a malformed line or an id out of range.
    """
    path = Path(path)
    groups: dict[int, list[NbestEntry]] = {}
    # refuses FIFOs, devices and folders; decoding errors name the line
    for lineno, line in enumerate(read_text_lines(path), start=1):
        if not line.strip():
            continue
        entry = parse_nbest_line(line, path, lineno)
        if n_sentences is not None and entry.id >= n_sentences:
            raise DataError(
                path, lineno, f"sentence id {entry.id} but only {n_sentences} sources"
            )
        groups.setdefault(entry.id, []).append(entry)
    size = n_sentences if n_sentences is not None else max(groups, default=-1) + 1
    return [groups.get(i, []) for i in range(size)]


def format_nbest_line(entry: NbestEntry) -> str:
    """One Moses n-best line (no newline)."""
    fields = [str(entry.id), entry.hypothesis, entry.features, repr(float(entry.score))]
    return f" {SEP} ".join(fields + list(entry.extra))


def write_nbest(path: str | Path, lists: Sequence[Sequence[NbestEntry]]) -> None:
    """Write n-best lists (in the given order) atomically."""
    lines = [format_nbest_line(e) for entries in lists for e in entries]
    atomic_write_text(Path(path), "".join(line + "\n" for line in lines))


def model_scores(
    translator: Any,
    sources: Sequence[str],
    nbest: Sequence[Sequence[NbestEntry]],
    chunk: int = 512,
    should_stop: Callable[[], bool] | None = None,
) -> list[list[float]]:
    """Length-normalised model log-prob (mean per target token, EOS included) of
    every hypothesis, from ``translator.score`` (forced decoding)."""
    if len(sources) != len(nbest):
        raise ValueError(f"{len(sources)} sources but {len(nbest)} n-best lists")
    pairs = [(i, e.hypothesis) for i, entries in enumerate(nbest) for e in entries]
    flat: list[float] = []
    for start in range(0, len(pairs), chunk):
        if should_stop is not None and should_stop():
            raise InterruptedError("rescoring: stopped")
        part = pairs[start : start + chunk]
        logprobs = translator.score([sources[i] for i, _ in part], [h for _, h in part])
        flat.extend(float(np.mean(lp)) if len(lp) else 0.0 for lp in logprobs)
    out, pos = [], 0
    for entries in nbest:
        out.append(flat[pos : pos + len(entries)])
        pos += len(entries)
    return out


def _top(entries: Sequence[NbestEntry]) -> str:
    """The hypothesis with the highest score (first one on ties); '' for no entries."""
    if not entries:
        return ""
    return max(enumerate(entries), key=lambda p: (p[1].score, -p[0]))[1].hypothesis


def rescore(
    translator: Any,
    sources: Sequence[str],
    nbest: Sequence[Sequence[NbestEntry]],
    weights: tuple[float, float] = (0.5, 0.5),
    references: Sequence[str] | None = None,
    tokenize: str = "13a",
    should_stop: Callable[[], bool] | None = None,
) -> RescoreReport:
    """Rerank n-best lists by ``w_model * model + w_base * baseline``.

    The model score is the length-normalised log-prob of the hypothesis given the
    source (Sutskever et al. 2014 averaged the LSTM's score with the SMT score:
    weights (0.5, 0.5)).  Ties keep the baseline order.

    Args:
        translator: an ``engine.translate.Translator`` (one model or an ensemble).
        sources: N source sentences.
        nbest: N lists (from :func:`read_nbest` with ``n_sentences=N``).
        weights: (model weight, baseline weight).
        references: N references for BLEU before/after/oracle, or None.
        tokenize: sacrebleu tokenizer for BLEU.
        should_stop: checked between scoring chunks; raises ``InterruptedError``.
    Returns:
        The reranked lists and the BLEU report.
    """
    w_model, w_base = (float(w) for w in weights)
    scores = model_scores(translator, sources, nbest, should_stop=should_stop)
    lists, kept_scores = [], []
    for entries, mscores in zip(nbest, scores, strict=True):
        base = sorted(range(len(entries)), key=lambda j: -entries[j].score)  # stable
        combined = {j: w_model * mscores[j] + w_base * entries[j].score for j in base}
        order = sorted(base, key=lambda j: -combined[j])  # stable: ties keep base order
        lists.append(
            tuple(
                replace(
                    entries[j],
                    score=combined[j],
                    features=f"{entries[j].features} {MODEL_FEATURE} {mscores[j]:.6g}",
                )
                for j in order
            )
        )
        kept_scores.append(tuple(mscores[j] for j in order))
    before = after = oracle = None
    if references is not None:
        if len(references) != len(nbest):
            raise ValueError(f"{len(references)} references but {len(nbest)} lists")
        top_base = [_top(entries) for entries in nbest]
        top_comb = [entries[0].hypothesis if entries else "" for entries in lists]
        best = [
            max(
                (e.hypothesis for e in entries),
                key=lambda h, r=ref: sentence_bleu(h, r, tokenize),
                default="",
            )
            for entries, ref in zip(nbest, references, strict=True)
        ]
        before = corpus_bleu(top_base, references, tokenize)
        after = corpus_bleu(top_comb, references, tokenize)
        oracle = corpus_bleu(best, references, tokenize)
        logger.info("BLEU before %.2f after %.2f oracle %.2f", before, after, oracle)
    return RescoreReport(
        lists=tuple(lists),
        model_scores=tuple(kept_scores),
        weights=(w_model, w_base),
        bleu_before=before,
        bleu_after=after,
        bleu_oracle=oracle,
        hypotheses=sum(len(e) for e in nbest),
    )


def _perturb(words: list[str], rng: random.Random) -> list[str]:
    """Drop, duplicate or swap one word (a plausible SMT-style error)."""
    if len(words) < 2:
        return words + words[:1]
    out = list(words)
    i = rng.randrange(len(out))
    kind = rng.randrange(3)
    if kind == 0:
        del out[i]
    elif kind == 1:
        out.insert(i, out[i])
    else:
        j = (i + 1) % len(out)
        out[i], out[j] = out[j], out[i]
    return out


def synthetic_nbest(
    translator: Any,
    sources: Sequence[str],
    decode_cfg: Any,
    extra: int = 5,
    noise: float = 1.0,
    seed: int = 1,
) -> list[list[NbestEntry]]:
    """A fake SMT n-best list for demos and tests: the model's own beam n-best plus
    ``extra`` perturbed copies of its best hypothesis (one word dropped, doubled or
    swapped), with baseline score = the hypothesis' model score (perturbed copies
    get a 1.0 penalty) + Gaussian noise of std ``noise``, sorted by that score.

    Args:
        translator: an ``engine.translate.Translator``.
        sources: source sentences.
        decode_cfg: a ``DecodeConfig``; its nbest is raised to the beam size.
        extra: perturbed hypotheses added per sentence.
        noise: std of the noise added to the baseline scores.
        seed: seed of the noise and the perturbations.
    Returns:
        One list per source, sorted by baseline score, as :func:`read_nbest` gives.
    """
    rng = random.Random(seed)
    cfg = replace(decode_cfg, nbest=decode_cfg.beam)
    translations = translator.translate(list(sources), cfg)
    out = []
    for i, tr in enumerate(translations):
        candidates: dict[str, float] = {}
        for hyp in tr.hypotheses:
            candidates.setdefault(" ".join(hyp.text.split()), float(hyp.score))
        best = tr.hypotheses[0] if tr.hypotheses else None
        if best is not None:
            for _ in range(extra):
                text = " ".join(_perturb(best.text.split(), rng))
                candidates.setdefault(text, float(best.score) - 1.0)
        entries = []
        for text, score in candidates.items():
            noisy = score + rng.gauss(0.0, noise)
            entries.append(NbestEntry(i, text, f"Model= {score:.6g}", noisy))
        entries.sort(key=lambda e: -e.score)
        out.append(entries)
    return out
