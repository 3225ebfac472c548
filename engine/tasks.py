"""Synthetic seq2seq tasks (copy, reverse, sort, dates, add), generated from a seed.

Spec form: ``builtin:task/<name>[?size=N&min=A&max=B&seed=S]``.

- ``copy``, ``reverse``, ``sort``: ``min``..``max`` space-separated letters a-z; the
  target is the same sequence, reversed, or sorted.
- ``dates``: a date between 1900 and 2099 written in one of many English surface forms
  ("March 3rd, 2021", "3 Mar 2021", "the 3rd of March 2021", "03/03/2021"...) -> the ISO
  form "2021-03-03". All-numeric forms use the US convention month/day/year.
  ``min``/``max`` do not apply.
- ``add``: "123+48" -> "171"; each operand has ``min``..``max`` digits (capped at 18).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

logger = logging.getLogger(__name__)

TASKS = ("copy", "reverse", "sort", "dates", "add")
SYMBOLS = tuple(string.ascii_lowercase)
MAX_DIGITS = 18

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
_FIRST_DATE = dt.date(1900, 1, 1).toordinal()
_LAST_DATE = dt.date(2099, 12, 31).toordinal()


class TaskError(ValueError):
    """A task spec names an unknown task or carries a bad parameter."""


@dataclass(frozen=True)
class TaskSpec:
    """A parsed ``builtin:task/...`` spec."""

    name: str
    size: int
    min_len: int
    max_len: int
    seed: int


def ordinal(n: int) -> str:
    """English ordinal suffix: 1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _short(month: str) -> str:
    return month[:3]


# Each form takes (date, full month name) and returns the surface text.
DATE_FORMS: tuple[Callable[[dt.date, str], str], ...] = (
    lambda d, m: f"{m} {ordinal(d.day)}, {d.year}",  # March 3rd, 2021
    lambda d, m: f"{m} {d.day}, {d.year}",  # March 3, 2021
    lambda d, m: f"{m} {d.day} {d.year}",  # March 3 2021
    lambda d, m: f"{_short(m)} {d.day}, {d.year}",  # Mar 3, 2021
    lambda d, m: f"{_short(m)}. {d.day}, {d.year}",  # Mar. 3, 2021
    lambda d, m: f"{d.day} {m} {d.year}",  # 3 March 2021
    lambda d, m: f"{d.day} {_short(m)} {d.year}",  # 3 Mar 2021
    lambda d, m: f"{ordinal(d.day)} {m} {d.year}",  # 3rd March 2021
    lambda d, m: f"the {ordinal(d.day)} of {m} {d.year}",  # the 3rd of March 2021
    lambda d, m: f"the {ordinal(d.day)} of {m}, {d.year}",  # the 3rd of March, 2021
    lambda d, m: (
        f"{WEEKDAYS[d.weekday()]}, {m} {d.day}, {d.year}"
    ),  # Wednesday, March 3, 2021
    lambda d, m: (
        f"{WEEKDAYS[d.weekday()][:3]} {d.day} {_short(m)} {d.year}"
    ),  # Wed 3 Mar 2021
    lambda d, m: f"{d.month:02d}/{d.day:02d}/{d.year}",  # 03/03/2021 (US: m/d/Y)
    lambda d, m: f"{d.month}/{d.day}/{d.year}",  # 3/3/2021
    lambda d, m: f"{m.lower()} {d.day}, {d.year}",  # march 3, 2021
    lambda d, m: f"{m.upper()} {d.day}, {d.year}",  # MARCH 3, 2021
    lambda d, m: f"{d.day}-{_short(m)}-{d.year}",  # 3-Mar-2021
)


def _letters(rng: random.Random, spec: TaskSpec) -> list[str]:
    return rng.choices(SYMBOLS, k=rng.randint(spec.min_len, spec.max_len))


def _copy(rng: random.Random, spec: TaskSpec) -> tuple[str, str]:
    tokens = _letters(rng, spec)
    return " ".join(tokens), " ".join(tokens)


