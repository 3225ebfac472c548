"""Runs survive faults: NaN/inf loss, out of memory, a full or read-only disk."""

from __future__ import annotations

import errno
import math

import pytest
import torch

from engine import checkpoint as ckpt
from engine import trainer_state
from engine.events import CheckpointSaved, TrainFinished, TrainStep, TrainWarning
from engine.model import Seq2Seq
from engine.training import Trainer
from engine.translate import Translator
from tests.conftest import float64, tiny_config
from tests.reliability.conftest import fingerprint

SAVED = ("best.safetensors", "last.safetensors", "trainer.pt", "config.toml")


def params(trainer: Trainer) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in trainer.model.state_dict().items()}


def all_finite(weights: dict[str, torch.Tensor]) -> bool:
    return all(
        torch.isfinite(t).all() for t in weights.values() if t.is_floating_point()
    )


def patch_forward(monkeypatch, hook):
    """Call ``hook(call_number, src)`` on every training forward (not evaluation)."""
    original = Seq2Seq.forward
    calls = []

    def forward(self, src, *args, **kwargs):
        if torch.is_grad_enabled():
            calls.append(src.size(0))
            hook(len(calls), src)
        return original(self, src, *args, **kwargs)

    monkeypatch.setattr(Seq2Seq, "forward", forward)
    return calls


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
@pytest.mark.parametrize(
    "policy, optimizer, log_every",
    [("skip", "adam", 1), ("skip", "adam", 4), ("skip", "sgd", 4), ("stop", "adam", 1)],
)
def test_non_finite_loss_keeps_the_last_good_weights(
    tmp_path, monkeypatch, bad, policy, optimizer, log_every
):
    """With "skip" the fused optimizer's kernel skips the step and the warning comes
    at the next log line; with "stop" the host checks every step."""
    cfg = tiny_config(
        train={
            "max_steps": 6,
            "eval_every": 6,
            "log_every": log_every,
            "nan_policy": policy,
            "optimizer": optimizer,
        }
    )
    trainer = Trainer(cfg, tmp_path / "run")
    before_bad = {}

    def poison(call, src):
        if call == 3:
            before_bad.update(params(trainer))
            with torch.no_grad():  # one poisoned weight; put back right after
                trainer.model.poisoned = next(trainer.model.parameters()).clone()
                next(trainer.model.parameters()).fill_(bad)

    original_step = trainer._train_step

    def step_then_heal(batch, lr):
        out = original_step(batch, lr)
        if hasattr(trainer.model, "poisoned"):
            with torch.no_grad():
                next(trainer.model.parameters()).copy_(trainer.model.poisoned)
            del trainer.model.poisoned
            assert all(
                torch.equal(before_bad[k], v) for k, v in params(trainer).items()
            )
        return out

    patch_forward(monkeypatch, poison)
    monkeypatch.setattr(trainer, "_train_step", step_then_heal)
    events = list(trainer.steps())
    warnings = [e.message for e in events if isinstance(e, TrainWarning)]
    finished = events[-1]
    assert len(warnings) == 1 and "non-finite loss or gradient at step 3" in warnings[0]
    if policy == "skip":
        assert "step skipped" in warnings[0]
        assert finished.reason == "max_steps" and finished.step == 6
        logged = [e for e in events if isinstance(e, TrainStep)]
        assert [e.step for e in logged] == list(range(log_every, 7, log_every))
        assert all(math.isfinite(e.loss) for e in logged)  # the bad step left out
        warned_at = next(i for i, e in enumerate(events) if isinstance(e, TrainWarning))
        first_log = next(i for i, e in enumerate(events) if isinstance(e, TrainStep)
                         and e.step >= 3)  # fmt: skip
        assert warned_at == first_log - 1  # read at the log line that covers step 3
    else:
        assert "stopping" in warnings[0]
        assert finished.reason == "nan" and finished.step == 2
        saved = ckpt.load_weights(tmp_path / "run" / ckpt.LAST_WEIGHTS)
        assert all(torch.equal(saved[k], before_bad[k]) for k in saved)
    assert all_finite(ckpt.load_weights(tmp_path / "run" / ckpt.LAST_WEIGHTS))


def _oom_above(limit: int, error: type[Exception] = torch.OutOfMemoryError):
    def hook(call, src):
        if src.size(0) > limit:
            raise error("CUDA out of memory. Tried to allocate 2.00 GiB")

    return hook


