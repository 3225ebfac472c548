"""Behaviour of the seq2seq network: every switch runs, padding is inert, paths agree."""

from __future__ import annotations

import itertools

import pytest
import torch

from engine.config import ModelConfig
from engine.encoder import flip_within_length
from engine.model import Seq2Seq, build_model
from tests.conftest import float64

SRC_V, TGT_V = 17, 19


@pytest.fixture(autouse=True)
def _float64():
    """Every comparison here is of two ways to compute the same maths (a sentence alone
    or padded in a batch, fused or step by step): in float64 they agree to ~1e-15,
    whatever the order this CPU's kernels sum in, and assert_close's float64 defaults
    (1e-7) still catch any real difference."""
    with float64():
        yield


def tiny(**kw) -> ModelConfig:
    base = dict(emb=12, hidden=16, layers=2, dropout=0.0, attention="dot")
    base.update(kw)
    return ModelConfig(**base)


def make(seed: int = 0, **kw) -> Seq2Seq:
    torch.manual_seed(seed)
    model = build_model(tiny(**kw), SRC_V, TGT_V).eval()
    assert model.decoder.embedding.weight.dtype == torch.float64  # see _float64
    return model


def batch(seed: int = 1):
    """Three sentences of lengths 6, 4, 1 (ids >= 4, PAD after the end)."""
    g = torch.Generator().manual_seed(seed)
    src_len = torch.tensor([1, 6, 4])  # not sorted: packing must sort and unsort
    src = torch.randint(4, SRC_V, (3, 6), generator=g)
    src[torch.arange(6)[None, :] >= src_len[:, None]] = 0
    tgt_in = torch.randint(4, TGT_V, (3, 5), generator=g)
    tgt_in[:, 0] = 2
    return src, src_len, tgt_in


CELLS = ("rnn", "gru", "lstm")
ATTENTIONS = ("none", "dot", "general", "concat")


@pytest.mark.parametrize("cell,attention", list(itertools.product(CELLS, ATTENTIONS)))
def test_every_cell_and_attention_trains(cell: str, attention: str) -> None:
    model = make(cell=cell, attention=attention, dropout=0.1).train()
    src, src_len, tgt_in = batch()
    logits = model(src, src_len, tgt_in)
    assert logits.shape == (3, 5, TGT_V)
    logits.logsumexp(-1).sum().backward()
    grads = [p.grad for p in model.parameters() if p.requires_grad]
    assert all(g is not None and torch.isfinite(g).all() for g in grads)


VARIANTS = [
    dict(cell="lstm", attention="dot"),
    dict(cell="gru", attention="general", bidirectional=True, reverse_source=True),
    dict(cell="lstm", attention="concat", context_every_step=True, bridge=True),
    dict(cell="rnn", attention="none", context_every_step=True, reverse_source=True),
    dict(cell="lstm", attention="dot", bidirectional=True, tie_embeddings=True),
    dict(cell="gru", attention="concat", input_feeding=True, bidirectional=True),
    dict(cell="lstm", attention="general", input_feeding=True, context_every_step=True),
]


@pytest.mark.parametrize("kw", VARIANTS)
def test_padding_never_changes_a_sentence(kw: dict) -> None:
    model = make(**kw)
    src, src_len, tgt_in = batch()
    together = model(src, src_len, tgt_in)  # (3, 5, V)
    for i in range(3):
        n = int(src_len[i])
        alone = model(src[i : i + 1, :n], src_len[i : i + 1], tgt_in[i : i + 1])
        torch.testing.assert_close(alone[0], together[i])
        # extra target padding leaves earlier positions (hence the loss) unchanged
        padded = torch.cat([tgt_in[i : i + 1], torch.zeros(1, 3, dtype=torch.long)], 1)
        longer = model(src[i : i + 1, :n], src_len[i : i + 1], padded)
        torch.testing.assert_close(longer[0, :5], together[i])


@pytest.mark.parametrize("attention", ["dot", "general", "concat"])
def test_attention_ignores_padding_and_sums_to_one(attention: str) -> None:
    model = make(attention=attention, bidirectional=True)
    src, src_len, tgt_in = batch()
    enc = model.encode(src, src_len)
    state = enc.init_state
    for t in range(tgt_in.size(1)):
        out = model.step(tgt_in[:, t], state, enc)
        state = out.state
        att = out.attention  # (B, S)
        assert torch.all(att[~enc.mask] == 0)
        torch.testing.assert_close(att.sum(-1), torch.ones(3))
        assert torch.all(att[enc.mask] > 0)


@pytest.mark.parametrize("kw", [v for v in VARIANTS if not v.get("input_feeding")])
def test_fused_path_equals_step_path(kw: dict) -> None:
    model = make(**kw)
    src, src_len, tgt_in = batch()
    enc = model.encode(src, src_len)
    fused = model.decoder.forward_fused(tgt_in, enc)
    steps = model.decoder.forward_steps(tgt_in, enc)
    torch.testing.assert_close(fused, steps)
    torch.testing.assert_close(model(src, src_len, tgt_in), fused)


