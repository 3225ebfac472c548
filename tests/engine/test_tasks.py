"""Synthetic tasks: correct targets, deterministic from the seed, parameters honoured."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from engine.tasks import MONTHS, TASKS, TaskError, ordinal, parse_task_spec, task_pairs


@pytest.mark.parametrize("name", TASKS)
def test_deterministic_from_seed(name: str) -> None:
    a = task_pairs(f"{name}?size=50&seed=3")
    assert a == task_pairs(f"{name}?size=50&seed=3")
    assert a != task_pairs(f"{name}?size=50&seed=4")
    assert len(a) == 50


def test_copy_reverse_sort_are_correct_and_lengths_respected() -> None:
    for name, fn in (("copy", list), ("reverse", lambda t: t[::-1]), ("sort", sorted)):
        pairs = task_pairs(f"{name}?size=200&min=2&max=7&seed=1")
        lengths = set()
        for src, tgt in pairs:
            tokens = src.split()
            lengths.add(len(tokens))
            assert tgt.split() == list(fn(tokens))
            assert all(len(t) == 1 and t.isalpha() for t in tokens)
        assert lengths == set(range(2, 8))


def test_add_sums_are_right() -> None:
    pairs = task_pairs("add?size=300&min=1&max=4&seed=5")
    for src, tgt in pairs:
        a, b = src.split("+")
        assert int(a) + int(b) == int(tgt)
        assert 1 <= len(a) <= 4 and 1 <= len(b) <= 4
        assert not a.startswith("0") or a == "0"


_MONTH = {m.lower(): i + 1 for i, m in enumerate(MONTHS)}
_MONTH.update({m[:3].lower(): i + 1 for i, m in enumerate(MONTHS)})


def parse_surface(text: str) -> dt.date:
    """An independent parser for the surface forms (US month/day/year when numeric)."""
    numeric = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if numeric:
        month, day, year = map(int, numeric.groups())
        return dt.date(year, month, day)
    words = re.findall(r"[A-Za-z]+|\d+", text)
    month = next(_MONTH[w.lower()] for w in words if w.lower() in _MONTH)
    numbers = [int(w) for w in words if w.isdigit()]
    year = next(n for n in numbers if n >= 1000)
    day = next(n for n in numbers if n < 1000)
    return dt.date(year, month, day)


def test_dates_parse_back_and_use_many_forms() -> None:
    pairs = task_pairs("dates?size=500&seed=2")
    shapes = set()
    for src, tgt in pairs:
        assert parse_surface(src) == dt.date.fromisoformat(tgt), src
        shapes.add(re.sub(r"\d+", "9", re.sub(r"[A-Za-z]+", "A", src)))
    assert len(shapes) >= 8
    assert len({tgt for _, tgt in pairs}) > 450


def test_weekday_forms_are_true() -> None:
    for src, tgt in task_pairs("dates?size=800&seed=9"):
        day = dt.date.fromisoformat(tgt)
        if src.startswith(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
            assert day.strftime("%a") == src[:3]


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"
    ]  # fmt: skip


def test_spec_defaults_and_errors() -> None:
    spec = parse_task_spec("reverse", size=77, min_len=2, max_len=4, seed=9)
    assert (spec.name, spec.size, spec.min_len, spec.max_len, spec.seed) == (
        "reverse", 77, 2, 4, 9
    )  # fmt: skip
    assert parse_task_spec("reverse?max=12&size=5").max_len == 12
    for bad in ("nope", "copy?size=0", "copy?min=5&max=2", "copy?size=ten", "copy?x=1"):
        with pytest.raises(TaskError):
            parse_task_spec(bad)
