"""Readers, clean-up, split and error messages of engine.data (files written to tmp_path)."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest

from engine.config import DataConfig
from engine.data import DataError, load_corpus, read_pairs, word_count


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def tsv_lines(n: int, words: int = 3) -> str:
    return "".join(
        " ".join(f"s{i}w{j}" for j in range(words))
        + "\t"
        + " ".join(f"t{i}w{j}" for j in range(words))
        + "\n"
        for i in range(n)
    )


# --------------------------------------------------------------------- tab-separated


def test_tsv_two_and_three_columns_crlf_and_bom(tmp_path: Path) -> None:
    path = write(
        tmp_path / "a.tsv", "\ufeffGo.\tVa !\r\nHi.\tSalut.\tCC-BY 2.0 (France)\r\n"
    )
    assert read_pairs(str(path)) == [("Go.", "Va !"), ("Hi.", "Salut.")]


def test_tsv_gzip(tmp_path: Path) -> None:
    path = tmp_path / "a.tsv.gz"
    path.write_bytes(gzip.compress(b"Cat.\tChat.\nDog.\tChien.\n"))
    assert read_pairs(str(path)) == [("Cat.", "Chat."), ("Dog.", "Chien.")]


def test_whitespace_is_normalised(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "  a   b \t c\u00a0d\n")
    assert read_pairs(str(path)) == [("a b", "c d")]


def test_wrong_column_count_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "a.tsv", "a\tb\nc\td\nno tab here\n")
    with pytest.raises(DataError) as info:
        read_pairs(str(path))
    err = info.value
    assert (err.path, err.line) == (str(path), 3)
    assert str(err).startswith(f"{path}:3: ")
    assert "found 1" in err.message


def test_not_utf8_names_the_line_and_bytes(tmp_path: Path) -> None:
    path = tmp_path / "latin.tsv"
    path.write_bytes("ok\tbien\nCoffee\tCaf\u00e9\n".encode("latin-1"))
    with pytest.raises(DataError) as info:
        read_pairs(str(path))
    assert info.value.line == 2
    assert "UTF-8" in info.value.message and "e9" in info.value.message


def test_utf16_file_is_named_as_such(tmp_path: Path) -> None:
    path = write(tmp_path / "u16.tsv", "\ufeffa\tb\n", encoding="utf-16-le")
    with pytest.raises(DataError, match="UTF-16"):
        read_pairs(str(path))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file") as info:
        read_pairs(str(tmp_path / "nope.tsv"))
    assert info.value.path == str(tmp_path / "nope.tsv") and info.value.line is None
    with pytest.raises(DataError, match="is a directory"):
        read_pairs(str(tmp_path))


def test_damaged_gzip(tmp_path: Path) -> None:
    path = tmp_path / "a.tsv.gz"
    path.write_bytes(gzip.compress(b"a\tb\n" * 100)[:-6])
    with pytest.raises(DataError, match="gzip") as info:
        read_pairs(str(path))
    assert info.value.path == str(path)


# --------------------------------------------------------------------- Moses pairs


def test_moses_pair(tmp_path: Path) -> None:
    en = write(tmp_path / "a.en", "one\ntwo\n")
    fr = write(tmp_path / "a.fr", "un\ndeux\n")
    assert read_pairs(f"{en}|{fr}") == [("one", "un"), ("two", "deux")]


def test_moses_pair_with_different_line_counts(tmp_path: Path) -> None:
    en = write(tmp_path / "a.en", "one\ntwo\nthree\n")
    fr = write(tmp_path / "a.fr", "un\ndeux\n")
    with pytest.raises(DataError) as info:
        read_pairs(f"{en}|{fr}")
    assert "3 lines" in info.value.message and "has 2" in info.value.message
    assert info.value.line == 3


# --------------------------------------------------------------------- TMX, gettext, Qt

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="{src}" datatype="plaintext" segtype="sentence"/>
<body>
<tu><tuv xml:lang="fr-FR"><seg>Bonjour <bpt i="1">&lt;b&gt;</bpt>monde<ept i="1">&lt;/b&gt;</ept></seg></tuv>
    <tuv xml:lang="en-US"><seg>Hello world</seg></tuv></tu>
<tu><tuv xml:lang="EN-US"><seg>Thanks</seg></tuv><tuv xml:lang="fr-fr"><seg>Merci</seg></tuv></tu>
</body></tmx>
"""


def test_tmx_uses_srclang(tmp_path: Path) -> None:
    path = write(tmp_path / "m.tmx", TMX.format(src="en-US"))
    assert read_pairs(str(path)) == [
        ("Hello world", "Bonjour monde"),
        ("Thanks", "Merci"),
    ]


