"""Batches and the bucket sampler: padding, masks, similar lengths, budgets, replicas."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.batching import BucketSampler, make_batch
from engine.tokenizer import BOS, EOS, PAD


def lengths(n: int = 2000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    src = rng.integers(1, 60, size=n)
    tgt = np.clip(src + rng.integers(-5, 6, size=n), 1, None)
    return src, tgt


def test_make_batch_pads_and_marks_ends() -> None:
    src = [[5, 6, 7], [8]]
    tgt = [[9], [10, 11, 12, 13]]
    batch = make_batch(src, tgt, [4, 7])
    assert batch.src.tolist() == [[5, 6, 7, EOS], [8, EOS, PAD, PAD]]
    assert batch.tgt_in.tolist() == [[BOS, 9, PAD, PAD, PAD], [BOS, 10, 11, 12, 13]]
    assert batch.tgt_out.tolist() == [[9, EOS, PAD, PAD, PAD], [10, 11, 12, 13, EOS]]
    assert batch.src_len.tolist() == [4, 2] and batch.tgt_len.tolist() == [2, 5]
    assert batch.index.tolist() == [4, 7]
    assert batch.n_src_tokens == 6 and batch.n_tgt_tokens == 7
    assert all(t.dtype == torch.int64 for t in (batch.src, batch.tgt_in, batch.index))
    # the real target positions, flat, and the source lengths, kept on the host
    assert batch.real.tolist() == [0, 1, 5, 6, 7, 8, 9]
    assert torch.equal(
        batch.tgt_out.flatten()[batch.real], batch.tgt_out[batch.tgt_mask]
    )
    assert batch.targets.tolist() == [9, EOS, 10, 11, 12, 13, EOS]
    assert batch.host_src_len.tolist() == [4, 2]
    moved = batch.to("meta")  # another device: the host lengths stay on the CPU
    assert moved.src.device.type == "meta" and moved.real.device.type == "meta"
    assert moved.host_src_len.device.type == "cpu" and moved.n_tgt_tokens == 7


def test_masks_match_padding() -> None:
    batch = make_batch([[5, 6, 7], [8]], [[9], [10, 11, 12, 13]], [0, 1])
    assert torch.equal(batch.src_mask, batch.src != PAD)
    assert torch.equal(batch.tgt_mask, batch.tgt_out != PAD)
    assert batch.src_mask.dtype == torch.bool
    moved = batch.to("cpu")
    assert torch.equal(moved.src, batch.src) and moved.size == 2


def test_make_batch_rejects_mismatched_inputs() -> None:
    with pytest.raises(ValueError):
        make_batch([[1]], [[1], [2]], [0])
    with pytest.raises(ValueError):
        make_batch([], [], [])


def test_sentence_batches_cover_the_data_once_with_similar_lengths() -> None:
    src, tgt = lengths()
    sampler = BucketSampler(src, tgt, batch_size=32, seed=3)
    batches = sampler.epoch_batches(0)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(len(src)))  # disjoint and covering
    assert all(len(b) <= 32 for b in batches)
    assert len(sampler) == len(batches)
    spread = np.mean([np.ptp(src[b]) for b in batches])
    random_spread = np.mean([np.ptp(src[i : i + 32]) for i in range(0, len(src), 32)])
    assert spread < random_spread / 5  # similar lengths in a batch


def test_unbucketed_batches_are_random_samples_of_all_lengths() -> None:
    src, tgt = lengths()
    sampler = BucketSampler(src, tgt, batch_size=32, seed=3, bucket=False)
    batches = sampler.epoch_batches(0)
    assert sorted(i for b in batches for i in b) == list(range(len(src)))
    spread = np.mean([np.ptp(tgt[b]) for b in batches])
    # a random batch of 32 spans most of the length range; bucketed ones span ~none
    assert spread > 0.5 * np.ptp(tgt)
    assert sampler.epoch_batches(0) == batches  # still reproducible


def test_reproducible_per_seed_and_epoch() -> None:
    src, tgt = lengths()
    a = BucketSampler(src, tgt, batch_size=16, seed=1)
    b = BucketSampler(src, tgt, batch_size=16, seed=1)
    assert a.epoch_batches(2) == b.epoch_batches(2)
    assert a.epoch_batches(2) != a.epoch_batches(3)
    assert a.epoch_batches(2) != BucketSampler(src, tgt, 16, seed=2).epoch_batches(2)
    assert len(a.epoch_batches(5)) == len(a)  # exact by sentence count


def test_batch_order_is_shuffled_but_not_without_shuffle() -> None:
    src, tgt = lengths()
    batches = BucketSampler(src, tgt, batch_size=32, seed=1).epoch_batches(0)
    firsts = [src[b].mean() for b in batches]
    assert firsts != sorted(firsts)
    ordered = BucketSampler(src, tgt, batch_size=32, shuffle=False).epoch_batches(0)
    assert ordered == BucketSampler(
        src, tgt, batch_size=32, shuffle=False
    ).epoch_batches(7)


def test_token_budget_is_respected() -> None:
    src, tgt = lengths()
    budget = 1200
    sampler = BucketSampler(src, tgt, batch_size=1, batch_tokens=budget, seed=4)
    batches = sampler.epoch_batches(1)
    assert sorted(i for b in batches for i in b) == list(range(len(src)))
    for b in batches:
        padded = len(b) * (src[b].max() + tgt[b].max())
        assert padded <= budget or len(b) == 1
    assert np.mean([len(b) for b in batches]) > 10  # the budget is actually used


def test_single_pair_over_budget_gets_its_own_batch() -> None:
    sampler = BucketSampler([3, 500, 4], [3, 500, 4], batch_size=1, batch_tokens=100)
    batches = sampler.epoch_batches(0)
    assert [1] in batches and sorted(i for b in batches for i in b) == [0, 1, 2]


@pytest.mark.parametrize("replicas", [2, 3, 7])
def test_replicas_get_equal_numbers_of_batches(replicas: int) -> None:
    src, tgt = lengths(n=1003)
    per_rank = [
        BucketSampler(
            src, tgt, batch_size=10, seed=2, num_replicas=replicas, rank=r
        ).epoch_batches(4)
        for r in range(replicas)
    ]
    assert len({len(b) for b in per_rank}) == 1
    seen = {i for batches in per_rank for b in batches for i in b}
    assert seen == set(range(len(src)))
    assert per_rank[0] != per_rank[1]


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        BucketSampler([1, 2], [1], batch_size=2)
    with pytest.raises(ValueError):
        BucketSampler([1], [1], batch_size=2, num_replicas=2, rank=2)
    with pytest.raises(ValueError):
        BucketSampler([], [], batch_size=2)
