"""CNNEncoder: a small convolutional image encoder in front of the RNN decoder.

Image captioning as an encoder-decoder: the CNN's feature map is either pooled and put
through an affine layer into the decoder's first state (the study notes' captioner), or,
with attention, flattened into H'xW' source positions that the decoder's attention reads
at every word (Xu et al. 2015, Show, Attend and Tell); the decoder then starts from a
learned state, so that what it knows of the image comes through the attention. No pretrained weights: everything
is learned from the corpus, offline.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from engine.config import ModelConfig


def grid_side(image_size: int, blocks: int) -> int:
    """Side of the feature map after ``blocks`` stride-2 convolutions (padding 1)."""
    side = image_size
    for _ in range(blocks):
        side = (side + 1) // 2
    return side


class CNNEncoder(nn.Module):
    """``cfg.cnn_layers`` blocks, each two 3x3 conv + batch norm + ReLU layers, the
    first with stride 2 (VGG-style: the second widens what a grid cell sees, to about
    43 pixels after three blocks, enough for the largest shape of the shapes task).

    Block i has ``cnn_channels * 2**i`` channels. Two constant channels with the pixel's
    x and y (in [-1, 1]) are added to the image (Liu et al. 2018, CoordConv): pooled
    features can then still say where a shape was, which captions like "above" need.
    """

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.cfg = cfg
        layers: list[nn.Module] = []
        channels = 3 + 2
        for i in range(cfg.cnn_layers):
            out = cfg.cnn_channels * 2**i
            layers += [
                nn.Conv2d(channels, out, 3, stride=2, padding=1, bias=False),
                nn.BatchNorm2d(out),
                nn.ReLU(inplace=True),
                nn.Conv2d(out, out, 3, padding=1, bias=False),
                nn.BatchNorm2d(out),
                nn.ReLU(inplace=True),
            ]
            channels = out
        self.blocks = nn.Sequential(*layers)
        self.out_dim = channels
        # The pooled encoding -> the decoder's first state, one map per layer (and
        # one more for LSTM cells): the affine layer of the captioner in the notes.
        n = cfg.layers * cfg.hidden
        self.init_h = nn.Linear(channels, n)
        self.init_c = nn.Linear(channels, n) if cfg.cell == "lstm" else None

    @staticmethod
    def _coords(images: Tensor) -> Tensor:
        """(B, 3, H, W) -> (B, 5, H, W) with x and y channels appended."""
        b, _, h, w = images.shape
        ys = torch.linspace(-1.0, 1.0, h, device=images.device, dtype=images.dtype)
        xs = torch.linspace(-1.0, 1.0, w, device=images.device, dtype=images.dtype)
        yy = ys.view(1, 1, h, 1).expand(b, 1, h, w)
        xx = xs.view(1, 1, 1, w).expand(b, 1, h, w)
        return torch.cat([images, xx, yy], dim=1)

    def forward(self, images: Tensor) -> tuple[Tensor, Tensor, tuple[int, int]]:
        """Encode a batch of images.

        Args:
            images: normalised pixels, (B, 3, H, W).
        Returns:
            grid features flattened row-major (B, P, D) with P = H'*W', their global
            average (B, D), and the grid's (H', W').
        """
        feat = self.blocks(self._coords(images))  # (B, D, H', W')
        grid = (feat.size(2), feat.size(3))
        outputs = feat.flatten(2).transpose(1, 2)  # (B, P, D), row-major cells
        return outputs, outputs.mean(dim=1), grid

    def initial_state(self, pooled: Tensor) -> tuple[Tensor, Tensor | None]:
        """Decoder start state from the pooled encoding (B, D): h (layers, B, hidden)
        and c likewise for LSTM (else None), each through affine + tanh."""
        layers, hidden = self.cfg.layers, self.cfg.hidden
        b = pooled.size(0)

        def per_layer(linear: nn.Linear) -> Tensor:
            x = torch.tanh(linear(pooled))  # (B, layers*hidden)
            return x.view(b, layers, hidden).transpose(0, 1).contiguous()

        c = None if self.init_c is None else per_layer(self.init_c)
        return per_layer(self.init_h), c
