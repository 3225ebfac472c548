"""format_table: the `s2s bench` figures as a table, each of ours beside the reference's."""

from __future__ import annotations


def _num(x: float | None) -> str:
    if x is None:
        return "-"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def format_table(results: dict) -> str:
    """A human-readable table: each of our figures beside the reference and the ratio."""
    cuda = results["device"].startswith("CUDA")
    flops_unit = "TFLOP/s" if cuda else "GFLOP/s"
    flops_key = "achieved_tflops" if cuda else "achieved_gflops"
    datasheet = results["peak_tflops"] is not None
    util_key = (
        "flops_utilization"
        if datasheet
        else "flops_utilization_vs_measured_matmul_peak"
    )
    pct = {  # utilisation in percent, for display only
        k: None if results[k] is None else 100 * results[k]
        for k in (util_key, f"reference_{util_key}")
    }
    rows = [
        (
            "training tokens/s (src+tgt)",
            "train_tokens_per_s",
            "reference_train_tokens_per_s",
        ),
        (
            "training tokens/s (target)",
            "train_tgt_tokens_per_s",
            "reference_train_tgt_tokens_per_s",
        ),
        *_load_rows(results),
        (
            "training peak memory (MB)",
            "train_peak_memory_mb",
            "reference_train_peak_memory_mb",
        ),
        (f"training model {flops_unit}", flops_key, f"reference_{flops_key}"),
        (
            "  % of datasheet peak" if datasheet else "  % of measured matmul peak",
            util_key,
            f"reference_{util_key}",
        ),
        (
            "greedy sentences/s",
            "greedy_sentences_per_s",
            "reference_greedy_sentences_per_s",
        ),
        (
            "greedy latency, one sentence, p50 (ms)",
            "greedy_latency_p50_ms",
            "reference_greedy_latency_p50_ms",
        ),
        (
            "greedy latency, one sentence, p95 (ms)",
            "greedy_latency_p95_ms",
            "reference_greedy_latency_p95_ms",
        ),
        (
            f"largest training batch ({results['largest_batch_unit']})",
            "largest_batch",
            "reference_largest_batch",
        ),
    ]
    lines = [
        f"device: {results['device']}",
        _describe_run(results),
        f"{'figure':44} {'ours':>11} {'reference':>11} {'ratio':>7}",
    ]
    for label, ours_key, ref_key in rows:
        ours, ref = results[ours_key], results[ref_key]
        if ours_key in pct:
            ours, ref = pct[ours_key], pct[ref_key]
        ratio = f"{ours / ref:>6.2f}x" if ours is not None and ref else f"{'-':>7}"
        lines.append(f"{label:44} {_num(ours):>11} {_num(ref):>11} {ratio}")
    beam, single = (
        results["beam5_sentences_per_s"],
        results["beam5_single_sentence_per_s"],
    )
    lines += [
        f"{'beam-5 sentences/s, batched vs one at a time':44} {_num(beam):>11} "
        f"{_num(single):>11} {beam / single:>6.2f}x",
        f"{'beam-5 latency, one sentence, p50 / p95 (ms)':44} "
        f"{_num(results['latency_p50_ms']):>11} {_num(results['latency_p95_ms']):>11}",
        *_precision_lines(results, "int8"),
        *_precision_lines(results, "bf16"),
        *_worker_lines(results),
        f"{'process peak memory (MB)':44} {_num(results['peak_memory_mb']):>11}",
        "ratio = ours / reference: above 1 is better for rates, below 1 for ms, MB;",
        f"one sentence: {results['latency_sentence_pieces']} pieces; model FLOPs: "
        f"{_num(results['train_model_flops_per_token'])} per token (s2s bench --json "
        "has the method)",
    ]
    return "\n".join(lines)


def _load_rows(results: dict) -> list[tuple[str, str, str]]:
    """Training beside busy processes (``s2s bench --load N``): rates, and the share
    of the quiet rate each kept; nothing when it was not measured."""
    load = results.get("load_processes")
    if not load:
        return []
    return [
        (
            f"training tokens/s beside {load} busy processes",
            "load_train_tokens_per_s",
            "load_reference_train_tokens_per_s",
        ),
        (
            "  share of the quiet rate kept",
            "train_load_vs_quiet",
            "reference_train_load_vs_quiet",
        ),
    ]


def _precision_lines(results: dict, name: str) -> list[str]:
    """Beam 5 at precision ``name`` (int8: CPU runs; bf16: where the device has it)
    beside float32; nothing when it was not measured."""
    rate = results.get(f"beam5_{name}_sentences_per_s")
    if rate is None:
        return []
    return [
        f"{f'beam-5 sentences/s, {name} vs float32':44} {_num(rate):>11} "
        f"{_num(results['beam5_sentences_per_s']):>11} "
        f"{results[f'beam5_{name}_ratio_vs_fp32']:>6.2f}x",
        f"{f'{name} beam-5 latency, p50 / p95 (ms)':44} "
        f"{_num(results[f'{name}_latency_p50_ms']):>11} "
        f"{_num(results[f'{name}_latency_p95_ms']):>11}",
    ]


def _worker_lines(results: dict) -> list[str]:
    """Beam 5 on one-thread workers (as ``s2s translate`` on a CPU) beside one worker."""
    workers = results.get("decode_workers")
    if workers is None:
        return []
    lines = []
    for prefix, name in (("", "float32"), ("int8_", "int8")):
        rate = results[f"beam5_{prefix}workers_sentences_per_s"]
        if rate is None:
            continue
        one = results[f"beam5_{prefix}sentences_per_s"]
        label = f"beam-5 sentences/s, {name}, {workers} workers vs 1"
        lines.append(
            f"{label:44} {_num(rate):>11} {_num(one):>11} "
            f"{results[f'beam5_{prefix}workers_ratio_vs_one']:>6.2f}x"
        )
    return lines


def _describe_run(results: dict) -> str:
    m = results["model"]
    attention = m["attention"] if m["attention"] != "none" else "no attention"
    reverse = ", reversed source" if m["reverse_source"] else ""
    data = results["data"]
    return (
        f"model: {m['cell']} {m['layers']}x{m['hidden']}, emb {m['emb']}, {attention}"
        f"{reverse}; vocab {results['src_vocab']}/{results['tgt_vocab']}; batch "
        f"{results['batch_tokens'] or results['batch_size']}"
        f"{' tokens' if results['batch_tokens'] else ''}; {results['optimizer']}"
        f"{', bf16' if results['bf16'] else ''}\n"
        f"data: {data} ({results['train_pairs']} training pairs, mean "
        f"{results['mean_src_len']} / {results['mean_tgt_len']} pieces)"
    )
