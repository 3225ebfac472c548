"""Config files from anywhere: every wrong value is refused naming the key and why."""

from __future__ import annotations

import pytest

from engine.config import Config, ConfigError, load_config, loads_config
from engine.data import DataError, load_corpus


@pytest.mark.parametrize(
    ("text", "key", "why"),
    [
        ("[model]\ncell = {a = 1}", "model.cell", "must be text"),
        ("[model.cell]\nx = 1", "model.cell", "must be text"),
        ("[model]\nhidden = {x = 1}", "model.hidden", "whole number"),
        ("[train]\nlr = [1, 2]", "train.lr", "must be a number"),
        ("[train]\nlr = nan", "train.lr", "must be a number"),
        ("[train]\nclip = inf", "train.clip", "must be a number"),
        ("[train]\nlr = 1979-05-27", "train.lr", "must be a number"),
        ("[model]\nlayers = true", "model.layers", "whole number"),
        ("[model]\nlayers = 2.5", "model.layers", "whole number"),
        ("[model]\nbidirectional = 1", "model.bidirectional", "true or false"),
        ("[data]\ndev = 5", "data.dev", "must be text"),
        ("model = 3", "model", "must be a table"),
        ("[[model]]\ncell = 'gru'", "model", "must be a table"),
        ("[model]\nemb = 99999999999999999999999", "model.emb", "1..8192"),
        ("[data]\ntask_size = 1000000000000", "data.task_size", "10..2000000"),
        ("[data]\ntask_max_len = 100000", "data.task_max_len", "at most 500"),
        ("[train]\nthreads = 100000", "train.threads", "0..1024"),
        ("[train]\nnan_policy = 'ignore'", "train.nan_policy", "skip, stop"),
        ("[decode]\nbeam = 0", "decode.beam", "1..256"),
        ("[model]\nhiden = 64", "model.hiden", "known keys"),
        ("[modle]\nhidden = 64", "modle", "unknown section"),
        # contradictory settings
        (
            "[model]\nattention = 'none'\ninput_feeding = true",
            "model.input_feeding",
            "needs attention",
        ),
        ("[decode]\nbeam = 2\nnbest = 3", "decode.nbest", "cannot exceed the beam"),
        (
            "[data]\ntask_min_len = 8\ntask_max_len = 4",
            "data.task_max_len",
            "task_min_len",
        ),
        (
            "[model]\nattention = 'none'\ntie_embeddings = true\nemb = 8\nhidden = 16",
            "model.tie_embeddings",
            "emb == model.hidden",
        ),
    ],
)
def test_bad_value_names_key_and_reason(text, key, why):
    with pytest.raises(ConfigError) as info:
        loads_config(text, source="run.toml")
    assert info.value.key == key
    assert key in str(info.value) and "run.toml" in str(info.value)
    assert why in str(info.value)


@pytest.mark.parametrize(
    "assignment",
    ["model.cell={a=1}", "train.lr=[1]", "model.colour=red", "train.lr"],
)
def test_bad_command_line_overrides(assignment):
    with pytest.raises(ConfigError):
        Config().with_overrides([assignment])


def test_unreadable_config_files(tmp_path):
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="binary.toml: cannot read"):
        load_config(binary)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path)  # a directory
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes("[data]\ntrain = 'caf\xe9.tsv'\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="latin1.toml"):
        load_config(latin1)


def test_task_spec_inside_a_path_is_bounded_too():
    cfg = Config().with_overrides(
        ['data.train="builtin:task/reverse?size=10000000000"']
    )
    with pytest.raises(DataError, match="task size must be in"):
        load_corpus(cfg.data)
    cfg = Config().with_overrides(['data.train="builtin:task/reverse?max=100000"'])
    with pytest.raises(DataError, match="at most 500"):
        load_corpus(cfg.data)
