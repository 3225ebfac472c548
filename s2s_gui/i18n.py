"""Interface language: the system locale or the "ui/language" setting, Qt translators."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTranslator,
)

from engine.resources import RESOURCES

logger = logging.getLogger(__name__)

I18N_DIR = RESOURCES / "i18n"
CATALOG = "seq2seq-lab"  # resources/i18n/seq2seq-lab_<lang>.ts / .qm
SETTING = "ui/language"  # "" = follow the system locale, else a code such as "ko"
SOURCE_LANGUAGE = "en"
# Each language is named in itself, so a person can find theirs in any interface language.
NATIVE_NAMES = {"en": "English", "ko": "한국어"}


def available_languages(folder: Path = I18N_DIR) -> list[str]:
    """English (the source) and every language with a compiled catalog in ``folder``."""
    found = {p.stem.removeprefix(f"{CATALOG}_") for p in folder.glob(f"{CATALOG}_*.qm")}
    return [SOURCE_LANGUAGE, *sorted(found - {SOURCE_LANGUAGE})]


def chosen_language(settings: QSettings) -> str:
    """The setting's language code, or "" when the app follows the system locale."""
    return str(settings.value(SETTING, "") or "")


def ui_locale(settings: QSettings) -> QLocale:
    """The locale whose translations the interface loads."""
    code = chosen_language(settings)
    return QLocale(code) if code else QLocale()  # the default locale: the system's


def install_translators(
    app: QCoreApplication, locale: QLocale, folder: Path = I18N_DIR
) -> list[QTranslator]:
    """Load our catalog and Qt's own (standard buttons, dialogs) for ``locale``.

    Returns:
        The installed translators; keep them alive as long as the app runs.
    """
    installed: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, where in ((CATALOG, str(folder)), ("qtbase", qt_dir)):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", where):
            app.installTranslator(translator)
            installed.append(translator)
            logger.debug("translations: %s", translator.filePath())
        elif locale.language() not in (QLocale.Language.English, QLocale.Language.C):
            logger.info("no %s translation for %s", name, locale.name())
    return installed
