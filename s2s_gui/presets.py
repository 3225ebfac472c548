"""Presets: partial TOML configs in resources/presets with a [preset] name table."""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from engine.config import Config

logger = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
PRESETS_DIR = RESOURCES / "presets"
KEEP = ("train", "dev", "swap")  # the corpus choice survives a preset change
ORDER = ("quick_demo", "sutskever_2014", "cho_2014", "luong_attention")
# The bundled presets' names and descriptions (as their TOML files write them), marked
# for lupdate; a preset of one's own is shown as written.
BUNDLED_TEXTS = (
    QT_TRANSLATE_NOOP("Presets", "Quick demo"),
    QT_TRANSLATE_NOOP(
        "Presets", "1-layer LSTM with dot attention, Adam; about a minute on CPU."
    ),
    QT_TRANSLATE_NOOP("Presets", "Sutskever 2014 (scaled down)"),
    QT_TRANSLATE_NOOP(
        "Presets",
        "4-layer LSTM, reversed source, SGD 0.7 with the paper's halving schedule.",
    ),
    QT_TRANSLATE_NOOP("Presets", "Cho 2014"),
    QT_TRANSLATE_NOOP(
        "Presets", "GRU encoder-decoder with the context vector at every decoder step."
    ),
    QT_TRANSLATE_NOOP("Presets", "Luong attention"),
    QT_TRANSLATE_NOOP(
        "Presets", "2-layer LSTM, global general attention with input feeding."
    ),
)


@dataclass(frozen=True)
class Preset:
    name: str  # as written in the file: the preset's key (``select_preset``)
    description: str
    sections: dict[str, dict[str, Any]]

    @property
    def display_name(self) -> str:
        return QCoreApplication.translate("Presets", self.name)

    @property
    def display_description(self) -> str:
        return QCoreApplication.translate("Presets", self.description)


def load_presets(folder: Path = PRESETS_DIR) -> list[Preset]:
    """Every ``*.toml`` in ``folder``: the known ones first, in ORDER."""
    files = sorted(
        folder.glob("*.toml"),
        key=lambda p: (
            p.stem not in ORDER,
            ORDER.index(p.stem) if p.stem in ORDER else 0,
            p.stem,
        ),
    )
    out = []
    for path in files:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            logger.warning("preset %s skipped: %s", path, exc)
            continue
        meta = raw.pop("preset", {})
        out.append(
            Preset(meta.get("name", path.stem), meta.get("description", ""), raw)
        )
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