def test_tmx_without_srclang_takes_first_language(tmp_path: Path) -> None:
    path = write(tmp_path / "m.tmx", TMX.format(src="*all*"))
    assert read_pairs(str(path)) == [
        ("Bonjour monde", "Hello world"),
        ("Merci", "Thanks"),
    ]


def test_broken_xml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "m.tmx", "<tmx>\n<body>\n<tu>\n</body></tmx>\n")
    with pytest.raises(DataError, match="not valid XML") as info:
        read_pairs(str(path))
    assert info.value.line == 4


PO = r"""# header comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

#: file.c:10
msgid "Open file"
msgstr "Ouvrir le fichier"

msgctxt "menu"
msgid ""
"A long "
"message"
msgstr ""
"Un long "
"message \"cité\""

#, fuzzy, c-format
msgid "Fuzzy one"
msgstr "Flou"

msgid "Not translated"
msgstr ""

msgid "%d file"
msgid_plural "%d files"
msgstr[0] "%d fichier"
msgstr[1] "%d fichiers"

#~ msgid "Old"
#~ msgstr "Vieux"
"""


def test_po_reader(tmp_path: Path) -> None:
    path = write(tmp_path / "fr.po", PO)
    assert read_pairs(str(path)) == [
        ("Open file", "Ouvrir le fichier"),
        ("A long message", 'Un long message "cité"'),
        ("%d file", "%d fichier"),
    ]


def test_po_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "fr.po", 'msgid "a"\nmsgstr "b"\n\nmsgid "c\nmsgstr "d"\n')
    with pytest.raises(DataError, match="quoted string") as info:
        read_pairs(str(path))
    assert info.value.line == 4
    path = write(tmp_path / "fr.po", 'msgid "a"\nmsgtr "b"\n')
    with pytest.raises(DataError, match="unknown keyword") as info:
        read_pairs(str(path))
    assert info.value.line == 2


def build_mo(entries: list[tuple[str, str]], big_endian: bool = False) -> bytes:
    """A minimal gettext .mo writer (no hash table)."""
    entries = sorted(entries)
    order = ">" if big_endian else "<"
    ids = [k.encode() for k, _ in entries]
    strs = [v.encode() for _, v in entries]
    n = len(entries)
    orig_at, trans_at = 28, 28 + 8 * n
    offset = trans_at + 8 * n
    table_o, table_t, blob = b"", b"", b""
    for raw in ids:
        table_o += struct.pack(order + "2I", len(raw), offset + len(blob))
        blob += raw + b"\0"
    for raw in strs:
        table_t += struct.pack(order + "2I", len(raw), offset + len(blob))
        blob += raw + b"\0"
    header = struct.pack(order + "7I", 0x950412DE, 0, n, orig_at, trans_at, 0, 0)
    return header + table_o + table_t + blob


@pytest.mark.parametrize("big_endian", [False, True])
def test_mo_reader(tmp_path: Path, big_endian: bool) -> None:
    entries = [
        ("", "Content-Type: text/plain; charset=UTF-8\n"),
        ("Open", "Ouvrir"),
        ("menu\x04Quit", "Quitter"),
        ("%d file\x00%d files", "%d fichier\x00%d fichiers"),
        ("Untranslated", ""),
    ]
    path = tmp_path / "fr.mo"
    path.write_bytes(build_mo(entries, big_endian))
    assert sorted(read_pairs(str(path))) == [
        ("%d file", "%d fichier"),
        ("Open", "Ouvrir"),
        ("Quit", "Quitter"),
    ]


def test_mo_with_bad_magic(tmp_path: Path) -> None:
    path = tmp_path / "fr.mo"
    path.write_bytes(b"\0" * 40)
    with pytest.raises(DataError, match="magic"):
        read_pairs(str(path))


TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context><name>Main</name>
  <message><source>&amp;Open</source><translation>&amp;Öffnen</translation></message>
  <message><source>Later</source><translation type="unfinished">Später</translation></message>
  <message><source>Gone</source><translation type="vanished">Weg</translation></message>
  <message><source>OK</source><translation>OK</translation></message>
  <message numerus="yes"><source>%n file(s)</source>
    <translation><numerusform>%n Datei</numerusform><numerusform>%n Dateien</numerusform></translation>
  </message>
