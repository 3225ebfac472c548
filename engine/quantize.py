"""int8 decoding on the CPU: the decoder's per-step matrix products with 8-bit weights.

Dynamic quantization, as in CTranslate2 or Marian's CPU decoders: each weight matrix is
stored as int8 with one scale per output row, and each call quantizes its input rows
with a scale taken from their range, multiplies in int8 (PyTorch's fbgemm/x86 kernels)
and returns float32. Outputs change slightly: on the eng-fra dev set 96% of beam-5
translations are identical and BLEU moves by a few tenths either way (README).

Only decoding uses it: :func:`int8_decoder` returns a copy of a model whose decoder
step (recurrent cells, attention combine layer, vocabulary projection) runs in int8;
the encoder, run once per sentence, stays float32. The copy is for inference only.
"""

from __future__ import annotations

import copy
import warnings

import torch
from torch import Tensor, nn

from engine.decoder import RNNState
from engine.model import Seq2Seq


def int8_available() -> bool:
    """Whether this PyTorch build has the int8 CPU kernels (fbgemm or x86)."""
    engines = torch.backends.quantized.supported_engines
    return (
        any(e in engines for e in ("x86", "fbgemm"))
        and hasattr(torch, "quantize_per_channel")
        and hasattr(torch.ops.quantized, "linear_dynamic")
    )


class Int8Linear(nn.Module):
    """``x @ weight.T + bias`` with int8 weights (per output row) and int8 activations."""

    def __init__(self, weight: Tensor, bias: Tensor | None) -> None:
        super().__init__()
        w = weight.detach().float().cpu()  # (out, in)
        scale = w.abs().amax(dim=1).clamp_min(1e-8) / 127.0  # (out,)
        zero = torch.zeros(w.size(0), dtype=torch.long)
        with warnings.catch_warnings():
            # PyTorch marks its quantized tensor types deprecated (to move to torchao);
            # they are still the only fast int8 CPU kernels in core. int8_available()
            # says when a build no longer has them.
            warnings.filterwarnings("ignore", message=".*quantized tensor creation")
            qweight = torch.quantize_per_channel(w, scale.double(), zero, 0, torch.qint8)
        b = None if bias is None else bias.detach().float().cpu()
        self._packed = torch.ops.quantized.linear_prepack(qweight, b)
        self.in_features, self.out_features = w.size(1), w.size(0)

    def forward(self, x: Tensor) -> Tensor:
        """(..., in) -> (..., out), float32."""
        flat = x.reshape(-1, self.in_features).float().contiguous()  # (N, in)
        if flat.size(0) == 0:
            return x.new_zeros(*x.shape[:-1], self.out_features, dtype=torch.float32)
        # reduce_range: 7-bit activations, which the x86 kernels need to never saturate.
        y = torch.ops.quantized.linear_dynamic(flat, self._packed, True)  # (N, out)
        return y.view(*x.shape[:-1], self.out_features)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, int8"


def fast_tanh(x: Tensor) -> Tensor:
    """``tanh(x)`` as ``2 * sigmoid(2x) - 1``: within 2e-7 of ``torch.tanh`` in float32.

    PyTorch's CPU tanh takes ~2.4 ns an element here, its sigmoid ~0.4: for the
    decoder's gates (320 rows x 256) this is 55 us instead of 300. Inference only
    (its backward would keep an extra tensor).
    """
    return torch.sigmoid(x * 2).mul_(2).sub_(1)


class Int8Cells(nn.Module):
    """One decoder time step through every layer of an ``nn.LSTM/GRU/RNN``, in int8.

    The same maths as ``RNNDecoder._cells`` in eval mode (no dropout), with each layer's
    input and recurrent products as :class:`Int8Linear` and tanh as :func:`fast_tanh`.
    """

    def __init__(self, rnn: nn.RNNBase, cell: str) -> None:
        super().__init__()
        self.cell = cell
        self.ih = nn.ModuleList()
        self.hh = nn.ModuleList()
        for layer in range(rnn.num_layers):
            w_ih, w_hh, b_ih, b_hh = (
                getattr(rnn, f"{name}_l{layer}")
                for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
            )
            self.ih.append(Int8Linear(w_ih, b_ih))
            self.hh.append(Int8Linear(w_hh, b_hh))

    def forward(self, inp: Tensor, state: RNNState) -> tuple[Tensor, RNNState]:
        """inp (B, in_dim), state h or (h, c) each (layers, B, hidden) -> top h, state."""
        hs, cs = [], []
        for layer, (ih, hh) in enumerate(zip(self.ih, self.hh, strict=True)):
            h = state[0][layer] if self.cell == "lstm" else state[layer]  # (B, hidden)
            gi, gh = ih(inp), hh(h)  # (B, gates * hidden) each
            if self.cell == "lstm":
                i, f, g, o = (gi + gh).chunk(4, dim=1)
                c = torch.sigmoid(f) * state[1][layer] + torch.sigmoid(i) * fast_tanh(g)
                inp = torch.sigmoid(o) * fast_tanh(c)
                cs.append(c)
            elif self.cell == "gru":
                ir, iz, in_ = gi.chunk(3, dim=1)
                hr, hz, hn = gh.chunk(3, dim=1)
                r, z = torch.sigmoid(ir + hr), torch.sigmoid(iz + hz)
                n = fast_tanh(in_ + r * hn)
                inp = (1 - z) * n + z * h
            else:
                inp = fast_tanh(gi + gh)
            hs.append(inp)
        h = torch.stack(hs)  # (layers, B, hidden)
        return inp, ((h, torch.stack(cs)) if self.cell == "lstm" else h)


def int8_decoder(model: Seq2Seq) -> Seq2Seq:
    """An inference-only copy of ``model`` (on the CPU) whose decoder steps run in int8.

    Raises:
        RuntimeError: this PyTorch build has no int8 CPU kernels.
    """
    if not int8_available():
        raise RuntimeError(
            "int8 decoding needs PyTorch's x86 or fbgemm quantized kernels, which this "
            f"build lacks (it has: {', '.join(torch.backends.quantized.supported_engines)})"
        )
    quick = copy.deepcopy(model).cpu().eval().requires_grad_(False)
    dec = quick.decoder
    if dec.out is not None:
        dec.out = Int8Linear(dec.out.weight, dec.out.bias)
    else:  # tied: the target embedding is the projection (``_readout``)
        dec.out = Int8Linear(dec.embedding.weight, dec.out_bias)
    if dec.pre_out is not None:
        dec.pre_out = Int8Linear(dec.pre_out.weight, dec.pre_out.bias)
    if dec.attention is not None:
        dec.combine = Int8Linear(dec.combine.weight, dec.combine.bias)
    dec.int8_cells = Int8Cells(dec.rnn, quick.cfg.cell)
    return quick
