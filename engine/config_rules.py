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


# When a key does something, given the other keys' values (``raw``: section -> name ->
# value, as a form holds them, valid or not) and the machine (``env``: "bf16" whether
# the chosen device computes in bf16 natively, "gpus" how many CUDA GPUs are visible).
# A form disables a key whose rule is false and shows the reason as its tooltip.
def _is_task(raw: Mapping[str, Any], env: Mapping[str, Any]) -> bool:
    spec = str(raw["data"].get("train", "")).strip()
    return spec.startswith(("builtin:task/", "builtin:images/"))


def _is_cnn(raw: Mapping[str, Any], env: Mapping[str, Any]) -> bool:
    return raw["model"].get("encoder") == "cnn"


def _schedule(name: str) -> Any:
    return lambda raw, env: raw["train"].get("lr_schedule") == name


_TASK_ONLY = "Used only by the generated builtin:task/* and builtin:images/* corpora."
_CNN_ONLY = "Used only by the cnn encoder (image captioning)."
_MULTI_GPU = "Used only by multi-GPU runs; this machine has fewer than 2 CUDA GPUs."
APPLIES_WHEN: dict[str, tuple[Any, str]] = {
    "data.task_size": (_is_task, _TASK_ONLY),
    "data.task_min_len": (_is_task, _TASK_ONLY),
    "data.task_max_len": (_is_task, _TASK_ONLY),
    "data.image_size": (_is_cnn, _CNN_ONLY),
    "model.cnn_channels": (_is_cnn, _CNN_ONLY),
    "model.cnn_layers": (_is_cnn, _CNN_ONLY),
    "data.dev_size": (
        lambda raw, env: not raw["data"].get("dev"),
        "The pairs of 'Dev corpus' are the dev set.",
    ),
    "model.input_feeding": (
        lambda raw, env: raw["model"].get("attention") != "none",
        "Needs attention: 'Attention' is none.",
    ),
    "train.halve_after_epoch": (
        _schedule("paper"),
        "Used only by the 'paper' LR schedule.",
    ),
    "train.plateau_factor": (
        _schedule("plateau"),
        "Used only by the 'plateau' LR schedule.",
    ),
    "train.warmdown": (
        _schedule("warmdown"),
        "Used only by the 'warmdown' LR schedule.",
    ),
    "train.batch_size": (
        lambda raw, env: not raw["train"].get("batch_tokens"),
        "The token budget sets the batch size (0 = batch by sentences).",
    ),
    "train.batch_scope": (lambda raw, env: env.get("gpus", 0) > 1, _MULTI_GPU),
    "train.lr_scale_with_world": (lambda raw, env: env.get("gpus", 0) > 1, _MULTI_GPU),
    "train.bf16": (
        lambda raw, env: bool(env.get("bf16", True)),
        "The chosen device has no native bf16: it needs a CUDA GPU, or a CPU with "
        "AVX512-BF16 or AMX.",
    ),
}


def inactive_reason(
    name: str, raw: Mapping[str, Mapping[str, Any]], env: Mapping[str, Any]
) -> str | None:
    """Why key ``name`` does nothing with these values on this machine, or None."""
    rule = APPLIES_WHEN.get(name)
    if rule is None:
        return None
    applies, reason = rule
    try:
        return None if applies(raw, env) else reason
    except (KeyError, TypeError, AttributeError):  # a half-filled form: keep it active
        return None
