"""The analysis sub-commands of `s2s`: eval, rescore, states, bench, make-shapes."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from engine.config import DecodeConfig, load_config


def _json_line(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def add_decode_args(p: argparse.ArgumentParser, beam: int = 5) -> None:
    p.add_argument("--beam", type=int, default=beam, help="beam size (1 = greedy)")
    p.add_argument("--nbest", type=int, default=None, help="hypotheses per sentence")
    p.add_argument("--alpha", type=float, default=0.6, help="length normalisation")
    p.add_argument("--max-len-ratio", type=float, default=2.0, help="max target/source")
    p.add_argument("--batch-size", type=int, default=64, help="sentences per batch")
    p.add_argument("--device", default=None, help="auto | cpu | cuda | mps")
    p.add_argument(
        "--int8",
        action="store_true",
        help="CPU: decoder steps with int8 weights (1.2-1.4x faster, scores shift slightly)",
    )
    p.add_argument(
        "--bf16",
        action="store_true",
        help="CUDA or a CPU with native bf16 (AVX512-BF16, AMX): matrix products in bf16 "
        "(beam 5 ~1.7x faster on such a CPU, scores shift slightly)",
    )


def decode_config(args: argparse.Namespace) -> DecodeConfig:
    return DecodeConfig(
        beam=args.beam,
        nbest=args.nbest if args.nbest is not None else 1,
        alpha=args.alpha,
        max_len_ratio=args.max_len_ratio,
        batch_size=args.batch_size,
    )


def make_translator(args: argparse.Namespace):
    """The Translator a decoding command's arguments ask for (CPU: one worker per core)."""
    from engine.translate import Translator, cpu_workers
    from engine.utils import pick_device

    device = pick_device(args.device or "auto")
    # only the decoding commands have --int8 and --bf16
    int8, bf16 = getattr(args, "int8", False), getattr(args, "bf16", False)
    return Translator.from_run_dirs(
        args.run_dirs, device, workers=cpu_workers(device), int8=int8, bf16=bf16
    )


def _read_lines(path: str) -> list[str]:
    """Lines of a UTF-8 text file; FIFOs, devices and folders are refused, not read."""
    from engine.readers import read_text_lines

    return read_text_lines(Path(path))


# ---------------------------------------------------------------------- eval
def cmd_eval(args: argparse.Namespace) -> int:
    from engine.checkpoint import load_source_ranks
    from engine.data import read_pairs
    from engine.evaluate import format_report, report_to_dict, run_evaluation

    pairs = read_pairs(args.test)
    if args.swap:
        pairs = [(t, s) for s, t in pairs]
    if args.limit:
        pairs = pairs[: args.limit]
    translator = make_translator(args)
    # an image run's "sources" are image paths: no word ranks
    ranks = None if translator.images else load_source_ranks(Path(args.run_dirs[0]))
    report = run_evaluation(translator, pairs, decode_config(args), train_sources=ranks)
    if args.json:
        _json_line(report_to_dict(report, rows=args.rows))
    else:
        sys.stdout.write(format_report(report) + "\n")
    return 0


# ---------------------------------------------------------------------- rescore
def cmd_rescore(args: argparse.Namespace) -> int:
    from engine.rescore import read_nbest, rescore, write_nbest

    sources = _read_lines(args.source)
    lists = read_nbest(args.nbest, n_sentences=len(sources))
    refs = _read_lines(args.references) if args.references else None
    if refs is not None and len(refs) != len(sources):
        raise ValueError(
            f"{args.references} has {len(refs)} lines but {args.source} has {len(sources)}"
        )
    weights = tuple(args.weights) if args.weights else (0.5, 0.5)
    report = rescore(
        make_translator(args), sources, lists, weights=weights, references=refs
    )
    if args.out:
        write_nbest(args.out, report.lists)
    _json_line(
        {
            "sentences": len(sources),
            "weights": {"model": weights[0], "baseline": weights[1]},
            "bleu_before": report.bleu_before,
            "bleu_after": report.bleu_after,
            "bleu_oracle": report.bleu_oracle,
            "out": args.out,
        }
    )
    return 0


