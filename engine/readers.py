"""File-format readers for parallel text: TSV, Tatoeba zips, aligned files, TMX, gettext, Qt."""

from __future__ import annotations

import codecs
import gzip
import logging
import re
import stat
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from engine.qm import QmFormatError, parse_qm, usable_pair

logger = logging.getLogger(__name__)

Pair = tuple[str, str]

_MO_MAGIC = {b"\xde\x12\x04\x95": "<", b"\x95\x04\x12\xde": ">"}


class DataError(Exception):
    """Bad input data; ``str(e)`` is ``"path:line: message"`` (line left out if None)."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


def file_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be read whole as a file, or None when it can.

    Every reader of a path asks this first: a FIFO or a device such as /dev/zero
    would block or never end, and a folder gives an obscure error later.
    """
    try:
        mode = Path(path).stat().st_mode
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISDIR(mode):
        return "is a directory; expected a file"
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        return f"is {kind}, not a regular file; save the text to a file first"
    return None


def _missing_where(path: str | Path, problem: str) -> str:
    """``problem``, saying which folder a relative path was looked up in."""
    if problem != "no such file" or Path(path).is_absolute():
        return problem
    # Data paths are opened as given, so a relative one is relative to the process's
    # working directory (not the config file's folder).
    return f"no such file (relative to the working directory {Path.cwd()})"


def _read_bytes(path: Path) -> bytes:
    problem = file_problem(path)
    if problem:
        raise DataError(path, None, _missing_where(path, problem))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(path, None, f"cannot read: {exc.strerror or exc}") from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise DataError(path, None, f"damaged gzip file: {exc}") from None
    return data


def _line_of(data: bytes, offset: int) -> int:
    """1-based number of the line holding byte ``offset`` (any line-end style)."""
    return (
        data.count(b"\n", 0, offset)
        + data.count(b"\r", 0, offset)
        - data.count(b"\r\n", 0, offset)
        + 1
    )


