"""Behaviour of engine.metrics: BLEU/chrF wrappers, perplexity, Figure 3 buckets."""

from __future__ import annotations

import math

import pytest

from engine import metrics

REFS = [
    "the cat sat on the mat .",
    "i like green tea .",
    "where is the station ?",
    "tom is here .",
    "this book is very old and it is not mine at all , i think .",
    "we will go to the sea tomorrow if the weather is good .",
]
SOURCES = [
    "le chat est assis sur le tapis .",
    "j'aime le thé vert .",
    "où est la gare ?",
    "tom est là .",
    "ce livre est très vieux et il n'est pas du tout à moi , je pense .",
    "nous irons à la mer demain s'il fait beau .",
]


def test_perfect_hypotheses_score_100() -> None:
    assert metrics.corpus_bleu(REFS, REFS) == pytest.approx(100.0)
    assert metrics.corpus_chrf(REFS, REFS) == pytest.approx(100.0)
    assert metrics.sentence_bleu(REFS[0], REFS[0]) == pytest.approx(100.0)


def test_worse_hypotheses_score_lower() -> None:
    hyps = ["the cat sat on a mat .", "i like tea .", *REFS[2:]]
    assert metrics.corpus_bleu(hyps, REFS) < 100.0
    assert 0.0 <= metrics.sentence_bleu("nothing alike", REFS[0]) < 10.0
    assert metrics.sentence_bleu("", REFS[0]) == 0.0
    assert metrics.corpus_bleu([], []) == 0.0


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="2 hypotheses but 1 references"):
        metrics.corpus_bleu(["a", "b"], ["a"])


def test_signature_names_tokenizer_and_metrics() -> None:
    sig = metrics.bleu_signature()
    assert "tok:13a" in sig and "chrF2" in sig and "nrefs:1" in sig
    assert "tok:char" in metrics.bleu_signature("char")
    with pytest.raises(ValueError, match="unknown BLEU tokenizer"):
        metrics.corpus_bleu(["a"], ["a"], tokenize="ja-mecab")


def test_auto_tokenizer_follows_the_script() -> None:
    assert metrics.pick_tokenize(["Привет, мир!"]) == "13a"
    assert metrics.pick_tokenize(["我是学生。"]) == "zh"
    assert metrics.pick_tokenize(["これはペンです。"]) == "char"
    assert metrics.pick_tokenize(["안녕하세요 세계"]) == "char"
    # character tokenization rewards a partly right Japanese hypothesis
    assert metrics.corpus_bleu(["これはペン"], ["これはペンです"], tokenize="auto") > 0


def test_perplexity() -> None:
    assert metrics.perplexity_from_logprobs([[-1.0, -1.0], [-1.0]]) == pytest.approx(
        math.e
    )
    assert math.isnan(metrics.perplexity(0.0, 0))
    assert metrics.perplexity(1e6, 1) == math.inf


def _check_partition(buckets, n: int) -> None:
    assert sum(b.count for b in buckets) == n
    assert all(b.count > 0 for b in buckets)
    lows = [b.low for b in buckets]
    assert lows == sorted(lows) and len(set(lows)) == len(lows)
    for b, nxt in zip(buckets, buckets[1:], strict=False):
        assert b.high <= nxt.low
    for b in buckets:
        assert 0.0 <= b.bleu <= 100.0 + 1e-9 and b.label


def test_length_buckets_partition_the_sentences() -> None:
    hyps = [r.replace("the", "a") for r in REFS]
    buckets = metrics.bleu_by_length(SOURCES, hyps, REFS)
    _check_partition(buckets, len(REFS))
    # short-text edges; the longest source has 15 words ("," and "." are not words)
    assert buckets[-1].label == "13-15" and buckets[-1].count == 1
    fixed = metrics.bleu_by_length(SOURCES, hyps, REFS, buckets=[5, 10])
    _check_partition(fixed, len(REFS))
    assert [b.label for b in fixed] == ["3-9", "10+"]  # the first reaches down
    assert [b.count for b in fixed] == [5, 1]
    quant = metrics.bleu_by_length(SOURCES, hyps, REFS, buckets=3)
    _check_partition(quant, len(REFS))


def test_perfect_bucket_scores_100() -> None:
    buckets = metrics.bleu_by_length(SOURCES, REFS, REFS, buckets=[0, 6])
    assert all(b.bleu == pytest.approx(100.0) for b in buckets)
    # a bucket of 1-3 token sentences is not 0 by definition (effective order)
    short = ["oui", "non merci", "tom"]
    buckets = metrics.bleu_by_length(short, short, short)
    assert len(buckets) == 1 and buckets[0].bleu == pytest.approx(100.0)
    assert metrics.corpus_bleu(short, short) == 0.0  # standard BLEU: no 4-grams


