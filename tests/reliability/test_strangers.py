"""Files from strangers: nothing runs, mismatches are refused, paths are only data."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from engine import checkpoint as ckpt
from engine.checkpoint import CheckpointError
from engine.config import ConfigError
from engine.data import DataError
from engine.training import Trainer
from engine.translate import Translator
from tests.conftest import tiny_config


def edit_config(run: Path, old: str, new: str) -> None:
    path = run / ckpt.CONFIG_FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("hidden = 32", "hidden = 48", "has shape"),
        ('cell = "gru"', 'cell = "lstm"', "has shape"),
        ("layers = 1", "layers = 2", "missing"),
        ('attention = "dot"', 'attention = "none"', "unexpected"),
    ],
)
def test_weights_that_do_not_fit_their_config_are_refused(
    trained_run, old, new, fragment
):
    run, _ = trained_run
    edit_config(run, old, new)
    with pytest.raises(CheckpointError, match=fragment) as info:
        Translator.from_run_dirs([run], device="cpu")
    assert "safetensors" in str(info.value) and "config" in str(info.value)
    with pytest.raises(CheckpointError, match=fragment):
        list(Trainer(tiny_config(train={"max_steps": 8}), run, resume=True).steps())


def test_missing_or_damaged_tokenizer_is_refused(trained_run):
    run, _ = trained_run
    model = run / "spm.model"
    data = model.read_bytes()
    model.write_bytes(data[: len(data) // 3])
    with pytest.raises(DataError, match="not a sentencepiece model"):
        Translator.from_run_dirs([run], device="cpu")
    model.unlink()
    with pytest.raises(DataError, match="no tokenizer") as info:
        Translator.from_run_dirs([run], device="cpu")
    assert info.value.path == str(run)
    with pytest.raises(DataError, match="no tokenizer"):
        list(Trainer(tiny_config(train={"max_steps": 8}), run, resume=True).steps())


class _Exploit:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_resuming_a_run_with_a_malicious_trainer_state_runs_nothing(
    trained_run, tmp_path
):
    run, _ = trained_run
    marker = tmp_path / "pwned"
    payload = {"format_version": 1, "model": _Exploit(marker)}
    (run / ckpt.TRAINER_STATE).write_bytes(pickle.dumps(payload, protocol=2))
    with pytest.raises(CheckpointError, match="unsafe"):
        list(Trainer(tiny_config(train={"max_steps": 8}), run, resume=True).steps())
    assert not marker.exists()


@pytest.mark.parametrize(
    "spec",
    [
        "corpus.tsv; touch {m}",
        "$(touch {m})",
        "`touch {m}`",
        "corpus.tsv && touch {m}",
        "a.en|b.fr; touch {m}",
        "builtin:task/reverse?size=10;touch {m}",
    ],
)
def test_corpus_paths_with_shell_syntax_are_just_missing_files(
    tmp_path, monkeypatch, spec
):
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "pwned"
    cfg = tiny_config(data={"train": spec.format(m=marker)})
    with pytest.raises(DataError):
        list(Trainer(cfg, tmp_path / "run").steps())
    assert not marker.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_a_run_writes_only_inside_its_folder(tmp_path, monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    corpus = tmp_path / "corpus.tsv"
    corpus.write_text("".join(f"a{i} b\tb a{i}\n" for i in range(60)), encoding="utf-8")
    before = {p for p in tmp_path.rglob("*")}
    cfg = tiny_config(
        data={"train": str(corpus), "dev_size": 5}, train={"max_steps": 2}
    )
    list(Trainer(cfg, tmp_path / "runs" / "r").steps())
    new = {p for p in tmp_path.rglob("*")} - before
    outside = [p for p in new if not p.is_relative_to(tmp_path / "runs")]
    assert outside == []
    assert not [p for p in new if p.name.endswith(".tmp")]  # no temp files left


def test_a_config_pointing_a_new_run_into_an_existing_run_is_refused(trained_run):
    run, _ = trained_run
    with pytest.raises(ConfigError, match="already holds a run"):
        Trainer(tiny_config(), run)
