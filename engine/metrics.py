"""BLEU and chrF (sacrebleu), perplexity, and the paper's Figure 3 BLEU breakdowns."""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from sacrebleu.metrics import BLEU, CHRF

from engine.events import Bucket

logger = logging.getLogger(__name__)

# sacrebleu tokenizers usable with no extra package and no download. "ja-mecab" and
# "ko-mecab" need MeCab dictionaries and "flores101/200"/"spm" download a
# sentencepiece model, so they are not offered.
#   13a   the WMT standard (mteval-v13a): splits punctuation; right for Latin, Cyrillic,
#         Greek... scripts that separate words with spaces.  The default.
#   intl  like 13a but splits on all Unicode punctuation and symbols.
#   zh    every Chinese character is a token; the rest as 13a.  For Chinese targets.
#   char  every character is a token.  For Japanese, Korean, Thai... targets, where
#         the usual tokenizers (MeCab) are not installed.
#   none  the text as is (already tokenized).
#   auto  pick one of the above from the references' script (see pick_tokenize).
TOKENIZERS = ("13a", "intl", "zh", "char", "none")
DEFAULT_TOKENIZE = "13a"

# Lower edges of the source-length buckets, in words (Figure 3, left).  SHORT fits
# Tatoeba/Anki pairs (median ~6 words); LONG follows the paper's axis (news text).
SHORT_LENGTH_EDGES: tuple[float, ...] = (0, 4, 6, 8, 10, 13, 16)
LONG_LENGTH_EDGES: tuple[float, ...] = (0, 8, 12, 17, 22, 28, 35, 50)
# Rarity (average frequency rank) depends on the vocabulary size, so by default its
# buckets are quantiles: this many buckets of roughly equal sentence count.
DEFAULT_RARITY_BUCKETS = 5

_PUNCT_EDGES = re.compile(r"^[\W_]+|[\W_]+$")


# A sentence's reference is a string, or a list of strings when it has several (image
# captions; a sentence with several translations): BLEU then counts an n-gram as
# matched when any of them has it, and the closest reference length is used.
References = Sequence[str] | Sequence[Sequence[str]]


def _check_lengths(hyps: Sequence[str], refs: References) -> None:
    if len(hyps) != len(refs):
        raise ValueError(f"{len(hyps)} hypotheses but {len(refs)} references")


def _streams(refs: References) -> list[list[str | None]]:
    """sacrebleu's reference streams: one stream for single references (as before),
    else one per reference position, None where a sentence has fewer."""
    if all(isinstance(r, str) for r in refs):
        return [list(refs)]  # type: ignore[list-item]
    lists = [[r] if isinstance(r, str) else list(r) for r in refs]
    width = max(len(x) for x in lists)
    return [[x[i] if i < len(x) else None for x in lists] for i in range(width)]


def _flat(refs: References) -> list[str]:
    """Every reference string (to pick a tokenizer from)."""
    return [x for r in refs for x in ([r] if isinstance(r, str) else r)]


def _script_share(texts: Iterable[str]) -> dict[str, float]:
    """Fraction of the letters that are Han, kana, Hangul or Thai."""
    counts: Counter[str] = Counter()
    for text in texts:
        for ch in text:
            if not ch.isalpha():
                continue
            name = unicodedata.name(ch, "")
            if name.startswith("CJK UNIFIED") or name.startswith("CJK COMPATIBILITY"):
                counts["han"] += 1
            elif name.startswith(("HIRAGANA", "KATAKANA")):
                counts["kana"] += 1
            elif name.startswith("HANGUL"):
                counts["hangul"] += 1
            elif name.startswith("THAI"):
                counts["thai"] += 1
            counts["all"] += 1
    total = max(counts.pop("all", 0), 1)
    return {k: v / total for k, v in counts.items()}


