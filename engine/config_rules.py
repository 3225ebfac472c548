"""Validation helpers and per-key metadata (label, help, choices) for engine.config."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import field, fields
from typing import Any

# Papers the keys' help cites as {sutskever} and the like, filled in by ``key_help``.
CITATIONS = {
    "sutskever": "Sutskever, Vinyals & Le (2014), Sequence to Sequence Learning with NNs",
    "cho": "Cho et al. (2014), Learning Phrase Representations using RNN Encoder-Decoder",
    "luong": "Luong, Pham & Manning (2015), Effective Approaches to Attention-based NMT",
    "bahdanau": "Bahdanau, Cho & Bengio (2015), NMT by Jointly Learning to Align and Translate",
}


def key(
    default: Any, label: str, help: str, choices: tuple[str, ...] | None = None
) -> Any:
    """A config field whose label, help and choices live beside its default.

    The form, the ``s2s keys`` listing and the translation catalog all read this
    metadata, so each key is described in exactly one place.
    """
    return field(
        default=default, metadata={"label": label, "help": help, "choices": choices}
    )


class ConfigError(ValueError):
    """A configuration value is unknown, of the wrong type, or out of range.

    ``key`` names the offending key as ``section.name`` so that a form can show the
    message next to the field that caused it.
    """

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(f"{key}: {message}" if key else message)
        self.key = key
        self.reason = message


def _check(ok: bool, key: str, message: str) -> None:
    if not ok:
        raise ConfigError(message, key)


def _check_choice(value: str, choices: tuple[str, ...], key: str) -> None:
    _check(value in choices, key, f"must be one of {', '.join(choices)}; got {value!r}")


def _check_types(obj: Any, section: str) -> None:
    """Reject values whose type does not match the field's annotation."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        key = f"{section}.{f.name}"
        kind = f.type if isinstance(f.type, str) else f.type.__name__
        if kind == "bool":
            _check(
                isinstance(value, bool), key, f"must be true or false; got {value!r}"
            )
        elif kind == "int":
            _check(
                isinstance(value, int) and not isinstance(value, bool),
                key,
                f"must be a whole number; got {value!r}",
            )
        elif kind == "float":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            _check(ok and math.isfinite(value), key, f"must be a number; got {value!r}")
        elif kind == "str":
            _check(isinstance(value, str), key, f"must be text; got {value!r}")
        elif kind == "str | None":
            _check(value is None or isinstance(value, str), key, "must be text")


def _from_mapping(cls: type, raw: Mapping[str, Any], section: str) -> Any:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"must be a table; got {type(raw).__name__}", section)
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise ConfigError(
            f"unknown key(s) {', '.join(unknown)}; known keys: {', '.join(sorted(names))}",
            f"{section}.{unknown[0]}",
        )
    values = dict(raw)
    for f in fields(cls):  # TOML has no float/int distinction for 1 vs 1.0
        if f.type == "float" and isinstance(values.get(f.name), int):
            if not isinstance(values[f.name], bool):
                values[f.name] = float(values[f.name])
    return cls(**values)
