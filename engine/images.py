"""Images for captioning: open, check, resize and normalise; captions TSV and Flickr8k.

An image source ("ref") is a file path or a built-in ``shapes:SEED:INDEX`` (see
engine/shapes.py). Every image becomes a tensor in the same way (``image_tensor``):

1. decoded with Pillow, its EXIF orientation applied, transparent pixels laid on
   white, converted to RGB;
2. resized to ``side`` x ``side`` with Pillow's bilinear filter (which widens when
   shrinking, so it averages instead of aliasing); a picture that is not square is
   squashed, not cropped, so that nothing its caption mentions is cut off;
3. scaled to [0, 1] (value / 255), then per channel ``(x - MEAN) / STD``, i.e. into
   [-2, 2]: float32, (3, side, side), channels R, G, B.

Readers check every image once (JPEGs decoded at 1/8 scale, which still reads all of
their data): a missing, corrupt or unreadable image is named in a warning and its
captions are skipped and counted, like bad lines of text. Pillow's decompression-bomb
limit (``Image.MAX_IMAGE_PIXELS``) stays on: a bigger image counts as unreadable.
"""

from __future__ import annotations

import csv
import logging
import os
import struct
import zlib
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError

from engine.image_corpus import CAPTION_HEADERS, FLICKR_NAME, caption_file_kind
from engine.readers import DataError, file_problem, read_text_lines
from engine.shapes import (
    IMAGE_SIZE,
    Scene,
    Shape,
    parse_shapes_ref,
    read_shapes_boxes,
    render,
    scene_captions,
    shapes_pairs,
    shapes_ref,
    shapes_scene,
    word_boxes,
    write_shapes,
)

logger = logging.getLogger(__name__)

Pair = tuple[str, str]

MEAN = (0.5, 0.5, 0.5)
STD = (0.25, 0.25, 0.25)
SHOWN_PROBLEMS = 10  # unusable images named one by one in the log; the rest counted
_FLICKR_FOLDERS = ("Flicker8k_Dataset", "Flickr8k_Dataset", "Images", "images")
# what Pillow raises for files it cannot decode, whatever the format
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    zlib.error,
    Image.DecompressionBombError,
)


class ImageError(DataError):
    """An image or a caption file that cannot be used; ``str(e)`` names the file."""


def _rgb(image: Image.Image) -> Image.Image:
    """``image`` upright, in RGB, with transparent parts on white."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def _decode(path: Path, quick: bool = False) -> Image.Image:
    """The RGB image in ``path``; ``quick`` decodes JPEGs at 1/8 scale.

    Raises:
        ImageError: naming the file and what is wrong with it.
    """
    problem = file_problem(path)
    if problem:
        raise ImageError(path, None, problem)
    try:
        with Image.open(path) as image:
            if quick:
                image.draft("RGB", (1, 1))  # JPEG only: smallest scale, all data read
            image.load()
            return _rgb(image)
    except UnidentifiedImageError:
        raise ImageError(path, None, "not an image file Pillow can read") from None
    except Image.DecompressionBombError as exc:
        raise ImageError(path, None, f"refused: {exc}") from None
    except OSError as exc:
        if exc.errno is not None:  # the system refused (permissions, I/O): not damage
            raise ImageError(path, None, f"cannot read: {exc.strerror}") from None
        raise ImageError(path, None, f"damaged image: {exc}") from None
    except _DECODE_ERRORS as exc:
        raise ImageError(path, None, f"damaged image: {exc}") from None


def image_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be used as an image, or None when it can."""
    try:
        _decode(Path(path), quick=True)
    except ImageError as exc:
        return exc.message
    return None


def open_image(ref: str) -> Image.Image:
    """The RGB image of a ``shapes:SEED:INDEX`` ref or an image file path.

    Raises:
        ImageError: the file is missing, not an image, damaged or too large.
    """
    coords = parse_shapes_ref(ref)
    if coords is not None:
        return render(shapes_scene(*coords))
    return _decode(Path(ref))


def image_uint8(image: Image.Image, side: int = IMAGE_SIZE) -> torch.Tensor:
    """Steps 1-2 of the module docstring: uint8 (3, side, side), not normalised.

    A compact form to cache (a quarter of float32); ``normalise`` finishes it.
    """
    if image.mode != "RGB":
        image = _rgb(image)
    if image.size != (side, side):
        image = image.resize((side, side), Image.Resampling.BILINEAR)
    pixels = np.array(image, dtype=np.uint8)  # (side, side, 3), a writable copy
    return torch.from_numpy(pixels).permute(2, 0, 1).contiguous()


