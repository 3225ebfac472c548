"""Start page: Tatoeba downloads, corpora by language name, the last choice restored."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from engine import download as download_module
from engine import tatoeba
from s2s_gui.app import build_window
from s2s_gui.widgets.download_dialog import megabytes
from tests.tatoeba_server import Site, pairs_zip, serve

ZIP = "fra-eng.zip"


@pytest.fixture
def site(monkeypatch):
    with serve(Site(files={ZIP: pairs_zip(3000)})) as served:
        monkeypatch.setenv(tatoeba.BASE_URL_ENV, served.url)
        yield served


def corpus_labels(window) -> dict[str, str]:
    items = window.start_page.builtins
    return {
        items.item(i).data(Qt.ItemDataRole.UserRole): items.item(i).text()
        for i in range(items.count())
    }


def open_dialog(qtbot, window):
    dialog = window.start_page.open_download_dialog()
    qtbot.waitUntil(lambda: "MB" in dialog.size.text(), timeout=10_000)
    return dialog


def part_file() -> Path:
    return tatoeba.folder("fra") / f"{ZIP}.part"


def test_qt_catalogs_are_listed_by_language_name(window):
    labels = corpus_labels(window)
    assert labels["builtin:qt/fr"] == "Qt UI strings: English → French"
    assert labels["builtin:qt/ko"] == "Qt UI strings: English → Korean"
    assert labels["builtin:qt/pt_BR"] == "Qt UI strings: English → Portuguese (Brazil)"


def test_the_dialog_downloads_with_progress_and_the_corpus_is_chosen(
    qtbot, window, site
):
    served = site.files[ZIP]
    dialog = open_dialog(qtbot, window)
    assert dialog.code == "fra"
    assert megabytes(len(served)) in dialog.size.text()  # shown before it starts
    assert "ATTRIBUTION.txt" in dialog.attribution.text()
    seen = []
    window.controller.downloads.progress.connect(lambda ev: seen.append(ev.done))
    with qtbot.waitSignal(dialog.corpus_ready, timeout=20_000) as ready:
        qtbot.mouseClick(dialog.download, Qt.MouseButton.LeftButton)
    assert seen and seen == sorted(seen) and seen[-1] == len(served)
    assert dialog.progress.value() == dialog.progress.maximum()
    assert "3,000 pairs" in dialog.status.text()
    assert ready.args[1] == "tatoeba:fra"
    page = window.start_page
    assert page.builtins.currentItem().data(Qt.ItemDataRole.UserRole) == "tatoeba:fra"
    assert "English → French (3,000 pairs)" in page.builtins.currentItem().text()
    assert window.config_panel.current_config().data.train == "tatoeba:fra"
    assert page.presets[page.preset_list.currentRow()].name == "Sentence pairs"
    assert window.config_panel.current_config().data.tokenizer == "separate"
    assert Path(tatoeba.cached("fra").attribution).is_file()


def test_cancel_keeps_the_part_and_the_reopened_dialog_resumes(
    qtbot, window, site, monkeypatch
):
    monkeypatch.setattr(download_module, "REPORT_EVERY_S", 0.0)
    site.gate = threading.Event()  # the server sends 4 KiB, then waits
    dialog = open_dialog(qtbot, window)
    downloads = window.controller.downloads
    with qtbot.waitSignal(downloads.progress, check_params_cb=lambda ev: ev.done > 0):
        dialog.download.click()
    assert dialog.cancel.isEnabled() and not dialog.download.isEnabled()
    assert dialog.bytes.text().endswith(f"of {megabytes(len(site.files[ZIP]))}")
    with qtbot.waitSignal(downloads.cancelled, timeout=10_000):
        dialog.cancel.click()
        site.gate.set()
    kept = part_file().stat().st_size
    assert 0 < kept < len(site.files[ZIP])
    assert "kept" in dialog.status.text()
    assert tatoeba.cached("fra") is None
    dialog.close()
    site.gate = None
    dialog = window.start_page.open_download_dialog()
    qtbot.waitUntil(lambda: dialog.download.text() == "Resume download")
    assert megabytes(kept) in dialog.size.text()
    with qtbot.waitSignal(dialog.corpus_ready, timeout=20_000):
        dialog.download.click()
    assert site.gets()[-1][2] == f"bytes={kept}-"
    assert Path(tatoeba.cached("fra").path).read_bytes() == site.files[ZIP]


def test_a_corrupt_download_is_refused_in_words(qtbot, window, site):
    site.files[ZIP] = b"<html>Too many requests</html>"
    dialog = open_dialog(qtbot, window)
    with qtbot.waitSignal(window.controller.downloads.failed, timeout=10_000):
        dialog.download.click()
    assert "not a valid zip file" in dialog.status.text()
    # the job reports its error before it finishes: Download comes back at the finish
    qtbot.waitUntil(dialog.download.isEnabled, timeout=10_000)
    assert not part_file().exists()
    assert "tatoeba:fra" not in corpus_labels(window)


def test_the_last_corpus_and_preset_come_back_after_a_restart(
    qtbot, tmp_path, settings, site
):
    first, window = build_window(settings, str(tmp_path / "runs"))
    qtbot.addWidget(window)
    page = window.start_page
    page.select_preset("Cho 2014")
    page.choose_corpus("builtin:qt/ko")
    for _ in tatoeba.download("fra"):  # downloaded meanwhile (e.g. by `s2s download`)
        pass
    assert first.shutdown(timeout_ms=10_000)
    window.close()

    second, again = build_window(settings, str(tmp_path / "runs"))
    qtbot.addWidget(again)
    page = again.start_page
    assert again.config_panel.current_config().data.train == "builtin:qt/ko"
    assert page.presets[page.preset_list.currentRow()].name == "Cho 2014"
    assert "Korean" in page.chosen.text()
    assert corpus_labels(again)["tatoeba:fra"].startswith("Tatoeba: English → French")
    assert second.shutdown(timeout_ms=10_000)


def test_a_dropped_zip_becomes_the_corpus(qtbot, window, tmp_path):
    path = tmp_path / ZIP
    path.write_bytes(pairs_zip(100))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.controller.preview_ready, timeout=20_000) as ready:
        window.start_page.dropEvent(drop)
    assert drop.isAccepted()
    assert window.config_panel.current_config().data.train == str(path)
    assert ready.args[0].report.pairs + ready.args[0].report.dev_pairs == 100
    written = {(f"I see {i} cats.", f"Je vois {i} chats.") for i in range(100)}
    assert set(ready.args[0].pairs) <= written
    assert window.data_view.model.rowCount() == ready.args[0].report.pairs
