"""Cheaper plot repaints: one clip rectangle, cached axes drawn without stroking lines,
no repaint on tab switches, lighter grids.

Each of these came out of the stall probe (``python -m tools.stall_probe``): the GUI
thread's longest pauses while a model trains were pyqtgraph repainting plots. Each is a
quirk (``s2s_gui.quirks``): switched off or outside its versions, pyqtgraph's own path
runs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QPaintEngine,
    QPainter,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QGraphicsView

from s2s_gui.quirks import enabled

AXES = ("left", "bottom", "right", "top")
MOVES_ONLY = (QTransform.TxNone, QTransform.TxTranslate)


class CheapAxis(pg.AxisItem):
    """An axis that fills its tick and grid lines as one-pixel rectangles.

    Qt's raster engine draws a translucent one-pixel line (pyqtgraph's grid lines and
    faded ticks) ~20 times slower than an opaque one: the left axis of a plot with a
    grid, eleven lines across it, took 2-3.5 ms to draw, against 0.14 ms for the same
    lines opaque and 0.10 ms filled as rectangles. An axis is drawn anew whenever its
    plot is resized, so a resize of the six Train plots spent most of its axis time
    there. A filled rectangle covers exactly the pixels the line would, blended the
    same way (checked pixel for pixel by the tests), wherever the painter only
    translates onto a raster device, as when Qt draws an axis into its cache or a
    window. Anything else (an export at another scale, SVG) is drawn as pyqtgraph
    does.

    pyqtgraph records an axis as a QPicture and replays it; the axis is cached as a
    pixmap here (``cheap_repaints``), so it is painted only when it changed, and the
    lines must be placed in device pixels, which a recording does not know. It is
    drawn straight onto the painter instead. Without that cache (quirk ``axis_cache``
    off) it would be drawn from scratch on every repaint, so it paints as pyqtgraph
    does then, as with ``axis_paint`` off.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fills_lines = enabled("axis_paint") and enabled("axis_cache")

    def paint(self, p: QPainter, opt: object, widget: object) -> None:
        if not self.fills_lines or not _translates_onto_raster(p):
            super().paint(p, opt, widget)
            return
        p.save()
        if self.style["tickFont"]:
            p.setFont(self.style["tickFont"])
        specs = self.generateDrawSpecs(p)
        if specs is not None:
            self.drawPicture(p, *specs)
        p.restore()

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):  # noqa: N802, N803
        if not self.fills_lines or not _translates_onto_raster(
            p
        ):  # pyqtgraph's picture
            super().drawPicture(p, axisSpec, tickSpecs, textSpecs)
            return
        # what pyqtgraph's drawPicture does, in its order, with lines filled
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        draw_lines(p, [axisSpec, *tickSpecs])
        if self.style["tickFont"] is not None:
            p.setFont(self.style["tickFont"])
        p.setPen(self.textPen())
        p.setClipRect(self.boundingRect().toAlignedRect())
        for rect, flags, text in textSpecs:
            p.drawText(rect, int(flags), text)


def cheap_axes(**given: pg.AxisItem) -> dict[str, pg.AxisItem]:
    """``axisItems`` for a plot: the ``given`` axes, and a ``CheapAxis`` on the left
    and at the bottom where none is given (a PlotItem shows the axes it is given,
    and by default only those two)."""
    return {"left": CheapAxis("left"), "bottom": CheapAxis("bottom"), **given}


def _translates_onto_raster(p: QPainter) -> bool:
    engine = p.paintEngine()
    return (
        engine is not None
        and engine.type() == QPaintEngine.Type.Raster
        and p.transform().type() in MOVES_ONLY
        and not p.testRenderHint(QPainter.RenderHint.Antialiasing)
        and p.compositionMode() == QPainter.CompositionMode.CompositionMode_SourceOver
    )


def draw_lines(p: QPainter, lines: Iterable[tuple[QPen, QPointF, QPointF]]) -> None:
    """Draw ``(pen, start, end)`` lines in order, as ``p.drawLine`` would, filling
    the horizontal and vertical one-pixel ones where ``p`` only translates onto a
    raster device.

    Qt draws such a line through the pixels whose top-left corners are its points
    rounded down, both end pixels included. Found by drawing both ways at thousands of
    random positions, pen widths 0 and 1, and translations in whole and part pixels,
    and comparing the images; the tests compare whole axes.

    A horizontal line is one filled rectangle. A vertical one is as slow to fill as to
    stroke, a row of one pixel at a time (the 12 grid lines across the hidden-states
    plot: 2-7 ms), so vertical lines that follow each other over the same rows are
    filled at once, as a pattern one row high (~8x faster; same pixels, as none of
    them share a column).
    """
    if not _translates_onto_raster(p):
        for pen, start, end in lines:
            p.setPen(pen)
            p.drawLine(start, end)
        return
    shift = p.transform()
    dx, dy = shift.dx(), shift.dy()
    colours: dict[int, QColor | None] = {}  # id(pen) -> its colour, if it fills
    columns = _Columns()
    p.save()
    p.resetTransform()  # rectangles in device pixels; the clip stays where it was
    for pen, start, end in lines:
        if id(pen) not in colours:
            colours[id(pen)] = _fill_colour(pen)
        colour = colours[id(pen)]
        pixels = _line_pixels(start, end, dx, dy) if colour is not None else None
        if pixels is not None and pixels.width() == 1 and pixels.height() > 1:
            if not columns.add(pixels, colour):
                columns.fill(p)
                columns.add(pixels, colour)
            continue
        columns.fill(p)
        if pixels is None:
            p.setTransform(shift)
            p.setPen(pen)
            p.drawLine(start, end)
            p.resetTransform()
        else:
            p.fillRect(pixels, colour)
    columns.fill(p)
    p.restore()


