"""Numbers say what they are, fields that do nothing are disabled, the status agrees
with a failure, the log dock follows a run, and missing CJK fonts are reported."""

from __future__ import annotations

from engine.config import Config, TrainConfig, replace
from engine.events import TrainFinished
from s2s_gui.fonts import missing_scripts
from s2s_gui.run_labels import stop_reason
from s2s_gui.state import RunState
from tests.gui.conftest import tiny_config


def disabled_because(panel, key: str) -> str | None:
    """The field's tooltip when both it and its label are disabled, else None."""
    editor = panel.editor(key)
    if editor.isEnabled():
        return None
    assert not panel._labels[key].isEnabled()
    return editor.toolTip()


def test_schedule_fields_follow_the_schedule(qtbot):
    from s2s_gui.widgets.config_panel import ConfigPanel

    panel = ConfigPanel()
    qtbot.addWidget(panel)
    schedule = panel.editor("train.lr_schedule")
    schedule.setCurrentText("none")
    for key in ("train.halve_after_epoch", "train.plateau_factor", "train.warmdown"):
        tip = disabled_because(panel, key)
        assert tip is not None and "Used only by" in tip, key
    schedule.setCurrentText("paper")
    assert panel.editor("train.halve_after_epoch").isEnabled()
    assert "'paper'" not in panel.editor("train.halve_after_epoch").toolTip()
    assert "'plateau'" in disabled_because(panel, "train.plateau_factor")
    schedule.setCurrentText("warmdown")
    assert panel.editor("train.warmdown").isEnabled()
    assert disabled_because(panel, "train.halve_after_epoch") is not None


def test_task_attention_batch_and_machine_rules(qtbot):
    from s2s_gui.widgets.config_panel import ConfigPanel

    panel = ConfigPanel()
    qtbot.addWidget(panel)
    panel.set_config(tiny_config())  # builtin:task/reverse
    assert panel.editor("data.task_size").isEnabled()
    panel.editor("data.train").setText("builtin:qt/fr")
    for key in ("data.task_size", "data.task_min_len", "data.task_max_len"):
        assert "builtin:task" in disabled_because(panel, key), key
    panel.editor("model.attention").setCurrentText("none")
    assert "attention" in disabled_because(panel, "model.input_feeding").lower()
    panel.editor("model.attention").setCurrentText("dot")
    assert panel.editor("model.input_feeding").isEnabled()
    panel.editor("train.batch_tokens").setValue(2000)
    assert "token budget" in disabled_because(panel, "train.batch_size")
    panel.set_environment(bf16=False, gpus=1)
    assert "bf16" in disabled_because(panel, "train.bf16")
    assert "multi-GPU" in disabled_because(panel, "train.batch_scope")
    panel.set_environment(bf16=True, gpus=2)
    assert panel.editor("train.bf16").isEnabled()
    assert panel.editor("train.batch_scope").isEnabled()


def test_jargon_fields_explain_themselves(qtbot):
    from s2s_gui.widgets.config_panel import ConfigPanel

    panel = ConfigPanel()
    qtbot.addWidget(panel)
    for key, word in (
        ("model.bridge", "decoder starts"),
        ("train.batch_tokens", "pieces"),
        ("data.model_type", "cut into pieces"),
        ("train.batch_scope", "several GPUs"),
    ):
        assert word in panel._tips[key], key


def test_stop_reasons_are_unambiguous():
    cfg = Config(train=TrainConfig(max_steps=600, max_minutes=2.0, patience=3))

    def ended(reason: str) -> str:
        return stop_reason(TrainFinished(reason, 600, 1.5, 100.0, 2.0, 6.2), cfg)

    assert ended("max_steps") == "reached max steps (600)"
    assert ended("stopped") == "stopped by you"
    assert ended("max_minutes") == "time limit (2 min)"
    assert "3 evaluations" in ended("converged")
    assert ended("max_steps") != ended("stopped")


def test_a_finished_run_labels_its_numbers_and_logs_its_course(qtbot, window):
    ctl, panel = window.controller, window.training_panel
    window.config_panel.set_config(
        tiny_config(max_steps=20, bleu_sentences=8, eval_every=10, log_every=2)
    )
    with qtbot.waitSignal(ctl.training_finished, timeout=60_000):
        panel.start.click()
    status = panel.status.text()
    assert "dev BLEU (greedy, 8 sentences)" in status
    assert "reached max steps (20)" in status
    assert "reached max steps (20)" in panel.progress_bar.format()
    assert "sacrebleu" in panel.status.toolTip()
    log = window.log_view

    def logged(text: str) -> bool:
        return text in log.toPlainText()

    qtbot.waitUntil(lambda: logged("run ended: reached max steps (20)"))
    assert logged("s2s_gui.training: step ")
    assert logged("evaluation at step 10: dev perplexity")
    assert logged("(greedy, 8 sentences)")


def test_evaluate_names_its_search_and_sentences(qtbot, window, trained_run):
    lab, view = window.controller.lab, window.evaluate_view
    lab.choose([trained_run])
    view.controls.beam.setValue(3)
    with qtbot.waitSignal(lab.eval_finished, timeout=60_000):
        view.start.click()
    assert view.scores.text().startswith("BLEU (beam 3, 20 sentences) ")
    assert "nrefs:1" in view.scores.toolTip()
    assert "greedy decoding of the first dev sentences" in view.scores.toolTip()


def test_status_agrees_with_a_failure_banner(qtbot, window, tmp_path):
    ctl, panel = window.controller, window.training_panel
    cfg = tiny_config()
    missing = tmp_path / "missing.tsv"
    window.config_panel.set_config(
        replace(cfg, data=replace(cfg.data, train=str(missing)))
    )
    with qtbot.waitSignal(ctl.training_failed, timeout=20_000):
        panel.start.click()
    assert not panel.error.isHidden() and "Training failed" in panel.error.text()
    assert window.state_label.text() == "failed"
    assert "Training failed" in panel.status.text()
    assert "press Start." not in panel.status.text()
    assert panel.progress_bar.format() == "failed"


def test_a_refused_start_says_not_started(qtbot, window):
    panel = window.training_panel
    window.config_panel.editor("train.batch_size").setValue(0)
    panel.start.click()
    assert window.controller.state is RunState.IDLE
    assert window.state_label.text() == "idle"
    assert panel.error.text().startswith("Cannot start training")
    assert "Not started" in panel.status.text()


def test_the_device_label_explains_the_thread_count(window):
    window.config_panel.set_config(tiny_config())
    tip = window.device_label.toolTip()
    assert window.device_label.text().startswith("CPU")
    threads, cores = window.controller.threads, window.controller.cpu_count()
    assert f"with {threads} of this machine's {cores} threads" in tip
    assert "s2s train" in tip


def test_missing_cjk_fonts_are_reported_once(qtbot, window):
    def nothing(script: str) -> list[str]:
        return []

    box = window.check_fonts(families=nothing)
    assert box is not None and box.isVisible() and not box.isModal()
    assert "fonts-noto-cjk" in box.text() and "Korean" in box.text()
    box.close()
    assert window.check_fonts(families=nothing) is None  # once, not at every start


def test_installed_cjk_fonts_need_no_message(qtbot, window):
    assert window.check_fonts(families=lambda script: ["Noto Sans CJK"]) is None
    assert missing_scripts(lambda s: ["Noto"] if s == "Chinese" else []) == [
        "Korean",
        "Japanese",
    ]
