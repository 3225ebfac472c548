"""Reader for compiled Qt translation catalogs (.qm) and the PySide6 built-in corpus."""

from __future__ import annotations

import importlib.util
import logging
import re
import struct
from pathlib import Path
from typing import NamedTuple

logger = logging.getLogger(__name__)

QM_MAGIC = bytes.fromhex("3CB86418CAEF9C95CD211CBF60A1BDDD")

# Section tags of the file.
SECTION_CONTEXTS = 0x2F
SECTION_HASHES = 0x42
SECTION_MESSAGES = 0x69
SECTION_NUMERUS_RULES = 0x88
SECTION_DEPENDENCIES = 0x96
SECTION_LANGUAGE = 0xA7

# Tags inside one message record of the Messages section.
TAG_END = 1
TAG_SOURCE_TEXT16 = 2  # obsolete: UTF-16 source text
TAG_TRANSLATION = 3  # UTF-16BE; length 0xFFFFFFFF = null; repeated for plural forms
TAG_CONTEXT16 = 4  # obsolete: UTF-16 context
TAG_OBSOLETE1 = 5  # obsolete: a 4-byte hash
TAG_SOURCE_TEXT = 6  # UTF-8 bytes
TAG_CONTEXT = 7  # UTF-8 bytes
TAG_COMMENT = 8  # UTF-8 bytes (disambiguation)
TAG_OBSOLETE2 = 9  # obsolete: no payload

_NULL = 0xFFFFFFFF
# "File (&F)" style accelerators of CJK translations, then plain "&F" ("&&" is a literal &).
_ACCEL_PAREN = re.compile(r"\s*\(&[^\s&)]\)")
_ACCEL = re.compile(r"&(&?)")
_QM_NAME = re.compile(
    r"^(?P<catalog>.+)_(?P<lang>[a-z]{2,3}(?:_[A-Z][A-Za-z]{1,3})?)\.qm$"
)


