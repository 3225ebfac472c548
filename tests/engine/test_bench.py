"""`s2s bench`: figures beside the reference, --data, FLOP counter, max-batch search."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from engine import bench, utils
from engine.batching import make_batch
from engine.bench.load import BusyLoad
from engine.cli import main
from engine.config import Config, ModelConfig, dumps_config, load_config
from engine.cpu_threads import USER_CHOICES
from engine.model import build_model

ROOT = Path(__file__).resolve().parents[2]

# Every figure of the table, as (ours, reference, ratio) keys.
PAIRED = [
    ("train_tokens_per_s", "reference_train_tokens_per_s", "train_ratio_vs_reference"),
    (
        "greedy_sentences_per_s",
        "reference_greedy_sentences_per_s",
        "greedy_ratio_vs_reference",
    ),
    ("beam5_sentences_per_s", "beam5_single_sentence_per_s", "beam5_ratio_vs_single"),
    ("beam5_int8_sentences_per_s", "beam5_sentences_per_s", "beam5_int8_ratio_vs_fp32"),
    (
        "train_peak_memory_mb",
        "reference_train_peak_memory_mb",
        "train_memory_ratio_vs_reference",
    ),
    ("achieved_tflops", "reference_achieved_tflops", "flops_ratio_vs_reference"),
    (
        "greedy_latency_p50_ms",
        "reference_greedy_latency_p50_ms",
        "greedy_latency_p50_ratio_vs_reference",
    ),
    (
        "greedy_latency_p95_ms",
        "reference_greedy_latency_p95_ms",
        "greedy_latency_p95_ratio_vs_reference",
    ),
]
POSITIVE = [
    "train_tgt_tokens_per_s",
    "reference_train_tgt_tokens_per_s",
    "latency_p50_ms",
    "latency_p95_ms",
    "int8_latency_p50_ms",
    "int8_latency_p95_ms",
    "train_model_flops_per_token",
    "achieved_gflops",
    "reference_achieved_gflops",
    "measured_matmul_tflops",
    "flops_utilization_vs_measured_matmul_peak",
    "peak_memory_mb",
]


@pytest.fixture(autouse=True)
def quick_latency(monkeypatch):
    monkeypatch.setattr(bench.timing, "LATENCY_RUNS", 4)
    monkeypatch.setattr(bench.timing, "LATENCY_WARMUP", 1)


def tiny(**model) -> Config:
    raw = {"cell": "lstm", "layers": 1, "emb": 8, "hidden": 16, "dropout": 0.0}
    return Config.from_dict(
        {"model": raw | model, "train": {"batch_size": 16}, "data": {"vocab_size": 48}}
    )


def bench_cli(argv, capsys) -> dict:
    code = main(["bench", *argv, "--json", "--device", "cpu", "--seconds", "0.05"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def check_figures(results: dict) -> None:
    for ours, ref, ratio in PAIRED:
        assert results[ours] > 0 and results[ref] > 0, (ours, ref)
        assert results[ratio] == pytest.approx(results[ours] / results[ref], rel=0.02)
    for key in POSITIVE:
        assert results[key] > 0, key
    assert results["peak_tflops"] is None and results["flops_utilization"] is None
    check_bf16_decoding(results, utils.uses_bf16(torch.device("cpu"), True))
    check_worker_decoding(results, torch.get_num_threads())
    assert "RSS" in results["memory_method"] or "resident" in results["memory_method"]
    # achieved FLOP/s is the model FLOPs per token times the tokens per second
    rate = results["train_model_flops_per_token"] * results["train_tokens_per_s"]
    assert results["achieved_gflops"] == pytest.approx(rate / 1e9, rel=0.05)


def check_bf16_decoding(results: dict, measured: bool) -> None:
    """bf16 beam search is measured (and tabled) exactly where the device has bf16."""
    keys = ("beam5_bf16_sentences_per_s", "bf16_latency_p50_ms", "bf16_latency_p95_ms")
    if measured:
        assert all(results[key] > 0 for key in keys)
        assert results["beam5_bf16_ratio_vs_fp32"] == pytest.approx(
            results[keys[0]] / results["beam5_sentences_per_s"], rel=0.02
        )
    else:
        assert all(results[key] is None for key in (*keys, "beam5_bf16_ratio_vs_fp32"))
    table = bench.format_table(results)
    assert ("beam-5 sentences/s, bf16 vs float32" in table) is measured
    assert ("bf16 beam-5 latency, p50 / p95 (ms)" in table) is measured


def check_worker_decoding(results: dict, threads: int) -> None:
    """Beam 5 on one-thread workers (as s2s translate) is measured with 2+ threads."""
    table = bench.format_table(results)
    keys = [f"beam5_{p}workers_sentences_per_s" for p in ("", "int8_")]
    if threads < 2:
        assert results["decode_workers"] is None
        assert all(results[k] is None for k in keys)
        assert "workers vs 1" not in table
        return
    assert results["decode_workers"] == threads
    for prefix in ("", "int8_"):
        rate = results[f"beam5_{prefix}workers_sentences_per_s"]
        assert rate > 0
        assert results[f"beam5_{prefix}workers_ratio_vs_one"] == pytest.approx(
            rate / results[f"beam5_{prefix}sentences_per_s"], rel=0.02
        )
    assert f"beam-5 sentences/s, int8, {threads} workers vs 1" in table
    assert torch.get_num_threads() == threads  # set back after the workers ran


def test_decoding_on_workers_uses_one_thread_each_and_sets_the_count_back():
    seen = []

    def fn(batch):
        seen.append(torch.get_num_threads())

    batch = make_batch([[5, 6, 7]], [[4]], [0])
    before = torch.get_num_threads()
    rate = bench.timing._rate_on_workers(fn, [batch] * 6, workers=2)
    assert rate > 0 and seen == [1] * 8  # 2 warm-up calls, then all 6 batches
    assert torch.get_num_threads() == before


# ----------------------------------------------------------------------- FLOPs
def test_flop_count_of_a_tiny_lstm_matches_the_hand_computation():
    cfg = ModelConfig(cell="lstm", layers=1, emb=4, hidden=8, attention="dot")
    macs = bench.count_macs(cfg, tgt_vocab=10)
    enc = 4 * (4 + 8) * 8  # 4 gates x (input + hidden) x hidden = 384
    dec = 4 * (4 + 8) * 8 + (8 + 8) * 8 + 8 * 10  # cell + tanh(W[c;h]) + output = 592
    pair = 8 + 8  # score q.k + context sum over values
    assert macs == bench.ModelMacs(enc, dec, pair, 0)
    # two sentences: 3 and 2 source tokens, 2 and 4 target tokens (EOS included)
    forward = enc * (3 + 2) + dec * (2 + 4) + pair * (3 * 2 + 2 * 4)  # 5696
    assert macs.train_flops([3, 2], [2, 4]) == 2 * 3 * forward == 34_176


def test_flop_count_of_the_papers_shape():
    cfg = ModelConfig(
        cell="lstm", layers=2, emb=4, hidden=8, attention="none", reverse_source=True
    )
    macs = bench.count_macs(cfg, tgt_vocab=10)
    cells = 4 * (4 + 8) * 8 + 4 * (8 + 8) * 8  # layer 1 reads emb, layer 2 hidden
    assert macs == bench.ModelMacs(cells, cells + 8 * 10, 0, 0)


@pytest.mark.parametrize("attention", ["dot", "concat", "none"])
def test_flop_count_agrees_with_torchs_counter(attention):
    """GRU runs as plain matmuls on CPU, which torch's FlopCounterMode sees."""
    cfg = ModelConfig(cell="gru", layers=2, emb=6, hidden=8, attention=attention)
    model = build_model(cfg, 20, 30)
    batch = make_batch(
        [[5, 6, 7], [8, 9, 10]], [[4, 5, 6, 7]] * 2, [0, 1]
    )  # no padding
    with FlopCounterMode(display=False) as counter:
        model(batch.src, batch.src_len, batch.tgt_in).sum().backward()
    ours = bench.count_macs(cfg, 30).train_flops([4, 4], [5, 5])
    # torch skips the gradient of the encoder's zero start state: a few % less
    assert counter.get_total_flops() == pytest.approx(ours, rel=0.05)


