"""The config form: engine validation next to the field, presets, TOML round trip."""

from __future__ import annotations

from dataclasses import fields

import pytest

from engine.config import CITATIONS, Config, ConfigError, key_help
from s2s_gui.presets import apply_preset, load_presets
from s2s_gui.widgets.config_panel import ConfigPanel


@pytest.fixture
def panel(qtbot):
    widget = ConfigPanel()
    qtbot.addWidget(widget)
    return widget


def test_every_engine_switch_has_a_field_with_its_engine_help_as_tooltip(panel):
    for section, cls in Config.SECTIONS.items():
        for f in fields(cls):
            key = f"{section}.{f.name}"
            label, help_, _ = key_help(key)
            tip = panel.editor(key).toolTip()
            assert help_.format(**CITATIONS) in tip, key
    assert panel.current_config() == Config()


def test_validation_error_appears_next_to_the_field_that_caused_it(panel):
    panel.editor("model.attention").setCurrentText("none")
    panel.editor("model.input_feeding").setChecked(True)
    assert panel.current_config() is None
    assert panel.error_key == "model.input_feeding"
    assert "needs attention" in panel.error_text("model.input_feeding")
    assert panel.error_text("model.attention") == ""
    assert not panel.banner.isHidden()
    panel.editor("model.input_feeding").setChecked(False)
    assert panel.current_config() is not None
    assert panel.error_text("model.input_feeding") == "" and panel.banner.isHidden()


def test_numbers_typed_as_text_are_checked_by_the_engine(panel):
    panel.editor("train.lr").setText("zero")
    assert panel.error_key == "train.lr" and "number" in panel.error_text("train.lr")
    panel.editor("train.lr").setText("0")
    assert panel.error_key == "train.lr" and "(0, 10]" in panel.error_text("train.lr")
    panel.editor("train.lr").setText("0.7")
    assert panel.current_config().train.lr == 0.7


def test_presets_fill_the_form_and_keep_the_corpus(panel):
    panel.set_value("data.train", "builtin:qt/fr")
    presets = {p.name: p for p in load_presets()}
    assert list(presets)[:4] == [
        "Quick demo",
        "Sutskever 2014",
        "Cho 2014",
        "Luong attention",
    ]
    for preset in presets.values():
        panel.set_config(apply_preset(preset, panel.current_config()))
        assert panel.current_config() == apply_preset(preset, None).__class__.from_dict(
            {**apply_preset(preset, None).to_dict(), "data": panel.raw()["data"]}
        )
        assert panel.current_config().data.train == "builtin:qt/fr"
    sutskever = apply_preset(presets["Sutskever 2014"], None)
    panel.set_config(sutskever)
    assert panel.editor("model.reverse_source").isChecked()
    assert panel.editor("train.optimizer").currentText() == "sgd"
    assert panel.editor("model.layers").value() == 4
    assert panel.editor("model.init_uniform").text() == "0.08"


def test_toml_round_trip(panel, tmp_path):
    panel.editor("model.cell").setCurrentText("gru")
    panel.editor("data.dev").setText("")
    path = tmp_path / "c.toml"
    panel.save_file(str(path))
    other = ConfigPanel()
    other.load_file(str(path))
    assert other.current_config() == panel.current_config()
    path.write_text("[model]\ncell = 'tcn'\n")
    with pytest.raises(ConfigError) as err:
        other.load_file(str(path))
    assert err.value.key == "model.cell"
