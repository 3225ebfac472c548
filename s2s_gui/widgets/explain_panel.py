"""A collapsible 'What am I looking at?' panel showing one text from explanations.py."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QToolButton, QVBoxLayout, QWidget

from s2s_gui.explanations import explanation

logger = logging.getLogger(__name__)


class ExplainPanel(QWidget):
    """A toggle button; when open, a framed paragraph for students."""

    def __init__(
        self, key: str, expanded: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        title, body = explanation(key)
        self.key = key
        self.toggle = QToolButton()
        self.toggle.setText(
            self.tr("What am I looking at? — {title}").format(title=title)
        )
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.setObjectName("explainToggle")
        self.body = QLabel(body)
        self.body.setObjectName("explainBody")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.frame = QFrame()
        self.frame.setObjectName("explainFrame")
        inner = QVBoxLayout(self.frame)
        inner.setContentsMargins(8, 4, 8, 6)
        inner.addWidget(self.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.frame)
        self.toggle.toggled.connect(self._on_toggled)
        self.toggle.setChecked(expanded)
        self._on_toggled(expanded)

    def _on_toggled(self, on: bool) -> None:
        self.toggle.setArrowType(
            Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow
        )
        self.frame.setVisible(on)