def pick_tokenize(references: Sequence[str]) -> str:
    """Choose a sacrebleu tokenizer from the script of the references.

    Japanese (any kana), Korean and Thai get ``char``; Chinese (mostly Han, no kana)
    gets ``zh``; everything else gets ``13a``.

    Args:
        references: target-side sentences (a sample is enough).
    Returns:
        One of :data:`TOKENIZERS`.
    """
    share = _script_share(references[:2000])
    if share.get("kana", 0) > 0.05 or share.get("hangul", 0) > 0.3:
        return "char"
    if share.get("thai", 0) > 0.3:
        return "char"
    if share.get("han", 0) > 0.3:
        return "zh"
    return DEFAULT_TOKENIZE


def _resolve(tokenize: str, refs: Sequence[str]) -> str:
    if tokenize == "auto":
        return pick_tokenize(refs)
    if tokenize not in TOKENIZERS:
        raise ValueError(
            f"unknown BLEU tokenizer {tokenize!r}; choose auto, {', '.join(TOKENIZERS)}"
        )
    return tokenize


@lru_cache(maxsize=16)
def _bleu(tokenize: str, effective_order: bool) -> BLEU:
    return BLEU(tokenize=tokenize, effective_order=effective_order)


@lru_cache(maxsize=2)
def _chrf() -> CHRF:
    return CHRF()


def corpus_bleu(
    hyps: Sequence[str],
    refs: References,
    tokenize: str = "13a",
    effective_order: bool = False,
) -> float:
    """Corpus BLEU (0-100) of detokenized hypotheses against one reference each.

    Args:
        hyps: system outputs, plain text.
        refs: references, same length as ``hyps``: a string each, or a list of
            strings for sentences with several references.
        tokenize: a sacrebleu tokenizer from :data:`TOKENIZERS`, or ``"auto"``.
        effective_order: leave out n-gram orders the corpus has none of (only
            matters when every sentence is shorter than 4 tokens; then standard
            BLEU is 0 however good the output).
    Returns:
        BLEU in [0, 100]; 0.0 for an empty corpus.
    """
    _check_lengths(hyps, refs)
    if not hyps:
        return 0.0
    tok = _resolve(tokenize, _flat(refs))
    metric = _bleu(tok, effective_order)
    return float(metric.corpus_score(list(hyps), _streams(refs)).score)


def corpus_chrf(hyps: Sequence[str], refs: References) -> float:
    """Corpus chrF2 (0-100); character n-grams, so it needs no tokenizer."""
    _check_lengths(hyps, refs)
    if not hyps:
        return 0.0
    return float(_chrf().corpus_score(list(hyps), _streams(refs)).score)


def sentence_bleu(hyp: str, ref: str | Sequence[str], tokenize: str = "13a") -> float:
    """Smoothed sentence BLEU (0-100; sacrebleu ``exp`` smoothing, effective order)
    against one reference or several."""
    refs = [ref] if isinstance(ref, str) else list(ref)
    tok = _resolve(tokenize, refs)
    return float(_bleu(tok, True).sentence_score(hyp, refs).score)


def sentence_chrf(hyp: str, ref: str) -> float:
    """Sentence chrF2 (0-100)."""
    return float(_chrf().sentence_score(hyp, [ref]).score)


def bleu_signature(tokenize: str = "13a", nrefs: int = 1) -> str:
    """sacrebleu's signatures of BLEU and chrF, e.g. ``"BLEU: nrefs:1|...|tok:13a|...

    / chrF2: nrefs:1|...|version:2.6.0"`` (one line), for reproducible reports.
    ``nrefs`` > 1: the most references a sentence has.
    """
    if tokenize == "auto":
        raise ValueError("resolve 'auto' with pick_tokenize(references) first")
    bleu_metric, chrf_metric = BLEU(tokenize=_resolve(tokenize, [])), CHRF()
    for metric in (bleu_metric, chrf_metric):  # the signature needs nrefs: score once
        metric.corpus_score(["a"], [["a"]] * max(1, nrefs))
    bleu = bleu_metric.get_signature().format()
    chrf = chrf_metric.get_signature().format()
    return f"BLEU: {bleu} / chrF2: {chrf}"


