"""The interface speaks Korean when the locale or the ui/language setting says so."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QLabel

from s2s_gui.i18n import (
    CATALOG,
    I18N_DIR,
    SETTING,
    available_languages,
    install_translators,
    ui_locale,
)
from s2s_gui.presets import PRESETS
from s2s_gui.widgets.config_fields import catalog_source

KOREAN_TS = I18N_DIR / f"{CATALOG}_ko.ts"
# What must survive translation unchanged: {format} fields, %1, HTML tags, newlines.
KEPT = re.compile(r"\{[^}]*\}|%n|%\d|<[^>]+>|&nbsp;|\n")


@pytest.fixture
def korean(qapp):
    """Install the Korean translators for one test, then remove them again."""
    installed = []
    default = QLocale()

    def install(locale: QLocale) -> list:
        installed.extend(install_translators(qapp, locale))
        return installed

    yield install
    for translator in installed:
        QApplication.removeTranslator(translator)
    QLocale.setDefault(default)


def build(settings, tmp_path, qtbot):
    from s2s_gui.app import build_window

    controller, window = build_window(settings, str(tmp_path / "runs"))
    qtbot.addWidget(window)
    window.confirm_close = lambda: True
    return controller, window


def tab_titles(window) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def test_korean_locale_translates_the_main_window(korean, settings, tmp_path, qtbot):
    QLocale.setDefault(QLocale("ko_KR"))
    locale = ui_locale(settings)  # no setting: follow the (switched) locale
    assert locale.language() == QLocale.Language.Korean
    assert korean(locale), "no Korean catalog was loaded"
    controller, window = build(settings, tmp_path, qtbot)
    try:
        titles = tab_titles(window)
        assert "학습" in titles and "번역" in titles and "은닉 상태" in titles
        assert window.training_panel.start.text() == "시작"
        menus = [a.text() for a in window.menuBar().actions()]
        assert "파일(&F)" in menus and "도움말(&H)" in menus
        assert window.state_label.text() == "대기"
    finally:
        controller.shutdown(timeout_ms=10_000)
        window.log_view.detach()


def test_language_setting_wins_over_the_locale(korean, settings):
    settings.setValue(SETTING, "ko")
    assert ui_locale(settings).language() == QLocale.Language.Korean
    settings.setValue(SETTING, "en")
    assert ui_locale(settings).language() == QLocale.Language.English


def test_english_stays_english(settings, tmp_path, qtbot):
    controller, window = build(settings, tmp_path, qtbot)
    try:
        assert "Train" in tab_titles(window)
    finally:
        controller.shutdown(timeout_ms=10_000)
        window.log_view.detach()


def test_language_menu_offers_korean_and_stores_the_choice(settings, qtbot):
    from s2s_gui.widgets.language_menu import LanguageMenu

    assert available_languages() == ["en", "ko"]
    menu = LanguageMenu(settings)
    qtbot.addWidget(menu)
    labels = {a.text(): a for a in menu.actions()}
    assert {"System default", "English", "한국어"} <= set(labels)
    labels["한국어"].trigger()
    assert settings.value(SETTING) == "ko"
    boxes = [
        w
        for w in QApplication.topLevelWidgets()
        if w.objectName() == "languageChangedBox"
    ]
    assert boxes, "no note that the change applies at the next start"
    for box in boxes:
        box.close()
        box.deleteLater()


def test_korean_reaches_translate_view_plots_and_config_form(
    korean, settings, tmp_path, qtbot
):
    assert korean(QLocale("ko_KR")), "no Korean catalog was loaded"
    controller, window = build(settings, tmp_path, qtbot)
    try:
        view = window.translate_view
        assert view.controls.greedy.text() == "탐욕 탐색"
        assert view.source.placeholderText() == "문장을 입력하세요 (한 줄에 하나)…"
        assert view.attention.plotItem.titleLabel.text.startswith("어텐션")
        assert "빔 탐색 트리" in view.tree.plotItem.titleLabel.text
        assert "가설" in view.logprobs.plotItem.titleLabel.text
        assert view.picker.button.toolTip().endswith("(예측을 평균합니다).")

        loss = window.plots.plot("Loss")  # the stable key still finds the plot
        assert loss.display_title == "손실"
        assert loss.plotItem.titleLabel.text.startswith("손실")
        assert "퍼플렉서티" in [
            window.plots.export_choice.itemText(i)
            for i in range(window.plots.export_choice.count())
        ]

        panel = window.config_panel
        labels = {label.text() for label in panel.findChildren(QLabel)}
        assert {"<b>학습</b>", "셀", "빔 크기", "토크나이저"} <= labels
        tip = panel.editor("model.cell").toolTip()
        assert tip.startswith("순환 셀") and "Sutskever, Vinyals & Le" in tip

        presets = window.start_page.preset_list
        assert presets.item(0).text().startswith("빠른 데모")
    finally:
        controller.shutdown(timeout_ms=10_000)
        window.log_view.detach()


def ts_messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    """(context, source, translation element) for every message of a .ts file."""
    return [
        (ctx.findtext("name"), msg.findtext("source"), msg.find("translation"))
        for ctx in ET.parse(path).getroot().iter("context")
        for msg in ctx.iter("message")
    ]


def test_korean_catalog_is_finished_and_keeps_placeholders():
    messages = ts_messages(KOREAN_TS)
    assert len(messages) > 400
    unfinished = [
        (ctx, src)
        for ctx, src, tr in messages
        if tr.get("type") == "unfinished" or not (tr.text or "").strip()
    ]
    assert unfinished == []
    for ctx, src, tr in messages:
        assert Counter(KEPT.findall(src)) == Counter(KEPT.findall(tr.text)), (ctx, src)


def test_every_preset_has_a_korean_name_and_description():
    korean = {
        src: tr.text for ctx, src, tr in ts_messages(KOREAN_TS) if ctx == "Presets"
    }
    for _stem, name, description in PRESETS:
        assert korean.get(name) and korean.get(description), name


LUPDATE = Path(sys.executable).with_name("pyside6-lupdate")


@pytest.mark.skipif(not LUPDATE.exists(), reason="pyside6-lupdate is not installed")
def test_every_interface_text_in_the_code_has_a_korean_translation(tmp_path):
    """lupdate over s2s_gui (as `make i18n` runs it) finds nothing untranslated."""
    root = Path(__file__).resolve().parents[2]
    ts = tmp_path / KOREAN_TS.name
    shutil.copy(KOREAN_TS, ts)
    config_texts = tmp_path / "config_texts.py"
    config_texts.write_text(catalog_source(), encoding="utf-8")
    sources = sorted(str(p) for p in (root / "s2s_gui").rglob("*.py"))
    sources.append(str(config_texts))
    subprocess.run(
        [
            str(LUPDATE),
            *sources,
            "-source-language",
            "en",
            "-locations",
            "none",
            "-no-obsolete",
            "-silent",
            "-ts",
            str(ts),
        ],
        check=True,
        capture_output=True,
    )
    new = [(ctx, src) for ctx, src, tr in ts_messages(ts) if tr.get("type")]
    assert new == [], "run `make i18n` and translate these"
