"""View > Language: pick the interface language; it applies at the next start."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from s2s_gui.i18n import NATIVE_NAMES, SETTING, available_languages, chosen_language


class LanguageMenu(QMenu):
    """A "System default" entry plus one checkable entry per shipped language."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("&Language"), parent)
        self.setObjectName("languageMenu")
        self._settings = settings
        group = QActionGroup(self)
        current = chosen_language(settings)
        entries = [("", self.tr("System default"))]
        entries += [(c, NATIVE_NAMES.get(c, c)) for c in available_languages()]
        for code, label in entries:
            action = QAction(label, self, checkable=True)
            action.setData(code)
            action.setChecked(code == current)
            group.addAction(action)
            self.addAction(action)
        group.triggered.connect(self._on_language_triggered)
        self.addSeparator()
        note = self.addAction(self.tr("Takes effect after a restart"))
        note.setEnabled(False)

    def _on_language_triggered(self, action: QAction) -> None:
        code = str(action.data() or "")
        if code == chosen_language(self._settings):
            return
        self._settings.setValue(SETTING, code)
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Language"),
            self.tr("The new language applies the next time Seq2Seq Lab starts."),
            parent=self.parentWidget() or self,
        )
        box.setObjectName("languageChangedBox")
        box.open()  # window-modal, does not block the event loop
