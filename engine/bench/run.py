"""run_bench: ours and the reference on the same batches, figure by figure (training, decoding, FLOPs, largest batch)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import replace

import torch
from torch import nn

from engine.batching import Batch, BucketSampler, make_batch
from engine.bench.data import corpus_data, synthetic_data
from engine.bench.flops import (
    FLOPS_METHOD,
    count_macs,
    datasheet_peak_tflops,
    measured_matmul_tflops,
)
from engine.bench.load import BusyLoad
from engine.bench.memory import (
    MemoryMeter,
    _mem_available,
    _peak_memory_mb,
    _release_memory,
    largest_batch,
    memory_method,
)
from engine.bench.reference import ReferenceSeq2Seq, reference_config
from engine.bench.timing import (
    TrainRate,
    _bench_training,
    _latency_ms,
    _rate,
    _rate_on_workers,
    _sync,
    _timed_steps,
    _train_step_fn,
)
from engine.config import Config, DecodeConfig
from engine.cpu_threads import USER_CHOICES
from engine.model import build_model
from engine.quantize import int8_available, int8_decoder
from engine.search import beam_search, greedy_decode, max_lengths
from engine.stepcells import inference_copy
from engine.tokenizer import EOS
from engine.utils import bf16_autocast, device_name, pick_device, set_seed, uses_bf16

logger = logging.getLogger(__name__)

BENCH_MODEL = {
    "cell": "lstm",
    "layers": 2,
    "emb": 256,
    "hidden": 256,
    "attention": "dot",
}
LATENCY_PIECES = 13  # about a 10-word sentence
MAX_BATCH_CAP = {"cuda": 1 << 16, "cpu": 4096}  # sentences; other devices: cpu's


def _ratio(ours: float | None, reference: float | None) -> float | None:
    if ours is None or not reference:
        return None
    return round(ours / reference, 3)


# -------------------------------------------------------------------------- main
def run_bench(
    config: Config | None = None,
    device: str = "auto",
    seconds: float = 10.0,
    sentences: int = 1000,
    vocab: int | None = None,
    tgt_vocab: int | None = None,
    data: str | None = None,
    max_batch: bool | None = None,
    max_batch_cap: int | None = None,
    load: int = 0,
    progress: Callable[[str], None] = lambda message: None,
) -> dict:
    """Measure ours and the reference on the same batches; return the figures.

    Args:
        config: the model and training settings (default: 2x256 LSTM, dot attention).
        device: auto | cpu | cuda | mps.
        seconds: time per training figure.
        sentences: sentences decoded for the decoding figures.
        vocab: synthetic data: source (and target) vocabulary; with ``data``: the
            tokenizer's cap. Default: the config's ``data.vocab_size``.
        tgt_vocab: synthetic data only: a different target vocabulary.
        data: a corpus spec (any format training reads) instead of synthetic pairs.
        max_batch: search the largest training batch that fits (None: on CUDA only).
        max_batch_cap: the search's upper bound in sentences (default MAX_BATCH_CAP).
        load: also time training, ours and the reference, beside this many busy
            processes (see :func:`_training_under_load`).
    """
    if seconds <= 0 or sentences < 1:
        raise ValueError("--seconds must be > 0 and --sentences at least 1")
    if load < 0:
        raise ValueError(f"--load must be 0 or more; got {load}")
    if tgt_vocab is not None and tgt_vocab < 16:
        raise ValueError(f"--tgt-vocab must be at least 16; got {tgt_vocab}")
    config = config or Config()
    if config == Config():
        config = replace(
            config, model=replace(config.model, **BENCH_MODEL, dropout=0.0)
        )
    if vocab is not None:
        config = replace(config, data=replace(config.data, vocab_size=vocab))
    mcfg, tcfg = config.model, config.train
    dev = pick_device(device)
    set_seed(0)
    if data is None:
        size = config.data.vocab_size
        bench_data = synthetic_data(size, tgt_vocab or size, sentences)
    elif tgt_vocab is not None:
        raise ValueError("--tgt-vocab applies to synthetic data only (not with --data)")
    else:
        bench_data = corpus_data(data, config, sentences, progress)
    results: dict = {
        "device": device_name(dev),
        "model": vars(mcfg).copy(),
        "vocab": bench_data.tgt_vocab,
        "batch_size": tcfg.batch_size,
        "batch_tokens": tcfg.batch_tokens,
        "optimizer": tcfg.optimizer,
        "bf16": uses_bf16(dev, tcfg.bf16),
        "threads": torch.get_num_threads(),
        "openmp_settings": {  # how its threads wait (see engine.cpu_threads)
            name: os.environ[name] for name in USER_CHOICES if name in os.environ
        },
        **bench_data.describe(),
    }
    ours, ref, ours_step, ref_step, device_peak = _training_figures(
        results, config, bench_data, dev, seconds, load, progress
    )
    _decoding_figures(results, ours, ref, bench_data.test_src, dev, progress)
    peak = _peak_memory_mb(dev)  # CUDA: since the reference's meter reset the peak
    if device_peak is not None:
        peak = max(peak, device_peak / 2**20)
    results["peak_memory_mb"] = round(peak, 1)
    progress("measuring a matmul peak")
    _flops_figures(results, dev, results["bf16"])
    if max_batch is None:
        max_batch = dev.type == "cuda"
    ours.train()
    ref.train()
    _max_batch_figures(
        results,
        bench_data,
        tcfg,
        dev,
        ours_step,
        ref_step,
        max_batch,
        max_batch_cap,
        progress,
    )
    return results


def _training_figures(results, config, bench_data, dev, seconds, load, progress):
    mcfg, tcfg = config.model, config.train
    sv, tv = bench_data.src_vocab, bench_data.tgt_vocab
    src, tgt = bench_data.train_src, bench_data.train_tgt
    sampler = BucketSampler(
        [len(s) + 1 for s in src],
        [len(t) + 1 for t in tgt],
        batch_size=tcfg.batch_size,
        batch_tokens=tcfg.batch_tokens,
        seed=0,
    )
    batches = [
        make_batch([src[i] for i in idx], [tgt[i] for i in idx], idx)
        for idx in sampler.epoch_batches(0)[:60]
    ]
    ref_cfg = reference_config(mcfg)
    flops, ref_flops = (
        [
            count_macs(cfg, tv).train_flops(b.src_len.tolist(), b.tgt_len.tolist())
            for b in batches
        ]
        for cfg in (mcfg, ref_cfg)
    )
    batches = [b.to(dev) for b in batches]
    tokens = sum(b.n_src_tokens + b.n_tgt_tokens for b in batches)

    def ours_model() -> nn.Module:
        return build_model(mcfg, sv, tv)

    def ref_model() -> nn.Module:
        return ReferenceSeq2Seq.like(ref_cfg, sv, tv)

    # Library start-up (thread pools, kernel caches, cuBLAS workspaces) would count
    # against the first model measured: one throw-away step of each first.
    for make in (ours_model, ref_model):
        _train_step_fn(make().to(dev), dev, tcfg)(batches[0])
    progress("training: ours")
    ours, ours_step, rate, meter = _bench_training(
        ours_model, batches, flops, dev, tcfg, seconds
    )
    progress("training: reference")
    ref, ref_step, ref_rate, ref_meter = _bench_training(
        ref_model, batches, ref_flops, dev, tcfg, seconds
    )
    results.update(
        train_tokens_per_s=round(rate.tokens_per_s, 1),
        train_tgt_tokens_per_s=round(rate.tgt_tokens_per_s, 1),
        reference_train_tokens_per_s=round(ref_rate.tokens_per_s, 1),
        reference_train_tgt_tokens_per_s=round(ref_rate.tgt_tokens_per_s, 1),
        train_ratio_vs_reference=round(rate.tokens_per_s / ref_rate.tokens_per_s, 3),
        memory_method=memory_method(dev),
        train_peak_memory_mb=meter.mb,
        reference_train_peak_memory_mb=ref_meter.mb,
        train_memory_ratio_vs_reference=_ratio(meter.mb, ref_meter.mb),
        flops_method=FLOPS_METHOD,
        train_model_flops_per_token=round(sum(flops) / tokens, 1),
        reference_train_model_flops_per_token=round(sum(ref_flops) / tokens, 1),
        achieved_tflops=round(rate.flops_per_s / 1e12, 6),
        reference_achieved_tflops=round(ref_rate.flops_per_s / 1e12, 6),
        achieved_gflops=round(rate.flops_per_s / 1e9, 3),
        reference_achieved_gflops=round(ref_rate.flops_per_s / 1e9, 3),
        flops_ratio_vs_reference=_ratio(rate.flops_per_s, ref_rate.flops_per_s),
    )
    if load:
        progress(f"training beside {load} busy processes: ours and reference")
    quiet = (rate.tokens_per_s, ref_rate.tokens_per_s)
    results.update(
        _training_under_load(load, ours_step, ref_step, batches, seconds, quiet)
    )
    return ours, ref, ours_step, ref_step, ref_meter.device_peak


def _training_under_load(load, ours_step, ref_step, batches, seconds, quiet) -> dict:
    """Training rates, ours and the reference, beside ``load`` busy processes.

    A desktop's CPU is shared (a browser, the app's own window), and a step that needs
    every core at each of its parallel regions loses more to a busy neighbour than one
    that leaves cores idle. Both steps have had their warm-up pass; they alternate
    (ours, reference, reference, ours, half the time each) so that a load that drifts
    weighs on both alike. Every figure is None when ``load`` is 0.

    Args:
        quiet: the quiet (src+tgt) tokens/s of ours and the reference.
    """
    keys = ("load_train_tokens_per_s", "load_train_tgt_tokens_per_s")
    keys += tuple(f"load_reference_{key[5:]}" for key in keys)
    ratios = ("train_load_ratio_vs_reference", "train_load_vs_quiet")
    ratios += ("reference_train_load_vs_quiet",)
    out = {"load_processes": load} | dict.fromkeys((*keys, *ratios))
    if not load:
        return out
    rates: dict[str, list[TrainRate]] = {"ours": [], "reference": []}
    with BusyLoad(load):
        for name in ("ours", "reference", "reference", "ours"):
            step = ours_step if name == "ours" else ref_step
            rates[name].append(_timed_steps(step, batches, seconds / 2, warm_up=False))
    mean = {  # each name ran twice for the same time: the mean is the overall rate
        name: [
            sum(field) / 2
            for field in zip(*((r.tokens_per_s, r.tgt_tokens_per_s) for r in runs))
        ]
        for name, runs in rates.items()
    }
    figures = (*mean["ours"], *mean["reference"])
    out.update(zip(keys, (round(x, 1) for x in figures), strict=True))
    (ours, _), (ref, _) = mean["ours"], mean["reference"]
    out["train_load_ratio_vs_reference"] = _ratio(ours, ref)
    out["train_load_vs_quiet"] = _ratio(ours, quiet[0])
    out["reference_train_load_vs_quiet"] = _ratio(ref, quiet[1])
    return out


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


def _flops_figures(results: dict, dev: torch.device, bf16: bool) -> None:
    """Utilisation against the datasheet peak (CUDA) and a matmul measured here, in the
    dtype the training ran its matmuls in (``bf16``: whether it autocast to bf16)."""
    dtype = torch.bfloat16 if bf16 else torch.float32
    measured = measured_matmul_tflops(dev, dtype)
    peak = None
    if dev.type == "cuda":
        peak = datasheet_peak_tflops(torch.cuda.get_device_name(dev), bf16)
    ours, ref = results["achieved_tflops"], results["reference_achieved_tflops"]
    results.update(
        measured_matmul_tflops=round(measured, 4),
        measured_matmul_dtype=str(dtype).removeprefix("torch."),
        flops_utilization_vs_measured_matmul_peak=round(ours / measured, 4),
        reference_flops_utilization_vs_measured_matmul_peak=round(ref / measured, 4),
        peak_tflops=peak[0] if peak else None,
        peak_tflops_source=peak[1] if peak else None,
        flops_utilization=round(ours / peak[0], 4) if peak else None,
        reference_flops_utilization=round(ref / peak[0], 4) if peak else None,
    )


def _max_batch_figures(
    results, data, tcfg, dev, ours_step, ref_step, enabled, cap, progress
) -> None:
    """The largest training batch of the data's longest pairs, ours and reference."""
    long_src, long_tgt = max(data.train_src, key=len), max(data.train_tgt, key=len)
    per_sentence = len(long_src) + len(long_tgt) + 2  # padded tokens, as batch_tokens
    unit = "tokens" if tcfg.batch_tokens > 0 else "sentences"
    results.update(
        largest_batch=None,
        reference_largest_batch=None,
        largest_batch_ratio_vs_reference=None,
        largest_batch_unit=unit,
        largest_batch_limited_by=None,
        reference_largest_batch_limited_by=None,
        largest_batch_method="not measured (on CPU pass --max-batch)",
    )
    if not enabled:
        return
    cap = cap or MAX_BATCH_CAP.get(dev.type, MAX_BATCH_CAP["cpu"])
    budget = None
    if dev.type != "cuda":
        available = _mem_available()
        budget = available // 4 if available else 2**30
    start = max(1, tcfg.batch_size)
    if tcfg.batch_tokens > 0:
        start = max(1, tcfg.batch_tokens // per_sentence)
    found = {}
    for name, step in (("ours", ours_step), ("reference", ref_step)):
        progress(f"largest batch: {name}")
        found[name] = largest_batch(
            _batch_trial(step, long_src, long_tgt, dev, budget),
            cap,
            start,
            release=lambda: _release_memory(dev),
        )
    scale = per_sentence if unit == "tokens" else 1
    ours, ref = found["ours"].largest * scale, found["reference"].largest * scale
    if budget is None:
        how = "no torch.OutOfMemoryError"
    else:
        how = f"peak RSS growth under {budget // 2**20} MB (a quarter of MemAvailable)"
    results.update(
        largest_batch=ours,
        reference_largest_batch=ref,
        largest_batch_ratio_vs_reference=_ratio(ours, ref),
        largest_batch_limited_by=found["ours"].limited_by,
        reference_largest_batch_limited_by=found["reference"].limited_by,
        largest_batch_method=(
            f"largest batch whose training step ran with {how}; doubling from "
            f"train.batch_size then bisecting, up to {cap} sentences; every pair at "
            f"the data's longest ({len(long_src)} source, {len(long_tgt)} target "
            f"pieces){'; tokens = sentences x padded pair length' * (scale > 1)}"
        ),
    )


def _batch_trial(step, long_src, long_tgt, dev, budget):
    """try_step(n) for :func:`largest_batch`: one training step on n longest pairs."""

    def try_step(n: int) -> None:
        batch = make_batch([long_src] * n, [long_tgt] * n, range(n)).to(dev)
        if budget is None:
            step(batch)
            _sync()
            return
        with MemoryMeter(dev) as meter:
            step(batch)
        if meter.peak is not None and meter.peak > budget:
            raise MemoryError(f"{meter.peak // 2**20} MB is over the budget")

    return try_step
