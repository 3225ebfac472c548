"""Luong dot/general and Bahdanau additive (concat) attention with keys precomputed once."""

from __future__ import annotations

import logging

import torch
from torch import Tensor, nn

logger = logging.getLogger(__name__)

KINDS = ("dot", "general", "concat")


class Attention(nn.Module):
    """Scores decoder queries against encoder outputs (Luong et al. 2015, sec. 3.1).

    * ``dot``: score = q . v. When the encoder width differs from the decoder's (a
      bidirectional encoder), a bias-free linear map brings the values to the query
      width first, which makes it the same as ``general``.
    * ``general``: score = q . (W v), W v precomputed per sentence.
    * ``concat`` (Bahdanau et al. 2015, A.1.2): score = w . tanh(W_q q + W_k v), with
      W_k v precomputed per sentence.

    Padding gets exactly zero weight and the weights of every query sum to one.
    """

    def __init__(self, kind: str, query_dim: int, value_dim: int) -> None:
        super().__init__()
        if kind not in KINDS:
            raise ValueError(
                f"attention must be one of {', '.join(KINDS)}; got {kind!r}"
            )
        self.kind = kind
        self.key_proj: nn.Linear | None = None
        if kind == "general" or (kind == "dot" and value_dim != query_dim):
            self.key_proj = nn.Linear(value_dim, query_dim, bias=False)
        elif kind == "concat":
            self.key_proj = nn.Linear(value_dim, query_dim, bias=False)
            self.query_proj = nn.Linear(query_dim, query_dim, bias=True)
            self.energy = nn.Linear(query_dim, 1, bias=False)

    def precompute_keys(self, values: Tensor) -> Tensor:
        """Keys for every source position, computed once per sentence.

        Args:
            values: encoder outputs, (batch, S, value_dim).
        Returns:
            keys, (batch, S, query_dim).
        """
        return values if self.key_proj is None else self.key_proj(values)

    def forward(
        self, query: Tensor, keys: Tensor, values: Tensor, mask: Tensor
    ) -> tuple[Tensor, Tensor]:
        """Attend with T queries at once (T = 1 in a decoding step).

        Args:
            query: decoder top-layer states, (batch, T, query_dim).
            keys: from ``precompute_keys``, (batch, S, query_dim).
            values: encoder outputs, (batch, S, value_dim).
            mask: True at real source tokens, (batch, S).
        Returns:
            context (batch, T, value_dim) and weights (batch, T, S).
        """
        if self.kind == "concat":
            q = self.query_proj(query).unsqueeze(2)  # (B, T, 1, Q)
            k = keys.unsqueeze(1)  # (B, 1, S, Q)
            scores = self.energy(torch.tanh(q + k)).squeeze(-1)  # (B, T, S)
        else:
            scores = torch.bmm(query, keys.transpose(1, 2))  # (B, T, S)
        scores = scores.masked_fill(~mask.unsqueeze(1), float("-inf"))  # (B, T, S)
        weights = torch.softmax(scores, dim=-1)  # (B, T, S); exactly 0 at padding
        context = torch.bmm(weights, values)  # (B, T, value_dim)
        return context, weights
