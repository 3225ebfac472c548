"""The plain baseline `s2s bench` measures ours against: ReferenceSeq2Seq and reference_config."""

from __future__ import annotations

from dataclasses import replace

import torch
from torch import nn

from engine.config import ModelConfig
from engine.encoder import flip_within_length
from engine.tokenizer import BOS, EOS, PAD


class ReferenceSeq2Seq(nn.Module):
    """The plain baseline: an nn.LSTM/GRU/RNN encoder and a decoder stepped in Python.

    This is how most tutorials write an encoder-decoder: no packing, the decoder run
    one token at a time, and with attention Luong's dot score and attentional hidden
    state tanh(W[c;h]). It implements the cell, sizes, layers, reversed source and
    attention (dot or none) of a config; see :func:`reference_config`.
    """

    def __init__(
        self,
        src_vocab: int,
        tgt_vocab: int,
        emb: int,
        hidden: int,
        layers: int,
        cell: str = "lstm",
        attention: bool = True,
        reverse_source: bool = False,
    ):
        super().__init__()
        rnn = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}[cell]
        self.reverse_source = reverse_source
        self.src_emb = nn.Embedding(src_vocab, emb, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(tgt_vocab, emb, padding_idx=PAD)
        self.encoder = rnn(emb, hidden, layers, batch_first=True)
        self.decoder = rnn(emb, hidden, layers, batch_first=True)
        self.combine = nn.Linear(2 * hidden, hidden) if attention else None
        self.out = nn.Linear(hidden, tgt_vocab)

    @classmethod
    def like(cls, cfg: ModelConfig, src_vocab: int, tgt_vocab: int) -> ReferenceSeq2Seq:
        """The reference for a model config (see :func:`reference_config`)."""
        return cls(
            src_vocab,
            tgt_vocab,
            cfg.emb,
            cfg.hidden,
            cfg.layers,
            cfg.cell,
            cfg.attention != "none",
            cfg.reverse_source,
        )

    def _encode(self, src: torch.Tensor):
        if self.reverse_source:  # reversed before padding, as a tutorial would
            src = flip_within_length(src, (src != PAD).sum(1))  # (B, S)
        enc, state = self.encoder(self.src_emb(src))  # (B, S, H)
        return enc, state, (src == PAD).unsqueeze(1)  # mask (B, 1, S)

    def _step(self, tokens, state, enc, pad_mask):
        out, state = self.decoder(self.tgt_emb(tokens), state)  # (B, 1, H)
        if self.combine is None:
            return self.out(out), state  # (B, 1, V)
        scores = (out @ enc.transpose(1, 2)).masked_fill(pad_mask, -1e9)  # (B, 1, S)
        context = scores.softmax(-1) @ enc  # (B, 1, H)
        hidden = torch.tanh(self.combine(torch.cat([out, context], -1)))
        return self.out(hidden), state  # (B, 1, V)

    def forward(self, src, src_len, tgt_in):
        enc, state, pad_mask = self._encode(src)
        logits = []
        for t in range(tgt_in.size(1)):
            step_logits, state = self._step(tgt_in[:, t : t + 1], state, enc, pad_mask)
            logits.append(step_logits)
        return torch.cat(logits, 1)  # (B, T, V)

    @torch.no_grad()
    def greedy(self, src, max_len: int) -> torch.Tensor:
        enc, state, pad_mask = self._encode(src)
        tokens = torch.full((src.size(0), 1), BOS, dtype=torch.long, device=src.device)
        out = []
        done = torch.zeros(src.size(0), dtype=torch.bool, device=src.device)
        for _ in range(max_len):
            logits, state = self._step(tokens, state, enc, pad_mask)
            tokens = logits.argmax(-1)  # (B, 1)
            out.append(tokens)
            done |= tokens.squeeze(1) == EOS
            if bool(done.all()):
                break
        return torch.cat(out, 1)


def reference_config(cfg: ModelConfig) -> ModelConfig:
    """What :class:`ReferenceSeq2Seq` implements of ``cfg``: dot attention or none,
    one direction, no bridge, input feeding, Cho context, tying or dropout."""
    return replace(
        cfg,
        attention="none" if cfg.attention == "none" else "dot",
        bidirectional=False,
        bridge=False,
        context_every_step=False,
        input_feeding=False,
        tie_embeddings=False,
        dropout=0.0,
    )
