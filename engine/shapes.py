"""The built-in captioning task: coloured shapes on a plain background, with captions.

A scene holds one to three shapes (circle, square, triangle; red, green, blue, yellow,
purple; small or large) whose boxes never overlap. Captions come from a small grammar
(23 words), three or four wordings per image as references, canonical order first:

- one shape: "a small red circle", "there is a small red circle", "a picture of ...";
- two shapes, side by side or one above the other: "A left of B", "there is A to the
  left of B", then reversed "B right of A", "there is B to the right of A" (or
  "above"/"below");
- three shapes, left to right: "A left of B left of C", "from left to right A B and
  C", then reversed "C right of B right of A", "from right to left C B and A".

"A left of B" means A's box ends where B's begins or earlier (``box[2] <= box[0]``);
"A above B" likewise on the vertical axis. Two-shape scenes are laid out so that only
one of the two relations holds. Scenes are deterministic in ``(seed, index)``: the
random stream is Python's ``random.Random`` seeded with a string (hashed with SHA-512,
the same on every platform and Python version), and shapes are drawn as integer pixel
masks with numpy rather than Pillow's ellipse code, whose pixels changed across Pillow
versions. So the same ``(seed, index)`` gives the same pixels and captions anywhere.
"""

from __future__ import annotations

import itertools
import json
import logging
import random
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from engine.readers import DataError, read_text_lines

logger = logging.getLogger(__name__)

IMAGE_SIZE = 64  # default side in pixels
KINDS = ("circle", "square", "triangle")
COLOURS = {  # saturated and far apart, so that no two are confused after resizing
    "red": (220, 40, 40),
    "green": (30, 150, 50),
    "blue": (40, 80, 220),
    "yellow": (235, 190, 20),
    "purple": (140, 60, 180),
}
SIZES = {"small": (9, 11), "large": (18, 21)}  # side range in pixels at IMAGE_SIZE
BACKGROUND = (235, 235, 235)
MARGIN = 2  # pixels kept free along the image's edges
GAP = 2  # least space between two shapes along the axis of their relation
_REF = re.compile(r"shapes:(-?\d+):(\d+)")


@dataclass(frozen=True)
class Shape:
    """One shape; ``box`` is (x0, y0, x1, y1) in pixels, end exclusive."""

    kind: str
    colour: str
    size: str
    box: tuple[int, int, int, int]

    @property
    def words(self) -> tuple[str, str, str]:
        return (self.size, self.colour, self.kind)

    def phrase(self) -> str:
        return f"a {self.size} {self.colour} {self.kind}"


@dataclass(frozen=True)
class Scene:
    """Shapes in canonical order (left to right, or top to bottom) on a square image."""

    shapes: tuple[Shape, ...]
    side: int


def left_of(a: Shape, b: Shape) -> bool:
    """True when ``a`` lies wholly left of ``b``."""
    return a.box[2] <= b.box[0]


def above(a: Shape, b: Shape) -> bool:
    """True when ``a`` lies wholly above ``b``."""
    return a.box[3] <= b.box[1]


def _spread(rng: random.Random, slack: int, parts: int) -> list[int]:
    """``parts`` non-negative integers summing to ``slack``, uniformly cut."""
    cuts = sorted(rng.randint(0, slack) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, slack])]


def _along(rng: random.Random, sides: list[int], side: int) -> list[int] | None:
    """Starts along one axis for shapes in this order, ``GAP`` apart; None if no room."""
    slack = side - 2 * MARGIN - sum(sides) - GAP * (len(sides) - 1)
    if slack < 0:
        return None
    spaces = _spread(rng, slack, len(sides) + 1)
    starts, at = [], MARGIN
    for space, length in zip(spaces, sides):
        at += space
        starts.append(at)
        at += length + GAP
    return starts


def _across(rng: random.Random, length: int, side: int) -> int:
    return rng.randint(MARGIN, side - MARGIN - length)


