"""Config validation and TOML round trips."""

from __future__ import annotations

import pytest

from engine.config import (
    CITATIONS,
    Config,
    ConfigError,
    DecodeConfig,
    config_keys,
    describe_keys,
    dumps_config,
    key_help,
    load_config,
    loads_config,
)


def test_toml_round_trip(tmp_path):
    cfg = Config().with_overrides(
        ["model.cell=gru", "train.lr=0.5", 'data.train="x.tsv"']
    )
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
        (
            {"model": {"attention": "none", "input_feeding": True}},
            "model.input_feeding",
        ),
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


def test_every_key_has_a_label_help_and_its_validated_choices():
    for name in config_keys():
        label, help_, choices = key_help(name)
        assert label.strip() and help_.strip(), name
        help_.format(**CITATIONS)  # every placeholder names a known paper
        if choices is None:
            continue
        section, _, field_name = name.partition(".")
        for choice in choices:  # each listed choice is accepted ...
            Config.from_dict({section: {field_name: choice}})
        with pytest.raises(ConfigError) as err:  # ... and nothing else is
            Config.from_dict({section: {field_name: "no-such-choice"}})
        assert err.value.key == name


def test_describe_keys_lists_every_key_with_its_default():
    text = describe_keys()
    for name in config_keys():
        section, _, field_name = name.partition(".")
        assert f"\n  {field_name} = " in text or text.startswith(f"  {field_name} = ")
    assert '  cell = "lstm"    # Cell' in describe_keys("model")
    assert "[train]" not in describe_keys("model")
