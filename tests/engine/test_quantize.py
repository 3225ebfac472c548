"""int8 decoding: the quantized layers stay close to float32, search mostly agrees."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from engine.config import DecodeConfig, ModelConfig
from engine.model import build_model
from engine.quantize import Int8Linear, int8_decoder
from engine.search import beam_search
from engine.stepcells import StepCells
from engine.translate import Translator
from tests.engine.test_search import _reverse_batch, _train_reverser
from tests.engine.test_translate import CharTokenizer


def test_int8_linear_is_close_to_the_float_layer() -> None:
    torch.manual_seed(0)
    lin = nn.Linear(64, 300)
    q = Int8Linear(lin.weight, lin.bias)
    x = torch.randn(3, 7, 64)
    want, got = lin(x), q(x)
    assert got.shape == (3, 7, 300) and got.dtype == torch.float32
    err = (got - want).abs().max() / want.abs().max()
    assert 0 < err < 0.02  # int8, so not exact, but within 2% of the output range
    assert q(torch.zeros(0, 64)).shape == (0, 300)


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("table", [True, False])
def test_int8_cells_step_like_the_float_cells(cell: str, table: bool) -> None:
    torch.manual_seed(0)
    cfg = ModelConfig(cell=cell, layers=2, emb=24, hidden=32, dropout=0.3)
    dec = build_model(cfg, 20, 20).eval().decoder
    cells = StepCells(dec, Int8Linear, table_max_bytes=1 << 30 if table else 0)
    assert (cells.table is not None) == table
    prev = torch.tensor([4, 9, 3, 17, 4])
    h = torch.randn(2, 5, 32) * 0.5
    state = (h, torch.randn(2, 5, 32) * 0.5) if cell == "lstm" else h
    with torch.no_grad():
        top, new = dec._cells(dec.embedding(prev), state)
        q_top, q_new = cells(prev, [], state)
    assert (q_top - top).abs().max() < 0.03
    for a, b in zip(
        new if cell == "lstm" else [new], q_new if cell == "lstm" else [q_new]
    ):
        assert a.shape == b.shape and (a - b).abs().max() < 0.03


@pytest.mark.parametrize(
    "kw", [{}, dict(cell="lstm", layers=2, attention="general", tie_embeddings=True)]
)
def test_int8_beam_search_finds_what_float_finds(kw: dict) -> None:
    model = _train_reverser(**kw)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    quick = int8_decoder(model)
    assert isinstance(quick.decoder.out, Int8Linear)
    cells = quick.decoder.step_cells
    assert isinstance(cells, StepCells) and isinstance(cells.first, Int8Linear)
    src, src_len, _, tgt_out, _ = _reverse_batch(torch.Generator().manual_seed(5), 40)
    cfg = DecodeConfig(beam=5)
    exact = beam_search(model, src, src_len, cfg)
    fast = beam_search(quick, src, src_len, cfg)
    same = sum(a[0].tokens == b[0].tokens for a, b in zip(exact, fast))
    assert same >= 36  # of 40
    for a, b in zip(exact, fast):
        if a[0].tokens == b[0].tokens:
            assert abs(a[0].logprob - b[0].logprob) < 0.1 + 0.05 * abs(a[0].logprob)
    # the float model is left as it was: int8 works on a copy
    assert model.decoder.step_cells is None
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in before.items())


def test_translator_int8_is_cpu_only_and_uses_the_quantized_copy() -> None:
    tok = CharTokenizer()
    torch.manual_seed(0)
    model = build_model(ModelConfig(emb=12, hidden=16, layers=1), 14, 14)
    tr = Translator([model], tok, tok, "cpu", int8=True)
    assert (
        isinstance(tr.models[0].decoder.out, Int8Linear) and tr.models[0] is not model
    )
    out = tr.translate(["abc", "jihg"], DecodeConfig(beam=3))
    assert [t.source for t in out] == ["abc", "jihg"]
    with pytest.raises(ValueError, match="CPU only"):
        Translator([model], tok, tok, "cuda", int8=True)
