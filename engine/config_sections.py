"""The four config sections: each key's default, label, help, choices and checks."""

from __future__ import annotations

from dataclasses import dataclass

from engine.config_rules import _check, _check_choice, _check_types, key

CELLS = ("rnn", "gru", "lstm")
ATTENTIONS = ("none", "dot", "general", "concat")
OPTIMIZERS = ("sgd", "adam")
SCHEDULES = ("none", "paper", "plateau", "warmdown")
DEVICES = ("auto", "cpu", "cuda", "mps")
TOKENIZERS = ("joint", "separate")
LOSS_REDUCTIONS = ("token", "sum")
NAN_POLICIES = ("skip", "stop")
BATCH_SCOPES = ("rank", "global")
MODEL_TYPES = ("unigram", "bpe", "char", "word")
ENCODERS = ("rnn", "cnn")


@dataclass(frozen=True)
class DataConfig:
    """Where the parallel text comes from and how it is cut into pieces."""

    train: str = key(
        "builtin:task/reverse",
        "Corpus",
        "A file (.tsv, .txt, a Tatoeba .zip, .tmx, .po, .mo, .ts, .qm), a Moses pair "
        "'a.en|a.fr', tatoeba:<xxx> (downloaded), or builtin:qt/<lang>, builtin:task/<name>. "
        "Images (model.encoder = cnn): builtin:images/shapes, a captions .tsv "
        "(image_path<TAB>caption) or a Flickr8k *.token.txt.",
    )
    dev: str | None = key(
        None,
        "Dev corpus",
        "Same forms as the corpus; empty = split off 'dev size' pairs.",
    )
    swap: bool = key(
        False, "Swap direction", "Translate the second column into the first."
    )
    dev_size: int = key(
        500,
        "Dev size",
        "Pairs split off (deterministically) for evaluation when there is no dev file; images for an image corpus (no image is on both sides).",
    )
    max_len: int = key(
        50,
        "Max length (words)",
        "Pairs with more words than this on either side are dropped.",
    )
    tokenizer: str = key(
        "joint",
        "Tokenizer",
        "joint: one sentencepiece model for both sides; separate: one per side.",
        TOKENIZERS,
    )
    vocab_size: int = key(
        8000,
        "Vocabulary size",
        "Sentencepiece vocabulary size (capped for small corpora).",
    )
    model_type: str = key(
        "unigram",
        "Piece model",
        "Sentencepiece model type (Kudo & Richardson 2018).",
        MODEL_TYPES,
    )
    task_size: int = key(
        20000,
        "Task size",
        "Pairs generated for builtin:task/* corpora; images for builtin:images/shapes.",
    )
    task_min_len: int = key(
        3, "Task min length", "Shortest generated sequence for builtin tasks."
    )
    task_max_len: int = key(
        10, "Task max length", "Longest generated sequence for builtin tasks."
    )
    seed: int = key(1, "Data seed", "Seed for the dev split and generated tasks.")
    image_size: int = key(
        64,
        "Image size",
        "Image corpora: every image is resized to this many pixels square before the CNN.",
    )

    def __post_init__(self) -> None:
        _check_types(self, "data")
        _check(bool(self.train.strip()), "data.train", "must name a corpus")
        _check(self.dev_size >= 1, "data.dev_size", "must be at least 1")
        _check(self.max_len >= 1, "data.max_len", "must be at least 1")
        _check_choice(self.tokenizer, TOKENIZERS, "data.tokenizer")
        _check_choice(self.model_type, MODEL_TYPES, "data.model_type")
        _check(
            16 <= self.vocab_size <= 200_000, "data.vocab_size", "must be in 16..200000"
        )
        _check(
            10 <= self.task_size <= 2_000_000,
            "data.task_size",
            "must be in 10..2000000",
        )
        _check(self.task_min_len >= 1, "data.task_min_len", "must be at least 1")
        _check(16 <= self.image_size <= 512, "data.image_size", "must be in 16..512")
        _check(self.task_max_len <= 500, "data.task_max_len", "must be at most 500")
        _check(
            self.task_max_len >= self.task_min_len,
            "data.task_max_len",
            "must be at least data.task_min_len",
        )


