"""Fonts for Korean, Japanese and Chinese text: bundled ones registered, gaps reported.

Without a font that covers Hangul or Kana, Qt draws Korean and Japanese sentences as
empty boxes. A desktop bundle carries a font under ``resources/fonts`` (see
packaging/seq2seq-lab.spec); a source install relies on the system's fonts, and the
app says once how to install them when none covers these scripts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from PySide6.QtGui import QFontDatabase

from engine.resources import RESOURCES

logger = logging.getLogger(__name__)

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
# The scripts of the built-in corpora that Latin fonts do not cover, with one
# character each that a covering font must have (Hangul syllable, Hiragana, a Han ideogram).
SCRIPTS = {
    "Korean": (QFontDatabase.WritingSystem.Korean, "한"),
    "Japanese": (QFontDatabase.WritingSystem.Japanese, "の"),
    "Chinese": (QFontDatabase.WritingSystem.SimplifiedChinese, "中"),
}
INSTALL_HINT = "sudo apt install fonts-noto-cjk"  # Debian/Ubuntu; Fedora: google-noto-sans-cjk-fonts


def register_fonts() -> list[str]:
    """Add the fonts shipped in ``resources/fonts`` to Qt; the families added."""
    folder = RESOURCES / "fonts"
    if not folder.is_dir():
        return []
    families: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in FONT_SUFFIXES:
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                logger.warning("could not load the font %s", path)
            families += QFontDatabase.applicationFontFamilies(font_id)
    return families


def covering_families(script: str) -> list[str]:
    """Font families that claim ``script`` (a key of SCRIPTS) in Qt's font database."""
    return list(QFontDatabase.families(SCRIPTS[script][0]))


def missing_scripts(
    families: Callable[[str], Iterable[str]] = covering_families,
) -> list[str]:
    """The scripts of SCRIPTS that no installed font covers (tests pass ``families``)."""
    return [script for script in SCRIPTS if not list(families(script))]
