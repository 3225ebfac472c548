"""A local stand-in for manythings.org/anki: tiny pairs zips served on 127.0.0.1."""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ABOUT = "Tatoeba pairs for tests.\nAttribution: tatoeba.org and manythings.org\n"


def pairs_text(n: int) -> str:
    """``n`` lines in manythings' form: English, other, attribution."""
    return "".join(
        f"I see {i} cats.\tJe vois {i} chats.\t"
        f"CC-BY 2.0 (France) Attribution: tatoeba.org #{i} (ann) & #{i + 1000} (bob)\n"
        for i in range(n)
    )


def pairs_zip(
    n: int = 300, member: str = "fra.txt", text: str | None = None, about: bool = True
) -> bytes:
    """A zip like ``fra-eng.zip``; stored uncompressed so its size is predictable."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(member, text if text is not None else pairs_text(n))
        if about:
            archive.writestr("_about.txt", ABOUT)
    return buffer.getvalue()


@dataclass
class Site:
    """What the server serves and how it misbehaves; it records what it was asked."""

    files: dict[str, bytes] = field(default_factory=dict)
    ranges: bool = True  # honour Range requests
    drop_after: int | None = None  # close the connection after this many body bytes
    drops: int = 0  # ... for this many GET requests
    gate: threading.Event | None = None  # GETs wait for it after the first chunk
    refuse: int | None = None  # answer every request with this HTTP status
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)
    url: str = ""

    def gets(self) -> list[tuple[str, str, str | None]]:
        return [r for r in self.requests if r[0] == "GET"]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # quiet test output
            pass

        def do_HEAD(self) -> None:  # noqa: N802
            site.requests.append(("HEAD", self.path, self.headers.get("Range")))
            body = site.files.get(self.path.lstrip("/"))
            if body is None or site.refuse:
                self.send_error(site.refuse or 404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Accept-Ranges", "bytes" if site.ranges else "none")
            self.end_headers()

        def do_GET(self) -> None:  # noqa: N802
            asked = self.headers.get("Range")
            site.requests.append(("GET", self.path, asked))
            body = site.files.get(self.path.lstrip("/"))
            if body is None or site.refuse:
                self.send_error(site.refuse or 404)
                return
            start = 0
            if asked and site.ranges:
                start = int(asked.removeprefix("bytes=").split("-")[0])
                if start >= len(body):
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(body)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(206)
                self.send_header(
                    "Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}"
                )
            else:
                self.send_response(200)
            self.send_header("Content-Length", str(len(body) - start))
            self.end_headers()
            payload = body[start:]
            if site.drops > 0 and site.drop_after is not None:
                site.drops -= 1
                self.wfile.write(payload[: site.drop_after])
                self.wfile.flush()
                self.close_connection = True
                return
            if site.gate is not None:
                self.wfile.write(payload[:4096])
                self.wfile.flush()
                site.gate.wait(10)
                payload = payload[4096:]
            self.wfile.write(payload)

    return Handler


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    """Serve ``site`` on a free port of 127.0.0.1 for the ``with`` block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        yield site
    finally:
        if site.gate is not None:
            site.gate.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