def test_teacher_forcing_below_one_feeds_own_predictions() -> None:
    model = make(cell="gru")
    src, src_len, tgt_in = batch()
    forced = model(src, src_len, tgt_in, teacher_forcing=1.0)
    free = model(src, src_len, tgt_in, teacher_forcing=0.0)
    torch.testing.assert_close(
        free[:, 0], forced[:, 0]
    )  # the first input is always BOS
    assert not torch.allclose(free[:, 1:], forced[:, 1:])
    # with ratio 0 the input at t+1 is the argmax at t: replaying it teacher-forced agrees
    own = torch.cat([tgt_in[:, :1], free.argmax(-1)[:, :-1]], dim=1)
    torch.testing.assert_close(model(src, src_len, own), free)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_reverse_source_reads_backwards_but_keeps_token_order(
    bidirectional: bool,
) -> None:
    rev = make(reverse_source=True, bidirectional=bidirectional)
    fwd = build_model(tiny(bidirectional=bidirectional), SRC_V, TGT_V).eval()
    fwd.load_state_dict(rev.state_dict())  # same weights, no reversal
    src, src_len, tgt_in = batch()
    a = rev.encode(src, src_len)
    b = fwd.encode(flip_within_length(src, src_len), src_len)
    torch.testing.assert_close(a.outputs, flip_within_length(b.outputs, src_len))
    torch.testing.assert_close(a.final, b.final)
    # training and decoding see the same thing: logits equal those of a model fed the
    # reversed source, whose attention columns are the mirror image
    torch.testing.assert_close(
        rev(src, src_len, tgt_in),
        fwd(flip_within_length(src, src_len), src_len, tgt_in),
    )
    out_a = rev.step(tgt_in[:, 0], a.init_state, a)
    out_b = fwd.step(tgt_in[:, 0], b.init_state, b)
    torch.testing.assert_close(
        out_a.attention, flip_within_length(out_b.attention, src_len)
    )


@pytest.mark.parametrize(
    "kw",
    [
        dict(bidirectional=True),
        dict(bidirectional=True, cell="gru", bridge=True),
        dict(bridge=True, layers=3),
        dict(layers=1, cell="rnn"),
    ],
)
def test_bridge_and_bidirectional_shapes(kw: dict) -> None:
    model = make(**kw)
    src, src_len, _ = batch()
    enc = model.encode(src, src_len)
    cfg = model.cfg
    enc_dim = cfg.hidden * (2 if cfg.bidirectional else 1)
    assert enc.outputs.shape == (3, 6, enc_dim)
    assert enc.final.shape == (3, enc_dim)
    assert (model.bridge is not None) == (cfg.bridge or cfg.bidirectional)
    states = enc.init_state.rnn if cfg.cell == "lstm" else (enc.init_state.rnn,)
    for s in states:
        assert s.shape == (cfg.layers, 3, cfg.hidden)
    assert torch.all(enc.outputs[~enc.mask] == 0)


def test_direct_init_copies_the_encoder_state() -> None:
    model = make(cell="lstm", bridge=False)
    src, src_len, _ = batch()
    enc = model.encode(src, src_len)
    h, c = enc.init_state.rnn
    torch.testing.assert_close(h[-1], enc.final)
    _, _, enc_c = model.encoder(src, src_len)
    torch.testing.assert_close(c, enc_c)


@pytest.mark.parametrize("x", [0.08, 0.3])
def test_init_uniform_range(x: float) -> None:
    model = make(init_uniform=x, bidirectional=True, attention="concat", bridge=True)
    params = list(model.parameters())
    assert all(p.abs().max() <= x for p in params)
    assert max(p.abs().max() for p in params) > 0.9 * x


@pytest.mark.parametrize("kw", [dict(), dict(bidirectional=True, reverse_source=True)])
def test_token_states_match_the_encoder(kw: dict) -> None:
    model = make(cell="lstm", **kw)
    src, src_len, _ = batch()
    outputs, h, c = model.encoder(src, src_len)
    tokens, final = model.token_states(src, src_len)
    torch.testing.assert_close(tokens, outputs)
    torch.testing.assert_close(final, h[-1])
    _, final0 = model.token_states(src, src_len, layer=0)
    torch.testing.assert_close(final0, h[0])
    cells, final_c = model.token_states(src, src_len, layer=-1, part="c")
    torch.testing.assert_close(final_c, c[-1])
    assert cells.shape == tokens.shape and torch.all(cells[src == 0] == 0)


