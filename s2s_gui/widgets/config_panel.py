"""The configuration form: every engine switch, with the engine's own validation."""

from __future__ import annotations

import logging
from dataclasses import fields
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.config import Config, ConfigError, load_config, parse_scalar, save_config
from s2s_gui.widgets.config_fields import field_text, inactive_text, section_title

logger = logging.getLogger(__name__)

TRAIN_SPLIT = "epochs"  # the first [train] key of the form's second Training column


class ConfigPanel(QWidget):
    """Edits a Config; shows a ConfigError next to the field whose ``key`` it names."""

    config_changed = Signal(object)  # Config, or None while invalid
    error_changed = Signal(str)  # "" when valid

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editors: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self._types: dict[str, str] = {}
        self._labels: dict[str, QLabel] = {}
        self._tips: dict[str, str] = {}
        # the machine, for keys that depend on it: {"bf16": bool, "gpus": int}
        self._env: dict[str, object] = {}
        self._loading = True  # no validation until every field exists
        self._config: Config | None = Config()
        self.error_key: str | None = None
        columns = QHBoxLayout()
        defaults = Config()
        # Four columns of similar height, so that the form fits a laptop screen: the
        # long Training section is cut in two at TRAIN_SPLIT, Decoding goes under it.
        parts = {}
        for section, cls in Config.SECTIONS.items():
            names = [f.name for f in fields(cls)]
            cut = names.index(TRAIN_SPLIT) if section == "train" else len(names)
            values = getattr(defaults, section)
            parts[section] = self._build_section(section, cls, values, names[:cut])
            if cut < len(names):
                parts["train2"] = self._build_section(
                    section,
                    cls,
                    values,
                    names[cut:],
                    self.tr("Training: length, evaluation, device"),
                )
        last = QWidget()
        stack = QVBoxLayout(last)
        stack.setContentsMargins(0, 0, 0, 0)
        for name in ("train2", "decode"):
            if name in parts:
                stack.addWidget(parts.pop(name))
        stack.addStretch(1)
        for part in (*parts.values(), last):
            columns.addWidget(part, 0, Qt.AlignmentFlag.AlignTop)
        body = QWidget()
        body.setLayout(columns)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        self.banner = QLabel()
        self.banner.setObjectName("errorBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        buttons = QHBoxLayout()
        self.load_button = QPushButton(self.tr("Load TOML…"))
        self.save_button = QPushButton(self.tr("Save TOML…"))
        self.load_button.clicked.connect(self._on_load_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        buttons.addWidget(
            QLabel(
                self.tr(
                    "Hover over a field to see what it does and where it comes from."
                )
            )
        )
        buttons.addStretch(1)
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.banner)
        layout.addWidget(scroll)
        self._loading = False
        self._apply_rules()

    def _build_section(
        self,
        section: str,
        cls: type,
        values: Any,
        names: list[str],
        title: str | None = None,
    ) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        form.addRow(QLabel(f"<b>{title or section_title(section)}</b>"))
        for f in fields(cls):
            if f.name not in names:
                continue
            key = f"{section}.{f.name}"
            label, tip, choices = field_text(key)
            editor = self._make_editor(str(f.type), choices)
            editor.setToolTip(tip)
            editor.setObjectName(key)
            error = QLabel()
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.hide()
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(1)
            cell_layout.addWidget(editor)
            cell_layout.addWidget(error)
            row_label = QLabel(label)
            row_label.setToolTip(tip)
            form.addRow(row_label, cell)
            self._editors[key], self._errors[key], self._types[key] = (
                editor,
                error,
                str(f.type),
            )
            self._labels[key], self._tips[key] = row_label, tip
            self._set_value(key, getattr(values, f.name))
        return box

    def _make_editor(self, kind: str, choices: tuple[str, ...] | None) -> QWidget:
        if choices:
            combo = QComboBox()
            combo.addItems(list(choices))
            combo.currentTextChanged.connect(self._on_edited)
            return combo
        if kind == "bool":
            check = QCheckBox()
            check.toggled.connect(self._on_edited)
            return check
        if kind == "int":
            spin = QSpinBox()
            spin.setRange(-1_000_000_000, 1_000_000_000)  # the engine checks ranges
            spin.valueChanged.connect(self._on_edited)
            return spin
        line = QLineEdit()
        line.textChanged.connect(self._on_edited)
        return line

    # ------------------------------------------------------------------ values
    def _set_value(self, key: str, value: Any) -> None:
        editor = self._editors[key]
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(value))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value))
        else:
            editor.setText("" if value is None else str(value))

    def _value(self, key: str) -> Any:
        editor = self._editors[key]
        if isinstance(editor, QComboBox):
            return editor.currentText()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QSpinBox):
            return editor.value()
        text = editor.text().strip()
        if self._types[key] == "float":
            return parse_scalar(text) if text else text
        if self._types[key] == "str | None":
            return text or None
        return editor.text()

    def raw(self) -> dict[str, dict[str, Any]]:
        raw: dict[str, dict[str, Any]] = {s: {} for s in Config.SECTIONS}
        for key in self._editors:
            section, _, name = key.partition(".")
            raw[section][name] = self._value(key)
        return raw

    # ------------------------------------------------------------------ public
    def current_config(self) -> Config | None:
        """The form's Config, or None when the engine rejects it (error shown)."""
        return self._config

    def set_config(self, config: Config) -> None:
        self._loading = True
        try:
            for section, values in config.to_dict().items():
                for name, value in values.items():
                    self._set_value(f"{section}.{name}", value)
        finally:
            self._loading = False
        self._validate()

    def set_value(self, key: str, value: Any) -> None:
        """Set one field, e.g. ``set_value("data.train", "builtin:task/reverse")``."""
        self._set_value(key, value)

    def editor(self, key: str) -> QWidget:
        return self._editors[key]

    def error_text(self, key: str) -> str:
        label = self._errors[key]
        return label.text() if not label.isHidden() else ""

    def load_file(self, path: str) -> None:
        """Fill the form from a TOML file; raises ConfigError when it is invalid."""
        self.set_config(load_config(path))

    def save_file(self, path: str) -> None:
        """Write the form as the TOML that `s2s train` reads (only when valid)."""
        if self._config is None:
            raise ConfigError(self.tr("The configuration has an error; fix it first."))
        save_config(self._config, path)

    def _on_load_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Load configuration"), "", "TOML (*.toml)"
        )
        if path:
            try:
                self.load_file(path)
            except ConfigError as exc:
                self._show_error(exc.key, str(exc))

    def _on_save_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save configuration"), "config.toml", "TOML (*.toml)"
        )
        if path:
            try:
                self.save_file(path)
            except (ConfigError, OSError) as exc:
                self._show_error(None, str(exc))

    # ------------------------------------------------------------------ validation
    def _on_edited(self, *_: object) -> None:
        if not self._loading:
            self._validate()

    def _validate(self) -> None:
        for label in self._errors.values():
            label.hide()
        for editor in self._editors.values():
            editor.setProperty("invalid", False)
            editor.style().polish(editor)
        try:
            self._config, self.error_key = Config.from_dict(self.raw()), None
            self.banner.hide()
            message = ""
        except ConfigError as exc:
            self._config, self.error_key = None, exc.key
            message = exc.reason if exc.key in self._errors else str(exc)
            self._show_error(exc.key, message)
        self._apply_rules()
        self.error_changed.emit(message)
        self.config_changed.emit(self._config)

    # ------------------------------------------------------------------ rules
    def set_environment(self, **env: object) -> None:
        """What the machine offers (``bf16``, ``gpus``): fields that need more are
        disabled."""
        if env != self._env:
            self._env = dict(env)
            self._apply_rules()

    def inactive_reason(self, key: str) -> str | None:
        """Why ``key``'s field is disabled, or None when it is active."""
        return inactive_text(key, self.raw(), self._env)

    def _apply_rules(self) -> None:
        """Disable the fields that do nothing in the current setting, saying why."""
        raw = self.raw()
        for key, editor in self._editors.items():
            reason = inactive_text(key, raw, self._env)
            tip = self._tips[key]
            if reason is not None:
                tip = self.tr("Not used now: {reason}").format(reason=reason) + (
                    "\n\n" + tip
                )
            editor.setEnabled(reason is None)
            editor.setToolTip(tip)
            self._labels[key].setEnabled(reason is None)
            self._labels[key].setToolTip(tip)

    def _show_error(self, key: str | None, message: str) -> None:
        if key in self._errors:
            self._errors[key].setText(message)
            self._errors[key].show()
            editor = self._editors[key]
            editor.setProperty("invalid", True)
            editor.style().polish(editor)
            self.banner.setText(
                self.tr("Fix {field}: {message}").format(
                    field=field_text(key)[0], message=message
                )
            )
        else:
            self.banner.setText(message)
        self.banner.show()
