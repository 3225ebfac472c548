"""`s2s caption`: caption image files with one captioning run or an ensemble."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from engine.config import ConfigError


def _json_line(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def split_runs(paths: list[str]) -> tuple[list[str], list[str]]:
    """Leading run folders (they hold a config.toml), then the images."""
    runs = []
    for p in paths:
        if not (Path(p).is_dir() and (Path(p) / "config.toml").is_file()):
            break
        runs.append(p)
    images = paths[len(runs) :]
    if not runs:
        raise ConfigError(f"{paths[0]}: not a run folder (no config.toml)")
    if not images:
        raise ConfigError("no image given: s2s caption RUN_DIR [RUN_DIR...] IMAGE...")
    return runs, images


def hypothesis_dict(h, with_attention: bool) -> dict:
    out = {"text": h.text, "score": h.score, "logprob": h.logprob}
    if with_attention and h.attention is not None:
        out["attention"] = [[round(float(x), 5) for x in row] for row in h.attention]
    return out


def cmd_caption(args: argparse.Namespace) -> int:
    """Exit status 0, or 1 when some images could not be read (each is named on
    stderr and gets an empty line on stdout, so outputs stay aligned with inputs)."""
    from engine.commands import decode_config, make_translator
    from engine.images import ImageError

    args.run_dirs, images = split_runs(args.paths)
    translator = make_translator(args)
    if not translator.images:
        raise ConfigError(f"{args.run_dirs[0]} is not a captioning run (model.encoder)")
    cfg = decode_config(args)
    errors: dict[int, str] = {}
    for i, path in enumerate(images):  # read each once: the bad ones are named
        try:
            translator.src_tok.encode(path)
        except (ImageError, OSError) as exc:
            errors[i] = str(exc) if str(path) in str(exc) else f"{path}: {exc}"
    good = [p for i, p in enumerate(images) if i not in errors]
    results = iter(translator.translate(good, cfg) if good else [])
    h, w = translator.grid
    for i, path in enumerate(images):
        if i in errors:
            sys.stderr.write(f"s2s: {errors[i]}\n")
            if args.json:
                _json_line({"image": path, "hypotheses": [], "error": errors[i]})
            else:
                sys.stdout.write("\n")
            continue
        result = next(results)
        if args.json:
            hyps = [hypothesis_dict(x, True) for x in result.hypotheses]
            _json_line({"image": path, "hypotheses": hyps, "grid": [h, w]})
        else:
            best = result.hypotheses[0].text if result.hypotheses else ""
            sys.stdout.write(best + "\n")
    sys.stdout.flush()
    return 1 if errors else 0


def add_parser(sub) -> None:
    from engine.commands import add_decode_args

    p = sub.add_parser(
        "caption",
        help="caption images with a captioning run (several runs = ensemble)",
        epilog="An image that cannot be read is named on stderr and gets an empty "
        "output line; the exit status is then 1.",
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="RUN_DIR... IMAGE...",
        help="run folder(s), then images",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help='one JSON object per image: {"image", "hypotheses" (with the attention '
        'over the grid per word), "grid": [h, w]}',
    )
    add_decode_args(p)
    p.set_defaults(func=cmd_caption)
