"""Desktop metadata, icons, the PyInstaller spec and the version stay valid and agree."""

from __future__ import annotations

import ast
import configparser
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from s2s_gui.app_info import APP_ID, app_version

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
RESOURCES = ROOT / "resources"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
SPEC = PACKAGING / "seq2seq-lab.spec"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def pyproject_version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def run_validator(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


# ------------------------------------------------------------------ .desktop
def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_has_the_required_keys():
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    for key in ("Name", "Comment", "Exec", "Icon"):
        assert entry.get(key, "").strip(), key
    categories = entry["Categories"].split(";")
    assert {"Education", "Science"} <= set(categories)
    assert entry["Categories"].endswith(";")
    assert entry["Terminal"] == "false"
    icon = entry["Icon"]
    assert (RESOURCES / "icons" / f"{icon}.svg").is_file()


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-utils not installed; the parse test above still runs",
)
def test_desktop_file_validate_accepts_the_entry():
    out = run_validator("desktop-file-validate", str(DESKTOP))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "error:" not in out.stdout


# ------------------------------------------------------------------ metainfo
def test_metainfo_has_the_required_elements():
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("metadata_license") == "CC0-1.0"
    with open(ROOT / "pyproject.toml", "rb") as f:
        license_text = tomllib.load(f)["project"]["license"]["text"]
    assert root.findtext("project_license") == license_text
    for tag in ("name", "summary"):
        assert (root.findtext(tag) or "").strip(), tag
    assert root.find("description/p") is not None
    launchable = root.find("launchable")
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    categories = {c.text for c in root.findall("categories/category")}
    assert {"Education", "Science"} <= categories
    assert root.find("content_rating").get("type").startswith("oars-")
    images = [i.text for i in root.findall("screenshots/screenshot/image")]
    assert images and all(u.startswith("https://") for u in images)
    for url in images:  # each URL names a screenshot the repository holds
        assert (ROOT / "docs" / "screenshots" / url.rsplit("/", 1)[-1]).is_file(), url


def test_metainfo_latest_release_is_the_project_version():
    root = ET.parse(METAINFO).getroot()
    releases = root.findall("releases/release")
    assert releases and releases[0].get("version") == pyproject_version()
    assert releases[0].get("date")


@pytest.mark.skipif(
    shutil.which("appstreamcli") is None,
    reason="appstream not installed; the parse tests above still run",
)
def test_appstreamcli_validates_the_metainfo():
    out = run_validator("appstreamcli", "validate", "--no-net", str(METAINFO))
    assert out.returncode == 0, out.stdout + out.stderr


# ------------------------------------------------------------------ icons
def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icon_png_exists_at_each_size(size):
    folder = RESOURCES / "icons" / "hicolor" / f"{size}x{size}" / "apps"
    assert png_size(folder / "seq2seq-lab.png") == (size, size)


def test_icon_svg_is_there():
    root = ET.parse(RESOURCES / "icons" / "seq2seq-lab.svg").getroot()
    assert root.tag.endswith("svg")


# ------------------------------------------------------------------ spec
def spec_lists() -> dict[str, list[str]]:
    """The literal list assignments at the top level of the spec."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    lists = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    try:
                        lists[target.id] = ast.literal_eval(node.value)
                    except ValueError:
                        pass
    return lists


def test_spec_lists_every_resource_folder():
    lists = spec_lists()
    bundled = set(lists["RESOURCE_DIRS"]) | set(lists["RESOURCE_FILES"])
    skipped = set(lists["RESOURCES_NOT_BUNDLED"])
    present = {
        p.name
        for p in RESOURCES.iterdir()
        if not p.name.startswith(".") and p.name != "__pycache__"  # Python's cache
    }
    assert present == bundled | skipped, "neither bundled nor named as skipped"
    assert not bundled & skipped
    # What the app reads at run time must be bundled, whatever else changes.
    assert {"configs", "icons", "i18n", "style.qss", "__init__.py"} <= bundled


def test_spec_bundles_the_qt_catalogs_and_the_entry_point():
    text = SPEC.read_text(encoding="utf-8")
    # engine/qm.py reads the built-in corpora from there
    assert '"PySide6/Qt/translations"' in text
    assert 'copy_metadata("seq2seq-lab")' in text  # --version inside the bundle
    entry = (PACKAGING / "entry.py").read_text(encoding="utf-8")
    assert "from s2s_gui.app import main" in entry
    assert "from engine.cli import main" in entry


def test_compiled_translations_are_committed_beside_their_sources():
    sources = sorted((RESOURCES / "i18n").glob("seq2seq-lab_*.ts"))
    assert sources
    for ts in sources:
        assert ts.with_suffix(".qm").is_file(), ts.name


# ------------------------------------------------------------------ version
def test_about_box_shows_the_pyproject_version(qtbot):
    from s2s_gui.widgets.about_dialog import AboutDialog

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert app_version() == pyproject_version()
    assert pyproject_version() in dialog.title.text()


def test_command_lines_print_the_pyproject_version(capsys):
    from engine.cli import main as s2s_main
    from s2s_gui.app import main as gui_main

    for main, prog in ((s2s_main, "s2s"), (gui_main, "s2s-gui")):
        with pytest.raises(SystemExit) as exit_info:
            main(["--version"])
        assert exit_info.value.code == 0
        assert capsys.readouterr().out.strip() == f"{prog} {pyproject_version()}"
