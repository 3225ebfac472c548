"""What goes into the wheel; the rest of the packaging is in pyproject.toml.

pyproject.toml alone cannot say this: resources/ stays a top-level folder of the repository
but is installed as the package seq2seq_lab_resources, beside the code's packages, so an
installed app (pip, pipx) finds its style sheet, icons, translations and configs through
importlib.resources (engine/resources.py). tests/test_wheel.py checks the wheel's contents.
"""

from setuptools import find_packages, setup

RESOURCES = "seq2seq_lab_resources"

setup(
    packages=[
        *find_packages(include=["engine", "engine.*", "s2s_gui", "s2s_gui.*"]),
        RESOURCES,
    ],
    package_dir={RESOURCES: "resources"},
    # Only what the app reads: not the .ts translation sources, nor anything else that
    # may sit in resources/ of a working tree.
    include_package_data=False,
    package_data={
        RESOURCES: [
            "style.qss",
            "configs/*.toml",
            "i18n/*.qm",
            "icons/*.svg",
            "icons/hicolor/*/apps/*.png",
        ]
    },
)
