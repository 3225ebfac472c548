"""The interface speaks Korean when the locale or the ui/language setting says so."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from s2s_gui.i18n import (
    SETTING,
    available_languages,
    install_translators,
    ui_locale,
)


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
