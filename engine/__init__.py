"""The Seq2Seq Lab engine: pure Python + PyTorch, no Qt (see README.md for each module).

The public API is re-exported lazily, so ``import engine.config`` stays light:

    from engine import Config, Trainer, Translator, build_model
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Config": "engine.config",
    "ConfigError": "engine.config",
    "DataConfig": "engine.config",
    "ModelConfig": "engine.config",
    "TrainConfig": "engine.config",
    "DecodeConfig": "engine.config",
    "load_config": "engine.config",
    "build_model": "engine.model",
    "Seq2Seq": "engine.model",
    "Trainer": "engine.training",
    "Translator": "engine.translate",
    "beam_search": "engine.search",
    "greedy_decode": "engine.search",
    "load_corpus": "engine.data",
    "DataError": "engine.data",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'engine' has no attribute {name!r}")
