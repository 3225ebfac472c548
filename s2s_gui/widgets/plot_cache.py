"""Cheaper plot repaints: one clip rectangle, cached axes, no repaint on tab switches,
lighter grids.

Each of these came out of the stall probe (``python -m s2s_gui.stall_probe``): the GUI
thread's longest pauses while a model trains were pyqtgraph repainting plots.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QGraphicsView

AXES = ("left", "bottom", "right", "top")


class _KeepCache(QGraphicsObject):
    """Invisible scene item that filters (de)activation events out of a plot.

    Qt activates a scene when its view is shown and deactivates it when hidden (a tab
    switch), and every QGraphicsWidget answers with ``update()`` (its palette could
    change colour group): cached axes lost their pixmaps, and each plot was painted
    three times over when its tab was shown. pyqtgraph's items draw with their own
    pens and brushes, so nothing about them changes. Filtered, showing the Train tab
    again went from 57-62 to 13-17 ms of GUI time (twelve axis repaints and two extra
    rounds of six plots before).
    """

    ACTIVATION = (QEvent.Type.WindowActivate, QEvent.Type.WindowDeactivate)

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(self, *_: object) -> None:
        pass

    def sceneEventFilter(self, _watched: QGraphicsItem, event: QEvent) -> bool:
        return event.type() in self.ACTIVATION


def cheap_repaints(plot: pg.PlotWidget | pg.PlotItem) -> None:
    """Make a plot's repaints cheap: one clip rectangle, cached axes, no repaint on
    tab switches (see ``_KeepCache``).

    One rectangle: pyqtgraph's views repaint the exact region of what changed
    (``MinimalViewportUpdate``), a clip of several rectangles around the legend, curves
    and axes. Through such a clip a long, noisy, translucent curve (the faint raw curve
    of gradient norm or throughput) is slow to draw. One refresh and paint of the
    throughput plot, with the ~2,000 points a quick-demo run logs every step in a
    minute: median 11.7 ms, and 5.2 ms through the bounding rectangle of the change
    (gradient norm: 8.3 and 4.3 ms, at most 32 and 6 ms); with 3,000 points of
    uniform noise, 160 and 9 ms.

    Cached axes: pyqtgraph replays an axis's recorded drawing (ticks and every label's
    text) on each repaint of its view, even when only the plotted items changed. In the
    Translate view that replay was the largest part of painting a new result; cached as
    a device pixmap, redrawn only when the axis itself changes, a repaint copies the
    pixmap instead (eng-fra, typing a sentence a second: GUI-thread time per result
    22-26 ms -> 17-23 ms; showing the Train tab again: 67-73 ms -> 57-62 ms).

    ``plot`` may be a PlotItem nested in another plot (the attention view's colour bar):
    its axes are cached, and the rest is the outer plot's.
    """
    if isinstance(plot, pg.PlotWidget):
        plot.setViewportUpdateMode(
            QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate
        )
    # QGraphicsWidgets pass activation on to their children, so filtering it at the
    # top item keeps it from every item inside: axes, view box, title, legend, and a
    # plot nested in it (the attention view's colour bar), which needs no filter
    item = plot.getPlotItem() if isinstance(plot, pg.PlotWidget) else plot
    if item.parentItem() is None:
        keeper = _KeepCache()
        plot.scene().addItem(keeper)
        plot.axis_cache_keeper = keeper  # the scene owns it; the attribute documents it
        item.installSceneEventFilter(keeper)
    for name in AXES:
        plot.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def show_grid(
    item: pg.PlotItem, x: bool = False, y: bool = False, alpha: float = 0.25
) -> None:
    """``item.showGrid`` without the finest tick level's lines.

    pyqtgraph draws the grid as the axes' ticks, three levels deep, and fades each level;
    with a grid the third level is drawn at ~2% opacity, invisible but up to two dozen
    lines across the whole plot, and the largest part of painting the axis (the
    log-prob plot's left axis: ~6.5 -> ~1.8 ms).
    """
    item.showGrid(x=x, y=y, alpha=alpha)
    for name, on in (("bottom", x), ("left", y)):
        if on:
            item.getAxis(name).setStyle(maxTickLevel=1)


def set_range_now(item: pg.PlotItem, **kwargs: object) -> None:
    """``item.setRange(**kwargs)`` with the view's new transform applied at once.

    pyqtgraph defers the transform to the view box's next paint (``prepareForPaint``).
    Set there, it moves every plotted item while the scene is being drawn, and the scene
    asks for a second paint of the data area right after the first. Applied here, a new
    result is painted once (per Translate result: the beam tree's second paint cost
    2-4 ms, the attention and log-prob plots' ~1 ms each, more while a model trains).
    """
    item.setRange(**kwargs)
    item.getViewBox().updateMatrix()
