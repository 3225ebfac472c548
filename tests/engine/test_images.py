"""The image data layer: the shapes task, image readers, tensors, make-shapes."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from engine import cli
from engine.images import (
    IMAGE_SIZE,
    MEAN,
    STD,
    ImageError,
    image_tensor,
    load_image,
    open_image,
    parse_shapes_ref,
    read_caption_pairs,
    read_captions_tsv,
    read_flickr8k,
    read_shapes_boxes,
    render,
    scene_captions,
    shapes_pairs,
    shapes_ref,
    shapes_scene,
    word_boxes,
    write_shapes,
)
from engine.readers import DataError
from engine.shapes import BACKGROUND

SCENES = range(300)  # enough for every count, axis, kind, colour and size to occur
_PHRASE = re.compile(r"a (small|large) (\w+) (\w+)")


def _looks(caption: str) -> list[tuple[str, str, str]]:
    """(size, colour, kind) of each "a SIZE COLOUR KIND" in ``caption``, in order."""
    return _PHRASE.findall(caption)


def _dominant(rgb: np.ndarray) -> str:
    """The colour word a person would use for a saturated RGB triple."""
    r, g, b = (int(v) for v in rgb)
    if r > 150 and g > 150 and b < 100:
        return "yellow"
    if r > 100 and b > 100 and g < r - 40 and g < b - 40:
        return "purple"
    return ("red", "green", "blue")[int(np.argmax([r, g, b]))]


# ---------------------------------------------------------------------- generator


def test_same_seed_and_index_give_the_same_image_and_captions() -> None:
    for index in range(20):
        a, b = shapes_scene(7, index), shapes_scene(7, index)
        assert render(a).tobytes() == render(b).tobytes()
        assert scene_captions(a) == scene_captions(b)
    other = [render(shapes_scene(8, i)).tobytes() for i in range(20)]
    mine = [render(shapes_scene(7, i)).tobytes() for i in range(20)]
    assert sum(x != y for x, y in zip(mine, other)) >= 18


def test_scenes_do_not_depend_on_the_process_hash_seed() -> None:
    code = (
        "from engine.shapes import shapes_scene, scene_captions, render\n"
        "import hashlib\n"
        "h = hashlib.sha256()\n"
        "for i in range(30):\n"
        "    s = shapes_scene(3, i)\n"
        "    h.update(render(s).tobytes()); h.update(repr(scene_captions(s)).encode())\n"
        "print(h.hexdigest())\n"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": os.getcwd()}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True
        )
        assert out.returncode == 0, out.stderr
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_shapes_lie_inside_the_image_and_never_overlap() -> None:
    counts, axes = Counter(), Counter()
    for index in SCENES:
        scene = shapes_scene(1, index)
        counts[len(scene.shapes)] += 1
        for shape in scene.shapes:
            x0, y0, x1, y1 = shape.box
            assert 0 <= x0 < x1 <= scene.side and 0 <= y0 < y1 <= scene.side
        for a, b in combinations(scene.shapes, 2):
            apart_x = a.box[2] <= b.box[0] or b.box[2] <= a.box[0]
            apart_y = a.box[3] <= b.box[1] or b.box[3] <= a.box[1]
            assert apart_x or apart_y, scene
            if len(scene.shapes) == 2:  # one relation only, so one caption order
                axes["x" if apart_x else "y"] += 1
                assert not (apart_x and apart_y), scene
    assert set(counts) == {1, 2, 3}
    assert set(axes) == {"x", "y"}


def test_every_caption_describes_the_shapes_in_the_picture() -> None:
    for index in SCENES:
        scene = shapes_scene(2, index)
        pixels = np.array(render(scene))
        for shape in scene.shapes:  # the words in the Scene match what is drawn
            x0, y0, x1, y1 = shape.box
            inside = pixels[y0:y1, x0:x1]
            drawn = (inside != BACKGROUND).any(axis=-1)
            assert _dominant(inside[drawn][0]) == shape.colour
            fill = drawn.mean()
            kind = "square" if fill > 0.95 else "circle" if fill > 0.7 else "triangle"
            assert kind == shape.kind, (shape, fill)
            side = x1 - x0
            assert (side <= 11) if shape.size == "small" else (side >= 18), shape
        looks = Counter((s.size, s.colour, s.kind) for s in scene.shapes)
        captions = scene_captions(scene)
        assert len(captions) >= 3 and len(set(captions)) == len(captions)
        canonical = [(s.size, s.colour, s.kind) for s in scene.shapes]
        assert _looks(captions[0]) == _looks(captions[1]) == canonical
        for caption in captions:
            assert caption == caption.lower() and caption.split() == caption.split(" ")
            assert Counter(_looks(caption)) == looks, caption
            _assert_relations_hold(scene, caption)


def _assert_relations_hold(scene, caption: str) -> None:
    """Each spatial claim of ``caption`` is true of the boxes."""
    box = {(s.size, s.colour, s.kind): s.box for s in scene.shapes}
    order = [box[look] for look in _looks(caption)]
    if caption.startswith("from left to right"):
        claims = [("left", p, q) for p, q in zip(order, order[1:])]
    elif caption.startswith("from right to left"):
        claims = [("right", p, q) for p, q in zip(order, order[1:])]
    else:
        words = [w for w in caption.split() if w in ("left", "right", "above", "below")]
        claims = list(zip(words, order, order[1:]))
        assert len(claims) == len(order) - 1, caption
    for word, p, q in claims:
        holds = {
            "left": p[2] <= q[0],
            "right": q[2] <= p[0],
            "above": p[3] <= q[1],
            "below": q[3] <= p[1],
        }[word]
        assert holds, (caption, p, q)


def test_boxes_are_tight_around_the_drawn_pixels() -> None:
    for index in SCENES:
        scene = shapes_scene(4, index)
        drawn = (np.array(render(scene)) != BACKGROUND).any(axis=-1)
        covered = np.zeros_like(drawn)
        for shape in scene.shapes:
            x0, y0, x1, y1 = shape.box
            covered[y0:y1, x0:x1] = True
            inside = drawn[y0:y1, x0:x1]
            # every edge of the box is touched: the box is the shape's bounding box
            assert inside[0].any() and inside[-1].any(), shape
            assert inside[:, 0].any() and inside[:, -1].any(), shape
        assert not (drawn & ~covered).any(), scene


def test_vocabulary_is_small_and_pairs_hold_every_reference() -> None:
    pairs = shapes_pairs(50, seed=9)
    assert len(pairs) == sum(len(scene_captions(shapes_scene(9, i))) for i in range(50))
    assert {parse_shapes_ref(ref) for ref, _ in pairs} == {(9, i) for i in range(50)}
    first = [
        (shapes_ref(9, i), scene_captions(shapes_scene(9, i))[0]) for i in range(50)
    ]
    assert shapes_pairs(50, seed=9, per_image=1) == first
    vocabulary = {
        w for _, caption in shapes_pairs(300, seed=1) for w in caption.split()
    }
    assert 15 <= len(vocabulary) <= 40


def test_shapes_refs_round_trip() -> None:
    assert shapes_ref(12, 345) == "shapes:12:345"
    assert parse_shapes_ref("shapes:12:345") == (12, 345)
    assert parse_shapes_ref("shapes:-3:0") == (-3, 0)
    for other in ("shapes:1", "shapes:a:1", "photo.jpg", "shapes:1:2:3"):
        assert parse_shapes_ref(other) is None


def test_word_boxes_point_at_the_described_shape() -> None:
    scene = next(
        s
        for s in map(lambda i: shapes_scene(5, i), range(100))
        if len(s.shapes) == 2
        and s.shapes[0].colour != s.shapes[1].colour
        and s.shapes[0].kind != s.shapes[1].kind
    )
    a, b = scene.shapes
    caption = scene_captions(scene)[1]  # "there is A to the left of B" (or above)
    words = caption.split()
    boxes = word_boxes(scene, caption)
    assert len(boxes) == len(words)
    for word, box in zip(words, boxes):
        if word in (a.size, a.colour, a.kind) and box is not None:
            assert box in (a.box, b.box)
    first = words.index(a.colour)
    assert boxes[first - 1 : first + 2] == [a.box] * 3  # size colour kind
    assert boxes[words.index(b.kind, first + 2)] == b.box
    assert all(boxes[i] is None for i, w in enumerate(words) if w in ("a", "of"))
    # a wrong description: each word gets the one shape it fits on its own
    assert word_boxes(scene, f"a {a.colour} {b.kind}") == [None, a.box, b.box]


def test_word_boxes_leave_ambiguous_words_out() -> None:
    scene = next(
        s
        for s in map(lambda i: shapes_scene(6, i), range(300))
        if len(s.shapes) == 2 and s.shapes[0].colour == s.shapes[1].colour
    )
    colour = scene.shapes[0].colour
    # no shape is both of these kinds, and the colour fits both shapes
    assert word_boxes(scene, f"a {colour} dragon") == [None, None, None]


# ---------------------------------------------------------------------- tensors


def test_image_tensor_shape_dtype_and_normalisation() -> None:
    image = Image.new("RGB", (40, 30), (255, 0, 128))  # not square: squashed
    x = image_tensor(image, side=32)
    assert x.shape == (3, 32, 32) and x.dtype == torch.float32
    raw = torch.tensor([255, 0, 128], dtype=torch.float64) / 255
    want = (raw - torch.tensor(MEAN, dtype=torch.float64)) / torch.tensor(STD)
    # float32 rounds x/255, the subtraction and the division: a few ulps of 2.0
    torch.testing.assert_close(
        x.double(), want.view(3, 1, 1).expand(3, 32, 32), rtol=0, atol=1e-6
    )


def test_transparent_pixels_become_white_and_grey_becomes_rgb() -> None:
    clear = Image.new("RGBA", (8, 8), (0, 0, 0, 0))
    white = (1.0 - MEAN[0]) / STD[0]
    assert torch.equal(image_tensor(clear, 8), torch.full((3, 8, 8), white))
    grey = image_tensor(Image.new("L", (8, 8), 51), 8)
    assert torch.equal(grey[0], grey[1]) and torch.equal(grey[1], grey[2])


def test_resizing_averages_instead_of_picking_pixels() -> None:
    checker = np.indices((64, 64)).sum(axis=0) % 2 * 255  # 1-pixel black/white
    image = Image.fromarray(np.stack([checker] * 3, -1).astype(np.uint8), "RGB")
    x = image_tensor(image, 16)
    mid = (0.5 - MEAN[0]) / STD[0]
    assert (x - mid).abs().max() < 0.1  # nearest-neighbour would give -2 or +2


def test_load_image_of_a_shapes_ref_is_its_rendered_scene() -> None:
    ref = shapes_ref(3, 4)
    want = image_tensor(render(shapes_scene(3, 4)))
    assert torch.equal(load_image(ref), want)
    assert load_image(ref).shape == (3, IMAGE_SIZE, IMAGE_SIZE)


def test_open_image_names_a_missing_or_damaged_file(tmp_path) -> None:
    with pytest.raises(ImageError, match=r"nope\.png: no such file"):
        open_image(str(tmp_path / "nope.png"))
    (tmp_path / "text.png").write_text("hello")
    with pytest.raises(ImageError, match=r"text\.png: not an image"):
        open_image(str(tmp_path / "text.png"))


def test_an_unreadable_file_is_not_called_damaged(tmp_path, monkeypatch) -> None:
    path = _png(tmp_path / "locked.png")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Image, "open", refuse)  # root reads any file: refuse it here
    with pytest.raises(
        ImageError, match=r"locked\.png: cannot read: Permission denied"
    ):
        open_image(str(path))


def test_the_decompression_bomb_limit_stays_on(tmp_path, monkeypatch) -> None:
    path = tmp_path / "big.png"
    Image.new("RGB", (64, 64)).save(path)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 64 * 64 // 4)  # 4x over: an error
    with pytest.raises(ImageError, match=r"big\.png: refused"):
        open_image(str(path))


# ---------------------------------------------------------------------- readers


def _png(path: Path, colour=(200, 10, 10)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (20, 16), colour).save(path)
    return path


def _damaged(path: Path, fmt: str = "PNG") -> Path:
    """A real image cut in half: its header reads, its pixels do not."""
    noise = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    Image.fromarray(noise, "RGB").save(path, format=fmt)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def test_captions_tsv_skips_and_counts_bad_images(tmp_path, caplog) -> None:
    good = _png(tmp_path / "pics" / "good.png")
    _damaged(tmp_path / "pics" / "cut.png")
    os.mkfifo(tmp_path / "pics" / "pipe.png")
    tsv = tmp_path / "captions.tsv"
    tsv.write_text(
        "image\tcaption\n"
        "pics/good.png\ta red box\n"
        "pics/good.png\t  a  red   square \n"
        "pics/cut.png\ta damaged picture\n"
        "pics/gone.png\ta missing picture\n"
        "pics/pipe.png\ta pipe\n"
        f"{shapes_ref(1, 2)}\ta built-in scene\n",
        encoding="utf-8",
    )
    dropped: Counter[str] = Counter()
    with caplog.at_level(logging.WARNING, logger="engine.images"):
        pairs = read_captions_tsv(tsv, dropped)
    assert pairs == [
        (str(good), "a red box"),
        (str(good), "a red square"),
        ("shapes:1:2", "a built-in scene"),
    ]
    assert dropped == {
        "captions of a missing image": 1,
        "captions of an unreadable image": 2,
    }
    for name in ("cut.png", "gone.png", "pipe.png"):
        assert name in caplog.text
    assert "FIFO" in caplog.text


def test_captions_tsv_paths_are_relative_to_the_file(tmp_path, monkeypatch) -> None:
    good = _png(tmp_path / "data" / "img" / "a.png")
    tsv = tmp_path / "data" / "c.tsv"
    tsv.write_text("img/a.png\tone\nimg/../img/a.png\ttwo\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # elsewhere: the paths must not follow the cwd
    pairs = read_captions_tsv(Path("data/c.tsv"))
    assert pairs == [(str(good), "one"), (str(good), "two")]


def test_captions_tsv_errors(tmp_path) -> None:
    fifo = tmp_path / "fifo.tsv"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="FIFO"):
        read_captions_tsv(fifo)
    bad = tmp_path / "bad.tsv"
    bad.write_text("a.png\tok\njust one column\n", encoding="utf-8")
    with pytest.raises(ImageError, match=r"bad\.tsv:2: expected image_path<TAB>"):
        read_captions_tsv(bad)
    none = tmp_path / "none.tsv"
    none.write_text("x.png\tone\ny.png\ttwo\n", encoding="utf-8")
    with pytest.raises(ImageError, match=r"no usable captions: 2 read, dropped 2"):
        read_captions_tsv(none)


def test_flickr8k_token_file_finds_its_images_beside_it(tmp_path) -> None:
    folder = tmp_path / "Flicker8k_Dataset"
    one = _png(folder / "1000_a.jpg")
    Image.open(one).convert("RGB").save(one, format="JPEG")
    _damaged(folder / "3000_c.jpg", fmt="JPEG")
    text = tmp_path / "Flickr8k_text"
    text.mkdir()
    lines = [f"1000_a.jpg#{i}\tA dog runs {i} ." for i in range(5)]
    lines += [f"2000_b.jpg#{i}\tA missing cat {i} ." for i in range(5)]
    lines += [f"3000_c.jpg#{i}\tA cut picture {i} ." for i in range(5)]
    token = text / "Flickr8k.token.txt"
    token.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dropped: Counter[str] = Counter()
    pairs = read_flickr8k(token, dropped=dropped)
    assert pairs == [(str(one), f"A dog runs {i} .") for i in range(5)]
    assert dropped == {
        "captions of a missing image": 5,
        "captions of an unreadable image": 5,
    }
    assert read_flickr8k(token, images_dir=folder) == pairs
    assert read_caption_pairs(token) == pairs  # told apart from a captions TSV
    alone = tmp_path / "else" / "where" / token.name
    alone.parent.mkdir(parents=True)
    alone.write_bytes(token.read_bytes())
    with pytest.raises(ImageError, match="cannot find its images"):
        read_flickr8k(alone)


# ---------------------------------------------------------------------- make-shapes


def test_write_shapes_writes_images_captions_and_boxes(tmp_path) -> None:
    captions = write_shapes(tmp_path / "out", n=4, seed=11)
    pngs = sorted((tmp_path / "out").glob("*.png"))
    assert len(pngs) == 4 and captions == tmp_path / "out" / "captions.tsv"
    pairs = read_captions_tsv(captions)
    scenes = read_shapes_boxes(tmp_path / "out" / "boxes.json")
    assert sorted(scenes) == [str(p) for p in pngs]
    for index, png in enumerate(pngs):
        scene = shapes_scene(11, index)
        assert scenes[str(png)] == scene
        assert np.array_equal(np.array(Image.open(png)), np.array(render(scene)))
        assert [c for p, c in pairs if p == str(png)] == scene_captions(scene)


def test_make_shapes_command(tmp_path, capsys) -> None:
    out = tmp_path / "shapes"
    assert cli.main(["make-shapes", "--out", str(out), "--n", "3", "--seed", "5"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["images"] == 3 and len(list(out.glob("*.png"))) == 3
    assert summary["captions"] == len(read_captions_tsv(out / "captions.tsv"))
    assert Path(summary["boxes"]).is_file()
    assert cli.main(["make-shapes", "--out", str(out), "--n", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err


def test_kaggle_flickr8k_captions_csv(tmp_path) -> None:
    one = _png(tmp_path / "Images" / "1000_a.jpg")
    (tmp_path / "captions.txt").write_text(
        "image,caption\n"
        "1000_a.jpg,A child climbs the stairs .\n"
        '1000_a.jpg,"A girl , in pink , climbs ."\n'
        "1000_a.jpg,Two dogs, one black .\n"
        "2000_b.jpg,A missing picture .\n",
        encoding="utf-8",
    )
    dropped: Counter[str] = Counter()
    pairs = read_caption_pairs(tmp_path / "captions.txt", dropped)
    assert pairs == [
        (str(one), "A child climbs the stairs ."),
        (str(one), "A girl , in pink , climbs ."),
        (str(one), "Two dogs, one black ."),
    ]
    assert dropped == {"captions of a missing image": 1}
