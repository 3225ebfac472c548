"""The .qm reader on catalogs built here, and builtin:qt on PySide6's own catalogs."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from engine import qm
from engine.data import DataError, read_pairs

NUMERUS = object()  # marker: message with two plural translations


def _str8(tag: int, text: str) -> bytes:
    raw = text.encode("utf-8")
    return bytes([tag]) + struct.pack(">I", len(raw)) + raw


def _str16(tag: int, text: str | None) -> bytes:
    if text is None:
        return bytes([tag]) + struct.pack(">I", 0xFFFFFFFF)
    raw = text.encode("utf-16-be")
    return bytes([tag]) + struct.pack(">I", len(raw)) + raw


def build_qm(messages: list[tuple], extra_sections: bool = True) -> bytes:
    """A minimal .qm writer: (context, source, translation(s), comment) per message.

    ``translation`` may be a str, None (null) or a list of plural forms.
    """
    body = b""
    for context, source, translation, comment in messages:
        forms = translation if isinstance(translation, list) else [translation]
        for form in forms:
            body += _str16(qm.TAG_TRANSLATION, form)
        body += bytes([qm.TAG_OBSOLETE1]) + b"\0\0\0\0"
        body += _str8(qm.TAG_SOURCE_TEXT, source)
        body += _str8(qm.TAG_COMMENT, comment)
        body += _str8(qm.TAG_CONTEXT, context)
        body += bytes([qm.TAG_END])
    out = qm.QM_MAGIC
    if extra_sections:
        out += bytes([qm.SECTION_LANGUAGE]) + struct.pack(">I", 2) + b"fr"
        hashes = struct.pack(">II", 0x1234, 0)
        out += bytes([qm.SECTION_HASHES]) + struct.pack(">I", len(hashes)) + hashes
    out += bytes([qm.SECTION_MESSAGES]) + struct.pack(">I", len(body)) + body
    if extra_sections:
        rules = b"\x01\x02"
        out += bytes([qm.SECTION_NUMERUS_RULES]) + struct.pack(">I", len(rules)) + rules
    return out


MESSAGES = [
    ("QFileDialog", "&Open", "&Ouvrir", ""),
    ("QFileDialog", "Save", None, ""),  # untranslated (null)
    ("QFileDialog", "OK", "OK", ""),  # identical
    ("QFileDialog", "Empty", "", ""),  # empty
    ("QDialog", "%n file(s)", ["%n fichier", "%n fichiers"], "plural"),
    ("QMenu", "Copy && Paste", "Copier && coller", ""),
    ("QMenu", "&File", "ファイル(&F)", ""),
    ("Other", "&Open", "&Ouvrir", ""),  # duplicate pair after clean-up
]


def test_parse_qm_reads_every_field(tmp_path: Path) -> None:
    path = tmp_path / "app_fr.qm"
    path.write_bytes(build_qm(MESSAGES))
    messages = qm.read_qm(path)
    assert len(messages) == len(MESSAGES)
    first = messages[0]
    assert (first.context, first.source, first.translation, first.comment) == (
        "QFileDialog",
        "&Open",
        "&Ouvrir",
        "",
    )
    assert messages[1].translation is None
    assert messages[4].translation == "%n fichier"  # first plural form
    assert messages[4].comment == "plural"


def test_parse_qm_without_optional_sections() -> None:
    assert len(qm.parse_qm(build_qm(MESSAGES[:2], extra_sections=False))) == 2


def test_usable_pairs_skip_untranslated_identical_empty_and_duplicates(
    tmp_path: Path,
) -> None:
    path = tmp_path / "app_fr.qm"
    path.write_bytes(build_qm(MESSAGES))
    pairs = read_pairs(str(path))
    assert pairs == [
        ("Open", "Ouvrir"),
        ("%n file(s)", "%n fichier"),
        ("Copy & Paste", "Copier & coller"),
        ("File", "ファイル"),
    ]


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"not a qm file at all", "magic"),
        (
            qm.QM_MAGIC + bytes([qm.SECTION_MESSAGES]) + struct.pack(">I", 100),
            "too short",
        ),
        (
            qm.QM_MAGIC + bytes([qm.SECTION_MESSAGES]) + struct.pack(">I", 1) + b"\x42",
            "tag",
        ),
        (build_qm(MESSAGES)[:-3], "truncated|too short"),
    ],
)
def test_damaged_qm_is_a_clear_error(
    tmp_path: Path, data: bytes, fragment: str
) -> None:
    path = tmp_path / "bad.qm"
    path.write_bytes(data)
    with pytest.raises(DataError) as info:
        read_pairs(str(path))
    assert str(info.value).startswith(f"{path}: ")
    assert re.search(fragment, str(info.value))


def test_strip_accelerators() -> None:
    assert qm.strip_accelerators("&Save As...") == "Save As..."
    assert qm.strip_accelerators("Tom && Jerry") == "Tom & Jerry"
    assert qm.strip_accelerators("保存(&S)") == "保存"


def test_builtin_languages_found_without_importing_pyside() -> None:
    languages = qm.builtin_qt_languages()
    assert "fr" in languages and "de" in languages
    assert "en" not in languages
    assert all(lang == lang.strip() and "_" not in lang[:2] for lang in languages)


def test_builtin_qt_fr_gives_thousands_of_sensible_pairs() -> None:
    pairs = read_pairs("builtin:qt/fr")
    assert 1500 <= len(pairs) <= 20000
    assert len(set(pairs)) == len(pairs)
    assert all(src and tgt and src != tgt for src, tgt in pairs)
    # real UI strings are in there, translated into French
    sources = dict(pairs)
    assert any(s.startswith("Cancel") or s == "Close" for s in sources)
    assert sum("\n" in s or "\n" in t for s, t in pairs) == 0  # normalised to one line


def test_unknown_builtin_language_names_the_choices() -> None:
    with pytest.raises(DataError, match="available: .*fr"):
        read_pairs("builtin:qt/xx")
