"""engine.config's rules for when a key does anything (the form disables the others)."""

from __future__ import annotations

from dataclasses import asdict

from engine.config import APPLIES_WHEN, Config, config_keys, inactive_reason


def raw(**sections: dict) -> dict:
    values = asdict(Config())
    for section, changes in sections.items():
        values[section].update(changes)
    return values


def test_every_rule_names_a_real_key():
    assert set(APPLIES_WHEN) <= set(config_keys())


def test_schedule_fields_apply_only_to_their_schedule():
    for schedule, key in (
        ("paper", "train.halve_after_epoch"),
        ("plateau", "train.plateau_factor"),
        ("warmdown", "train.warmdown"),
    ):
        assert inactive_reason(key, raw(train={"lr_schedule": schedule}), {}) is None
        reason = inactive_reason(key, raw(train={"lr_schedule": "none"}), {})
        assert reason is not None and f"'{schedule}'" in reason


def test_task_fields_only_for_generated_tasks():
    task = raw(data={"train": "builtin:task/dates"})
    qt = raw(data={"train": "builtin:qt/fr"})
    assert inactive_reason("data.task_size", task, {}) is None
    assert "builtin:task" in inactive_reason("data.task_size", qt, {})


def test_machine_rules_and_unknown_keys():
    values = raw()
    assert "bf16" in inactive_reason("train.bf16", values, {"bf16": False})
    assert inactive_reason("train.bf16", values, {"bf16": True}) is None
    assert inactive_reason("train.batch_scope", values, {"gpus": 1}) is not None
    assert inactive_reason("train.batch_scope", values, {"gpus": 4}) is None
    assert inactive_reason("model.cell", values, {}) is None  # no rule: always active
    assert inactive_reason("data.task_size", {"model": {}}, {}) is None  # half a form
