"""Worker objects that run engine generators and functions on QThreads."""

from __future__ import annotations

import gc
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from engine.events import TrainStart
from s2s_gui.mailbox import drain, ensure_pump, post
from s2s_gui.state import CorpusPreview, RunSummary

logger = logging.getLogger(__name__)
# Messages for the views (lupdate collects translate() calls; thread-safe).
translate = QCoreApplication.translate


def describe_error(exc: BaseException) -> str:
    """A message a person can act on; engine errors already name file and line."""
    text = str(exc) or type(exc).__name__
    if "out of memory" in text.lower():
        return translate(
            "Workers",
            "The device ran out of memory. Try a smaller batch size, a token budget, "
            "a smaller model or the CPU.\n\n({text})",
        ).format(text=text)
    name = type(exc).__name__
    if name in ("DataError", "ConfigError", "FileNotFoundError"):
        return text
    return f"{name}: {text}"


class TrainWorker(QObject):
    """Pulls events from ``Trainer.steps`` and emits them to the GUI thread.

    The trainer is built inside the worker thread (it reads data and trains tokenizers).
    Pause: ``should_stop``, which the engine calls between batches, blocks while paused,
    so training halts within one batch. Stop: ``should_stop`` turns true and the engine
    ends with ``TrainFinished(reason="stopped")`` within one batch.
    """

    # Events travel through a thread-safe queue, not as Signal(object) arguments: a
    # Python object handed across threads by a queued connection can be freed before
    # the slot runs (PySide6 crashes seen here under load). ``ready`` only says "look".
    ready = Signal()
    failed = Signal(str)
    finished = Signal()
    can_pause = True

    def __init__(self, make_trainer: Callable[[], Any], threads: int = 0) -> None:
        super().__init__()
        ensure_pump()  # posted signals are emitted on the GUI thread
        self._make_trainer = make_trainer
        self._threads = threads
        self.events: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self.trainer: Any = None  # set once built; read by the controller for snapshots

    @Slot()
    def run(self) -> None:
        # The app tracks ~400k objects once torch, Qt and a corpus are loaded; a full
        # (generation 2) garbage collection walks them all in 50-190 ms with the GIL
        # held, and collections run on the GUI thread's timer
        # (``collector.GuiThreadCollector``), so the window freezes that long
        # (measured with ``gc.callbacks`` under the stall probe). Everything alive when
        # training starts (modules, widgets, the corpus, the model) lives until it ends,
        # so it is moved out of the collector's sight (``gc.freeze``) and handed back
        # when the run ends, when any garbage among it is collected as usual. Frozen
        # first before the run is prepared: reading the corpus and importing what
        # training needs started a full collection of their own, 200 ms of the GUI's
        # time at a run's start; and again once training starts, for what preparing
        # it made.
        gc.freeze()
        refrozen = False
        try:
            if self._threads > 0:
                import torch

                torch.set_num_threads(self._threads)
            self.trainer = self._make_trainer()
            steps: Iterator[Any] = self.trainer.steps(should_stop=self._should_stop)
            for ev in steps:
                if isinstance(ev, TrainStart) and not refrozen:
                    gc.freeze()
                    refrozen = True
                self.events.put(ev)
                post(self, "ready")
        except Exception as exc:  # report; never let the thread die silently
            logger.exception("training failed")
            post(self, "failed", describe_error(exc))
        finally:
            gc.unfreeze()
            post(self, "finished")

    def _should_stop(self) -> bool:
        """Called by the engine between batches; blocks here while paused."""
        self._running.wait()
        return self._stop.is_set()

    def pause(self) -> None:
        """Thread-safe: hold the engine before its next batch."""
        self._running.clear()

    def resume(self) -> None:
        """Thread-safe: continue pulling events."""
        self._running.set()

    def take_events(self) -> list[Any]:
        """GUI thread: every event queued so far, oldest first."""
        return drain(self.events)

    def stop(self) -> None:
        """Thread-safe: ask the engine to stop (also releases a pause)."""
        self._stop.set()
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()


class TaskWorker(QObject):
    """Runs one function ``fn(should_stop) -> result`` off the GUI thread.

    Used for corpus previews and tokenizer training; ``tag`` tells the controller
    which request the result answers.
    """

    result = Signal(str)  # tag; the value waits in ``values[tag]`` (see TrainWorker)
    failed = Signal(str, str)  # tag, message
    finished = Signal()

    def __init__(
        self,
        tag: str,
        fn: Callable[[Callable[[], bool]], Any],
        values: dict[str, tuple[Any]],
    ) -> None:
        super().__init__()
        ensure_pump()  # posted signals are emitted on the GUI thread
        self.tag = tag
        self._fn = fn
        self._values = values  # owned by the controller; one key per task
        self._stop = threading.Event()

    @Slot()
    def run(self) -> None:
        try:
            value = self._fn(self._stop.is_set)
            if not self._stop.is_set():
                self._values[self.tag] = (value,)  # dict item assignment is atomic
                post(self, "result", self.tag)
        except Exception as exc:
            logger.exception("task %s failed", self.tag)
            if not self._stop.is_set():
                post(self, "failed", self.tag, describe_error(exc))
        finally:
            post(self, "finished")

    def stop(self) -> None:
        self._stop.set()


