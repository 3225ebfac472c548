"""Axis labels with one tick per piece that never overlap: crowded ones are left out."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF

from s2s_gui.quirks.plot_cache import CheapAxis

Ticks = list[list[tuple[float, str]]]


def piece_ticks(marks: Sequence[tuple[float, str]]) -> Ticks:
    """``(position, piece)`` marks as three tick levels: every fourth, the ones halfway
    between, then the rest.

    For ``setTicks`` on a :class:`PieceAxis`, which places the coarser levels' labels
    first: when a sentence's pieces do not all fit, every second or fourth piece is
    readable, evenly spread, instead of all of them overlapping.
    """
    return [list(marks[::4]), list(marks[2::4]), list(marks[1::2])]


class PieceAxis(CheapAxis):
    """An axis that leaves out any tick label that would touch one already placed.

    pyqtgraph decides per tick level from the labels' total length, which lets a long
    piece between two short ones overlap them; this checks each label's own extent.
    Ticks are still drawn for every piece.
    """

    GAP = 4.0  # pixels kept free between two labels

    def __init__(
        self, orientation: str, vertical_text: bool = False, **kwargs: object
    ) -> None:
        super().__init__(orientation, **kwargs)
        self._number_limits = self.style["textFillLimits"]  # pyqtgraph's
        # a bottom axis may write its pieces upwards: one line of text per tick
        # needs only the font's height along the axis, so every piece of a long
        # sentence finds room
        self.vertical_text = vertical_text and orientation == "bottom"

    def setTicks(self, ticks):  # noqa: N802 (pyqtgraph's name)
        # pieces: measure and place every level, the overlap check below thins them.
        # Numbers (no ticks set, before the first result): pyqtgraph's limits, as
        # measured at every level (~50 labels an axis) they made the empty Translate
        # view's axes the costliest to draw (the attention view 12.7 ms; 20-30 ms
        # while a model trained)
        pieces = [(0, float("inf"))]
        self.setStyle(textFillLimits=self._number_limits if ticks is None else pieces)
        super().setTicks(ticks)

    def generateDrawSpecs(self, p):  # noqa: N802 (pyqtgraph's name)
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis_spec, tick_specs, text_specs = specs
        if self.vertical_text:
            text_specs = self._turned(text_specs)
        across = self.orientation in ("top", "bottom")
        starts: list[float] = []  # placed labels' extents along the axis, sorted
        ends: list[float] = []
        kept = []
        for rect, flags, text in text_specs:  # coarser levels come first
            if across:
                low, high = rect.left() - self.GAP, rect.right() + self.GAP
            else:
                low, high = rect.top() - self.GAP / 2, rect.bottom() + self.GAP / 2
            i = bisect.bisect(starts, low)
            if (i > 0 and ends[i - 1] > low) or (i < len(starts) and starts[i] < high):
                continue
            starts.insert(i, low)
            ends.insert(i, high)
            kept.append((rect, flags, text))
        return axis_spec, tick_specs, kept

    def _turned(self, specs: list) -> list:
        """Every piece's label as upward text takes it: the font's height wide, centred
        on its tick, as long as the text (elided to the axis height). pyqtgraph's own
        plan is not used: it leaves out labels whose level text would not fit across."""
        metrics = QFontMetricsF(self.style["tickFont"] or self.font())
        offset = self.style["tickTextOffset"][1]
        room = max(8.0, self.height() - offset - 4)
        top = offset + max(0, self.style["tickLength"])
        low, high = self.range
        width = self.mapRectFromParent(self.geometry()).width()
        if high <= low or self._tickLevels is None:
            return []
        scale = width / (high - low)
        height = metrics.height()
        out = []
        for level in self._tickLevels:
            for value, text in level:
                x = (value - low) * scale
                if not 0 <= x <= width:
                    continue
                shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
                length = metrics.horizontalAdvance(shown)
                out.append((QRectF(x - height / 2, top, height, length), TURNED, shown))
        return out

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):  # noqa: N802, N803
        if not self.vertical_text:
            super().drawPicture(p, axisSpec, tickSpecs, textSpecs)
            return
        super().drawPicture(p, axisSpec, tickSpecs, [])
        p.save()
        if self.style["tickFont"] is not None:
            p.setFont(self.style["tickFont"])
        p.setPen(self.textPen())
        for rect, _flags, text in textSpecs:
            p.save()
            p.translate(rect.center())
            p.rotate(-90)
            box = QRectF(
                -rect.height() / 2, -rect.width() / 2, rect.height(), rect.width()
            )
            p.drawText(
                box,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
            p.restore()
        p.restore()


TURNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