class _Columns:
    """Vertical one-pixel lines over the same rows, each in its own column, filled in
    one call: a row of their colours, repeated down the rows."""

    def __init__(self) -> None:
        self._rows = (0, 0)  # top, height
        self._colours: dict[int, QColor] = {}  # x -> colour

    def add(self, pixels: QRect, colour: QColor) -> bool:
        """Take a line, unless it covers other rows or a taken column."""
        rows = (pixels.top(), pixels.height())
        if self._colours and (rows != self._rows or pixels.left() in self._colours):
            return False
        self._rows = rows
        self._colours[pixels.left()] = colour
        return True

    def fill(self, p: QPainter) -> None:
        if not self._colours:
            return
        top, height = self._rows
        left, right = min(self._colours), max(self._colours)
        if len(self._colours) == 1:
            p.fillRect(QRect(left, top, 1, height), self._colours[left])
        else:
            row = QImage(right - left + 1, 1, QImage.Format.Format_ARGB32_Premultiplied)
            row.fill(Qt.GlobalColor.transparent)  # blends as nothing: pixels unchanged
            for x, colour in self._colours.items():
                row.setPixelColor(x - left, 0, colour)
            pattern = QBrush(row)
            pattern.setTransform(QTransform.fromTranslate(left, top))
            p.fillRect(QRect(left, top, row.width(), height), pattern)
        self._colours.clear()


def _fill_colour(pen: QPen) -> QColor | None:
    """The colour of an aliased one-pixel solid ``pen``, None for any other pen."""
    one_pixel = pen.widthF() == 0 or (pen.isCosmetic() and pen.widthF() <= 1)
    solid = (
        pen.style() == Qt.PenStyle.SolidLine
        and pen.brush().style() == Qt.BrushStyle.SolidPattern
    )
    return pen.color() if one_pixel and solid else None


def _line_pixels(start: QPointF, end: QPointF, dx: float, dy: float) -> QRect | None:
    """The pixels of a horizontal or vertical one-pixel line moved by ``(dx, dy)``."""
    x0, y0 = start.x() + dx, start.y() + dy
    x1, y1 = end.x() + dx, end.y() + dy
    if y0 == y1:
        left = math.floor(min(x0, x1))
        return QRect(left, math.floor(y0), math.floor(max(x0, x1)) + 1 - left, 1)
    if x0 == x1:
        top = math.floor(min(y0, y1))
        return QRect(math.floor(x0), top, 1, math.floor(max(y0, y1)) + 1 - top)
    return None


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
    tab switches (see ``_KeepCache``). A plot widget's shown axes must be
    ``CheapAxis`` (build it with ``axisItems=cheap_axes()``).

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
    pixmap instead.

    ``plot`` may be a PlotItem nested in another plot (the attention view's colour bar):
    its axes are cached, and the rest is the outer plot's.
    """
    if isinstance(plot, pg.PlotWidget):
        shown = [plot.getAxis(side) for side in AXES if plot.getAxis(side).isVisible()]
        if not all(isinstance(axis, CheapAxis) for axis in shown):
            raise TypeError(f"build {type(plot).__name__} with axisItems=cheap_axes()")
        if enabled("one_clip"):
            plot.setViewportUpdateMode(
                QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate
            )
    # QGraphicsWidgets pass activation on to their children, so filtering it at the
    # top item keeps it from every item inside: axes, view box, title, legend, and a
    # plot nested in it (the attention view's colour bar), which needs no filter
    item = plot.getPlotItem() if isinstance(plot, pg.PlotWidget) else plot
    if item.parentItem() is None and enabled("keep_cache"):
        keeper = _KeepCache()
        plot.scene().addItem(keeper)
        plot.axis_cache_keeper = keeper  # the scene owns it; the attribute documents it
        item.installSceneEventFilter(keeper)
    if enabled("axis_cache"):
        for name in AXES:
            plot.getAxis(name).setCacheMode(
                QGraphicsItem.CacheMode.DeviceCoordinateCache
            )


def show_grid(
    item: pg.PlotItem, x: bool = False, y: bool = False, alpha: float = 0.25
) -> None:
    """``item.showGrid`` without the finest tick level's lines.

    pyqtgraph draws the grid as the axes' ticks, three levels deep, and fades each level;
    with a grid the third level is drawn at ~2% opacity, invisible but up to two dozen
    lines across the whole plot, and the largest part of painting the axis.
    """
    item.showGrid(x=x, y=y, alpha=alpha)
    if not enabled("grid_levels"):
        return
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
    if enabled("range_now"):
        item.getViewBox().updateMatrix()
