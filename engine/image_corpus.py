"""Image corpora for captioning: which specs name one, reading them, splitting by image.

A pair of an image corpus is (image reference, caption): the reference is a file path
(absolute, resolved by the readers of ``engine.images``) or ``shapes:SEED:I`` for the
built-in shapes task. Several pairs with the same reference are several reference
captions of one image.

Recognised as image corpora:

- ``builtin:images/shapes``: ``data.task_size`` images drawn from ``data.seed``; without
  a ``data.dev`` its dev set is ``min(data.dev_size, 200)`` images of another seed, with
  every reference. ``builtin:images/shapes?captions=K`` trains on the first K
  references of each image only (``engine.shapes.scene_captions`` orders them).
- a captions TSV: a ``.tsv`` file whose first column names image files
  (``image_path<TAB>caption``, paths relative to the TSV);
- a Flickr8k token file: ``*.token.txt``, or any text whose first column looks like
  ``name.jpg#0``.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Sequence
from pathlib import Path

from engine.config import DataConfig
from engine.readers import DataError

logger = logging.getLogger(__name__)

Pair = tuple[str, str]

SHAPES = "builtin:images/shapes"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")
SHAPES_DEV_SEED_OFFSET = 100_003  # the dev images' seed: data.seed + this
SHAPES_DEV_MAX = 200  # dev images of the shapes task (each with several references)


CAPTION_HEADERS = {"image", "image_path", "path", "file", "filename", "image_name"}
FLICKR_NAME = re.compile(r"(.+\.\w+)#\d+")  # name.jpg#0: a Flickr8k token file's column
LINES_LOOKED_AT = 3  # a header line, then the first caption


def caption_file_kind(path: str | Path) -> str | None:
    """``"flickr8k"`` (a token file, or Kaggle's ``image,caption`` CSV), ``"tsv"`` (a
    captions TSV: its first column names image files, after an optional header), or
    None (not a captions file), from the file's first lines."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = [line for line in f.readlines(64 * 1024) if line.strip()]
    except OSError:
        return None
    lines = lines[:LINES_LOOKED_AT]
    if not lines:
        return None
    if lines[0].strip().lower() == "image,caption":
        return "flickr8k"
    first = lines[0].partition("\t")[0].strip()
    if FLICKR_NAME.fullmatch(first):
        return "flickr8k"
    if first.lower() in CAPTION_HEADERS and len(lines) > 1:
        first = lines[1].partition("\t")[0].strip()
    if first.lower().endswith(IMAGE_SUFFIXES) or first.startswith("shapes:"):
        return "tsv"
    return None


def image_corpus_kind(spec: str | None) -> str | None:
    """``"shapes"``, ``"tsv"``, ``"flickr8k"``, or None when ``spec`` is text."""
    if not spec:
        return None
    spec = spec.strip()
    if spec.startswith("builtin:images/"):
        return "shapes"
    if spec.startswith("builtin:") or "|" in spec:
        return None
    path = Path(spec).expanduser()
    name = path.name.lower()
    if name.endswith(".token.txt"):
        return "flickr8k"
    if not name.endswith((".tsv", ".txt")) or not path.is_file():
        return None
    return caption_file_kind(path)


def read_image_pairs(spec: str, cfg: DataConfig) -> list[Pair] | None:
    """The (image reference, caption) pairs of an image corpus, captions
    whitespace-normalised; None when ``spec`` is not an image corpus.

    Raises:
        DataError: an unknown built-in image task, or an unreadable file.
    """
    from engine import images

    kind = image_corpus_kind(spec)
    if kind is None:
        return None
    spec = spec.strip()
    if kind == "shapes":
        base, _, query = spec.partition("?")
        if base != SHAPES:
            raise DataError(spec, None, f"unknown image task; use {SHAPES}")
        pairs = images.shapes_pairs(cfg.task_size, cfg.seed, _captions(spec, query))
    else:
        read = images.read_flickr8k if kind == "flickr8k" else images.read_caption_pairs
        try:
            pairs = read(Path(spec).expanduser())
        except images.ImageError as exc:
            raise DataError(spec, None, str(exc)) from None
    return [(ref, " ".join(caption.split())) for ref, caption in pairs]


def _captions(spec: str, query: str) -> int | None:
    """``captions=K`` of ``builtin:images/shapes?captions=K``: train on the first K
    references of each image (2: both wordings in canonical order), None for all.

    With every wording, the first words leave open which shape a caption names first,
    and a small decoder learns a blend of both orders (the same shape named twice);
    the dev and test sets keep every reference either way."""
    if not query:
        return None
    key, _, value = query.partition("=")
    if key != "captions" or not value.isdigit() or int(value) < 1:
        raise DataError(spec, None, "the only option is ?captions=K (K >= 1)")
    return int(value)


def shapes_dev_pairs(cfg: DataConfig) -> list[Pair]:
    """Dev pairs of the shapes task: images of another seed, so none is in train."""
    from engine import images

    n = min(cfg.dev_size, SHAPES_DEV_MAX)
    return images.shapes_pairs(n, cfg.seed + SHAPES_DEV_SEED_OFFSET)


def split_by_image(
    pairs: Sequence[Pair], dev_size: int, seed: int
) -> tuple[list[Pair], list[Pair]]:
    """A deterministic train/dev split in which no image is on both sides.

    ``dev_size`` counts images; small corpora give at most a fifth of theirs to dev.
    """
    refs = list(dict.fromkeys(ref for ref, _ in pairs))
    size = min(dev_size, max(1, len(refs) // 5))
    if size < dev_size:
        logger.warning(
            "only %d images: using %d (not %d) as dev", len(refs), size, dev_size
        )
    chosen = set(random.Random(seed).sample(refs, size))
    train = [p for p in pairs if p[0] not in chosen]
    dev = [p for p in pairs if p[0] in chosen]
    return train, dev


def group_references(
    sources: Sequence[str], refs: Sequence[str]
) -> tuple[list[str], list[list[str]]]:
    """Distinct sources in first-seen order, each with all of its references.

    Captions (several per image) and translation corpora where one sentence has
    several translations are scored against all references of their source.
    """
    grouped: dict[str, list[str]] = {}
    for source, ref in zip(sources, refs, strict=True):
        grouped.setdefault(source, []).append(ref)
    return list(grouped), list(grouped.values())
