"""What each number on screen is: labelled BLEU figures and plain-language stop reasons.

The same run shows several BLEU figures that differ for good reasons (greedy decoding on
the first dev sentences while training, the best of those evaluations, a beam search on a
whole test set); each is shown with the words that say which it is. Pure helpers: no
widgets, texts in the interface language (context "RunLabels").
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication

from engine.config import Config
from engine.events import TrainFinished

CONTEXT = "RunLabels"


def bleu_sentences(cfg: Config | None, dev_pairs: int = 0) -> int:
    """How many dev sentences the training-time BLEU decodes (0: unknown)."""
    if cfg is None:
        return dev_pairs
    n = cfg.train.bleu_sentences
    return min(n, dev_pairs) if dev_pairs else n


def training_bleu_label(sentences: int) -> str:
    """e.g. "dev BLEU (greedy, 100 sentences)": the figure computed while training."""
    if sentences <= 0:
        return QCoreApplication.translate("RunLabels", "dev BLEU (greedy)")
    return QCoreApplication.translate(
        "RunLabels", "dev BLEU (greedy, {n} sentences)"
    ).format(n=sentences)


def eval_bleu_label(beam: int, sentences: int) -> str:
    """e.g. "BLEU (beam 5, 200 sentences)": the Evaluate view's figure."""
    if beam <= 1:
        return QCoreApplication.translate(
            "RunLabels", "BLEU (greedy, {n} sentences)"
        ).format(n=sentences)
    return QCoreApplication.translate(
        "RunLabels", "BLEU (beam {k}, {n} sentences)"
    ).format(k=beam, n=sentences)


def bleu_tooltip(signature: str = "") -> str:
    """Why the BLEU figures of one run differ, with sacrebleu's signature when known."""
    text = QCoreApplication.translate(
        "RunLabels",
        "Corpus BLEU computed by sacrebleu on detokenized text. The figures differ by "
        "what was decoded: while training, greedy decoding of the first dev sentences; "
        "best: the highest of those evaluations; Evaluate: the search you choose on the "
        "whole test set.",
    )
    if signature:
        text += "\n\n" + QCoreApplication.translate(
            "RunLabels",
            "sacrebleu signature (how to reproduce this score exactly):\n{signature}",
        ).format(signature=signature)
    return text


def stop_reason(ev: TrainFinished, cfg: Config | None) -> str:
    """Why a run ended, in words: "reached max steps (600)", "stopped by you", …"""
    train = cfg.train if cfg is not None else None
    match ev.reason:
        case "max_steps":
            if train is None or not train.max_steps:
                return QCoreApplication.translate("RunLabels", "reached max steps")
            return QCoreApplication.translate(
                "RunLabels", "reached max steps ({n:,})"
            ).format(n=train.max_steps)
        case "max_minutes":
            if train is None or not train.max_minutes:
                return QCoreApplication.translate("RunLabels", "time limit")
            minutes = train.max_minutes
            shown = f"{minutes:g}" if math.isfinite(minutes) else str(minutes)
            return QCoreApplication.translate(
                "RunLabels", "time limit ({m} min)"
            ).format(m=shown)
        case "stopped":
            return QCoreApplication.translate("RunLabels", "stopped by you")
        case "converged":
            if train is None:
                return QCoreApplication.translate(
                    "RunLabels", "early stop: dev score stopped improving"
                )
            return QCoreApplication.translate(
                "RunLabels", "early stop: no better dev score in {n} evaluations"
            ).format(n=train.patience)
        case "epochs":
            if train is None:
                return QCoreApplication.translate("RunLabels", "completed all epochs")
            return QCoreApplication.translate(
                "RunLabels", "completed {n} epochs"
            ).format(n=train.epochs)
        case "nan":
            return QCoreApplication.translate("RunLabels", "the loss became NaN")
        case "oom":
            return QCoreApplication.translate("RunLabels", "out of memory")
    return ev.reason
