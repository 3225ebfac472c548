"""Model FLOPs for `s2s bench`: the analytic multiply-add count, datasheet and measured peaks."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from engine.bench.timing import _sync
from engine.config import ModelConfig

GATES = {"rnn": 1, "gru": 3, "lstm": 4}
# Peak dense (no sparsity) TFLOP/s from NVIDIA's datasheets: (name in the device name,
# BF16 tensor core, FP32). Checked in order, so the more specific names come first.
GPU_PEAK_TFLOPS = (
    ("H200 NVL", 835.0, 60.0),
    ("H200", 989.0, 67.0),  # H200 SXM
    ("H100 NVL", 835.0, 60.0),
    ("H100 PCIe", 756.0, 51.0),
    ("H100", 989.0, 67.0),  # H100 SXM ("NVIDIA H100 80GB HBM3")
    ("A100", 312.0, 19.5),  # SXM and PCIe alike
)
FLOPS_METHOD = (
    "analytic model FLOPs = 2 per multiply-add, over real (non-padding) tokens: "
    "RNN/GRU/LSTM cells gates x (input + hidden) x hidden per token, layer and "
    "direction; attention score + context per (target, source) pair, plus key, "
    "query and combine projections; output projection input x vocab per target "
    "token; embeddings, softmax, loss and optimizer free; training step = 3 x "
    "forward (backward = 2 x forward). Per token = per source + target token."
)


@dataclass(frozen=True)
class ModelMacs:
    """Forward multiply-adds of a model, by what they scale with."""

    per_src_token: int  # encoder cells (+ attention keys)
    per_tgt_token: int  # decoder cells, attention projections, output layer
    per_pair: int  # attention score + context, per (target, source) token pair
    per_sentence: int  # the bridge

    def train_flops(self, src_len: Sequence[int], tgt_len: Sequence[int]) -> int:
        """FLOPs of one training step over sentences of these real lengths.

        Args:
            src_len: source tokens per sentence, EOS included, (batch,).
            tgt_len: target tokens per sentence, EOS included, (batch,).
        Returns:
            2 FLOPs per multiply-add, x3 for forward + backward (2 x forward).
        """
        src, tgt = int(sum(src_len)), int(sum(tgt_len))
        pairs = sum(int(s) * int(t) for s, t in zip(src_len, tgt_len, strict=True))
        macs = (
            self.per_src_token * src
            + self.per_tgt_token * tgt
            + self.per_pair * pairs
            + self.per_sentence * len(src_len)
        )
        return 6 * macs


def count_macs(cfg: ModelConfig, tgt_vocab: int) -> ModelMacs:
    """Forward multiply-adds of ``engine.model.Seq2Seq`` for ``cfg`` (FLOPS_METHOD)."""
    gates, h, layers = GATES[cfg.cell], cfg.hidden, cfg.layers
    dirs = 2 if cfg.bidirectional else 1
    enc_dim = dirs * h
    per_src = sum(
        dirs * gates * ((cfg.emb if layer == 0 else enc_dim) + h) * h
        for layer in range(layers)
    )
    dec_in = cfg.emb + (h if cfg.input_feeding else 0)
    dec_in += enc_dim if cfg.context_every_step else 0
    per_tgt = sum(
        gates * ((dec_in if layer == 0 else h) + h) * h for layer in range(layers)
    )
    per_pair = 0
    if cfg.attention != "none":
        if cfg.attention != "dot" or enc_dim != h:
            per_src += enc_dim * h  # keys, precomputed once per source token
        if cfg.attention == "concat":
            per_tgt += h * h  # query projection
        per_pair = h + enc_dim  # score (dot, or concat's energy) + context
        per_tgt += (enc_dim + h) * h  # attentional hidden tanh(W[c;h])
    pre_dim = h + (enc_dim if cfg.context_every_step else 0)
    if cfg.tie_embeddings and pre_dim != cfg.emb:
        per_tgt += pre_dim * cfg.emb
        pre_dim = cfg.emb
    per_tgt += pre_dim * tgt_vocab
    bridged = cfg.bridge or enc_dim != h
    per_sentence = layers * enc_dim * h * (2 if cfg.cell == "lstm" else 1) * bridged
    return ModelMacs(per_src, per_tgt, per_pair, per_sentence)


def datasheet_peak_tflops(name: str, bf16: bool) -> tuple[float, str] | None:
    """Peak dense TFLOP/s of a GPU by its name, and where the number comes from."""
    for key, bf16_peak, fp32_peak in GPU_PEAK_TFLOPS:
        if key in name:
            kind = "BF16 tensor core" if bf16 else "FP32"
            peak = bf16_peak if bf16 else fp32_peak
            return peak, f"NVIDIA {key} datasheet, dense {kind} (no sparsity)"
    return None


def measured_matmul_tflops(device: torch.device, dtype: torch.dtype) -> float:
    """TFLOP/s of the best of five square matmuls (a measured peak for this device)."""
    n = 8192 if device.type == "cuda" else 1024
    a = torch.randn(n, n, device=device, dtype=dtype)
    b = torch.randn(n, n, device=device, dtype=dtype)
    a @ b
    _sync()
    best = math.inf
    for _ in range(5):
        start = time.perf_counter()
        a @ b
        _sync()
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e12
