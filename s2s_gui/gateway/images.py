"""Image calls of the caption, data, states and probe views, run on worker threads."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage

from engine.config import DecodeConfig
from engine.events import TranslateResult
from engine.image_corpus import IMAGE_SUFFIXES
from s2s_gui.gateway import lab
from s2s_gui.gateway.lab import ModelChoice, TranslatorCache

logger = logging.getLogger(__name__)

Stop = Callable[[], bool]
SHAPES_PREFIX = "shapes:"
SHAPES_SEED = 7  # the built-in images a run without a dev split is shown
# Pillow reads far more; these are the suffixes a person drops or opens.
# Attributes a built-in shapes image can be grouped by (the first shape's).
ATTRIBUTES = ("shape", "colour", "size", "count")


def open_image(ref: str) -> Any:
    """A PIL image for a file path or a built-in ``shapes:SEED:I`` reference."""
    from engine.images import open_image as _open

    return _open(ref)


def is_image_ref(text: str) -> bool:
    """Whether a corpus source names an image rather than being a sentence."""
    text = text.strip()
    return text.startswith(SHAPES_PREFIX) or text.lower().endswith(IMAGE_SUFFIXES)


def to_qimage(picture: Any, longest: int) -> QImage:
    """An RGB QImage of a PIL image, shrunk (never enlarged) to ``longest`` pixels.

    QImage (unlike QPixmap) may be made on a worker thread; ``copy`` detaches it
    from the bytes that die with this call.
    """
    picture = picture.convert("RGB")
    if max(picture.size) > longest:
        picture.thumbnail((longest, longest))
    w, h = picture.size
    data = picture.tobytes()
    return QImage(data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def load_thumbnails(
    should_stop: Stop, refs: Sequence[str], size: int
) -> dict[str, QImage | None]:
    """Thumbnails of at most ``size`` pixels; None for an image that cannot be read."""
    out: dict[str, QImage | None] = {}
    for ref in refs:
        if should_stop():
            break
        try:
            out[ref] = to_qimage(open_image(ref), size)
        except Exception as exc:  # a corrupt file is shown as such, never raised
            logger.warning("cannot read image %s: %s", ref, exc)
            out[ref] = None
    return out


@dataclass(frozen=True)
class Picture:
    """An image to show large: its reference and pixels (at most DISPLAY pixels)."""

    ref: str
    image: QImage
    size: tuple[int, int]  # (width, height) of the file itself


def load_picture(ref: str, longest: int, should_stop: Stop) -> Picture:
    picture = open_image(ref)
    return Picture(ref, to_qimage(picture, longest), tuple(picture.size))


@dataclass(frozen=True)
class CaptionResult:
    """Captions of images, with the grid (h, w) the attention rows lie on."""

    result: TranslateResult
    grid: tuple[int, int] | None  # None: the model has no spatial attention


def caption(
    cache: TranslatorCache,
    choice: ModelChoice,
    request: int,
    refs: Sequence[str],
    cfg: DecodeConfig,
    should_stop: Stop,
) -> CaptionResult | None:
    """Beam search with history for each image (an image model's Translator)."""
    result = lab.translate(cache, choice, request, refs, cfg, "", 0, should_stop)
    if result is None:
        return None
    grid = getattr(cache.get(choice), "grid", None)
    return CaptionResult(result, tuple(grid) if grid else None)


def is_image_model(choice: ModelChoice) -> bool:
    """Whether the chosen run reads images (``model.encoder = "cnn"``): a small
    TOML file, read on the GUI thread like the run list's."""
    from engine.checkpoint import load_run_config

    run = choice.run_dir
    if run is None:
        return False
    try:
        cfg = load_run_config(run)
    except Exception as exc:  # a run folder being written or removed
        logger.debug("no config in %s: %s", run, exc)
        return False
    return getattr(cfg.model, "encoder", "rnn") == "cnn"


# ---------------------------------------------------------------------- image sets
@dataclass(frozen=True)
class ImageSet:
    """Distinct images of a corpus, their reference captions and attributes."""

    refs: tuple[str, ...]
    captions: tuple[tuple[str, ...], ...]  # per image, every reference caption
    attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = ""  # where they came from, for the status line
    # colour words as the pictures draw them ("red" -> "#dc2828"), so points
    # coloured by colour look like their shapes
    swatches: dict[str, str] = field(default_factory=dict)


def group_pairs(
    pairs: Sequence[tuple[str, str]], n: int
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The first ``n`` distinct sources with all their targets, in corpus order."""
    captions: dict[str, list[str]] = {}
    for src, tgt in pairs:
        if src in captions:
            captions[src].append(tgt)
        elif len(captions) < n:
            captions[src] = [tgt]
    return tuple(captions), tuple(tuple(c) for c in captions.values())


def shape_attributes(refs: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The first shape's kind, colour and size and the number of shapes, for the
    built-in references (others get "")."""
    from engine.images import shapes_scene

    values: dict[str, list[str]] = {name: [] for name in ATTRIBUTES}
    for ref in refs:
        row = dict.fromkeys(ATTRIBUTES, "")
        parts = ref.split(":")
        if ref.startswith(SHAPES_PREFIX) and len(parts) == 3:
            scene = shapes_scene(int(parts[1]), int(parts[2]))
            first = scene.shapes[0]
            row = {
                "shape": str(first.kind),
                "colour": str(first.colour),
                "size": str(first.size),
                "count": str(len(scene.shapes)),
            }
        for name in ATTRIBUTES:
            values[name].append(row[name])
    return {name: tuple(v) for name, v in values.items()}


def corpus_images(choice: ModelChoice, n: int, should_stop: Stop) -> ImageSet:
    """``n`` images of the chosen run's dev split, or built-in shapes without one."""
    from engine.images import shapes_pairs
    from engine.runs import run_dev_pairs

    pairs: list[tuple[str, str]] = []
    source = QCoreApplication.translate("ImageJobs", "the run's dev images")
    if choice.run_dir is not None:
        try:
            pairs = [p for p in run_dev_pairs(choice.run_dir) if is_image_ref(p[0])]
        except Exception as exc:  # e.g. a captions file moved since training
            logger.warning("no dev images for %s: %s", choice.run_dir, exc)
    if not pairs:
        pairs = list(shapes_pairs(n, SHAPES_SEED))
        source = QCoreApplication.translate("ImageJobs", "built-in shapes")
    refs, captions = group_pairs(pairs, n)
    if should_stop():
        return ImageSet((), ())
    return ImageSet(refs, captions, shape_attributes(refs), source, shape_swatches())


def shape_swatches() -> dict[str, str]:
    """Hex colours of the built-in shapes' colour words."""
    from engine.shapes import COLOURS

    return {name: "#{:02x}{:02x}{:02x}".format(*rgb) for name, rgb in COLOURS.items()}


def dropped_files(paths: Sequence[str]) -> list[str]:
    """The image files among dropped or opened paths."""
    return [p for p in paths if Path(p).suffix.lower() in IMAGE_SUFFIXES]


# ---------------------------------------------------------------------- corpora
def image_corpora() -> list[tuple[str, str]]:
    """(label, spec) of the built-in image corpora, for the Start page."""
    return [
        (
            QCoreApplication.translate("ImageJobs", "Shapes (synthetic images)"),
            "builtin:images/shapes",
        )
    ]


def image_preview(corpus: Any, data_cfg: Any, out_dir: Path) -> tuple[Any, None]:
    """The data view's preview of an image corpus: captions tokenised, no source
    tokenizer (the sources are pictures).

    Returns:
        (CorpusPreview, None).
    """
    from engine.tokenizer import UNK, Tokenizer
    from s2s_gui.gateway.data import PREVIEW_PAIRS
    from s2s_gui.state import CorpusPreview

    out_dir.mkdir(parents=True, exist_ok=True)
    tgt = Tokenizer.train(
        (t for _, t in corpus.train),
        out_dir / "tgt.model",
        vocab_size=data_cfg.vocab_size,
        model_type=data_cfg.model_type,
        seed=data_cfg.seed,
    )
    sample = corpus.train[:PREVIEW_PAIRS]
    ids = tgt.encode_batch([t for _, t in sample[:2000]])
    pieces = sum(len(x) for x in ids)
    unk = sum(x.count(UNK) for x in ids)
    preview = CorpusPreview(
        spec=data_cfg.train,
        report=corpus.report,
        pairs=tuple(sample),
        src_vocab=0,
        tgt_vocab=tgt.vocab_size,
        unk_rate=unk / max(pieces, 1),
    )
    return preview, None
