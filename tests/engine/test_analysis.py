"""Behaviour of engine.analysis: encoder states, fixed PCA plane, nearest sentences."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
import torch
from torch import nn

from engine.analysis import (
    NearestIndex,
    PcaProjection,
    encoder_states,
    project_sentences,
    read_states_csv,
    reference_sample,
    write_states_csv,
)
from engine.config import ModelConfig
from engine.model import build_model
from engine.tokenizer import BOS, EOS, PAD, Tokenizer

WORDS = "a b c d e f g h".split()
TINY = ModelConfig(
    cell="gru", layers=1, emb=16, hidden=32, dropout=0.0, attention="none"
)


def _random_sentences(
    n: int, rng: random.Random, lo: int = 3, hi: int = 6
) -> list[str]:
    return [" ".join(rng.choices(WORDS, k=rng.randint(lo, hi))) for _ in range(n)]


@pytest.fixture(scope="module")
def tok(tmp_path_factory: pytest.TempPathFactory) -> Tokenizer:
    path = tmp_path_factory.mktemp("tok") / "spm.model"
    corpus = _random_sentences(300, random.Random(0))
    return Tokenizer.train(corpus, path, vocab_size=32, model_type="word")


def _pad(rows: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    out = torch.full((len(rows), max(map(len, rows))), PAD, dtype=torch.long)
    for i, r in enumerate(rows):
        out[i, : len(r)] = torch.tensor(r)
    return out, torch.tensor([len(r) for r in rows])


def _train_reverse(tok: Tokenizer, seed: int = 0) -> nn.Module:
    """A tiny GRU without attention trained briefly to reverse word sequences."""
    torch.manual_seed(seed)
    rng = random.Random(seed + 1)
    model = build_model(TINY, tok.vocab_size, tok.vocab_size)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD)
    model.train()
    for _ in range(150):
        src_text = _random_sentences(32, rng)
        src_ids = [tok.encode(s) for s in src_text]
        tgt_ids = [list(reversed(ids)) for ids in src_ids]
        src, src_len = _pad([ids + [EOS] for ids in src_ids])
        tgt_in, _ = _pad([[BOS] + ids for ids in tgt_ids])
        tgt_out, _ = _pad([ids + [EOS] for ids in tgt_ids])
        logits = model(src, src_len, tgt_in)  # (B, T, V)
        loss = loss_fn(logits.reshape(-1, logits.size(-1)), tgt_out.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    return model


@pytest.fixture(scope="module")
def reverse_model(tok: Tokenizer) -> nn.Module:
    return _train_reverse(tok)


def test_states_shapes_and_input_order(tok: Tokenizer) -> None:
    torch.manual_seed(0)
    model = build_model(TINY, tok.vocab_size, tok.vocab_size)
    sentences = ["a b c d e f", "b", "c d", "a b c", "h g f e d c b a", ""]
    final, per_token, pieces = encoder_states(model, tok, sentences, batch_size=4)
    assert final.shape == (len(sentences), TINY.hidden) and final.dtype == np.float32
    for s, states, ps in zip(sentences, per_token, pieces, strict=True):
        assert states.shape == (len(tok.encode(s)) + 1, TINY.hidden)
        assert len(ps) == states.shape[0] and ps[-1] == tok.id_to_piece(EOS)
    for i, s in enumerate(sentences):  # batching and sorting do not mix sentences up
        alone, alone_tokens, _ = encoder_states(model, tok, [s], batch_size=1)
        np.testing.assert_allclose(alone[0], final[i], atol=1e-5)
        np.testing.assert_allclose(alone_tokens[0], per_token[i], atol=1e-5)
    # the final state of a unidirectional encoder is its state at the last token
    np.testing.assert_allclose(per_token[0][-1], final[0], atol=1e-6)
    assert model.training  # mode restored


def test_bidirectional_lstm_cell_states(tok: Tokenizer) -> None:
    cfg = ModelConfig(cell="lstm", layers=2, emb=8, hidden=16, bidirectional=True)
    model = build_model(cfg, tok.vocab_size, tok.vocab_size)
    final, per_token, _ = encoder_states(
        model, tok, ["a b", "c d e"], layer=0, part="c"
    )
    assert final.shape == (2, 32) and per_token[1].shape == (4, 32)


def test_word_order_changes_the_state(tok: Tokenizer) -> None:
    """Figure 2, first half: a permutation of the same words is a different state."""
    torch.manual_seed(0)
    model = build_model(TINY, tok.vocab_size, tok.vocab_size)
    final, _, _ = encoder_states(model, tok, ["a b c d", "d c b a", "a b c d"])
    assert np.linalg.norm(final[0] - final[1]) > 1e-3
    np.testing.assert_allclose(final[0], final[2], atol=1e-6)


def test_reverse_model_separates_reorderings_in_the_pca_plane(
    tok: Tokenizer, reverse_model: nn.Module
) -> None:
    """Figure 2: trained on reversal, the encoder must keep word order, so in the
    2-D PCA plane "a b c d" lies farther from "d c b a" than from "e b c d" (the
    same order with one different word), averaged over many sentences."""
    rng = random.Random(7)
    fit = _random_sentences(200, rng)
    base = _random_sentences(40, rng, 4, 5)
    reordered = [" ".join(reversed(s.split())) for s in base]
    same_order = []
    for s in base:
        w = s.split()
        w[0] = rng.choice([x for x in WORDS if x != w[0]])
        same_order.append(" ".join(w))
    points, proj = project_sentences(
        reverse_model, tok, base + reordered + same_order, fit_sentences=fit
    )
    p_base, p_rev, p_same = np.split(points, 3)
    d_rev = np.linalg.norm(p_base - p_rev, axis=1).mean()
    d_same = np.linalg.norm(p_base - p_same, axis=1).mean()
    assert d_rev > 2.0 * d_same, (d_rev, d_same)
    assert proj.explained_variance_ratio.sum() > 0.2


def test_reverse_training_makes_the_state_remember_early_words(
    tok: Tokenizer, reverse_model: nn.Module
) -> None:
    """An untrained RNN mostly forgets the first word; reversal ends its output with
    the first word, so training makes the final state keep it: changing the first word moves the state more, relative to unrelated
    sentences, than in the untrained network (~0.3 vs ~0.13 here)."""
    rng = random.Random(11)
    base = _random_sentences(40, rng, 4, 5)
    changed = []
    for s in base:
        w = s.split()
        w[0] = rng.choice([x for x in WORDS if x != w[0]])
        changed.append(" ".join(w))
    unrelated = _random_sentences(40, rng, 4, 5)

    def relative_shift(model: nn.Module) -> float:
        final, _, _ = encoder_states(model, tok, base + changed + unrelated)
        a, b, c = np.split(final, 3)
        return float(
            np.linalg.norm(a - b, axis=1).mean() / np.linalg.norm(a - c, axis=1).mean()
        )

    torch.manual_seed(0)
    untrained = build_model(TINY, tok.vocab_size, tok.vocab_size)
    assert relative_shift(reverse_model) > 1.3 * relative_shift(untrained)


def test_pca_points_stay_put_when_sentences_are_added(tok: Tokenizer) -> None:
    torch.manual_seed(0)
    model = build_model(TINY, tok.vocab_size, tok.vocab_size)
    fit = _random_sentences(50, random.Random(3))
    sentences = ["a b c", "d e f g", "h a"]
    before, _ = project_sentences(model, tok, sentences, fit_sentences=fit)
    after, proj = project_sentences(
        model, tok, ["b b b b b b", *sentences, "c"], fit_sentences=fit
    )
    assert np.array_equal(before, after[1:4])  # exactly, not approximately
    assert before.shape == (3, 2)
    ratio = proj.explained_variance_ratio
    assert ratio.shape == (2,) and 0 < ratio[1] <= ratio[0] <= 1


def test_projection_round_trip_and_row_independence() -> None:
    rng = np.random.default_rng(0)
    ref = rng.normal(size=(30, 6)).astype(np.float32)
    proj = PcaProjection.fit(ref)
    again = PcaProjection.from_dict(json.loads(json.dumps(proj.to_dict())))
    new = rng.normal(size=(7, 6)).astype(np.float32)
    assert np.array_equal(proj.transform(new), again.transform(new))
    assert np.array_equal(again.explained_variance_ratio, proj.explained_variance_ratio)
    assert np.array_equal(proj.transform(new[:3]), proj.transform(new)[:3])
    # the same axes as scikit-learn's PCA, in its order (most variance first), up to
    # sign; both in float64, differing only in summation order (~1e-15 here)
    from sklearn.decomposition import PCA

    want = PCA(n_components=2).fit(ref.astype(np.float64)).transform(new)
    got = proj.transform(new)
    for axis in range(2):
        sign = np.sign(got[:, axis] @ want[:, axis])
        np.testing.assert_allclose(got[:, axis], sign * want[:, axis], atol=1e-9)
    assert np.var(proj.transform(ref)[:, 0]) > np.var(proj.transform(ref)[:, 1])
    assert np.allclose(proj.transform(ref).mean(0), 0, atol=1e-6)
    with pytest.raises(ValueError, match="width"):
        proj.transform(np.zeros((1, 5)))
    one = PcaProjection.fit(ref[:1])  # degenerate reference: no error, zero axes
    assert np.array_equal(one.transform(ref[:1]), np.zeros((1, 2)))


def test_nearest_index_finds_the_sentence_itself(tok: Tokenizer) -> None:
    torch.manual_seed(0)
    model = build_model(TINY, tok.vocab_size, tok.vocab_size)
    train = sorted(set(_random_sentences(120, random.Random(5))))
    final, _, _ = encoder_states(model, tok, train)
    index = NearestIndex(final, train)
    small = NearestIndex(final, train, chunk=7)  # chunking gives the same answer
    idx, sims = index.query(final[:20], k=3)
    idx_small, sims_small = small.query(final[:20], k=3)
    assert idx.shape == (20, 3) and np.array_equal(idx, idx_small)
    np.testing.assert_allclose(sims, sims_small, atol=1e-6)
    assert list(idx[:, 0]) == list(range(20))
    np.testing.assert_allclose(sims[:, 0], 1.0, atol=1e-5)
    assert np.all(np.diff(sims, axis=1) <= 1e-7)  # most similar first
    top = index.neighbours(final[4], k=2)
    assert top[0][0][0] == train[4] and len(top[0]) == 2
    assert index.query(final[:2], k=10_000)[0].shape == (2, len(train))


def test_states_csv_round_trip(tmp_path) -> None:
    proj = PcaProjection.fit(np.random.default_rng(1).normal(size=(10, 4)))
    points = np.array([[0.5, -1.25], [1e-9, 3.0]])
    sentences = ['he said "hi", then left', "x"]
    path = tmp_path / "points.csv"
    write_states_csv(path, sentences, points, proj)
    assert path.read_text().startswith("# explained_variance_ratio:")
    got_sentences, got_points, ratio = read_states_csv(path)
    assert got_sentences == sentences and np.array_equal(got_points, points)
    np.testing.assert_allclose(ratio, proj.explained_variance_ratio, atol=1e-6)


def test_reference_sample_is_deterministic() -> None:
    sentences = [f"s {i}" for i in range(50)] + ["s 3", "  "]
    sample = reference_sample(sentences, n=10, seed=4)
    assert sample == reference_sample(sentences, n=10, seed=4)
    assert len(set(sample)) == 10 and set(sample) <= set(sentences)
    assert reference_sample(sentences, n=100) == [f"s {i}" for i in range(50)]
