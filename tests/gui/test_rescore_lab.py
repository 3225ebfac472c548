"""Rescoring from the Evaluate view: a demo n-best list, reranked through the gateway."""

from __future__ import annotations

from engine.events import RescoreOutcome


def test_demo_list_reranks_and_an_empty_session_says_why(
    qtbot, controller, trained_run
):
    lab = controller.lab
    lab.choose([trained_run])
    with qtbot.waitSignal(lab.rescore_failed, timeout=20_000) as blocker:
        lab.rerank((0.5, 0.5))
    assert blocker.args[0] == "Load an n-best file (or make a demo list) first."
    with qtbot.waitSignal(lab.nbest_loaded, timeout=60_000) as blocker:
        lab.demo_nbest()
    lists = blocker.args[0]
    assert lists == 20  # the run's dev split (tiny_config: dev_size 20)
    with qtbot.waitSignal(lab.rescored, timeout=60_000) as blocker:
        lab.rerank((1.0, 0.0))
    out = blocker.args[0]
    assert isinstance(out, RescoreOutcome) and out.lists == lists
    assert len(out.best) == lists and out.bleu_before is not None