@dataclass(frozen=True)
class ModelConfig:
    """The encoder-decoder network (Sutskever et al. 2014; Cho et al. 2014; Luong 2015)."""

    encoder: str = key(
        "rnn",
        "Encoder",
        "rnn reads text; cnn reads images (a captioner: pooled into the decoder's first state, or its grid read by the attention, Xu et al. 2015).",
        ENCODERS,
    )
    cnn_channels: int = key(
        32,
        "CNN channels",
        "cnn encoder: channels of the first block, doubled by each later block.",
    )
    cnn_layers: int = key(
        3,
        "CNN blocks",
        "cnn encoder: blocks of two 3x3 conv + batch norm + ReLU layers, each block halving the image; 64 px and 3 blocks give an 8x8 attention grid.",
    )
    cell: str = key(
        "lstm",
        "Cell",
        "Recurrent cell: plain RNN, GRU ({cho}) or LSTM (Hochreiter & Schmidhuber 1997; used by {sutskever}).",
        CELLS,
    )
    layers: int = key(
        2,
        "Layers",
        "Stacked recurrent layers in encoder and decoder; {sutskever} used 4.",
    )
    emb: int = key(
        256, "Embedding size", "Word-piece embedding size (the paper: 1000)."
    )
    hidden: int = key(
        256,
        "Hidden size",
        "Cells per layer (per direction in the encoder; the paper: 1000).",
    )
    dropout: float = key(
        0.2,
        "Dropout",
        "Dropout between layers and on embeddings (Zaremba et al. 2014).",
    )
    bidirectional: bool = key(
        False, "Bidirectional encoder", "Read the source both ways ({bahdanau})."
    )
    reverse_source: bool = key(
        False,
        "Reverse source",
        "Feed the source sentence backwards: the paper's trick, sec. 3.3 of {sutskever}.",
    )
    bridge: bool = key(
        False,
        "Bridge layer",
        "A learned map from the encoder's final state to the decoder's initial state.",
    )
    context_every_step: bool = key(
        False,
        "Context at every step",
        "Concatenate the summary vector c to every decoder input and to the output layer ({cho}).",
    )
    attention: str = key(
        "dot",
        "Attention",
        "none; dot or general ({luong}); concat = additive ({bahdanau}).",
        ATTENTIONS,
    )
    input_feeding: bool = key(
        False,
        "Input feeding",
        "Feed the previous attentional vector to the next step, sec. 3.3 of {luong}.",
    )
    init_uniform: float = key(
        0.0,
        "Uniform init",
        "> 0: every weight drawn from U(-x, x); {sutskever} used 0.08.",
    )
    tie_embeddings: bool = key(
        False,
        "Tie target embeddings",
        "Share the target embedding matrix with the output layer (Press & Wolf 2017).",
    )

    def __post_init__(self) -> None:
        _check_types(self, "model")
        _check_choice(self.cell, CELLS, "model.cell")
        _check_choice(self.attention, ATTENTIONS, "model.attention")
        _check_choice(self.encoder, ENCODERS, "model.encoder")
        _check(
            1 <= self.cnn_channels <= 1024, "model.cnn_channels", "must be in 1..1024"
        )
        _check(1 <= self.cnn_layers <= 6, "model.cnn_layers", "must be in 1..6")
        for name in ("bidirectional", "reverse_source"):
            _check(
                not (self.encoder == "cnn" and getattr(self, name)),
                f"model.{name}",
                "reads a text source; turn it off for model.encoder = cnn",
            )
        _check(1 <= self.layers <= 16, "model.layers", "must be in 1..16")
        _check(1 <= self.emb <= 8192, "model.emb", "must be in 1..8192")
        _check(1 <= self.hidden <= 8192, "model.hidden", "must be in 1..8192")
        _check(0.0 <= self.dropout < 1.0, "model.dropout", "must be in [0, 1)")
        _check(
            0.0 <= self.init_uniform <= 1.0, "model.init_uniform", "must be in [0, 1]"
        )
        _check(
            not (self.input_feeding and self.attention == "none"),
            "model.input_feeding",
            "needs attention; set model.attention to dot, general or concat",
        )
        _check(
            not (
                self.tie_embeddings
                and self.attention == "none"
                and self.emb != self.hidden
            ),
            "model.tie_embeddings",
            "needs model.emb == model.hidden when there is no attention",
        )


