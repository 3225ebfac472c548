"""Frozen, validated configuration dataclasses and their TOML form."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

CELLS = ("rnn", "gru", "lstm")
ATTENTIONS = ("none", "dot", "general", "concat")
OPTIMIZERS = ("sgd", "adam")
SCHEDULES = ("none", "paper", "plateau", "warmdown")
DEVICES = ("auto", "cpu", "cuda", "mps")
TOKENIZERS = ("joint", "separate")
LOSS_REDUCTIONS = ("token", "sum")
NAN_POLICIES = ("skip", "stop")
BATCH_SCOPES = ("rank", "global")


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
            _check(isinstance(value, bool), key, f"must be true or false; got {value!r}")
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


@dataclass(frozen=True)
class DataConfig:
    """Where the parallel text comes from and how it is cut into pieces."""

    train: str = "builtin:task/reverse"  # file path, "SRC_FILE|TGT_FILE", or builtin:
    dev: str | None = None  # same forms; None = split off `dev_size` pairs
    swap: bool = False  # translate the second column into the first
    dev_size: int = 500  # pairs split off (deterministically) when no dev file
    max_len: int = 50  # pairs with more words than this on either side are dropped
    tokenizer: str = "joint"  # one sentencepiece model for both sides, or one each
    vocab_size: int = 8000  # capped for small corpora
    model_type: str = "unigram"  # sentencepiece model type: unigram|bpe|char|word
    task_size: int = 20000  # pairs generated for builtin:task/*
    task_min_len: int = 3
    task_max_len: int = 10
    seed: int = 1

    def __post_init__(self) -> None:
        _check_types(self, "data")
        _check(bool(self.train.strip()), "data.train", "must name a corpus")
        _check(self.dev_size >= 1, "data.dev_size", "must be at least 1")
        _check(self.max_len >= 1, "data.max_len", "must be at least 1")
        _check_choice(self.tokenizer, TOKENIZERS, "data.tokenizer")
        _check_choice(self.model_type, ("unigram", "bpe", "char", "word"), "data.model_type")
        _check(16 <= self.vocab_size <= 200_000, "data.vocab_size", "must be in 16..200000")
        _check(
            10 <= self.task_size <= 2_000_000, "data.task_size", "must be in 10..2000000"
        )
        _check(self.task_min_len >= 1, "data.task_min_len", "must be at least 1")
        _check(self.task_max_len <= 500, "data.task_max_len", "must be at most 500")
        _check(
            self.task_max_len >= self.task_min_len,
            "data.task_max_len",
            "must be at least data.task_min_len",
        )


@dataclass(frozen=True)
class ModelConfig:
    """The encoder-decoder network (Sutskever et al. 2014; Cho et al. 2014; Luong 2015)."""

    cell: str = "lstm"  # rnn | gru | lstm
    layers: int = 2  # the paper used 4
    emb: int = 256
    hidden: int = 256  # per direction in the encoder
    dropout: float = 0.2
    bidirectional: bool = False
    reverse_source: bool = False  # Sutskever et al. 2014, sec. 3.3
    bridge: bool = False  # learned map from encoder final state to decoder start
    context_every_step: bool = False  # Cho et al. 2014: context fed at every step
    attention: str = "dot"  # none | dot | general (Luong 2015) | concat (Bahdanau 2015)
    input_feeding: bool = False  # Luong 2015 sec. 3.3
    init_uniform: float = 0.0  # >0: U(-x, x) for every weight (paper: 0.08)
    tie_embeddings: bool = False  # share target embedding with the output layer

    def __post_init__(self) -> None:
        _check_types(self, "model")
        _check_choice(self.cell, CELLS, "model.cell")
        _check_choice(self.attention, ATTENTIONS, "model.attention")
        _check(1 <= self.layers <= 16, "model.layers", "must be in 1..16")
        _check(1 <= self.emb <= 8192, "model.emb", "must be in 1..8192")
        _check(1 <= self.hidden <= 8192, "model.hidden", "must be in 1..8192")
        _check(0.0 <= self.dropout < 1.0, "model.dropout", "must be in [0, 1)")
        _check(0.0 <= self.init_uniform <= 1.0, "model.init_uniform", "must be in [0, 1]")
        _check(
            not (self.input_feeding and self.attention == "none"),
            "model.input_feeding",
            "needs attention; set model.attention to dot, general or concat",
        )
        _check(
            not (self.tie_embeddings and self.attention == "none" and self.emb != self.hidden),
            "model.tie_embeddings",
            "needs model.emb == model.hidden when there is no attention",
        )


@dataclass(frozen=True)
class TrainConfig:
    """Optimisation, batching, evaluation and stopping."""

    optimizer: str = "adam"  # sgd (paper: lr 0.7, no momentum) | adam
    lr: float = 0.002
    # none | paper (halve every half epoch) | plateau | warmdown (constant, then linear
    # to zero over the last `warmdown` of the planned run: its steps, or with max_minutes
    # the steps the measured speed will reach in that time)
    lr_schedule: str = "warmdown"
    halve_after_epoch: float = 5.0  # paper schedule: start halving after this epoch
    plateau_factor: float = 0.5  # plateau schedule: multiply lr when dev loss stalls
    warmdown: float = 0.3  # warmdown schedule: the final fraction of the run that decays
    batch_size: int = 64  # sentences per batch (used when batch_tokens == 0)
    batch_tokens: int = 0  # token budget per batch (source+target); 0 = by sentences
    # Under torchrun: "rank" = batch_size/batch_tokens per process (the job's batch is
    # world_size times larger); "global" = for the whole job, split over the processes.
    batch_scope: str = "rank"
    lr_scale_with_world: bool = False  # under torchrun: lr x world_size (linear rule)
    clip: float = 5.0  # gradient-norm clipping (paper: 5); 0 = off
    teacher_forcing: float = 1.0  # probability of feeding the reference token
    loss: str = "token"  # token (mean over real tokens) | sum (per sentence)
    label_smoothing: float = 0.1
    epochs: int = 20
    max_steps: int = 0  # 0 = no limit
    max_minutes: float = 0.0  # 0 = no limit
    log_every: int = 20
    eval_every: int = 500  # steps between dev evaluations (and at every epoch end)
    bleu_sentences: int = 300  # dev sentences decoded for BLEU at each evaluation
    patience: int = 8  # evaluations without improvement before stopping; 0 = never
    device: str = "auto"  # auto | cpu | cuda | mps
    bf16: bool = True  # bf16 autocast on CUDA and on CPUs with AVX512-BF16 or AMX
    threads: int = 0  # torch CPU threads; 0 = all cores
    nan_policy: str = "skip"  # skip the step | stop training
    seed: int = 1

    def __post_init__(self) -> None:
        _check_types(self, "train")
        _check_choice(self.optimizer, OPTIMIZERS, "train.optimizer")
        _check_choice(self.lr_schedule, SCHEDULES, "train.lr_schedule")
        _check_choice(self.device, DEVICES, "train.device")
        _check_choice(self.loss, LOSS_REDUCTIONS, "train.loss")
        _check_choice(self.nan_policy, NAN_POLICIES, "train.nan_policy")
        _check_choice(self.batch_scope, BATCH_SCOPES, "train.batch_scope")
        _check(0.0 < self.lr <= 10.0, "train.lr", "must be in (0, 10]")
        _check(self.halve_after_epoch >= 0, "train.halve_after_epoch", "must be >= 0")
        _check(0 < self.plateau_factor < 1, "train.plateau_factor", "must be in (0, 1)")
        _check(0 < self.warmdown <= 1, "train.warmdown", "must be in (0, 1]")
        _check(self.batch_size >= 1, "train.batch_size", "must be at least 1")
        _check(self.batch_tokens >= 0, "train.batch_tokens", "must be >= 0")
        _check(self.clip >= 0, "train.clip", "must be >= 0")
        _check(
            0.0 <= self.teacher_forcing <= 1.0, "train.teacher_forcing", "must be in [0, 1]"
        )
        _check(
            0.0 <= self.label_smoothing < 1.0, "train.label_smoothing", "must be in [0, 1)"
        )
        _check(self.epochs >= 1, "train.epochs", "must be at least 1")
        _check(self.max_steps >= 0, "train.max_steps", "must be >= 0")
        _check(self.max_minutes >= 0, "train.max_minutes", "must be >= 0")
        _check(self.log_every >= 1, "train.log_every", "must be at least 1")
        _check(self.eval_every >= 1, "train.eval_every", "must be at least 1")
        _check(self.bleu_sentences >= 0, "train.bleu_sentences", "must be >= 0")
        _check(self.patience >= 0, "train.patience", "must be >= 0")
        _check(0 <= self.threads <= 1024, "train.threads", "must be in 0..1024")


@dataclass(frozen=True)
class DecodeConfig:
    """Greedy or beam search settings."""

    beam: int = 5  # 1 = greedy
    nbest: int = 1  # hypotheses returned per sentence (<= beam)
    alpha: float = 0.6  # length normalisation: score = logprob / len**alpha; 0 = off
    max_len_ratio: float = 2.0  # max target length = ratio * source length + offset
    max_len_offset: int = 10
    batch_size: int = 64  # sentences decoded together
    # A sentence's search ends once no open hypothesis beats its n-best finished ones at
    # the open one's current length (the usual rule). exact_stop: only once none could at
    # any length up to the limit -- provably the beam's best, but with alpha > 0 it
    # usually runs to the length limit (several times slower).
    exact_stop: bool = False

    def __post_init__(self) -> None:
        _check_types(self, "decode")
        _check(1 <= self.beam <= 256, "decode.beam", "must be in 1..256")
        _check(self.nbest >= 1, "decode.nbest", "must be at least 1")
        _check(
            self.nbest <= self.beam,
            "decode.nbest",
            f"n-best ({self.nbest}) cannot exceed the beam size ({self.beam})",
        )
        _check(0.0 <= self.alpha <= 5.0, "decode.alpha", "must be in [0, 5]")
        _check(0.0 < self.max_len_ratio <= 10.0, "decode.max_len_ratio", "must be in (0, 10]")
        _check(self.max_len_offset >= 0, "decode.max_len_offset", "must be >= 0")
        _check(self.batch_size >= 1, "decode.batch_size", "must be at least 1")


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
        for key, value in values.items():
            if value is not None:
                lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def save_config(config: Config, path: str | Path) -> None:
    from engine.utils import atomic_write_text

    atomic_write_text(Path(path), dumps_config(config))


__all__ = [
    "Config",
    "ConfigError",
    "DataConfig",
    "DecodeConfig",
    "ModelConfig",
    "TrainConfig",
    "dumps_config",
    "load_config",
    "loads_config",
    "replace",
    "save_config",
]
