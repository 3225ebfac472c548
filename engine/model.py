"""Seq2Seq: encoder + bridge + decoder (Sutskever et al. 2014; Cho et al. 2014; Luong 2015)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import torch
from torch import Tensor, nn

from engine.cnn_encoder import CNNEncoder
from engine.config import ModelConfig
from engine.decoder import DecoderState, Encoded, RNNDecoder, RNNState, StepOutput
from engine.encoder import RNNEncoder

if TYPE_CHECKING:
    from engine.batching import Batch

logger = logging.getLogger(__name__)

__all__ = ["DecoderState", "Encoded", "Seq2Seq", "StepOutput", "build_model"]


class Bridge(nn.Module):
    """Linear + tanh from the encoder's final state to the decoder's start state.

    One map for h (and one for c with LSTM), shared by all layers.
    """

    def __init__(self, enc_dim: int, hidden: int, lstm: bool) -> None:
        super().__init__()
        self.h = nn.Linear(enc_dim, hidden)
        self.c = nn.Linear(enc_dim, hidden) if lstm else None

    def forward(self, h: Tensor, c: Tensor | None) -> RNNState:
        """(layers, B, enc_dim) states -> decoder state, each (layers, B, hidden)."""
        new_h = torch.tanh(self.h(h))
        if self.c is None or c is None:
            return new_h
        return new_h, torch.tanh(self.c(c))


class Seq2Seq(nn.Module):
    """The encoder-decoder network; decoding algorithms live in ``engine.search``."""

    def __init__(self, cfg: ModelConfig, src_vocab: int, tgt_vocab: int) -> None:
        super().__init__()
        self.cfg = cfg
        self.src_vocab, self.tgt_vocab = src_vocab, tgt_vocab
        self.encoder: RNNEncoder | CNNEncoder
        if cfg.encoder == "cnn":  # a captioner: src is a batch of images
            self.encoder = CNNEncoder(cfg)
        else:
            self.encoder = RNNEncoder(cfg, src_vocab)
        enc_dim = self.encoder.out_dim
        self.decoder = RNNDecoder(cfg, tgt_vocab, enc_dim)
        self.bridge: Bridge | None = None
        if cfg.encoder == "rnn" and (cfg.bridge or enc_dim != cfg.hidden):
            self.bridge = Bridge(enc_dim, cfg.hidden, cfg.cell == "lstm")
        if cfg.init_uniform > 0:  # Sutskever et al. 2014, sec. 3.4
            for p in self.parameters():
                nn.init.uniform_(p, -cfg.init_uniform, cfg.init_uniform)

    def encode(
        self, src: Tensor, src_len: Tensor, host_len: Tensor | None = None
    ) -> Encoded:
        """Run the encoder and prepare everything the decoder needs, once per sentence.

        Args:
            src: source ids + EOS, PAD-padded, (B, S).
            src_len: real lengths (>= 1), (B,).
            host_len: optional, ``src_len`` on the CPU (see ``RNNEncoder.forward``).
        Returns:
            the ``Encoded`` batch.
        """
        if self.cfg.encoder == "cnn":
            return self._encode_images(src)
        outputs, h, c = self.encoder(
            src, src_len, host_len
        )  # (B,S,D), (L,B,D), (L,B,D)|None
        mask = (
            torch.arange(src.size(1), device=src.device)[None, :] < src_len[:, None]
        )  # (B, S)
        att = self.decoder.attention
        keys = (
            att.precompute_keys(outputs) if att is not None else None
        )  # (B, S, hidden)
        if self.bridge is not None:
            rnn = self.bridge(h, c)
        else:
            rnn = (h, c) if c is not None else h
        feed = None
        if self.cfg.input_feeding:
            feed = outputs.new_zeros(src.size(0), self.cfg.hidden)  # (B, hidden)
        final = h[-1]  # (B, enc_dim)
        context = final if self.cfg.context_every_step else None
        return Encoded(outputs, mask, keys, final, DecoderState(rnn, feed), context)

    def _encode_images(self, images: Tensor) -> Encoded:
        """The CNN's view of images (B, 3, H, W): every grid cell is a source position
        (all real: the mask is all true), the pooled encoding is the final state."""
        outputs, pooled, _ = self.encoder(images)  # (B, P, D), (B, D)
        mask = outputs.new_ones(outputs.shape[:2], dtype=torch.bool)  # (B, P)
        att = self.decoder.attention
        keys = att.precompute_keys(outputs) if att is not None else None  # (B, P, hid)
        # With attention the decoder starts from a learned state (the affine map's
        # bias), not from the pooled image: all it learns of the image then comes
        # through the attention, which makes its weights show where it looks.
        start = pooled if att is None else torch.zeros_like(pooled)
        h, c = self.encoder.initial_state(start)  # (layers, B, hidden) each
        feed = None
        if self.cfg.input_feeding:
            feed = outputs.new_zeros(images.size(0), self.cfg.hidden)  # (B, hidden)
        context = pooled if self.cfg.context_every_step else None
        rnn = (h, c) if c is not None else h
        return Encoded(outputs, mask, keys, pooled, DecoderState(rnn, feed), context)

    def step(self, prev: Tensor, state: DecoderState, enc: Encoded) -> StepOutput:
        """One decoder step; see ``RNNDecoder.step``. prev (B,) -> logits (B, V)."""
        return self.decoder.step(prev, state, enc)

    def forward(
        self,
        src: Tensor,
        src_len: Tensor,
        tgt_in: Tensor,
        teacher_forcing: float = 1.0,
        keep: Tensor | None = None,
        host_len: Tensor | None = None,
    ) -> Tensor:
        """Teacher-forced logits.

        Args:
            src: (B, S) source ids; src_len: (B,) lengths.
            tgt_in: BOS + target ids, PAD-padded, (B, T).
            teacher_forcing: probability of feeding the reference token (1.0 = always).
            keep: optional; logits only for these positions (e.g. not PAD): a (B, T)
                bool mask, or the N positions in the (B*T) flattened order
                (``Batch.real``: made on the host, so no GPU sync to count them).
            host_len: optional, ``src_len`` on the CPU (``Batch.host_src_len``).
        Returns:
            logits, (B, T, V), or (N, V) for the N positions of ``keep``.
        """
        enc = self.encode(src, src_len, host_len)
        return self.decoder(tgt_in, enc, teacher_forcing, keep)

    @staticmethod
    def select_state(state: DecoderState, index: Tensor) -> DecoderState:
        """Rows ``index`` (N,) of a decoder state (for beam reordering/expansion)."""
        rnn = state.rnn
        if isinstance(rnn, tuple):
            rnn = tuple(x.index_select(1, index) for x in rnn)
        else:
            rnn = rnn.index_select(1, index)
        feed = None if state.feed is None else state.feed.index_select(0, index)
        return DecoderState(rnn, feed)

    def select(
        self, enc: Encoded, state: DecoderState, index: Tensor
    ) -> tuple[Encoded, DecoderState]:
        """Reorder or expand a batch: row i of the result is row ``index[i]``.

        Args:
            enc: encoded batch of B rows.
            state: decoder state of B rows.
            index: rows to take, (N,).
        Returns:
            (enc, state) with N rows.
        """
        return self.select_encoded(enc, index), self.select_state(state, index)

    @classmethod
    def select_encoded(cls, enc: Encoded, index: Tensor) -> Encoded:
        """Rows ``index`` (N,) of an encoded batch."""

        def pick(x: Tensor | None) -> Tensor | None:
            return None if x is None else x.index_select(0, index)

        return Encoded(
            pick(enc.outputs),
            pick(enc.mask),
            pick(enc.keys),
            pick(enc.final),
            cls.select_state(enc.init_state, index),
            pick(enc.context),
        )

    def token_states(
        self, src: Tensor, src_len: Tensor, layer: int = -1, part: str = "h"
    ) -> tuple[Tensor, Tensor]:
        """Encoder states for analysis; see ``RNNEncoder.token_states``.

        Returns:
            per-token states (B, S, enc_dim) in original order and final (B, enc_dim);
            for images, the grid cells' features (B, P, D) and their average (B, D).
        """
        if self.cfg.encoder == "cnn":
            with torch.no_grad():
                outputs, pooled, _ = self.encoder(src)
            return outputs, pooled
        return self.encoder.token_states(src, src_len, layer, part)


def target_logits(net: nn.Module, batch: Batch, teacher_forcing: float = 1.0) -> Tensor:
    """``net``'s logits at ``batch``'s real target tokens only, (N, V), in
    ``batch.targets`` order: no vocabulary projection at padding, and the positions and
    lengths come from the host, so nothing waits for a GPU. ``net`` is a Seq2Seq or a
    wrapper that forwards to one (DistributedDataParallel)."""
    return net(
        batch.src,
        batch.src_len,
        batch.tgt_in,
        teacher_forcing,
        batch.real,
        host_len=batch.host_src_len,
    )


def build_model(cfg: ModelConfig, src_vocab: int, tgt_vocab: int) -> Seq2Seq:
    """A freshly initialised ``Seq2Seq`` for the given vocabulary sizes."""
    model = Seq2Seq(cfg, src_vocab, tgt_vocab)
    n = sum(p.numel() for p in model.parameters())
    logger.debug("built %s seq2seq with %d parameters", cfg.cell, n)
    return model
