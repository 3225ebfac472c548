"""Start / pause / resume / stop, the run folder, and a progress bar with epoch, step, ETA."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from engine.config import Config
from engine.events import Progress, TrainFinished, TrainStart, TrainStep
from s2s_gui.run_labels import (
    bleu_sentences,
    bleu_tooltip,
    stop_reason,
    training_bleu_label,
)
from s2s_gui.state import RunState, format_duration

logger = logging.getLogger(__name__)


class TrainingPanel(QWidget):
    """Maps buttons to controller verbs and controller signals to the progress display."""

    def __init__(
        self,
        controller: Any,
        current_config: Callable[[], Config | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._current_config = current_config
        self._total = 0
        self._dev_pairs = 0  # dev sentences of the current run (for the BLEU label)
        icon = self.style().standardIcon
        pixmaps = QStyle.StandardPixmap
        self.start = QPushButton(icon(pixmaps.SP_MediaPlay), self.tr("Start"))
        self.start.setObjectName("startButton")
        self.pause = QPushButton(icon(pixmaps.SP_MediaPause), self.tr("Pause"))
        self.resume = QPushButton(icon(pixmaps.SP_MediaSeekForward), self.tr("Resume"))
        self.stop = QPushButton(icon(pixmaps.SP_MediaStop), self.tr("Stop"))
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(
            self.tr("new folder under {folder}").format(folder=controller.runs_root)
        )
        self.folder.setToolTip(
            self.tr("Run directory: config, tokenizer, checkpoints, metrics.jsonl")
        )
        browse = QPushButton(self.tr("Folder…"))
        browse.clicked.connect(self._on_browse_clicked)
        gpus = controller.gpu_count()
        self.gpus = QSpinBox()  # shown only when more than one GPU is visible
        self.gpus.setObjectName("gpusSpin")
        self.gpus.setRange(1, max(gpus, 1))
        self.gpus.setPrefix(self.tr("use "))
        self.gpus.setSuffix(self.tr(" GPUs"))
        self.gpus.setToolTip(
            self.tr(
                "More than 1: data-parallel training under torchrun, one process per "
                "GPU, in a subprocess; the plots follow its metrics.jsonl (no pause)."
            )
        )
        self.gpus.setVisible(gpus > 1)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat(self.tr("idle"))
        self.progress_bar.setTextVisible(True)
        self.status = QLabel(self.tr("Choose a corpus and a preset, then press Start."))
        self.error = QLabel()
        self.error.setObjectName("errorBanner")
        self.error.setWordWrap(True)
        self.error.hide()
        self.warning = (
            QLabel()
        )  # engine warnings: skipped NaN steps, OOM splits, disk full
        self.warning.setObjectName("warningBanner")
        self.warning.setWordWrap(True)
        self.warning.hide()
        buttons = QHBoxLayout()
        for button in (self.start, self.pause, self.resume, self.stop):
            buttons.addWidget(button)
        buttons.addSpacing(12)
        buttons.addWidget(QLabel(self.tr("Run folder")))
        buttons.addWidget(self.folder, 1)
        buttons.addWidget(browse)
        buttons.addWidget(self.gpus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.warning)
        self.start.clicked.connect(self._on_start_clicked)
        self.pause.clicked.connect(controller.pause_training)
        self.resume.clicked.connect(controller.resume_training)
        self.stop.clicked.connect(controller.stop_training)
        controller.state_changed.connect(self._on_state_changed)
        controller.progress.connect(self._on_progress)
        controller.train_started.connect(self._on_train_started)
        controller.step.connect(self._on_step)
        controller.training_finished.connect(self._on_finished)
        controller.training_failed.connect(self.show_error)
        controller.warning.connect(self._on_warning)
        self._on_state_changed(controller.state)

    def _on_start_clicked(self) -> None:
        cfg = self._current_config()
        if cfg is None:
            self.show_cannot_start(
                self.tr("the configuration has an error: see the Configure tab.")
            )
            return
        self.error.hide()
        try:
            self._controller.start_training(
                cfg, self.folder.text().strip() or None, gpus=self.gpus.value()
            )
        except RuntimeError as exc:
            self.show_cannot_start(str(exc))

    def _on_browse_clicked(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, self.tr("Run folder"), str(self._controller.runs_root)
        )
        if path:
            self.folder.setText(path)

    def _on_state_changed(self, state: RunState) -> None:
        self.start.setEnabled(not state.busy)
        self.pause.setEnabled(state is RunState.TRAINING)
        self.resume.setEnabled(state is RunState.PAUSED)
        self.stop.setEnabled(
            state in (RunState.PREPARING, RunState.TRAINING, RunState.PAUSED)
        )
        self.folder.setEnabled(not state.busy)
        self.gpus.setEnabled(not state.busy)
        if state is RunState.PREPARING:
            self.error.hide()
            self.warning.hide()
            self.progress_bar.setRange(0, 0)  # busy indicator while data is prepared
            self.status.setText(self.tr("Preparing…"))
        elif state is RunState.PAUSED:
            self.status.setText(self.tr("Paused — press Resume to continue."))
        elif state is RunState.STOPPING:
            self.status.setText(self.tr("Stopping after the current batch…"))

    def _on_progress(self, ev: Progress) -> None:
        self.status.setText(ev.message or ev.stage)

    def _on_train_started(self, ev: TrainStart) -> None:
        self._total = ev.total_steps
        self._dev_pairs = ev.dev_pairs
        self.progress_bar.setRange(0, max(ev.total_steps, 1))
        self.progress_bar.setValue(ev.start_step)
        self.status.setText(
            self.tr(
                "{parameters:,} parameters · {pairs:,} training pairs · "
                "vocabulary {src}/{tgt} · {device}"
            ).format(
                parameters=ev.parameters,
                pairs=ev.train_pairs,
                src=ev.src_vocab,
                tgt=ev.tgt_vocab,
                device=ev.device,
            )
        )

    def _on_step(self, ev: TrainStep) -> None:
        total = f"/{self._total:,}" if self._total else ""
        self.progress_bar.setValue(min(ev.step, self.progress_bar.maximum()))
        self.progress_bar.setFormat(
            self.tr(
                "epoch {epoch:.2f} · step {step:,}{total} · loss {loss:.3f} · "
                "{speed:,.0f} tok/s · ETA {eta}"
            ).format(
                epoch=ev.epoch,
                step=ev.step,
                total=total,
                loss=ev.loss,
                speed=ev.tokens_per_s,
                eta=format_duration(ev.eta_s),
            )
        )

    def _on_finished(self, ev: TrainFinished | None) -> None:
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(1)
        if ev is None:
            self.progress_bar.setFormat(self.tr("ended"))
            return
        cfg = self._controller.config
        reason = stop_reason(ev, cfg)
        self.progress_bar.setFormat(
            self.tr("finished: {reason} at step {step:,}").format(
                reason=reason, step=ev.step
            )
        )
        ppl = "–" if ev.dev_ppl != ev.dev_ppl else f"{ev.dev_ppl:.2f}"
        bleu = "–" if ev.dev_bleu != ev.dev_bleu else f"{ev.dev_bleu:.1f}"
        self.status.setText(
            self.tr(
                "Finished: {reason}, after {epochs:.2f} epochs · dev perplexity {ppl} · "
                "{bleu_label} {bleu} · {speed:,.0f} tokens/s"
            ).format(
                reason=reason,
                epochs=ev.epochs,
                ppl=ppl,
                bleu_label=training_bleu_label(bleu_sentences(cfg, self._dev_pairs)),
                bleu=bleu,
                speed=ev.train_tokens_per_s,
            )
        )
        self.status.setToolTip(bleu_tooltip())

    def _on_warning(self, message: str) -> None:
        self.warning.setText(self.tr("Warning: {message}").format(message=message))
        self.warning.setToolTip(message)
        self.warning.show()

    def show_error(self, message: str) -> None:
        """A clear message in the window; training has ended, the app goes on."""
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setFormat(self.tr("failed"))
        self.error.setText(
            self.tr("Training failed: {message}").format(message=message)
        )
        self.error.show()
        # the status line agrees with the banner (never a stale "press Start" hint)
        self.status.setText(
            self.tr(
                "Training failed — see the message above. Fix the cause, then press "
                "Start again; the last good checkpoint stays."
            )
        )

    def show_cannot_start(self, message: str) -> None:
        """Start was refused before any training began (no run failed)."""
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat(self.tr("not started"))
        self.error.setText(
            self.tr("Cannot start training: {message}").format(message=message)
        )
        self.error.show()
        self.status.setText(self.tr("Not started — see the message above."))
