"""Build the wheel, install it into a fresh venv and start the app from it (`make wheel-check`).

`python -m tests.wheel_check` builds the wheel from a clean copy of the sources, installs it
into a new venv that borrows its dependencies (torch, PySide6, ...) from the running one,
and starts the installed app offscreen in Korean: it must find its presets, translations,
style sheet and icon in the installed package, not in this checkout. tests/test_wheel.py
checks the wheel's file list with the same build_wheel().
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What the build reads; copying only these keeps stale build/ output and runs out of it.
SOURCES = ("pyproject.toml", "setup.py", "README.md", "engine", "s2s_gui", "resources")


def build_wheel(out_dir: Path) -> Path:
    """Build the wheel from a clean copy of the sources; returns its path."""
    src = out_dir / "src"
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(
                path, src / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            src.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, src / name)
    wheels = out_dir / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps",
         "--no-build-isolation", "--quiet", "-w", str(wheels)],
        check=True,
    )  # fmt: skip
    (wheel,) = wheels.glob("seq2seq_lab-*.whl")
    return wheel


def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def install_in_fresh_venv(wheel: Path, venv: Path) -> Path:
    """A venv holding only the wheel, with the running venv's packages for its deps."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True
    )
    python = venv / "bin" / "python"
    site = subprocess.run(
        [
            str(python),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # A path in a .pth file is appended to sys.path without running the .pth files in
    # it, so the running venv's editable install of this checkout stays out.
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site, "borrowed-deps.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--quiet", str(wheel)],
        check=True,
    )  # fmt: skip
    return python


def smoke() -> None:
    """Runs in the fresh venv: the installed app starts and finds its files."""
    import sysconfig

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = str(Path.cwd() / "home")  # in main()'s work folder, removed afterwards
    os.environ["XDG_CONFIG_HOME"] = os.environ["XDG_DATA_HOME"] = home  # fresh settings

    import engine
    import s2s_gui
    from engine.config import load_config
    from engine.resources import CONFIGS, RESOURCES

    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    for where in (engine.__file__, s2s_gui.__file__, RESOURCES):
        assert Path(where).resolve().is_relative_to(site), f"{where} is not installed"
    assert RESOURCES.name == "seq2seq_lab_resources", RESOURCES

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from s2s_gui.app import main
    from s2s_gui.app_info import APPLICATION, ORGANIZATION
    from s2s_gui.i18n import SETTING
    from s2s_gui.presets import PRESETS

    for stem, _name, _description in PRESETS:  # each preset is a config s2s train reads
        load_config(CONFIGS / f"{stem}.toml")
    app = QApplication(["s2s-gui"])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    QSettings().setValue(SETTING, "ko")
    seen: dict[str, object] = {}

    def inspect() -> None:
        window = next(w for w in app.topLevelWidgets() if hasattr(w, "start_page"))
        items = window.start_page.preset_list
        seen["presets"] = [items.item(i).text() for i in range(items.count())]
        seen["style sheet"] = len(app.styleSheet())
        seen["icon sizes"] = len(app.windowIcon().availableSizes())
        app.quit()

    QTimer.singleShot(200, inspect)  # once main() has shown the window
    code = main([])
    for key, value in seen.items():
        print(f"{key}: {value}")
    assert code == 0, code
    presets = seen["presets"]
    assert len(presets) == len(PRESETS), presets
    assert presets[0].startswith("빠른 데모"), "the Korean translation was not loaded"
    assert seen["style sheet"] and seen["icon sizes"], seen
    print(f"wheel check: the installed app started from {RESOURCES}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.wheel_check")
    parser.add_argument("--smoke", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    if args.smoke:
        smoke()
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="s2s-wheel-"))
    try:
        wheel = build_wheel(work)
        print(f"built {wheel.name} ({wheel.stat().st_size // 1024} KB)")
        python = install_in_fresh_venv(wheel, work / "venv")
        # -I: neither this checkout (the current folder) nor PYTHONPATH is on sys.path.
        subprocess.run(
            [str(python), "-I", str(Path(__file__).resolve()), "--smoke"],
            check=True,
            cwd=work,
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
