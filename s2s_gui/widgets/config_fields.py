"""The config form's labels, tooltips and choices, read from engine.config's metadata.

Each key is described once, beside its default in ``engine.config``; here the texts are
only translated (context "ConfigFields") and the paper citations filled in.
``make i18n`` feeds the metadata to lupdate through ``catalog_source``.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from engine.config import (
    APPLIES_WHEN,
    CITATIONS,
    config_keys,
    inactive_reason,
    key_help,
)
from s2s_gui.explanations import glossary

CONTEXT = "ConfigFields"

SECTION_TITLES = {
    "data": QT_TRANSLATE_NOOP("ConfigFields", "Data"),
    "model": QT_TRANSLATE_NOOP("ConfigFields", "Model"),
    "train": QT_TRANSLATE_NOOP("ConfigFields", "Training"),
    "decode": QT_TRANSLATE_NOOP("ConfigFields", "Decoding"),
}


def section_title(section: str) -> str:
    """A config section's heading in the interface language."""
    return QCoreApplication.translate(CONTEXT, SECTION_TITLES.get(section, section))


def field_text(key: str) -> tuple[str, str, tuple[str, ...] | None]:
    """(label, tooltip, choices) of ``key`` ("model.cell") in the interface language."""
    label, tip, choices = key_help(key)
    tip = QCoreApplication.translate(CONTEXT, tip).format(**CITATIONS)
    note = glossary(key)
    if note:
        tip = f"{tip}\n\n{note}"
    return QCoreApplication.translate(CONTEXT, label), tip, choices


def inactive_text(key: str, raw: dict, env: dict) -> str | None:
    """Why ``key`` does nothing in this setting (translated), or None when it acts."""
    reason = inactive_reason(key, raw, env)
    return None if reason is None else QCoreApplication.translate(CONTEXT, reason)


def catalog_source() -> str:
    """Python source marking every key's label and help for lupdate (``make i18n``)."""
    lines = []
    for name in config_keys():
        for text in key_help(name)[:2]:
            lines.append(f"QT_TRANSLATE_NOOP({CONTEXT!r}, {text!r})")
    for _, reason in APPLIES_WHEN.values():
        lines.append(f"QT_TRANSLATE_NOOP({CONTEXT!r}, {reason!r})")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(catalog_source(), end="")