def _decode(data: bytes, path: Path, encoding: str = "utf-8") -> str:
    """Decode text, tolerating a UTF-8 BOM; errors name the line and the bad bytes."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DataError(
            path, 1, "file is UTF-16 (it starts with a UTF-16 BOM); save it as UTF-8"
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    nul = data.find(b"\x00")
    if nul >= 0:  # valid UTF-8, but no text file holds NUL bytes
        line = _line_of(data, nul)
        raise DataError(
            path,
            line,
            "binary data (a NUL byte); expected a UTF-8 text file "
            "(binary, or UTF-16 without a BOM?)",
        )
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        column = exc.start - max(
            data.rfind(b"\n", 0, exc.start), data.rfind(b"\r", 0, exc.start)
        )
        bad = data[exc.start : exc.end].hex(" ")
        raise DataError(
            path,
            line,
            f"not valid {encoding.upper()}: byte(s) {bad} at column {column} ({exc.reason});"
            " convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)",
        ) from None


_LINE_END = re.compile(r"\r\n|\r|\n")


def read_text_lines(path: Path) -> list[str]:
    r"""Lines of a UTF-8 (optionally gzipped) file, without line ends.

    ``\n``, ``\r\n`` and a lone ``\r`` (old Mac files) all end a line, even mixed in
    one file, so that a stray ``\r`` never glues two pairs together.
    """
    text = _decode(_read_bytes(path), path)
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_tsv(path: Path) -> list[Pair]:
    """Tab-separated ``src<TAB>tgt[<TAB>attribution]``; blank lines become empty pairs."""
    return _tsv_pairs(read_text_lines(path), path)


def _tsv_pairs(lines: list[str], path: str | Path) -> list[Pair]:
    pairs: list[Pair] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            pairs.append(("", ""))
            continue
        columns = line.split("\t")
        if len(columns) not in (2, 3):
            raise DataError(
                path,
                number,
                f"expected 2 or 3 tab-separated columns (source, target, optional "
                f"attribution); found {len(columns)}: {line[:60]!r}",
            )
        pairs.append((columns[0], columns[1]))
    return pairs


def pairs_member(names: list[str], zip_name: str) -> str | None:
    """The sentence-pairs file among a Tatoeba/Anki zip's members, or None.

    manythings.org's ``fra-eng.zip`` holds ``fra.txt`` (the pairs) and ``_about.txt``;
    a member named after the zip's first part wins, else the only other ``.txt``.
    """
    texts = [
        n
        for n in names
        if n.lower().endswith(".txt")
        and not Path(n).name.startswith(("_", "."))
        and not n.startswith("__MACOSX/")
    ]
    wanted = f"{zip_name.split('-')[0].lower()}.txt"
    named = [n for n in texts if Path(n).name.lower() == wanted]
    if named:
        return named[0]
    return texts[0] if len(texts) == 1 else None


def read_pairs_zip(path: Path) -> list[Pair]:
    """A Tatoeba/Anki zip (manythings.org/anki): its ``xxx.txt`` read as a TSV."""
    problem = file_problem(path)
    if problem:
        raise DataError(path, None, _missing_where(path, problem))
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            member = pairs_member(names, path.name)
            if member is None:
                raise DataError(
                    path,
                    None,
                    "no sentence-pairs file in this zip: expected one .txt of "
                    "tab-separated pairs (e.g. fra.txt in fra-eng.zip); found "
                    + (", ".join(names[:8]) or "nothing"),
                )
            data = archive.read(member)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as exc:
        raise DataError(
            path, None, f"not a readable zip file ({exc}); download it again"
        ) from None
    except OSError as exc:
        raise DataError(path, None, f"cannot read: {exc.strerror or exc}") from None
    where = f"{path}/{member}"
    lines = _LINE_END.split(_decode(data, Path(where)))
    if lines and lines[-1] == "":
        lines.pop()
    return _tsv_pairs(lines, where)


def read_moses(spec: str) -> list[Pair]:
    """Two aligned files given as ``"a.en|a.fr"``: line i of one translates line i of the other."""
    parts = spec.split("|")
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise DataError(spec, None, "expected two files as 'source_file|target_file'")
    src_path, tgt_path = (Path(p.strip()) for p in parts)
    src, tgt = read_text_lines(src_path), read_text_lines(tgt_path)
    if len(src) != len(tgt):
        raise DataError(
            spec,
            min(len(src), len(tgt)) + 1,
            f"the files are not aligned: {src_path} has {len(src)} lines but "
            f"{tgt_path} has {len(tgt)}",
        )
    return list(zip(src, tgt, strict=True))


def _unquote(text: str, path: Path, line: int) -> str:
    """The value of one C-style quoted .po string."""
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise DataError(path, line, f"expected a quoted string; got {text[:60]!r}")
    body = text[1:-1]
    escapes = {
        "n": "\n",
        "t": "\t",
        "r": "\r",
        '"': '"',
        "\\": "\\",
        "a": "\a",
        "b": "\b",
    }
    out, i = [], 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            if i + 1 >= len(body) or body[i + 1] not in escapes:
                raise DataError(path, line, f"bad escape in string {text[:60]!r}")
            out.append(escapes[body[i + 1]])
            i += 2
        elif char == '"':
            raise DataError(path, line, f"unescaped quote in string {text[:60]!r}")
        else:
            out.append(char)
            i += 1
    return "".join(out)


def read_po(path: Path) -> list[Pair]:
    """gettext .po: msgid -> msgstr (msgstr[0] for plurals); header, fuzzy, obsolete and
    untranslated entries are skipped."""
    pairs: list[Pair] = []
    entry: dict[str, str] = {}
    fuzzy = False
    key: str | None = None

    def flush() -> None:
        nonlocal entry, fuzzy, key
        msgid, msgstr = (
            entry.get("msgid", ""),
            entry.get("msgstr", entry.get("msgstr[0]", "")),
        )
        if msgid and msgstr and not fuzzy:
            pairs.append((msgid, msgstr))
        entry, fuzzy, key = {}, False, None

    for number, raw in enumerate(read_text_lines(path), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if key is not None and "msgstr" in key:
                flush()
            if line.startswith("#,") and "fuzzy" in line[2:].replace(",", " ").split():
                fuzzy = True
            continue
        if line.startswith('"'):
            if key is None:
                raise DataError(path, number, "string continuation without a keyword")
            entry[key] += _unquote(line, path, number)
            continue
        word, _, rest = line.partition(" ")
        if word not in (
            "msgctxt",
            "msgid",
            "msgid_plural",
            "msgstr",
        ) and not re.fullmatch(r"msgstr\[\d+\]", word):
            raise DataError(path, number, f"unknown keyword {word!r}")
        if word in ("msgctxt", "msgid") and key is not None and "msgstr" in key:
            flush()
        if word in entry:
            raise DataError(path, number, f"{word} appears twice in one entry")
        key = word
        entry[key] = _unquote(rest.strip(), path, number)
    flush()
    return pairs


def read_mo(path: Path) -> list[Pair]:
    """gettext .mo (binary): original -> first translation form; header and contexts handled."""
    data = _read_bytes(path)
    order = _MO_MAGIC.get(data[:4])
    if order is None or len(data) < 28:
        raise DataError(path, None, "not a gettext .mo file (wrong magic number)")
    _, count, orig_at, trans_at = struct.unpack_from(order + "4I", data, 4)

    def string(table: int, i: int) -> bytes:
        length, offset = struct.unpack_from(order + "2I", data, table + 8 * i)
        if offset + length > len(data):
            raise DataError(
                path, None, f"damaged .mo file: string {i} lies past the end"
            )
        return data[offset : offset + length]

    if max(orig_at, trans_at) + 8 * count > len(data):
        raise DataError(path, None, "damaged .mo file: string tables lie past the end")
    charset = "utf-8"
    pairs: list[Pair] = []
    for i in range(count):
        original, translated = string(orig_at, i), string(trans_at, i)
        if not original:  # the header: look for the charset
            match = re.search(rb"charset=([-\w]+)", translated)
            if match:
                charset = match.group(1).decode("ascii")
            try:
                codecs.lookup(charset)
            except LookupError:
                raise DataError(
                    path, None, f"unknown charset {charset!r} in header"
                ) from None
            continue
        try:
            src = original.split(b"\x04")[-1].split(b"\x00")[0].decode(charset)
            tgt = translated.split(b"\x00")[0].decode(charset)
        except UnicodeDecodeError as exc:
            raise DataError(
                path, None, f"message {i} is not valid {charset}: {exc}"
            ) from None
        if src and tgt:
            pairs.append((src, tgt))
    return pairs


def read_qm_file(path: Path) -> list[Pair]:
    """Qt .qm catalog: translated, non-identical messages with accelerators removed."""
    try:
        messages = parse_qm(_read_bytes(path))
    except QmFormatError as exc:
        raise DataError(path, None, str(exc)) from None
    pairs = [usable_pair(m.source, m.translation) for m in messages]
    return list(dict.fromkeys(p for p in pairs if p is not None))


def _parse_xml(path: Path, tags: set[str]) -> Iterator[ET.Element]:
    """Elements named in ``tags``, in document order; XML errors name the line."""
    data = _read_bytes(path)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        reason = exc.msg.split(": line ")[0]
        raise DataError(path, line, f"not valid XML: {reason}") from None
    return (e for e in root.iter() if _local(e.tag) in tags)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _tmx_text(element: ET.Element) -> str:
    """Text of a TMX ``<seg>``: inline codes (bpt, ept, ph, it, ut) left out."""
    parts = [element.text or ""]
    for child in element:
        if _local(child.tag) not in ("bpt", "ept", "ph", "it", "ut"):
            parts.append(_tmx_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_tmx(path: Path) -> list[Pair]:
    """TMX memory: source = header ``srclang`` (else the first language met), target =
    the first other language met. Units missing a side become empty pairs."""
    src_lang: str | None = None
    tgt_lang: str | None = None
    pairs: list[Pair] = []
    for element in _parse_xml(path, {"header", "tu"}):
        if _local(element.tag) == "header":
            lang = (element.get("srclang") or "").lower()
            src_lang = lang if lang and lang != "*all*" else None
            continue
        segments: dict[str, str] = {}
        for tuv in element:
            if _local(tuv.tag) != "tuv":
                continue
            lang = (
                tuv.get("{http://www.w3.org/XML/1998/namespace}lang")
                or tuv.get("lang")
                or ""
            )
            seg = next((c for c in tuv if _local(c.tag) == "seg"), None)
            if lang and seg is not None:
                segments.setdefault(lang.lower(), _tmx_text(seg))
        for lang in segments:
            if src_lang is None:
                src_lang = lang
            elif tgt_lang is None and lang != src_lang:
                tgt_lang = lang
        pairs.append(
            (segments.get(src_lang or "", ""), segments.get(tgt_lang or "", ""))
        )
    if pairs and tgt_lang is None:
        raise DataError(
            path, None, "TMX has only one language; need a source and a target"
        )
    logger.info("%s: TMX %s -> %s, %d units", path, src_lang, tgt_lang, len(pairs))
    return pairs


def read_ts(path: Path) -> list[Pair]:
    """Qt Linguist .ts: finished translations (first plural form), accelerators removed,
    untranslated/identical/empty entries and duplicates skipped."""
    pairs: list[Pair] = []
    for message in _parse_xml(path, {"message"}):
        source = message.find("source")
        translation = message.find("translation")
        if source is None or translation is None:
            continue
        if translation.get("type") in ("unfinished", "obsolete", "vanished"):
            continue
        forms = translation.findall("numerusform")
        text = (forms[0].text if forms else translation.text) or ""
        pair = usable_pair(source.text or "", text)
        if pair is not None:
            pairs.append(pair)
    return list(dict.fromkeys(pairs))
