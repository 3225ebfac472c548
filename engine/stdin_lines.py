"""Source lines from a byte stream (stdin): decoded one by one, batched as they arrive."""

from __future__ import annotations

import codecs
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

# Longer lines are cut here (the rest is read and dropped), so one line without an
# end, such as a binary file, never fills the memory. The translator reads at most
# 2048 characters of a line (engine.translate.MAX_SOURCE_CHARS, up to 8 KiB of UTF-8).
MAX_LINE_BYTES = 16 * 1024
CHUNK_LINES = 1000  # lines translated together at most
# A line alone waits this long for company: a pipe fills a batch at once, while a
# person typing gets their line translated without closing the input.
GATHER_S = 0.05


@dataclass(frozen=True)
class InputLine:
    """One input line: its 1-based number, its text, or why it cannot be read."""

    number: int
    text: str  # "" when error is set
    error: str = ""  # why the line cannot be translated
    notice: str = ""  # something the person should know (the line was cut)


def _decode_line(raw: bytes, number: int, cut: bool) -> InputLine:
    if number == 1 and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if number == 1 and raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return InputLine(number, "", "UTF-16 input (a UTF-16 BOM); convert it to UTF-8")
    if b"\x00" in raw:
        return InputLine(number, "", "binary data (a NUL byte); expected UTF-8 text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if cut and exc.reason == "unexpected end of data":  # cut inside a character
            text = raw[: exc.start].decode("utf-8", "strict")
        else:
            bad = raw[exc.start : exc.end].hex(" ")
            return InputLine(
                number,
                "",
                f"not valid UTF-8: byte(s) {bad} at column {exc.start + 1} "
                f"({exc.reason}); this line was not translated",
            )
    notice = (
        f"longer than {MAX_LINE_BYTES:,} bytes: the rest was not read" if cut else ""
    )
    return InputLine(number, text, notice=notice)


def read_lines(
    stream: BinaryIO, max_bytes: int = MAX_LINE_BYTES
) -> Iterator[InputLine]:
    r"""Decode ``stream`` line by line; a bad line is reported, never fatal.

    ``\n`` and ``\r\n`` end lines; a UTF-8 BOM on the first line is dropped.
    """
    number = 0
    while True:
        raw = stream.readline(max_bytes)
        if not raw:
            return
        number += 1
        cut = not raw.endswith(b"\n") and len(raw) >= max_bytes
        while cut:  # drop the rest of an over-long line, a block at a time
            rest = stream.readline(max_bytes)
            if not rest or rest.endswith(b"\n"):
                break
        raw = raw.removesuffix(b"\n").removesuffix(b"\r")
        yield _decode_line(raw, number, cut)


def chunks_as_they_come(
    lines: Iterator[InputLine], size: int = CHUNK_LINES, gather_s: float = GATHER_S
) -> Iterator[list[InputLine]]:
    """Group lines into chunks of up to ``size``, ending a chunk early when no line
    arrives for ``gather_s`` seconds. A reader thread keeps at most two chunks ahead,
    so memory stays bounded however long the input is."""
    box: queue.Queue = queue.Queue(maxsize=2 * size)
    end = object()

    def read() -> None:
        try:
            for line in lines:
                box.put(line)
        except BaseException as exc:  # handed to the consumer, raised there
            box.put(exc)
        box.put(end)

    threading.Thread(target=read, name="stdin-lines", daemon=True).start()
    chunk: list[InputLine] = []
    while True:
        try:
            item = box.get(timeout=gather_s) if chunk else box.get()
        except queue.Empty:  # the input paused: translate what has come
            yield chunk
            chunk = []
            continue
        if item is end:
            break
        if isinstance(item, BaseException):
            raise item
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
