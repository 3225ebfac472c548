"""Hostile and clumsy input to the command line: bad bytes, FIFOs, devices, folders."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from engine.cli import main
from engine.config import DecodeConfig
from engine.stdin_lines import (
    MAX_LINE_BYTES,
    InputLine,
    chunks_as_they_come,
    read_lines,
)
from engine.translate import Translator

ROOT = Path(__file__).resolve().parents[2]


def run_cli(argv, capsys, monkeypatch, stdin: bytes | None = None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def finishes(fn, seconds: float = 60.0):
    """Run ``fn`` on a thread; fail (instead of hanging the suite) if it blocks."""
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still blocked after {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["value"]


# ------------------------------------------------------------------ translate stdin
def test_a_bad_line_is_named_and_every_good_line_translated(
    trained_run, capsys, monkeypatch
):
    run, _ = trained_run
    good = ["a b c", "d e f g", "h i"]
    data = b"a b c\n\xff\xfe oops\nd e f g\r\n\xc3\x28\nh i"
    code, out, err = run_cli(
        ["translate", str(run), "--json", "--beam", "1"], capsys, monkeypatch, data
    )
    assert code == 1
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["source"] for r in rows] == [good[0], None, good[1], None, good[2]]
    expected = Translator.from_run_dirs([run], device="cpu").translate(
        good, DecodeConfig(beam=1)
    )
    got = [r["hypotheses"][0]["text"] for r in rows if r["source"] is not None]
    assert got == [t.hypotheses[0].text for t in expected]
    assert "line 2: not valid UTF-8: byte(s) ff" in err
    assert "line 4: not valid UTF-8: byte(s) c3" in err
    assert "Unable to cast" not in err and "Traceback" not in err
    # plain output keeps one line per input line, an empty one for a bad line
    code, out, _ = run_cli(
        ["translate", str(run), "--beam", "1"], capsys, monkeypatch, data
    )
    assert code == 1 and len(out.splitlines()) == 5 and out.splitlines()[1] == ""


def test_good_input_exits_zero(trained_run, capsys, monkeypatch):
    run, _ = trained_run
    data = "\ufeffa b\r\n\nc d\n".encode()
    code, out, err = run_cli(
        ["translate", str(run), "--json"], capsys, monkeypatch, data
    )
    assert code == 0, err
    assert [json.loads(line)["source"] for line in out.splitlines()] == [
        "a b",
        "",
        "c d",
    ]


def lines_of(data: bytes, max_bytes: int = MAX_LINE_BYTES):
    return list(read_lines(io.BytesIO(data), max_bytes))


def test_line_decoding_bom_crlf_nul_and_blank():
    lines = lines_of(b"\xef\xbb\xbfone\r\n\r\ntwo\x00three\nfour")
    assert [(x.number, x.text, bool(x.error)) for x in lines] == [
        (1, "one", False),
        (2, "", False),
        (3, "", True),
        (4, "four", False),
    ]
    assert "NUL" in lines[2].error
    assert "UTF-16" in lines_of("hi\n".encode("utf-16"))[0].error


def test_an_endless_line_is_cut_and_the_next_line_survives():
    long = "é" * 30  # 60 bytes: a cut at 41 bytes falls inside a character
    lines = lines_of(f"{long}\nnext\n".encode(), max_bytes=41)
    assert lines[0].text == "é" * 20 and "rest was not read" in lines[0].notice
    assert (lines[1].number, lines[1].text) == (2, "next")


def test_a_line_is_translated_while_the_input_stays_open():
    read_fd, write_fd = os.pipe()
    with os.fdopen(read_fd, "rb") as reader, os.fdopen(write_fd, "wb") as writer:
        chunks = chunks_as_they_come(read_lines(reader), size=1000, gather_s=0.01)
        writer.write(b"first line\n")
        writer.flush()
        chunk = finishes(lambda: next(chunks), 30)
        assert [line.text for line in chunk] == ["first line"]
        writer.write(b"second\n")
        writer.flush()
        assert [line.text for line in finishes(lambda: next(chunks), 30)] == ["second"]


def test_the_reader_stays_a_bounded_distance_ahead():
    consumed = []

    def endless():
        for number in range(1, 10**7):
            consumed.append(number)
            yield InputLine(number, "x")

    chunks = chunks_as_they_come(endless(), size=10)
    assert len(next(chunks)) == 10
    time.sleep(0.3)  # give the reader time to run ahead as far as it may
    assert len(consumed) <= 10 + 2 * 10 + 2


def test_the_command_answers_an_open_stdin_line_by_line(trained_run):
    """End to end: `s2s translate` in a subprocess answers before stdin closes."""
    run, _ = trained_run
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "engine.cli", "translate", str(run), "--beam", "1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        proc.stdin.write(b"a b c\n")
        proc.stdin.flush()
        answer = finishes(proc.stdout.readline, 120)
        assert answer.endswith(b"\n")  # came while stdin is still open
        proc.stdin.write(b"\xff\n")
        proc.stdin.close()
        assert proc.wait(60) == 1
    finally:
        proc.kill()
        proc.wait()


# ------------------------------------------------------------------ paths that are not files
@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["states", "{run}", "--input", "{p}", "--out", "{tmp}/o.csv"],
        [
            "states",
            "{run}",
            "--input",
            "{tmp}/in.txt",
            "--fit",
            "{p}",
            "--out",
            "o.csv",
        ],
        ["rescore", "{run}", "--source", "{p}", "--nbest", "{tmp}/n.txt"],
        ["rescore", "{run}", "--source", "{tmp}/in.txt", "--nbest", "{p}"],
        ["eval", "{run}", "--test", "{p}"],
        ["train", "{p}", "--out", "{tmp}/new"],
        ["nbest", "{run}", "--source", "{p}", "--out", "{tmp}/n2.txt"],
    ],
)
@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_paths_that_are_not_regular_files_are_refused(
    trained_run, tmp_path, capsys, monkeypatch, fifo, argv, kind
):
    run, _ = trained_run
    (tmp_path / "in.txt").write_text("a b\n", encoding="utf-8")
    (tmp_path / "n.txt").write_text("0 ||| b a ||| f=1 ||| -1.0\n", encoding="utf-8")
    target = {"fifo": fifo, "folder": tmp_path / "dir", "device": Path("/dev/zero")}[
        kind
    ]
    (tmp_path / "dir").mkdir(exist_ok=True)
    args = [a.format(run=run, p=target, tmp=tmp_path) for a in argv]
    code, out, err = finishes(lambda: run_cli(args, capsys, monkeypatch))
    assert code == 2 and out == ""
    reason = {"fifo": "is a FIFO", "folder": "is a directory", "device": "device"}[kind]
    assert str(target) in err and reason in err and "Traceback" not in err


@pytest.mark.parametrize(
    "name", ["config.toml", "best.safetensors", "last.safetensors", "source_ranks.json"]
)
def test_run_folder_files_that_are_fifos_are_refused(
    trained_run, tmp_path, capsys, monkeypatch, name
):
    run, _ = trained_run
    (run / name).unlink()
    os.mkfifo(run / name)
    if name.endswith(".safetensors"):  # else the other weights file is used instead
        other = "last" if name.startswith("best") else "best"
        (run / f"{other}.safetensors").unlink()
    test = tmp_path / "t.tsv"
    test.write_text("a b\tb a\n", encoding="utf-8")
    code, out, err = finishes(
        lambda: run_cli(["eval", str(run), "--test", str(test)], capsys, monkeypatch)
    )
    assert code == 2 and str(run / name) in err and ": is a FIFO" in err


def test_train_out_that_is_a_file_is_refused(tmp_path, capsys, monkeypatch):
    from engine.config import dumps_config
    from tests.conftest import tiny_config

    config = tmp_path / "c.toml"
    config.write_text(dumps_config(tiny_config()), encoding="utf-8")
    out_file = tmp_path / "not-a-folder"
    out_file.write_text("mine\n", encoding="utf-8")
    code, _, err = run_cli(
        ["train", str(config), "--out", str(out_file)], capsys, monkeypatch
    )
    assert code == 2 and "is not a folder" in err
    assert out_file.read_text(encoding="utf-8") == "mine\n"