class QmFormatError(ValueError):
    """The bytes are not a valid .qm catalog; ``offset`` is where reading failed."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        where = f" (at byte {offset})" if offset is not None else ""
        super().__init__(f"{message}{where}")
        self.offset = offset


class QmMessage(NamedTuple):
    """One message of a catalog; ``translation`` is None when the message has none."""

    context: str
    source: str
    translation: str | None
    comment: str


def _u32(data: bytes, pos: int, end: int) -> int:
    if pos + 4 > end:
        raise QmFormatError("truncated length field", pos)
    return struct.unpack_from(">I", data, pos)[0]


def _payload(data: bytes, pos: int, end: int) -> tuple[bytes | None, int]:
    """Read a length-prefixed byte string; returns (bytes or None for null, new pos)."""
    length = _u32(data, pos, end)
    pos += 4
    if length == _NULL:
        return None, pos
    if pos + length > end:
        raise QmFormatError(f"string of {length} bytes runs past the section end", pos)
    return data[pos : pos + length], pos + length


def _utf16(raw: bytes, pos: int) -> str:
    if len(raw) % 2:
        raise QmFormatError("UTF-16 string with an odd number of bytes", pos)
    return raw.decode("utf-16-be", errors="replace")


def _parse_messages(data: bytes, start: int, end: int) -> list[QmMessage]:
    """Walk the records of the Messages section, from ``start`` to ``end``."""
    messages: list[QmMessage] = []
    pos = start
    context = source = comment = ""
    translations: list[str | None] = []
    while pos < end:
        tag = data[pos]
        tag_pos = pos
        pos += 1
        if tag == TAG_END:
            first = translations[0] if translations else None
            messages.append(QmMessage(context, source, first, comment))
            context = source = comment = ""
            translations = []
        elif tag == TAG_TRANSLATION:
            raw, pos = _payload(data, pos, end)
            translations.append(None if raw is None else _utf16(raw, pos))
        elif tag in (TAG_SOURCE_TEXT, TAG_CONTEXT, TAG_COMMENT):
            raw, pos = _payload(data, pos, end)
            text = "" if raw is None else raw.decode("utf-8", errors="replace")
            if tag == TAG_SOURCE_TEXT:
                source = text
            elif tag == TAG_CONTEXT:
                context = text
            else:
                comment = text
        elif tag in (TAG_SOURCE_TEXT16, TAG_CONTEXT16):
            raw, pos = _payload(data, pos, end)
            text = "" if raw is None else _utf16(raw, pos)
            if tag == TAG_SOURCE_TEXT16:
                source = text
            else:
                context = text
        elif tag == TAG_OBSOLETE1:
            pos += 4
        elif tag == TAG_OBSOLETE2:
            pass
        else:
            raise QmFormatError(f"unknown message tag 0x{tag:02x}", tag_pos)
    if pos > end:
        raise QmFormatError("last message runs past the section end", end)
    if translations or source:
        raise QmFormatError("last message has no end tag", end)
    return messages


def parse_qm(data: bytes) -> list[QmMessage]:
    """Parse the bytes of a .qm file.

    Args:
        data: the whole file.
    Returns:
        Every message record in file order, untranslated ones included.
    Raises:
        QmFormatError: bad magic, truncated sections or unknown record tags.
    """
    if not data.startswith(QM_MAGIC):
        raise QmFormatError("not a Qt .qm file (wrong magic bytes)", 0)
    pos = len(QM_MAGIC)
    messages: list[QmMessage] = []
    while pos < len(data):
        if pos + 5 > len(data):
            raise QmFormatError("truncated section header", pos)
        tag = data[pos]
        length = struct.unpack_from(">I", data, pos + 1)[0]
        start, end = pos + 5, pos + 5 + length
        if end > len(data):
            raise QmFormatError(
                f"section 0x{tag:02x} claims {length} bytes, file is too short", pos
            )
        if tag == SECTION_MESSAGES:
            messages.extend(_parse_messages(data, start, end))
        # Hashes, Contexts, NumerusRules, Dependencies, Language: not needed here.
        pos = end
    return messages


def read_qm(path: str | Path) -> list[QmMessage]:
    """Read a .qm file; see :func:`parse_qm`. OSError propagates to the caller."""
    return parse_qm(Path(path).read_bytes())


def strip_accelerators(text: str) -> str:
    """Remove Qt keyboard accelerators: ``"&Open"`` -> ``"Open"``, ``"A && B"`` -> ``"A & B"``."""
    text = _ACCEL_PAREN.sub("", text)
    return _ACCEL.sub(lambda m: m.group(1), text)


def usable_pair(source: str, translation: str | None) -> tuple[str, str] | None:
    """Clean one catalog entry into a training pair, or None when it teaches nothing.

    Accelerators are stripped and whitespace (newlines included) collapsed to single
    spaces; untranslated, empty and identical entries are skipped.
    """
    if translation is None:
        return None
    src = " ".join(strip_accelerators(source).split())
    tgt = " ".join(strip_accelerators(translation).split())
    if not src or not tgt or src == tgt:
        return None
    return src, tgt


def translations_dir() -> Path | None:
    """The ``PySide6/Qt/translations`` folder, found without importing PySide6."""
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        folder = Path(location) / "Qt" / "translations"
        if folder.is_dir():
            return folder
    return None


def _catalogs_by_language(folder: Path) -> dict[str, list[Path]]:
    by_lang: dict[str, list[Path]] = {}
    for path in sorted(folder.glob("*.qm")):
        match = _QM_NAME.match(path.name)
        if match:
            by_lang.setdefault(match["lang"], []).append(path)
    return by_lang


def builtin_qt_languages() -> list[str]:
    """Languages with Qt catalogs installed by PySide6 (English, the source, excluded)."""
    folder = translations_dir()
    if folder is None:
        return []
    return sorted(lang for lang in _catalogs_by_language(folder) if lang != "en")


def builtin_qt_pairs(lang: str) -> list[tuple[str, str]]:
    """English UI strings and their translations into ``lang`` from every catalog.

    Reads all ``<catalog>_<lang>.qm`` files (qtbase, designer, linguist, assistant...),
    keeps the first plural form, and removes duplicate pairs (first occurrence wins).

    Raises:
        FileNotFoundError: PySide6 or its catalogs for ``lang`` are not installed.
        QmFormatError: a catalog is damaged (the message names the file).
    """
    folder = translations_dir()
    if folder is None:
        raise FileNotFoundError("PySide6 is not installed, so there are no Qt catalogs")
    files = _catalogs_by_language(folder).get(lang, [])
    if not files:
        raise FileNotFoundError(
            f"no Qt catalogs for language {lang!r} in {folder}; "
            f"available: {', '.join(builtin_qt_languages())}"
        )
    seen: set[tuple[str, str]] = set()
    pairs: list[tuple[str, str]] = []
    for path in files:
        try:
            messages = read_qm(path)
        except QmFormatError as exc:
            raise QmFormatError(f"{path}: {exc}") from None
        for message in messages:
            pair = usable_pair(message.source, message.translation)
            if pair is not None and pair not in seen:
                seen.add(pair)
                pairs.append(pair)
    logger.info(
        "builtin:qt/%s: %d pairs from %d catalogs", lang, len(pairs), len(files)
    )
    return pairs
