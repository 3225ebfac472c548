"""`s2s bench` for a captioner (model.encoder = cnn): training images/s, ours beside a plain one.

The reference is how a tutorial writes a captioner: the same conv + batch norm + ReLU
stack (without the coordinate channels), and an ``nn.LSTM``/``nn.GRU`` decoder stepped
one word at a time in Python, with Luong dot attention over the grid and input feeding
when the config has them, the pooled image as its first state, a full-vocabulary
cross-entropy, and torch's plain Adam or SGD.
Both train on the same batches of images of the shapes task and the same captions.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import torch
from torch import nn
from torch.nn import functional as F

from engine.batching import Batch
from engine.bench.decoding import _ratio
from engine.bench.timing import _sync, _train_step_fn
from engine.config import Config
from engine.image_source import ImageSource, make_image_batch
from engine.model import build_model
from engine.special import PAD
from engine.utils import device_name, pick_device, set_seed

CAPTION_LEN = 12  # words per synthetic caption (the shapes task's typical length)
BATCHES = 8


class ReferenceCaptioner(nn.Module):
    """A plain CNN + RNN captioner with the config's sizes (see the module docstring)."""

    def __init__(self, config: Config, tgt_vocab: int) -> None:
        super().__init__()
        m = config.model
        layers, channels = [], 3
        for i in range(m.cnn_layers):
            out = m.cnn_channels * 2**i
            layers += [
                nn.Conv2d(channels, out, 3, stride=2, padding=1, bias=False),
                nn.BatchNorm2d(out),
                nn.ReLU(),
                nn.Conv2d(out, out, 3, padding=1, bias=False),
                nn.BatchNorm2d(out),
                nn.ReLU(),
            ]
            channels = out
        self.cnn = nn.Sequential(*layers)
        self.attention = m.attention != "none"
        self.cell, self.layers, self.hidden = m.cell, m.layers, m.hidden
        self.init = nn.Linear(channels, m.layers * m.hidden)
        self.key = nn.Linear(channels, m.hidden, bias=False)
        self.emb = nn.Embedding(tgt_vocab, m.emb, padding_idx=PAD)
        rnn = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}[m.cell]
        self.feeding = m.input_feeding  # Luong's input feeding, as the config asks
        feed = m.hidden if m.input_feeding else 0
        self.rnn = rnn(m.emb + feed, m.hidden, m.layers, batch_first=True)
        self.combine = nn.Linear(channels + m.hidden, m.hidden, bias=False)
        self.out = nn.Linear(m.hidden, tgt_vocab)

    def forward(self, images: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        feat = self.cnn(images).flatten(2).transpose(1, 2)  # (B, P, D)
        pooled = feat.mean(1)
        b = images.size(0)
        h = torch.tanh(self.init(pooled)).view(b, self.layers, -1).transpose(0, 1)
        state = (h.contiguous(), torch.zeros_like(h)) if self.cell == "lstm" else h
        keys = self.key(feat)  # (B, P, hidden)
        logits = []
        prev = feat.new_zeros(b, 1, self.hidden)  # the previous attentional vector
        for t in range(tgt_in.size(1)):  # one word at a time, as tutorials do
            inp = self.emb(tgt_in[:, t : t + 1])  # (B, 1, E)
            if self.feeding:
                inp = torch.cat([inp, prev], -1)
            out, state = self.rnn(inp, state)  # (B, 1, H)
            if self.attention:
                weights = torch.softmax(out @ keys.transpose(1, 2), dim=-1)  # (B,1,P)
                ctx = weights @ feat  # (B, 1, D)
                out = torch.tanh(self.combine(torch.cat([ctx, out], -1)))
            prev = out
            logits.append(self.out(out))
        return torch.cat(logits, 1)  # (B, T, V)


def _reference_step(model: nn.Module, config: Config) -> Callable[[Batch], None]:
    t = config.train
    opt = (torch.optim.SGD if t.optimizer == "sgd" else torch.optim.Adam)(
        model.parameters(), lr=t.lr
    )

    def step(batch: Batch) -> None:
        opt.zero_grad(set_to_none=True)
        logits = model(batch.src, batch.tgt_in)
        loss = F.cross_entropy(
            logits.flatten(0, 1), batch.tgt_out.flatten(), ignore_index=PAD
        )
        loss.backward()
        if t.clip > 0:
            nn.utils.clip_grad_norm_(model.parameters(), t.clip)
        opt.step()

    return step


def _images_per_s(step, batches: list[Batch], seconds: float) -> float:
    step(batches[0])  # warm-up: allocations, kernel choice
    _sync()
    n, i, start = 0, 0, time.perf_counter()
    while i < 3 or time.perf_counter() - start < seconds:
        batch = batches[i % len(batches)]
        step(batch)
        n += batch.size
        i += 1
    _sync()
    return n / (time.perf_counter() - start)


def caption_bench(
    config: Config,
    device: str = "auto",
    seconds: float = 10.0,
    progress: Callable[[str], None] = lambda message: None,
) -> dict:
    """Training throughput in images/s of ours and of the reference captioner."""
    from engine.images import load_image, shapes_ref

    dev = pick_device(device)
    set_seed(1)
    source = ImageSource.from_config(config)
    size, vocab = config.train.batch_size, 32
    progress(f"drawing {size * BATCHES} shapes images")
    gen = torch.Generator().manual_seed(1)
    batches = []
    for b in range(BATCHES):
        images = [
            load_image(shapes_ref(1, b * size + i), source.image_size)
            for i in range(size)
        ]
        caps = torch.randint(4, vocab, (size, CAPTION_LEN), generator=gen).tolist()
        batch = make_image_batch(images, caps, range(size), source.positions)
        batches.append(batch.to(dev))
    ours = build_model(config.model, 0, vocab).to(dev).train()
    ref = ReferenceCaptioner(config, vocab).to(dev).train()
    progress(f"training ours for {seconds:.0f} s")
    ours_rate = _images_per_s(_train_step_fn(ours, dev, config.train), batches, seconds)
    progress(f"training the reference for {seconds:.0f} s")
    ref_rate = _images_per_s(_reference_step(ref, config), batches, seconds)
    return {
        "kind": "caption",
        "device": device_name(dev),
        "threads": torch.get_num_threads(),
        "batch_size": size,
        "image_size": source.image_size,
        "grid": list(source.grid),
        "attention": config.model.attention,
        "parameters": sum(p.numel() for p in ours.parameters()),
        "reference_parameters": sum(p.numel() for p in ref.parameters()),
        "train_images_per_s": {
            "ours": ours_rate,
            "reference": ref_rate,
            "ratio": _ratio(ours_rate, ref_rate),
        },
    }


def format_caption_table(results: dict) -> str:
    """The captioning bench as a few lines of text."""
    rates = results["train_images_per_s"]
    ratio = rates["ratio"]
    return "\n".join(
        [
            f"captioner on {results['device']}: "
            f"{results['image_size']} px images, grid {results['grid'][0]}x"
            f"{results['grid'][1]}, attention {results['attention']}, "
            f"batch {results['batch_size']}",
            f"training   ours {rates['ours']:8.1f} images/s   reference "
            f"{rates['reference']:8.1f} images/s   "
            + (f"x{ratio:.2f}" if ratio is not None else "n/a"),
        ]
    )
