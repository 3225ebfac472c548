"""Tatoeba sentence pairs for the app: the languages offered, downloads, what is cached."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate  # thread-safe; lupdate collects the calls


@dataclass(frozen=True)
class Fetched:
    """A downloaded corpus as the Start page lists it."""

    label: str
    spec: str  # "tatoeba:fra"
    pairs: int
    folder: str  # where the zip and ATTRIBUTION.txt are kept
    attribution: str  # the path of ATTRIBUTION.txt


def languages() -> list[tuple[str, str]]:
    """(code, English name) of the languages offered, by name."""
    from engine.tatoeba import LANGUAGES

    return sorted(LANGUAGES.items(), key=lambda item: item[1])


def data_folder() -> str:
    """Where downloads are kept (``$S2S_DATA_DIR`` or the platform's data folder)."""
    from engine.tatoeba import data_dir

    return str(data_dir() / "tatoeba")


def _label(name: str, pairs: int) -> str:
    return translate("Downloads", "Tatoeba: English → {lang} ({pairs} pairs)").format(
        lang=name, pairs=f"{pairs:,}"
    )


def _fetched(corpus: Any) -> Fetched:
    return Fetched(
        label=_label(corpus.name, corpus.pairs),
        spec=corpus.spec,
        pairs=corpus.pairs,
        folder=str(corpus.attribution.parent),
        attribution=str(corpus.attribution),
    )


def downloaded_corpora() -> list[tuple[str, str]]:
    """(label, spec) of the corpora downloaded before (a few small files: GUI thread)."""
    from engine.tatoeba import downloaded

    return [(f.label, f.spec) for f in map(_fetched, downloaded())]


def plan(should_stop: Callable[[], bool], code: str) -> Any:
    """engine.tatoeba.DownloadPlan: size, bytes already here, or the cached corpus."""
    from engine.tatoeba import plan as plan_download

    return plan_download(code)


def fetch(
    should_stop: Callable[[], bool], code: str
) -> Generator[Any, None, Fetched | None]:
    """Download (or reuse) ``code``'s pairs; yields engine DownloadProgress events."""
    from engine.tatoeba import download

    corpus = yield from download(code, should_stop)
    return None if corpus is None else _fetched(corpus)
