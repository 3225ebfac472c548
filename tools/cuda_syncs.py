"""Count the host syncs inside Trainer._train_step on a CUDA GPU.

    python tools/cuda_syncs.py [CONFIG.toml] [--steps N]

Trains a few steps of CONFIG (default: resources/configs/reverse.toml) with
``torch.cuda.set_sync_debug_mode("warn")`` switched on only while a training step runs,
and prints how many synchronising CUDA calls each step made (the goal is none: the
loop reads values back once per log line, outside the step) with the first few
places they came from. tests/engine/test_training.py checks the same on the CPU at the
Python level; this sees what only the CUDA runtime can.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import warnings
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.config import load_config  # noqa: E402
from engine.training import Trainer  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "config", nargs="?", default=ROOT / "resources/configs/reverse.toml"
    )
    parser.add_argument("--steps", type=int, default=30)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print("cuda_syncs: no CUDA GPU here; nothing to count")
        return 0
    config = load_config(args.config)
    with tempfile.TemporaryDirectory() as run_dir:
        trainer = Trainer(config, Path(run_dir) / "run", device="cuda")
        original = trainer._train_step
        per_step: list[int] = []
        places: list[str] = []

        def watched(batch, lr):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                torch.cuda.set_sync_debug_mode("warn")
                try:
                    out = original(batch, lr)
                finally:
                    torch.cuda.set_sync_debug_mode("default")
            syncs = [w for w in caught if "synchroniz" in str(w.message)]
            per_step.append(len(syncs))
            for w in syncs[: max(0, 5 - len(places))]:
                places.append(f"{w.filename}:{w.lineno}: {w.message}")
            return out

        trainer._train_step = watched
        for _ in trainer.steps(should_stop=lambda: len(per_step) >= args.steps):
            pass
    print(f"steps: {len(per_step)}; synchronising calls per step: {per_step}")
    print(f"after the first step: {sum(per_step[1:])} in {len(per_step) - 1} steps")
    for place in places:
        print("  " + place)
    return 0 if per_step else 1


if __name__ == "__main__":
    raise SystemExit(main())
