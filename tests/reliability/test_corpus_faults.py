"""Bad corpus input wherever it enters: a DataError naming file and line, nothing saved
is touched, and the app stays up."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from engine.checkpoint import read_metrics
from engine.config import DataConfig
from engine.data import DataError, load_corpus, read_pairs
from engine.training import Trainer
from engine.translate import Translator
from tests.conftest import tiny_config
from tests.reliability.conftest import fingerprint

GOOD = "".join(f"a{i} b{i}\tc{i} d{i}\n" for i in range(12)).encode()

# name -> (bytes, line named in the error or None, fragment of the message)
BAD_FILES: dict[str, tuple[bytes, int | None, str]] = {
    "binary.tsv": (b"a\tb\n" + bytes(range(256)) * 4, 2, "binary data"),
    "binary_utf8_ok.tsv": (b"a\tb\nc\x00\x01\x02\td\n", 2, "NUL byte"),
    "latin1.tsv": (GOOD + "café\tcafé\n".encode("latin-1"), 13, "not valid UTF-8"),
    "utf16_bom.tsv": (codecs.BOM_UTF16_LE + "a\tb\n".encode("utf-16-le"), 1, "UTF-16"),
    "utf16_no_bom.tsv": ("a\tb\nc\td\n".encode("utf-16-le"), 1, "UTF-16 without a BOM"),
    "missing_column.tsv": (GOOD + b"only a source\n", 13, "found 1"),
    "extra_columns.tsv": (GOOD + b"a\tb\tc\td\n", 13, "found 4"),
    "mixed_endings_then_bad.tsv": (b"a\tb\r\nc\td\re\tf\ng\n", 4, "found 1"),
}


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_names_file_and_line(tmp_path, name):
    data, line, fragment = BAD_FILES[name]
    path = write(tmp_path, name, data)
    with pytest.raises(DataError) as info:
        read_pairs(str(path))
    err = info.value
    assert err.path == str(path) and err.line == line
    assert str(err).startswith(f"{path}:{line}: ") and fragment in str(err)


def test_bom_and_mixed_line_endings_are_read_as_lines(tmp_path):
    path = write(tmp_path, "mixed.tsv", b"\xef\xbb\xbfa\tb\r\nc\td\re\tf\ng\th")
    assert read_pairs(str(path)) == [("a", "b"), ("c", "d"), ("e", "f"), ("g", "h")]


def test_empty_lines_are_counted_not_fatal(tmp_path):
    path = write(tmp_path, "gaps.tsv", b"\n\n" + GOOD.replace(b"\n", b"\n\n"))
    corpus = load_corpus(DataConfig(train=str(path), dev_size=2))
    assert len(corpus.train) + len(corpus.dev) == 12
    assert dict(corpus.report.dropped)["empty"] == 14


def test_empty_file_is_an_error_naming_it(tmp_path):
    path = write(tmp_path, "empty.tsv", b"")
    with pytest.raises(DataError, match="corpus is empty") as info:
        load_corpus(DataConfig(train=str(path)))
    assert info.value.path == str(path)


def test_directory_and_device_are_refused(tmp_path):
    with pytest.raises(DataError, match="is a directory"):
        read_pairs(str(tmp_path))
    with pytest.raises(DataError, match="not a regular file"):
        read_pairs("/dev/zero")  # would never end if read


def test_enormous_single_line_is_dropped_quickly(tmp_path):
    word = b"x" * 1000
    path = tmp_path / "huge.tsv"
    with open(path, "wb") as handle:  # ~30 MB on one line, plus normal pairs
        handle.write(GOOD)
        handle.write(b" ".join([word] * 15_000) + b"\t" + b"y" * 15_000_000 + b"\n")
    corpus = load_corpus(DataConfig(train=str(path), dev_size=2, max_len=50))
    assert len(corpus.train) + len(corpus.dev) == 12
    assert dict(corpus.report.dropped) == {"longer than 2000 characters": 1}


def test_moses_pair_with_unequal_lines(tmp_path):
    src = write(tmp_path, "a.en", b"one\ntwo\nthree\n")
    tgt = write(tmp_path, "a.fr", b"un\ndeux\n")
    with pytest.raises(DataError, match="not aligned") as info:
        read_pairs(f"{src}|{tgt}")
    assert info.value.line == 3 and "a.en has 3 lines" in str(info.value)


def test_moses_side_that_is_a_directory_or_missing(tmp_path):
    src = write(tmp_path, "a.en", b"one\n")
    with pytest.raises(DataError, match="is a directory") as info:
        read_pairs(f"{src}|{tmp_path}")
    assert info.value.path == str(tmp_path)
    with pytest.raises(DataError, match="no such file"):
        read_pairs(f"{src}|{tmp_path / 'gone.fr'}")


def test_file_disappearing_while_read(tmp_path, monkeypatch):
    path = write(tmp_path, "vanishing.tsv", GOOD)

    def vanish(self):
        raise FileNotFoundError(2, "No such file or directory", str(self))

    monkeypatch.setattr(Path, "read_bytes", vanish)
    with pytest.raises(DataError, match="cannot read: No such file") as info:
        read_pairs(str(path))
    assert info.value.path == str(path)


def test_io_error_mid_read(tmp_path, monkeypatch):
    path = write(tmp_path, "eio.tsv", GOOD)

    def eio(self):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(Path, "read_bytes", eio)
    with pytest.raises(DataError, match="Input/output error"):
        read_pairs(str(path))


@pytest.mark.parametrize("name", ["binary.tsv", "latin1.tsv", "missing_column.tsv"])
def test_bad_corpus_on_resume_leaves_the_run_untouched(trained_run, name):
    run, corpus = trained_run
    before = fingerprint(run)
    corpus.write_bytes(BAD_FILES[name][0])
    cfg = tiny_config(train={"max_steps": 8})
    with pytest.raises(DataError) as info:
        list(Trainer(cfg, run, resume=True).steps())
    assert info.value.path == str(corpus) and info.value.line is not None
    assert fingerprint(run) == before
    assert read_metrics(run)[-1]["type"] == "finished"
    Translator.from_run_dirs([run], device="cpu")  # still loadable


def test_bad_corpus_for_a_new_run_writes_nothing(tmp_path):
    bad = write(tmp_path, "bad.tsv", BAD_FILES["binary.tsv"][0])
    cfg = tiny_config(data={"train": str(bad)})
    with pytest.raises(DataError, match="bad.tsv:2"):
        list(Trainer(cfg, tmp_path / "run").steps())
    assert not any((tmp_path / "run").glob("*"))


def test_every_bad_file_gives_the_app_a_message_and_it_stays_up(qtbot, tmp_path):
    from s2s_gui.controller import AppController

    ctl = AppController(runs_root=tmp_path / "runs")
    try:
        for name, (data, line, _) in sorted(BAD_FILES.items()):
            path = write(tmp_path, name, data)
            with qtbot.waitSignal(ctl.preview_failed, timeout=10_000) as blocker:
                ctl.preview_corpus(DataConfig(train=str(path)))
            assert f"{path}:{line}:" in blocker.args[0]
        with qtbot.waitSignal(ctl.preview_ready, timeout=20_000):  # still working
            ctl.preview_corpus(DataConfig(train="builtin:task/copy", task_size=200))
    finally:
        assert ctl.shutdown(timeout_ms=10_000)
