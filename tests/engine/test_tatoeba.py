"""Tatoeba zips: read offline, downloaded from a local server (resume, cancel, checks)."""

from __future__ import annotations

import hashlib
import json
import socket
import zipfile
from pathlib import Path

import pytest

from engine import download as download_module
from engine import tatoeba
from engine.cli import main
from engine.config import DataConfig
from engine.data import DataError, load_corpus, read_pairs
from engine.download import DownloadError
from tests.tatoeba_server import Site, pairs_zip, serve

ZIP = "fra-eng.zip"


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "data"
    monkeypatch.setenv(tatoeba.DATA_DIR_ENV, str(root))
    return root


@pytest.fixture
def site(monkeypatch):
    with serve(Site(files={ZIP: pairs_zip(3000)})) as served:
        monkeypatch.setenv(tatoeba.BASE_URL_ENV, served.url)
        yield served


def run(steps):
    """Drain a download generator: (its progress events, its return value)."""
    events = []
    while True:
        try:
            events.append(next(steps))
        except StopIteration as end:
            return events, end.value


def part_of(data_dir: Path) -> Path:
    return tatoeba.folder("fra", data_dir) / f"{ZIP}.part"


# --------------------------------------------------------------------- reading zips


def test_a_pairs_zip_reads_as_a_corpus_without_its_attribution_column(tmp_path):
    path = tmp_path / ZIP
    path.write_bytes(pairs_zip(50))
    pairs = read_pairs(str(path))
    assert len(pairs) == 50
    assert pairs[7] == ("I see 7 cats.", "Je vois 7 chats.")
    corpus = load_corpus(DataConfig(train=str(path), dev_size=5))
    assert corpus.report.pairs == 45 and len(corpus.dev) == 5


def test_a_zip_without_a_pairs_file_is_refused_by_name(tmp_path):
    path = tmp_path / ZIP
    path.write_bytes(pairs_zip(member="_about.txt", about=False))
    with pytest.raises(DataError, match=r"no sentence-pairs file.*found _about\.txt"):
        read_pairs(str(path))
    path.write_bytes(b"<html>Not found</html>")
    with pytest.raises(DataError, match="not a readable zip"):
        read_pairs(str(path))


def test_bad_lines_inside_a_zip_name_the_member_and_line(tmp_path):
    path = tmp_path / ZIP
    path.write_bytes(pairs_zip(text="Go.\tVa !\nno tab here\n"))
    with pytest.raises(DataError, match=r"fra\.txt:2: expected 2 or 3") as info:
        read_pairs(str(path))
    assert info.value.path == f"{path}/fra.txt"


def test_a_missing_relative_path_says_relative_to_the_working_directory(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataError, match="relative to the working directory") as info:
        read_pairs("nope/pairs.tsv")
    assert str(tmp_path) in str(info.value)
    with pytest.raises(DataError) as absolute:
        read_pairs(str(tmp_path / "nope.zip"))
    assert absolute.value.message == "no such file"


def test_a_tatoeba_spec_before_the_download_says_how_to_get_it(data_dir):
    with pytest.raises(DataError, match="s2s download fra"):
        read_pairs("tatoeba:fra")
    with pytest.raises(DataError, match="three-letter"):
        read_pairs("tatoeba:french")


# --------------------------------------------------------------------- downloading


def test_download_checks_records_and_attributes_the_zip(site, data_dir):
    plan = tatoeba.plan("fra")
    served = site.files[ZIP]
    assert plan.size == len(served) and plan.have == 0 and plan.cached is None
    events, corpus = run(tatoeba.download("fra"))
    assert events[-1].stage == "check" and events[-1].done == len(served)
    download_events = [e.done for e in events if e.stage == "download"]
    assert download_events == sorted(download_events)
    assert Path(corpus.path).read_bytes() == served
    assert not part_of(data_dir).exists()
    assert corpus.pairs == 3000 and corpus.member == "fra.txt"
    record = json.loads((Path(corpus.path).parent / "download.json").read_text())
    assert record["sha256"] == hashlib.sha256(served).hexdigest()
    text = corpus.attribution.read_text(encoding="utf-8")
    for needed in ("https://tatoeba.org", "manythings.org", "CC-BY 2.0 FR", "fra.txt"):
        assert needed in text
    assert "Tatoeba pairs for tests." in text  # the zip's _about.txt
    assert read_pairs("tatoeba:fra")[3] == ("I see 3 cats.", "Je vois 3 chats.")
    assert [c.spec for c in tatoeba.downloaded()] == ["tatoeba:fra"]
    assert tatoeba.plan("fra").cached == corpus


def test_a_dropped_connection_is_resumed_with_a_range_request(site, data_dir):
    site.drop_after, site.drops = 5000, 1
    _, corpus = run(tatoeba.download("fra", retries=1, backoff_s=0))
    assert Path(corpus.path).read_bytes() == site.files[ZIP]
    assert [r[2] for r in site.gets()] == [None, "bytes=5000-"]


