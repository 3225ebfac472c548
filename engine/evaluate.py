"""Test-set evaluation: BLEU/chrF with signature, perplexity, speed, Figure 3 buckets."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, replace
from typing import Any

import numpy as np

from engine.config import DecodeConfig
from engine.events import Bucket, EvalReport, Progress, Sample
from engine.image_corpus import group_references
from engine.metrics import (
    DEFAULT_RARITY_BUCKETS,
    SHORT_LENGTH_EDGES,
    bleu_by_length,
    bleu_by_rarity,
    bleu_by_value,
    bleu_signature,
    corpus_bleu,
    corpus_chrf,
    frequency_ranks,
    perplexity,
    pick_tokenize,
    sentence_bleu,
    source_lengths,
    source_rarities,
    words,
)

logger = logging.getLogger(__name__)

# Sentences handed to the Translator at a time: each chunk is a progress/cancel point.
CHUNK_BATCHES = 4


def evaluate(
    translator: Any,
    pairs: Sequence[tuple[str, str]],
    decode_cfg: DecodeConfig,
    train_sources: Iterable[str] | None = None,
    should_stop: Callable[[], bool] | None = None,
    tokenize: str = "auto",
    length_buckets: Sequence[float] | int | None = None,
    rarity_buckets: Sequence[float] | int = DEFAULT_RARITY_BUCKETS,
) -> Iterator[Progress | EvalReport]:
    """Decode a test set, score it, and report (a generator; see DESIGN.md sec. 2).

    Yields ``Progress(stage="decode" | "score", done, total)`` after every chunk of
    sentences, then one :class:`EvalReport`. A source that comes more than once (an
    image with several captions, a sentence with several translations) is decoded
    once and scored against all its references (multi-reference BLEU and chrF);
    perplexity counts every reference. For a captioner (``translator.images``) the
    length buckets are by caption length and there is no rarity breakdown.  When ``should_stop()`` turns true the
    generator ends after the current chunk without a report.

    Args:
        translator: an ``engine.translate.Translator`` (one model or an ensemble).
        pairs: (source, reference) test pairs.
        decode_cfg: beam, alpha, length limit, batch size (nbest is ignored: the
            top hypothesis is evaluated).
        train_sources: training source sentences, for BLEU by word rarity; None
            leaves ``by_rarity`` empty.
        should_stop: polled between chunks.
        tokenize: sacrebleu tokenizer, or "auto" to pick it from the references'
            script (13a; zh for Chinese; char for Japanese, Korean, Thai).
        length_buckets: see ``engine.metrics.bleu_by_length`` (None: by corpus).
        rarity_buckets: see ``engine.metrics.bleu_by_rarity`` (default 5 quantiles).
    """
    all_sources = [s for s, _ in pairs]
    all_refs = [r for _, r in pairs]
    distinct, ref_lists = group_references(all_sources, all_refs)
    # Sources that come more than once (an image's captions, a sentence with several
    # translations) are decoded once and scored against all their references.
    multi = len(distinct) < len(all_sources)
    sources = distinct if multi else all_sources
    refs: list = ref_lists if multi else all_refs
    images = bool(getattr(translator, "images", False))
    total = len(sources)
    tok = pick_tokenize(all_refs) if tokenize == "auto" else tokenize
    cfg = decode_cfg if decode_cfg.nbest == 1 else replace(decode_cfg, nbest=1)
    step = max(1, cfg.batch_size * CHUNK_BATCHES)

    hyps: list[str] = []
    decode_s = 0.0
    for start in range(0, total, step):
        if should_stop is not None and should_stop():
            logger.info("evaluation stopped after %d of %d sentences", start, total)
            return
        t0 = time.perf_counter()
        out = translator.translate(sources[start : start + step], cfg)
        decode_s += time.perf_counter() - t0
        hyps.extend(tr.hypotheses[0].text if tr.hypotheses else "" for tr in out)
        yield Progress("decode", len(hyps), total, f"{len(hyps)}/{total} decoded")

    nll, tokens = 0.0, 0
    n_pairs = len(pairs)
    for start in range(0, n_pairs, step):  # every reference is scored
        if should_stop is not None and should_stop():
            logger.info("evaluation stopped while scoring references")
            return
        end = start + step
        for lp in translator.score(all_sources[start:end], all_refs[start:end]):
            nll -= float(lp.sum())
            tokens += len(lp)
        done = min(end, n_pairs)
        yield Progress("score", done, n_pairs, f"{done}/{n_pairs} references scored")

    rows = tuple(
        Sample(
            s, r if isinstance(r, str) else " | ".join(r), h, sentence_bleu(h, r, tok)
        )
        for s, r, h in zip(sources, refs, hyps, strict=True)
    )
    by_rarity: tuple[Bucket, ...] = ()
    if train_sources is not None and not images:
        if not isinstance(train_sources, dict):
            train_sources = frequency_ranks(train_sources)  # counted once for both
        by_rarity = tuple(
            bleu_by_rarity(sources, hyps, refs, train_sources, rarity_buckets, tok)
        )
    if images:  # an image has no length: captions are bucketed by their own length
        lengths = caption_lengths(refs)
        by_length = bleu_by_value(
            lengths.tolist(), hyps, refs, length_buckets or SHORT_LENGTH_EDGES, tok,
            integer=not isinstance(length_buckets, int),
        )  # fmt: skip
    else:
        lengths = source_lengths(sources)
        by_length = bleu_by_length(sources, hyps, refs, length_buckets, tok)
    report = EvalReport(
        bleu=corpus_bleu(hyps, refs, tok),
        chrf=corpus_chrf(hyps, refs),
        signature=bleu_signature(tok, max(len(r) for r in ref_lists) if multi else 1),
        ppl=perplexity(nll, tokens),
        sentences=total,
        sentences_per_s=total / decode_s if decode_s > 0 else 0.0,
        by_length=tuple(by_length),
        by_rarity=by_rarity,
        rows=rows,
        lengths=lengths,
        rarities=source_rarities(sources, None if images else train_sources),
    )
    logger.info(
        "BLEU %.2f chrF %.2f ppl %.2f on %d sentences (%.1f sentences/s)",
        report.bleu,
        report.chrf,
        report.ppl,
        total,
        report.sentences_per_s,
    )
    yield report


def caption_lengths(refs: Sequence[str | Sequence[str]]) -> np.ndarray:
    """Mean length in words of each image's reference captions, (N,) float."""
    return np.array(
        [
            np.mean([len(words(x)) for x in ([r] if isinstance(r, str) else r)])
            for r in refs
        ],
        dtype=float,
    )