def _aligned(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """The smaller span's centre lies inside the larger span (spans are start, length)."""
    (s, n), (t, m) = sorted((a, b), key=lambda span: span[1])
    return t <= s + n / 2 <= t + m


def shapes_scene(seed: int, index: int, side: int = IMAGE_SIZE) -> Scene:
    """Scene ``index`` of the stream ``seed``: the same on every machine.

    Args:
        seed: which stream of scenes (a training set and a test set use different seeds).
        index: position in the stream, 0 upwards.
        side: image side in pixels (shape sizes scale with it; at least 32).
    """
    if side < 32:
        raise ValueError(f"image side {side} is below 32 pixels")
    rng = random.Random(f"shapes:{seed}:{index}")
    looks = list(itertools.product(KINDS, COLOURS, SIZES))
    scale = side / IMAGE_SIZE
    count = rng.choice((1, 2, 3))
    while True:
        picked = rng.sample(
            looks, count
        )  # distinct looks: every phrase names one shape
        sides = [round(rng.randint(*SIZES[size]) * scale) for _, _, size in picked]
        axis = rng.choice("xy") if count == 2 else "x"
        starts = _along(rng, sides, side)
        if starts is None:  # e.g. three large shapes side by side
            continue
        across = [_across(rng, n, side) for n in sides]
        if count == 2 and not _aligned(*zip(across, sides)):
            continue  # two shapes must not also stand diagonally apart
        break
    shapes = []
    for (kind, colour, size), n, a, c in zip(picked, sides, starts, across):
        x, y = (a, c) if axis == "x" else (c, a)
        shapes.append(Shape(kind, colour, size, (x, y, x + n, y + n)))
    return Scene(tuple(shapes), side)


def _mask(shape: Shape) -> np.ndarray:
    """Pixels of ``shape`` inside its box, (h, w) bool, tested at pixel centres.

    Integer arithmetic on doubled coordinates keeps the pixels exact everywhere.
    """
    x0, y0, x1, y1 = shape.box
    w, h = x1 - x0, y1 - y0
    ys, xs = np.mgrid[y0:y1, x0:x1]
    dx = 2 * xs + 1 - (x0 + x1)  # twice the distance from the box's centre
    if shape.kind == "square":
        return np.ones((h, w), dtype=bool)
    if shape.kind == "circle":
        dy = 2 * ys + 1 - (y0 + y1)
        return dx * dx + dy * dy <= w * h
    # triangle, apex up: half-width grows from the top edge to w/2 at the base; the
    # extra half pixel lets the apex row hold a pixel for even widths too
    return 2 * h * np.abs(dx) <= (2 * ys + 1 - 2 * y0) * w + 2 * h


def render(scene: Scene) -> Image.Image:
    """The scene as an RGB image, ``side`` x ``side``, no antialiasing."""
    pixels = np.empty((scene.side, scene.side, 3), dtype=np.uint8)
    pixels[:] = BACKGROUND
    for shape in scene.shapes:
        x0, y0, x1, y1 = shape.box
        pixels[y0:y1, x0:x1][_mask(shape)] = COLOURS[shape.colour]
    return Image.fromarray(pixels, "RGB")


def scene_captions(scene: Scene) -> list[str]:
    """Every reference caption of ``scene``; all are true of it.

    The first two name the shapes in canonical order (left to right, top to bottom)
    and differ only in framing words; the rest (none for one shape) name them in the
    reverse order. The first is the canonical caption.

    Raises:
        ValueError: a scene the grammar cannot describe (none that shapes_scene makes).
    """
    shapes = scene.shapes
    if len(shapes) == 1:
        a = shapes[0].phrase()
        return [a, f"there is {a}", f"a picture of {a}"]
    if len(shapes) == 2:
        captions = []
        first, second = sorted(shapes, key=lambda s: s.box[0])
        if left_of(first, second):
            a, b = first.phrase(), second.phrase()
            captions += [
                f"{a} left of {b}",
                f"there is {a} to the left of {b}",
                f"{b} right of {a}",
                f"there is {b} to the right of {a}",
            ]
        first, second = sorted(shapes, key=lambda s: s.box[1])
        if above(first, second):
            a, b = first.phrase(), second.phrase()
            captions += [
                f"{a} above {b}",
                f"there is {a} above {b}",
                f"{b} below {a}",
                f"there is {b} below {a}",
            ]
        if captions:
            return captions
    if len(shapes) == 3:
        ordered = sorted(shapes, key=lambda s: s.box[0])
        if all(left_of(p, q) for p, q in itertools.pairwise(ordered)):
            a, b, c = (s.phrase() for s in ordered)
            return [
                f"{a} left of {b} left of {c}",
                f"from left to right {a} {b} and {c}",
                f"{c} right of {b} right of {a}",
                f"from right to left {c} {b} and {a}",
            ]
    raise ValueError(f"no caption describes this scene: {scene}")


def shapes_ref(seed: int, index: int) -> str:
    """The source string of a built-in image, ``shapes:SEED:INDEX``."""
    return f"shapes:{seed}:{index}"


def parse_shapes_ref(ref: str) -> tuple[int, int] | None:
    """(seed, index) of a ``shapes:SEED:INDEX`` string, or None for anything else."""
    match = _REF.fullmatch(ref.strip())
    return (int(match[1]), int(match[2])) if match else None


def shapes_pairs(
    n: int, seed: int, per_image: int | None = None
) -> list[tuple[str, str]]:
    """(shapes_ref, caption) for the reference captions of scenes 0..n-1 of ``seed``.

    Args:
        per_image: keep only the first this many references of each image (1: the
            canonical caption; 2: both canonical-order wordings); None keeps all.
    """
    return [
        (shapes_ref(seed, i), caption)
        for i in range(n)
        for caption in scene_captions(shapes_scene(seed, i))[:per_image]
    ]


_ATTRIBUTE = {**{k: "kind" for k in KINDS}, **{c: "colour" for c in COLOURS}}
_ATTRIBUTE.update({s: "size" for s in SIZES})


def word_boxes(scene: Scene, caption: str) -> list[tuple[int, int, int, int] | None]:
    """Per word of ``caption``: the box of the shape a size/colour/kind word describes.

    A run of such words ("small red circle") is read as one description: when exactly
    one shape fits all of its words, they all get its box. Otherwise (a wrong caption)
    each word on its own gets the box of the one shape it fits, if only one does. Other
    words, and words that fit several shapes or none, get None.
    """
    words = caption.split()
    boxes: list[tuple[int, int, int, int] | None] = [None] * len(words)

    def fitting(chosen: list[str]) -> list[Shape]:
        return [
            s
            for s in scene.shapes
            if all(getattr(s, _ATTRIBUTE[w]) == w for w in chosen)
        ]

    i = 0
    while i < len(words):
        if words[i] not in _ATTRIBUTE:
            i += 1
            continue
        end = i
        while end < len(words) and words[end] in _ATTRIBUTE:
            end += 1
        whole = fitting(words[i:end])
        for j in range(i, end):
            alone = whole if len(whole) == 1 else fitting([words[j]])
            boxes[j] = alone[0].box if len(alone) == 1 else None
        i = end
    return boxes


def _scene_json(scene: Scene) -> list[dict]:
    return [
        {"kind": s.kind, "colour": s.colour, "size": s.size, "box": list(s.box)}
        for s in scene.shapes
    ]


def write_shapes(out_dir: str | Path, n: int, seed: int) -> Path:
    """Write scenes 0..n-1 of ``seed`` as PNGs, with their captions and boxes.

    ``captions.tsv`` holds ``name.png<TAB>caption`` for every reference (paths relative
    to it); ``boxes.json`` holds ``{"side", "seed", "images": [{"image", "ref",
    "shapes": [{"kind", "colour", "size", "box"}]}]}``. Both are written last and
    atomically, so they never name an image that is not there.

    Returns:
        The path of ``captions.tsv``.
    """
    from engine.utils import atomic_write_text  # imports torch: only when writing

    if n < 1:
        raise ValueError(f"--n must be at least 1, not {n}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    digits = max(4, len(str(n - 1)))
    lines, images = [], []
    for index in range(n):
        scene = shapes_scene(seed, index)
        name = f"shapes_{seed}_{index:0{digits}d}.png"
        render(scene).save(out / name, format="PNG")
        lines += [f"{name}\t{caption}" for caption in scene_captions(scene)]
        images.append(
            {
                "image": name,
                "ref": shapes_ref(seed, index),
                "shapes": _scene_json(scene),
            }
        )
    head = json.dumps({"side": IMAGE_SIZE, "seed": seed})[:-1]
    rows = ",\n  ".join(json.dumps(image) for image in images)  # one image a line
    atomic_write_text(out / "boxes.json", f'{head}, "images": [\n  {rows}\n]}}\n')
    captions = out / "captions.tsv"
    atomic_write_text(captions, "\n".join(lines) + "\n")
    logger.info("wrote %d images, %d captions to %s", n, len(lines), out)
    return captions


def read_shapes_boxes(path: str | Path) -> dict[str, Scene]:
    """The scenes a ``boxes.json`` describes, keyed by each image's absolute path."""
    path = Path(path)
    text = "\n".join(read_text_lines(path))  # refuses FIFOs, devices, bad UTF-8
    try:
        data = json.loads(text)
        side = int(data["side"])
        scenes = {}
        for image in data["images"]:
            shapes = tuple(
                Shape(s["kind"], s["colour"], s["size"], tuple(map(int, s["box"])))
                for s in image["shapes"]
            )
            scenes[str(path.parent.absolute() / image["image"])] = Scene(shapes, side)
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(path, None, f"not a boxes.json of make-shapes: {exc}") from None
    return scenes
