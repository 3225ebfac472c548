"""QMainWindow: tabs, docks, menus and status bar; wiring only."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engine.config import Config, ConfigError
from engine.events import TrainStart
from s2s_gui.fonts import INSTALL_HINT, covering_families, missing_scripts
from s2s_gui.presets import IMAGE_PRESET, Preset, apply_preset, load_presets
from s2s_gui.quirks.page_warmer import PageWarmer
from s2s_gui.state import RunState
from s2s_gui.widgets.about_dialog import AboutDialog
from s2s_gui.widgets.caption_view import CaptionView
from s2s_gui.widgets.config_panel import ConfigPanel
from s2s_gui.widgets.data_view import DataView
from s2s_gui.widgets.evaluate_view import EvaluateView
from s2s_gui.widgets.explain_panel import ExplainPanel
from s2s_gui.widgets.fit import scrolled
from s2s_gui.widgets.language_menu import LanguageMenu
from s2s_gui.widgets.log_view import LogView
from s2s_gui.widgets.plots_view import PlotsView
from s2s_gui.widgets.probe_view import ProbeView
from s2s_gui.widgets.runs_panel import RunsPanel
from s2s_gui.widgets.start_page import StartPage
from s2s_gui.widgets.states_view import StatesView
from s2s_gui.widgets.training_panel import TrainingPanel
from s2s_gui.widgets.translate_view import TranslateView

logger = logging.getLogger(__name__)

RECENT_MAX = 8
# The status bar names the run state; lupdate collects these texts under "RunState".
STATE_TEXTS = {
    RunState.IDLE: QT_TRANSLATE_NOOP("RunState", "idle"),
    RunState.PREPARING: QT_TRANSLATE_NOOP("RunState", "preparing"),
    RunState.TRAINING: QT_TRANSLATE_NOOP("RunState", "training"),
    RunState.PAUSED: QT_TRANSLATE_NOOP("RunState", "paused"),
    RunState.STOPPING: QT_TRANSLATE_NOOP("RunState", "stopping"),
    RunState.FINISHED: QT_TRANSLATE_NOOP("RunState", "finished"),
    RunState.FAILED: QT_TRANSLATE_NOOP("RunState", "failed"),
}


def state_text(state: RunState) -> str:
    """The run state in the interface language."""
    return QCoreApplication.translate("RunState", STATE_TEXTS.get(state, state.value))


class MainWindow(QMainWindow):
    """Start | Data | Configure | Train | Runs, with the log in a dock."""

    def __init__(
        self, controller: Any, settings: QSettings, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self.setWindowTitle(self.tr("Seq2Seq Lab"))
        self.presets = load_presets()
        self._gpus = controller.gpu_count()
        self.start_page = StartPage(controller.builtin_corpora(), self.presets)
        self.data_view = DataView(controller)
        self.config_panel = ConfigPanel()
        self.training_panel = TrainingPanel(
            controller, self.config_panel.current_config
        )
        self.plots = PlotsView(controller)
        self.probes = ProbeView(controller)
        self.runs_panel = RunsPanel(controller)
        self.translate_view = TranslateView(controller.lab)
        self.caption_view = CaptionView(controller.lab.images, controller.lab)
        self.states_view = StatesView(controller.lab)
        self.evaluate_view = EvaluateView(controller.lab)
        train_page = QWidget()
        train_layout = QVBoxLayout(train_page)
        train_layout.addWidget(ExplainPanel("training"))
        train_layout.addWidget(self.training_panel)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scrolled(self.plots))
        split.addWidget(self.probes)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([620, 180])
        train_layout.addWidget(split, 1)
        self.tabs = QTabWidget()
        config_page = QWidget()
        config_layout = QVBoxLayout(config_page)
        config_layout.setContentsMargins(0, 0, 0, 0)
        config_layout.addWidget(ExplainPanel("config"))
        config_layout.addWidget(self.config_panel, 1)
        for page, title in (
            (self.start_page, self.tr("Start")),
            (self.data_view, self.tr("Data")),
            (config_page, self.tr("Configure")),
            (train_page, self.tr("Train")),
            (self.runs_panel, self.tr("Runs")),
            (self.translate_view, self.tr("Translate")),
            (self.caption_view, self.tr("Caption")),
            (self.states_view, self.tr("Hidden states")),
            (self.evaluate_view, self.tr("Evaluate")),
        ):
            self.tabs.addTab(page, title)
        self.train_tab = train_page
        self.page_warmer = PageWarmer(self.tabs)
        self.setCentralWidget(self.tabs)
        self.log_view = LogView()
        dock = QDockWidget(self.tr("Log"), self)
        dock.setObjectName("logDock")
        dock.setWidget(self.log_view)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.resizeDocks([dock], [110], Qt.Orientation.Vertical)
        self.state_label = QLabel(state_text(RunState.IDLE))
        self.device_label = QLabel()
        self.statusBar().addPermanentWidget(self.state_label)
        self.statusBar().addPermanentWidget(self.device_label)
        self._make_menus(dock)
        self._connect()
        self.start_page.set_recent(self._recent("corpora"), self._recent("runs"))
        self.start_page.select_preset("Quick demo")
        self.start_page.show_corpus(self.config_panel.current_config().data.train)
        self.start_page.set_downloads(controller.downloads)  # "Get sentence pairs…"
        self.start_page.restore(self.settings)  # the last session's corpus and preset
        self.confirm_close = self._ask_close  # tests replace this
        controller.refresh_runs()

    def _make_menus(self, dock: QDockWidget) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self._action(
            file_menu,
            self.tr("Open corpus files…"),
            self._on_open,
            "Ctrl+O",
        )
        self._action(
            file_menu,
            self.tr("Load configuration…"),
            self.config_panel._on_load_clicked,
        )
        self._action(
            file_menu,
            self.tr("Save configuration…"),
            self.config_panel._on_save_clicked,
            "Ctrl+S",
        )
        file_menu.addSeparator()
        self._action(
            file_menu, self.tr("Quit"), self.close, QKeySequence.StandardKey.Quit
        )
        run_menu = self.menuBar().addMenu(self.tr("&Training"))
        self._action(run_menu, self.tr("Start"), self._on_start_requested, "Ctrl+R")
        self._action(run_menu, self.tr("Pause"), self.controller.pause_training)
        self._action(run_menu, self.tr("Resume"), self.controller.resume_training)
        self._action(run_menu, self.tr("Stop"), self.controller.stop_training, "Ctrl+.")
        view = self.menuBar().addMenu(self.tr("&View"))
        view.addAction(dock.toggleViewAction())
        view.addMenu(LanguageMenu(self.settings, self))
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self._action(help_menu, self.tr("About Seq2Seq Lab"), self._on_about)

    def _action(self, menu: Any, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _connect(self) -> None:
        c = self.controller
        self.start_page.corpus_chosen.connect(self._on_corpus_chosen)
        self.start_page.preset_chosen.connect(self._on_preset_chosen)
        self.start_page.start_clicked.connect(self._on_start_requested)
        self.start_page.run_chosen.connect(self._on_run_chosen)
        self.config_panel.config_changed.connect(self._on_config_changed)
        c.state_changed.connect(self._on_state_changed)
        c.device_changed.connect(self._show_device)
        c.train_started.connect(self._on_train_started)
        c.training_failed.connect(self._on_training_failed)
        c.run_opened.connect(self._on_run_opened)
        c.lab.images.model_kind_changed.connect(self._on_model_kind)
        self._on_model_kind(c.lab.images.image_model)
        self._on_config_changed(self.config_panel.current_config())

    # ------------------------------------------------------------------ handlers
    def _on_corpus_chosen(self, spec: str) -> None:
        self.config_panel.set_value("data.train", spec)
        cfg = self.config_panel.current_config()
        if spec.startswith("builtin:images/") and cfg is not None:
            if getattr(cfg.model, "encoder", "rnn") != "cnn":  # pictures need a CNN
                self.start_page.select_preset(IMAGE_PRESET)
                cfg = self.config_panel.current_config()
        if cfg is not None:
            self.data_view.show_loading(spec)
            self.controller.preview_corpus(cfg.data)
        self._remember("corpora", spec)

    def _on_preset_chosen(self, preset: Preset) -> None:
        try:
            self.config_panel.set_config(
                apply_preset(preset, self.config_panel.current_config())
            )
        except ConfigError as exc:
            self.statusBar().showMessage(
                self.tr("Preset {name!r} is invalid: {error}").format(
                    name=preset.display_name, error=exc
                ),
                8000,
            )

    def _on_model_kind(self, image: bool) -> None:
        """An image model is decoded in the Caption tab, a text model in Translate."""
        current = self.tabs.currentWidget()
        self.tabs.setTabVisible(self.tabs.indexOf(self.translate_view), not image)
        self.tabs.setTabVisible(self.tabs.indexOf(self.caption_view), image)
        if current in (self.translate_view, self.caption_view):
            self.tabs.setCurrentWidget(
                self.caption_view if image else self.translate_view
            )

    def _on_open(self) -> None:
        if self.tabs.currentWidget() is self.caption_view:
            self.caption_view.open_image_dialog()
        else:
            self.start_page._on_open_clicked()

    def _on_start_requested(self) -> None:
        self.tabs.setCurrentWidget(self.train_tab)
        self.training_panel.start.click()

    def _on_run_chosen(self, path: str) -> None:
        self.tabs.setCurrentWidget(self.train_tab)
        self.controller.open_run(path)

    def _on_run_opened(self, path: str) -> None:
        self.statusBar().showMessage(
            self.tr("Showing the curves of {path}").format(path=path), 8000
        )
        self._remember("runs", path)

    def _on_config_changed(self, cfg: Config | None) -> None:
        if cfg is None:
            return
        self.config_panel.set_environment(
            bf16=self.controller.bf16_available(cfg.train.device), gpus=self._gpus
        )
        if not self.controller.state.busy:
            self._show_device(self.controller.device_label(cfg.train.device))

    def _show_device(self, text: str) -> None:
        self.device_label.setText(text)
        cores = self.controller.cpu_count()
        threads = self.controller.threads
        self.device_label.setToolTip(
            self.tr(
                "Where training runs. On the CPU the app trains with {threads} of this "
                "machine's {cores} threads and leaves the rest to the window, so it "
                "stays responsive while a model trains; the command line (s2s train) "
                "uses all {cores}."
            ).format(threads=threads, cores=cores)
            if text.startswith("CPU")
            else ""
        )

    def _on_state_changed(self, state: RunState) -> None:
        self.state_label.setText(state_text(state))

    def _on_train_started(self, ev: TrainStart) -> None:
        self._remember("runs", ev.run_dir)

    def _on_about(self) -> None:
        AboutDialog(self).open()

    def _on_training_failed(self, message: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Critical, self.tr("Training failed"), message, parent=self
        )
        box.setInformativeText(
            self.tr("The app keeps running; the last good checkpoint stays.")
        )
        box.setObjectName("trainingFailedBox")
        box.open()  # window-modal, does not block the event loop

    # ------------------------------------------------------------------ fonts
    def check_fonts(
        self, families: Callable[[str], Iterable[str]] = covering_families
    ) -> QMessageBox | None:
        """Say once, without blocking, how to install fonts for Korean/Japanese text."""
        missing = missing_scripts(families)
        if not missing:
            return None
        logger.warning("no font covers %s text", ", ".join(missing))
        if self.settings.value("notices/cjk_fonts", False, type=bool):
            return None
        self.settings.setValue("notices/cjk_fonts", True)
        names = {
            "Korean": self.tr("Korean"),
            "Japanese": self.tr("Japanese"),
            "Chinese": self.tr("Chinese"),
        }
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Fonts for CJK text are missing"),
            self.tr(
                "No installed font covers {scripts} text, so sentences in these "
                "languages show as empty boxes. Install one and restart the app, "
                "e.g. on Debian or Ubuntu:\n\n    {command}"
            ).format(
                scripts=", ".join(names.get(s, s) for s in missing),
                command=INSTALL_HINT,
            ),
            parent=self,
        )
        box.setObjectName("fontNotice")
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()
        return box

    # ------------------------------------------------------------------ settings
    def _recent(self, kind: str) -> list[str]:
        value = self.settings.value(f"recent/{kind}", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _remember(self, kind: str, item: str) -> None:
        items = [item] + [x for x in self._recent(kind) if x != item]
        self.settings.setValue(f"recent/{kind}", items[:RECENT_MAX])
        self.start_page.set_recent(self._recent("corpora"), self._recent("runs"))

    # ------------------------------------------------------------------ closing
    def _ask_close(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Training in progress"),
            self.tr(
                "A training run is in progress. Stop it (the last checkpoint stays) "
                "and quit?"
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.controller.state.busy and not self.confirm_close():
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.controller.shutdown()
        self.log_view.detach()
        event.accept()
