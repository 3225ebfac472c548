"""RNNDecoder: one step function for search and slow training, one fused path for speed."""

from __future__ import annotations

import logging
from typing import NamedTuple

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from engine.attention import Attention
from engine.config import ModelConfig
from engine.encoder import layer_weights, make_rnn
from engine.special import PAD

logger = logging.getLogger(__name__)

RNNState = Tensor | tuple[Tensor, Tensor]  # h or (h, c), each (layers, B, hidden)


class DecoderState(NamedTuple):
    """What the decoder carries from one target token to the next."""

    rnn: RNNState  # h (layers, B, hidden), or (h, c) for LSTM
    feed: Tensor | None  # previous attentional hidden (B, hidden) with input feeding


class Encoded(NamedTuple):
    """The encoder's view of a batch of source sentences, computed once per sentence."""

    outputs: Tensor  # (B, S, enc_dim) in ORIGINAL source order even with reverse_source
    mask: Tensor  # (B, S) bool, True at real tokens
    keys: Tensor | None  # (B, S, hidden) attention keys, None without attention
    final: Tensor  # (B, enc_dim) top-layer final h, directions concatenated
    init_state: (
        DecoderState  # decoder start state (bridged from the encoder when needed)
    )
    context: Tensor | None  # (B, enc_dim) Cho et al. context when context_every_step


class StepOutput(NamedTuple):
    """One decoder step."""

    logits: Tensor  # (B, V)
    state: DecoderState
    attention: Tensor | None  # (B, S), None without attention


def _group(rows: Tensor, enc: Encoded) -> int:
    """Decoder rows per encoded sentence: 1, or the beam width (``RNNDecoder.step``)."""
    n, b = rows.size(0), enc.mask.size(0)
    if n % b:
        raise ValueError(f"{n} decoder rows do not come in groups per {b} sentences")
    return n // b


def _per_row(x: Tensor, group: int) -> Tensor:
    """Sentence rows (B, ...) repeated for their ``group`` decoder rows (B*g, ...)."""
    return x if group == 1 else x.repeat_interleave(group, dim=0)


def kept_positions(x: Tensor, keep: Tensor) -> Tensor:
    """The kept positions of x (B, T, ...), as (N, ...) in row-major order.

    ``keep`` is a (B, T) bool mask, or the N positions in the (B*T) flattened order
    (``Batch.real``). A mask costs a GPU sync (the count of True values is needed
    before the result can be allocated); positions counted on the host do not.
    """
    if keep.dtype == torch.bool:
        return x[keep]
    return x.flatten(0, 1).index_select(0, keep)


