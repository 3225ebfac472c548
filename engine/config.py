"""A run's whole configuration: the four sections, overrides, help and TOML form."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from engine.config_rules import (
    APPLIES_WHEN,
    CITATIONS,
    ConfigError,
    _from_mapping,
    inactive_reason,
)
from engine.config_sections import (
    DataConfig,
    DecodeConfig,
    ModelConfig,
    TrainConfig,
)


@dataclass(frozen=True)
class Config:
    """Everything a run needs; the TOML file has one table per section."""

    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    decode: DecodeConfig = field(default_factory=DecodeConfig)

    SECTIONS = {
        "data": DataConfig,
        "model": ModelConfig,
        "train": TrainConfig,
        "decode": DecodeConfig,
    }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Config:
        unknown = sorted(set(raw) - set(cls.SECTIONS))
        if unknown:
            raise ConfigError(
                f"unknown section(s) {', '.join(unknown)}; known: data, model, train, decode",
                unknown[0],
            )
        parts = {
            name: _wrap_type_errors(section, raw.get(name, {}), name)
            for name, section in cls.SECTIONS.items()
        }
        return cls(**parts)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return {name: asdict(getattr(self, name)) for name in self.SECTIONS}

    def with_overrides(self, assignments: list[str]) -> Config:
        """Apply ``section.key=value`` strings (values parsed as TOML scalars)."""
        raw = self.to_dict()
        for assignment in assignments:
            key, sep, text = assignment.partition("=")
            section, dot, name = key.strip().partition(".")
            if not sep or not dot:
                raise ConfigError(f"expected section.key=value; got {assignment!r}")
            if section not in raw:
                raise ConfigError("unknown section", section)
            raw[section][name] = parse_scalar(text.strip())
        return Config.from_dict(raw)


def config_keys() -> list[str]:
    """Every key as "section.name", in the order of the dataclasses."""
    return [
        f"{name}.{f.name}" for name, cls in Config.SECTIONS.items() for f in fields(cls)
    ]


def key_help(name: str) -> tuple[str, str, tuple[str, ...] | None]:
    """(label, help, choices) of a key such as "model.cell", as written in the source.

    The help keeps its ``{sutskever}``-style placeholders so that a translation can
    look it up; ``describe_keys`` and the form fill them from ``CITATIONS``.
    """
    section, _, field_name = name.partition(".")
    cls = Config.SECTIONS.get(section)
    meta = (
        next((f.metadata for f in fields(cls) if f.name == field_name), None)
        if cls
        else None
    )
    if not meta:
        raise KeyError(name)
    return meta["label"], meta["help"], meta["choices"]


def describe_keys(section: str | None = None) -> str:
    """Plain-text help for every config key (or one section's), with defaults."""
    lines: list[str] = []
    for name, cls in Config.SECTIONS.items():
        if section not in (None, name):
            continue
        lines.append(f"[{name}]")
        for f in fields(cls):
            label, help_, choices = key_help(f"{name}.{f.name}")
            default = _toml_value(f.default) if f.default is not None else "(none)"
            lines.append(f"  {f.name} = {default}    # {label}")
            lines.append(f"      {help_.format(**CITATIONS)}")
            if choices:
                lines.append(f"      one of: {', '.join(choices)}")
        lines.append("")
    return "\n".join(lines)


def _wrap_type_errors(section: type, raw: Any, name: str) -> Any:
    try:
        return _from_mapping(section, raw, name)
    except TypeError as exc:  # e.g. a missing required field
        raise ConfigError(str(exc), name) from None


def parse_scalar(text: str) -> Any:
    """Parse one TOML value; bare words that are not TOML are taken as strings."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def load_config(path: str | Path) -> Config:
    """Read a TOML config; every error names the file and, where known, the key."""
    from engine.readers import file_problem

    path = Path(path)
    problem = file_problem(path)  # a FIFO or device would block or never end
    if problem == "no such file":
        raise ConfigError(f"{path}: no such file")
    if problem:
        raise ConfigError(f"{path}: cannot read: {problem}")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    return loads_config(text, source=str(path))


def loads_config(text: str, source: str = "<config>") -> Config:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    try:
        return Config.from_dict(raw)
    except ConfigError as exc:
        err = ConfigError(f"{source}: {exc.reason}", exc.key)
        raise err from None


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def dumps_config(config: Config) -> str:
    """The TOML text of a config; ``loads_config(dumps_config(c)) == c``."""
    lines: list[str] = []
    for name, values in config.to_dict().items():
        lines.append(f"[{name}]")
        for field_name, value in values.items():
            if value is not None:
                lines.append(f"{field_name} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def save_config(config: Config, path: str | Path) -> None:
    from engine.utils import atomic_write_text

    atomic_write_text(Path(path), dumps_config(config))


__all__ = [
    "APPLIES_WHEN",
    "CITATIONS",
    "Config",
    "ConfigError",
    "DataConfig",
    "DecodeConfig",
    "ModelConfig",
    "TrainConfig",
    "config_keys",
    "describe_keys",
    "dumps_config",
    "inactive_reason",
    "key_help",
    "load_config",
    "loads_config",
    "replace",
    "save_config",
]
