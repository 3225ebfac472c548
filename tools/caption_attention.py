"""Does a captioner look at what it names? Attention mass inside the named shape's box.

For held-out images of the built-in shapes task, caption each image, and for every
colour or shape word the model emits, take the attention weights of that step over the
CNN's grid and sum the mass that falls inside the bounding box of the shape the word
describes (``engine.shapes.word_boxes``). A grid cell covers a square of pixels; its
weight counts in proportion to the part of that square the box overlaps. The mean over
all such words is printed as JSON (issue 29's target: >= 0.5).

    python -m tools.caption_attention RUN_DIR [--n 200] [--seed 999] [--beam 5]
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np


def cell_overlaps(
    box: tuple[int, int, int, int], grid: tuple[int, int], side: int
) -> np.ndarray:
    """Share of each grid cell's pixels inside ``box`` (x0, y0, x1, y1, end
    exclusive, in pixels of a ``side`` x ``side`` image), (h*w,) row-major."""
    h, w = grid
    x0, y0, x1, y1 = box
    out = np.zeros((h, w))
    ch, cw = side / h, side / w
    for r in range(h):
        for c in range(w):
            dx = max(0.0, min(x1, (c + 1) * cw) - max(x0, c * cw))
            dy = max(0.0, min(y1, (r + 1) * ch) - max(y0, r * ch))
            out[r, c] = dx * dy / (cw * ch)
    return out.reshape(-1)


def word_rows(pieces: tuple[str, ...]) -> list[int]:
    """Index of the first piece of each word (sentencepiece marks it with "▁")."""
    return [i for i, p in enumerate(pieces) if p.startswith("▁")]


def attention_in_boxes(translator, n: int, seed: int, beam: int) -> dict:
    from engine.config import DecodeConfig
    from engine.shapes import (
        COLOURS,
        IMAGE_SIZE,
        KINDS,
        shapes_ref,
        shapes_scene,
        word_boxes,
    )

    if not translator.images or translator.grid is None:
        raise SystemExit("not a captioning run")
    refs = [shapes_ref(seed, i) for i in range(n)]
    out = translator.translate(refs, DecodeConfig(beam=beam, batch_size=50))
    masses: list[float] = []
    named = set(COLOURS) | set(KINDS)
    no_attention = 0
    for i, tr in enumerate(out):
        hyp = tr.hypotheses[0]
        if hyp.attention is None:
            no_attention += 1
            continue
        words = hyp.text.split()
        rows = word_rows(hyp.pieces)
        if len(rows) != len(words):  # pieces that do not map to words: skip the image
            continue
        boxes = word_boxes(shapes_scene(seed, i), hyp.text)
        for word, row, box in zip(words, rows, boxes, strict=True):
            if word in named and box is not None:
                inside = cell_overlaps(box, translator.grid, IMAGE_SIZE)
                masses.append(float(hyp.attention[row] @ inside))
    if no_attention:
        raise SystemExit("the model has no attention (model.attention = none)")
    return {
        "images": n,
        "seed": seed,
        "grid": list(translator.grid),
        "words": len(masses),
        "mean_mass_in_box": float(np.mean(masses)) if masses else None,
        "share_of_words_over_half": float(np.mean(np.array(masses) >= 0.5))
        if masses
        else None,
    }


def main(argv: list[str] | None = None) -> int:
    from engine.translate import Translator

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dirs", nargs="+", metavar="RUN_DIR")
    parser.add_argument("--n", type=int, default=200, help="held-out images")
    parser.add_argument("--seed", type=int, default=999, help="their seed")
    parser.add_argument("--beam", type=int, default=5)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)
    translator = Translator.from_run_dirs(args.run_dirs, args.device)
    result = attention_in_boxes(translator, args.n, args.seed, args.beam)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
