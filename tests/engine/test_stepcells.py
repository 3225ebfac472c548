"""StepCells and inference copies: the same decoder steps and searches as the model."""

from __future__ import annotations

import pytest
import torch

from engine.config import DecodeConfig, ModelConfig
from engine.decoder import DecoderState
from engine.model import build_model
from engine.search import beam_search, greedy_decode
from engine.stepcells import DenseLinear, StepCells, fast_tanh, inference_copy
from tests.engine.test_search import _reverse_batch, _train_reverser

CONFIGS = [
    dict(cell="lstm", layers=2),
    dict(cell="gru", layers=2),
    dict(cell="rnn", layers=3),
    dict(cell="lstm", layers=2, input_feeding=True, attention="general"),
    dict(cell="gru", layers=1, context_every_step=True, attention="none"),
    dict(cell="lstm", layers=2, context_every_step=True, input_feeding=True),
    dict(cell="lstm", layers=1, bidirectional=True, tie_embeddings=True),
]


@pytest.mark.parametrize("kw", CONFIGS)
@pytest.mark.parametrize("table", [True, False])
def test_a_step_matches_the_training_step(kw: dict, table: bool) -> None:
    """Every cell, layer count and extra input, with and without the layer-0 table."""
    torch.manual_seed(0)
    cfg = ModelConfig(emb=24, hidden=32, dropout=0.0, **kw)
    model = build_model(cfg, 30, 40).eval()
    src = torch.randint(4, 30, (6, 7))
    src_len = torch.tensor([7, 5, 3, 7, 1, 2])
    with torch.no_grad():
        enc = model.encode(src, src_len)
        quick = build_model(cfg, 30, 40).eval()
        quick.load_state_dict(model.state_dict())
        cells = StepCells(quick.decoder, table_max_bytes=1 << 30 if table else 0)
        assert (cells.table is not None) == table
        quick.decoder.step_cells = cells
        state, qstate = enc.init_state, enc.init_state
        prev = torch.tensor([2, 2, 2, 2, 2, 2])
        for _ in range(4):  # a few steps, so the recurrent state matters too
            out = model.decoder.step(prev, state, enc)
            fast = quick.decoder.step(prev, qstate, enc)
            torch.testing.assert_close(fast.logits, out.logits, atol=2e-5, rtol=1e-5)
            for a, b in zip(_flat(out.state), _flat(fast.state), strict=True):
                torch.testing.assert_close(b, a, atol=2e-6, rtol=1e-5)
            state, qstate = out.state, fast.state
            prev = out.logits.argmax(-1)


def _flat(state: DecoderState) -> list[torch.Tensor]:
    rnn = list(state.rnn) if isinstance(state.rnn, tuple) else [state.rnn]
    return rnn + ([] if state.feed is None else [state.feed])


def test_the_table_holds_the_embedding_product_and_both_biases() -> None:
    torch.manual_seed(0)
    dec = build_model(ModelConfig(emb=8, hidden=16, layers=1), 10, 12).decoder
    cells = StepCells(dec)
    rnn = dec.rnn
    want = dec.embedding.weight @ rnn.weight_ih_l0.T + rnn.bias_ih_l0 + rnn.bias_hh_l0
    assert cells.table.shape == (12, 64)
    torch.testing.assert_close(cells.table, want)
    assert cells.first.bias is None  # folded into the table
    # a table over the limit is not built: the embedding is multiplied per step instead
    assert StepCells(dec, table_max_bytes=12 * 64 * 4 - 1).table is None


@pytest.mark.parametrize("kw", [{}, dict(cell="lstm", layers=2, input_feeding=True)])
def test_an_inference_copy_searches_like_the_model(kw: dict) -> None:
    model = _train_reverser(**kw)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    quick = inference_copy(model, "cpu")
    assert isinstance(quick.decoder.step_cells, StepCells)
    assert not quick.training and not any(p.requires_grad for p in quick.parameters())
    src, src_len, *_ = _reverse_batch(torch.Generator().manual_seed(5), 30)
    cfg = DecodeConfig(beam=5, nbest=3, alpha=0.6)
    for a, b in zip(
        beam_search(model, src, src_len, cfg),
        beam_search(quick, src, src_len, cfg),
        strict=True,
    ):
        assert [h.tokens for h in a] == [h.tokens for h in b]
        assert [h.logprob for h in a] == pytest.approx([h.logprob for h in b], abs=1e-4)
    g1 = greedy_decode(model, src, src_len, 12)
    g2 = greedy_decode(quick, src, src_len, 12)
    assert [h.tokens for h in g1] == [h.tokens for h in g2]
    # the model itself is untouched and still trains through its own cells
    assert model.decoder.step_cells is None
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in before.items())


def test_dense_linear_adds_inside_the_product() -> None:
    torch.manual_seed(0)
    w, b = torch.randn(5, 3), torch.randn(5)
    x, add = torch.randn(4, 3), torch.randn(4, 5)
    lin = DenseLinear(w, b)
    torch.testing.assert_close(lin(x), x @ w.T + b)
    torch.testing.assert_close(lin(x, add), x @ w.T + b + add)
    torch.testing.assert_close(DenseLinear(w, None)(x, add), x @ w.T + add)
    w.zero_()  # the layer keeps its own copy
    assert lin.weight.abs().sum() > 0


def test_fast_tanh_matches_tanh_everywhere_and_leaves_its_input() -> None:
    x = torch.cat(
        [torch.linspace(-30, 30, 200_001), torch.tensor([float("inf"), -float("inf")])]
    )
    before = x.clone()
    y = fast_tanh(x)
    assert torch.equal(x, before)
    assert (y - torch.tanh(x.double())).abs().max() < 3e-7
    assert y[-2] == 1.0 and y[-1] == -1.0
    strided = torch.randn(16, 1024)[:, 512:768]  # a gate slice, as in the cells
    torch.testing.assert_close(
        fast_tanh(strided), torch.tanh(strided), atol=3e-7, rtol=0
    )
