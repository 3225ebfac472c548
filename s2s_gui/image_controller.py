"""ImageController: verbs and signals of the caption view and of every thumbnail.

Owned by the LabController (``controller.lab.images``); its jobs run in the app's pool.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from engine.config import DecodeConfig
from s2s_gui.gateway import images
from s2s_gui.gateway.jobs import Latest, describe_error

logger = logging.getLogger(__name__)

THUMBNAIL_PX = 96  # longest side of a thumbnail (the built-in shapes are 64)
PICTURE_PX = 768  # longest side of a picture shown large
THUMBNAIL_BATCH = 24  # thumbnails read per job: each reaches the view in one signal
THUMBNAIL_CACHE = 3000  # thumbnails kept (at most ~80 MB); the oldest go first


class ImageController(QObject):
    """Whether the chosen model reads images; captions; pictures; cached thumbnails."""

    model_kind_changed = Signal(bool)  # True: the chosen model is a captioner
    captioned = Signal(object)  # gateway.images.CaptionResult
    caption_failed = Signal(str)
    picture_ready = Signal(object)  # gateway.images.Picture
    picture_failed = Signal(str)
    thumbnails_ready = Signal(object)  # list[str]: references now in the cache
    image_set_ready = Signal(str, object)  # (purpose, gateway.images.ImageSet)
    image_set_failed = Signal(str)

    def __init__(self, lab: Any, jobs: Any) -> None:
        super().__init__(lab)
        self._lab, self._jobs = lab, jobs
        self._captioner = Latest(jobs, "caption")
        self._pictures = Latest(jobs, "picture")
        # by purpose, one worker and one callback each: views never drop each
        # other's requests, and a purpose's older answers are stale
        self._sets: dict[str, tuple[Latest, Callable[[Any], None]]] = {}
        self._thumbs: OrderedDict[str, QImage | None] = OrderedDict()
        self._queue: list[str] = []
        self._queued: set[str] = set()
        self._thumb_job: Any = None
        self._batch = QTimer(self, singleShot=True, interval=0)
        self._batch.timeout.connect(self._load_thumbnails)
        self._request = 0
        self.image_model = images.is_image_model(lab.choice())
        lab.models_changed.connect(self._on_models_changed)

    # ------------------------------------------------------------------ models
    def _on_models_changed(self, _label: str) -> None:
        kind = images.is_image_model(self._lab.choice())
        if kind != self.image_model:
            self.image_model = kind
            self.model_kind_changed.emit(kind)

    @staticmethod
    def is_image_ref(text: str) -> bool:
        """Whether a corpus source names an image (pure: no file is read)."""
        return images.is_image_ref(text)

    @staticmethod
    def image_files(paths: Sequence[str]) -> list[str]:
        """The image files among dropped or opened paths."""
        return images.dropped_files(paths)

    # ------------------------------------------------------------------ captions
    def caption(
        self, refs: Sequence[str], cfg: DecodeConfig, int8: bool = False
    ) -> int:
        """Caption images with the chosen model; returns the request number."""
        self._request += 1
        request, choice, refs = self._request, self._lab.choice(int8), list(refs)
        cache = self._lab.cache

        def job(stop: Callable[[], bool]) -> Any:
            return images.caption(cache, choice, request, refs, cfg, stop)

        self._captioner.submit(job, self._on_captioned, self._on_caption_failed)
        return request

    def _on_captioned(self, value: Any) -> None:
        if value.result.request == self._request:  # asked again while this one ran
            self.captioned.emit(value)

    def _on_caption_failed(self, exc: Exception) -> None:
        self.caption_failed.emit(_message(exc))

    def show_picture(self, ref: str) -> None:
        """Read an image to show large (a worker); ``picture_ready`` carries it."""
        self._pictures.submit(
            lambda stop: images.load_picture(ref, PICTURE_PX, stop),
            self.picture_ready.emit,
            lambda exc: self.picture_failed.emit(_message(exc)),
        )

    def load_image_set(self, n: int, purpose: str) -> None:
        """``n`` images of the chosen run's dev split (or built-in shapes); the answer
        carries ``purpose`` (e.g. "caption", "states") so each view takes its own."""
        choice = self._lab.choice()
        if purpose not in self._sets:
            self._sets[purpose] = (
                Latest(self._jobs, f"image set {purpose}"),
                lambda value: self.image_set_ready.emit(purpose, value),
            )
        latest, on_done = self._sets[purpose]
        latest.submit(
            lambda stop: images.corpus_images(choice, n, stop),
            on_done,
            lambda exc: self.image_set_failed.emit(_message(exc)),
        )

    # ------------------------------------------------------------------ thumbnails
    def thumbnail(self, ref: str) -> QImage | None:
        """The cached thumbnail, or None while it loads (``thumbnails_ready`` follows)
        or when the image cannot be read (``has_failed``)."""
        if ref in self._thumbs:
            self._thumbs.move_to_end(ref)
            return self._thumbs[ref]
        if ref not in self._queued:
            self._queued.add(ref)
            self._queue.append(ref)
            if self._thumb_job is None:
                self._batch.start()
        return None

    def has_failed(self, ref: str) -> bool:
        return ref in self._thumbs and self._thumbs[ref] is None

    def _load_thumbnails(self) -> None:
        if self._thumb_job is not None or not self._queue:
            return
        # the newest requests first: they are what the view shows now
        batch = self._queue[-THUMBNAIL_BATCH:]
        del self._queue[-THUMBNAIL_BATCH:]
        self._thumb_job = self._jobs.start(
            images.load_thumbnails,
            batch,
            THUMBNAIL_PX,
            on_return=self._on_thumbnails,
            on_finish=self._on_thumbnail_job_done,
        )

    def _on_thumbnails(self, loaded: dict[str, QImage | None]) -> None:
        self._thumbs.update(loaded)
        while len(self._thumbs) > THUMBNAIL_CACHE:
            self._thumbs.popitem(last=False)
        self._queued.difference_update(loaded)
        self.thumbnails_ready.emit(list(loaded))

    def _on_thumbnail_job_done(self) -> None:
        self._thumb_job = None
        if self._queue:
            self._batch.start()

    def shutdown(self) -> None:
        self._batch.stop()
        self._queue.clear()
        for latest in (
            self._captioner,
            self._pictures,
            *(w for w, _ in self._sets.values()),
        ):
            latest.clear()


def _message(exc: Exception) -> str:
    return str(exc) if isinstance(exc, ValueError) else describe_error(exc)