class RNNDecoder(nn.Module):
    """Conditional language model over the target (Luong et al. 2015, Cho et al. 2014).

    Input at each step: previous token embedding [+ previous attentional hidden
    (input feeding)] [+ encoder summary (``context_every_step``)]. Output: the
    attentional hidden ``tanh(W_c [context; h])`` (or ``h`` without attention)
    [+ encoder summary], projected to the vocabulary.
    """

    def __init__(self, cfg: ModelConfig, vocab: int, enc_dim: int) -> None:
        super().__init__()
        self.cfg = cfg
        hidden = cfg.hidden
        self.embedding = nn.Embedding(vocab, cfg.emb, padding_idx=PAD)
        self.dropout = nn.Dropout(cfg.dropout)
        in_dim = cfg.emb + (hidden if cfg.input_feeding else 0)
        in_dim += enc_dim if cfg.context_every_step else 0
        self.rnn = make_rnn(cfg.cell, in_dim, hidden, cfg.layers, cfg.dropout)
        # Set only on inference copies (``engine.stepcells.StepCells``): steps from the
        # previous token's id with frozen, rearranged weights.
        self.step_cells: nn.Module | None = None
        self.attention: Attention | None = None
        if cfg.attention != "none":
            self.attention = Attention(cfg.attention, hidden, enc_dim)
            self.combine = nn.Linear(enc_dim + hidden, hidden, bias=False)
        pre_dim = hidden + (enc_dim if cfg.context_every_step else 0)
        self.pre_out: nn.Linear | None = None
        if cfg.tie_embeddings and pre_dim != cfg.emb:
            self.pre_out = nn.Linear(pre_dim, cfg.emb, bias=False)
            pre_dim = cfg.emb
        # Tied: logits = pre @ embedding^T + bias, without a second (shared) weight in the
        # state dict, so that checkpoints stay plain safetensors.
        self.out: nn.Linear | None = None
        if cfg.tie_embeddings:
            self.out_bias = nn.Parameter(torch.zeros(vocab))
        else:
            self.out = nn.Linear(pre_dim, vocab)

    def _readout(
        self, h: Tensor, enc: Encoded, keep: Tensor | None = None
    ) -> tuple[Tensor, Tensor, Tensor | None]:
        """From top-layer RNN states to logits, for T steps at once.

        Args:
            h: top-layer decoder states, (B, T, hidden).
            enc: the encoded source batch: B rows, or B / g for rows that come in
                groups of g per sentence (the hypotheses of a beam, see ``step``).
            keep: optional, the positions that get logits (training skips the
                vocabulary projection, the costliest layer, at padding): a (B, T) bool
                mask or flat positions (see ``kept_positions``).
        Returns:
            logits (B, T, V) — or (N, V) for the N kept positions —, attentional
            hidden (B, T, hidden), weights (B, T, S) or None.
        """
        weights = None
        group = _group(h, enc)
        if self.attention is not None:
            n, t = h.shape[:2]
            q = h.reshape(n // group, group * t, -1)  # (B/g, g*T, hidden)
            ctx, weights = self.attention(
                q, enc.keys, enc.outputs, enc.mask
            )  # (B/g, g*T, D) (B/g, g*T, S)
            ctx, weights = ctx.reshape(n, t, -1), weights.reshape(n, t, -1)
            h = torch.tanh(self.combine(torch.cat([ctx, h], dim=-1)))  # (B, T, hidden)
        pre = self.dropout(h)  # (B, T, hidden)
        if enc.context is not None:
            summary = (
                _per_row(enc.context, group).unsqueeze(1).expand(-1, h.size(1), -1)
            )  # (B, T, enc_dim)
            pre = torch.cat([pre, summary], dim=-1)  # (B, T, hidden + enc_dim)
        if keep is not None:
            pre = kept_positions(pre, keep)  # (N, D)
        if self.pre_out is not None:
            pre = self.pre_out(pre)  # (B, T, emb)
        if self.out is None:
            logits = F.linear(pre, self.embedding.weight, self.out_bias)  # (B, T, V)
        else:
            logits = self.out(pre)  # (B, T, V)
        return logits, h, weights

    def step(self, prev: Tensor, state: DecoderState, enc: Encoded) -> StepOutput:
        """One target token: the only place the recurrence is written.

        Args:
            prev: previous target ids, (B,).
            state: decoder state after the previous token.
            enc: the encoded source batch: a row per row of ``prev``, or one per g
                consecutive rows (a sentence's g beam hypotheses, which then read
                its encoder outputs once instead of from g copies).
        Returns:
            logits (B, V), the new state, attention weights (B, S) or None.
        """
        rest = []  # the RNN's input after the embedding
        if self.cfg.input_feeding:
            rest.append(state.feed)  # (B, hidden)
        if enc.context is not None:
            rest.append(_per_row(enc.context, _group(prev, enc)))  # (B, enc_dim)
        if self.step_cells is not None:
            top, rnn_state = self.step_cells(prev, rest, state.rnn)  # (B, hidden)
        else:
            emb = self.dropout(self.embedding(prev))  # (B, E)
            inp = torch.cat([emb, *rest], dim=-1) if rest else emb  # (B, in_dim)
            top, rnn_state = self._cells(inp, state.rnn)  # (B, hidden)
        logits, att_hidden, weights = self._readout(top.unsqueeze(1), enc)
        feed = att_hidden.squeeze(1) if self.cfg.input_feeding else None  # (B, hidden)
        return StepOutput(
            logits.squeeze(1),
            DecoderState(rnn_state, feed),
            None if weights is None else weights.squeeze(1),
        )

    def _cells(self, inp: Tensor, state: RNNState) -> tuple[Tensor, RNNState]:
        """One time step through every layer with the weights of ``self.rnn``.

        Same maths as calling ``self.rnn`` on a length-1 sequence (dropout between
        layers included), but with the fused cell kernels, which on CPU are several
        times faster than the oneDNN sequence kernel for a single step.

        Args:
            inp: (B, in_dim).
            state: h or (h, c), each (layers, B, hidden).
        Returns:
            the top layer's new h (B, hidden) and the new state.
        """
        rnn, cell = self.rnn, self.cfg.cell
        hs, cs = [], []
        for layer in range(self.cfg.layers):
            w = layer_weights(rnn, layer)
            if layer > 0:
                inp = F.dropout(inp, rnn.dropout, self.training)
            if cell == "lstm":
                inp, c = torch.lstm_cell(inp, (state[0][layer], state[1][layer]), *w)
                cs.append(c)
            elif cell == "gru":
                inp = torch.gru_cell(inp, state[layer], *w)
            else:
                inp = torch.rnn_tanh_cell(inp, state[layer], *w)
            hs.append(inp)
        h = torch.stack(hs)  # (layers, B, hidden)
        return inp, ((h, torch.stack(cs)) if cell == "lstm" else h)

    def forward(
        self,
        tgt_in: Tensor,
        enc: Encoded,
        teacher_forcing: float = 1.0,
        keep: Tensor | None = None,
    ) -> Tensor:
        """Logits for every target position.

        Without input feeding and with teacher forcing 1.0 the whole target goes through
        one RNN call and attention is computed for all steps at once (no time loop);
        otherwise ``step`` is unrolled (sampling the model's own argmax with
        probability ``1 - teacher_forcing``).

        Args:
            tgt_in: BOS + target ids, PAD-padded, (B, T).
            enc: the encoded source batch.
            teacher_forcing: probability of feeding the reference token.
            keep: optional, the positions to return logits for (``kept_positions``).
        Returns:
            logits, (B, T, V), or (N, V) for the N positions of ``keep``.
        """
        if teacher_forcing >= 1.0 and not self.cfg.input_feeding:
            return self.forward_fused(tgt_in, enc, keep)
        logits = self.forward_steps(tgt_in, enc, teacher_forcing)
        return logits if keep is None else kept_positions(logits, keep)

    def forward_fused(
        self, tgt_in: Tensor, enc: Encoded, keep: Tensor | None = None
    ) -> Tensor:
        """Teacher-forced logits with one RNN call (needs no input feeding); (B, T, V)."""
        if self.cfg.input_feeding:
            raise ValueError("the fused path cannot do input feeding")
        inp = self.dropout(self.embedding(tgt_in))  # (B, T, E)
        if enc.context is not None:
            summary = enc.context.unsqueeze(1).expand(
                -1, tgt_in.size(1), -1
            )  # (B, T, enc_dim)
            inp = torch.cat([inp, summary], dim=-1)  # (B, T, E + enc_dim)
        out, _ = self.rnn(inp, enc.init_state.rnn)  # (B, T, hidden)
        return self._readout(out, enc, keep)[0]

    def forward_steps(
        self, tgt_in: Tensor, enc: Encoded, teacher_forcing: float = 1.0
    ) -> Tensor:
        """Unroll ``step`` over the target; (B, T) -> logits (B, T, V)."""
        state, prev = enc.init_state, tgt_in[:, 0]  # prev (B,)
        logits = []
        for t in range(tgt_in.size(1)):
            out = self.step(prev, state, enc)
            logits.append(out.logits)  # (B, V)
            state = out.state
            if t + 1 < tgt_in.size(1):
                prev = tgt_in[:, t + 1]
                if teacher_forcing < 1.0:
                    own = out.logits.detach().argmax(dim=-1)  # (B,)
                    use_ref = (
                        torch.rand(prev.shape, device=prev.device) < teacher_forcing
                    )
                    prev = torch.where(use_ref, prev, own)
        return torch.stack(logits, dim=1)
