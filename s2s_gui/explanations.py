"""'What am I looking at?' texts, one per view, for students (kept together to translate).

Each entry is (title, HTML body). Keep them short: a paragraph or two and a citation.
Both are English, marked for lupdate under "Explanations"; ``explanation`` translates.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "Explanations"

EXPLANATIONS: dict[str, tuple[str, str]] = {
    "training": (
        QT_TRANSLATE_NOOP("Explanations", "Training an encoder–decoder"),
        QT_TRANSLATE_NOOP(
            "Explanations",
            "The <b>encoder</b> (an LSTM or GRU) reads the source sentence one piece at a "
            "time and sums it up in its hidden state. The <b>decoder</b> starts from that "
            "state (the <b>context vector</b>) and writes the translation one piece at a "
            "time (Sutskever et al. 2014; Cho et al. 2014).<br>"
            "During training the decoder is shown the correct previous word rather than its "
            "own guess: this is <b>teacher forcing</b>. The loss is the average surprise "
            "(negative log-probability, in nats) of each correct next piece; "
            "<b>perplexity</b> = e<sup>loss</sup> is roughly how many words the model "
            "hesitates between. Dev curves use sentences it never trains on: when they "
            "turn up while the training curve keeps falling, the model is overfitting.",
        ),
    ),
    "probes": (
        QT_TRANSLATE_NOOP("Explanations", "Probe sentences"),
        QT_TRANSLATE_NOOP(
            "Explanations",
            "A few fixed sentences translated greedily at every evaluation, so you can watch "
            "the model learn: first it repeats frequent words, then gets the length right, "
            "then the words. Edit them to ask the model your own questions. The BLEU column "
            "compares each translation to the reference when the sentence is in the dev set.",
        ),
    ),
    "config": (
        QT_TRANSLATE_NOOP("Explanations", "The switches"),
        QT_TRANSLATE_NOOP(
            "Explanations",
            "<b>Reversed source</b>: Sutskever et al. (2014) fed the source backwards, so "
            "the first source words end up close to the first target words; it made "
            "optimisation much easier (BLEU 25.9 → 30.6). <b>Context at every step</b>: "
            "Cho et al. (2014) give the decoder the encoder summary at each step, not only "
            "at the start. <b>Attention</b> lets the decoder look back at every source "
            "position instead of one fixed vector (Bahdanau et al. 2015; Luong et al. 2015).",
        ),
    ),
    "translate": (
        QT_TRANSLATE_NOOP("Explanations", "Greedy and beam search"),
        QT_TRANSLATE_NOOP(
            "Explanations",
            "The decoder gives a probability to every possible next piece. <b>Greedy</b> "
            "decoding takes the most likely one each time; it can paint itself into a "
            "corner. <b>Beam search</b> keeps the <i>k</i> best partial translations "
            "(the beam) at each step and returns the best finished ones — the n-best list "
            "(Sutskever et al. 2014 found a beam of 2 already gets most of the benefit). "
            "The <b>log-prob</b> is the sum of the log-probabilities of the pieces; it "
            "always favours short outputs, so hypotheses are ranked by the "
            "<b>normalised score</b> log-prob / length<sup>α</sup>.",
        ),
    ),
    "beam": (
        QT_TRANSLATE_NOOP("Explanations", "The beam search tree"),
        QT_TRANSLATE_NOOP(
            "Explanations",
            "Left to right: one column per output position. Blue nodes were <b>kept</b> in "
            "the beam, grey ones are the best candidates that were <b>pruned</b>; green "
            "nodes end with the end-of-sentence piece. The number is the accumulated "
            "log-prob. Click a node to see its prefix and the best finished translation "
            "that grew out of it.",
        ),
    ),
    "attention": (
        QT_TRANSLATE_NOOP("Explanations", "Attention"),
        QT_TRANSLATE_NOOP(
            "Explanations",
            "Each row is one output piece; each column a source piece. The colour says how "
            "much the decoder looked at that source position when writing that piece: the "
            "weights of a row sum to 1 (Bahdanau et al. 2015; Luong et al. 2015). For "
            "languages with a similar word order you see a rough diagonal. The bars below "
            "show how sure the model was of each piece (log-prob, 0 = certain); type a "
            "reference to see where the model is <i>surprised</i> by it (forced decoding).",
        ),
    ),
    "states": (
        QT_TRANSLATE_NOOP("Explanations", "Hidden states in two dimensions"),
        QT_TRANSLATE_NOOP(
            "Explanations",
            "Each point is the encoder's final hidden state for one sentence — the vector "
            "the decoder starts from — squeezed from hundreds of dimensions to two with "
            "<b>PCA</b> (the two directions along which the states vary most; the axis "
            "labels say what share of the variance each keeps). Sutskever et al. (2014, "
            "Figure 2) showed that sentences with the same meaning land close together, "
            "while swapping who does what (<i>John admires Mary</i> / <i>Mary admires "
            "John</i>) moves the point: the encoder is sensitive to word order, and fairly "
            "insensitive to active vs passive voice. The plane is fitted once and then "
            "kept, so adding a sentence never moves the others.",
        ),
    ),
    "evaluate": (
        QT_TRANSLATE_NOOP("Explanations", "BLEU and chrF"),
        QT_TRANSLATE_NOOP(
            "Explanations",
            "<b>BLEU</b> (Papineni et al. 2002) counts how many 1- to 4-word sequences of "
            "the translation also appear in the reference, with a penalty for being too "
            "short; 0–100, higher is better. <b>chrF</b> (Popović 2015) compares character "
            "n-grams instead, which is kinder to morphology. The <b>signature</b> says "
            "exactly how the score was computed, so scores can be compared. The two charts "
            "repeat Figure 3 of Sutskever et al. (2014): BLEU by sentence length and by how "
            "rare the sentence's words are. Click a bar to list its sentences.",
        ),
    ),
    "rescore": (
        QT_TRANSLATE_NOOP("Explanations", "Rescoring an n-best list"),
        QT_TRANSLATE_NOOP(
            "Explanations",
            "A classical (phrase-based) system proposes several translations per sentence; "
            "the neural model scores each one, and the two scores are mixed with the "
            "weights below. Sutskever et al. (2014) rescored the 1000-best lists of a "
            "baseline system this way. <b>Oracle</b> BLEU is what a perfect reranker would "
            "get from the same lists: the ceiling.",
        ),
    ),
}


def explanation(key: str) -> tuple[str, str]:
    """(title, HTML body) for a view, in the interface language."""
    title, body = EXPLANATIONS[key]
    tr = QCoreApplication.translate
    return tr(CONTEXT, title), tr(CONTEXT, body)


# Plain words for jargon that labels cannot avoid; shown in tooltips (context "Glossary").
GLOSSARY: dict[str, str] = {
    "model.bridge": QT_TRANSLATE_NOOP(
        "Glossary",
        "Without it the decoder starts from the encoder's final state as it is (their "
        "sizes must then match); with it, a small learned layer translates that state "
        "first, so the two can differ in size or direction count.",
    ),
    "train.batch_scope": QT_TRANSLATE_NOOP(
        "Glossary",
        "Only matters when training on several GPUs at once: whether the batch size is "
        "counted per GPU or for all of them together.",
    ),
    "train.batch_tokens": QT_TRANSLATE_NOOP(
        "Glossary",
        "Batches are filled up to this many word pieces instead of a fixed number of "
        "sentences, so a batch of short sentences holds more of them and every batch "
        "costs about the same memory and time.",
    ),
    "data.model_type": QT_TRANSLATE_NOOP(
        "Glossary",
        "How sentences are cut into pieces (sub-words): unigram and bpe learn frequent "
        "word parts from the corpus; char uses single characters; word whole words.",
    ),
    "moses_nbest": QT_TRANSLATE_NOOP(
        "Glossary",
        "The text format of the Moses toolkit for several translations per sentence, one "
        "per line: 'sentence number ||| translation ||| feature scores ||| total score'.",
    ),
}


def glossary(term: str) -> str:
    """A plain-language note on ``term`` (a config key or a name), or ""."""
    text = GLOSSARY.get(term)
    return QCoreApplication.translate("Glossary", text) if text else ""
