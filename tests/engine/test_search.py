"""Decoding invariants: beam 1 == greedy, sound stopping, n-best, history, ensembles."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from engine.config import DecodeConfig, ModelConfig
from engine.model import Seq2Seq, build_model
from engine.search import (
    BOS,
    EOS,
    beam_search,
    beam_search_history,
    force_decode,
    greedy_decode,
    max_lengths,
    row_topk,
)

SRC_V, TGT_V = 15, 13


def make(seed: int = 0, tgt_vocab: int = TGT_V, **kw) -> Seq2Seq:
    torch.manual_seed(seed)
    base = dict(emb=12, hidden=16, layers=2, dropout=0.0, attention="dot")
    base.update(kw)
    model = build_model(ModelConfig(**base), SRC_V, tgt_vocab).eval()
    with (
        torch.no_grad()
    ):  # make EOS likely enough that hypotheses end at varied lengths
        model.decoder.out.bias[EOS] += 1.5
    return model


def sources(n: int = 6, seed: int = 3):
    g = torch.Generator().manual_seed(seed)
    src_len = torch.randint(1, 8, (n,), generator=g)
    src = torch.randint(4, SRC_V, (n, int(src_len.max())), generator=g)
    src[torch.arange(src.size(1))[None, :] >= src_len[:, None]] = 0
    return src, src_len


CONFIGS = [
    dict(cell="lstm", attention="dot"),
    dict(cell="gru", attention="concat", bidirectional=True, reverse_source=True),
    dict(cell="rnn", attention="none", context_every_step=True),
    dict(cell="lstm", attention="general", input_feeding=True),
]


@pytest.mark.parametrize("kw,alpha", list(itertools.product(CONFIGS, [0.0, 0.6])))
def test_beam_one_equals_greedy(kw: dict, alpha: float) -> None:
    model = make(**kw)
    src, src_len = sources(8)
    cfg = DecodeConfig(
        beam=1, nbest=1, alpha=alpha, max_len_ratio=1.5, max_len_offset=3
    )
    greedy = greedy_decode(
        [model], src, src_len, max_lengths(src_len, cfg), alpha=alpha
    )
    beam = beam_search([model], src, src_len, cfg)
    for g, (b,) in zip(greedy, beam, strict=True):
        assert g.tokens == b.tokens
        assert g.logprob == b.logprob and g.score == b.score
        np.testing.assert_array_equal(g.token_logprobs, b.token_logprobs)
        if g.attention is not None:
            np.testing.assert_allclose(g.attention, b.attention)


@pytest.mark.parametrize("kw", CONFIGS)
def test_nbest_sorted_distinct_and_self_consistent(kw: dict) -> None:
    model = make(**kw)
    src, src_len = sources(5)
    cfg = DecodeConfig(beam=6, nbest=4, alpha=0.7, max_len_ratio=1.0, max_len_offset=4)
    limits = max_lengths(src_len, cfg)
    for i, hyps in enumerate(beam_search(model, src, src_len, cfg)):
        assert 1 <= len(hyps) <= 4
        scores = [h.score for h in hyps]
        assert scores == sorted(scores, reverse=True)
        assert len({h.tokens for h in hyps}) == len(hyps)
        for h in hyps:
            n = len(h.tokens)
            assert h.tokens[-1] == EOS or n == int(limits[i])
            assert (
                EOS not in h.tokens[:-1] and BOS not in h.tokens and 0 not in h.tokens
            )
            assert h.logprob == pytest.approx(float(h.token_logprobs.sum()), abs=1e-4)
            assert h.score == pytest.approx(h.logprob / n**0.7)
            if h.attention is not None:
                assert h.attention.shape == (n, int(src_len[i]))
            # forced decoding of the hypothesis gives the same per-token log-probs
            tgt_in = torch.tensor([[BOS, *h.tokens[:-1]]])
            forced = force_decode(
                model,
                src[i : i + 1],
                src_len[i : i + 1],
                tgt_in,
                torch.tensor([h.tokens]),
            )
            np.testing.assert_allclose(forced[0].numpy(), h.token_logprobs, atol=1e-4)


def brute_force_best(model: Seq2Seq, src, src_len, max_len: int, alpha: float) -> float:
    """Best score over every possible output (EOS-terminated or cut at max_len)."""
    allowed = [t for t in range(model.tgt_vocab) if t not in (0, BOS, EOS)]
    outputs = []
    for n in range(1, max_len + 1):
        for body in itertools.product(allowed, repeat=n - 1):
            for last in [EOS] + (allowed if n == max_len else []):
                outputs.append([*body, last])
    tgt_out = torch.zeros(len(outputs), max_len, dtype=torch.long)
    tgt_in = torch.zeros(len(outputs), max_len, dtype=torch.long)
    for i, toks in enumerate(outputs):
        tgt_out[i, : len(toks)] = torch.tensor(toks)
        tgt_in[i, : len(toks)] = torch.tensor([BOS, *toks[:-1]])
    n = len(outputs)
    lp = force_decode(model, src.expand(n, -1), src_len.expand(n), tgt_in, tgt_out)
    lengths = torch.tensor([len(t) for t in outputs], dtype=torch.float64)
    return float((lp.double().sum(1) / lengths**alpha).max())


@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_wide_beam_finds_the_exact_best(alpha: float) -> None:
    """With a beam wider than all prefixes the search must be exact: the stopping
    rule may never give up on an open hypothesis that could still win (with alpha=1
    and a reluctant EOS the best outputs are the longest ones)."""
    model = make(
        tgt_vocab=7, cell="gru"
    )  # UNK, 3 ordinary tokens and EOS can be generated
    with torch.no_grad():
        model.decoder.out.bias[EOS] = -1.0
        model.decoder.out.weight.mul_(4)
    src, src_len = sources(4, seed=5)
    cfg = DecodeConfig(
        beam=64,
        nbest=1,
        alpha=alpha,
        max_len_ratio=0.1,
        max_len_offset=4,
        exact_stop=True,
    )
    found = beam_search(model, src, src_len, cfg)
    for i, (best,) in enumerate(found):
        limit = int(max_lengths(src_len[i : i + 1], cfg)[0])
        exact = brute_force_best(
            model, src[i : i + 1], src_len[i : i + 1], limit, alpha
        )
        assert best.score == pytest.approx(exact, abs=1e-4)


def test_search_continues_past_the_first_finished_hypothesis() -> None:
    model = make(cell="lstm")
    src, src_len = sources(8)
    cfg = DecodeConfig(beam=4, nbest=1, alpha=0.0)
    _, steps = beam_search_history(model, src, src_len, cfg)
    for hist in steps:
        first_end = next(s.step for s in hist if s.finished.any())
        last = hist[-1]
        # the search ends only once nothing open can beat the best finished one
        assert last.step >= first_end
        open_scores = np.concatenate([s.scores[~s.finished] for s in hist[-1:]])
        ended = np.concatenate([s.scores[s.finished] for s in hist])
        assert open_scores.size == 0 or open_scores.max() <= ended.max()


def test_ensemble_of_a_model_with_itself_equals_the_model() -> None:
    model = make(cell="gru", attention="concat")
    src, src_len = sources(6)
    cfg = DecodeConfig(beam=3, nbest=3, alpha=0.6)
    single = beam_search([model], src, src_len, cfg)
    double = beam_search([model, model], src, src_len, cfg)
    for a, b in zip(single, double, strict=True):
        assert [h.tokens for h in a] == [h.tokens for h in b]
        np.testing.assert_allclose(
            [h.score for h in a], [h.score for h in b], rtol=1e-5
        )


@torch.no_grad()
def _averaged_step_logprobs(models, src, src_len, tokens) -> torch.Tensor:
    """The ensemble's next-token log-probs along ``tokens``, averaged by hand.

    Teacher-forced through each model on its own (not through the search), then
    averaged, with PAD and BOS banned as decoding bans them; (T, V).
    """
    tgt_in = torch.tensor([[BOS, *tokens[:-1]]])
    each = [m(src, src_len, tgt_in)[0].double().log_softmax(-1) for m in models]
    avg = sum(each) / len(each)
    avg[:, [0, BOS]] = float("-inf")
    return avg


def test_ensemble_averages_log_probs() -> None:
    m1, m2 = make(seed=1), make(seed=2, cell="gru", attention="general")
    src, src_len = sources(4)
    tgt_out = torch.randint(4, TGT_V, (4, 3))
    tgt_in = torch.cat([torch.full((4, 1), BOS), tgt_out[:, :-1]], 1)
    both = force_decode([m1, m2], src, src_len, tgt_in, tgt_out)
    each = [force_decode(m, src, src_len, tgt_in, tgt_out) for m in (m1, m2)]
    torch.testing.assert_close(both, (each[0] + each[1]) / 2)


@pytest.mark.parametrize("decode", ["greedy", "beam"])
def test_ensemble_search_steps_on_the_average_of_its_members(decode: str) -> None:
    """Every token greedy (and beam 1) picks is the best of the members' averaged
    log-probs, and its log-prob is that average, not the first member's."""
    m1, m2 = make(seed=1), make(seed=2, cell="gru", attention="general")
    src, src_len = sources(6)
    if decode == "greedy":
        found = greedy_decode([m1, m2], src, src_len, 6)
    else:
        cfg = DecodeConfig(beam=1, nbest=1, max_len_ratio=0.01, max_len_offset=6)
        found = [h for (h,) in beam_search([m1, m2], src, src_len, cfg)]
    differs_from_first = False
    for i, h in enumerate(found):
        one_src, one_len = src[i : i + 1, : int(src_len[i])], src_len[i : i + 1]
        avg = _averaged_step_logprobs([m1, m2], one_src, one_len, h.tokens)
        first = _averaged_step_logprobs([m1], one_src, one_len, h.tokens)
        picked = torch.tensor(h.tokens)
        chosen = avg.gather(1, picked[:, None]).squeeze(1)  # (T,)
        # float32 search steps against a float64 teacher-forced pass: 1e-4 as in
        # test_nbest_sorted_distinct_and_self_consistent
        np.testing.assert_allclose(h.token_logprobs, chosen.numpy(), atol=1e-4)
        assert torch.all(chosen >= avg.max(dim=1).values - 1e-4)  # the argmax
        own = first.gather(1, picked[:, None]).squeeze(1)
        differs_from_first |= not np.allclose(h.token_logprobs, own.numpy(), atol=1e-3)
    assert differs_from_first  # the members disagree: the check above can tell


