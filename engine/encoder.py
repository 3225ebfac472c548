"""RNNEncoder: embeddings + (bi)directional RNN/GRU/LSTM over packed source sentences."""

from __future__ import annotations

import logging

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from engine.config import ModelConfig
from engine.special import PAD

logger = logging.getLogger(__name__)

RNN_CLASSES: dict[str, type[nn.RNNBase]] = {
    "rnn": nn.RNN,
    "gru": nn.GRU,
    "lstm": nn.LSTM,
}


def make_rnn(
    cell: str, input_size: int, hidden: int, layers: int, dropout: float, **kw
) -> nn.RNNBase:
    """An ``nn.RNN/GRU/LSTM`` with batch-first tensors (dropout only between layers)."""
    return RNN_CLASSES[cell](
        input_size,
        hidden,
        layers,
        batch_first=True,
        dropout=dropout if layers > 1 else 0.0,
        **kw,
    )


RNN_WEIGHTS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")  # per layer, as nn.LSTM


def layer_weights(
    rnn: nn.RNNBase, layer: int, reverse: bool = False
) -> tuple[Tensor, ...]:
    """``weight_ih, weight_hh, bias_ih, bias_hh`` of one layer (and direction) of ``rnn``."""
    suffix = f"_l{layer}" + ("_reverse" if reverse else "")
    return tuple(getattr(rnn, name + suffix) for name in RNN_WEIGHTS)


def reverse_index(lengths: Tensor, total: int) -> Tensor:
    """Positions that reverse each sentence within its length and leave padding in place.

    The permutation is its own inverse, so the same index flips back.

    Args:
        lengths: real tokens per sentence, (batch,).
        total: padded length S.
    Returns:
        gather index, (batch, S).
    """
    pos = torch.arange(total, device=lengths.device).unsqueeze(0)  # (1, S)
    lens = lengths.unsqueeze(1)  # (B, 1)
    return torch.where(pos < lens, lens - 1 - pos, pos)  # (B, S)


def flip_within_length(x: Tensor, lengths: Tensor) -> Tensor:
    """Reverse the real tokens of each sentence of ``x`` (batch, S, ...) in place order."""
    idx = reverse_index(lengths, x.size(1))  # (B, S)
    if x.dim() == 2:
        return x.gather(1, idx)
    return x.gather(1, idx.unsqueeze(-1).expand_as(x))


