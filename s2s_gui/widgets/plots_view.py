"""The grid of live training plots, redrawn from a ~10 Hz timer when the history changed."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from s2s_gui.widgets.metric_plot import (
    PALETTE,
    X_STEP,
    X_TIME,
    MetricPlot,
    Overlay,
    Series,
)
from s2s_gui.widgets.metric_style import RUN_COLORS, run_color, short_run_name
from s2s_gui.widgets.plot_grid import PlotGrid
from s2s_gui.widgets.run_selector import CURRENT, RunSelector

logger = logging.getLogger(__name__)

BLUE, RED, GREEN, PURPLE = PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3]

# (title, y label, curves). The titles are the plots' stable keys (``plot("Loss")``);
# they and the labels are marked for lupdate under "Plots" and translated when shown.
TRAIN, DEV = QT_TRANSLATE_NOOP("Plots", "train"), QT_TRANSLATE_NOOP("Plots", "dev")
PLOTS = (
    (
        QT_TRANSLATE_NOOP("Plots", "Loss"),
        QT_TRANSLATE_NOOP("Plots", "loss (nats/token)"),
        (
            Series("step", "loss", TRAIN, BLUE, True),
            Series("eval", "dev_loss", DEV, RED),
        ),
    ),
    (
        QT_TRANSLATE_NOOP("Plots", "Perplexity"),
        QT_TRANSLATE_NOOP("Plots", "perplexity"),
        (
            Series("step", "ppl", TRAIN, BLUE, True),
            Series("eval", "dev_ppl", DEV, RED),
        ),
    ),
    (
        QT_TRANSLATE_NOOP("Plots", "Dev BLEU / chrF"),
        QT_TRANSLATE_NOOP("Plots", "score"),
        (Series("eval", "bleu", "BLEU", GREEN), Series("eval", "chrf", "chrF", PURPLE)),
    ),
    (
        QT_TRANSLATE_NOOP("Plots", "Learning rate"),
        "lr",
        (Series("step", "lr", "lr", BLUE),),
    ),
    (
        QT_TRANSLATE_NOOP("Plots", "Gradient norm"),
        QT_TRANSLATE_NOOP("Plots", "norm (pre-clip)"),
        (
            Series(
                "step", "grad_norm", QT_TRANSLATE_NOOP("Plots", "grad norm"), BLUE, True
            ),
        ),
    ),
    (
        QT_TRANSLATE_NOOP("Plots", "Throughput"),
        QT_TRANSLATE_NOOP("Plots", "tokens / s"),
        (
            Series(
                "step",
                "tokens_per_s",
                QT_TRANSLATE_NOOP("Plots", "tokens/s"),
                BLUE,
                True,
            ),
        ),
    ),
)
PLOTS_PER_TICK = 1
LOG_PLOTS = ("Loss", "Perplexity", "Learning rate", "Gradient norm")


class PlotsView(QWidget):
    """Six MetricPlots over ``controller.history`` and ``controller.overlays``."""

    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._view_version = 0  # bumped when overlays or smoothing change
        self._drawn: dict[int, tuple[int, int]] = {}  # plot index -> versions drawn
        self._next = 0
        step_hint = self.tr(
            "Press Start to train, or open a run in Runs: its curve appears here."
        )
        eval_hint = self.tr(
            "Dev BLEU and chrF appear here at each evaluation of a run."
        )
        self.plots = [
            MetricPlot(
                title,
                unit,
                series,
                hint=eval_hint
                if all(s.source == "eval" for s in series)
                else step_hint,
            )
            for title, unit, series in PLOTS
        ]
        self._colors: dict[str, str] = {}  # run folder -> its overlay colour, kept
        for plot in self.plots:
            plot.setMinimumSize(220, 160)
        # after a resize the plots come back one per pass, once resizing pauses
        self.grid = PlotGrid(self.plots, columns=3, spacing=4)
        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setRange(0, 99)
        self.smoothing.setValue(60)
        self.smoothing.setMaximumWidth(140)
        self.smoothing.setToolTip(
            self.tr("Exponential moving average of the training curves")
        )
        self.smoothing.valueChanged.connect(self._on_smoothing_changed)
        self.log_y = QCheckBox(self.tr("Log scale"))
        self.log_y.setToolTip(
            self.tr("Logarithmic y axis for loss, perplexity, lr and gradient norm")
        )
        self.log_y.toggled.connect(self._on_log_toggled)
        self.export_choice = QComboBox()
        self.export_choice.addItems([p.display_title for p in self.plots])
        export = QPushButton(self.tr("Export plot…"))
        export.setToolTip(self.tr("Save the chosen plot as PNG or SVG"))
        export.clicked.connect(self._on_export_clicked)
        csv = QPushButton(self.tr("Export metrics CSV…"))
        csv.clicked.connect(self._on_csv_clicked)
        self.x_axis = QComboBox()
        self.x_axis.addItem(self.tr("x: step"), X_STEP)
        self.x_axis.addItem(self.tr("x: relative time"), X_TIME)
        self.x_axis.setToolTip(
            self.tr("Plot against the training step or the minutes since the run began")
        )
        self.x_axis.currentIndexChanged.connect(self._on_x_axis_changed)
        self.runs = RunSelector()
        self.runs.hide()
        self.runs.visibility_changed.connect(self._on_overlays_changed)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Smoothing")))
        bar.addWidget(self.smoothing)
        bar.addWidget(self.log_y)
        bar.addWidget(self.x_axis)
        bar.addStretch(1)
        bar.addWidget(self.export_choice)
        bar.addWidget(export)
        bar.addWidget(csv)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.runs)
        body.addWidget(self.grid, 1)
        layout.addLayout(body, 1)
        controller.overlays_changed.connect(self._on_overlays_changed)
        controller.run_opened.connect(self._on_overlays_changed)
        state_changed = getattr(controller, "state_changed", None)
        if state_changed is not None:
            state_changed.connect(self._on_state_changed)
        # Runs only while the view is shown (showEvent/hideEvent): refreshed while
        # hidden, all six plots were repainted with new data and new axes in the pass
        # that showed the tab again (70-120 ms while training). Now that pass paints
        # the pictures the plots already have, and they catch up one per tick from
        # one interval later.
        self._timer = QTimer(self, interval=50, timeout=self._tick)

    def plot(self, title: str) -> MetricPlot:
        return next(p for p in self.plots if p.title == title)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._timer.start()  # the first refresh one interval after the show's paint

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        super().hideEvent(event)
        self._timer.stop()

    def _tick(self) -> None:
        self._refresh(budget=PLOTS_PER_TICK)

    def _refresh(self, budget: int | None = None) -> None:
        """Redraw the plots whose data changed since they were drawn.

        The 20 Hz timer passes a budget of one plot per tick, in turn, so that a repaint
        never has to draw all six (a full repaint takes ~60 ms on a slow CPU).
        """
        history = self._controller.history
        drawn = (history.version, self._view_version)
        order = [(self._next + i) % len(self.plots) for i in range(len(self.plots))]
        stale = [i for i in order if self._drawn.get(i) != drawn]
        weight = self.smoothing.value() / 100
        overlays = self.overlays()
        current = self.runs.is_shown(CURRENT)
        for i in stale[:budget]:
            self.plots[i].refresh(history, overlays, weight, current)
            self._drawn[i] = drawn
            self._next = (i + 1) % len(self.plots)
        if len(stale) <= (budget or len(stale)):
            history.dirty = False

    def overlays(self) -> dict[str, Overlay]:
        """The overlaid runs to draw: never the current run, none the person unticked;
        each keeps the colour it got when first overlaid."""
        current = getattr(self._controller, "run_dir", None)
        paths = [p for p in self._controller.overlays if p != current]
        self._assign_colors(paths)
        return {
            p: Overlay(self._controller.overlays[p], self._colors[p], short_run_name(p))
            for p in paths
            if self.runs.is_shown(p)
        }

    def _on_overlays_changed(self, *_: object) -> None:
        overlaid = self._controller.overlays
        self._colors = {p: c for p, c in self._colors.items() if p in overlaid}
        current = getattr(self._controller, "run_dir", None)
        others = [p for p in overlaid if p != current]
        self._assign_colors(others)
        self.runs.set_runs(current, [(p, self._colors[p]) for p in others])
        # a column of runs only when there are runs to compare
        self.runs.setVisible(bool(others))
        self._view_version += 1

    def _assign_colors(self, paths: list[str]) -> None:
        """Give each newly overlaid run the first colour no other run has (once all
        are taken, they come round again)."""
        for path in paths:
            if path not in self._colors:
                used = set(self._colors.values())
                free = [i for i in range(len(RUN_COLORS)) if run_color(i) not in used]
                self._colors[path] = run_color(free[0] if free else len(self._colors))

    def _on_state_changed(self, state: Any) -> None:
        live = bool(getattr(state, "busy", False))
        for plot in self.plots:
            plot.set_live(live)
        if live:
            self._on_overlays_changed()  # a new run: the selector names it

    def _on_x_axis_changed(self, _index: int) -> None:
        for plot in self.plots:
            plot.set_x_mode(self.x_axis.currentData())
        self._view_version += 1

    def _on_smoothing_changed(self, _value: int) -> None:
        self._view_version += 1

    def _on_log_toggled(self, on: bool) -> None:
        for plot in self.plots:
            if plot.title in LOG_PLOTS:
                plot.set_log_y(on)

    def _on_export_clicked(self) -> None:
        plot = self.plots[self.export_choice.currentIndex()]
        name = plot.title.lower().replace(" ", "_").replace("/", "")
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export plot"),
            f"{name}.png",
            self.tr("PNG image (*.png);;SVG drawing (*.svg)"),
        )
        if path:
            plot.export(path)

    def _on_csv_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export metrics"), "metrics.csv", "CSV (*.csv)"
        )
        if path:
            self._controller.history.write_csv(path)
