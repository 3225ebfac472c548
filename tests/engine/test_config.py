"""Config validation and TOML round trips."""

from __future__ import annotations

import pytest

from engine.config import (
    Config,
    ConfigError,
    DecodeConfig,
    dumps_config,
    load_config,
    loads_config,
)


def test_toml_round_trip(tmp_path):
    cfg = Config().with_overrides(["model.cell=gru", "train.lr=0.5", 'data.train="x.tsv"'])
    assert loads_config(dumps_config(cfg)) == cfg
    path = tmp_path / "c.toml"
    path.write_text(dumps_config(cfg), encoding="utf-8")
    assert load_config(path) == cfg


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"model": {"cell": "transformer"}}, "model.cell"),
        ({"model": {"layers": 0}}, "model.layers"),
        ({"model": {"hidden": "big"}}, "model.hidden"),
        ({"model": {"colour": 1}}, "model.colour"),
        ({"train": {"lr": -1.0}}, "train.lr"),
        ({"train": {"teacher_forcing": 1.5}}, "train.teacher_forcing"),
        ({"model": {"attention": "none", "input_feeding": True}}, "model.input_feeding"),
        ({"decode": {"beam": 5, "nbest": 6}}, "decode.nbest"),
        ({"train": {"batch_scope": "node"}}, "train.batch_scope"),
        ({"extra": {}}, "extra"),
    ],
)
def test_errors_name_the_key(raw, key):
    with pytest.raises(ConfigError) as info:
        Config.from_dict(raw)
    assert info.value.key == key
    assert key in str(info.value)


def test_nbest_larger_than_beam_is_clear():
    with pytest.raises(ConfigError, match="cannot exceed the beam size"):
        DecodeConfig(beam=5, nbest=6)


def test_bad_toml_names_the_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[model\ncell = 'gru'", encoding="utf-8")
    with pytest.raises(ConfigError, match="broken.toml"):
        load_config(path)
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "missing.toml")


def test_integer_given_for_float_is_accepted():
    assert loads_config("[train]\nlr = 1\n").train.lr == 1.0
