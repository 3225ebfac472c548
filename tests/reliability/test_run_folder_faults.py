"""Damaged, partial and shared run folders: clear messages naming files, nothing lost."""

from __future__ import annotations

import errno
import io
import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from engine import checkpoint as ckpt
from engine import trainer_state
from engine.checkpoint import CheckpointError, RunFolderError
from engine.cli import main
from engine.config import ConfigError, dumps_config
from engine.data import DataError
from engine.events import CheckpointSaved, TrainFinished, TrainWarning
from engine.runs import describe_run
from engine.training import Trainer
from engine.translate import Translator
from tests.conftest import tiny_config
from tests.reliability.conftest import fingerprint

ROOT = Path(__file__).resolve().parents[2]


def cli(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def write_test_file(tmp_path) -> Path:
    path = tmp_path / "test.tsv"
    path.write_text("a b c\tc b a\nd e\te d\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------ malformed content
SOURCE_RANKS_CASES = {
    "list": (b"[1, 2, 3]", "found a list"),
    "null rank": (b'{"a": null}', "rank of 'a' is None"),
    "text rank": (b'{"a": "1"}', "rank of 'a' is '1'"),
    "torn": (b'{"a": 1, "b', "not valid JSON"),
    "latin1": (b'{"\xe9": 1}', "not valid JSON"),
    "empty": (b"", "empty file"),
}


@pytest.mark.parametrize("case", sorted(SOURCE_RANKS_CASES))
def test_damaged_source_ranks_name_the_file(trained_run, tmp_path, capsys, case):
    run, _ = trained_run
    data, why = SOURCE_RANKS_CASES[case]
    (run / ckpt.SOURCE_RANKS).write_bytes(data)
    with pytest.raises(RunFolderError, match=why) as info:
        ckpt.load_source_ranks(run)
    assert str(run / ckpt.SOURCE_RANKS) in str(info.value)
    code, out, err = cli(["eval", run, "--test", write_test_file(tmp_path)], capsys)
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"s2s: error: {run / ckpt.SOURCE_RANKS}: " in err


def _state(run: Path) -> dict:
    return torch.load(run / ckpt.TRAINER_STATE, weights_only=True)


def _save_state(run: Path, state: object) -> None:
    buffer = io.BytesIO()
    torch.save(state, buffer)
    (run / ckpt.TRAINER_STATE).write_bytes(buffer.getvalue())


TRAINER_CASES = {
    "empty": (lambda run: b"", "empty file"),
    "truncated": (
        lambda run: (run / ckpt.TRAINER_STATE).read_bytes()[:1000],
        "truncated, corrupt",
    ),
    "no model": (lambda run: {**_state(run), "model": None}, "'model' holds NoneType"),
    "no trainer": (
        lambda run: {k: v for k, v in _state(run).items() if k != "trainer"},
        "'trainer' holds nothing",
    ),
    "text step": (
        lambda run: {**_state(run), "trainer": {**_state(run)["trainer"], "step": "4"}},
        "trainer 'step' is '4'",
    ),
    "wrong optimizer": (
        lambda run: {**_state(run), "optimizer": {"state": {}, "param_groups": []}},
        "optimizer or random state",
    ),
    "a list": (lambda run: [1, 2], "not a trainer state"),
}


@pytest.mark.parametrize("case", sorted(TRAINER_CASES))
def test_damaged_trainer_state_is_refused_on_resume_naming_it(
    trained_run, capsys, case
):
    run, _ = trained_run
    make, why = TRAINER_CASES[case]
    content = make(run)
    if isinstance(content, bytes):
        (run / ckpt.TRAINER_STATE).write_bytes(content)
    else:
        _save_state(run, content)
    before = fingerprint(run)
    code, out, err = cli(["train", "--out", run, "--resume", "--max-steps", 8], capsys)
    assert code == 2 and "Traceback" not in err
    assert f"{run / ckpt.TRAINER_STATE}: " in err and why in err
    assert fingerprint(run) == before  # nothing lost, nothing half-written


@pytest.mark.parametrize("which", ["best", "last"])
@pytest.mark.parametrize("damage", ["truncated", "empty", "folder"])
def test_a_damaged_weights_file_falls_back_to_the_other(
    trained_run, caplog, which, damage
):
    run, _ = trained_run
    path = run / f"{which}.safetensors"
    other = run / f"{'last' if which == 'best' else 'best'}.safetensors"
    if damage == "folder":
        path.unlink()
        path.mkdir()
    else:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"")
    with caplog.at_level(logging.WARNING, logger="engine.checkpoint"):
        state, used = ckpt.load_run_weights(run, which)
    assert used == other
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and str(path) in warned[0] and other.name in warned[0]
    translator = Translator.from_run_dirs([run], device="cpu", checkpoint=which)
    assert translator.translate(["a b c"], translator_cfg())[0].hypotheses


def translator_cfg():
    from engine.config import DecodeConfig

    return DecodeConfig(beam=1)


def test_both_weights_damaged_names_both(trained_run, capsys):
    run, _ = trained_run
    for name in (ckpt.BEST_WEIGHTS, ckpt.LAST_WEIGHTS):
        (run / name).write_bytes(b"\x00" * 7)
    with pytest.raises(RunFolderError) as info:
        Translator.from_run_dirs([run], device="cpu")
    assert str(run / ckpt.BEST_WEIGHTS) in str(info.value)
    assert str(run / ckpt.LAST_WEIGHTS) in str(info.value)
    code, _, err = cli(["translate", run], capsys)
    assert code == 2 and "Traceback" not in err


@pytest.mark.parametrize(
    "content",
    [
        b'{"type": "step", "step": "x", "loss": 1}\n',
        b'{"type": "step", "step": 2, "loss": "high"}\n',
        b"[1, 2]\n",
        b'{"type": 3}\n',
        b"\xff\xfe\n",
        b'{"type": "eval", "step": -1}\n',
        b"null\n",
    ],
)
def test_damaged_metrics_lines_are_skipped_and_the_run_resumes(
    trained_run, caplog, content
):
    run, _ = trained_run
    metrics = run / ckpt.METRICS_FILE
    good = ckpt.read_metrics(run)
    assert [r["type"] for r in good].count("eval") == 1  # every record the run wrote
    with metrics.open("ab") as handle:
        handle.write(content)
    with caplog.at_level(logging.WARNING, logger="engine.checkpoint"):
        assert ckpt.read_metrics(run) == good
    assert any(str(metrics) in r.getMessage() for r in caplog.records)
    assert describe_run(run).steps == 4
    events = list(
        Trainer(tiny_config(train={"max_steps": 6}), run, resume=True).steps()
    )
    assert isinstance(events[-1], TrainFinished) and events[-1].step == 6


def test_metrics_file_that_is_a_folder(trained_run, capsys):
    run, _ = trained_run
    (run / ckpt.METRICS_FILE).unlink()
    (run / ckpt.METRICS_FILE).mkdir()
    assert ckpt.read_metrics(run) == []  # the runs list still shows the run
    assert describe_run(run).has_weights
    code, _, err = cli(["train", "--out", run, "--resume", "--max-steps", 8], capsys)
    assert code == 2 and f"{run / ckpt.METRICS_FILE}: is a directory" in err


def test_source_sample_that_is_not_utf8(trained_run, tmp_path, capsys):
    run, _ = trained_run
    (run / ckpt.SOURCE_SAMPLE).write_bytes(b"caf\xe9\n")
    (tmp_path / "in.txt").write_text("a b\nc d\n", encoding="utf-8")
    code, _, err = cli(
        ["states", run, "--input", tmp_path / "in.txt", "--out", tmp_path / "p.csv"],
        capsys,
    )
    assert code == 2 and f"{run / ckpt.SOURCE_SAMPLE}: not UTF-8" in err


@pytest.mark.parametrize(
    "name, error",
    [
        (ckpt.CONFIG_FILE, ConfigError),
        ("spm.model", DataError),
        (ckpt.BEST_WEIGHTS, None),  # last is used
        (ckpt.SOURCE_RANKS, RunFolderError),
    ],
)
def test_run_files_that_are_folders(trained_run, tmp_path, capsys, name, error):
    run, _ = trained_run
    (run / name).unlink()
    (run / name).mkdir()
    code, out, err = cli(["eval", run, "--test", write_test_file(tmp_path)], capsys)
    if error is None:
        assert code == 0, err
        return
    assert code == 2 and "Traceback" not in err and str(run) in err


# ------------------------------------------------------------------ resources
def test_out_of_memory_while_loading_weights_is_a_message(
    trained_run, capsys, monkeypatch
):
    run, _ = trained_run

    def no_memory(data):
        raise MemoryError

    monkeypatch.setattr(ckpt, "st_load", no_memory)
    code, _, err = cli(["translate", run], capsys)
    assert code == 2 and "not enough memory" in err and "Traceback" not in err


def test_too_many_open_files_is_a_message(trained_run, capsys, monkeypatch):
    run, _ = trained_run
    real = Path.read_bytes

    def read_bytes(self):
        if self.suffix == ".safetensors":
            raise OSError(errno.EMFILE, "Too many open files", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, _, err = cli(["translate", run], capsys)
    assert code == 2 and "Too many open files" in err and "best.safetensors" in err


# ------------------------------------------------------------------ partial runs
def _fail_trainer_state_writes(monkeypatch):
    """The disk fills up between the weights and the trainer state of a checkpoint."""
    real = ckpt.atomic_write_bytes

    def write(path, data):
        if Path(path).name == ckpt.TRAINER_STATE:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(ckpt, "atomic_write_bytes", write)
    monkeypatch.setattr(trainer_state, "DISK_RETRY_S", 0.0)


def _train_until_warned(run: Path, **train) -> list:
    seen: list = []
    stop = lambda: sum(isinstance(e, TrainWarning) for e in seen) >= 1  # noqa: E731
    cfg = tiny_config(train={"max_steps": 4, "eval_every": 2, **train})
    for ev in Trainer(cfg, run).steps(stop):
        seen.append(ev)
    return seen


def test_disk_full_in_the_first_checkpoint_says_what_is_on_disk(tmp_path, monkeypatch):
    run = tmp_path / "run"
    _fail_trainer_state_writes(monkeypatch)
    seen = _train_until_warned(run)
    warnings = [e.message for e in seen if isinstance(e, TrainWarning)]
    assert "No space left on device" in warnings[0]
    assert "the weights of step 2 only, no trainer state" in warnings[0]
    assert "previous checkpoint" not in warnings[1]
    assert "holds the weights of step 2 only" in warnings[1]
    assert not any(isinstance(e, CheckpointSaved) for e in seen)
    assert (run / ckpt.LAST_WEIGHTS).is_file() and not (
        run / ckpt.TRAINER_STATE
    ).exists()


def test_stop_before_any_checkpoint_says_there_is_none(tmp_path, monkeypatch):
    real = ckpt.atomic_write_bytes

    def write(path, data):
        if Path(path).suffix in (".safetensors", ".pt"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(ckpt, "atomic_write_bytes", write)
    monkeypatch.setattr(trainer_state, "DISK_RETRY_S", 0.0)
    seen = _train_until_warned(tmp_path / "run")
    warnings = [e.message for e in seen if isinstance(e, TrainWarning)]
    assert "with what is on disk: no checkpoint yet" in warnings[0]
    assert "holds no checkpoint yet" in warnings[1]


def test_a_partial_run_is_never_overwritten_silently(tmp_path, monkeypatch, capsys):
    run = tmp_path / "run"
    _fail_trainer_state_writes(monkeypatch)
    _train_until_warned(run)
    monkeypatch.undo()
    weights = (run / ckpt.LAST_WEIGHTS).read_bytes()
    config = tmp_path / "c.toml"
    config.write_text(dumps_config(tiny_config(train={"max_steps": 2})), "utf-8")
    code, out, err = cli(["train", config, "--out", run], capsys)
    assert code == 2 and "already holds a run" in err and "--overwrite" in err
    assert "weights of step 2 only" in err
    assert (run / ckpt.LAST_WEIGHTS).read_bytes() == weights
    code, _, err = cli(["train", "--out", run, "--resume"], capsys)
    assert code == 2 and "no trainer state to resume from" in err
    assert "weights of step 2 only" in err
    code, out, err = cli(["train", config, "--out", run, "--overwrite"], capsys)
    assert code == 0, err
    assert json.loads(out.splitlines()[-1])["steps"] == 2
    assert ckpt.load_trainer_state(run / ckpt.TRAINER_STATE)["trainer"]["step"] == 2
    code, _, err = cli(
        ["train", config, "--out", run, "--overwrite", "--resume"], capsys
    )
    assert code == 2 and "--overwrite replaces it" in err


@pytest.mark.parametrize("name", ckpt.RUN_FILES)
def test_any_run_file_marks_a_folder_as_holding_a_run(tmp_path, name):
    run = tmp_path / "run"
    run.mkdir()
    (run / name).write_bytes(b"x")
    with pytest.raises(ConfigError, match=f"already holds a run \\({name};"):
        Trainer(tiny_config(), run)
    Trainer(tiny_config(), tmp_path / "fresh")  # an empty or new folder is fine


def test_overwrite_keeps_the_old_run_when_the_new_corpus_is_bad(trained_run, tmp_path):
    run, _ = trained_run
    before = fingerprint(run)
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(b"a\tb\n\xff\tc\n")
    cfg = tiny_config(data={"train": str(bad)})
    with pytest.raises(DataError):
        list(Trainer(cfg, run, overwrite=True).steps())
    assert fingerprint(run) == before


# ------------------------------------------------------------------ several processes
def test_a_second_trainer_in_the_same_folder_is_refused(trained_run):
    run, _ = trained_run
    first = Trainer(tiny_config(train={"max_steps": 8}), run, resume=True).steps()
    next(first)  # holds the folder from its first event on
    try:
        with pytest.raises(RunFolderError, match=f"pid {os.getpid()}"):
            list(Trainer(tiny_config(train={"max_steps": 8}), run, resume=True).steps())
    finally:
        first.close()
    events = list(
        Trainer(tiny_config(train={"max_steps": 8}), run, resume=True).steps()
    )
    assert events[-1].step == 8  # the lock went with the first trainer


def test_a_new_run_racing_into_a_folder_is_refused_after_the_lock(tmp_path):
    run = tmp_path / "run"
    cfg = tiny_config(train={"max_steps": 2})
    first, second = Trainer(cfg, run), Trainer(cfg, run)
    events = list(first.steps())  # both passed the first check, only one may write
    assert isinstance(events[-1], TrainFinished)
    with pytest.raises(ConfigError, match="already holds a run"):
        list(second.steps())


def test_the_command_line_names_the_process_holding_the_folder(trained_run, capsys):
    run, _ = trained_run
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from engine.runlock import RunLock\n"
            "with RunLock(sys.argv[1]):\n print('locked', flush=True); time.sleep(600)",
            str(run),
        ],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout.readline() == b"locked\n"
        before = fingerprint(run)
        code, _, err = cli(
            ["train", "--out", run, "--resume", "--max-steps", 8], capsys
        )
        assert code == 2 and f"pid {holder.pid}" in err and "is in use" in err
        assert fingerprint(run) == before
    finally:
        holder.send_signal(signal.SIGKILL)  # a killed holder frees the folder too
        holder.wait()
    code, _, err = cli(["train", "--out", run, "--resume", "--max-steps", 6], capsys)
    assert code == 0, err


def test_errors_are_checkpoint_errors_for_old_callers():
    assert issubclass(RunFolderError, CheckpointError)


def test_weights_holding_nan_are_refused_naming_the_tensor(trained_run, capsys):
    run, _ = trained_run
    for name in (ckpt.BEST_WEIGHTS, ckpt.LAST_WEIGHTS):
        state = ckpt.load_weights(run / name)
        first = sorted(state)[0]
        state[first] = torch.full_like(state[first], float("nan"))
        ckpt.save_weights(state, run / name, step=4)
    code, _, err = cli(["translate", run], capsys)
    assert code == 2 and f"tensor {first} holds NaN" in err
    assert str(run / ckpt.BEST_WEIGHTS) in err


def test_an_aborted_train_says_what_is_on_disk(tmp_path, capsys, monkeypatch):
    """A second Ctrl-C aborts at once; the message names what the folder holds."""
    real_steps = Trainer.steps

    def steps_then_abort(self, should_stop=lambda: False):
        for ev in real_steps(self, should_stop):
            yield ev
            if isinstance(ev, CheckpointSaved):
                raise KeyboardInterrupt

    monkeypatch.setattr(Trainer, "steps", steps_then_abort)
    config = tmp_path / "c.toml"
    config.write_text(dumps_config(tiny_config(train={"eval_every": 2})), "utf-8")
    code, out, err = cli(["train", config, "--out", tmp_path / "run"], capsys)
    assert code == 130 and out == ""
    assert f"interrupted; {tmp_path / 'run'} holds a full checkpoint of step 2" in err


def test_disk_full_before_the_first_checkpoint_is_one_line(
    tmp_path, capsys, monkeypatch
):
    """The config or a tokenizer cannot be written: a message, and the folder is
    then guarded like any partial run."""
    import engine.utils

    real = engine.utils.atomic_write_bytes

    def write(path, data):
        if Path(path).name == ckpt.SOURCE_RANKS:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, data)

    monkeypatch.setattr(engine.utils, "atomic_write_bytes", write)
    monkeypatch.setattr(ckpt, "atomic_write_text", lambda p, t: write(p, t.encode()))
    config = tmp_path / "c.toml"
    config.write_text(dumps_config(tiny_config(train={"max_steps": 2})), "utf-8")
    run = tmp_path / "run"
    code, out, err = cli(["train", config, "--out", run], capsys)
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"{run / ckpt.SOURCE_RANKS}: No space left on device" in err
    code, _, err = cli(["train", config, "--out", run], capsys)
    assert code == 2 and "already holds a run" in err and "no checkpoint yet" in err


def test_a_reader_never_sees_a_half_written_checkpoint(tmp_path):
    """Weights are replaced by rename: a reader gets the old file or the new one."""
    import threading

    path = tmp_path / ckpt.LAST_WEIGHTS
    states = [{"w": torch.full((256, 256), float(i))} for i in range(2)]
    ckpt.save_weights(states[0], path, step=0)
    done = threading.Event()

    def writer():
        for i in range(60):
            ckpt.save_weights(states[i % 2], path, step=i)
        done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    reads = 0
    while not done.is_set() or reads < 10:
        value = ckpt.load_weights(path)["w"]
        assert value.shape == (256, 256) and float(value.std()) == 0.0
        reads += 1
    thread.join()
