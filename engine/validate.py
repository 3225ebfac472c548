"""Dev-set validation during training: loss, perplexity, greedy BLEU/chrF, samples."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager

import torch

from engine.events import EvalResult, Sample
from engine.image_corpus import group_references
from engine.image_source import CAPTION_MAX_LEN, collate
from engine.loss import sequence_loss
from engine.metrics import corpus_bleu, corpus_chrf, pick_tokenize, sentence_bleu
from engine.model import Seq2Seq, target_logits
from engine.search import greedy_decode
from engine.tokenizer import Tokenizer

N_SAMPLES = 8  # dev sentences shown with each evaluation ("probe sentences")

Autocast = Callable[[], AbstractContextManager]


@torch.no_grad()
def dev_loss(
    model: Seq2Seq,
    src: Sequence[list[int]],
    tgt: Sequence[list[int]],
    device: torch.device,
    batch_size: int,
    autocast: Autocast,
    src_tok: object = None,
) -> float:
    """Mean negative log-likelihood per real target token (EOS included).

    ``src_tok`` is needed for images (``engine.image_source.collate``)."""
    nll_total, tokens = 0.0, 0
    order = sorted(range(len(src)), key=lambda i: len(src[i]))
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        batch = collate([src[i] for i in idx], [tgt[i] for i in idx], idx, src_tok)
        batch = batch.to(device, non_blocking=device.type == "cuda")
        with autocast():
            logits = target_logits(model, batch)  # (N, V)
        _, nll = sequence_loss(logits, batch.targets)
        nll_total += float(nll)
        tokens += batch.n_tgt_tokens
    return nll_total / max(tokens, 1)


@torch.no_grad()
def greedy_texts(
    model: Seq2Seq,
    sources: Sequence[list[int]],
    tgt_tok: Tokenizer,
    device: torch.device,
    batch_size: int,
    autocast: Autocast,
    src_tok: object = None,
) -> list[str]:
    """Greedy translations of encoded sources, in order, batched by length
    (``src_tok``: needed for images, see ``dev_loss``)."""
    order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
    outputs: dict[int, str] = {}
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        rows = [sources[i] for i in idx]
        batch = collate(rows, [[]] * len(idx), idx, src_tok).to(device)
        images = isinstance(rows[0], torch.Tensor)
        max_len = CAPTION_MAX_LEN if images else int(batch.src_len.max()) * 2 + 10
        with autocast():
            found = greedy_decode([model], batch.src, batch.src_len, max_len)
        for i, hyp in zip(idx, found):
            outputs[i] = tgt_tok.decode(list(hyp.tokens))
    return [outputs[i] for i in range(len(sources))]


def _one_or_all(refs: list[str]) -> str | list[str]:
    """A probe's references: "" (none), the one string, or all of them."""
    return "" if not refs else refs[0] if len(refs) == 1 else refs


def validate(
    model: Seq2Seq,
    dev_pairs: Sequence[tuple[str, str]],
    dev_src: Sequence[list[int]],
    dev_tgt: Sequence[list[int]],
    src_tok: Tokenizer,
    tgt_tok: Tokenizer,
    *,
    device: torch.device,
    batch_size: int,
    bleu_sentences: int,
    probes: Sequence[str] = (),
    autocast: Autocast,
    step: int = 0,
    epoch: float = 0.0,
) -> EvalResult:
    """Dev loss and perplexity on every dev pair, greedy BLEU/chrF on the first
    ``bleu_sentences``, and sample translations (of ``probes`` when given, else of
    the first dev sentences). The model is left in training mode."""
    model.eval()
    try:
        loss = dev_loss(model, dev_src, dev_tgt, device, batch_size, autocast, src_tok)
        n = min(bleu_sentences, len(dev_src))
        # A source that comes more than once (an image and its captions) is decoded
        # once and scored against all its references; unique sources as they are.
        first: dict[str, int] = {}
        for i, (source, _) in enumerate(dev_pairs[:n]):
            first.setdefault(source, i)
        srcs, ref_lists = group_references(
            [s for s, _ in dev_pairs[:n]], [r for _, r in dev_pairs[:n]]
        )
        multi = len(srcs) < n
        refs = ref_lists if multi else [r for _, r in dev_pairs[:n]]
        flat = [r for _, r in dev_pairs[:n]]
        hyps = greedy_texts(
            model,
            [dev_src[i] for i in first.values()],
            tgt_tok,
            device,
            batch_size,
            autocast,
            src_tok,
        )
        tokenize = pick_tokenize(flat) if flat else "13a"
        bleu = corpus_bleu(hyps, refs, tokenize=tokenize) if hyps else float("nan")
        chrf = corpus_chrf(hyps, refs) if hyps else float("nan")
        if probes:
            references: dict[str, list[str]] = {}
            for source, ref in dev_pairs:
                references.setdefault(source, []).append(ref)
            srcs = list(probes)
            refs = [_one_or_all(references.get(p, [])) for p in probes]
            encoded = src_tok.encode_batch(srcs)
            hyps = greedy_texts(
                model, encoded, tgt_tok, device, batch_size, autocast, src_tok
            )
    finally:
        model.train()
    samples = tuple(
        Sample(
            s,
            r if isinstance(r, str) else " | ".join(r),
            h,
            sentence_bleu(h, r, tokenize=tokenize) if r else float("nan"),
        )
        for s, r, h in list(zip(srcs, refs, hyps))[:N_SAMPLES]
    )
    return EvalResult(
        step=step,
        epoch=epoch,
        dev_loss=loss,
        dev_ppl=math.exp(min(loss, 50.0)),
        bleu=bleu,
        chrf=chrf,
        samples=samples,
    )
