"""The wheel carries every package and every file the installed app reads.

`make wheel-check` goes further: it installs the wheel into a fresh venv and starts the
app from it (tests/wheel_check.py).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from s2s_gui.presets import PRESETS
from tests.wheel_check import ROOT, build_wheel, wheel_names

PACKAGE = "seq2seq_lab_resources"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def names(wheel) -> set[str]:
    return wheel_names(wheel)


def test_the_wheel_holds_every_python_package_of_the_source(names):
    for top in ("engine", "s2s_gui"):
        for init in (ROOT / top).rglob("__init__.py"):
            if "__pycache__" not in init.parts:
                assert init.relative_to(ROOT).as_posix() in names
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "engine").rglob("*.py")}
    assert modules <= names


def test_the_wheel_holds_what_the_app_loads(names):
    resources = ROOT / "resources"
    wanted = {f"{PACKAGE}/__init__.py", f"{PACKAGE}/style.qss"}
    wanted |= {f"{PACKAGE}/configs/{stem}.toml" for stem, _, _ in PRESETS}
    wanted |= {f"{PACKAGE}/configs/{p.name}" for p in (resources / "configs").glob("*")}
    qm = {f"{PACKAGE}/i18n/{p.name}" for p in (resources / "i18n").glob("*.qm")}
    assert qm, "no compiled translations in resources/i18n"
    wanted |= qm
    wanted.add(f"{PACKAGE}/icons/seq2seq-lab.svg")
    wanted |= {
        f"{PACKAGE}/icons/hicolor/{n}x{n}/apps/seq2seq-lab.png" for n in ICON_SIZES
    }
    assert wanted - names == set()


def test_the_wheel_leaves_out_what_the_app_never_reads(names):
    shipped = {n for n in names if n.startswith(f"{PACKAGE}/")}
    assert not [n for n in shipped if n.endswith(".ts")]  # translation sources
    assert not [n for n in shipped if n.removeprefix(f"{PACKAGE}/").startswith("bench")]
    assert not [
        n for n in names if n.startswith(("tests/", "docs/", "tools/", "resources/"))
    ]


def test_the_wheel_installs_both_commands(wheel, names):
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(entry_points).decode()
    assert "s2s = engine.cli:main" in text and "s2s-gui = s2s_gui.app:main" in text


def test_the_code_looks_for_the_package_the_wheel_holds():
    from engine import resources

    assert resources.PACKAGE == PACKAGE  # the wheel holds PACKAGE/ (tests above)


def test_the_source_tree_reads_its_own_resources_folder():
    from engine.resources import CONFIGS, RESOURCES

    assert RESOURCES == ROOT / "resources" and CONFIGS == RESOURCES / "configs"
    assert Path(RESOURCES, "style.qss").is_file()