def test_select_expands_rows() -> None:
    model = make(input_feeding=True)
    src, src_len, _ = batch()
    enc = model.encode(src, src_len)
    index = torch.tensor([2, 2, 0])
    enc2, state2 = model.select(enc, enc.init_state, index)
    torch.testing.assert_close(enc2.outputs, enc.outputs[index])
    torch.testing.assert_close(state2.rnn[0], enc.init_state.rnn[0][:, index])
    assert state2.feed.shape == (3, 16)


@pytest.mark.parametrize(
    "kw",
    [
        dict(attention="dot"),
        dict(attention="general", input_feeding=True),
        dict(attention="concat", context_every_step=True, bidirectional=True),
        dict(attention="none", context_every_step=True, cell="gru"),
    ],
)
def test_a_step_reads_each_sentence_once_for_its_group_of_rows(kw: dict) -> None:
    """Beam hypotheses share their sentence's encoder row: the same as copies of it."""
    model = make(**kw)
    src, src_len, _ = batch()
    enc = model.encode(src, src_len)
    group = torch.tensor([0, 0, 0, 1, 1, 1, 2, 2, 2])  # 3 hypotheses per sentence
    torch.manual_seed(3)
    state = Seq2Seq.select_state(enc.init_state, group)

    def jitter(x: torch.Tensor) -> torch.Tensor:  # so that the rows differ
        return x + 0.1 * torch.randn_like(x)

    rnn = state.rnn
    state = state._replace(
        rnn=tuple(map(jitter, rnn)) if isinstance(rnn, tuple) else jitter(rnn),
        feed=None if state.feed is None else jitter(state.feed),
    )
    prev = torch.tensor([4, 5, 6, 7, 8, 9, 10, 11, 12])
    with torch.no_grad():
        shared = model.step(prev, state, enc)
        copies = model.step(prev, state, Seq2Seq.select_encoded(enc, group))
    torch.testing.assert_close(shared.logits, copies.logits)
    if copies.attention is not None:
        torch.testing.assert_close(shared.attention, copies.attention)
    with pytest.raises(ValueError, match="groups"):
        model.step(prev[:8], Seq2Seq.select_state(state, torch.arange(8)), enc)


def test_tied_embeddings_share_one_tensor_in_the_state_dict() -> None:
    from safetensors.torch import save

    model = make(tie_embeddings=True, attention="concat", context_every_step=True)
    src, src_len, tgt_in = batch()
    model(src, src_len, tgt_in).sum().backward()
    assert model.decoder.embedding.weight.grad is not None
    assert not any(name.startswith("decoder.out.") for name in model.state_dict())
    save(model.state_dict())  # no shared tensors: plain safetensors works


def test_keep_mask_gives_the_logits_of_the_kept_positions():
    """forward(keep=...) projects only real tokens, with the same values."""
    import torch

    from engine.config import ModelConfig
    from engine.model import build_model
    from engine.tokenizer import PAD

    torch.manual_seed(0)
    for cfg in (
        ModelConfig(
            cell="lstm", layers=1, emb=8, hidden=16, attention="dot", dropout=0.0
        ),
        ModelConfig(
            cell="gru",
            layers=1,
            emb=8,
            hidden=16,
            attention="concat",
            input_feeding=True,
            dropout=0.0,
        ),
    ):
        model = build_model(cfg, 20, 20).eval()
        src = torch.tensor([[5, 6, 7, 3], [8, 3, PAD, PAD]])
        src_len = torch.tensor([4, 2])
        tgt_in = torch.tensor([[2, 9, 10], [2, 11, PAD]])
        keep = torch.tensor([[True, True, True], [True, True, False]])
        full = model(src, src_len, tgt_in)  # (B, T, V)
        kept = model(src, src_len, tgt_in, keep=keep)  # (N, V)
        assert kept.shape == (5, 20)
        torch.testing.assert_close(kept, full[keep])
        # the same positions, flat and counted on the host (Batch.real), and the
        # lengths packing needs, on the host (Batch.host_src_len)
        positions = torch.tensor([0, 1, 2, 3, 4])
        by_index = model(src, src_len, tgt_in, keep=positions, host_len=src_len.clone())
        torch.testing.assert_close(by_index, full[keep])


def test_target_logits_are_the_forward_pass_at_real_targets_with_its_forcing() -> None:
    from engine.batching import make_batch
    from engine.model import target_logits

    model = make(cell="gru")
    batch = make_batch([[5, 6, 7], [8, 9]], [[10, 11, 12, 13], [14]], [0, 1])
    whole = model(batch.src, batch.src_len, batch.tgt_in)  # (B, T, V)
    mask = batch.tgt_out != 0  # PAD
    torch.testing.assert_close(target_logits(model, batch), whole[mask])
    free = model(batch.src, batch.src_len, batch.tgt_in, teacher_forcing=0.0)
    torch.testing.assert_close(target_logits(model, batch, 0.0), free[mask])
    assert not torch.allclose(free[mask], whole[mask])