def cmd_nbest(args: argparse.Namespace) -> int:
    """A synthetic Moses n-best list: the model's own beam plus noisy variants."""
    from engine.rescore import synthetic_nbest, write_nbest

    sources = _read_lines(args.source)
    cfg = decode_config(args)
    lists = synthetic_nbest(
        make_translator(args), sources, cfg, noise=args.noise, seed=args.seed
    )
    write_nbest(args.out, lists)
    _json_line({"out": args.out, "sentences": len(sources)})
    return 0


# ---------------------------------------------------------------------- make-shapes
def cmd_make_shapes(args: argparse.Namespace) -> int:
    """Write images of the built-in shapes task with their captions and boxes."""
    from engine.shapes import write_shapes

    captions = write_shapes(args.out, args.n, args.seed)
    lines = captions.read_text(encoding="utf-8").splitlines()
    _json_line(
        {
            "out": args.out,
            "images": args.n,
            "captions": len(lines),
            "captions_tsv": str(captions),
            "boxes": str(captions.with_name("boxes.json")),
        }
    )
    return 0


# ---------------------------------------------------------------------- states
def cmd_states(args: argparse.Namespace) -> int:
    from engine.analysis import project_sentences, write_states_csv
    from engine.checkpoint import load_source_sample

    sentences = [s for s in _read_lines(args.input) if s.strip()]
    if not sentences:
        raise ValueError(f"{args.input}: no sentences")
    translator = make_translator(args)
    if args.fit:
        fit = [s for s in _read_lines(args.fit) if s.strip()]
    else:  # a fixed sample of the training sources keeps points still as input grows
        fit = load_source_sample(Path(args.run_dirs[0])) or None
    points, projection = project_sentences(
        translator.models[0],
        translator.src_tok,
        sentences,
        fit,
        translator.device,
        layer=args.layer,
        part=args.part,
    )
    write_states_csv(args.out, sentences, points, projection)
    ratio = [round(float(x), 4) for x in projection.explained_variance_ratio]
    _json_line(
        {"out": args.out, "sentences": len(sentences), "explained_variance": ratio}
    )
    return 0