# ---------------------------------------------------------------------- engine calls
# The functions below are the only places (with the controller) that touch the engine
# runtime; they run on worker threads unless noted.


def preload_engine() -> None:
    """Import the engine runtime on the GUI thread at start-up.

    Importing extension modules holds the GIL for hundreds of milliseconds; done
    later by a worker, it would freeze the window just as training starts.
    """
    import torch

    import engine.training  # noqa: F401

    torch.optim.Adam([torch.zeros(1, requires_grad=True)])  # imports torch._dynamo


def make_trainer(
    cfg: Any, run_dir: str | Path, resume: bool, probes: list[str] | None = None
) -> Any:
    """A Trainer for ``run_dir`` (cheap: the slow work happens in ``steps()``)."""
    from engine.training import Trainer

    return Trainer(cfg, run_dir, resume=resume, probes=probes or None)


def with_limits(cfg: Any, max_steps: int) -> Any:
    return replace(cfg, train=replace(cfg.train, max_steps=max_steps))


def read_metrics(run_dir: str | Path) -> list[dict[str, Any]]:
    from engine.checkpoint import read_metrics as _read

    return _read(Path(run_dir))


def list_runs(root: Path) -> list[RunSummary]:
    """The runs under ``root`` as runs-list lines, newest first."""
    from engine.runs import list_runs as _list

    out = []
    for info in _list(root):
        status = info.finished or translate("Workers", "running or crashed")
        if info.finished and info.finished != "stopped":
            status = translate("Workers", "finished: {reason}").format(
                reason=info.finished
            )
        out.append(
            RunSummary(
                path=str(info.path),
                name=info.name,
                status=status,
                steps=info.steps,
                bleu=info.best_bleu,
                resumable=info.resumable and info.finished in RESUMABLE,
                description=describe_model(info.config),
            )
        )
    return out


RESUMABLE = ("", "stopped", "max_steps", "max_minutes")


def describe_model(cfg: Any) -> str:
    """e.g. ``lstm x2 256/256, attention dot, reversed source`` (config may be None)."""
    if cfg is None:
        return translate("Workers", "config unreadable")
    m = cfg.model
    parts = [
        f"{m.cell} x{m.layers} {m.emb}/{m.hidden}",
        translate("Workers", "attention {kind}").format(kind=m.attention),
    ]
    if m.reverse_source:
        parts.append(translate("Workers", "reversed source"))
    if m.bidirectional:
        parts.append(translate("Workers", "bidirectional"))
    return f"{cfg.data.train}: " + ", ".join(parts)


def builtin_corpora() -> list[tuple[str, str]]:
    """(label, spec) for the synthetic tasks and the Qt catalogs installed (GUI thread)."""
    from engine.data import builtin_qt_languages
    from engine.tasks import TASKS

    task, qt = (
        translate("Workers", "Task: {name}"),
        translate("Workers", "Qt UI strings: English → {lang}"),
    )
    out = [(task.format(name=name), f"builtin:task/{name}") for name in TASKS]
    out += [
        (qt.format(lang=lang), f"builtin:qt/{lang}") for lang in builtin_qt_languages()
    ]
    return out


def preview_corpus(
    data_cfg: Any, out_dir: Path, should_stop: Callable[[], bool]
) -> Any:
    """Read a corpus and train a throw-away tokenizer on it.

    Returns:
        (CorpusPreview, source Tokenizer).
    """
    from engine.data import load_corpus
    from engine.tokenizer import UNK, train_tokenizers

    corpus = load_corpus(data_cfg)
    if should_stop():
        return None
    src_tok, tgt_tok = train_tokenizers(corpus, data_cfg, out_dir)
    sample = corpus.train[:PREVIEW_PAIRS]
    ids = src_tok.encode_batch([s for s, _ in sample[:2000]])
    ids += tgt_tok.encode_batch([t for _, t in sample[:2000]])
    pieces = sum(len(x) for x in ids)
    unk = sum(x.count(UNK) for x in ids)
    preview = CorpusPreview(
        spec=data_cfg.train,
        report=corpus.report,
        pairs=tuple(sample),
        src_vocab=src_tok.vocab_size,
        tgt_vocab=tgt_tok.vocab_size,
        unk_rate=unk / max(pieces, 1),
    )
    return preview, src_tok


PREVIEW_PAIRS = 20_000


def tokenize(tokenizer: Any, text: str) -> list[tuple[str, int]]:
    """Pieces and ids of a short text (GUI thread: microseconds)."""
    ids = tokenizer.encode(text)
    return [(tokenizer.id_to_piece(i), i) for i in ids]


def device_label(device: str, threads: int) -> str:
    """The name of the device ``train.device`` resolves to here."""
    import torch

    from engine.utils import pick_device

    try:
        picked = pick_device(device)
    except RuntimeError as exc:
        return str(exc)
    if picked.type == "cuda":
        return f"CUDA: {torch.cuda.get_device_name(picked)}"
    if picked.type == "mps":
        return "Apple MPS"
    text = (
        translate("Workers", "CPU (1 thread)")
        if threads == 1
        else translate("Workers", "CPU ({n} threads)")
    )
    return text.format(n=threads)
