"""Help > About: version, what the app is, license and credits."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from s2s_gui.app_info import APPLICATION, HOMEPAGE, LICENSE, app_version


class AboutDialog(QDialog):
    """A small fixed dialog; every sentence goes through tr()."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("About %1").replace("%1", APPLICATION))
        icon = QLabel()
        icon.setPixmap(QIcon(self.windowIcon()).pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title = QLabel(
            f"<h2>{APPLICATION}</h2>"
            + self.tr("Version %1").replace("%1", app_version())
        )
        self.title.setObjectName("aboutVersion")
        body = QLabel(self._body_html())
        body.setWordWrap(True)
        body.setOpenExternalLinks(True)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(body)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addLayout(text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _body_html(self) -> str:
        paragraphs = [
            self.tr(
                "A desktop laboratory for sequence-to-sequence learning: train "
                "encoder-decoder networks while the curves grow live, translate with "
                "beam search and look at the hidden states."
            ),
            self.tr("Released under the %1 license.").replace("%1", LICENSE),
            self.tr(
                "After Sutskever, Vinyals and Le (2014), <i>Sequence to Sequence "
                "Learning with Neural Networks</i>; Cho et al. (2014), <i>Learning "
                "Phrase Representations using RNN Encoder-Decoder</i>; Bahdanau, Cho "
                "and Bengio (2015) and Luong, Pham and Manning (2015) on attention."
            ),
            self.tr(
                "The screenshots and benchmarks use sentence pairs from Tatoeba "
                "(tatoeba.org), CC-BY 2.0 FR. The built-in corpora read the Qt "
                "translation catalogs that PySide6 installs, by the Qt translators."
            ),
            f'<a href="{HOMEPAGE}">{HOMEPAGE}</a>',
        ]
        return "".join(f"<p>{p}</p>" for p in paragraphs)