def test_long_edges_for_long_sentences() -> None:
    long_sources = [" ".join(["w"] * n) for n in (20, 25, 30, 40, 60)]
    refs = ["x y z"] * 5
    buckets = metrics.bleu_by_length(long_sources, refs, refs)
    _check_partition(buckets, 5)
    assert buckets[-1].label == "50+" and math.isinf(buckets[-1].high)


def test_rarity_uses_training_ranks() -> None:
    train = ["the cat is here .", "the dog is here .", "the cat sleeps ."]
    ranks = metrics.frequency_ranks(train)
    assert ranks["the"] == 1 and min(ranks.values()) == 1
    assert metrics.average_rank("The cat!", ranks) == pytest.approx(
        (1 + ranks["cat"]) / 2
    )
    unseen = len(ranks) + 1
    assert metrics.average_rank("zebra quagga", ranks) == unseen
    sources = ["the cat", "the dog is here", "zebra quagga", "the zebra"]
    refs = ["a b c d", "e f g h", "i j k l", "m n o p"]
    buckets = metrics.bleu_by_rarity(sources, refs, refs, train, buckets=2)
    _check_partition(buckets, 4)
    assert buckets[-1].count == 2  # the sentences with unseen words are the rarest
    assert metrics.bleu_by_rarity(sources, refs, refs, ranks, buckets=2) == buckets


def _sacrebleu_by_bucket(values, edges, hyps, refs) -> list[tuple[int, float, float]]:
    """(count, BLEU, chrF) of each non-empty bucket, scored by sacrebleu directly on
    exactly the bucket's sentences (value in [edge, next edge); the last is open)."""
    from sacrebleu.metrics import BLEU, CHRF

    bleu, chrf = BLEU(tokenize="13a", effective_order=True), CHRF()
    out = []
    for low, high in zip(edges, [*edges[1:], math.inf], strict=True):
        idx = [i for i, v in enumerate(values) if low <= v < high]
        if idx:
            h, r = [hyps[i] for i in idx], [[refs[i] for i in idx]]
            out.append(
                (len(idx), bleu.corpus_score(h, r).score, chrf.corpus_score(h, r).score)
            )
    return out


# The short sentences translated perfectly, the long ones badly: each bucket's BLEU
# is far from the corpus BLEU, so scoring a bucket on every sentence shows.
MIXED_HYPS = [
    *REFS[:4],
    "this book is old , i think .",
    "tomorrow we go to sea .",
]


def test_length_buckets_score_only_their_own_sentences() -> None:
    lengths = [len(metrics.words(s)) for s in SOURCES]
    edges = [0, 8]
    buckets = metrics.bleu_by_length(SOURCES, MIXED_HYPS, REFS, buckets=edges)
    want = _sacrebleu_by_bucket(lengths, edges, MIXED_HYPS, REFS)
    assert [b.count for b in buckets] == [n for n, _, _ in want] == [4, 2]
    for b, (_, bleu, chrf) in zip(buckets, want, strict=True):
        assert b.bleu == pytest.approx(bleu) and b.chrf == pytest.approx(chrf)
    corpus = metrics.corpus_bleu(MIXED_HYPS, REFS, effective_order=True)
    assert buckets[0].bleu == pytest.approx(100.0)
    assert buckets[1].bleu < corpus - 20 < buckets[0].bleu - 20


def test_rarity_buckets_score_only_their_own_sentences() -> None:
    train = ["the cat is here .", "the dog is here .", "i like tea .", "tom is here ."]
    ranks = metrics.frequency_ranks(train)
    values = [metrics.average_rank(s, ranks) for s in REFS]  # English "sources"
    edges = [0, 8]
    buckets = metrics.bleu_by_rarity(REFS, MIXED_HYPS, REFS, ranks, buckets=edges)
    want = _sacrebleu_by_bucket(values, edges, MIXED_HYPS, REFS)
    assert len(want) == 2 and [b.count for b in buckets] == [n for n, _, _ in want]
    for b, (_, bleu, chrf) in zip(buckets, want, strict=True):
        assert b.bleu == pytest.approx(bleu) and b.chrf == pytest.approx(chrf)
    assert abs(buckets[0].bleu - buckets[1].bleu) > 20  # the buckets really differ