def test_ensemble_beam_hypotheses_score_the_averaged_log_probs() -> None:
    m1, m2 = make(seed=1), make(seed=2, cell="gru", attention="general")
    src, src_len = sources(5)
    cfg = DecodeConfig(beam=4, nbest=3, alpha=0.5, max_len_ratio=1.0, max_len_offset=4)
    for i, hyps in enumerate(beam_search([m1, m2], src, src_len, cfg)):
        one_src, one_len = src[i : i + 1, : int(src_len[i])], src_len[i : i + 1]
        for h in hyps:
            avg = _averaged_step_logprobs([m1, m2], one_src, one_len, h.tokens)
            first = _averaged_step_logprobs([m1], one_src, one_len, h.tokens)
            picked = torch.tensor(h.tokens)[:, None]
            want = avg.gather(1, picked).squeeze(1).numpy()
            np.testing.assert_allclose(h.token_logprobs, want, atol=1e-4)
            assert h.score == pytest.approx(want.sum() / len(h.tokens) ** 0.5, abs=1e-3)
            own = first.gather(1, picked).squeeze(1).numpy()
            assert not np.allclose(h.token_logprobs, own, atol=1e-3)


def test_history_is_consistent_with_the_hypotheses() -> None:
    model = make(cell="lstm", attention="dot")
    src, src_len = sources(4)
    cfg = DecodeConfig(beam=4, nbest=3, alpha=0.0)
    nbest, steps = beam_search_history(model, src, src_len, cfg)
    for hyps, hist in zip(nbest, steps, strict=True):
        assert all(s.parents.size == s.tokens.size for s in hist)
        assert np.all(hist[0].parents == -1)
        for s in hist:
            assert np.all(np.diff(s.scores) <= 0)  # kept candidates best first
            if s.pruned_scores.size:
                assert s.pruned_scores.max() <= s.scores.min()
        for h in hyps:
            t = len(h.tokens) - 1
            step = hist[t]
            matches = 0
            for j in np.flatnonzero(step.finished):
                path, k = [], j
                for s in range(t, -1, -1):
                    path.append(int(hist[s].tokens[k]))
                    k = hist[s].parents[k]
                if tuple(path[::-1]) == h.tokens:
                    matches += 1
                    assert step.scores[j] == pytest.approx(h.logprob, abs=1e-4)
            assert matches == 1


