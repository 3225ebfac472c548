"""Tatoeba sentence pairs from manythings.org/anki: languages, download, check and cache.

Each ``xxx-eng.zip`` holds ``xxx.txt`` (``English<TAB>other<TAB>attribution`` per line)
and ``_about.txt``. A download lands in ``<data folder>/tatoeba/xxx-eng/`` with a JSON
record (size, sha256, pairs) and ATTRIBUTION.txt; the zip itself is kept unchanged, so
every line's own attribution stays with the data. ``tatoeba:xxx`` names it in a config.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Generator
from dataclasses import asdict, dataclass
from pathlib import Path

from engine.download import DownloadError, DownloadProgress, fetch, remote_size
from engine.readers import DataError, pairs_member

logger = logging.getLogger(__name__)

BASE_URL = "https://www.manythings.org/anki/"
BASE_URL_ENV = "S2S_TATOEBA_URL"  # another server (tests, a mirror)
DATA_DIR_ENV = "S2S_DATA_DIR"  # instead of the platform's user data folder
SPEC_PREFIX = "tatoeba:"
LICENCE = "Creative Commons Attribution 2.0 France (CC-BY 2.0 FR)"
LICENCE_URL = "https://creativecommons.org/licenses/by/2.0/fr/"
MIN_PAIR_SHARE = 0.9  # lines that must be tab-separated pairs for a file to pass
# manythings.org's ISO 639-3 codes for the pairs files (each paired with English).
LANGUAGES = {
    "fra": "French",
    "deu": "German",
    "spa": "Spanish",
    "ita": "Italian",
    "por": "Portuguese",
    "nld": "Dutch",
    "rus": "Russian",
    "ukr": "Ukrainian",
    "pol": "Polish",
    "ces": "Czech",
    "swe": "Swedish",
    "fin": "Finnish",
    "hun": "Hungarian",
    "ell": "Greek",
    "tur": "Turkish",
    "ara": "Arabic",
    "heb": "Hebrew",
    "pes": "Persian",
    "hin": "Hindi",
    "ben": "Bengali",
    "jpn": "Japanese",
    "kor": "Korean",
    "cmn": "Chinese (Mandarin)",
    "vie": "Vietnamese",
    "tha": "Thai",
    "ind": "Indonesian",
}
_CODE = re.compile(r"[a-z]{3}")


class CacheError(DataError):
    """A cached download is missing or damaged."""


@dataclass(frozen=True)
class TatoebaCorpus:
    """A downloaded pairs file, as recorded beside it."""

    code: str
    name: str
    path: str  # the zip
    member: str  # the pairs file inside
    pairs: int
    size: int
    sha256: str
    url: str
    downloaded: str  # ISO date and time, UTC

    @property
    def spec(self) -> str:
        return SPEC_PREFIX + self.code

    @property
    def attribution(self) -> Path:
        return Path(self.path).parent / "ATTRIBUTION.txt"


@dataclass(frozen=True)
class DownloadPlan:
    """What a download of one language would do, known before it starts."""

    code: str
    url: str
    size: int | None  # bytes the server announces; None when unknown or cached
    have: int  # bytes of a partial download already on disk
    cached: TatoebaCorpus | None


def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)


def data_dir() -> Path:
    """The app's data folder: ``$S2S_DATA_DIR``, else the platform's user data folder."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("seq2seq-lab", appauthor=False))


def base_url() -> str:
    return os.environ.get(BASE_URL_ENV) or BASE_URL


def _check_code(code: str) -> str:
    code = code.strip().lower()
    if not _CODE.fullmatch(code):
        raise DataError(
            SPEC_PREFIX + code,
            None,
            "expected a three-letter language code such as fra, deu or jpn",
        )
    return code


def zip_name(code: str) -> str:
    return f"{code}-eng.zip"


def folder(code: str, root: Path | None = None) -> Path:
    return (root or data_dir()) / "tatoeba" / f"{code}-eng"


def _files(code: str, root: Path | None) -> tuple[Path, Path, Path]:
    """(zip, its .part while downloading, the JSON record) for one language."""
    place = folder(code, root)
    name = zip_name(code)
    return place / name, place / f"{name}.part", place / "download.json"