def test_signature_refuses_auto_and_names_both_metrics() -> None:
    with pytest.raises(ValueError, match="pick_tokenize"):
        metrics.bleu_signature("auto")
    bleu, chrf = metrics.bleu_signature("char").split(" / ")
    assert bleu.startswith("BLEU: nrefs:1|") and "tok:char" in bleu
    assert chrf.startswith("chrF2: nrefs:1|") and "version:" in chrf


def test_quantile_buckets_hold_equal_shares() -> None:
    values = [1, 2, 3, 4, 5, 6, 7, 8]
    hyps = [f"w{i} x y z" for i in values]
    four = metrics.bleu_by_value(values, hyps, hyps, buckets=4)
    assert [(b.low, b.count) for b in four] == [(1, 2), (2.75, 2), (4.5, 2), (6.25, 2)]
    (one,) = metrics.bleu_by_value(values, hyps, hyps, buckets=1)
    assert one.count == 8 and one.low == 1
    assert metrics.bleu_by_value([], [], [], buckets=3) == []
    with pytest.raises(ValueError, match="at least one bucket"):
        metrics.bleu_by_value(values, hyps, hyps, buckets=0)


def test_default_length_edges_switch_above_a_median_of_15_words() -> None:
    refs = ["x y z"] * 3
    # 15 words: the short edges (13, 16); 16 words: the paper's (12, 17)
    for n, label in ((15, "13-15"), (16, "12-16")):
        (bucket,) = metrics.bleu_by_length([" ".join(["w"] * n)] * 3, refs, refs)
        assert bucket.label == label


def test_buckets_use_the_tokenizer_asked_for() -> None:
    from sacrebleu.metrics import BLEU

    hyps, refs = ["abcdef ghij"], ["abcdef ghik"]
    char = BLEU(tokenize="char", effective_order=True).corpus_score(hyps, [refs]).score
    assert 0 < char < 100  # and word tokens give 0: "ghij" is one wrong word
    (by_length,) = metrics.bleu_by_length(["a b"], hyps, refs, tokenize="char")
    (by_rarity,) = metrics.bleu_by_rarity(
        ["a b"], hyps, refs, {"a": 1}, buckets=1, tokenize="char"
    )
    assert by_length.bleu == pytest.approx(char) == by_rarity.bleu


def test_rarity_follows_the_ranks_given() -> None:
    ranks = {"zebra": 1, "quagga": 2, "the": 40, "cat": 50}  # not by corpus frequency
    assert metrics.average_rank("the cat", ranks) == 45.0
    assert metrics.average_rank("?!", ranks) == 0.0  # no words
    refs = ["a b c d", "e f g h"]
    low, high = metrics.bleu_by_rarity(
        ["the cat", "zebra quagga"], refs, refs, ranks, buckets=[0, 10]
    )
    assert (
        (low.count, high.count) == (1, 1) and low.label == "0.0-10" and high.low == 10
    )


def test_a_value_on_an_edge_opens_the_next_bucket_and_labels_read_well() -> None:
    values = [1, 2, 3, 4, 5, 6, 7, 8]
    hyps = [f"w{i} x y z" for i in values]
    buckets = metrics.bleu_by_value(values, hyps, hyps, [1, 3, 5], integer=True)
    assert [(b.label, b.count) for b in buckets] == [("1-2", 2), ("3-4", 2), ("5+", 4)]
    narrow = metrics.bleu_by_value([2.0, 9.5, 12.0], hyps[:3], hyps[:3], [0, 3, 10])
    assert [b.label for b in narrow] == ["0.0-3.0", "3.0-10", "10+"]
    single = metrics.bleu_by_value([3, 4], hyps[:2], hyps[:2], [3, 4], integer=True)
    assert [b.label for b in single] == ["3", "4+"]


def test_tokenizers_reach_sentence_bleu_and_buckets() -> None:
    # leading punctuation must not hide the script of what follows
    assert metrics.pick_tokenize(["「これはペンです」"]) == "char"
    hyp, ref = "これはペン", "これはペンです"
    char = metrics.sentence_bleu(hyp, ref, tokenize="char")
    assert char > 0 == metrics.sentence_bleu(hyp, ref)  # one word, and it is wrong
    assert metrics.sentence_bleu(hyp, ref, tokenize="auto") == char
    (bucket,) = metrics.bleu_by_value([1.0], [hyp], [ref], [0], tokenize="auto")
    assert bucket.bleu == pytest.approx(metrics.corpus_bleu([hyp], [ref], "char", True))
    assert bucket.label == "0.0+"  # one edge: one open bucket
    assert metrics.sentence_chrf(ref, ref) == pytest.approx(100.0)
    assert 0 < metrics.sentence_chrf(hyp, ref) < 100