def perplexity(nll_sum: float, tokens: int) -> float:
    """exp(total negative log-likelihood / tokens); inf on overflow, nan for 0 tokens."""
    if tokens <= 0:
        return math.nan
    try:
        return math.exp(nll_sum / tokens)
    except OverflowError:
        return math.inf


def perplexity_from_logprobs(token_logprobs: Iterable[np.ndarray]) -> float:
    """Token-level perplexity from per-sentence arrays of natural-log token probs."""
    total, count = 0.0, 0
    for lp in token_logprobs:
        arr = np.asarray(lp, dtype=np.float64)
        total -= float(arr.sum())
        count += arr.size
    return perplexity(total, count)


# ----------------------------------------------------------------------------------
# Figure 3: BLEU by sentence length and by average word-frequency rank


def words(sentence: str) -> list[str]:
    """Words for length and rarity: whitespace tokens, lower-cased, edge punctuation
    stripped; tokens made only of punctuation are dropped ("Tom's here." -> 2)."""
    out = []
    for token in sentence.lower().split():
        token = _PUNCT_EDGES.sub("", token)
        if token:
            out.append(token)
    return out


def frequency_ranks(train_sources: Iterable[str]) -> dict[str, int]:
    """Rank of every training word by frequency: 1 = most frequent (ties by first seen)."""
    counts: Counter[str] = Counter()
    for sentence in train_sources:
        counts.update(words(sentence))
    return {w: i + 1 for i, (w, _) in enumerate(counts.most_common())}


def average_rank(sentence: str, ranks: dict[str, int]) -> float:
    """Mean frequency rank of the sentence's words; unseen words count as
    ``len(ranks) + 1``; a sentence without words gets 0."""
    ws = words(sentence)
    if not ws:
        return 0.0
    unseen = len(ranks) + 1
    return float(np.mean([ranks.get(w, unseen) for w in ws]))


def _edges(values: np.ndarray, buckets: Sequence[float] | int) -> np.ndarray:
    """Lower bucket edges: given explicitly, or ``buckets`` quantiles of ``values``."""
    if isinstance(buckets, int):
        if buckets < 1:
            raise ValueError("need at least one bucket")
        if values.size == 0:
            return np.zeros(1)
        qs = np.quantile(values, np.linspace(0.0, 1.0, buckets + 1)[:-1])
        return np.unique(qs)
    edges = np.asarray(sorted(float(e) for e in buckets))
    if edges.size == 0:
        raise ValueError("need at least one bucket edge")
    return np.unique(edges)


def _label(low: float, high: float, integer: bool) -> str:
    if integer:
        lo = math.ceil(low)
        if math.isinf(high):
            return f"{lo}+"
        hi = math.ceil(high) - 1
        return str(lo) if hi <= lo else f"{lo}-{hi}"

    def fmt(x: float) -> str:
        return f"{x:.1f}" if abs(x) < 10 else f"{x:.0f}"

    return f"{fmt(low)}+" if math.isinf(high) else f"{fmt(low)}-{fmt(high)}"


def bleu_by_value(
    values: Sequence[float],
    hyps: Sequence[str],
    refs: References,
    buckets: Sequence[float] | int,
    tokenize: str = "13a",
    integer: bool = False,
) -> list[Bucket]:
    """Corpus BLEU and chrF per bucket of a per-sentence value.

    Bucket ``i`` holds the sentences with ``edges[i] <= value < edges[i + 1]``; the
    first bucket reaches down to the smallest value and the last is open, so the
    buckets partition the sentences.  Empty buckets are left out.  Bucket BLEU uses
    the effective n-gram order, so that a bucket of sentences shorter than 4 tokens
    is not 0 by definition (for other buckets it equals standard corpus BLEU).

    Args:
        values: one number per sentence (length, average rank...).
        hyps: system outputs.
        refs: references.
        buckets: lower edges, or a count of quantile buckets.
        tokenize: sacrebleu tokenizer (resolved once over all references).
        integer: label buckets as integer ranges ("4-5") rather than "4-6".
    Returns:
        Non-empty buckets in increasing order of value.
    """
    _check_lengths(hyps, refs)
    if len(values) != len(hyps):
        raise ValueError(f"{len(values)} values but {len(hyps)} hypotheses")
    tok = _resolve(tokenize, _flat(refs))
    vals = np.asarray(values, dtype=np.float64)
    edges = _edges(vals, buckets)
    if vals.size:  # the first bucket reaches down to the smallest value
        edges[0] = min(edges[0], vals.min())
    which = np.clip(np.searchsorted(edges, vals, side="right") - 1, 0, len(edges) - 1)
    out = []
    for i, low in enumerate(edges):
        idx = np.flatnonzero(which == i)
        if idx.size == 0:
            continue
        high = float(edges[i + 1]) if i + 1 < len(edges) else math.inf
        h = [hyps[j] for j in idx]
        r = [refs[j] for j in idx]
        out.append(
            Bucket(
                label=_label(float(low), high, integer),
                low=float(low),
                high=high,
                count=int(idx.size),
                bleu=corpus_bleu(h, r, tok, effective_order=True),
                chrf=corpus_chrf(h, r),
            )
        )
    return out


