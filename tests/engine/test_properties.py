"""Property-based invariants (hypothesis): batching, masking and padding, beam search."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from engine.batching import BucketSampler, make_batch
from engine.config import DecodeConfig, ModelConfig
from engine.loss import sequence_loss
from engine.model import build_model
from engine.search import beam_search, force_decode, greedy_decode, max_lengths
from engine.tokenizer import BOS, EOS, PAD

# Few examples, no deadline (torch's first calls are slow) and a fixed example
# sequence: the suite stays fast and never flakes.
FAST = settings(max_examples=25, deadline=None, derandomize=True)

ids = st.lists(st.integers(4, 30), min_size=0, max_size=7)
pairs = st.lists(st.tuples(ids, ids), min_size=1, max_size=6)
lengths = st.lists(
    st.tuples(st.integers(1, 40), st.integers(1, 40)), min_size=1, max_size=150
)


@FAST
@given(pairs)
def test_a_batch_holds_each_pair_with_eos_bos_and_padding_exactly(pairs) -> None:
    src_ids, tgt_ids = [s for s, _ in pairs], [t for _, t in pairs]
    batch = make_batch(src_ids, tgt_ids, list(range(len(pairs))))
    assert batch.src.shape == (len(pairs), max(len(s) for s in src_ids) + 1)
    assert batch.tgt_out.shape == (len(pairs), max(len(t) for t in tgt_ids) + 1)
    for row, (s, t) in enumerate(pairs):
        assert batch.src[row].tolist() == [*s, EOS] + [PAD] * (
            batch.src.size(1) - len(s) - 1
        )
        pad = [PAD] * (batch.tgt_out.size(1) - len(t) - 1)
        assert batch.tgt_in[row].tolist() == [BOS, *t, *pad]
        assert batch.tgt_out[row].tolist() == [*t, EOS, *pad]
    assert batch.src_len.tolist() == [len(s) + 1 for s in src_ids]
    assert batch.tgt_len.tolist() == [len(t) + 1 for t in tgt_ids]
    # masks are true exactly at the real tokens (ids 4.. never equal PAD)
    assert torch.equal(batch.src_mask, batch.src != PAD)
    assert torch.equal(batch.tgt_mask, batch.tgt_out != PAD)
    assert batch.targets.tolist() == [x for t in tgt_ids for x in (*t, EOS)]
    assert batch.n_tgt_tokens == len(batch.real) == sum(len(t) + 1 for t in tgt_ids)
    assert batch.n_src_tokens == sum(len(s) + 1 for s in src_ids)


def _lens(pairs) -> tuple[np.ndarray, np.ndarray]:
    return np.array([s for s, _ in pairs]), np.array([t for _, t in pairs])


@FAST
@given(lengths, st.integers(1, 40), st.integers(0, 3), st.integers(0, 5))
def test_sentence_batches_cover_every_pair_once_sorted_by_length(
    pairs, batch_size, seed, epoch
) -> None:
    src, tgt = _lens(pairs)
    sampler = BucketSampler(src, tgt, batch_size=batch_size, seed=seed)
    batches = sampler.epoch_batches(epoch)
    assert sorted(i for b in batches for i in b) == list(range(len(src)))
    assert all(1 <= len(b) <= batch_size for b in batches)
    assert sum(len(b) == batch_size for b in batches) >= len(src) // batch_size - 1
    for b in batches:  # (source, target) lengths never fall inside a batch
        keys = list(zip(src[b], tgt[b], strict=True))
        assert keys == sorted(keys)
    assert batches == BucketSampler(src, tgt, batch_size, seed=seed).epoch_batches(
        epoch
    )
    assert len(sampler) == len(batches)


@FAST
@given(lengths, st.integers(1, 40))
def test_unshuffled_batches_follow_one_another_in_length(pairs, batch_size) -> None:
    """Without shuffling (fewer pairs than a chunk) the batches cut one sorted list."""
    src, tgt = _lens(pairs)
    batches = BucketSampler(src, tgt, batch_size, shuffle=False).epoch_batches(0)
    flat = [i for b in batches for i in b]
    keys = list(zip(src[flat], tgt[flat], strict=True))
    assert keys == sorted(keys)
    assert [len(b) for b in batches[:-1]] == [batch_size] * (len(batches) - 1)


@FAST
@given(lengths, st.integers(2, 200), st.booleans())
@example([(5, 5)] * 7, 20, False)  # exactly on budget: two pairs fit
def test_token_budget_batches_are_full_and_within_budget(
    pairs, budget, shuffle
) -> None:
    src, tgt = _lens(pairs)
    sampler = BucketSampler(src, tgt, 1, batch_tokens=budget, seed=3, shuffle=shuffle)
    batches = sampler.epoch_batches(0)
    assert sorted(i for b in batches for i in b) == list(range(len(src)))

    def padded(b: list[int]) -> int:
        return len(b) * (int(src[b].max()) + int(tgt[b].max()))

    assert all(padded(b) <= budget or len(b) == 1 for b in batches)
    if not shuffle:  # consecutive batches: the next pair did not fit into the last
        for b, nxt in zip(batches, batches[1:], strict=False):
            assert padded([*b, nxt[0]]) > budget


@FAST
@given(lengths, st.integers(1, 20), st.integers(1, 5))
def test_replicas_share_every_pair_with_equal_batch_counts(
    pairs, size, replicas
) -> None:
    src, tgt = _lens(pairs)
    per_rank = [
        BucketSampler(src, tgt, size, num_replicas=replicas, rank=r).epoch_batches(1)
        for r in range(replicas)
    ]
    assert len({len(b) for b in per_rank}) == 1
    assert {i for batches in per_rank for b in batches for i in b} == set(
        range(len(src))
    )


@FAST
@given(
    st.lists(st.integers(1, 6), min_size=1, max_size=5),
    st.integers(0, 2**16),
    st.sampled_from([0.0, 0.1]),
)
def test_padding_never_changes_a_sentences_loss(lengths, seed, smoothing) -> None:
    """Each row's loss inside a padded batch equals its loss alone, whatever the
    logits at the padding, and the batch's loss is the sum of its rows'."""
    g = torch.Generator().manual_seed(seed)
    width, vocab = max(lengths) + 2, 9
    logits = torch.randn(len(lengths), width, vocab, generator=g, dtype=torch.float64)
    target = torch.randint(4, vocab, (len(lengths), width), generator=g)
    for row, n in enumerate(lengths):
        target[row, n:] = PAD
    loss, nll = sequence_loss(logits, target, smoothing)
    garbage = torch.where(
        (target == PAD)[..., None],
        1e3 * torch.randn(logits.shape, generator=g, dtype=torch.float64),
        logits,
    )
    assert torch.equal(sequence_loss(garbage, target, smoothing)[0], loss)
    rows = [
        sequence_loss(logits[r, :n], target[r, :n], smoothing)
        for r, n in enumerate(lengths)
    ]
    # float64 sums of the same terms in another order
    assert float(loss) == pytest.approx(sum(float(r[0]) for r in rows), rel=1e-12)
    assert float(nll) == pytest.approx(sum(float(r[1]) for r in rows), rel=1e-12)
    by_hand = -logits.log_softmax(-1).gather(-1, target[..., None])[..., 0][
        target != PAD
    ]
    assert float(nll) == pytest.approx(float(by_hand.sum()), rel=1e-12)


SRC_V, TGT_V = 12, 9


def _model(**kw):
    torch.manual_seed(0)
    base = dict(cell="gru", emb=8, hidden=12, layers=1, dropout=0.0, attention="dot")
    model = build_model(ModelConfig(**{**base, **kw}), SRC_V, TGT_V).eval()
    with torch.no_grad():  # hypotheses of varied lengths
        model.decoder.out.bias[EOS] += 1.0
    return model


MODELS = {
    "dot": _model(),
    "lstm-feed": _model(cell="lstm", attention="general", input_feeding=True),
}
sentences = st.lists(
    st.lists(st.integers(4, SRC_V - 1), min_size=1, max_size=6), min_size=1, max_size=4
)


def _padded(rows: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    src = torch.full((len(rows), max(map(len, rows)) + 1), PAD, dtype=torch.long)
    for i, r in enumerate(rows):
        src[i, : len(r) + 1] = torch.tensor([*r, EOS])
    return src, torch.tensor([len(r) + 1 for r in rows])


@FAST
@given(sentences, st.sampled_from(sorted(MODELS)), st.sampled_from([0.0, 0.7]))
def test_beam_one_is_greedy(rows, name, alpha) -> None:
    model, (src, src_len) = MODELS[name], _padded(rows)
    cfg = DecodeConfig(
        beam=1, nbest=1, alpha=alpha, max_len_ratio=1.0, max_len_offset=3
    )
    greedy = greedy_decode(model, src, src_len, max_lengths(src_len, cfg), alpha=alpha)
    for g, (b,) in zip(greedy, beam_search(model, src, src_len, cfg), strict=True):
        assert g.tokens == b.tokens and g.score == b.score
        np.testing.assert_array_equal(g.token_logprobs, b.token_logprobs)


@FAST
@given(
    sentences,
    st.sampled_from(sorted(MODELS)),
    st.integers(1, 5),
    st.integers(1, 5),
    st.sampled_from([0.0, 0.6, 1.0]),
    st.sampled_from([0.5, 1.0]),
)
def test_nbest_sorted_scored_by_their_tokens_and_ended(
    rows, name, beam, nbest, alpha, ratio
) -> None:
    model, (src, src_len) = MODELS[name], _padded(rows)
    nbest = min(nbest, beam)
    cfg = DecodeConfig(
        beam=beam, nbest=nbest, alpha=alpha, max_len_ratio=ratio, max_len_offset=1
    )  # short limits: many hypotheses are cut there
    limits = max_lengths(src_len, cfg)
    for i, hyps in enumerate(beam_search(model, src, src_len, cfg)):
        assert 1 <= len(hyps) <= nbest
        scores = [h.score for h in hyps]
        assert scores == sorted(scores, reverse=True)
        assert len({h.tokens for h in hyps}) == len(hyps)
        for h in hyps:
            n = len(h.tokens)
            assert h.tokens[-1] == EOS or n == int(limits[i])  # finished, or cut
            assert n <= int(limits[i]) and not {PAD, BOS} & set(h.tokens)
            assert EOS not in h.tokens[:-1]
            assert h.logprob == float(np.sum(h.token_logprobs, dtype=np.float64))
            assert h.score == pytest.approx(h.logprob / n**alpha, rel=1e-12)
            # each token's log-prob is the model's, teacher-forced along the output
            forced = force_decode(
                model,
                src[i : i + 1, : int(src_len[i])],
                src_len[i : i + 1],
                torch.tensor([[BOS, *h.tokens[:-1]]]),
                torch.tensor([h.tokens]),
            )
            # float32 search steps against a teacher-forced float32 pass
            np.testing.assert_allclose(forced[0].numpy(), h.token_logprobs, atol=1e-4)