def _reverse_batch(g: torch.Generator, n: int = 64):
    lens = torch.randint(2, 7, (n,), generator=g)
    body = torch.randint(4, 12, (n, 6), generator=g)
    mask = torch.arange(6)[None, :] < lens[:, None]
    src = torch.zeros(n, 7, dtype=torch.long)
    tgt_out = torch.zeros(n, 7, dtype=torch.long)
    for i in range(n):
        L = int(lens[i])
        src[i, :L] = body[i, :L]
        src[i, L] = EOS
        tgt_out[i, :L] = body[i, :L].flip(0)
        tgt_out[i, L] = EOS
    tgt_in = torch.cat([torch.full((n, 1), BOS), tgt_out[:, :-1]], 1)
    tgt_in[tgt_in == EOS] = 0
    return src, lens + 1, tgt_in, tgt_out, mask


def _train_reverser(steps: int = 250, **kw) -> Seq2Seq:
    torch.manual_seed(0)
    base = dict(cell="gru", layers=1, emb=32, hidden=64, dropout=0.0, attention="dot")
    model = build_model(ModelConfig(**{**base, **kw}), 12, 12)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    g = torch.Generator().manual_seed(1)
    for _ in range(steps):
        src, src_len, tgt_in, tgt_out, _ = _reverse_batch(g)
        logits = model(src, src_len, tgt_in)
        loss = torch.nn.functional.cross_entropy(
            logits.transpose(1, 2), tgt_out, ignore_index=0
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model.eval()


@pytest.fixture(scope="module")
def reverser() -> Seq2Seq:
    return _train_reverser()


def test_trained_model_reverses_with_beam_five(reverser: Seq2Seq) -> None:
    model = reverser
    src, src_len, _, tgt_out, _ = _reverse_batch(torch.Generator().manual_seed(99), 20)
    for alpha in (0.0, 0.6):
        found = beam_search(
            model, src, src_len, DecodeConfig(beam=5, nbest=1, alpha=alpha)
        )
        correct = 0
        for i, (best,) in enumerate(found):
            want = tuple(int(x) for x in tgt_out[i, : int(src_len[i])])
            correct += best.tokens == want
        assert correct >= 18


@pytest.mark.parametrize(
    "kw", [{}, dict(cell="lstm", attention="general", input_feeding=True)]
)
def test_batch_gives_what_each_sentence_gives_alone(
    reverser: Seq2Seq, kw: dict
) -> None:
    """Sentences finish at different steps and leave the batch; the rest must not mix up."""
    model = _train_reverser(**kw) if kw else reverser
    src, src_len, *_ = _reverse_batch(torch.Generator().manual_seed(7), 24)
    src = src[:, : int(src_len.max())]
    for beam in (1, 5):
        cfg = DecodeConfig(beam=beam, nbest=beam, alpha=0.6)
        together = beam_search(model, src, src_len, cfg)
        greedy = greedy_decode(model, src, src_len, max_lengths(src_len, cfg))
        for i in range(src.size(0)):
            one_src, one_len = src[i : i + 1, : int(src_len[i])], src_len[i : i + 1]
            (alone,) = beam_search(model, one_src, one_len, cfg)
            assert [h.tokens for h in alone] == [h.tokens for h in together[i]]
            np.testing.assert_allclose(
                [h.score for h in alone], [h.score for h in together[i]], rtol=1e-4
            )
            (g,) = greedy_decode(model, one_src, one_len, max_lengths(one_len, cfg))
            assert g.tokens == greedy[i].tokens
        ended = {len(h[0].tokens) for h in together if h[0].tokens[-1] == EOS}
        assert len(ended) >= 3  # sentences really left the batch at different steps


@pytest.mark.parametrize("vocab", [8000, 2000 + 37, 64 * 20 + 1])
@pytest.mark.parametrize("k", [1, 5, 10])
def test_row_topk_equals_torch_topk(vocab: int, k: int) -> None:
    g = torch.Generator().manual_seed(vocab + k)
    x = torch.randn(33, vocab, generator=g)
    x[:, [0, 2]] = float("-inf")  # banned tokens, as in decoding
    x[3, -1] = 50.0  # the best in the last, shorter block
    x[4, :] = float("-inf")
    x[4, 100:103] = 1.0  # fewer finite values than k
    values, cols = row_topk(x, k)
    ref_values, ref_cols = x.topk(k, dim=1)
    torch.testing.assert_close(values, ref_values, rtol=0, atol=0)
    finite = torch.isfinite(ref_values)  # which -inf column comes back is arbitrary
    assert torch.equal(cols[finite], ref_cols[finite])
    assert torch.equal(x.gather(1, cols), values)  # the indices point at the values
    assert (cols < vocab).all()


def test_row_topk_with_ties_returns_tied_values_and_distinct_columns() -> None:
    x = torch.zeros(4, 4096)
    x[:, ::97] = 1.0  # 43 equal maxima per row, in many blocks
    values, cols = row_topk(x, 5)
    assert torch.equal(values, torch.ones(4, 5))
    assert all(len(set(row.tolist())) == 5 for row in cols)
    assert torch.equal(x.gather(1, cols), values)


def test_large_vocabulary_search_is_unchanged_by_the_blocked_topk(monkeypatch) -> None:
    """Beam and greedy over 2,500 words (row_topk's blocked path) equal plain topk."""
    model = make(tgt_vocab=2500)
    src, src_len = sources(5)
    cfg = DecodeConfig(beam=5, nbest=3, max_len_ratio=1.0, max_len_offset=4)
    ours = beam_search(model, src, src_len, cfg), greedy_decode(model, src, src_len, 9)
    monkeypatch.setattr("engine.search.row_topk", lambda x, k: x.topk(k, dim=1))
    plain = beam_search(model, src, src_len, cfg), greedy_decode(model, src, src_len, 9)
    for mine, theirs in zip(ours[0], plain[0], strict=True):
        assert [h.tokens for h in mine] == [h.tokens for h in theirs]
        assert [h.score for h in mine] == pytest.approx([h.score for h in theirs])
    assert [h.tokens for h in ours[1]] == [h.tokens for h in plain[1]]


@torch.no_grad()
def test_an_ensemble_step_averages_log_probs_and_attention() -> None:
    """Two steps of ``_Ensemble`` against each member stepped by hand."""
    from engine.search import _Ensemble

    m1, m2 = make(seed=1), make(seed=2, cell="gru", attention="general")
    src, src_len = sources(4)
    ens = _Ensemble([m1, m2], src, src_len)
    encs = [m.encode(src, src_len) for m in (m1, m2)]
    states = [e.init_state for e in encs]
    prev = torch.full((4,), BOS)
    for _ in range(2):
        logp, att = ens.step(prev)
        outs = [m.step(prev, s, e) for m, s, e in zip((m1, m2), states, encs)]
        states = [o.state for o in outs]
        want = sum(o.logits.log_softmax(-1) for o in outs) / 2
        assert torch.isinf(logp[:, [0, BOS]]).all()
        keep = [t for t in range(TGT_V) if t not in (0, BOS)]
        torch.testing.assert_close(logp[:, keep], want[:, keep])
        torch.testing.assert_close(att, (outs[0].attention + outs[1].attention) / 2)
        prev = logp.argmax(-1)
    enc = m1.encode(src, src_len)  # one member: its own attention
    _, solo = _Ensemble([m1], src, src_len).step(torch.full((4,), BOS))
    bos = torch.full((4,), BOS)
    torch.testing.assert_close(solo, m1.step(bos, enc.init_state, enc).attention)
