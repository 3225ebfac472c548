"""sentencepiece tokenizers: training from a corpus, loading, encoding and decoding."""

from __future__ import annotations

import io
import logging
import os
import random
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import sentencepiece as spm

from engine.config import DataConfig
from engine.data import Corpus, DataError
from engine.special import BOS, EOS, PAD, UNK
from engine.utils import atomic_write_bytes

logger = logging.getLogger(__name__)

# Vocabularies at least this big get byte fallback and guaranteed digit pieces.
BYTE_FALLBACK_MIN_VOCAB = 1024
MAX_TRAINING_SENTENCES = 300_000  # a random sample of this many is enough for the vocab
JOINT_FILE, SRC_FILE, TGT_FILE = "spm.model", "src.model", "tgt.model"
_TOO_SMALL = re.compile(
    r"Vocabulary size is smaller than required_chars\. \d+ vs (\d+)"
)


def _sample(sentences: Iterable[str], limit: int, seed: int) -> list[str]:
    """Non-empty sentences; a seeded reservoir sample of ``limit`` when there are more."""
    rng = random.Random(seed)
    kept: list[str] = []
    for i, sentence in enumerate(s for s in sentences if s.strip()):
        if len(kept) < limit:
            kept.append(sentence)
        else:
            j = rng.randint(0, i)
            if j < limit:
                kept[j] = sentence
    return kept


class Tokenizer:
    """A sentencepiece model with PAD=0, UNK=1, BOS=2, EOS=3."""

    def __init__(self, processor: spm.SentencePieceProcessor, path: Path) -> None:
        self._sp = processor
        self.path = Path(path)
        self.vocab_size: int = processor.get_piece_size()

    @classmethod
    def train(
        cls,
        sentences: Iterable[str],
        path: Path,
        vocab_size: int,
        model_type: str = "unigram",
        seed: int = 1,
    ) -> Tokenizer:
        """Train a model on ``sentences`` and write it (atomically) to ``path``.

        ``vocab_size`` is an upper bound: a small corpus gets the vocabulary it supports
        (and at least the characters it needs), never an error. Nothing but ``path`` is
        written: the sentences are streamed to sentencepiece from memory.

        Raises:
            DataError: no non-empty sentence to train on.
        """
        path = Path(path)
        data = _sample(sentences, MAX_TRAINING_SENTENCES, seed)
        if not data:
            raise DataError(path, None, "no text to train the tokenizer on")
        spm.set_random_generator_seed(seed)
        size = vocab_size
        for _ in range(3):
            writer = io.BytesIO()
            try:
                spm.SentencePieceTrainer.train(
                    sentence_iterator=iter(data),
                    model_writer=writer,
                    vocab_size=size,
                    model_type=model_type,
                    pad_id=PAD,
                    unk_id=UNK,
                    bos_id=BOS,
                    eos_id=EOS,
                    hard_vocab_limit=False,
                    split_digits=True,
                    character_coverage=0.9995,
                    # Real vocabularies: digits always get pieces, and characters rarer
                    # than the coverage become UTF-8 byte pieces instead of <unk>.
                    byte_fallback=size >= BYTE_FALLBACK_MIN_VOCAB,
                    required_chars="0123456789"
                    if size >= BYTE_FALLBACK_MIN_VOCAB
                    else "",
                    input_sentence_size=0,
                    num_threads=max(1, min(2, os.cpu_count() or 1)),
                    minloglevel=2,
                )
                break
            except RuntimeError as exc:
                match = _TOO_SMALL.search(str(exc))
                if match is None:
                    raise DataError(
                        path, None, f"tokenizer training failed: {exc}"
                    ) from None
                size = int(match.group(1))
                logger.info("vocabulary raised to %d to cover every character", size)
        else:  # pragma: no cover - sentencepiece asked for more characters three times
            raise DataError(
                path, None, "tokenizer training failed: vocabulary too small"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, writer.getvalue())
        tokenizer = cls.load(path)
        logger.info(
            "tokenizer %s: %d pieces (%s, asked for %d) from %d sentences",
            path.name,
            tokenizer.vocab_size,
            model_type,
            vocab_size,
            len(data),
        )
        return tokenizer

    @classmethod
    def load(cls, path: str | Path) -> Tokenizer:
        """Load a model file; a missing or damaged file raises :class:`DataError`."""
        path = Path(path)
        if not path.is_file():
            raise DataError(path, None, "tokenizer model not found")
        processor = spm.SentencePieceProcessor()
        try:
            processor.load(str(path))
        except (RuntimeError, OSError) as exc:
            raise DataError(path, None, f"not a sentencepiece model: {exc}") from None
        ids = (
            processor.pad_id(),
            processor.unk_id(),
            processor.bos_id(),
            processor.eos_id(),
        )
        if ids != (PAD, UNK, BOS, EOS):
            raise DataError(
                path,
                None,
                f"special ids (pad, unk, bos, eos) are {ids}, expected 0, 1, 2, 3",
            )
        return cls(processor, path)

    def encode(self, text: str) -> list[int]:
        """Piece ids of ``text`` without BOS/EOS."""
        return self._sp.encode(text)

    def encode_batch(self, texts: Sequence[str]) -> list[list[int]]:
        """Piece ids of several texts (faster than one by one)."""
        return self._sp.encode(list(texts))

    def pieces(self, text: str) -> list[str]:
        """The pieces of ``text`` as strings (``▁`` marks a preceding space)."""
        return self._sp.encode(text, out_type=str)

    def decode(self, ids: Iterable[int]) -> str:
        """Text of ``ids``: stops at the first EOS, drops PAD and BOS."""
        kept: list[int] = []
        for i in ids:
            i = int(i)
            if i == EOS:
                break
            if i not in (PAD, BOS):
                kept.append(i)
        return self._sp.decode(kept)

    def id_to_piece(self, i: int) -> str:
        """The piece string of id ``i``."""
        return self._sp.id_to_piece(int(i))

    def __repr__(self) -> str:
        return f"Tokenizer({self.path.name!r}, vocab_size={self.vocab_size})"


