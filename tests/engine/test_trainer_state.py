"""TrainerState: what trainer.pt keeps of a run's progress, checked on load."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from engine.checkpoint import RunFolderError
from engine.trainer_state import TrainerState

SOURCE = Path("run/trainer.pt")


def test_round_trip_through_a_dict():
    state = TrainerState(step=7, epoch=1, lr=0.5, best_score=12.5, planned_steps=900)
    assert TrainerState.from_dict(asdict(state), SOURCE) == state


@pytest.mark.parametrize(
    "change",
    [
        {"step": "7"},
        {"step": 7.5},
        {"lr": None},
        {"bad_evals": True},
    ],
)
def test_a_value_of_the_wrong_type_names_the_file_and_the_key(change):
    saved = {**asdict(TrainerState()), **change}
    with pytest.raises(
        RunFolderError, match=rf"trainer\.pt: trainer state {next(iter(change))}"
    ):
        TrainerState.from_dict(saved, SOURCE)


@pytest.mark.parametrize("saved", [None, [1, 2], {"step": 1}])
def test_a_missing_state_names_the_file(saved):
    with pytest.raises(RunFolderError, match=r"trainer\.pt: the trainer state lacks"):
        TrainerState.from_dict(saved, SOURCE)
