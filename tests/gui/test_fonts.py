"""Fonts shipped in resources/fonts are registered, and then cover their scripts."""

from __future__ import annotations

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

from s2s_gui import fonts

HANGUL_BIT = 56  # OS/2 ulUnicodeRange bit of the Hangul syllables


def tiny_hangul_font(path, family: str) -> None:
    """A one-glyph TrueType font mapping every Hangul syllable and jamo to one box:
    Qt (through fontconfig) credits a font with Korean from what its map covers."""
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0))
    pen.lineTo((100, 700))
    pen.lineTo((800, 700))
    pen.closePath()
    box = pen.glyph()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "han"])
    hangul = [*range(0x3131, 0x318F), *range(0x1100, 0x1200), *range(0xAC00, 0xD7A4)]
    builder.setupCharacterMap(dict.fromkeys(hangul, "han"))
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "han": box})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "han": (1000, 100)})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(
        ulUnicodeRange1=0,
        ulUnicodeRange2=1 << (HANGUL_BIT - 32),
        ulCodePageRange1=1 << 19,  # Korean Wansung
    )
    builder.setupPost()
    builder.save(str(path))


def test_a_bundled_font_is_registered_and_covers_korean(qtbot, tmp_path, monkeypatch):
    family = "Seq2Seq Test Hangul"
    (tmp_path / "fonts").mkdir()
    tiny_hangul_font(tmp_path / "fonts" / "hangul.ttf", family)
    (tmp_path / "fonts" / "README.txt").write_text("not a font")
    monkeypatch.setattr(fonts, "RESOURCES", tmp_path)
    assert family not in fonts.covering_families("Korean")
    assert fonts.register_fonts() == [family]
    assert family in fonts.covering_families("Korean")
    assert "Korean" not in fonts.missing_scripts()