def _sides(pairs: Sequence[tuple[str, str]], side: int | None) -> Iterator[str]:
    for pair in pairs:
        if side is None:
            yield from pair
        else:
            yield pair[side]


def train_tokenizers(
    corpus: Corpus, cfg: DataConfig, out_dir: Path
) -> tuple[Tokenizer, Tokenizer]:
    """Train the tokenizer(s) on the training pairs and store them in ``out_dir``.

    ``cfg.tokenizer == "joint"``: one ``spm.model`` for both sides (returned twice);
    ``"separate"``: ``src.model`` and ``tgt.model``. An image corpus gets ``tgt.model``
    alone and an ``engine.image_source.ImageSource`` for its source side (its settings
    are read from the ``config.toml`` already in ``out_dir``).
    """
    out_dir = Path(out_dir)
    args = {
        "vocab_size": cfg.vocab_size,
        "model_type": cfg.model_type,
        "seed": cfg.seed,
    }
    if corpus.images:
        from engine.image_source import ImageSource

        tgt = Tokenizer.train(_sides(corpus.train, 1), out_dir / TGT_FILE, **args)
        return ImageSource.for_run(out_dir), tgt
    if cfg.tokenizer == "joint":
        tok = Tokenizer.train(_sides(corpus.train, None), out_dir / JOINT_FILE, **args)
        return tok, tok
    src = Tokenizer.train(_sides(corpus.train, 0), out_dir / SRC_FILE, **args)
    tgt = Tokenizer.train(_sides(corpus.train, 1), out_dir / TGT_FILE, **args)
    return src, tgt


def load_tokenizers(out_dir: Path) -> tuple[Tokenizer, Tokenizer]:
    """Load the tokenizer(s) that :func:`train_tokenizers` stored in ``out_dir``
    (an image run: its ``ImageSource`` and target tokenizer)."""
    out_dir = Path(out_dir)
    if (out_dir / JOINT_FILE).is_file():
        tok = Tokenizer.load(out_dir / JOINT_FILE)
        return tok, tok
    if (out_dir / TGT_FILE).is_file() and not (out_dir / SRC_FILE).exists():
        from engine.image_source import ImageSource

        return ImageSource.for_run(out_dir), Tokenizer.load(out_dir / TGT_FILE)  # type: ignore[return-value]
    if (out_dir / SRC_FILE).is_file() or (out_dir / TGT_FILE).is_file():
        return Tokenizer.load(out_dir / SRC_FILE), Tokenizer.load(out_dir / TGT_FILE)
    raise DataError(
        out_dir, None, f"no tokenizer: expected {JOINT_FILE} or {SRC_FILE}+{TGT_FILE}"
    )
