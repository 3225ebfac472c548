"""Decoding figures: greedy and beam search, ours beside the reference; int8, bf16, workers."""

from __future__ import annotations

import logging

import torch
from torch import nn

from engine.batching import Batch, make_batch
from engine.bench.reference import ReferenceSeq2Seq
from engine.bench.timing import (
    _latency_ms,
    _rate,
    _rate_on_workers,
)
from engine.config import DecodeConfig
from engine.quantize import int8_available, int8_decoder
from engine.search import beam_search, greedy_decode, max_lengths
from engine.stepcells import inference_copy
from engine.tokenizer import EOS
from engine.utils import bf16_autocast, uses_bf16

logger = logging.getLogger(__name__)

LATENCY_PIECES = 13  # about a 10-word sentence


def _ratio(ours: float | None, reference: float | None) -> float | None:
    if ours is None or not reference:
        return None
    return round(ours / reference, 3)


# -------------------------------------------------------------------------- main
def _output_bias(model: nn.Module) -> torch.Tensor | None:
    """The vocabulary projection's bias, (V,), or None if the model has none."""
    if isinstance(model, ReferenceSeq2Seq):
        return model.out.bias
    decoder = getattr(model, "decoder", None)
    out = getattr(decoder, "out", None)  # None when tied (then ``out_bias``)
    bias = out.bias if out is not None else getattr(decoder, "out_bias", None)
    return bias if isinstance(bias, torch.Tensor) else None


def _never_end(*models: nn.Module) -> bool:
    """Make untrained models decode to the length limit: EOS's output bias -> -1e4.

    Random weights end sentences at random steps (a model whose first argmax is EOS
    decodes 50x faster), so without this the decoding figures compare luck. Returns
    False if a model's output bias was not found (then nothing is changed).
    """
    biases = [_output_bias(model) for model in models]
    if any(bias is None for bias in biases):
        return False
    with torch.no_grad():
        for bias in biases:
            bias[EOS] = -1e4
    return True


def _decoding_figures(results, ours, ref, test_src, dev, progress) -> None:
    ours.eval()
    ref.eval()
    results["decode_to_length_limit"] = _never_end(ours, ref)
    trained, ours = ours, inference_copy(ours)  # what a Translator decodes with
    sentences = len(test_src)
    order = sorted(range(sentences), key=lambda i: len(test_src[i]))
    dec_batches = [
        make_batch(
            [test_src[i] for i in order[s : s + 64]],
            [[4]] * len(order[s : s + 64]),
            order[s : s + 64],
        ).to(dev)
        for s in range(0, sentences, 64)
    ]

    # EOS never wins (above), so every sentence decodes to its limit: set it to the length
    # a trained model would produce, the data's mean target/source ratio (synthetic:
    # ~1.15) times the source plus EOS, rather than the 2 x source + 10 safety limit.
    ratio = results["mean_tgt_len"] / results["mean_src_len"]
    results["decode_len_ratio"] = round(ratio, 3)
    beam_cfg = DecodeConfig(beam=5, nbest=1, max_len_ratio=ratio, max_len_offset=1)

    def max_len(batch: Batch) -> int:  # greedy, ours and the reference: the batch's
        return int(max_lengths(batch.src_len, beam_cfg).max())

    one_src = min(test_src, key=lambda s: abs(len(s) - LATENCY_PIECES))
    one = make_batch([one_src], [[4]], [0]).to(dev)
    with torch.no_grad():
        progress("greedy decoding: ours and reference")
        greedy = _rate(
            lambda b: greedy_decode([ours], b.src, b.src_len, max_len(b)), dec_batches
        )
        ref_greedy = _rate(lambda b: ref.greedy(b.src, max_len(b)), dec_batches)
        progress("beam-5 decoding: batched and one sentence at a time")
        beam = _rate(
            lambda b: beam_search([ours], b.src, b.src_len, beam_cfg), dec_batches
        )
        singles = [
            make_batch([test_src[i]], [[4]], [i]).to(dev)
            for i in range(min(sentences, 150))
        ]
        single = _rate(
            lambda b: beam_search([ours], b.src, b.src_len, beam_cfg), singles
        )
        progress(f"latency: one {len(one_src)}-piece sentence, greedy and beam 5")
        g50, g95 = _latency_ms(
            lambda: greedy_decode([ours], one.src, one.src_len, max_len(one))
        )
        r50, r95 = _latency_ms(lambda: ref.greedy(one.src, max_len(one)))
        b50, b95 = _latency_ms(
            lambda: beam_search([ours], one.src, one.src_len, beam_cfg)
        )
        int8 = _int8_search(trained, beam_cfg, progress)
        for name, search in (
            ("int8", int8),
            ("bf16", _bf16_search(ours, beam_cfg, progress)),
        ):
            results.update(_precision_figures(name, search, dec_batches, one, beam))
        searches = {
            "": (lambda b: beam_search([ours], b.src, b.src_len, beam_cfg), beam),
            "int8_": (int8, results["beam5_int8_sentences_per_s"]),
        }
        results.update(_worker_figures(searches, dec_batches, dev, progress))
    results.update(
        greedy_sentences_per_s=round(greedy, 1),
        reference_greedy_sentences_per_s=round(ref_greedy, 1),
        greedy_ratio_vs_reference=round(greedy / ref_greedy, 3),
        beam5_sentences_per_s=round(beam, 1),
        beam5_single_sentence_per_s=round(single, 1),
        beam5_ratio_vs_single=round(beam / single, 3),
        latency_sentence_pieces=len(one_src),
        latency_p50_ms=round(b50, 2),
        latency_p95_ms=round(b95, 2),
        greedy_latency_p50_ms=round(g50, 2),
        greedy_latency_p95_ms=round(g95, 2),
        reference_greedy_latency_p50_ms=round(r50, 2),
        reference_greedy_latency_p95_ms=round(r95, 2),
        greedy_latency_p50_ratio_vs_reference=round(g50 / r50, 3),
        greedy_latency_p95_ratio_vs_reference=round(g95 / r95, 3),
    )