def test_datasheet_peaks_by_device_name():
    assert bench.datasheet_peak_tflops("NVIDIA H100 80GB HBM3", True)[0] == 989.0
    assert bench.datasheet_peak_tflops("NVIDIA H100 PCIe", True)[0] == 756.0
    assert bench.datasheet_peak_tflops("NVIDIA H200", False)[0] == 67.0
    assert bench.datasheet_peak_tflops("NVIDIA A100-SXM4-80GB", True)[0] == 312.0
    assert bench.datasheet_peak_tflops("NVIDIA GeForce RTX 3090", True) is None


# ------------------------------------------------------------------- max batch
def fake_step(limit: int, calls: list[int]):
    def try_step(n: int) -> None:
        calls.append(n)
        if n > limit:
            raise torch.OutOfMemoryError(f"CUDA out of memory: {n} sentences")

    return try_step


@pytest.mark.parametrize("limit", [1, 2, 37, 64, 65, 999])
@pytest.mark.parametrize("start", [1, 16, 64])
def test_largest_batch_search_finds_the_oom_boundary(limit, start):
    calls: list[int] = []
    found = bench.largest_batch(fake_step(limit, calls), cap=4096, start=start)
    assert found == bench.SearchResult(limit, "memory")
    assert len(calls) <= 2 * 13  # doubling then bisecting, never a linear scan


