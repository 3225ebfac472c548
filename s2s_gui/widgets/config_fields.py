"""Labels, tooltips and choices of the config form's fields (data only, no widgets)."""

from __future__ import annotations

from engine import config as C

SUTSKEVER = "Sutskever, Vinyals & Le (2014), Sequence to Sequence Learning with NNs"
CHO = "Cho et al. (2014), Learning Phrase Representations using RNN Encoder-Decoder"
LUONG = "Luong, Pham & Manning (2015), Effective Approaches to Attention-based NMT"
BAHDANAU = (
    "Bahdanau, Cho & Bengio (2015), NMT by Jointly Learning to Align and Translate"
)

SECTION_TITLES = {
    "data": "Data",
    "model": "Model",
    "train": "Training",
    "decode": "Decoding",
}

# key -> (label, tooltip, choices or None)
FIELDS: dict[str, tuple[str, str, tuple[str, ...] | None]] = {
    "data.train": (
        "Corpus",
        "A file (.tsv, .txt, .tmx, .po, .mo, .ts, .qm), a Moses pair 'a.en|a.fr', or builtin:qt/<lang>, builtin:task/<name>.",
        None,
    ),
    "data.dev": (
        "Dev corpus",
        "Same forms as the corpus; empty = split off 'dev size' pairs.",
        None,
    ),
    "data.swap": (
        "Swap direction",
        "Translate the second column into the first.",
        None,
    ),
    "data.dev_size": (
        "Dev size",
        "Pairs split off (deterministically) for evaluation when there is no dev file.",
        None,
    ),
    "data.max_len": (
        "Max length (words)",
        "Pairs with more words than this on either side are dropped.",
        None,
    ),
    "data.tokenizer": (
        "Tokenizer",
        "joint: one sentencepiece model for both sides; separate: one per side.",
        C.TOKENIZERS,
    ),
    "data.vocab_size": (
        "Vocabulary size",
        "Sentencepiece vocabulary size (capped for small corpora).",
        None,
    ),
    "data.model_type": (
        "Piece model",
        "Sentencepiece model type (Kudo & Richardson 2018).",
        ("unigram", "bpe", "char", "word"),
    ),
    "data.task_size": (
        "Task size",
        "Pairs generated for builtin:task/* corpora.",
        None,
    ),
    "data.task_min_len": (
        "Task min length",
        "Shortest generated sequence for builtin tasks.",
        None,
    ),
    "data.task_max_len": (
        "Task max length",
        "Longest generated sequence for builtin tasks.",
        None,
    ),
    "data.seed": ("Data seed", "Seed for the dev split and generated tasks.", None),
    "model.cell": (
        "Cell",
        f"Recurrent cell: plain RNN, GRU ({CHO}) or LSTM (Hochreiter & Schmidhuber 1997; used by {SUTSKEVER}).",
        C.CELLS,
    ),
    "model.layers": (
        "Layers",
        f"Stacked recurrent layers in encoder and decoder; {SUTSKEVER} used 4.",
        None,
    ),
    "model.emb": (
        "Embedding size",
        "Word-piece embedding size (the paper: 1000).",
        None,
    ),
    "model.hidden": (
        "Hidden size",
        "Cells per layer (per direction in the encoder; the paper: 1000).",
        None,
    ),
    "model.dropout": (
        "Dropout",
        "Dropout between layers and on embeddings (Zaremba et al. 2014).",
        None,
    ),
    "model.bidirectional": (
        "Bidirectional encoder",
        f"Read the source both ways ({BAHDANAU}).",
        None,
    ),
    "model.reverse_source": (
        "Reverse source",
        f"Feed the source sentence backwards: the paper's trick, sec. 3.3 of {SUTSKEVER}.",
        None,
    ),
    "model.bridge": (
        "Bridge layer",
        "A learned map from the encoder's final state to the decoder's initial state.",
        None,
    ),
    "model.context_every_step": (
        "Context at every step",
        f"Concatenate the summary vector c to every decoder input and to the output layer ({CHO}).",
        None,
    ),
    "model.attention": (
        "Attention",
        f"none; dot or general ({LUONG}); concat = additive ({BAHDANAU}).",
        C.ATTENTIONS,
    ),
    "model.input_feeding": (
        "Input feeding",
        f"Feed the previous attentional vector to the next step, sec. 3.3 of {LUONG}.",
        None,
    ),
    "model.init_uniform": (
        "Uniform init",
        f"> 0: every weight drawn from U(-x, x); {SUTSKEVER} used 0.08.",
        None,
    ),
    "model.tie_embeddings": (
        "Tie target embeddings",
        "Share the target embedding matrix with the output layer (Press & Wolf 2017).",
        None,
    ),
    "train.optimizer": (
        "Optimizer",
        f"sgd ({SUTSKEVER}: lr 0.7, no momentum) or adam (Kingma & Ba 2015).",
        C.OPTIMIZERS,
    ),
    "train.lr": ("Learning rate", "Initial learning rate.", None),
    "train.lr_schedule": (
        "LR schedule",
        f"paper: halve every half epoch after 'halve after epoch' ({SUTSKEVER}); plateau: multiply when dev loss stalls.",
        C.SCHEDULES,
    ),
    "train.halve_after_epoch": (
        "Halve after epoch",
        "Paper schedule: start halving after this epoch (the paper: 5).",
        None,
    ),
    "train.plateau_factor": (
        "Plateau factor",
        "Plateau schedule: multiply the learning rate by this when dev loss stalls.",
        None,
    ),
    "train.warmdown": (
        "Warm-down fraction",
        "warmdown schedule: the final fraction of the run over which the learning "
        "rate falls linearly to zero (with a time limit, the run's length is "
        "estimated from its first steps).",
        None,
    ),
    "train.batch_size": (
        "Batch size",
        f"Sentences per batch (used when the token budget is 0); {SUTSKEVER}: 128.",
        None,
    ),
    "train.batch_tokens": (
        "Token budget",
        "Source + target tokens per batch; 0 = batch by sentence count.",
        None,
    ),
    "train.batch_scope": (
        "Batch scope",
        "Multi-GPU runs: rank = batch size / token budget per GPU (the job's batch is "
        "N times larger); global = for the whole job, split between the GPUs.",
        C.BATCH_SCOPES,
    ),
    "train.lr_scale_with_world": (
        "Scale LR with GPUs",
        "Multi-GPU runs: multiply the learning rate by the number of GPUs (the linear "
        "scaling rule, Goyal et al. 2017). Off: the learning rate is used as given.",
        None,
    ),
    "train.clip": (
        "Gradient clipping",
        f"Clip the gradient norm to this ({SUTSKEVER}: 5); 0 = off.",
        None,
    ),
    "train.teacher_forcing": (
        "Teacher forcing",
        "Probability of feeding the reference token (1 = always; below 1 mixes in the model's own predictions, Bengio et al. 2015).",
        None,
    ),
    "train.loss": (
        "Loss",
        "token: mean over real target tokens; sum: summed per sentence.",
        C.LOSS_REDUCTIONS,
    ),
    "train.label_smoothing": (
        "Label smoothing",
        "Spread this much probability mass uniformly (Szegedy et al. 2016).",
        None,
    ),
    "train.epochs": ("Epochs", "Passes over the training data.", None),
    "train.max_steps": (
        "Max steps",
        "Stop after this many updates; 0 = no limit.",
        None,
    ),
    "train.max_minutes": (
        "Max minutes",
        "Stop after this much training time; 0 = no limit.",
        None,
    ),
    "train.log_every": (
        "Log every",
        "Steps between points on the training curves.",
        None,
    ),
    "train.eval_every": (
        "Evaluate every",
        "Steps between dev evaluations (and at every epoch end).",
        None,
    ),
    "train.bleu_sentences": (
        "BLEU sentences",
        "Dev sentences decoded for BLEU at each evaluation (Papineni et al. 2002).",
        None,
    ),
    "train.patience": (
        "Early-stopping patience",
        "Evaluations without improvement before stopping; 0 = never stop early.",
        None,
    ),
    "train.device": (
        "Device",
        "auto picks CUDA, then Apple MPS, then the CPU.",
        C.DEVICES,
    ),
    "train.bf16": ("bf16 autocast", "Mixed precision on CUDA GPUs.", None),
    "train.threads": (
        "CPU threads",
        "Torch CPU threads; 0 = leave one core to the window.",
        None,
    ),
    "train.nan_policy": (
        "On NaN loss",
        "skip the step, or stop training (the last good checkpoint stays).",
        C.NAN_POLICIES,
    ),
    "train.seed": ("Seed", "Seed for initialisation, batching and dropout.", None),
    "decode.beam": (
        "Beam size",
        f"Beam width for translation; 1 = greedy ({SUTSKEVER}: 2 already helps).",
        None,
    ),
    "decode.nbest": (
        "N-best",
        "Hypotheses returned per sentence (at most the beam size).",
        None,
    ),
    "decode.alpha": (
        "Length penalty",
        "score = logprob / length^alpha (Wu et al. 2016); 0 = off.",
        None,
    ),
    "decode.max_len_ratio": (
        "Max length ratio",
        "Longest target = ratio x source length + offset.",
        None,
    ),
    "decode.max_len_offset": (
        "Max length offset",
        "Added to ratio x source length.",
        None,
    ),
    "decode.batch_size": ("Decode batch", "Sentences decoded together.", None),
    "decode.exact_stop": (
        "Exact beam stop",
        "Stop a sentence only when no open hypothesis could win at any length "
        "(provably the beam's best; slower with a length penalty). Off: stop when "
        "none beats the finished ones at its current length (the usual rule).",
        None,
    ),
}