def _precision_figures(name: str, search, dec_batches, one, fp32_rate) -> dict:
    """Beam 5 at another precision ``name`` beside float32: rate, ratio, latency.

    ``search(batch)`` decodes one batch; None for every figure when it is None.
    """
    keys = (f"beam5_{name}_sentences_per_s", f"beam5_{name}_ratio_vs_fp32")
    keys += (f"{name}_latency_p50_ms", f"{name}_latency_p95_ms")
    if search is None:
        return dict.fromkeys(keys)
    rate = _rate(search, dec_batches)
    p50, p95 = _latency_ms(lambda: search(one))
    figures = (round(rate, 1), round(rate / fp32_rate, 3), round(p50, 2), round(p95, 2))
    return dict(zip(keys, figures, strict=True))


def _worker_figures(searches, dec_batches, dev, progress) -> dict:
    """Beam 5 as ``s2s translate`` runs it on a CPU: one worker per torch thread, each
    decoding whole batches on one intra-op thread, beside one worker with them all.

    Args:
        searches: {"": float32, "int8_": int8 or None} -> (search, its one-worker rate).
    Returns:
        ``decode_workers`` and per search its rate and ratio; None for every figure on
        a GPU, with one thread, or for a search that is None.
    """
    workers = torch.get_num_threads()
    measure = dev.type == "cpu" and workers > 1
    if measure:
        progress(
            f"beam-5 decoding on {workers} workers of one thread, as s2s translate"
        )
    out = {"decode_workers": workers if measure else None}
    for prefix, (search, one_rate) in searches.items():
        rate = (
            _rate_on_workers(search, dec_batches, workers)
            if measure and search is not None
            else None
        )
        out[f"beam5_{prefix}workers_sentences_per_s"] = (
            None if rate is None else round(rate, 1)
        )
        out[f"beam5_{prefix}workers_ratio_vs_one"] = _ratio(rate, one_rate)
    return out


def _int8_search(ours, beam_cfg, progress):
    """Beam 5 with int8 decoder steps (CPU only, ``s2s translate --int8``), or None."""
    if next(ours.parameters()).device.type != "cpu" or not int8_available():
        return None
    progress("beam-5 decoding with int8 weights")
    quick = int8_decoder(ours)  # after _never_end: it decodes the same lengths
    return lambda b: beam_search([quick], b.src, b.src_len, beam_cfg)


def _bf16_search(ours, beam_cfg, progress):
    """Beam 5 under bf16 autocast (``s2s translate --bf16``) where the device has
    native bf16 (CUDA, AVX512-BF16 or AMX), or None."""
    device = next(ours.parameters()).device
    if not uses_bf16(device, True):
        return None
    progress("beam-5 decoding in bf16")

    def search(b: Batch):
        with bf16_autocast(device, True):
            return beam_search([ours], b.src, b.src_len, beam_cfg)

    return search
