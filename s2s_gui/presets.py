"""Presets: the configs in resources/configs that the Start page offers, by name."""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from engine.config import Config
from engine.resources import CONFIGS

logger = logging.getLogger(__name__)

KEEP = ("train", "dev", "swap")  # the corpus choice survives a preset change
# The Start page's presets, in order: a config in resources/configs (by file stem), with
# the name and description shown for it (marked for lupdate, shown translated).
PRESETS = (
    (
        "quick-demo",
        QT_TRANSLATE_NOOP("Presets", "Quick demo"),
        QT_TRANSLATE_NOOP(
            "Presets",
            "1-layer LSTM with dot attention; 3,000 steps, at most 2 minutes on a "
            "2-core CPU. On Task: dates it ends writing dates right (3 Mar 2021 -> "
            "2021-03-03); real sentences need the Sentence pairs preset.",
        ),
    ),
    (
        "paper",
        QT_TRANSLATE_NOOP("Presets", "Sutskever 2014"),
        QT_TRANSLATE_NOOP(
            "Presets",
            "The paper at full size: 4x1000 LSTM, reversed source, SGD 0.7; for a GPU.",
        ),
    ),
    (
        "cho-2014",
        QT_TRANSLATE_NOOP("Presets", "Cho 2014"),
        QT_TRANSLATE_NOOP(
            "Presets",
            "GRU encoder-decoder with the context vector at every decoder step.",
        ),
    ),
    (
        "luong-attention",
        QT_TRANSLATE_NOOP("Presets", "Luong attention"),
        QT_TRANSLATE_NOOP(
            "Presets", "2-layer LSTM, global general attention with input feeding."
        ),
    ),
    (
        "eng-fra",
        QT_TRANSLATE_NOOP("Presets", "Sentence pairs"),
        QT_TRANSLATE_NOOP(
            "Presets",
            "For downloaded Tatoeba pairs: 2x256 LSTM, dot attention, one 8k tokenizer "
            "per language. Stops after 20 minutes; on 2 CPU cores English to French "
            "reached dev BLEU 35 in that time.",
        ),
    ),
    (
        "shapes-caption",
        QT_TRANSLATE_NOOP("Presets", "Shapes captioning"),
        QT_TRANSLATE_NOOP(
            "Presets",
            "A small CNN reads the pictures; the decoder writes captions, attending "
            "over the CNN's grid (Show, Attend and Tell).",
        ),
    ),
)
IMAGE_PRESET = "Shapes captioning"  # chosen with an image corpus on the Start page


@dataclass(frozen=True)
class Preset:
    name: str  # untranslated: the preset's key (``select_preset``)
    description: str
    sections: dict[str, dict[str, Any]]

    @property
    def display_name(self) -> str:
        return QCoreApplication.translate("Presets", self.name)

    @property
    def display_description(self) -> str:
        return QCoreApplication.translate("Presets", self.description)


def load_presets(folder: Path = CONFIGS) -> list[Preset]:
    """The configs PRESETS names, read from ``folder``, in PRESETS' order."""
    out = []
    for stem, name, description in PRESETS:
        path = folder / f"{stem}.toml"
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            logger.warning("preset %s skipped: %s", path, exc)
            continue
        out.append(Preset(name, description, raw))
    return out


def apply_preset(preset: Preset, current: Config | None) -> Config:
    """Defaults, overlaid by the preset; the current corpus choice is kept.

    Raises:
        ConfigError: the preset holds an unknown key or a bad value.
    """
    raw = Config().to_dict()
    for section, values in preset.sections.items():
        raw.setdefault(section, {}).update(values)
    if current is not None:
        for key in KEEP:
            raw["data"][key] = getattr(current.data, key)
    return Config.from_dict(raw)