def normalise(pixels: torch.Tensor) -> torch.Tensor:
    """Step 3: uint8 (..., 3, H, W) -> float32 (..., 3, H, W), ``(x/255 - MEAN) / STD``."""
    mean = torch.tensor(MEAN, dtype=torch.float32).view(3, 1, 1)
    std = torch.tensor(STD, dtype=torch.float32).view(3, 1, 1)
    return (pixels.to(torch.float32) / 255.0 - mean) / std


def image_tensor(image: Image.Image, side: int = IMAGE_SIZE) -> torch.Tensor:
    """``image`` as the encoder reads it: float32 (3, side, side), normalised."""
    return normalise(image_uint8(image, side))


def load_image(ref: str, side: int = IMAGE_SIZE) -> torch.Tensor:
    """``image_tensor(open_image(ref), side)``: float32 (3, side, side)."""
    return image_tensor(open_image(ref), side)


def _usable(
    source: Path, pairs: list[Pair], dropped: Counter[str], read: int
) -> list[Pair]:
    """``pairs`` whose image can be decoded; the others named, skipped and counted."""
    problems: dict[str, str] = {}
    for image in dict.fromkeys(image for image, _ in pairs):
        if parse_shapes_ref(image) is None:
            problem = image_problem(image)
            if problem:
                problems[image] = problem
    for image, problem in list(problems.items())[:SHOWN_PROBLEMS]:
        logger.warning("%s: %s; its captions are skipped", image, problem)
    if len(problems) > SHOWN_PROBLEMS:
        logger.warning(
            "... and %d more unusable images", len(problems) - SHOWN_PROBLEMS
        )
    kept = []
    for image, caption in pairs:
        problem = problems.get(image)
        if problem is None:
            kept.append((image, caption))
        elif problem == "no such file":
            dropped["captions of a missing image"] += 1
        else:
            dropped["captions of an unreadable image"] += 1
    if problems:
        logger.warning(
            "%s: skipped %d of %d images (%d captions)",
            source,
            len(problems),
            len(dict.fromkeys(image for image, _ in pairs)),
            len(pairs) - len(kept),
        )
    if not kept:
        reasons = ", ".join(f"{n} {why}" for why, n in dropped.items())
        example = next(iter(problems.items()), None)
        raise ImageError(
            source,
            None,
            f"no usable captions: {read} read"
            + (f", dropped {reasons}" if reasons else "")
            + (f" (e.g. {example[0]}: {example[1]})" if example else ""),
        )
    return kept


def _absolute(base: Path, image: str) -> str:
    if parse_shapes_ref(image) is not None:
        return image
    return os.path.normpath(base / Path(image).expanduser())


def read_captions_tsv(
    path: str | Path, dropped: Counter[str] | None = None
) -> list[Pair]:
    """``image_path<TAB>caption`` lines; several lines per image are several references.

    Image paths are relative to the TSV's folder (absolute ones stay) and come back
    absolute; ``shapes:SEED:INDEX`` refs stay as they are. A first line naming the
    columns (``image<TAB>caption``) is skipped; a third column (attribution) is ignored.

    Args:
        path: the TSV (UTF-8, optionally gzipped).
        dropped: counts of skipped captions by reason are added here.
    Raises:
        DataError: the file cannot be read or a line is malformed (ImageError), or no
            caption with a usable image is left (ImageError).
    """
    path = Path(path)
    dropped = Counter() if dropped is None else dropped
    base = path.parent.absolute()
    pairs: list[Pair] = []
    read = 0
    for number, line in enumerate(read_text_lines(path), start=1):
        if not line.strip():
            continue
        columns = line.split("\t")
        if len(columns) not in (2, 3):
            raise ImageError(
                path,
                number,
                f"expected image_path<TAB>caption; found {len(columns)} "
                f"tab-separated columns: {line[:60]!r}",
            )
        image, caption = columns[0].strip(), " ".join(columns[1].split())
        if number == 1 and image.lower() in CAPTION_HEADERS:
            continue
        read += 1
        if not image or not caption:
            dropped["empty image path or caption"] += 1
            continue
        pairs.append((_absolute(base, image), caption))
    return _usable(path, pairs, dropped, read)


