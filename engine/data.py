"""Read parallel text from files and built-ins, clean it, and split off a dev set.

Word counts (for ``data.max_len`` and the length histograms): a whitespace-separated
token counts as one word, except that characters of scripts written without spaces
(Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) count as one word per two
characters (rounded up), since a Chinese or Japanese word averages 1.5-2.5 characters.
"""

from __future__ import annotations

import logging
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.config import DataConfig
from engine.events import CorpusReport
from engine.image_corpus import (
    image_corpus_kind,
    read_image_pairs,
    shapes_dev_pairs,
    split_by_image,
)
from engine.qm import QmFormatError, builtin_qt_languages, builtin_qt_pairs
from engine.readers import (
    DataError,
    read_mo,
    read_moses,
    read_pairs_zip,
    read_po,
    read_qm_file,
    read_tmx,
    read_ts,
    read_tsv,
)
from engine.tasks import TaskError, task_pairs

logger = logging.getLogger(__name__)

Pair = tuple[str, str]

_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002ffff]"
)


@dataclass(frozen=True)
class Corpus:
    """Cleaned training and dev pairs, with a report of what was read and dropped."""

    train: list[Pair]
    dev: list[Pair]
    report: CorpusReport
    images: bool = False  # sources are image references (engine.image_corpus)


def word_count(text: str) -> int:
    """Length of ``text`` in words (see the module docstring for scripts without spaces)."""
    if text.isascii():
        return len(text.split())
    count = 0
    for token in text.split():
        unspaced = len(_UNSPACED.findall(token))
        count += (unspaced + 1) // 2 if unspaced else 1
    return count


def _builtin(spec: str, cfg: DataConfig) -> list[Pair]:
    kind, _, rest = spec[len("builtin:") :].partition("/")
    if kind == "qt":
        try:
            return builtin_qt_pairs(rest)
        except FileNotFoundError as exc:
            raise DataError(spec, None, str(exc)) from None
        except QmFormatError as exc:
            raise DataError(spec, None, f"damaged catalog: {exc}") from None
    if kind == "task":
        try:
            return task_pairs(
                rest, cfg.task_size, cfg.task_min_len, cfg.task_max_len, cfg.seed
            )
        except TaskError as exc:
            raise DataError(spec, None, str(exc)) from None
    raise DataError(
        spec,
        None,
        "unknown built-in corpus; use builtin:qt/<lang> or builtin:task/<name>",
    )


def _read(spec: str, cfg: DataConfig) -> list[Pair]:
    spec = spec.strip()
    image_pairs = read_image_pairs(spec, cfg)
    if image_pairs is not None:  # the source is an image reference: kept as it is
        return image_pairs
    if spec.startswith("builtin:"):
        pairs = _builtin(spec, cfg)
    elif spec.startswith("tatoeba:"):  # a download in the data folder (engine.tatoeba)
        from engine.tatoeba import resolve

        pairs = read_pairs_zip(resolve(spec))
    elif "|" in spec:
        pairs = read_moses(spec)
    else:
        path = Path(spec).expanduser()
        suffix = path.suffix.lower()
        if suffix == ".gz":  # gzip is detected from the bytes: look at the inner name
            suffix = Path(path.stem).suffix.lower()
        if suffix == ".tmx":
            pairs = read_tmx(path)
        elif suffix == ".ts":
            pairs = read_ts(path)
        elif suffix == ".po":
            pairs = read_po(path)
        elif suffix == ".mo":
            pairs = read_mo(path)
        elif suffix == ".qm":
            pairs = read_qm_file(path)
        elif suffix == ".zip":
            pairs = read_pairs_zip(path)
        else:
            pairs = read_tsv(path)
    return [(" ".join(s.split()), " ".join(t.split())) for s, t in pairs]


def read_pairs(spec: str) -> list[Pair]:
    """Read (source, target) pairs, whitespace-normalised, in file order.

    Args:
        spec: a file (``.tsv``/``.txt``/``.gz`` tab-separated, ``.zip`` from Tatoeba/
            manythings.org, ``.tmx``, ``.po``, ``.mo``, ``.ts``, ``.qm``), ``"a.en|a.fr"``
            (aligned files), ``tatoeba:<xxx>`` (downloaded), ``builtin:qt/<lang>`` or
            ``builtin:task/<name>[?size=N&min=A&max=B&seed=S]``.
    Raises:
        DataError: naming the file and, where it applies, the line.
    """
    return _read(spec, DataConfig())


# --------------------------------------------------------------------------- corpus


CHARS_PER_WORD = 40  # a "word" longer than this on average is not text (e.g. base64)