def bleu_by_length(
    sources: Sequence[str],
    hyps: Sequence[str],
    refs: Sequence[str],
    buckets: Sequence[float] | int | None = None,
    tokenize: str = "13a",
) -> list[Bucket]:
    """BLEU by source length in words (Figure 3, left).

    Args:
        sources: source sentences (their word count decides the bucket).
        hyps: system outputs.
        refs: references.
        buckets: lower edges in words, a number of quantile buckets, or None for
            :data:`SHORT_LENGTH_EDGES` when the median source has at most 15 words
            (Tatoeba-like) and :data:`LONG_LENGTH_EDGES` otherwise.
        tokenize: sacrebleu tokenizer.
    Returns:
        Non-empty buckets labelled like "4-5" and "16+".
    """
    lengths = source_lengths(sources).tolist()
    if buckets is None:
        median = float(np.median(lengths)) if lengths else 0.0
        buckets = SHORT_LENGTH_EDGES if median <= 15 else LONG_LENGTH_EDGES
    integer = not isinstance(buckets, int)
    return bleu_by_value(lengths, hyps, refs, buckets, tokenize, integer=integer)


def bleu_by_rarity(
    sources: Sequence[str],
    hyps: Sequence[str],
    refs: Sequence[str],
    train_sources: Iterable[str] | dict[str, int],
    buckets: Sequence[float] | int = DEFAULT_RARITY_BUCKETS,
    tokenize: str = "13a",
) -> list[Bucket]:
    """BLEU by average word-frequency rank of the source (Figure 3, right).

    Args:
        sources: source sentences.
        hyps: system outputs.
        refs: references.
        train_sources: the training source sentences the ranks are counted on, or
            ranks already made by :func:`frequency_ranks`.
        buckets: a number of quantile buckets (default 5) or lower rank edges.
        tokenize: sacrebleu tokenizer.
    Returns:
        Non-empty buckets, from frequent words to rare ones.
    """
    values = source_rarities(sources, train_sources).tolist()
    return bleu_by_value(values, hyps, refs, buckets, tokenize)


def source_lengths(sources: Sequence[str]) -> np.ndarray:
    """Each source's length in words, (N,) float (what ``bleu_by_length`` buckets)."""
    return np.array([len(words(s)) for s in sources], dtype=float)


def source_rarities(
    sources: Sequence[str], train_sources: Iterable[str] | dict[str, int] | None
) -> np.ndarray:
    """Each source's average word-frequency rank, (N,) float (``bleu_by_rarity``).

    Args:
        sources: source sentences.
        train_sources: training sources to count ranks on, ranks already made by
            :func:`frequency_ranks`, or None (every value nan: unknown).
    """
    if train_sources is None:
        return np.full(len(sources), np.nan)
    ranks = train_sources if isinstance(train_sources, dict) else None
    if ranks is None:
        ranks = frequency_ranks(train_sources)
    return np.array([average_rank(s, ranks) for s in sources], dtype=float)
