"""Decoder time steps for inference copies: fewer, larger products per step.

Training steps the decoder through ``RNNDecoder._cells``: per layer two matrix products
(input and recurrent) inside ``torch.lstm_cell``. Decoding a model that no longer changes
can do less, with the same maths:

- Layer 0's input starts with the embedding of the previous token, so its share of the
  input product, ``E[token] @ W_ih[:, :emb].T + b_ih``, is one row of a table computed
  once for the whole vocabulary (8k x 1024 floats, 32 MB, for the default model). A
  step reads 320 rows of it instead of multiplying 320 x 256 by 256 x 1024.
- For LSTM and plain RNN cells the input and recurrent products are summed, so each
  layer's ``[x, h] @ [W_ih | W_hh].T`` is one product over the concatenated input,
  and for layer 0 the table rows are its starting value (one ``addmm``).
- tanh is :func:`fast_tanh` (PyTorch's CPU tanh is ~6x slower than its sigmoid).

On 2 Zen 4 cores this makes beam 5 on the default model 3-10% faster in float32 and,
with the int8 products of ``engine.quantize``, ~10% faster in int8.
:class:`StepCells` is built from a decoder's weights and is only valid while they do
not change: it is attached to inference copies (:func:`inference_copy`,
``engine.quantize.int8_decoder``) and never to a model being trained.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from engine.decoder import RNNDecoder, RNNState
from engine.encoder import layer_weights
from engine.model import Seq2Seq

TABLE_MAX_BYTES = 128 << 20  # larger vocabularies x gates multiply the embedding instead


def fast_tanh(x: Tensor) -> Tensor:
    """``tanh(x)`` as ``2 * sigmoid(2x) - 1``: within 2e-7 of ``torch.tanh`` in float32.

    PyTorch's CPU tanh takes ~2.4 ns an element here, its sigmoid ~0.4: for the
    decoder's gates (320 rows x 256) this is 55 us instead of 300. Inference only
    (its backward would keep an extra tensor).
    """
    return torch.sigmoid(x * 2).mul_(2).sub_(1)


class DenseLinear(nn.Module):
    """``x @ weight.T + bias`` in the weights' precision, with frozen copies of them.

    ``forward(x, add)`` adds ``add`` inside the product (one ``addmm``).
    """

    def __init__(self, weight: Tensor, bias: Tensor | None) -> None:
        super().__init__()
        self.register_buffer("weight", weight.detach().clone())  # (out, in)
        self.register_buffer("bias", None if bias is None else bias.detach().clone())

    def forward(self, x: Tensor, add: Tensor | None = None) -> Tensor:
        """(N, in) -> (N, out), plus ``add`` (N, out) when given."""
        if add is None:
            return F.linear(x, self.weight, self.bias)
        if self.bias is not None:
            add = add + self.bias
        return torch.addmm(add, x, self.weight.t())


Linear = Callable[[Tensor, Tensor | None], nn.Module]  # (weight, bias) -> layer(x, add)


def _frozen(rnn: nn.RNNBase, layer: int) -> tuple[Tensor, ...]:
    return tuple(w.detach() for w in layer_weights(rnn, layer))


class StepCells(nn.Module):
    """One decoder time step through every layer, from the previous token's id.

    The same maths as ``RNNDecoder._cells`` in eval mode (no dropout), arranged as the
    module docstring says; ``linear`` makes each product (:class:`DenseLinear`, or
    ``engine.quantize.Int8Linear`` for 8-bit weights).

    Args:
        dec: the decoder whose weights (embedding, ``dec.rnn``) are copied.
        linear: ``linear(weight, bias)`` -> a layer called as ``layer(x, add=None)``.
        table_max_bytes: largest layer-0 table built; past it the embedding is
            multiplied at every step.
    """

    def __init__(
        self,
        dec: RNNDecoder,
        linear: Linear = DenseLinear,
        table_max_bytes: int = TABLE_MAX_BYTES,
    ) -> None:
        super().__init__()
        cfg, rnn = dec.cfg, dec.rnn
        self.cell, self.layers = cfg.cell, cfg.layers
        self.summed = cfg.cell != "gru"  # GRU keeps the two products apart (reset gate)
        w_ih, w_hh, b_ih, b_hh = _frozen(rnn, 0)
        w_emb, w_rest = w_ih[:, : cfg.emb], w_ih[:, cfg.emb :]  # (G, E), (G, in - E)
        vocab, gates = dec.embedding.num_embeddings, w_ih.size(0)
        # Layer 0, the embedding's share: table rows, or the embedding times w_emb.
        self.embedding: nn.Embedding | None = None
        self.emb_in: nn.Module | None = None
        table = None
        if vocab * gates * 4 <= table_max_bytes:
            with torch.no_grad():
                table = F.linear(dec.embedding.weight.float(), w_emb.float(), b_ih)
                if self.summed:  # fold the recurrent bias in: one addmm per step
                    table += b_hh
        else:
            self.embedding = dec.embedding
            self.emb_in = linear(w_emb, b_ih)
        self.register_buffer("table", table)  # (V, G) or None
        # Layer 0, the rest: [feed; context; h] as one product (summed cells), or the
        # context/feed part and the recurrent one apart (GRU).
        has_rest = w_rest.size(1) > 0
        if self.summed:
            bias0 = None if table is not None else b_hh
            self.first = linear(torch.cat([w_rest, w_hh], 1), bias0)
            self.first_rest = None
        else:
            self.first = linear(w_hh, b_hh)
            self.first_rest = linear(w_rest, None) if has_rest else None
        # Layers 1..: one product over [x; h] (summed), or input and recurrent ones.
        self.upper_in = nn.ModuleList()
        self.upper_hh = nn.ModuleList()
        for layer in range(1, cfg.layers):
            w_ih, w_hh, b_ih, b_hh = _frozen(rnn, layer)
            if self.summed:
                self.upper_in.append(linear(torch.cat([w_ih, w_hh], 1), b_ih + b_hh))
            else:
                self.upper_in.append(linear(w_ih, b_ih))
                self.upper_hh.append(linear(w_hh, b_hh))

    def _embedded(self, prev: Tensor) -> Tensor:
        """Layer 0's input product for the embedding part; (N,) ids -> (N, G)."""
        if self.table is not None:
            return self.table.index_select(0, prev)
        return self.emb_in(self.embedding(prev))

    def forward(
        self, prev: Tensor, rest: list[Tensor], state: RNNState
    ) -> tuple[Tensor, RNNState]:
        """One step.

        Args:
            prev: previous target ids, (N,).
            rest: layer 0's other inputs after the embedding, in order (input
                feeding, Cho context), each (N, D); may be empty.
            state: h or (h, c), each (layers, N, hidden).
        Returns:
            the top layer's new h (N, hidden) and the new state.
        """
        lstm = self.cell == "lstm"
        hs, cs = [], []
        inp = None
        for layer in range(self.layers):
            h = state[0][layer] if lstm else state[layer]  # (N, hidden)
            if self.summed:
                if layer == 0:
                    x = torch.cat([*rest, h], 1) if rest else h  # (N, rest + hidden)
                    g = self.first(x, self._embedded(prev))  # (N, G)
                else:
                    g = self.upper_in[layer - 1](torch.cat([inp, h], 1))  # (N, G)
                if lstm:
                    i, f, gg, o = g.chunk(4, dim=1)
                    c = torch.sigmoid(f) * state[1][layer] + torch.sigmoid(i) * fast_tanh(
                        gg
                    )
                    inp = torch.sigmoid(o) * fast_tanh(c)
                    cs.append(c)
                else:
                    inp = fast_tanh(g)
            else:  # GRU (Cho et al. 2014): the reset gate scales the recurrent part only
                if layer == 0:
                    gi = self._embedded(prev)
                    if self.first_rest is not None:
                        gi = gi + self.first_rest(torch.cat(rest, 1))
                    gh = self.first(h)
                else:
                    gi, gh = self.upper_in[layer - 1](inp), self.upper_hh[layer - 1](h)
                ir, iz, in_ = gi.chunk(3, dim=1)
                hr, hz, hn = gh.chunk(3, dim=1)
                r, z = torch.sigmoid(ir + hr), torch.sigmoid(iz + hz)
                n = fast_tanh(in_ + r * hn)
                inp = (1 - z) * n + z * h
            hs.append(inp)
        h = torch.stack(hs)  # (layers, N, hidden)
        return inp, ((h, torch.stack(cs)) if lstm else h)


def inference_copy(model: Seq2Seq, device: torch.device | str | None = None) -> Seq2Seq:
    """A frozen, eval-mode copy of ``model`` on ``device`` for decoding.

    On the CPU its decoder steps through :class:`StepCells`; elsewhere (CUDA's fused
    cell kernels are already one launch per layer) it is a plain copy.
    """
    quick = copy.deepcopy(model).eval().requires_grad_(False)
    if device is not None:
        quick = quick.to(device)
    if next(quick.parameters()).device.type == "cpu":
        quick.decoder.step_cells = StepCells(quick.decoder)
    return quick