@pytest.mark.parametrize(
    "error, optimizer", [(torch.OutOfMemoryError, "adam"), (RuntimeError, "sgd")]
)
def test_out_of_memory_batch_is_split_into_parts_giving_the_same_step(
    tmp_path, monkeypatch, error, optimizer
):
    """The parts' gradients add up to the whole batch's: in exact arithmetic the same
    steps, hence compared in float64 (SGD also sees a wrongly scaled sum, which Adam's
    update would hide)."""
    train = {"max_steps": 3, "eval_every": 3, "batch_size": 32, "optimizer": optimizer}
    cfg = tiny_config(train=train)
    with float64():
        plain = Trainer(cfg, tmp_path / "plain")
        list(plain.steps())
        split = Trainer(cfg, tmp_path / "split")
        calls = patch_forward(monkeypatch, _oom_above(8, error))
        events = list(split.steps())
    warnings = [e.message for e in events if isinstance(e, TrainWarning)]
    assert events[-1].reason == "max_steps" and events[-1].step == 3
    assert len(warnings) == 1  # once: later batches start out split
    assert "out of memory" in warnings[0] and "4 parts" in warnings[0]
    assert "train.batch_size" in warnings[0]
    assert max(calls[-4:]) <= 8  # the last step ran in parts of at most 8
    a, b = params(plain), params(split)
    assert a[next(iter(a))].dtype == torch.float64
    for name in a:
        # Summed in another order, float64 gradients differ by ~1e-16 of their terms;
        # Adam's update magnifies that by at most lr / eps = 1e6 (a near-zero
        # gradient), so 3 steps stay within 1e-9, while a wrong step moves ~lr = 1e-2.
        torch.testing.assert_close(a[name], b[name], rtol=0, atol=1e-9, msg=name)


def test_out_of_memory_on_one_sentence_stops_cleanly_with_advice(
    trained_run, monkeypatch
):
    run, _ = trained_run
    patch_forward(monkeypatch, _oom_above(0))
    events = list(
        Trainer(tiny_config(train={"max_steps": 8}), run, resume=True).steps()
    )
    warnings = [e.message for e in events if isinstance(e, TrainWarning)]
    assert events[-1].reason == "oom" and events[-1].step == 4
    assert "lower train.batch_size" in warnings[-1] and "smaller model" in warnings[-1]
    Translator.from_run_dirs([run], device="cpu")


def _failing_writes(monkeypatch, failures: int, code: int):
    """checkpoint writes raise OSError(code) ``failures`` times, then work again."""
    real = ckpt.atomic_write_bytes
    count = []

    def write(path, data):
        if len(count) < failures:
            count.append(path)
            raise OSError(
                code,
                "No space left on device"
                if code == errno.ENOSPC
                else "Permission denied",
            )
        real(path, data)

    monkeypatch.setattr(ckpt, "atomic_write_bytes", write)
    monkeypatch.setattr(trainer_state, "DISK_RETRY_S", 0.0)
    return count


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES])
def test_full_disk_pauses_training_until_the_checkpoint_is_written(
    tmp_path, monkeypatch, code
):
    cfg = tiny_config(train={"max_steps": 4, "eval_every": 2})
    failed = _failing_writes(monkeypatch, 5, code)
    events = list(Trainer(cfg, tmp_path / "run").steps())
    warnings = [e.message for e in events if isinstance(e, TrainWarning)]
    assert len(failed) == 5
    assert len(warnings) == 2 and "paused" in warnings[0] and "step 2" in warnings[0]
    assert "written; training goes on" in warnings[1]
    saved = [e.step for e in events if isinstance(e, CheckpointSaved)]
    assert saved == [2, 4] and events[-1].reason == "max_steps"
    state = ckpt.load_trainer_state(tmp_path / "run" / ckpt.TRAINER_STATE)
    assert state["trainer"]["step"] == 4


def test_stop_while_disk_is_full_keeps_the_previous_checkpoint(
    trained_run, monkeypatch
):
    run, _ = trained_run
    before = {k: v for k, v in fingerprint(run).items() if k in SAVED}
    _failing_writes(monkeypatch, 10**9, errno.ENOSPC)
    seen: list[object] = []
    stop = lambda: any(isinstance(e, TrainWarning) for e in seen)  # noqa: E731
    trainer = Trainer(
        tiny_config(train={"max_steps": 12}),
        run,
        resume=True,  # evaluates at 8
    )
    for ev in trainer.steps(stop):
        seen.append(ev)
    warnings = [e.message for e in seen if isinstance(e, TrainWarning)]
    assert "No space left on device" in warnings[0] and "paused" in warnings[0]
    assert "previous checkpoint" in warnings[1]
    assert isinstance(seen[-1], TrainFinished) and seen[-1].reason == "stopped"
    assert {k: v for k, v in fingerprint(run).items() if k in SAVED} == before
    Translator.from_run_dirs([run], device="cpu")
