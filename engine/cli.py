"""The `s2s` command: train / translate / eval / rescore / states / bench (no GUI needed)."""

from __future__ import annotations

import argparse
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
        config = load_config(run_dir / "config.toml")
    else:
        raise ConfigError("a CONFIG.toml is needed to start a new run")
    overrides = list(args.set or [])
    if args.max_steps is not None:
        overrides.append(f"train.max_steps={args.max_steps}")
    if args.max_minutes is not None:
        overrides.append(f"train.max_minutes={args.max_minutes}")
    config = config.with_overrides(overrides)
    trainer = Trainer(config, run_dir, resume=args.resume, device=args.device)
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
                        + (f", resuming at step {ev.start_step}" if ev.start_step else "")
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
    finally:
        signal.signal(signal.SIGINT, previous)
    if finished is None:
        return 1
    if main_rank:
        _json_line(train_summary(run_dir, finished))
    return 0


# ---------------------------------------------------------------------- translate
def cmd_translate(args: argparse.Namespace) -> int:
    cfg = decode_config(args)
    translator = make_translator(args)
    lines = [line.rstrip("\n") for line in sys.stdin]
    for start in range(0, len(lines), 1000):  # bounded memory on huge inputs
        chunk = lines[start : start + 1000]
        for number, result in enumerate(translator.translate(chunk, cfg), start + 1):
            if result.notice:
                sys.stderr.write(f"s2s: line {number}: {result.notice}\n")
            if args.json:
                _json_line(
                    {
                        "source": result.source,
                        "hypotheses": [
                            {"text": h.text, "score": h.score, "logprob": h.logprob}
                            for h in result.hypotheses
                        ],
                    }
                )
            else:
                best = result.hypotheses[0].text if result.hypotheses else ""
                sys.stdout.write(best + "\n")
    sys.stdout.flush()
    return 0


# ---------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="s2s", description="Seq2Seq Lab engine: train, translate, evaluate, analyse."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("train", help="train a model into a run directory")
    p.add_argument("config", nargs="?", help="CONFIG.toml (optional with --resume)")
    p.add_argument("--out", required=True, help="run directory")
    p.add_argument("--set", action="append", metavar="SECTION.KEY=VALUE")
    p.add_argument("--device", default=None, help="auto | cpu | cuda | mps")
    p.add_argument("--max-steps", type=int, default=None)
    p.add_argument("--max-minutes", type=float, default=None)
    p.add_argument("--resume", action="store_true", help="continue the run in --out")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("translate", help="translate stdin lines (several runs = ensemble)")
    p.add_argument("run_dirs", nargs="+", metavar="RUN_DIR")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    add_decode_args(p)
    p.set_defaults(func=cmd_translate)
    _add_analysis_commands(sub)
    return parser


def _add_analysis_commands(sub) -> None:
    """eval / rescore / states / bench live in engine.commands to keep this file short."""
    from engine import commands

    commands.add_parsers(sub)


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


if __name__ == "__main__":
    sys.exit(main())
