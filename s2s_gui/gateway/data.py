"""Corpora for the data view: built-in ones, a preview with a throw-away tokenizer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale

from s2s_gui.state import CorpusPreview

translate = QCoreApplication.translate  # thread-safe; lupdate collects the calls
PREVIEW_PAIRS = 20_000


def builtin_corpora() -> list[tuple[str, str]]:
    """(label, spec) for the synthetic tasks and the Qt catalogs installed (GUI thread)."""
    from engine.data import builtin_qt_languages
    from engine.tasks import TASKS

    task, qt = (
        translate("Workers", "Task: {name}"),
        translate("Workers", "Qt UI strings: English → {lang}"),
    )
    out = [(task.format(name=name), f"builtin:task/{name}") for name in TASKS]
    out += [
        (qt.format(lang=language_name(lang)), f"builtin:qt/{lang}")
        for lang in builtin_qt_languages()
    ]
    return out


def language_name(code: str) -> str:
    """A catalog's language by name: "fr" -> "French", "pt_BR" -> "Portuguese (Brazil)"."""
    locale = QLocale(code)
    if locale.language() in (QLocale.Language.C, QLocale.Language.AnyLanguage):
        return code
    name = QLocale.languageToString(locale.language())
    if "_" in code:
        name += f" ({QLocale.territoryToString(locale.territory())})"
    return name


def preview_corpus(
    should_stop: Callable[[], bool], data_cfg: Any, out_dir: Path
) -> tuple[CorpusPreview, Any] | None:
    """Read a corpus and train a throw-away tokenizer on it (a worker thread).

    Returns:
        (CorpusPreview, source Tokenizer), or None when stopped.
    """
    from engine.data import load_corpus
    from engine.tokenizer import UNK, train_tokenizers

    corpus = load_corpus(data_cfg)
    if should_stop():
        return None
    if getattr(corpus, "images", False):  # captions of pictures: no source tokenizer
        from s2s_gui.gateway.images import image_preview

        return image_preview(corpus, data_cfg, out_dir)
    src_tok, tgt_tok = train_tokenizers(corpus, data_cfg, out_dir)
    sample = corpus.train[:PREVIEW_PAIRS]
    ids = src_tok.encode_batch([s for s, _ in sample[:2000]])
    ids += tgt_tok.encode_batch([t for _, t in sample[:2000]])
    pieces = sum(len(x) for x in ids)
    unk = sum(x.count(UNK) for x in ids)
    preview = CorpusPreview(
        spec=data_cfg.train,
        report=corpus.report,
        pairs=tuple(sample),
        src_vocab=src_tok.vocab_size,
        tgt_vocab=tgt_tok.vocab_size,
        unk_rate=unk / max(pieces, 1),
    )
    return preview, src_tok


def tokenize(tokenizer: Any, text: str) -> list[tuple[str, int]]:
    """Pieces and ids of a short text (GUI thread: microseconds)."""
    ids = tokenizer.encode(text)
    return [(tokenizer.id_to_piece(i), i) for i in ids]


def device_label(device: str, threads: int) -> str:
    """The name of the device ``train.device`` resolves to here."""
    import torch

    from engine.utils import pick_device

    try:
        picked = pick_device(device)
    except RuntimeError as exc:
        return str(exc)
    if picked.type == "cuda":
        return f"CUDA: {torch.cuda.get_device_name(picked)}"
    if picked.type == "mps":
        return "Apple MPS"
    text = (
        translate("Workers", "CPU (1 thread)")
        if threads == 1
        else translate("Workers", "CPU ({n} threads)")
    )
    return text.format(n=threads)


def int8_available() -> bool:
    """Whether this PyTorch build can decode with 8-bit weights (x86/fbgemm)."""
    from engine.quantize import int8_available as _available

    return _available()


def bf16_available(device: str) -> bool:
    """Whether ``train.device`` resolves here to a device with native bf16."""
    import torch

    from engine.utils import cpu_has_native_bf16, pick_device

    try:
        picked = pick_device(device)
    except RuntimeError:
        return False
    if picked.type == "cuda":
        return torch.cuda.is_bf16_supported()
    return picked.type == "cpu" and cpu_has_native_bf16()
