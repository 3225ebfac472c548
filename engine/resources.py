"""Where the data files in the repository's resources/ folder are, in a checkout or a wheel.

The style sheet, icons, interface translations and configs (the app's presets among them)
live in ``resources/`` at the top of the repository; ``setup.py`` installs that folder as
the package ``seq2seq_lab_resources``. Everything that reads one of those files asks this
module for its path.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE = "seq2seq_lab_resources"  # the name setup.py gives resources/ in a wheel
_SOURCE_TREE = Path(__file__).resolve().parents[1]


def _locate() -> Path:
    # A source tree (a checkout, installed in editable mode or not) reads the resources/
    # beside the code it runs, so a second checkout never reads the first one's files.
    if (_SOURCE_TREE / "pyproject.toml").is_file():
        return _SOURCE_TREE / "resources"
    # Qt opens files by name, so the package must lie unpacked on disk (as a wheel
    # installs it); Path() refuses a zip archive's entry rather than hand out a bad name.
    return Path(files(PACKAGE))


RESOURCES = _locate()
CONFIGS = RESOURCES / "configs"  # TOML configs for `s2s train`; the app's presets
