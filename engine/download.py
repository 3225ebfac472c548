"""Resumable HTTP downloads with progress and cancel, on the standard library's urllib."""

from __future__ import annotations

import http.client
import logging
import re
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

logger = logging.getLogger(__name__)

# Some hosts refuse urllib's default agent; an honest name gets through.
USER_AGENT = "Seq2SeqLab/0.1 (sentence-pair download; Python urllib)"
CHUNK = 64 * 1024
TIMEOUT_S = 30.0
REPORT_EVERY_S = 0.1  # progress events at most this often (plus the first and last)
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")
_TRANSIENT = (URLError, ConnectionError, TimeoutError, http.client.HTTPException)


class DownloadError(RuntimeError):
    """A download failed or what arrived is unusable; the message says what to do."""


@dataclass(frozen=True)
class DownloadProgress:
    """Bytes on disk so far; ``total`` is None when the server does not say."""

    done: int
    total: int | None
    resumed_from: int = 0  # bytes already on disk when this transfer began
    stage: str = "download"  # "download", then "check" while the file is verified


def _never() -> bool:
    return False


def _request(url: str, method: str = "GET", start: int = 0) -> Request:
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if start:
        headers["Range"] = f"bytes={start}-"
    return Request(url, headers=headers, method=method)


def remote_size(url: str, timeout: float = TIMEOUT_S) -> int | None:
    """The size in bytes the server announces for ``url`` (HEAD), or None if unknown.

    Raises:
        DownloadError: the server could not be reached or answered with an error.
    """
    try:
        with urlopen(_request(url, "HEAD"), timeout=timeout) as response:
            length = response.headers.get("Content-Length")
    except HTTPError as exc:
        raise _http_error(url, exc) from None
    except _TRANSIENT as exc:
        raise DownloadError(f"{url}: cannot connect ({_reason(exc)})") from None
    return int(length) if length and length.isdigit() else None


def _http_error(url: str, exc: HTTPError) -> DownloadError:
    text = f"{url}: HTTP {exc.code} {exc.reason}"
    if exc.code in (401, 403, 406, 429):  # refused to a program, not to a browser
        text += (
            "; the server refused this program: open the address in a web browser, "
            "save the file, and drop it on the Start page (or give it as data.train)"
        )
    return DownloadError(text)


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "reason", None) or exc or type(exc).__name__)


def fetch(
    url: str,
    part: Path,
    should_stop: Callable[[], bool] = _never,
    retries: int = 3,
    backoff_s: float = 1.0,
    timeout: float = TIMEOUT_S,
) -> Generator[DownloadProgress, None, bool]:
    """Download ``url`` into ``part``, continuing whatever ``part`` already holds.

    A partial file is continued with an HTTP Range request; a server that ignores
    Range sends the whole file again, which then replaces the part. A connection
    lost mid-way is retried ``retries`` times, each time from where it stopped.

    Yields:
        DownloadProgress about every ``REPORT_EVERY_S`` seconds.
    Returns:
        True when the whole file is in ``part``; False when ``should_stop`` ended it
        (the part is kept, so the next call resumes).
    Raises:
        DownloadError: an HTTP error, or the connection failed ``retries`` + 1 times
            (the part is kept).
    """
    part.parent.mkdir(parents=True, exist_ok=True)
    failures = 0
    while True:
        try:
            return (yield from _transfer(url, part, should_stop, timeout))
        except _TRANSIENT as exc:
            if isinstance(exc, HTTPError):
                raise _http_error(url, exc) from None
            failures += 1
            have = part.stat().st_size if part.exists() else 0
            if failures > retries and not have:
                raise DownloadError(
                    f"{url}: cannot download ({_reason(exc)}); check the connection "
                    "and try again"
                ) from None
            if failures > retries:
                raise DownloadError(
                    f"{url}: the connection failed ({_reason(exc)}) after "
                    f"{have:,} bytes; try again later to resume from there"
                ) from None
            logger.warning(
                "%s: connection lost at %d bytes (%s); resuming", url, have, exc
            )
            if _wait(backoff_s * failures, should_stop):
                return False


def _wait(seconds: float, should_stop: Callable[[], bool]) -> bool:
    """Sleep up to ``seconds``; True when ``should_stop`` turned true meanwhile."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if should_stop():
            return True
        time.sleep(min(0.05, max(0.0, end - time.monotonic())))
    return should_stop()


def _transfer(
    url: str, part: Path, should_stop: Callable[[], bool], timeout: float
) -> Generator[DownloadProgress, None, bool]:
    have = part.stat().st_size if part.exists() else 0
    try:
        response = urlopen(_request(url, start=have), timeout=timeout)
    except HTTPError as exc:
        if exc.code != 416 or not have:
            raise
        # Range not satisfiable: the part already holds the whole file (or is wrong).
        match = re.search(r"/(\d+)", exc.headers.get("Content-Range") or "")
        if match and int(match.group(1)) == have:
            yield DownloadProgress(have, have, have)
            return True
        logger.warning("%s: the partial download does not fit; starting over", url)
        part.unlink()
        return (yield from _transfer(url, part, should_stop, timeout))
    with response:
        start, total = _start_and_total(response, have)
        if start == 0 and have:
            logger.info("%s: the server ignored the range; downloading it all", url)
        have = start
        yield DownloadProgress(have, total, start)
        last = time.monotonic()
        with open(part, "ab" if start else "wb") as out:
            while not should_stop():
                chunk = response.read1(CHUNK)  # what has arrived: stop stays prompt
                if not chunk:
                    break
                out.write(chunk)
                have += len(chunk)
                if time.monotonic() - last >= REPORT_EVERY_S:
                    last = time.monotonic()
                    yield DownloadProgress(have, total, start)
            else:
                yield DownloadProgress(have, total, start)
                return False
    yield DownloadProgress(have, total, start)
    if total is not None and have < total:
        raise ConnectionError(f"the server sent {have:,} of {total:,} bytes")
    if total is not None and have > total:
        part.unlink()
        raise DownloadError(f"{url}: received more bytes than announced; try again")
    return True


def _start_and_total(
    response: http.client.HTTPResponse, have: int
) -> tuple[int, int | None]:
    """Where the body starts in the file, and the file's whole size (if known)."""
    length = response.headers.get("Content-Length")
    size = int(length) if length and length.isdigit() else None
    if response.status != 206:
        return 0, size
    match = _CONTENT_RANGE.match(response.headers.get("Content-Range") or "")
    if not match or int(match.group(1)) != have:
        raise DownloadError(
            f"{response.url}: the server resumed at the wrong place "
            f"({response.headers.get('Content-Range')!r}, asked for byte {have})"
        )
    whole = match.group(3)
    return have, int(whole) if whole.isdigit() else None