def test_largest_batch_search_stops_at_the_cap_and_at_nothing():
    assert bench.largest_batch(fake_step(10**6, []), cap=100, start=64) == (
        bench.SearchResult(100, "cap 100")
    )
    assert bench.largest_batch(fake_step(0, []), cap=100, start=8).largest == 0


def test_largest_batch_search_other_errors():
    def broken(n: int) -> None:
        if n > 20:
            raise RuntimeError("index overflow\nmore")

    found = bench.largest_batch(broken, cap=4096, start=4)
    assert found == bench.SearchResult(20, "error: index overflow")
    with pytest.raises(RuntimeError, match="index overflow"):
        bench.largest_batch(broken, cap=4096, start=32)  # nothing fitted: a real bug


# ----------------------------------------------------------------- whole runs
@pytest.mark.parametrize(
    "flags, asked", [([], None), (["--max-batch"], True), (["--no-max-batch"], False)]
)
def test_bench_max_batch_flags_reach_run_bench(monkeypatch, capsys, flags, asked):
    """Default: search on CUDA only (None); --max-batch anywhere; --no-max-batch never
    (a GPU run of the big models that must fit a time limit)."""
    seen = {}

    def fake_run_bench(config, **kwargs):
        seen.update(kwargs)
        raise SystemExit(0)

    monkeypatch.setattr(bench, "run_bench", fake_run_bench)
    with pytest.raises(SystemExit):
        main(["bench", "--json", *flags])
    assert seen["max_batch"] is asked


def test_bench_json_on_synthetic_data(tmp_path, capsys):
    path = tmp_path / "tiny.toml"
    path.write_text(dumps_config(tiny(attention="dot")), encoding="utf-8")
    results = bench_cli(
        [str(path), "--sentences", "12", "--vocab", "40", "--tgt-vocab", "60"], capsys
    )
    check_figures(results)
    assert (
        results["data"] == "synthetic" and results["train_pairs"] == bench.TRAIN_PAIRS
    )
    assert (results["src_vocab"], results["tgt_vocab"], results["vocab"]) == (
        40,
        60,
        60,
    )
    assert results["mean_src_len"] > 2 and results["mean_tgt_len"] > 2
    assert results["decode_to_length_limit"] is True
    assert results["largest_batch"] is None  # CPU: only when asked


def test_bench_on_a_corpus_with_the_papers_shape(tmp_path, capsys):
    words = "the cat dog sees a big small red house tree runs eats".split()
    lines = []
    for i in range(120):
        src = " ".join(words[(i * k) % len(words)] for k in range(1, 3 + i % 6))
        src += f" {i}"  # every pair different
        lines.append(f"{src}\t{src.upper()} !\n")
    corpus = tmp_path / "pairs.tsv"
    corpus.write_text("".join(lines), encoding="utf-8")
    path = tmp_path / "paper.toml"
    cfg = tiny(layers=2, attention="none", reverse_source=True, init_uniform=0.08)
    path.write_text(dumps_config(cfg), encoding="utf-8")
    results = bench_cli([str(path), "--data", str(corpus), "--sentences", "10"], capsys)
    check_figures(results)
    assert results["data"] == str(corpus) and results["data_pairs"] == 120
    assert 16 <= results["src_vocab"] == results["tgt_vocab"] <= 48  # joint, capped
    assert 1 < results["mean_src_len"] < results["mean_tgt_len"]  # "!" adds a piece
    # the reference follows the config: no attention, so the same model FLOPs
    assert results["train_model_flops_per_token"] == pytest.approx(
        results["reference_train_model_flops_per_token"]
    )