def _flickr_folder(path: Path, images_dir: str | Path | None, names: list[str]) -> Path:
    """The folder holding the images of a Flickr8k token file."""
    if images_dir is not None:
        folder = Path(images_dir).expanduser()
        if not folder.is_dir():
            raise ImageError(folder, None, "no such folder of images")
        return folder.absolute()
    here = path.parent.absolute()
    candidates = [here, *(here / f for f in _FLICKR_FOLDERS)]
    candidates += [here.parent / f for f in _FLICKR_FOLDERS]  # Flickr8k_text's sibling
    sample = names[:50]
    for folder in candidates:
        if folder.is_dir() and any((folder / name).is_file() for name in sample):
            return folder
    tried = ", ".join(str(f) for f in candidates)
    raise ImageError(
        path, None, f"cannot find its images (looked in {tried}); name the folder"
    )


def _is_kaggle(lines: list[str]) -> bool:
    """The ``captions.txt`` of Kaggle's Flickr8k: CSV under an ``image,caption`` line."""
    first = next((line for line in lines if line.strip()), "")
    return first.strip().lower() == "image,caption"


def _kaggle_rows(path: Path, lines: list[str]) -> list[Pair]:
    start = next(i for i, line in enumerate(lines) if line.strip()) + 1
    entries = []
    for number, row in enumerate(csv.reader(lines[start:]), start=start + 1):
        if not row:
            continue
        if len(row) < 2:
            raise ImageError(path, number, f"expected name.jpg,caption: {row!r:.60}")
        caption = ",".join(row[1:])  # a comma in an unquoted caption
        entries.append((row[0].strip(), " ".join(caption.split())))
    return entries


def read_flickr8k(
    path: str | Path,
    images_dir: str | Path | None = None,
    dropped: Counter[str] | None = None,
) -> list[Pair]:
    """A Flickr8k token file: ``name.jpg#i<TAB>caption``, five references per image.

    Kaggle's copy of Flickr8k, ``captions.txt`` (CSV: ``image,caption`` then
    ``name.jpg,caption`` lines) beside an ``Images`` folder, is read too.

    Args:
        path: e.g. ``Flickr8k_text/Flickr8k.token.txt``.
        images_dir: the images' folder; by default the file's own folder, or a
            ``Flicker8k_Dataset``/``Images`` folder inside it or beside it.
        dropped: counts of skipped captions by reason are added here.
    Returns:
        (absolute image path, caption) pairs, captions whitespace-normalised.
    Raises:
        DataError: as ``read_captions_tsv``, or when the images' folder is not found.
    """
    path = Path(path)
    dropped = Counter() if dropped is None else dropped
    lines = read_text_lines(path)
    entries = _kaggle_rows(path, lines) if _is_kaggle(lines) else []
    for number, line in enumerate([] if entries else lines, start=1):
        if not line.strip():
            continue
        name, tab, caption = line.partition("\t")
        if not tab:
            raise ImageError(
                path, number, f"expected name.jpg#i<TAB>caption: {line[:60]!r}"
            )
        name = name.strip()
        match = FLICKR_NAME.fullmatch(name)
        entries.append((match[1] if match else name, " ".join(caption.split())))
    if not entries:
        raise ImageError(path, None, "no captions: the file is empty")
    folder = _flickr_folder(path, images_dir, [n for n, _ in entries if n])
    pairs: list[Pair] = []
    for name, caption in entries:
        if not name or not caption:
            dropped["empty image path or caption"] += 1
        else:
            pairs.append((str(folder / name), caption))
    return _usable(path, pairs, dropped, len(entries))


def read_caption_pairs(
    path: str | Path, dropped: Counter[str] | None = None
) -> list[Pair]:
    """A captions TSV or a Flickr8k captions file, told apart by their first lines
    (``engine.image_corpus.caption_file_kind``)."""
    if caption_file_kind(path) == "flickr8k":
        return read_flickr8k(path, dropped=dropped)
    return read_captions_tsv(path, dropped)


__all__ = [
    "IMAGE_SIZE",
    "MEAN",
    "STD",
    "ImageError",
    "Scene",
    "Shape",
    "image_problem",
    "image_tensor",
    "image_uint8",
    "load_image",
    "normalise",
    "open_image",
    "parse_shapes_ref",
    "read_caption_pairs",
    "read_captions_tsv",
    "read_flickr8k",
    "read_shapes_boxes",
    "render",
    "scene_captions",
    "shapes_pairs",
    "shapes_ref",
    "shapes_scene",
    "word_boxes",
    "write_shapes",
]
