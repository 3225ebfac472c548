"""Trainer behaviour: learns, stops on request, resumes exactly, writes a complete run."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
import torch
from torch.overrides import TorchFunctionMode

from engine import checkpoint as ckpt
from engine import utils
from engine.config import ConfigError, DecodeConfig
from engine.events import (
    CheckpointSaved,
    EvalResult,
    TrainFinished,
    TrainStart,
    TrainStep,
)
from engine.quantize import Int8Linear
from engine.tokenizer import BOS, EOS
from engine.training import Trainer
from tests.conftest import tiny_config

ROOT = Path(__file__).resolve().parents[2]


def run_all(trainer, should_stop=lambda: False):
    return list(trainer.steps(should_stop))


def test_tiny_run_learns_and_writes_run_dir(tmp_path):
    cfg = tiny_config(train={"max_steps": 60, "eval_every": 30})
    events = run_all(Trainer(cfg, tmp_path / "run"))
    steps = [e for e in events if isinstance(e, TrainStep)]
    assert isinstance(events[-1], TrainFinished) and events[-1].reason == "max_steps"
    assert steps[-1].loss < 0.7 * steps[0].loss
    assert any(isinstance(e, EvalResult) for e in events)
    assert any(isinstance(e, CheckpointSaved) and e.best for e in events)
    run = tmp_path / "run"
    for name in ("config.toml", "best.safetensors", "last.safetensors", "trainer.pt"):
        assert (run / name).is_file(), name
    kinds = [r["type"] for r in ckpt.read_metrics(run)]
    assert kinds[0] == "start" and kinds[-1] == "finished"
    assert kinds.count("step") == len(steps) and "eval" in kinds


def test_stops_within_one_batch(tmp_path):
    cfg = tiny_config(train={"max_steps": 1000, "log_every": 1, "eval_every": 1000})
    trainer = Trainer(cfg, tmp_path / "run")
    stop = []
    seen = []
    for ev in trainer.steps(lambda: bool(stop)):
        seen.append(ev)
        if isinstance(ev, TrainStep) and ev.step == 3:
            stop.append(True)
    finished = seen[-1]
    assert isinstance(finished, TrainFinished)
    assert finished.reason == "stopped" and finished.step == 3


def _final_weights(run_dir):
    return ckpt.load_weights(run_dir / ckpt.LAST_WEIGHTS)


@pytest.mark.parametrize("bf16", [False, True], ids=["fp32", "bf16"])
def test_resume_continues_exactly(tmp_path, monkeypatch, bf16):
    """Also under bf16 autocast, as on a CPU with AVX512-BF16 or AMX (forced here)."""
    monkeypatch.setenv(utils.CPU_BF16_ENV, "1" if bf16 else "0")
    base = {"max_steps": 24, "eval_every": 8, "log_every": 4, "batch_size": 16}
    train = {**base, "bf16": bf16}
    cfg = tiny_config(train=train, model={"dropout": 0.2, "cell": "lstm"})
    run_all(Trainer(cfg, tmp_path / "straight"))

    # Interrupted after step 8 (as by Ctrl-C or the Stop button), then resumed with the
    # same settings: the learning-rate schedule (warmdown by default) must match too.
    interrupted = Trainer(cfg, tmp_path / "resumed")
    run_all(interrupted, should_stop=lambda: interrupted.state.step >= 8)
    events = run_all(Trainer(cfg, tmp_path / "resumed", resume=True))
    start = next(e for e in events if isinstance(e, TrainStart))
    assert start.start_step == 8
    a, b = _final_weights(tmp_path / "straight"), _final_weights(tmp_path / "resumed")
    assert a.keys() == b.keys()
    for name in a:
        torch.testing.assert_close(a[name], b[name], rtol=0, atol=0, msg=name)
    straight = [
        r for r in ckpt.read_metrics(tmp_path / "straight") if r["type"] == "step"
    ]
    resumed = [
        r for r in ckpt.read_metrics(tmp_path / "resumed") if r["type"] == "step"
    ]
    assert [r["step"] for r in straight] == [r["step"] for r in resumed]
    for x, y in zip(straight, resumed):
        assert x["loss"] == pytest.approx(y["loss"], rel=1e-6)


def test_new_run_refuses_existing_run_dir(tmp_path):
    cfg = tiny_config(train={"max_steps": 2, "eval_every": 2})
    run_all(Trainer(cfg, tmp_path / "run"))
    with pytest.raises(ConfigError, match="already holds a run"):
        Trainer(cfg, tmp_path / "run")


def test_truncated_trainer_state_is_reported(tmp_path):
    cfg = tiny_config(train={"max_steps": 2, "eval_every": 2})
    run_all(Trainer(cfg, tmp_path / "run"))
    state = tmp_path / "run" / ckpt.TRAINER_STATE
    state.write_bytes(state.read_bytes()[:100])
    with pytest.raises(ckpt.CheckpointError, match="trainer.pt"):
        run_all(Trainer(cfg, tmp_path / "run", resume=True))


class _HostSyncs(TorchFunctionMode):
    """Records the tensor calls that make the host wait for a GPU: reading a value,
    copying to the CPU, or an op whose result size depends on the values.

    On a CPU every tensor is a host tensor, so reads of tensors that live on the host
    on any device are let through by where they are made: PyTorch's RNN modules read
    ``PackedSequence.batch_sizes``, which is always a CPU tensor."""

    HOST_READERS = {"get_expected_hidden_size"}  # torch/nn/modules/rnn.py

    READS = {
        "__bool__", "__int__", "__float__", "__index__", "item", "tolist", "numpy",
        "cpu", "nonzero", "argwhere", "masked_select", "unique",
    }  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        name = getattr(func, "__name__", "")
        mask_index = name == "__getitem__" and any(
            isinstance(a, torch.Tensor) and a.dtype == torch.bool for a in args[1:]
        )
        caller = sys._getframe(1).f_code.co_name
        if (name in self.READS or mask_index) and caller not in self.HOST_READERS:
            self.seen.append(f"{name} in {caller}")
        return func(*args, **(kwargs or {}))


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
@pytest.mark.parametrize(
    "model",
    [
        {},
        {"cell": "lstm", "layers": 2, "reverse_source": True, "attention": "general"},
    ],
    ids=["gru", "lstm-reversed"],
)
def test_a_training_step_never_waits_for_the_device(
    tmp_path, monkeypatch, model, optimizer
):
    """Nothing in a step reads a value back from the device (on a GPU each would stall
    the queue): lengths and real-token positions come from the host, and non-finite
    steps are skipped by the fused optimizer's kernel. The check at the log line
    (one read per log_every steps) is outside the step."""

    def syncs(policy):
        cfg = tiny_config(
            model=model,
            train={"max_steps": 4, "optimizer": optimizer, "nan_policy": policy},
        )
        trainer = Trainer(cfg, tmp_path / policy)
        original, seen = trainer._train_step, []

        def watched(batch, lr):
            with _HostSyncs() as mode:
                out = original(batch, lr)
            seen.extend(mode.seen)
            return out

        monkeypatch.setattr(trainer, "_train_step", watched)
        events = list(trainer.steps())
        assert events[-1].reason == "max_steps"
        return seen

    assert syncs("skip") == []
    assert any(
        read.startswith("__bool__") for read in syncs("stop")
    )  # the host checks each step itself then


def test_paper_schedule_halves_every_half_epoch(tmp_path):
    cfg = tiny_config(
        train={
            "optimizer": "sgd",
            "lr": 0.8,
            "lr_schedule": "paper",
            "halve_after_epoch": 1.0,
        }
    )
    trainer = Trainer(cfg, tmp_path / "run")
    list(itertools.islice(trainer.steps(), 5))  # prepare the data and sampler
    n = len(trainer.sampler)
    expected = {0: 0.8, n - 1: 0.8, n: 0.4, n + n // 2: 0.2, 2 * n: 0.1}
    for batch, lr in expected.items():
        trainer.state.epoch, trainer.state.batch_in_epoch = divmod(batch, n)
        assert trainer._current_lr() == pytest.approx(lr), batch


def test_metrics_lines_are_json_and_record_the_events(tmp_path):
    cfg = tiny_config(train={"max_steps": 10, "log_every": 2, "eval_every": 5})
    events = run_all(Trainer(cfg, tmp_path / "run"))
    lines = (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["type"] for r in records] == [
        "start", "step", "step", "eval", "step", "step", "step", "eval", "finished"
    ]  # fmt: skip
    kinds = {"start": TrainStart, "step": TrainStep, "eval": EvalResult}
    kinds["finished"] = TrainFinished
    logged = [e for e in events if isinstance(e, tuple(kinds.values()))]
    for record, event in zip(records, logged, strict=True):
        assert isinstance(event, kinds[record.pop("type")])
        fields = {k: v for k, v in asdict(event).items() if k != "samples"}
        assert set(fields) <= set(record)  # start lines also describe the processes
        assert {k: record[k] for k in fields} == pytest.approx(fields, nan_ok=True)
    assert [r["step"] for r in records if r.get("loss") is not None] == [2, 4, 6, 8, 10]


@torch.no_grad()
def _nll_one_by_one(model, src_ids, tgt_ids) -> tuple[float, int]:
    """Summed NLL of every target token and of the EOS after it, and their count,
    computed here one unpadded sentence at a time (no batching code involved)."""
    total, count = 0.0, 0
    for s, t in zip(src_ids, tgt_ids, strict=True):
        src, src_len = torch.tensor([[*s, EOS]]), torch.tensor([len(s) + 1])
        logp = model(src, src_len, torch.tensor([[BOS, *t]]))[0].double()
        gold = [*t, EOS]
        total -= float(logp.log_softmax(-1)[range(len(gold)), gold].sum())
        count += len(gold)
    return total, count


def test_training_and_dev_losses_count_every_token_and_the_eos(tmp_path):
    """The reported losses are the mean NLL over all target tokens including EOS (a
    model that never learns to stop would otherwise look perfect)."""
    cfg = tiny_config(train={"max_steps": 1, "log_every": 1, "eval_every": 1})
    trainer = Trainer(cfg, tmp_path / "run")
    events = trainer.steps()
    next(e for e in events if isinstance(e, TrainStart))
    first = trainer.sampler.epoch_batches(0)[0]
    nll, count = _nll_one_by_one(
        trainer.model,
        [trainer.train_src[i] for i in first],
        [trainer.train_tgt[i] for i in first],
    )  # the weights before the first step, which the first step's loss is taken on
    step = next(e for e in events if isinstance(e, TrainStep))
    # float32 logits, batched vs one by one: relative differences near 1e-6
    assert step.loss == pytest.approx(nll / count, rel=1e-4)
    result = trainer.evaluate()
    nll, count = _nll_one_by_one(trainer.model, trainer.dev_src, trainer.dev_tgt)
    assert result.dev_loss == pytest.approx(nll / count, rel=1e-4)
    events.close()


def test_probe_sentences_are_translated_at_each_evaluation(tmp_path):
    cfg = tiny_config(train={"max_steps": 10, "eval_every": 5})
    trainer = Trainer(cfg, tmp_path / "run", probes=["a b c"])
    events = run_all(trainer)
    evals = [e for e in events if isinstance(e, EvalResult)]
    assert [s.source for s in evals[0].samples] == ["a b c"]
    assert evals[0].samples[0].reference == ""  # not a dev sentence: no reference
    trainer.set_probes(["x y", "  ", "p q r"])
    assert trainer.probes == ["x y", "p q r"]


def test_warmdown_holds_then_falls_linearly_to_zero(tmp_path):
    cfg = tiny_config(
        train={
            "max_steps": 40,
            "log_every": 1,
            "eval_every": 40,
            "lr": 0.01,
            "lr_schedule": "warmdown",
            "warmdown": 0.5,
        }
    )
    lrs = {
        e.step: e.lr
        for e in run_all(Trainer(cfg, tmp_path / "run"))
        if isinstance(e, TrainStep)
    }
    assert lrs[1] == lrs[20] == pytest.approx(0.01)  # steps 0..19 at full rate
    assert lrs[31] == pytest.approx(0.01 * (40 - 30) / 20)  # halfway down at step 30
    assert lrs[40] < lrs[35] < lrs[31]


def test_warmdown_under_a_time_limit_plans_from_the_measured_speed(
    tmp_path, monkeypatch
):
    """With max_minutes the run's length is estimated from its speed, and re-estimated."""
    import engine.training as training

    cfg = tiny_config(
        train={
            "max_steps": 0,
            "max_minutes": 1.0,
            "lr_schedule": "warmdown",
            "epochs": 1000,
        }
    )
    trainer = Trainer(cfg, tmp_path / "run")
    list(itertools.islice(trainer.steps(), 5))  # prepared, TrainStart seen
    clock = [100.0]
    monkeypatch.setattr(training.time, "perf_counter", lambda: clock[0])
    trainer._clock, trainer._elapsed_before = 100.0, 0.0
    trainer._session_start_step = 0
    trainer.state.step = 200
    clock[0] = 110.0  # 200 steps in 10 s: 50 s left -> 1,000 more steps
    assert trainer._planned_steps() == 1200
    trainer.state.step = 600
    clock[0] = 40.0 + 100.0  # slower since (evaluations): 600 steps in 40 s, 20 s left
    trainer._replan()
    assert trainer._planned_steps() == 900
    lr = trainer._current_lr()  # 900 * 0.7 = 630 > 600: still at the full rate
    assert lr == pytest.approx(cfg.train.lr)


