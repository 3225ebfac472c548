"""The `s2s` command: train / translate / eval / rescore / states / bench (no GUI needed)."""

from __future__ import annotations

import argparse
import io
import json
import logging
import signal
import sys
import threading
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from engine.commands import add_decode_args, decode_config, make_translator
from engine.config import ConfigError, load_config
from engine.cpu_threads import prefer_passive_waiting

logger = logging.getLogger("engine.cli")


def _version() -> str:
    try:
        return version("seq2seq-lab")
    except PackageNotFoundError:
        return "unknown"


def _err(message: str) -> None:
    sys.stderr.write(f"s2s: error: {message}\n")


def _json_line(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------------- train
def cmd_train(args: argparse.Namespace) -> int:
    from engine.checkpoint import load_run_config
    from engine.distributed import env_rank, under_torchrun
    from engine.events import (
        CheckpointSaved,
        CorpusReport,
        EvalResult,
        Progress,
        TrainFinished,
        TrainStart,
        TrainStep,
        TrainWarning,
    )
    from engine.training import Trainer, train_summary
    from engine.utils import format_duration

    run_dir = Path(args.out)
    if args.config:
        config = load_config(args.config)
    elif args.resume:
        config = load_run_config(run_dir)
    else:
        raise ConfigError("a CONFIG.toml is needed to start a new run")
    overrides = list(args.set or [])
    if args.max_steps is not None:
        overrides.append(f"train.max_steps={args.max_steps}")
    if args.max_minutes is not None:
        overrides.append(f"train.max_minutes={args.max_minutes}")
    config = config.with_overrides(overrides)
    if args.resume and args.overwrite:
        raise ConfigError(
            "--resume continues the run in --out; --overwrite replaces it"
        )
    trainer = Trainer(
        config,
        run_dir,
        resume=args.resume,
        overwrite=args.overwrite,
        device=args.device,
    )
    main_rank = env_rank() == 0  # under torchrun only rank 0 prints

    def say(text: str) -> None:
        if main_rank:
            sys.stderr.write(text)

    stop = threading.Event()
    stopped_at = [0.0]

    def on_signal(signum, frame):  # first Ctrl-C: stop cleanly and save; second: abort
        if stop.is_set():
            # A terminal's Ctrl-C reaches torchrun's workers twice: directly and as
            # forwarded by torchrun. Only a later press aborts.
            if under_torchrun() and time.monotonic() - stopped_at[0] < 2.0:
                return
            raise KeyboardInterrupt
        say("\nstopping after this batch (Ctrl-C again to abort)...\n")
        stopped_at[0] = time.monotonic()
        stop.set()

    previous = signal.signal(signal.SIGINT, on_signal)
    finished = None
    try:
        for ev in trainer.steps(should_stop=stop.is_set):
            match ev:
                case Progress():
                    say(f"[{ev.stage}] {ev.message}\n")
                case CorpusReport():
                    dropped = ", ".join(f"{n} {why}" for why, n in ev.dropped) or "none"
                    say(
                        f"corpus {ev.source}: {ev.pairs} training pairs, "
                        f"{ev.dev_pairs} dev pairs; dropped: {dropped}\n"
                    )
                case TrainStart():
                    say(
                        f"training on {ev.device}: {ev.parameters:,} parameters, "
                        f"vocab {ev.src_vocab}/{ev.tgt_vocab}, "
                        f"{ev.steps_per_epoch} steps per epoch"
                        + (
                            f", resuming at step {ev.start_step}"
                            if ev.start_step
                            else ""
                        )
                        + "\n"
                    )
                case TrainStep():
                    say(
                        f"step {ev.step:>6} | epoch {ev.epoch:6.2f} | loss {ev.loss:6.3f} | "
                        f"ppl {ev.ppl:8.2f} | lr {ev.lr:.2e} | "
                        f"{ev.tokens_per_s:8.0f} tok/s | ETA {format_duration(ev.eta_s)}\n"
                    )
                case EvalResult():
                    best = " (best)" if ev.best else ""
                    say(
                        f"eval step {ev.step}: dev loss {ev.dev_loss:.3f}, "
                        f"ppl {ev.dev_ppl:.2f}, BLEU {ev.bleu:.2f}, chrF {ev.chrf:.2f}{best}\n"
                    )
                    for sample in ev.samples[:3]:
                        say(f"   {sample.source} => {sample.hypothesis}\n")
                case CheckpointSaved():
                    pass
                case TrainWarning():
                    say(f"warning: {ev.message}\n")
                case TrainFinished():
                    finished = ev
    except KeyboardInterrupt:
        from engine.checkpoint import describe_saved

        _err(f"interrupted; {run_dir} holds {describe_saved(run_dir)}")
        return 130
    finally:
        signal.signal(signal.SIGINT, previous)
    if finished is None:
        return 1
    if main_rank:
        _json_line(train_summary(run_dir, finished))
    return 0


# ---------------------------------------------------------------------- translate
def cmd_keys(args: argparse.Namespace) -> int:
    """Print the config keys' help, read from engine.config's field metadata."""
    from engine.config import describe_keys

    sys.stdout.write(describe_keys(args.section))
    return 0


def cmd_translate(args: argparse.Namespace) -> int:
    """Exit status 0, or 1 when some input lines could not be read (each is named on
    stderr and gets an empty line on stdout, so outputs stay aligned with inputs)."""
    from engine.stdin_lines import chunks_as_they_come, read_lines

    cfg = decode_config(args)
    translator = make_translator(args)
    bad = 0
    # Streamed: each chunk is translated as soon as it is read (or the input pauses).
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream stood in for stdin (tests, embedding)
        stream = io.BytesIO(sys.stdin.read().encode("utf-8", "surrogateescape"))
    for chunk in chunks_as_they_come(read_lines(stream)):
        good = [line for line in chunk if not line.error]
        results = iter(translator.translate([line.text for line in good], cfg))
        for line in chunk:
            if line.error:
                bad += 1
                _err(f"line {line.number}: {line.error}")
                _translate_output(args, None, line.error)
                continue
            result = next(results)
            for notice in (line.notice, result.notice):
                if notice:
                    sys.stderr.write(f"s2s: line {line.number}: {notice}\n")
            _translate_output(args, result)
        sys.stdout.flush()
    return 1 if bad else 0


def _translate_output(args: argparse.Namespace, result, error: str = "") -> None:
    if not args.json:
        best = result.hypotheses[0].text if result and result.hypotheses else ""
        sys.stdout.write(best + "\n")
    elif result is None:
        _json_line({"source": None, "hypotheses": [], "error": error})
    else:
        hypotheses = [
            {"text": h.text, "score": h.score, "logprob": h.logprob}
            for h in result.hypotheses
        ]
        _json_line({"source": result.source, "hypotheses": hypotheses})


# ---------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="s2s",
        description="Seq2Seq Lab engine: train, translate, evaluate, analyse.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "train",
        help="train a model into a run directory",
        epilog="`s2s keys` lists every config key with its default and meaning.",
    )
    p.add_argument("config", nargs="?", help="CONFIG.toml (optional with --resume)")
    p.add_argument("--out", required=True, help="run directory")
    p.add_argument("--set", action="append", metavar="SECTION.KEY=VALUE")
    p.add_argument("--device", default=None, help="auto | cpu | cuda | mps")
    p.add_argument("--max-steps", type=int, default=None)
    p.add_argument("--max-minutes", type=float, default=None)
    p.add_argument("--resume", action="store_true", help="continue the run in --out")
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="replace the run already in --out (its weights, trainer state, metrics)",
    )
    p.set_defaults(func=cmd_train)

    p = sub.add_parser(
        "translate",
        help="translate stdin lines (several runs = ensemble)",
        epilog="Each line is answered as soon as it is read. A line that is not UTF-8 "
        "is named on stderr and gets an empty output line; the exit status is then 1.",
    )
    p.add_argument("run_dirs", nargs="+", metavar="RUN_DIR")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    add_decode_args(p)
    p.set_defaults(func=cmd_translate)

    p = sub.add_parser("keys", help="every config key: its default and what it does")
    p.add_argument("section", nargs="?", choices=["data", "model", "train", "decode"])
    p.set_defaults(func=cmd_keys)
    _add_analysis_commands(sub)
    return parser


def _add_analysis_commands(sub) -> None:
    """eval / rescore / states / bench live in engine.commands to keep this file short."""
    from engine import caption_cli, commands, tatoeba

    commands.add_parsers(sub)
    caption_cli.add_parser(sub)
    tatoeba.add_parser(sub)  # s2s download LANG


def main(argv: list[str] | None = None) -> int:
    prefer_passive_waiting()  # before anything imports torch (this module does not)
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from engine.checkpoint import CheckpointError
    from engine.data import DataError
    from engine.malloc import tune_malloc

    tune_malloc()
    try:
        return args.func(args)
    except (ConfigError, DataError, CheckpointError, ValueError, RuntimeError) as exc:
        _err(str(exc))
        return 2
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except MemoryError:
        _err("out of memory; close other programs, or use a smaller model or batch")
        return 2
    except OSError as exc:  # e.g. too many open files, or a device that failed
        where = f"{exc.filename}: " if exc.filename else ""
        _err(f"{where}{exc.strerror or exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