</context>
</TS>
"""


def test_ts_reader(tmp_path: Path) -> None:
    path = write(tmp_path / "app_de.ts", TS)
    assert read_pairs(str(path)) == [("Open", "Öffnen"), ("%n file(s)", "%n Datei")]


# --------------------------------------------------------------------- built-ins


def test_builtin_task_uses_config_defaults() -> None:
    corpus = load_corpus(
        DataConfig(train="builtin:task/copy", task_size=200, dev_size=20)
    )
    assert len(corpus.dev) == 20
    assert all(src == tgt for src, tgt in corpus.train + corpus.dev)
    assert corpus.report.src_lengths.max() <= 10


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ("builtin:task/fly", "unknown task"),
        ("builtin:task/copy?size=x", "whole number"),
        ("builtin:task/copy?colour=3", "unknown task parameter"),
        ("builtin:nothing", "unknown built-in"),
    ],
)
def test_bad_builtin_specs(spec: str, fragment: str) -> None:
    with pytest.raises(DataError, match=fragment) as info:
        read_pairs(spec)
    assert info.value.path == spec


# --------------------------------------------------------------------- load_corpus


def test_split_is_deterministic_disjoint_and_seeded(tmp_path: Path) -> None:
    path = write(tmp_path / "a.tsv", tsv_lines(300))
    cfg = DataConfig(train=str(path), dev_size=30, seed=7)
    a, b = load_corpus(cfg), load_corpus(cfg)
    assert a.train == b.train and a.dev == b.dev
    assert len(a.dev) == 30 and len(a.train) == 270
    assert not set(a.train) & set(a.dev)
    assert set(a.train) | set(a.dev) == set(read_pairs(str(path)))
    other = load_corpus(DataConfig(train=str(path), dev_size=30, seed=8))
    assert other.dev != a.dev
    assert (a.report.pairs, a.report.dev_pairs) == (270, 30)


def test_small_corpus_gets_a_smaller_dev_split(tmp_path: Path) -> None:
    path = write(tmp_path / "a.tsv", tsv_lines(10))
    corpus = load_corpus(DataConfig(train=str(path), dev_size=500))
    assert len(corpus.dev) == 2 and len(corpus.train) == 8


def test_swap_and_dev_file(tmp_path: Path) -> None:
    train = write(tmp_path / "train.tsv", "one\tun\ntwo\tdeux\nthree\ttrois\n")
    dev = write(tmp_path / "dev.tsv", "four\tquatre\ntwo\tdeux\n")
    corpus = load_corpus(DataConfig(train=str(train), dev=str(dev), swap=True))
    assert corpus.dev == [("quatre", "four"), ("deux", "two")]
    assert corpus.train == [("un", "one"), ("trois", "three")]  # dev overlap removed
    assert ("same as a dev pair", 1) in corpus.report.dropped


def test_clean_up_counts_reasons_and_lengths(tmp_path: Path) -> None:
    long = " ".join(["w"] * 6)
    text = (
        tsv_lines(30, words=2)
        + f"\tempty source\nx\t\n\n{long}\tshort\nshort\t{long}\n"
    )
    path = write(tmp_path / "a.tsv", text)
    corpus = load_corpus(DataConfig(train=str(path), max_len=5, dev_size=5))
    dropped = dict(corpus.report.dropped)
    assert dropped == {"empty": 3, "longer than 5 words": 2}
    report = corpus.report
    assert report.src_lengths.dtype == np.int32
    assert len(report.src_lengths) == len(report.tgt_lengths) == len(corpus.train) == 25
    assert set(report.src_lengths.tolist()) == {2}


def test_empty_corpus_after_clean_up_names_the_reasons(tmp_path: Path) -> None:
    path = write(tmp_path / "a.tsv", "a b c d\tx\n\t\n")
    with pytest.raises(DataError, match="no usable pairs: 2 read") as info:
        load_corpus(DataConfig(train=str(path), max_len=2))
    assert "1 empty" in str(info.value) and "longer than 2 words" in str(info.value)
    assert info.value.path == str(path)
    empty = write(tmp_path / "empty.tsv", "")
    with pytest.raises(DataError, match="no usable pairs"):
        load_corpus(DataConfig(train=str(empty)))


def test_empty_dev_file_is_an_error(tmp_path: Path) -> None:
    train = write(tmp_path / "train.tsv", tsv_lines(5))
    dev = write(tmp_path / "dev.tsv", "\t\n")
    with pytest.raises(DataError, match="no usable pairs") as info:
        load_corpus(DataConfig(train=str(train), dev=str(dev)))
    assert info.value.path == str(dev)


def test_word_count_for_scripts_without_spaces() -> None:
    assert word_count("the cat sat") == 3
    assert word_count("猫が座った") == 3  # 5 characters -> 3 words
    assert word_count("Qt の設定") == 1 + 2
    assert word_count("Ça va ?") == 3