def run_evaluation(
    translator: Any,
    pairs: Sequence[tuple[str, str]],
    decode_cfg: DecodeConfig,
    train_sources: Iterable[str] | None = None,
    **kwargs: Any,
) -> EvalReport:
    """Consume :func:`evaluate` and return its report (for scripts and the CLI)."""
    report = None
    for event in evaluate(translator, pairs, decode_cfg, train_sources, **kwargs):
        if isinstance(event, EvalReport):
            report = event
        else:
            logger.debug("%s %d/%d", event.stage, event.done, event.total)
    if report is None:  # only possible with should_stop
        raise InterruptedError("evaluation stopped")
    return report


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def bucket_to_dict(bucket: Bucket) -> dict[str, Any]:
    """A JSON-safe dict (``high`` is None for the open last bucket)."""
    out = asdict(bucket)
    out["high"] = _finite(bucket.high)
    return out


def report_to_dict(report: EvalReport, rows: bool = False) -> dict[str, Any]:
    """The ``s2s eval --json`` object (DESIGN.md sec. 4); NaN/inf become null.

    Args:
        report: an evaluation report.
        rows: also include the per-sentence rows (source, reference, hypothesis,
            bleu) under ``"rows"``.
    """
    out: dict[str, Any] = {
        "bleu": report.bleu,
        "chrf": report.chrf,
        "signature": report.signature,
        "ppl": _finite(report.ppl),
        "sentences": report.sentences,
        "sentences_per_s": report.sentences_per_s,
        "by_length": [bucket_to_dict(b) for b in report.by_length],
        "by_rarity": [bucket_to_dict(b) for b in report.by_rarity],
    }
    if rows:
        out["rows"] = [asdict(r) for r in report.rows]
    return out


def format_report(report: EvalReport) -> str:
    """A short human-readable summary with the bucket tables (for the CLI)."""
    lines = [
        f"BLEU {report.bleu:.2f}  chrF {report.chrf:.2f}  ppl {report.ppl:.2f}  "
        f"{report.sentences} sentences  {report.sentences_per_s:.1f} sentences/s",
        report.signature,
    ]
    for title, buckets in (
        ("source length (words)", report.by_length),
        ("average word-frequency rank", report.by_rarity),
    ):
        if buckets:
            lines.append(f"BLEU by {title}:")
            lines.extend(
                f"  {b.label:>12}  n={b.count:<6d} BLEU {b.bleu:6.2f}  chrF {b.chrf:6.2f}"
                for b in buckets
            )
    return "\n".join(lines)
