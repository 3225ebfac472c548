"""A proxy that adds thumbnails (DecorationRole) to a column of image references."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QIdentityProxyModel, Qt
from PySide6.QtGui import QColor, QImage

from s2s_gui.models.samples_model import PairsModel
from s2s_gui.models.table_model import Index

PLACEHOLDER_PX = 64


class ThumbnailProxy(QIdentityProxyModel):
    """Passes every role through; for ``column`` adds the cached thumbnail of the
    image its text names, asking ``images`` (the ImageController) to load it.

    Qt asks for the decoration of visible cells only, so thumbnails load lazily as
    the view scrolls; until one arrives a grey square keeps the row's layout.
    """

    def __init__(self, images: Any, column: int, parent: Any = None) -> None:
        super().__init__(parent)
        self._images, self.column = images, column
        self.enabled = False  # on for corpora whose sources are images
        self._placeholder = QImage(
            PLACEHOLDER_PX, PLACEHOLDER_PX, QImage.Format.Format_RGB32
        )
        self._placeholder.fill(QColor("#e4e4e4"))
        self._broken = QImage(self._placeholder)  # an image that cannot be read
        self._broken.fill(QColor("#f5c2c0"))
        images.thumbnails_ready.connect(self._on_thumbnails)

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        self._changed()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.DecorationRole
            and self.enabled
            and index.isValid()
            and index.column() == self.column
        ):
            ref = super().data(index, Qt.ItemDataRole.DisplayRole)
            if isinstance(ref, str) and self._images.is_image_ref(ref):
                image = self._images.thumbnail(ref)
                if image is None:
                    failed = self._images.has_failed(ref)
                    return self._broken if failed else self._placeholder
                return image
        return super().data(index, role)

    def _on_thumbnails(self, _refs: Any) -> None:
        if self.enabled:
            self._changed()

    def _changed(self) -> None:
        rows = self.rowCount()
        if rows:  # the views repaint only the cells they show
            self.dataChanged.emit(
                self.index(0, self.column),
                self.index(rows - 1, self.column),
                [Qt.ItemDataRole.DecorationRole],
            )


class PicturesModel(PairsModel):
    """An image corpus by picture: # | picture | its reference captions, one a line."""

    HEADERS = (
        "#",
        QT_TRANSLATE_NOOP("Columns", "Picture"),
        QT_TRANSLATE_NOOP("Columns", "Captions"),
    )

    def set_pairs(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Pairs in corpus order; a picture's captions are gathered on its row."""
        captions: dict[str, list[str]] = {}
        for src, tgt in pairs:
            captions.setdefault(src, []).append(tgt)
        super().set_pairs([(src, "\n".join(c)) for src, c in captions.items()])
