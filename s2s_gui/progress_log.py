"""Log lines for a training run: its start, progress every N steps, evaluations, its end.

The log dock shows what `s2s train` prints on stderr, so a person can read back how a
run went. Lines go to the ``s2s_gui.training`` logger; they are log text (English, like
the command line's), not interface labels.
"""

from __future__ import annotations

import logging

from engine.config import Config
from engine.events import EvalResult, TrainFinished, TrainStart, TrainStep
from s2s_gui.run_labels import bleu_sentences, stop_reason
from s2s_gui.state import format_duration

logger = logging.getLogger("s2s_gui.training")

LINES_PER_RUN = 20  # progress lines over a run of known length


class ProgressLog:
    """Turns a run's events into a few log lines (not one per logged step)."""

    def __init__(self, cfg: Config | None) -> None:
        self.cfg = cfg
        self.every = cfg.train.log_every * 10 if cfg is not None else 100
        self.next_step = 0
        self.dev_pairs = 0

    def started(self, ev: TrainStart) -> None:
        self.dev_pairs = ev.dev_pairs
        if ev.total_steps:
            log_every = self.cfg.train.log_every if self.cfg is not None else 1
            self.every = max(log_every, ev.total_steps // LINES_PER_RUN)
        self.next_step = ev.start_step
        logger.info(
            "training %s: %s parameters, %s training pairs, %s",
            ev.run_dir,
            f"{ev.parameters:,}",
            f"{ev.train_pairs:,}",
            ev.device,
        )

    def step(self, ev: TrainStep) -> None:
        if ev.step < self.next_step:
            return
        self.next_step = ev.step + self.every
        logger.info(
            "step %s · epoch %.2f · loss %.3f · %s tok/s · ETA %s",
            f"{ev.step:,}",
            ev.epoch,
            ev.loss,
            f"{ev.tokens_per_s:,.0f}",
            format_duration(ev.eta_s),
        )

    def evaluated(self, ev: EvalResult) -> None:
        n = bleu_sentences(self.cfg, self.dev_pairs)
        logger.info(
            "evaluation at step %s: dev perplexity %.2f · dev BLEU %.1f "
            "(greedy, %d sentences)%s",
            f"{ev.step:,}",
            ev.dev_ppl,
            ev.bleu,
            n,
            " · new best" if ev.best else "",
        )

    def finished(self, ev: TrainFinished) -> None:
        logger.info(
            "run ended: %s at step %s after %.2f epochs",
            stop_reason(ev, self.cfg),
            f"{ev.step:,}",
            ev.epochs,
        )