# ---------------------------------------------------------------------- bench
def cmd_bench(args: argparse.Namespace) -> int:
    from engine.bench import format_table, run_bench

    config = load_config(args.config) if args.config else None

    def progress(message: str) -> None:
        sys.stderr.write(f"[bench] {message}\n")

    if config is not None and config.model.encoder == "cnn":  # a captioner
        from engine.bench.caption import caption_bench, format_caption_table

        results = caption_bench(
            config, args.device or "auto", args.seconds, progress=progress
        )
        text = format_caption_table(results)
        _json_line(results) if args.json else sys.stdout.write(text + "\n")
        return 0
    results = run_bench(
        config,
        device=args.device or "auto",
        seconds=args.seconds,
        sentences=args.sentences,
        vocab=args.vocab,
        tgt_vocab=args.tgt_vocab,
        data=args.data,
        max_batch=args.max_batch,
        load=args.load,
        progress=progress,
    )
    if args.json:
        _json_line(results)
    else:
        sys.stdout.write(format_table(results) + "\n")
    return 0


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "eval", help="BLEU, chrF, perplexity and Figure 3 buckets on a test set"
    )
    p.add_argument("run_dirs", nargs="+", metavar="RUN_DIR")
    p.add_argument("--test", required=True, help="test pairs (any corpus format)")
    p.add_argument(
        "--swap", action="store_true", help="the test file's columns reversed"
    )
    p.add_argument("--limit", type=int, default=0, help="first N pairs only")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--rows", action="store_true", help="with --json: every sentence too"
    )
    add_decode_args(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("rescore", help="rerank a Moses n-best list with the model(s)")
    p.add_argument("run_dirs", nargs="+", metavar="RUN_DIR")
    p.add_argument("--source", required=True, help="source sentences, one per line")
    p.add_argument(
        "--nbest", required=True, help="Moses n-best list (id ||| hyp ||| f ||| s)"
    )
    p.add_argument("--weights", type=float, nargs=2, metavar=("MODEL", "BASELINE"))
    p.add_argument("--references", help="reference translations: report BLEU")
    p.add_argument("--out", help="write the reranked n-best list here")
    p.add_argument("--batch-size", type=int, default=64, help="sentences per batch")
    p.add_argument("--device", default=None)
    p.set_defaults(func=cmd_rescore)

    p = sub.add_parser(
        "nbest", help="write a synthetic Moses n-best list (beam + noise)"
    )
    p.add_argument("run_dirs", nargs=1, metavar="RUN_DIR")
    p.add_argument("--source", required=True, help="source sentences, one per line")
    p.add_argument("--out", required=True, help="the n-best file to write")
    p.add_argument("--noise", type=float, default=1.0, help="std of the baseline noise")
    p.add_argument("--seed", type=int, default=1)
    add_decode_args(p)
    p.set_defaults(func=cmd_nbest)

    p = sub.add_parser(
        "make-shapes",
        help="write images of the shapes captioning task + captions.tsv",
        epilog="The default seed differs from the training data's (data.seed = 1), "
        "so the images are fresh ones for evaluation.",
    )
    p.add_argument("--out", required=True, help="folder to write into")
    p.add_argument("--n", type=int, default=200, help="number of images")
    p.add_argument("--seed", type=int, default=1000, help="which stream of images")
    p.set_defaults(func=cmd_make_shapes)

    p = sub.add_parser("states", help="2-D PCA of encoder states -> CSV")
    p.add_argument("run_dirs", nargs=1, metavar="RUN_DIR")
    p.add_argument("--input", required=True, help="sentences, one per line")
    p.add_argument(
        "--fit", help="sentences to fit the plane on (default: training sample)"
    )
    p.add_argument("--out", required=True, help="points.csv")
    p.add_argument("--layer", type=int, default=-1)
    p.add_argument("--part", choices=("h", "c"), default="h")
    p.add_argument("--device", default=None)
    p.set_defaults(func=cmd_states)

    p = sub.add_parser(
        "bench", help="training and decoding throughput vs a plain reference"
    )
    p.add_argument(
        "config", nargs="?", help="CONFIG.toml (default: 2x256 LSTM, dot attention)"
    )
    p.add_argument("--device", default=None, help="auto | cpu | cuda | mps")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--seconds", type=float, default=10.0, help="time per training figure"
    )
    p.add_argument("--sentences", type=int, default=1000, help="sentences decoded")
    p.add_argument(
        "--data",
        metavar="CORPUS",
        help="benchmark on this corpus (any format training reads, e.g. a .tsv.gz), "
        "tokenized by a sentencepiece model trained on a sample of it "
        "(default: synthetic sentences with Tatoeba-like lengths)",
    )
    p.add_argument(
        "--vocab",
        type=int,
        metavar="N",
        help="vocabulary size (default: the config's data.vocab_size, 8000); with "
        "--data the tokenizer's cap",
    )
    p.add_argument(
        "--tgt-vocab",
        type=int,
        metavar="N",
        help="synthetic data: a different target vocabulary (default: --vocab)",
    )
    p.add_argument(
        "--max-batch",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also find the largest training batch that fits (default: on CUDA only; "
        "on CPU it can take minutes and a quarter of the free memory)",
    )
    p.add_argument(
        "--load",
        type=int,
        default=0,
        metavar="N",
        help="also time training beside N busy processes (a shared desktop's CPU), "
        "ours and the reference alike, and show the ratio under load",
    )
    p.set_defaults(func=cmd_bench)