@dataclass(frozen=True)
class TrainConfig:
    """Optimisation, batching, evaluation and stopping."""

    optimizer: str = key(
        "adam",
        "Optimizer",
        "sgd ({sutskever}: lr 0.7, no momentum) or adam (Kingma & Ba 2015).",
        OPTIMIZERS,
    )
    lr: float = key(0.002, "Learning rate", "Initial learning rate.")
    lr_schedule: str = key(
        "warmdown",
        "LR schedule",
        "none: constant; paper: halve every half epoch after 'halve after epoch' ({sutskever}); plateau: multiply when dev loss stalls; warmdown: constant, then down to zero over the run's final 'warm-down fraction'.",
        SCHEDULES,
    )
    halve_after_epoch: float = key(
        5.0,
        "Halve after epoch",
        "Paper schedule: start halving after this epoch (the paper: 5).",
    )
    plateau_factor: float = key(
        0.5,
        "Plateau factor",
        "Plateau schedule: multiply the learning rate by this when dev loss stalls.",
    )
    warmdown: float = key(
        0.3,
        "Warm-down fraction",
        "warmdown schedule: the final fraction of the run over which the learning rate falls linearly to zero (with a time limit, the run's length is estimated from its first steps).",
    )
    batch_size: int = key(
        64,
        "Batch size",
        "Sentences per batch (used when the token budget is 0); {sutskever}: 128.",
    )
    batch_tokens: int = key(
        0,
        "Token budget",
        "Source + target tokens per batch; 0 = batch by sentence count.",
    )
    batch_scope: str = key(
        "rank",
        "Batch scope",
        "Multi-GPU runs: rank = batch size / token budget per GPU (the job's batch is N times larger); global = for the whole job, split between the GPUs.",
        BATCH_SCOPES,
    )
    lr_scale_with_world: bool = key(
        False,
        "Scale LR with GPUs",
        "Multi-GPU runs: multiply the learning rate by the number of GPUs (the linear scaling rule, Goyal et al. 2017). Off: the learning rate is used as given.",
    )
    clip: float = key(
        5.0,
        "Gradient clipping",
        "Clip the gradient norm to this ({sutskever}: 5); 0 = off.",
    )
    teacher_forcing: float = key(
        1.0,
        "Teacher forcing",
        "Probability of feeding the reference token (1 = always; below 1 mixes in the model's own predictions, Bengio et al. 2015).",
    )
    loss: str = key(
        "token",
        "Loss",
        "token: mean over real target tokens; sum: summed per sentence.",
        LOSS_REDUCTIONS,
    )
    label_smoothing: float = key(
        0.1,
        "Label smoothing",
        "Spread this much probability mass uniformly (Szegedy et al. 2016).",
    )
    epochs: int = key(20, "Epochs", "Passes over the training data.")
    max_steps: int = key(0, "Max steps", "Stop after this many updates; 0 = no limit.")
    max_minutes: float = key(
        0.0, "Max minutes", "Stop after this much training time; 0 = no limit."
    )
    log_every: int = key(
        20, "Log every", "Steps between points on the training curves."
    )
    eval_every: int = key(
        500, "Evaluate every", "Steps between dev evaluations (and at every epoch end)."
    )
    bleu_sentences: int = key(
        300,
        "BLEU sentences",
        "Dev sentences decoded for BLEU at each evaluation (Papineni et al. 2002).",
    )
    patience: int = key(
        8,
        "Early-stopping patience",
        "Evaluations without improvement before stopping; 0 = never stop early.",
    )
    device: str = key(
        "auto", "Device", "auto picks CUDA, then Apple MPS, then the CPU.", DEVICES
    )
    bf16: bool = key(
        True,
        "bf16 autocast",
        "Mixed precision (bf16 matrix products, fp32 weights) on CUDA GPUs and on CPUs with native bf16 (AVX512-BF16 or AMX), where it trains ~1.5x faster.",
    )
    threads: int = key(
        0,
        "CPU threads",
        "Torch CPU threads; 0 = chosen for this machine (the app leaves one core to its window).",
    )
    nan_policy: str = key(
        "skip",
        "On NaN loss",
        "skip the step, or stop training (the last good checkpoint stays).",
        NAN_POLICIES,
    )
    seed: int = key(1, "Seed", "Seed for initialisation, batching and dropout.")

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
            0.0 <= self.teacher_forcing <= 1.0,
            "train.teacher_forcing",
            "must be in [0, 1]",
        )
        _check(
            0.0 <= self.label_smoothing < 1.0,
            "train.label_smoothing",
            "must be in [0, 1)",
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

    beam: int = key(
        5,
        "Beam size",
        "Beam width for translation; 1 = greedy ({sutskever}: 2 already helps).",
    )
    nbest: int = key(
        1, "N-best", "Hypotheses returned per sentence (at most the beam size)."
    )
    alpha: float = key(
        0.6,
        "Length penalty",
        "score = logprob / length^alpha (Wu et al. 2016); 0 = off.",
    )
    max_len_ratio: float = key(
        2.0, "Max length ratio", "Longest target = ratio x source length + offset."
    )
    max_len_offset: int = key(
        10, "Max length offset", "Added to ratio x source length."
    )
    max_len: int = key(
        0,
        "Max length",
        "A fixed longest output (image captions); 0 = ratio x source length + offset.",
    )
    batch_size: int = key(64, "Decode batch", "Sentences decoded together.")
    exact_stop: bool = key(
        False,
        "Exact beam stop",
        "Stop a sentence only when no open hypothesis could win at any length (provably the beam's best; slower with a length penalty). Off: stop when none beats the finished ones at its current length (the usual rule).",
    )

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
        _check(
            0.0 < self.max_len_ratio <= 10.0,
            "decode.max_len_ratio",
            "must be in (0, 10]",
        )
        _check(self.max_len_offset >= 0, "decode.max_len_offset", "must be >= 0")
        _check(0 <= self.max_len <= 1024, "decode.max_len", "must be in 0..1024")
        _check(self.batch_size >= 1, "decode.batch_size", "must be at least 1")