class RNNEncoder(nn.Module):
    """Reads the source; optionally backwards (Sutskever et al. 2014, sec. 3.3).

    With ``reverse_source`` each sentence is reversed within its length before the RNN
    and the outputs are flipped back, so ``outputs[:, i]`` always belongs to source
    token ``i`` while the final state is the one after reading the sentence backwards.
    """

    def __init__(self, cfg: ModelConfig, vocab: int) -> None:
        super().__init__()
        self.cfg = cfg
        self.directions = 2 if cfg.bidirectional else 1
        self.out_dim = cfg.hidden * self.directions
        self.embedding = nn.Embedding(vocab, cfg.emb, padding_idx=PAD)
        self.dropout = nn.Dropout(cfg.dropout)
        self.rnn = make_rnn(
            cfg.cell,
            cfg.emb,
            cfg.hidden,
            cfg.layers,
            cfg.dropout,
            bidirectional=cfg.bidirectional,
        )

    def forward(
        self, src: Tensor, src_len: Tensor, host_len: Tensor | None = None
    ) -> tuple[Tensor, Tensor, Tensor | None]:
        """Encode a padded batch.

        Args:
            src: source ids, PAD-padded, (batch, S).
            src_len: real lengths (>= 1), (batch,).
            host_len: the same lengths on the CPU, if at hand: packing needs them
                there, and ``src_len.cpu()`` from a GPU waits for all its queued work.
        Returns:
            outputs (batch, S, dirs*hidden) in original token order, zero at padding;
            final h per layer (layers, batch, dirs*hidden), directions concatenated;
            final c likewise for LSTM, else None.
        """
        if self.cfg.reverse_source:
            src = flip_within_length(src, src_len)  # (B, S)
        emb = self.dropout(self.embedding(src))  # (B, S, E)
        # Packing wants the sentences longest first. They are sorted here, on the host,
        # rather than by pack_padded_sequence(enforce_sorted=False): on a GPU that copies
        # its sort order to the device and pad_packed_sequence copies one back, and
        # each blocking copy waits for all the work queued before it.
        lengths, order = torch.sort(
            src_len.cpu() if host_len is None else host_len, descending=True
        )  # (B,) on the host
        order = order.to(src.device, non_blocking=True)
        unsort = torch.empty_like(order).scatter_(
            0, order, torch.arange(order.numel(), device=order.device)
        )  # (B,) sorted row -> original row
        packed = pack_padded_sequence(
            emb.index_select(0, order), lengths, batch_first=True
        )
        out_packed, state = self.rnn(packed)
        outputs, _ = pad_packed_sequence(
            out_packed, batch_first=True, total_length=src.size(1)
        )
        outputs = outputs.index_select(0, unsort)  # (B, S, D) in the batch's order
        if self.cfg.reverse_source:
            outputs = flip_within_length(outputs, src_len)  # (B, S, D)
        h, c = state if isinstance(state, tuple) else (state, None)
        h = h.index_select(1, unsort)
        c = None if c is None else c.index_select(1, unsort)
        return outputs, self._merge(h), None if c is None else self._merge(c)

    def _merge(self, state: Tensor) -> Tensor:
        """(layers*dirs, B, H) -> (layers, B, dirs*H), directions side by side."""
        layers, batch = self.cfg.layers, state.size(1)
        state = state.view(layers, self.directions, batch, self.cfg.hidden)
        return state.transpose(1, 2).reshape(layers, batch, self.out_dim)

    @torch.no_grad()
    def token_states(
        self, src: Tensor, src_len: Tensor, layer: int = -1, part: str = "h"
    ) -> tuple[Tensor, Tensor]:
        """Per-token and final states of one layer, for analysis (no dropout).

        Args:
            src: source ids, (batch, S).
            src_len: real lengths, (batch,).
            layer: which layer (negative counts from the top).
            part: "h" (hidden) or "c" (LSTM cell).
        Returns:
            per-token states (batch, S, dirs*hidden) in original order, zero at padding,
            and the final state of that layer (batch, dirs*hidden).
        """
        cfg = self.cfg
        layer = layer % cfg.layers
        if part not in ("h", "c") or (part == "c" and cfg.cell != "lstm"):
            raise ValueError(f"part must be 'h' (or 'c' for LSTM); got {part!r}")
        mask = (
            torch.arange(src.size(1), device=src.device)[None, :] < src_len[:, None]
        )  # (B, S)
        x = flip_within_length(src, src_len) if cfg.reverse_source else src
        x = self.embedding(x)  # (B, S, E) in reading order
        for lyr in range(layer + 1):
            want_c = part == "c" and lyr == layer
            outs, finals = [], []
            for d in range(self.directions):
                seq = (
                    flip_within_length(x, src_len) if d == 1 else x
                )  # backward reads reversed
                states = self._run_single(seq, lyr, d, want_c)  # (B, S, H)
                if d == 1:
                    states = flip_within_length(states, src_len)
                outs.append(states)
                # final: forward at the last real token, backward at position 0
                last = (src_len - 1) if d == 0 else torch.zeros_like(src_len)
                finals.append(states[torch.arange(src.size(0)), last])  # (B, H)
            x = torch.cat(outs, dim=-1)  # (B, S, dirs*H)
        final = torch.cat(finals, dim=-1)  # (B, dirs*H)
        if cfg.reverse_source:
            x = flip_within_length(x, src_len)
        return x * mask.unsqueeze(-1), final

    def _run_single(
        self, x: Tensor, layer: int, direction: int, want_c: bool
    ) -> Tensor:
        """Run one direction of one layer with the trained weights; (B, S, in) -> (B, S, H)."""
        own = layer_weights(self.rnn, layer, reverse=direction == 1)
        weights = {f"{n}_l0": w for n, w in zip(RNN_WEIGHTS, own, strict=True)}
        single = make_rnn(self.cfg.cell, x.size(-1), self.cfg.hidden, 1, 0.0).to(
            x.device
        )
        if not want_c:
            out, _ = torch.func.functional_call(single, weights, (x,))
            return out
        cells, state = [], None
        for t in range(x.size(1)):  # analysis only: LSTM cell states need a step loop
            _, state = torch.func.functional_call(
                single, weights, (x[:, t : t + 1], state)
            )
            cells.append(state[1][0])  # (B, H)
        return torch.stack(cells, dim=1)
