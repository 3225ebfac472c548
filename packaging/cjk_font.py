"""Build the font the desktop bundle carries for Korean, Japanese and Chinese text.

Without such a font Qt draws these sentences as boxes. The bundle carries a subset of
Noto Sans CJK (SIL Open Font License 1.1): every Hangul syllable, the kana, CJK
punctuation and full-width forms, and each Han character of the built-in corpora (the
ja, zh_CN and zh_TW Qt catalogs), about 2.6 MB instead of the whole collection's 19 MB.
Its source is the system's Noto Sans CJK (Debian/Ubuntu: `apt install fonts-noto-cjk`;
Fedora: `google-noto-sans-cjk-fonts`); subsetting needs fontTools (`make package`
installs it). The app registers it at start (s2s_gui/fonts.py).

    python packaging/cjk_font.py build/fonts      # -> build/fonts/NotoSansCJK-Subset.otf
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_NAME = "NotoSansCJK-Subset.otf"
SOURCES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # Debian, Ubuntu
    "/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",  # Fedora
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",  # Arch
)
LICENSES = ("/usr/share/doc/fonts-noto-cjk/copyright",)
FACE = 0  # the collection's Japanese face; its Hangul and Han glyphs cover all four
RANGES = (
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul compatibility jamo
    (0xAC00, 0xD7A3),  # Hangul syllables
    (0xFF00, 0xFFEF),  # half- and full-width forms
)
CATALOGS = ("ja", "zh_CN", "zh_TW", "ko")


def find_source() -> Path | None:
    return next((Path(p) for p in SOURCES if Path(p).is_file()), None)


def corpus_characters() -> set[int]:
    """Code points of the Han characters in the built-in CJK corpora."""
    sys.path.insert(0, str(ROOT))
    from engine.qm import builtin_qt_languages, builtin_qt_pairs

    chars: set[int] = set()
    for lang in set(CATALOGS) & set(builtin_qt_languages()):
        for source, target in builtin_qt_pairs(lang):
            chars.update(ord(c) for c in source + target if ord(c) >= 0x2E80)
    return chars


def build(out_dir: Path) -> Path:
    """Write the subset (and its licence) into ``out_dir``; the font's path."""
    from fontTools import subset

    source = find_source()
    if source is None:
        raise FileNotFoundError(
            "no Noto Sans CJK font found (looked in "
            + ", ".join(SOURCES)
            + "); install it, e.g. `apt install fonts-noto-cjk`"
        )
    unicodes = corpus_characters()
    for low, high in RANGES:
        unicodes.update(range(low, high + 1))
    options = subset.Options()
    options.font_number = FACE
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.layout_features = ["*"]
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / OUT_NAME
    subset.save_font(font, str(out), options)
    for licence in LICENSES:
        if Path(licence).is_file():
            shutil.copy(licence, out_dir / "NotoSansCJK-LICENSE.txt")
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "build/fonts")
    try:
        path = build(target)
    except FileNotFoundError as exc:  # the bundle is still built, without the font
        print(f"cjk_font: {exc}", file=sys.stderr)
        sys.exit(0)
    print(f"cjk_font: {path} ({path.stat().st_size / 1e6:.1f} MB)")
