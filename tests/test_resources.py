"""The configs in resources/ (the app's presets among them) and how the code finds them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from engine.config import load_config
from engine.resources import CONFIGS
from s2s_gui.presets import PRESETS, load_presets

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILES = sorted(CONFIGS.glob("*.toml"))


@pytest.mark.parametrize("path", CONFIG_FILES, ids=lambda p: p.name)
def test_every_config_is_one_s2s_train_reads(path):
    load_config(path)  # raises ConfigError naming the key


def test_every_preset_is_a_config_of_the_folder():
    assert [p.name for p in load_presets()] == [name for _, name, _ in PRESETS]
    for stem, _, _ in PRESETS:
        assert (CONFIGS / f"{stem}.toml") in CONFIG_FILES


def test_the_papers_setup_is_written_once_with_the_papers_values():
    def is_the_paper(c) -> bool:
        return c.model.layers == 4 and c.train.lr_schedule == "paper"

    assert [p.name for p in CONFIG_FILES if is_the_paper(load_config(p))] == [
        "paper.toml"
    ]
    # Sutskever, Vinyals & Le (2014), sec. 3.4
    paper = load_config(CONFIGS / "paper.toml")
    m, t = paper.model, paper.train
    assert (m.cell, m.layers, m.hidden, m.emb, m.attention) == (
        "lstm",
        4,
        1000,
        1000,
        "none",
    )
    assert m.reverse_source and m.init_uniform == 0.08 and m.dropout == 0.0
    assert (t.optimizer, t.lr, t.lr_schedule, t.halve_after_epoch) == (
        "sgd",
        0.7,
        "paper",
        5.0,
    )
    assert (t.clip, t.batch_size, t.batch_tokens, t.loss) == (5.0, 128, 0, "sum")
    assert t.label_smoothing == 0.0


def test_an_installed_copy_finds_its_resources_through_the_package(tmp_path):
    # The layout a wheel installs (setup.py): engine/ beside seq2seq_lab_resources/, and
    # no pyproject.toml; -I keeps this checkout and PYTHONPATH off sys.path.
    site = tmp_path / "site-packages"
    (site / "engine").mkdir(parents=True)
    (site / "engine" / "__init__.py").write_text("")
    (site / "engine" / "resources.py").write_bytes(
        (ROOT / "engine/resources.py").read_bytes()
    )
    package = site / "seq2seq_lab_resources"
    (package / "configs").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    code = (
        f"import sys; sys.path.insert(0, {str(site)!r}); "
        "from engine.resources import CONFIGS, RESOURCES; print(RESOURCES); print(CONFIGS)"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [str(package), str(package / "configs")]