def _clean(
    pairs: list[Pair], max_len: int, prefix: str, dropped: Counter[str]
) -> list[Pair]:
    kept = []
    max_chars = max_len * CHARS_PER_WORD
    for src, tgt in pairs:
        if not src or not tgt:
            dropped[f"{prefix}empty"] += 1
        elif len(src) > max_chars or len(tgt) > max_chars:
            dropped[f"{prefix}longer than {max_chars} characters"] += 1
        elif word_count(src) > max_len or word_count(tgt) > max_len:
            dropped[f"{prefix}longer than {max_len} words"] += 1
        else:
            kept.append((src, tgt))
    return kept


def _split(
    pairs: list[Pair], dev_size: int, seed: int
) -> tuple[list[Pair], list[Pair]]:
    """Deterministic split; small corpora give at most a fifth of their pairs to dev."""
    size = min(dev_size, max(1, len(pairs) // 5))
    if size < dev_size:
        logger.warning(
            "only %d pairs: using %d (not %d) as dev", len(pairs), size, dev_size
        )
    chosen = set(random.Random(seed).sample(range(len(pairs)), size))
    train = [p for i, p in enumerate(pairs) if i not in chosen]
    dev = [p for i, p in enumerate(pairs) if i in chosen]
    return train, dev


def _describe(read: int, dropped: Counter[str]) -> str:
    if read == 0:
        return "no usable pairs: the corpus is empty (0 pairs read)"
    reasons = ", ".join(f"{n} {why}" for why, n in dropped.items())
    return f"no usable pairs: {read} read" + (f", dropped {reasons}" if reasons else "")


def _oriented(pairs: list[Pair], cfg: DataConfig) -> list[Pair]:
    """``pairs`` as (source, target): columns swapped when ``cfg.swap``."""
    return [(t, s) for s, t in pairs] if cfg.swap else pairs


def dev_pairs(cfg: DataConfig) -> list[Pair]:
    """The dev pairs as a model trained on ``cfg`` saw them: its dev file read as
    ``load_corpus`` reads it, or the split ``load_corpus`` makes (reads the corpus).
    """
    if cfg.dev:
        return _oriented(_read(cfg.dev, cfg), cfg)
    if image_corpus_kind(cfg.train) == "shapes":
        return shapes_dev_pairs(cfg)
    return list(load_corpus(cfg).dev)


def load_corpus(cfg: DataConfig) -> Corpus:
    """Read, swap, clean and split the corpus; everything is validated here.

    Returns:
        Train and dev pairs; dev is ``cfg.dev`` or ``cfg.dev_size`` pairs split off with
        ``cfg.seed``. Train pairs identical to a dev pair are removed from train.
    Raises:
        DataError: unreadable input, or no usable pairs left after clean-up.
    """
    kind = image_corpus_kind(cfg.train)
    if kind is not None and cfg.swap:
        raise DataError(cfg.train, None, "an image corpus cannot be swapped")
    raw = _oriented(_read(cfg.train, cfg), cfg)
    raw_dev = _oriented(_read(cfg.dev, cfg), cfg) if cfg.dev else None
    if raw_dev is None and kind == "shapes":
        raw_dev = shapes_dev_pairs(cfg)
    dropped: Counter[str] = Counter()
    train = _clean(raw, cfg.max_len, "", dropped)
    if not train or (raw_dev is None and len(train) < 2):
        raise DataError(cfg.train, None, _describe(len(raw), dropped))
    if raw_dev is None and kind is not None:
        train, dev = split_by_image(train, cfg.dev_size, cfg.seed)
    elif raw_dev is None:
        train, dev = _split(train, cfg.dev_size, cfg.seed)
    else:
        dev = _clean(raw_dev, cfg.max_len, "dev: ", dropped)
        if not dev:
            dev_dropped = Counter(
                {k[5:]: n for k, n in dropped.items() if k.startswith("dev: ")}
            )
            raise DataError(cfg.dev, None, _describe(len(raw_dev), dev_dropped))
    dev_set = set(dev)
    overlap = sum(p in dev_set for p in train)
    if overlap and overlap < len(train):
        train = [p for p in train if p not in dev_set]
        dropped["same as a dev pair"] += overlap
    report = CorpusReport(
        source=cfg.train,
        pairs=len(train),
        dev_pairs=len(dev),
        dropped=tuple(sorted(dropped.items())),
        src_lengths=np.array([word_count(s) for s, _ in train], dtype=np.int32),
        tgt_lengths=np.array([word_count(t) for _, t in train], dtype=np.int32),
    )
    logger.info(
        "corpus %s: %d train, %d dev pairs; dropped %s",
        cfg.train,
        len(train),
        len(dev),
        dict(dropped) or "none",
    )
    return Corpus(train, dev, report, images=kind is not None)


__all__ = [
    "Corpus",
    "DataError",
    "builtin_qt_languages",
    "load_corpus",
    "read_pairs",
    "word_count",
]