def test_a_failed_download_keeps_its_part_and_the_next_try_resumes(site, data_dir):
    site.drop_after, site.drops = 5000, 5
    with pytest.raises(DownloadError, match="5,000 bytes; try again later to resume"):
        run(tatoeba.download("fra", retries=0))
    assert part_of(data_dir).stat().st_size == 5000
    assert tatoeba.plan("fra").have == 5000
    site.drops = 0
    _, corpus = run(tatoeba.download("fra"))
    assert Path(corpus.path).read_bytes() == site.files[ZIP]
    assert site.gets()[-1][2] == "bytes=5000-"


def test_a_server_without_range_support_sends_it_all_again(site, data_dir):
    site.drop_after, site.drops = 5000, 1
    with pytest.raises(DownloadError):
        run(tatoeba.download("fra", retries=0))
    site.ranges = False
    events, corpus = run(tatoeba.download("fra"))
    assert Path(corpus.path).read_bytes() == site.files[ZIP]  # not appended
    assert events[0].resumed_from == 0


def test_cancel_keeps_the_part_and_a_new_download_resumes_it(
    site, data_dir, monkeypatch
):
    monkeypatch.setattr(download_module, "REPORT_EVERY_S", 0.0)
    events = []

    def stop() -> bool:
        return any(e.done >= download_module.CHUNK for e in events)

    steps = tatoeba.download("fra", stop)
    while True:
        try:
            events.append(next(steps))
        except StopIteration as end:
            assert end.value is None
            break
    kept = part_of(data_dir).stat().st_size
    assert download_module.CHUNK <= kept < len(site.files[ZIP])
    assert tatoeba.cached("fra") is None
    _, corpus = run(tatoeba.download("fra"))
    assert Path(corpus.path).read_bytes() == site.files[ZIP]
    assert site.gets()[-1][2] == f"bytes={kept}-"


@pytest.mark.parametrize(
    ("served", "message"),
    [
        (b"<html>busy</html>", "not a valid zip file"),
        (pairs_zip(member="readme.md"), "no pairs file"),
        (pairs_zip(text="one\ntwo\nthree\n"), "not a sentence-pairs file"),
    ],
)
def test_what_is_not_a_pairs_zip_is_refused_and_deleted(
    site, data_dir, served, message
):
    site.files[ZIP] = served
    with pytest.raises(DownloadError, match=message):
        run(tatoeba.download("fra"))
    assert not part_of(data_dir).exists() and tatoeba.cached("fra") is None


def test_a_zip_with_a_damaged_member_fails_its_crc_check(site, data_dir):
    good = bytearray(site.files[ZIP])
    at = good.find(b"I see 1500 cats")
    good[at] ^= 0x20  # stored uncompressed: the member's CRC no longer matches
    site.files[ZIP] = bytes(good)
    with pytest.raises(DownloadError, match=r"damaged zip \(member fra\.txt"):
        run(tatoeba.download("fra"))


def test_a_verified_cache_is_reused_and_a_changed_one_fetched_again(site, data_dir):
    _, first = run(tatoeba.download("fra"))
    asked = len(site.gets())
    events, again = run(tatoeba.download("fra"))
    assert again == first and len(site.gets()) == asked
    assert [e.stage for e in events] == ["check"]
    path = Path(first.path)
    damaged = bytearray(path.read_bytes())
    damaged[100] ^= 0xFF
    path.write_bytes(bytes(damaged))  # same size: only the checksum can tell
    _, fetched = run(tatoeba.download("fra"))
    assert len(site.gets()) == asked + 1
    assert path.read_bytes() == site.files[ZIP] and fetched.sha256 == first.sha256


def test_http_errors_are_reported_with_their_status(site, data_dir):
    with pytest.raises(DownloadError, match="HTTP 404"):
        tatoeba.plan("deu")
    with pytest.raises(DownloadError, match="HTTP 404"):
        run(tatoeba.download("deu"))


def test_a_server_that_refuses_programs_gets_a_way_around(site, data_dir):
    site.refuse = 403
    with pytest.raises(DownloadError, match="HTTP 403.*web browser.*drop it"):
        tatoeba.plan("fra")
    with pytest.raises(DownloadError, match="HTTP 403.*web browser.*drop it"):
        run(tatoeba.download("fra"))


def test_an_unreachable_server_is_named(data_dir, monkeypatch):
    with socket.socket() as probe:  # a port that nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(tatoeba.BASE_URL_ENV, f"http://127.0.0.1:{port}/")
    with pytest.raises(DownloadError, match="cannot connect"):
        tatoeba.plan("fra")
    with pytest.raises(DownloadError, match="cannot download .*check the connection"):
        run(tatoeba.download("fra", retries=1, backoff_s=0))


def test_s2s_download_fetches_and_prints_the_spec(site, data_dir, capsys):
    assert main(["download", "fra"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["spec"] == "tatoeba:fra" and out["pairs"] == 3000
    assert zipfile.is_zipfile(out["path"])