def test_tgt_vocab_is_for_synthetic_data_only(tmp_path, capsys):
    code = main(["bench", "--data", str(tmp_path / "x.tsv"), "--tgt-vocab", "100"])
    assert code == 2 and "synthetic data only" in capsys.readouterr().err


def test_largest_batch_on_cpu_when_asked_and_the_table():
    results = bench.run_bench(
        tiny(cell="gru"),
        device="cpu",
        seconds=0.05,
        sentences=8,
        max_batch=True,
        max_batch_cap=24,
    )
    assert results["largest_batch"] == results["reference_largest_batch"] == 24
    assert results["largest_batch_limited_by"] == "cap 24"
    assert results["largest_batch_unit"] == "sentences"
    table = bench.format_table(results)
    for label in (
        "training tokens/s (src+tgt)",
        "training peak memory (MB)",
        "training model GFLOP/s",
        "% of measured matmul peak",
        "greedy latency, one sentence, p50 (ms)",
        "largest training batch (sentences)",
        "beam-5 latency",
        "beam-5 sentences/s, int8 vs float32",
        "int8 beam-5 latency",
    ):
        assert label in table
    row = next(line for line in table.splitlines() if line.startswith("largest"))
    assert row.split()[-3:] == ["24", "24", "1.00x"]


@pytest.mark.parametrize(
    ("native", "bf16"), [(True, True), (False, True), (True, False)]
)
def test_bench_trains_in_bf16_where_training_would(monkeypatch, native, bf16):
    """On a CPU with native bf16 both models train under bf16 autocast (as the trainer
    does), and utilisation is against a bf16 matmul; else everything is fp32."""
    monkeypatch.setattr(utils, "cpu_has_native_bf16", lambda: native)
    seen: set[torch.dtype] = set()

    def record(module, args, output):
        if isinstance(module, torch.nn.Linear) and module.training:
            seen.add(output.dtype)

    cfg = tiny()
    cfg = Config.from_dict(cfg.to_dict() | {"train": {"batch_size": 16, "bf16": bf16}})
    handle = torch.nn.modules.module.register_module_forward_hook(record)
    try:
        results = bench.run_bench(cfg, device="cpu", seconds=0.05, sentences=8)
    finally:
        handle.remove()
    half = native and bf16
    assert results["bf16"] is half
    assert results["measured_matmul_dtype"] == ("bfloat16" if half else "float32")
    assert seen == {torch.bfloat16 if half else torch.float32}
    check_bf16_decoding(results, native)  # decoding in bf16 is beside train.bf16
    model_line = next(
        line
        for line in bench.format_table(results).splitlines()
        if line.startswith("model:")
    )
    assert model_line.endswith("; adam, bf16") is half


def test_paper_configs():
    paper = load_config(ROOT / "resources/configs/paper.toml")
    m = paper.model
    assert (m.cell, m.layers, m.hidden, m.emb, m.attention) == (
        "lstm",
        4,
        1000,
        1000,
        "none",
    )
    assert m.reverse_source and m.init_uniform == 0.08
    t = paper.train
    assert (t.optimizer, t.lr, t.lr_schedule, t.clip) == ("sgd", 0.7, "paper", 5.0)


def test_training_is_timed_after_one_untimed_pass_over_every_batch():
    from engine.bench.timing import _timed_steps

    batches = [make_batch([[5] * n], [[6] * (n + 1)], [0]) for n in range(1, 9)]
    seen: list[int] = []
    rate = _timed_steps(lambda b: seen.append(b.n_src_tokens), batches, seconds=0.0)
    warm, timed = seen[: len(batches)], seen[len(batches) :]
    assert warm == [b.n_src_tokens for b in batches]  # every shape once, untimed
    assert len(timed) == 5  # the timed minimum, on top of the warm-up
    assert rate.tgt_tokens_per_s > 0