def test_snapshot_translates_with_a_copy_in_float_or_int8(tmp_path):
    """The app's "live" model: a copy of the weights mid-run, optionally 8-bit."""
    cfg = tiny_config(train={"max_steps": 1000, "log_every": 1, "eval_every": 1000})
    trainer = Trainer(cfg, tmp_path / "run")
    decode = DecodeConfig(beam=3, nbest=3)
    for ev in trainer.steps(lambda: False):
        if isinstance(ev, TrainStep) and ev.step == 20:
            plain, quick = trainer.snapshot(), trainer.snapshot(int8=True)
            assert plain.models[0] is not trainer.model
            assert quick.device.type == "cpu"
            assert isinstance(quick.models[0].decoder.out, Int8Linear)
            assert isinstance(plain.models[0].decoder.out, torch.nn.Linear)
            assert trainer.model.decoder.step_cells is None and trainer.model.training
            a = plain.translate(["a b c"], decode)[0].hypotheses
            b = quick.translate(["a b c"], decode)[0].hypotheses
            assert len(a) == len(b) == 3
            assert a[0].score != b[0].score  # other weights really ran
            break
    else:
        raise AssertionError("training ended before step 20")


def test_a_training_run_does_not_import_scikit_learn(tmp_path):
    # Loading scikit-learn takes ~2 s and holds the GIL for 100-250 ms at a time: a
    # training run that imported it delayed its first step by seconds and froze the
    # app's window when it started. Only the hidden-states PCA needs it.
    code = (
        "import sys\n"
        "from engine.training import Trainer\n"
        "from tests.conftest import tiny_config\n"
        f"for _ in Trainer(tiny_config(train={{'max_steps': 16}}), {str(tmp_path / 'run')!r})"
        ".steps():\n"
        "    pass\n"
        "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert (tmp_path / "run").is_dir()  # it trained, evaluated and saved
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    ("device", "native", "bf16", "expected"),
    [
        ("cpu", True, True, True),
        ("cpu", False, True, False),  # emulated bf16 is slower than fp32: stay fp32
        ("cpu", True, False, False),  # train.bf16 = false always wins
        ("cuda", False, True, True),
        ("cuda", False, False, False),
        ("mps", True, True, False),
    ],
)
def test_bf16_autocast_where_the_device_multiplies_bf16_natively(
    monkeypatch, device, native, bf16, expected
):
    monkeypatch.setattr(utils, "cpu_has_native_bf16", lambda: native)
    assert utils.uses_bf16(torch.device(device), bf16) is expected


