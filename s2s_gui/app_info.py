"""Who the app is: names, desktop id, version (from the installed package metadata)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "seq2seq-lab"  # pyproject [project] name; its version is the only one
ORGANIZATION = "Seq2Seq Lab"
ORGANIZATION_DOMAIN = "seq2seqlab.github.io"
APPLICATION = "Seq2Seq Lab"
APP_ID = "io.github.seq2seqlab.Seq2SeqLab"  # .desktop and metainfo file names, Wayland app id
HOMEPAGE = "https://github.com/seq2seqlab/seq2seq-lab"  # placeholder until published
LICENSE = "MIT"


def app_version() -> str:
    """The version pyproject.toml declares, as installed; "unknown" outside an install."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown"