# ----------------------------------------------------------------- under load
def gone(pid: int) -> bool:
    """Whether no process ``pid`` exists any more (killed and reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_busy_load_runs_its_processes_inside_the_block_only():
    with BusyLoad(2) as busy:
        procs, pids = list(busy.procs), busy.pids()
        assert len(pids) == 2 and all(p.poll() is None for p in procs)
    assert all(gone(pid) for pid in pids)
    with BusyLoad(0) as busy:
        assert busy.pids() == []


def test_busy_load_ends_its_processes_when_the_block_raises():
    with pytest.raises(KeyboardInterrupt), BusyLoad(1) as busy:
        pids = busy.pids()
        raise KeyboardInterrupt  # Ctrl-C during a measurement
    assert pids and all(gone(pid) for pid in pids)


class RecordingLoad(BusyLoad):
    """A BusyLoad that remembers every instance the bench entered."""

    entered: list[BusyLoad] = []

    def __enter__(self):
        RecordingLoad.entered.append(self)
        super().__enter__()
        self.started = self.pids()
        return self


@pytest.fixture
def recorded_load(monkeypatch):
    """Records, per timed training measurement, how many load processes ran."""
    RecordingLoad.entered = []
    running: list[int] = []
    timed = bench.run._timed_steps

    def counting(step, batches, seconds, flops=None, warm_up=True):
        load = RecordingLoad.entered[-1] if RecordingLoad.entered else None
        procs = load.procs if load is not None else []
        running.append(sum(p.poll() is None for p in procs))
        return timed(step, batches, seconds, flops, warm_up)

    monkeypatch.setattr(bench.run, "BusyLoad", RecordingLoad)
    monkeypatch.setattr(bench.run, "_timed_steps", counting)
    return running


def test_bench_times_training_beside_busy_processes(
    recorded_load, capsys, monkeypatch, tmp_path
):
    for name in USER_CHOICES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GOMP_SPINCOUNT", "1000")  # reported as the run's setting
    path = tmp_path / "tiny.toml"  # the load's handling is under test, not the model
    path.write_text(dumps_config(tiny()), encoding="utf-8")
    results = bench_cli(
        [str(path), "--load", "2", "--sentences", "8", "--vocab", "40"], capsys
    )
    # ours, reference, reference, ours: each with both processes running
    assert recorded_load == [2, 2, 2, 2]
    (load,) = RecordingLoad.entered
    assert len(load.started) == 2 and all(gone(pid) for pid in load.started)
    assert results["load_processes"] == 2
    assert results["threads"] == torch.get_num_threads()
    assert results["openmp_settings"] == {"GOMP_SPINCOUNT": "1000"}
    ours, ref = (
        results["load_train_tokens_per_s"],
        results["load_reference_train_tokens_per_s"],
    )
    assert ours > 0 and ref > 0
    assert results["load_train_tgt_tokens_per_s"] < ours
    assert results["train_load_ratio_vs_reference"] == pytest.approx(
        ours / ref, rel=0.01
    )
    assert results["train_load_vs_quiet"] == pytest.approx(
        ours / results["train_tokens_per_s"], rel=0.01
    )
    assert results["reference_train_load_vs_quiet"] == pytest.approx(
        ref / results["reference_train_tokens_per_s"], rel=0.01
    )
    table = bench.format_table(results)
    row = next(line for line in table.splitlines() if "beside 2 busy processes" in line)
    assert row.split()[-1] == f"{ours / ref:.2f}x"
    assert "share of the quiet rate kept" in table


def test_bench_without_load_has_no_load_figures(recorded_load):
    results = bench.run_bench(tiny(), device="cpu", seconds=0.05, sentences=8)
    assert recorded_load == [] and RecordingLoad.entered == []
    assert results["load_processes"] == 0
    for key in (
        "load_train_tokens_per_s",
        "load_reference_train_tokens_per_s",
        "train_load_ratio_vs_reference",
        "train_load_vs_quiet",
    ):
        assert results[key] is None
    assert "busy processes" not in bench.format_table(results)


def test_load_processes_end_when_the_measurement_under_load_fails(monkeypatch):
    RecordingLoad.entered = []
    timed = bench.run._timed_steps

    def failing(step, batches, seconds, flops=None, warm_up=True):
        if not warm_up:  # the first measurement under load
            raise RuntimeError("step failed")
        return timed(step, batches, seconds, flops, warm_up)

    monkeypatch.setattr(bench.run, "BusyLoad", RecordingLoad)
    monkeypatch.setattr(bench.run, "_timed_steps", failing)
    with pytest.raises(RuntimeError, match="step failed"):
        bench.run_bench(tiny(), device="cpu", seconds=0.05, sentences=8, load=1)
    (load,) = RecordingLoad.entered
    assert len(load.started) == 1 and all(gone(pid) for pid in load.started)
    with pytest.raises(ValueError, match="--load"):
        bench.run_bench(tiny(), device="cpu", seconds=0.05, sentences=8, load=-1)
