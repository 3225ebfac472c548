"""Labels, tooltips and choices of the config form's fields (data only, no widgets).

Labels and tooltips are English, marked for lupdate under "ConfigFields"; the form shows
them through ``field_text`` / ``section_title``, translated, with the paper citations
(kept in English: they name the papers) put in for ``{sutskever}`` and the like.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from engine import config as C

CONTEXT = "ConfigFields"

SUTSKEVER = "Sutskever, Vinyals & Le (2014), Sequence to Sequence Learning with NNs"
CHO = "Cho et al. (2014), Learning Phrase Representations using RNN Encoder-Decoder"
LUONG = "Luong, Pham & Manning (2015), Effective Approaches to Attention-based NMT"
BAHDANAU = (
    "Bahdanau, Cho & Bengio (2015), NMT by Jointly Learning to Align and Translate"
)

CITATIONS = {
    "sutskever": SUTSKEVER,
    "cho": CHO,
    "luong": LUONG,
    "bahdanau": BAHDANAU,
}

SECTION_TITLES = {
    "data": QT_TRANSLATE_NOOP("ConfigFields", "Data"),
    "model": QT_TRANSLATE_NOOP("ConfigFields", "Model"),
    "train": QT_TRANSLATE_NOOP("ConfigFields", "Training"),
    "decode": QT_TRANSLATE_NOOP("ConfigFields", "Decoding"),
}

# key -> (label, tooltip, choices or None)
FIELDS: dict[str, tuple[str, str, tuple[str, ...] | None]] = {
    "data.train": (
        QT_TRANSLATE_NOOP("ConfigFields", "Corpus"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "A file (.tsv, .txt, .tmx, .po, .mo, .ts, .qm), a Moses pair 'a.en|a.fr', or builtin:qt/<lang>, builtin:task/<name>.",
        ),
        None,
    ),
    "data.dev": (
        QT_TRANSLATE_NOOP("ConfigFields", "Dev corpus"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Same forms as the corpus; empty = split off 'dev size' pairs.",
        ),
        None,
    ),
    "data.swap": (
        QT_TRANSLATE_NOOP("ConfigFields", "Swap direction"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Translate the second column into the first."
        ),
        None,
    ),
    "data.dev_size": (
        QT_TRANSLATE_NOOP("ConfigFields", "Dev size"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Pairs split off (deterministically) for evaluation when there is no dev file.",
        ),
        None,
    ),
    "data.max_len": (
        QT_TRANSLATE_NOOP("ConfigFields", "Max length (words)"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Pairs with more words than this on either side are dropped.",
        ),
        None,
    ),
    "data.tokenizer": (
        QT_TRANSLATE_NOOP("ConfigFields", "Tokenizer"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "joint: one sentencepiece model for both sides; separate: one per side.",
        ),
        C.TOKENIZERS,
    ),
    "data.vocab_size": (
        QT_TRANSLATE_NOOP("ConfigFields", "Vocabulary size"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Sentencepiece vocabulary size (capped for small corpora)."
        ),
        None,
    ),
    "data.model_type": (
        QT_TRANSLATE_NOOP("ConfigFields", "Piece model"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Sentencepiece model type (Kudo & Richardson 2018)."
        ),
        ("unigram", "bpe", "char", "word"),
    ),
    "data.task_size": (
        QT_TRANSLATE_NOOP("ConfigFields", "Task size"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Pairs generated for builtin:task/* corpora."
        ),
        None,
    ),
    "data.task_min_len": (
        QT_TRANSLATE_NOOP("ConfigFields", "Task min length"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Shortest generated sequence for builtin tasks."
        ),
        None,
    ),
    "data.task_max_len": (
        QT_TRANSLATE_NOOP("ConfigFields", "Task max length"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Longest generated sequence for builtin tasks."
        ),
        None,
    ),
    "data.seed": (
        QT_TRANSLATE_NOOP("ConfigFields", "Data seed"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Seed for the dev split and generated tasks."
        ),
        None,
    ),
    "model.cell": (
        QT_TRANSLATE_NOOP("ConfigFields", "Cell"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Recurrent cell: plain RNN, GRU ({cho}) or LSTM (Hochreiter & Schmidhuber 1997; used by {sutskever}).",
        ),
        C.CELLS,
    ),
    "model.layers": (
        QT_TRANSLATE_NOOP("ConfigFields", "Layers"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Stacked recurrent layers in encoder and decoder; {sutskever} used 4.",
        ),
        None,
    ),
    "model.emb": (
        QT_TRANSLATE_NOOP("ConfigFields", "Embedding size"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Word-piece embedding size (the paper: 1000)."
        ),
        None,
    ),
    "model.hidden": (
        QT_TRANSLATE_NOOP("ConfigFields", "Hidden size"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Cells per layer (per direction in the encoder; the paper: 1000).",
        ),
        None,
    ),
    "model.dropout": (
        QT_TRANSLATE_NOOP("ConfigFields", "Dropout"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Dropout between layers and on embeddings (Zaremba et al. 2014).",
        ),
        None,
    ),
    "model.bidirectional": (
        QT_TRANSLATE_NOOP("ConfigFields", "Bidirectional encoder"),
        QT_TRANSLATE_NOOP("ConfigFields", "Read the source both ways ({bahdanau})."),
        None,
    ),
    "model.reverse_source": (
        QT_TRANSLATE_NOOP("ConfigFields", "Reverse source"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Feed the source sentence backwards: the paper's trick, sec. 3.3 of {sutskever}.",
        ),
        None,
    ),
    "model.bridge": (
        QT_TRANSLATE_NOOP("ConfigFields", "Bridge layer"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "A learned map from the encoder's final state to the decoder's initial state.",
        ),
        None,
    ),
    "model.context_every_step": (
        QT_TRANSLATE_NOOP("ConfigFields", "Context at every step"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Concatenate the summary vector c to every decoder input and to the output layer ({cho}).",
        ),
        None,
    ),
    "model.attention": (
        QT_TRANSLATE_NOOP("ConfigFields", "Attention"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "none; dot or general ({luong}); concat = additive ({bahdanau}).",
        ),
        C.ATTENTIONS,
    ),
    "model.input_feeding": (
        QT_TRANSLATE_NOOP("ConfigFields", "Input feeding"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Feed the previous attentional vector to the next step, sec. 3.3 of {luong}.",
        ),
        None,
    ),
    "model.init_uniform": (
        QT_TRANSLATE_NOOP("ConfigFields", "Uniform init"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "> 0: every weight drawn from U(-x, x); {sutskever} used 0.08.",
        ),
        None,
    ),
    "model.tie_embeddings": (
        QT_TRANSLATE_NOOP("ConfigFields", "Tie target embeddings"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Share the target embedding matrix with the output layer (Press & Wolf 2017).",
        ),
        None,
    ),
    "train.optimizer": (
        QT_TRANSLATE_NOOP("ConfigFields", "Optimizer"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "sgd ({sutskever}: lr 0.7, no momentum) or adam (Kingma & Ba 2015).",
        ),
        C.OPTIMIZERS,
    ),
    "train.lr": (
        QT_TRANSLATE_NOOP("ConfigFields", "Learning rate"),
        QT_TRANSLATE_NOOP("ConfigFields", "Initial learning rate."),
        None,
    ),
    "train.lr_schedule": (
        QT_TRANSLATE_NOOP("ConfigFields", "LR schedule"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "paper: halve every half epoch after 'halve after epoch' ({sutskever}); plateau: multiply when dev loss stalls.",
        ),
        C.SCHEDULES,
    ),
    "train.halve_after_epoch": (
        QT_TRANSLATE_NOOP("ConfigFields", "Halve after epoch"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Paper schedule: start halving after this epoch (the paper: 5).",
        ),
        None,
    ),
    "train.plateau_factor": (
        QT_TRANSLATE_NOOP("ConfigFields", "Plateau factor"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Plateau schedule: multiply the learning rate by this when dev loss stalls.",
        ),
        None,
    ),
    "train.warmdown": (
        QT_TRANSLATE_NOOP("ConfigFields", "Warm-down fraction"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "warmdown schedule: the final fraction of the run over which the learning "
            "rate falls linearly to zero (with a time limit, the run's length is "
            "estimated from its first steps).",
        ),
        None,
    ),
    "train.batch_size": (
        QT_TRANSLATE_NOOP("ConfigFields", "Batch size"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Sentences per batch (used when the token budget is 0); {sutskever}: 128.",
        ),
        None,
    ),
    "train.batch_tokens": (
        QT_TRANSLATE_NOOP("ConfigFields", "Token budget"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Source + target tokens per batch; 0 = batch by sentence count.",
        ),
        None,
    ),
    "train.batch_scope": (
        QT_TRANSLATE_NOOP("ConfigFields", "Batch scope"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Multi-GPU runs: rank = batch size / token budget per GPU (the job's batch is "
            "N times larger); global = for the whole job, split between the GPUs.",
        ),
        C.BATCH_SCOPES,
    ),
    "train.lr_scale_with_world": (
        QT_TRANSLATE_NOOP("ConfigFields", "Scale LR with GPUs"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Multi-GPU runs: multiply the learning rate by the number of GPUs (the linear "
            "scaling rule, Goyal et al. 2017). Off: the learning rate is used as given.",
        ),
        None,
    ),
    "train.clip": (
        QT_TRANSLATE_NOOP("ConfigFields", "Gradient clipping"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Clip the gradient norm to this ({sutskever}: 5); 0 = off."
        ),
        None,
    ),
    "train.teacher_forcing": (
        QT_TRANSLATE_NOOP("ConfigFields", "Teacher forcing"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Probability of feeding the reference token (1 = always; below 1 mixes in the model's own predictions, Bengio et al. 2015).",
        ),
        None,
    ),
    "train.loss": (
        QT_TRANSLATE_NOOP("ConfigFields", "Loss"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "token: mean over real target tokens; sum: summed per sentence.",
        ),
        C.LOSS_REDUCTIONS,
    ),
    "train.label_smoothing": (
        QT_TRANSLATE_NOOP("ConfigFields", "Label smoothing"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Spread this much probability mass uniformly (Szegedy et al. 2016).",
        ),
        None,
    ),
    "train.epochs": (
        QT_TRANSLATE_NOOP("ConfigFields", "Epochs"),
        QT_TRANSLATE_NOOP("ConfigFields", "Passes over the training data."),
        None,
    ),
    "train.max_steps": (
        QT_TRANSLATE_NOOP("ConfigFields", "Max steps"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Stop after this many updates; 0 = no limit."
        ),
        None,
    ),
    "train.max_minutes": (
        QT_TRANSLATE_NOOP("ConfigFields", "Max minutes"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Stop after this much training time; 0 = no limit."
        ),
        None,
    ),
    "train.log_every": (
        QT_TRANSLATE_NOOP("ConfigFields", "Log every"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Steps between points on the training curves."
        ),
        None,
    ),
    "train.eval_every": (
        QT_TRANSLATE_NOOP("ConfigFields", "Evaluate every"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Steps between dev evaluations (and at every epoch end)."
        ),
        None,
    ),
    "train.bleu_sentences": (
        QT_TRANSLATE_NOOP("ConfigFields", "BLEU sentences"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Dev sentences decoded for BLEU at each evaluation (Papineni et al. 2002).",
        ),
        None,
    ),
    "train.patience": (
        QT_TRANSLATE_NOOP("ConfigFields", "Early-stopping patience"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Evaluations without improvement before stopping; 0 = never stop early.",
        ),
        None,
    ),
    "train.device": (
        QT_TRANSLATE_NOOP("ConfigFields", "Device"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "auto picks CUDA, then Apple MPS, then the CPU."
        ),
        C.DEVICES,
    ),
    "train.bf16": (
        QT_TRANSLATE_NOOP("ConfigFields", "bf16 autocast"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Mixed precision (bf16 matrix products, fp32 weights) on CUDA GPUs and on "
            "CPUs with native bf16 (AVX512-BF16 or AMX), where it trains ~1.5x faster.",
        ),
        None,
    ),
    "train.threads": (
        QT_TRANSLATE_NOOP("ConfigFields", "CPU threads"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Torch CPU threads; 0 = leave one core to the window."
        ),
        None,
    ),
    "train.nan_policy": (
        QT_TRANSLATE_NOOP("ConfigFields", "On NaN loss"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "skip the step, or stop training (the last good checkpoint stays).",
        ),
        C.NAN_POLICIES,
    ),
    "train.seed": (
        QT_TRANSLATE_NOOP("ConfigFields", "Seed"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Seed for initialisation, batching and dropout."
        ),
        None,
    ),
    "decode.beam": (
        QT_TRANSLATE_NOOP("ConfigFields", "Beam size"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Beam width for translation; 1 = greedy ({sutskever}: 2 already helps).",
        ),
        None,
    ),
    "decode.nbest": (
        QT_TRANSLATE_NOOP("ConfigFields", "N-best"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Hypotheses returned per sentence (at most the beam size)."
        ),
        None,
    ),
    "decode.alpha": (
        QT_TRANSLATE_NOOP("ConfigFields", "Length penalty"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "score = logprob / length^alpha (Wu et al. 2016); 0 = off."
        ),
        None,
    ),
    "decode.max_len_ratio": (
        QT_TRANSLATE_NOOP("ConfigFields", "Max length ratio"),
        QT_TRANSLATE_NOOP(
            "ConfigFields", "Longest target = ratio x source length + offset."
        ),
        None,
    ),
    "decode.max_len_offset": (
        QT_TRANSLATE_NOOP("ConfigFields", "Max length offset"),
        QT_TRANSLATE_NOOP("ConfigFields", "Added to ratio x source length."),
        None,
    ),
    "decode.batch_size": (
        QT_TRANSLATE_NOOP("ConfigFields", "Decode batch"),
        QT_TRANSLATE_NOOP("ConfigFields", "Sentences decoded together."),
        None,
    ),
    "decode.exact_stop": (
        QT_TRANSLATE_NOOP("ConfigFields", "Exact beam stop"),
        QT_TRANSLATE_NOOP(
            "ConfigFields",
            "Stop a sentence only when no open hypothesis could win at any length "
            "(provably the beam's best; slower with a length penalty). Off: stop when "
            "none beats the finished ones at its current length (the usual rule).",
        ),
        None,
    ),
}


def section_title(section: str) -> str:
    """A config section's heading in the interface language."""
    return QCoreApplication.translate(CONTEXT, SECTION_TITLES.get(section, section))


def field_text(key: str) -> tuple[str, str, tuple[str, ...] | None]:
    """(label, tooltip, choices) of ``key`` ("model.cell") in the interface language.

    A field missing from FIELDS is labelled with its own name, without a tooltip.
    """
    if key not in FIELDS:
        return key.rpartition(".")[2], "", None
    label, tip, choices = FIELDS[key]
    tip = QCoreApplication.translate(CONTEXT, tip).format(**CITATIONS)
    return QCoreApplication.translate(CONTEXT, label), tip, choices