def _reverse(rng: random.Random, spec: TaskSpec) -> tuple[str, str]:
    tokens = _letters(rng, spec)
    return " ".join(tokens), " ".join(reversed(tokens))


def _sort(rng: random.Random, spec: TaskSpec) -> tuple[str, str]:
    tokens = _letters(rng, spec)
    return " ".join(tokens), " ".join(sorted(tokens))


def _dates(rng: random.Random, spec: TaskSpec) -> tuple[str, str]:
    day = dt.date.fromordinal(rng.randint(_FIRST_DATE, _LAST_DATE))
    form = rng.choice(DATE_FORMS)
    return form(day, MONTHS[day.month - 1]), day.isoformat()


def _number(rng: random.Random, spec: TaskSpec) -> int:
    digits = rng.randint(min(spec.min_len, MAX_DIGITS), min(spec.max_len, MAX_DIGITS))
    low = 0 if digits == 1 else 10 ** (digits - 1)
    return rng.randint(low, 10**digits - 1)


def _add(rng: random.Random, spec: TaskSpec) -> tuple[str, str]:
    a, b = _number(rng, spec), _number(rng, spec)
    return f"{a}+{b}", str(a + b)


_GENERATORS: dict[str, Callable[[random.Random, TaskSpec], tuple[str, str]]] = {
    "copy": _copy,
    "reverse": _reverse,
    "sort": _sort,
    "dates": _dates,
    "add": _add,
}


MAX_TASK_SIZE = 2_000_000  # pairs: more would take minutes and gigabytes to generate
MAX_TASK_LEN = 500  # symbols per sentence


def parse_task_spec(
    text: str, size: int = 20000, min_len: int = 3, max_len: int = 10, seed: int = 1
) -> TaskSpec:
    """Parse ``<name>[?size=N&min=A&max=B&seed=S]`` (the part after ``builtin:task/``).

    Args:
        text: the task name with optional query parameters.
        size, min_len, max_len, seed: defaults for parameters the text leaves out.
    Raises:
        TaskError: unknown task or parameter, a value that is not a whole number, or
            a value out of range.
    """
    name, _, query = text.partition("?")
    name = name.strip()
    if name not in TASKS:
        raise TaskError(f"unknown task {name!r}; choose one of {', '.join(TASKS)}")
    values = {"size": size, "min": min_len, "max": max_len, "seed": seed}
    for key, raw in parse_qsl(query, keep_blank_values=True):
        if key not in values:
            raise TaskError(
                f"unknown task parameter {key!r}; known: size, min, max, seed"
            )
        try:
            values[key] = int(raw)
        except ValueError:
            raise TaskError(
                f"task parameter {key} must be a whole number; got {raw!r}"
            ) from None
    if not 1 <= values["size"] <= MAX_TASK_SIZE:
        raise TaskError(
            f"task size must be in 1..{MAX_TASK_SIZE}; got {values['size']}"
        )
    if values["min"] < 1:
        raise TaskError(f"task min must be at least 1; got {values['min']}")
    if values["max"] < values["min"]:
        raise TaskError(f"task max ({values['max']}) is below min ({values['min']})")
    if values["max"] > MAX_TASK_LEN:
        raise TaskError(f"task max must be at most {MAX_TASK_LEN}; got {values['max']}")
    return TaskSpec(name, values["size"], values["min"], values["max"], values["seed"])


def generate(spec: TaskSpec) -> list[tuple[str, str]]:
    """Generate ``spec.size`` (source, target) pairs; the same spec gives the same pairs."""
    rng = random.Random(f"{spec.name}:{spec.seed}")
    make = _GENERATORS[spec.name]
    pairs = [make(rng, spec) for _ in range(spec.size)]
    logger.debug("task %s: %d pairs (seed %d)", spec.name, len(pairs), spec.seed)
    return pairs


def task_pairs(
    text: str, size: int = 20000, min_len: int = 3, max_len: int = 10, seed: int = 1
) -> list[tuple[str, str]]:
    """Parse a task spec (see :func:`parse_task_spec`) and generate its pairs."""
    return generate(parse_task_spec(text, size, min_len, max_len, seed))