def test_s2s_cpu_bf16_overrides_the_cpu_probe(monkeypatch):
    monkeypatch.delenv(utils.CPU_BF16_ENV, raising=False)
    probed = utils.cpu_has_native_bf16()
    assert probed is (
        torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()
    )
    for value, expected in (("1", True), ("0", False), (" 1 ", True), ("", probed)):
        monkeypatch.setenv(utils.CPU_BF16_ENV, value)
        assert utils.cpu_has_native_bf16() is expected, value
        assert utils.uses_bf16(torch.device("cpu"), True) is expected, value
    monkeypatch.setenv(utils.CPU_BF16_ENV, "yes")
    with pytest.raises(ValueError, match="S2S_CPU_BF16 must be 0 or 1"):
        utils.cpu_has_native_bf16()


def _linear_output_dtypes(cfg, run_dir, monkeypatch, native: bool):
    """Train ``cfg`` for its steps; the dtypes every nn.Linear produced meanwhile, and
    the run's events."""
    monkeypatch.setattr(utils, "cpu_has_native_bf16", lambda: native)
    seen: set[torch.dtype] = set()

    def record(module, args, output):
        if isinstance(module, torch.nn.Linear):
            seen.add(output.dtype)

    handle = torch.nn.modules.module.register_module_forward_hook(record)
    try:
        events = run_all(Trainer(cfg, run_dir))
    finally:
        handle.remove()
    return seen, events


def test_training_on_a_cpu_with_native_bf16_autocasts_learns_and_keeps_fp32_weights(
    tmp_path, monkeypatch
):
    def config(bf16: bool):
        train = {"max_steps": 60, "eval_every": 60, "bf16": bf16}
        return tiny_config(train=train, model={"cell": "lstm"})

    dtypes, events = _linear_output_dtypes(
        config(True), tmp_path / "a", monkeypatch, True
    )
    assert dtypes == {torch.bfloat16}
    steps = [e for e in events if isinstance(e, TrainStep)]
    assert steps[-1].loss < 0.7 * steps[0].loss  # it learns as in fp32
    weights = ckpt.load_weights(tmp_path / "a" / ckpt.LAST_WEIGHTS)
    assert {w.dtype for w in weights.values()} == {torch.float32}
    # Without the instructions, or with train.bf16 = false, everything stays fp32.
    for name, bf16, native in (("b", True, False), ("c", False, True)):
        dtypes, _ = _linear_output_dtypes(
            config(bf16), tmp_path / name, monkeypatch, native
        )
        assert dtypes == {torch.float32}
