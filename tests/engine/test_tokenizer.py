"""sentencepiece wrapper: special ids, small-corpus caps, round trips, files, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.config import DataConfig
from engine.data import DataError, load_corpus
from engine.tokenizer import (
    BOS,
    EOS,
    PAD,
    UNK,
    Tokenizer,
    load_tokenizers,
    train_tokenizers,
)

SENTENCES = [
    "the cat sat on the mat",
    "a dog ran in the park",
    "the bird sang a song",
    "le chat est sur le tapis",
    "un chien court dans le parc",
] * 10


@pytest.fixture(scope="module")
def tok(tmp_path_factory: pytest.TempPathFactory) -> Tokenizer:
    path = tmp_path_factory.mktemp("tok") / "spm.model"
    return Tokenizer.train(SENTENCES, path, vocab_size=8000)


def test_special_ids_and_small_corpus_cap(tok: Tokenizer) -> None:
    assert (PAD, UNK, BOS, EOS) == (0, 1, 2, 3)
    assert [tok.id_to_piece(i) for i in range(4)] == ["<pad>", "<unk>", "<s>", "</s>"]
    assert 20 < tok.vocab_size < 8000  # capped to what the tiny corpus supports
    assert tok.path.name == "spm.model" and tok.path.is_file()


def test_round_trip_and_no_specials_in_encoding(tok: Tokenizer) -> None:
    for sentence in SENTENCES[:5]:
        ids = tok.encode(sentence)
        assert ids and not {PAD, BOS, EOS} & set(ids)
        assert tok.decode(ids) == sentence
    assert tok.encode_batch(SENTENCES[:3]) == [tok.encode(s) for s in SENTENCES[:3]]
    assert "".join(tok.pieces("the cat")).replace("\u2581", " ").strip() == "the cat"


def test_decode_stops_at_eos_and_drops_pad_bos(tok: Tokenizer) -> None:
    ids = tok.encode("the cat")
    assert tok.decode([BOS, *ids, EOS, *tok.encode("dog"), PAD]) == "the cat"
    assert tok.decode([*ids, PAD, PAD]) == "the cat"


def test_unseen_characters_fall_back_to_bytes(tok: Tokenizer) -> None:
    ids = tok.encode("ж")  # never in the corpus: UTF-8 byte pieces, not <unk>
    assert UNK not in ids and len(ids) >= 2
    assert tok.decode(ids) == "ж"


def test_vocab_below_the_alphabet_is_raised_not_an_error(tmp_path: Path) -> None:
    tok = Tokenizer.train(SENTENCES, tmp_path / "t.model", vocab_size=16)
    assert tok.vocab_size >= 16
    assert tok.decode(tok.encode("the cat")) == "the cat"


def test_digits_are_split(tok: Tokenizer, tmp_path: Path) -> None:
    numbers = [f"{i * 37}+{i * 11}" for i in range(200)]
    t = Tokenizer.train(numbers, tmp_path / "n.model", vocab_size=100)
    assert all(len(p.strip("\u2581")) <= 1 for p in t.pieces("1234+567"))


@pytest.mark.parametrize(
    "mode, files", [("joint", {"spm.model"}), ("separate", {"src.model", "tgt.model"})]
)
def test_train_and_load_tokenizers(tmp_path: Path, mode: str, files: set[str]) -> None:
    cfg = DataConfig(
        train="builtin:task/reverse", task_size=300, dev_size=20, tokenizer=mode
    )
    corpus = load_corpus(cfg)
    src, tgt = train_tokenizers(corpus, cfg, tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == files  # nothing else written
    assert (src is tgt) == (mode == "joint")
    src2, tgt2 = load_tokenizers(tmp_path)
    sentence = corpus.train[0][0]
    assert src2.encode(sentence) == src.encode(sentence)
    assert tgt2.decode(tgt2.encode(sentence)) == sentence


def test_training_is_deterministic(tmp_path: Path) -> None:
    a = Tokenizer.train(SENTENCES, tmp_path / "a.model", vocab_size=40, seed=3)
    b = Tokenizer.train(SENTENCES, tmp_path / "b.model", vocab_size=40, seed=3)
    assert a.path.read_bytes() == b.path.read_bytes()


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not found"):
        Tokenizer.load(tmp_path / "missing.model")
    bad = tmp_path / "bad.model"
    bad.write_bytes(b"this is not a model")
    with pytest.raises(DataError, match="not a sentencepiece model") as info:
        Tokenizer.load(bad)
    assert info.value.path == str(bad)
    with pytest.raises(DataError, match="no tokenizer"):
        load_tokenizers(tmp_path)


def test_empty_input_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no text"):
        Tokenizer.train(["", "  "], tmp_path / "e.model", vocab_size=100)


def test_rare_digits_and_characters_never_become_unknown(tmp_path):
    """A real-size vocabulary keeps every digit and falls back to bytes for rare
    characters, so "20 minutes" does not come back as "?? minutes"."""
    from engine.tokenizer import UNK, Tokenizer

    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa"]
    sentences = [" ".join(words[(i + j) % 8] for j in range(6)) for i in range(3000)]
    sentences.append("it took 7 minutes")  # digits far rarer than the 0.9995 coverage
    tok = Tokenizer.train(sentences, tmp_path / "spm.model", vocab_size=1100)
    for text in ("it took 27 minutes", "alpha € beta"):
        ids = tok.encode(text)
        assert UNK not in ids, tok.pieces(text)
        assert tok.decode(ids) == text