def cached(code: str, root: Path | None = None) -> TatoebaCorpus | None:
    """The downloaded corpus of ``code`` when its zip and record are there (no hashing)."""
    archive, _, record = _files(_check_code(code), root)
    try:
        info = TatoebaCorpus(**json.loads(record.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if not archive.is_file() or archive.stat().st_size != info.size:
        return None
    return TatoebaCorpus(**{**asdict(info), "path": str(archive)})


def downloaded(root: Path | None = None) -> list[TatoebaCorpus]:
    """Every downloaded corpus in the data folder, by language name."""
    base = (root or data_dir()) / "tatoeba"
    found = []
    for place in sorted(base.glob("*-eng")) if base.is_dir() else []:
        code = place.name[:-4]
        corpus = cached(code, root) if _CODE.fullmatch(code) else None
        if corpus is not None:
            found.append(corpus)
    return sorted(found, key=lambda c: c.name)


def resolve(spec: str, root: Path | None = None) -> Path:
    """The zip that ``tatoeba:xxx`` names.

    Raises:
        DataError: not downloaded yet (the message says how to get it).
    """
    code = _check_code(spec[len(SPEC_PREFIX) :])
    corpus = cached(code, root)
    if corpus is None:
        raise CacheError(
            spec,
            None,
            f"not downloaded yet (looked in {folder(code, root)}); run `s2s download "
            f"{code}`, use 'Get sentence pairs…' on the app's Start page, or set "
            f"data.train to a downloaded {zip_name(code)}",
        )
    return Path(corpus.path)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_zip(path: Path, name: str) -> tuple[str, int, str]:
    """Sanity check of a pairs zip: intact, holds ``xxx.txt`` of tab-separated pairs.

    Returns:
        (the pairs member, its number of pairs, the text of ``_about.txt`` or "").
    Raises:
        DownloadError: what is wrong, in words.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
            if bad is not None:
                raise DownloadError(f"{name}: damaged zip (member {bad} fails its CRC)")
            member = pairs_member(archive.namelist(), name)
            if member is None:
                raise DownloadError(
                    f"{name}: no pairs file (xxx.txt) inside; found "
                    + ", ".join(archive.namelist()[:8])
                )
            text = archive.read(member).decode("utf-8")
            about = next(
                (n for n in archive.namelist() if n.endswith("_about.txt")), ""
            )
            about_text = archive.read(about).decode("utf-8", "replace") if about else ""
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise DownloadError(f"{name}: not a valid zip file ({exc})") from None
    except UnicodeDecodeError as exc:
        raise DownloadError(f"{name}: {member} is not UTF-8 text ({exc})") from None
    lines = [line for line in text.splitlines() if line.strip()]
    pairs = sum(1 for line in lines if len(line.split("\t")) >= 2)
    if not lines or pairs < MIN_PAIR_SHARE * len(lines):
        raise DownloadError(
            f"{name}: only {pairs} of {len(lines)} lines in {member} are "
            "tab-separated pairs; this is not a sentence-pairs file"
        )
    return member, pairs, about_text


def plan(code: str, root: Path | None = None) -> DownloadPlan:
    """Size and state of a download before it starts (asks the server unless cached).

    Raises:
        DownloadError: the server could not be reached.
    """
    code = _check_code(code)
    archive, part, _ = _files(code, root)
    url = base_url().rstrip("/") + "/" + zip_name(code)
    have = part.stat().st_size if part.is_file() else 0
    corpus = cached(code, root)
    size = None if corpus is not None else remote_size(url)
    return DownloadPlan(code, url, size, have, corpus)


def download(
    code: str,
    should_stop: Callable[[], bool] = lambda: False,
    root: Path | None = None,
    retries: int = 3,
    backoff_s: float = 1.0,
) -> Generator[DownloadProgress, None, TatoebaCorpus | None]:
    """Get the pairs of ``code`` into the data folder (or reuse a verified copy).

    A cached zip whose sha256 no longer matches its record is removed and fetched
    again; a partial download is resumed.

    Yields:
        DownloadProgress while bytes arrive, then one with stage "check".
    Returns:
        The corpus, or None when ``should_stop`` ended the download (resumable).
    Raises:
        DownloadError: the transfer failed or what arrived is not a pairs zip (then
            it is deleted, so that the next try starts afresh).
    """
    code = _check_code(code)
    archive, part, record = _files(code, root)
    corpus = cached(code, root)
    if corpus is not None:
        yield DownloadProgress(corpus.size, corpus.size, corpus.size, "check")
        if sha256_of(archive) == corpus.sha256:
            return corpus
        logger.warning(
            "%s: checksum differs from its record; downloading again", archive
        )
        archive.unlink()
        record.unlink()
    url = base_url().rstrip("/") + "/" + zip_name(code)
    done = yield from fetch(url, part, should_stop, retries, backoff_s)
    if not done:
        return None
    size = part.stat().st_size
    yield DownloadProgress(size, size, size, "check")
    try:
        member, pairs, about = check_zip(part, zip_name(code))
    except DownloadError as exc:
        part.unlink()
        raise DownloadError(f"{exc}. The file was deleted; try again.") from None
    corpus = TatoebaCorpus(
        code=code,
        name=language_name(code),
        path=str(archive),
        member=member,
        pairs=pairs,
        size=size,
        sha256=sha256_of(part),
        url=url,
        downloaded=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    _write_text(corpus.attribution, attribution_text(corpus, about))
    part.replace(archive)
    _write_text(record, json.dumps(asdict(corpus), indent=1) + "\n")
    logger.info("%s: %d pairs, sha256 %s", archive, pairs, corpus.sha256)
    return corpus


def _write_text(path: Path, text: str) -> None:
    """Write atomically (temp file + rename): a crash never leaves half a record."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def attribution_text(corpus: TatoebaCorpus, about: str = "") -> str:
    """ATTRIBUTION.txt: where the pairs come from and under which licence."""
    text = (
        f"English-{corpus.name} sentence pairs ({Path(corpus.path).name})\n\n"
        "Sentences and translations: the Tatoeba Project and its contributors, "
        "https://tatoeba.org\n"
        "Selected and paired by manythings.org: https://www.manythings.org/anki/\n"
        f"Licence: {LICENCE}, {LICENCE_URL}\n\n"
        f"Each line of {corpus.member} inside the zip ends with its own attribution "
        "(the Tatoeba sentence numbers and their authors); the zip is kept unchanged "
        "so that these stay with the data.\n\n"
        f"Downloaded from {corpus.url} on {corpus.downloaded}; "
        f"sha256 {corpus.sha256}.\n"
    )
    if about.strip():
        text += (
            f"\nmanythings.org's notes (_about.txt in the zip):\n\n{about.strip()}\n"
        )
    return text


def add_parser(sub) -> None:  # noqa: ANN001 - argparse's private subparsers type
    """``s2s download LANG``: fetch Tatoeba pairs into the data folder."""
    p = sub.add_parser(
        "download",
        help="download Tatoeba sentence pairs (English-LANG) into the data folder",
        epilog="Then train with data.train = 'tatoeba:LANG'. Languages: "
        + ", ".join(f"{c} ({n})" for c, n in LANGUAGES.items()),
    )
    p.add_argument("language", help="three-letter code, e.g. fra, deu, jpn")
    p.set_defaults(func=_cmd_download)


def _cmd_download(args) -> int:  # noqa: ANN001
    import sys
    import threading

    stop = threading.Event()
    steps = download(args.language, stop.is_set)
    try:
        while True:
            ev = next(steps)
            total = f" of {ev.total / 1e6:.1f} MB" if ev.total else " MB"
            sys.stderr.write(f"\r{ev.stage}: {ev.done / 1e6:.1f}{total}   ")
    except StopIteration as end:
        corpus = end.value
    except KeyboardInterrupt:
        stop.set()
        sys.stderr.write("\ninterrupted; run the same command again to resume\n")
        return 130
    sys.stderr.write("\n")
    sys.stdout.write(
        json.dumps({"spec": corpus.spec, "path": corpus.path, "pairs": corpus.pairs})
        + "\n"
    )
    sys.stderr.write(
        f"{corpus.pairs:,} pairs; licence {LICENCE}; see {corpus.attribution}\n"
    )
    return 0
