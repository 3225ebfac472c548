"""int8 decoding on the CPU: the decoder's per-step matrix products with 8-bit weights.

Dynamic quantization, as in CTranslate2 or Marian's CPU decoders: each weight matrix is
stored as int8 with one scale per output row, and each call quantizes its input rows
with a scale taken from their range, multiplies in int8 (PyTorch's fbgemm/x86 kernels)
and returns float32. Outputs change slightly: on the eng-fra dev set 96% of beam-5
translations are identical and BLEU moves by a few tenths either way (docs/performance.md).

Only decoding uses it: :func:`int8_decoder` returns a copy of a model whose decoder
step (recurrent cells, attention combine layer, vocabulary projection) runs in int8;
the encoder, run once per sentence, stays float32, and so does layer 0's embedding
product, read from ``engine.stepcells``' table. The copy is for inference only.
"""

from __future__ import annotations

import copy
import warnings

import torch
from torch import Tensor, nn

from engine.model import Seq2Seq
from engine.stepcells import StepCells


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

    def forward(self, x: Tensor, add: Tensor | None = None) -> Tensor:
        """(..., in) -> (..., out), float32, plus ``add`` (..., out) when given."""
        flat = x.reshape(-1, self.in_features).float().contiguous()  # (N, in)
        if flat.size(0) == 0:
            return x.new_zeros(*x.shape[:-1], self.out_features, dtype=torch.float32)
        # reduce_range: 7-bit activations, which the x86 kernels need to never saturate.
        y = torch.ops.quantized.linear_dynamic(flat, self._packed, True)  # (N, out)
        y = y.view(*x.shape[:-1], self.out_features)
        return y if add is None else y.add_(add)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, int8"


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
    dec.step_cells = StepCells(dec, Int8Linear)
    return quick
