"""Translator: run directories -> batched beam search -> frozen Translation events."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch

from engine.config import DecodeConfig
from engine.events import BeamStep, TranslatedHypothesis, Translation
from engine.model import Seq2Seq, build_model
from engine.quantize import int8_decoder
from engine.search import BOS, EOS, PAD, Hypothesis, beam_search_history, force_decode
from engine.stepcells import inference_copy
from engine.utils import bf16_autocast, uses_bf16

if TYPE_CHECKING:
    from engine.tokenizer import Tokenizer

logger = logging.getLogger(__name__)

SCORE_BATCH = 64  # sentence pairs per forced-decoding batch
# Longer input is cut, with a notice, so that one paste never decodes for minutes.
MAX_SOURCE_PIECES = 256
MAX_SOURCE_CHARS = 8 * MAX_SOURCE_PIECES  # text past this is never even tokenised


def _vocabulary(tok: Tokenizer) -> tuple[str, ...]:
    return tuple(tok.id_to_piece(i) for i in range(tok.vocab_size))


def _pad(rows: Sequence[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Id lists -> (B, L) PAD-padded ids and (B,) lengths."""
    lens = torch.tensor([len(r) for r in rows], dtype=torch.long)
    out = torch.full((len(rows), int(lens.max())), PAD, dtype=torch.long)
    for i, row in enumerate(rows):
        out[i, : len(row)] = torch.tensor(row, dtype=torch.long)
    return out, lens


def cpu_workers(device: torch.device) -> int:
    """Decoding workers for a command-line run: one per CPU thread, intra-op set to 1.

    Call once, before decoding, in a process that only decodes (``s2s translate`` /
    ``eval``): it sets torch's process-wide thread count. GPUs get one worker.
    """
    if device.type != "cpu":
        return 1
    workers = torch.get_num_threads()
    if workers > 1 and "OMP_NUM_THREADS" not in os.environ:
        torch.set_num_threads(1)
        return workers
    return 1


def map_on_workers(fn: Callable, items: Sequence, workers: int) -> list:
    """``[fn(x) for x in items]``, on up to ``workers`` threads when there are more."""
    if workers > 1 and len(items) > 1:
        with ThreadPoolExecutor(min(workers, len(items))) as pool:
            return list(pool.map(fn, items))
    return [fn(x) for x in items]


class Translator:
    """Translates and scores text with one model or an ensemble sharing a vocabulary.

    It decodes with frozen copies of the models on ``device`` (``engine.stepcells.
    inference_copy``, or ``engine.quantize.int8_decoder``); the models passed in are
    left as they are. Decoding runs under inference mode.
    """

    def __init__(
        self,
        models: Sequence[Seq2Seq],
        src_tok: Tokenizer,
        tgt_tok: Tokenizer,
        device: str | torch.device = "cpu",
        workers: int = 1,
        int8: bool = False,
        bf16: bool = False,
    ) -> None:
        if not models:
            raise ValueError("a Translator needs at least one model")
        self.device = torch.device(device)
        if int8 and self.device.type != "cpu":
            raise ValueError(
                f"int8 decoding runs on the CPU only, not on {self.device}"
            )
        if int8 and bf16:
            raise ValueError("decode with int8 or with bf16, not both")
        if bf16 and not uses_bf16(self.device, True):
            raise ValueError(
                f"bf16 decoding needs a CUDA GPU or a CPU with native bf16 "
                f"(AVX512-BF16 or AMX); {self.device} has none"
            )
        # bf16: the models' matrix products and RNN layers under bf16 autocast (the
        # weights stay fp32; log-probabilities are taken in fp32).
        self.bf16 = bf16
        # int8: decoder steps with 8-bit weights (engine.quantize): beam 5 1.2-1.4x faster.
        self.models = [
            int8_decoder(m) if int8 else inference_copy(m, self.device) for m in models
        ]
        self.src_tok, self.tgt_tok = src_tok, tgt_tok
        # An image run (a captioner): sources are image references, read by an
        # ``engine.image_source.ImageSource``; ``grid`` is its attention grid (h, w).
        self.images = bool(getattr(src_tok, "images", False))
        self.grid: tuple[int, int] | None = src_tok.grid if self.images else None
        # Batches decoded at once by threads of their own. On a CPU, N workers with one
        # intra-op thread each beat one worker with N threads (eng-fra beam 5 on 2 cores:
        # 166 -> 206 sentences/s): each step's matrices are too small to split well.
        self.workers = max(1, workers)
        for m in self.models:
            if (m.src_vocab, m.tgt_vocab) != (src_tok.vocab_size, tgt_tok.vocab_size):
                raise ValueError(
                    f"model vocabularies ({m.src_vocab}, {m.tgt_vocab}) do not match the "
                    f"tokenizers ({src_tok.vocab_size}, {tgt_tok.vocab_size})"
                )

    @classmethod
    def from_run_dirs(
        cls,
        run_dirs: Sequence[str | Path],
        device: str | torch.device = "auto",
        checkpoint: str = "best",
        workers: int = 1,
        int8: bool = False,
        bf16: bool = False,
    ) -> Translator:
        """Load one run directory, or several as an ensemble.

        Args:
            run_dirs: directories written by the Trainer.
            device: "auto" | "cpu" | "cuda" | "mps" or a torch.device.
            checkpoint: "best" or "last"; the other one is used when the asked-for
                file is missing (a run that never evaluated) or damaged (a warning
                names it).
            workers: batches decoded in parallel threads (see ``cpu_workers``).
            int8: decode with int8 weights (CPU only; see ``engine.quantize``).
            bf16: decode under bf16 autocast (CUDA, or a CPU with native bf16).
        Raises:
            ValueError: the runs' vocabularies differ (no ensemble possible).
            engine.config.ConfigError / engine.checkpoint.CheckpointError: bad files.
        """
        from engine.checkpoint import load_into, load_run_config, load_run_weights
        from engine.tokenizer import load_tokenizers
        from engine.utils import pick_device

        if not run_dirs:
            raise ValueError("no run directory given")
        dev = pick_device(device) if isinstance(device, str) else device
        models, toks = [], []
        for run in map(Path, run_dirs):
            cfg = load_run_config(run)
            src_tok, tgt_tok = load_tokenizers(run)
            model = build_model(cfg.model, src_tok.vocab_size, tgt_tok.vocab_size)
            # a damaged best falls back to last (and last to best), with a warning
            state, path = load_run_weights(run, checkpoint)
            load_into(model, state, str(path))
            models.append(model)
            toks.append((run, src_tok, tgt_tok))
        first_run, src_tok, tgt_tok = toks[0]
        for run, other_src, other_tgt in toks[1:]:
            if getattr(src_tok, "images", False) or getattr(other_src, "images", False):
                if repr(src_tok) != repr(other_src):  # image size and grid
                    raise ValueError(
                        f"cannot ensemble {first_run} and {run}: {src_tok} vs {other_src}"
                    )
                sides = [("target", tgt_tok, other_tgt)]
            else:
                sides = [("target", tgt_tok, other_tgt), ("source", src_tok, other_src)]
            for side, mine, theirs in sides:
                if _vocabulary(theirs) != _vocabulary(mine):
                    raise ValueError(
                        f"cannot ensemble {first_run} and {run}: their {side} vocabularies "
                        "differ (train them with the same data and tokenizer settings)"
                    )
        precision = ", int8 decoder" if int8 else ", bf16" if bf16 else ""
        logger.info("loaded %d model(s) on %s%s", len(models), dev, precision)
        translator = cls(models, src_tok, tgt_tok, dev, workers, int8, bf16)
        translator.caption_max_len = load_run_config(run_dirs[0]).decode.max_len
        return translator

    @torch.inference_mode()
    def translate(
        self,
        texts: Sequence[str],
        cfg: DecodeConfig,
        history: bool = False,
        should_stop: Callable[[], bool] | None = None,
    ) -> list[Translation]:
        """Translate sentences in batches of similar length, results in input order.

        Empty or blank input gives one empty hypothesis, not an error. Identical
        detokenised hypotheses are merged (the best score is kept). When
        ``should_stop()`` turns true the work ends after the current batch and only
        the finished translations are returned (still in input order; each carries its
        ``source``).

        Args:
            texts: source sentences.
            cfg: beam size, n-best, alpha, length limit, batch size.
            history: also record the beam's search tree in ``Translation.steps``.
            should_stop: polled between batches.
        Returns:
            one ``Translation`` per (finished) input.
        """
        if self.images:
            return self._caption(texts, cfg, history, should_stop)
        encoded = [self._source_ids(t) for t in texts]
        ids = [src for src, _ in encoded]
        results: dict[int, Translation] = {}
        for i, text in enumerate(texts):
            if not ids[i]:
                empty = TranslatedHypothesis(
                    "", (), 0.0, 0.0, np.zeros(0, np.float32), None
                )
                results[i] = Translation(text, (), (empty,), ())
        order = sorted(
            (i for i in range(len(texts)) if ids[i]), key=lambda i: len(ids[i])
        )
        search_cfg = (
            cfg if cfg.nbest == 1 else replace(cfg, nbest=cfg.beam)
        )  # room to merge
        chunks = [
            order[start : start + cfg.batch_size]
            for start in range(0, len(order), cfg.batch_size)
        ]

        def decode(chunk: list[int]):
            if should_stop is not None and should_stop():
                return None
            src, src_len = _pad([ids[i] for i in chunk])
            with self._running():  # thread-local: every worker enters it
                return beam_search_history(
                    self.models,
                    src.to(self.device),
                    src_len.to(self.device),
                    search_cfg,
                    history,
                )

        decoded = self._map(decode, chunks)  # None for chunks after a stop
        for chunk, found in zip(chunks, decoded):
            if found is None:  # stopped
                continue
            nbest, steps = found
            for row, i in enumerate(chunk):
                results[i] = self._translation(
                    texts[i], ids[i], nbest[row], steps[row], cfg, encoded[i][1]
                )
        if len(results) < len(texts):
            logger.info(
                "translation stopped: %d of %d sentences done", len(results), len(texts)
            )
        return [results[i] for i in sorted(results)]

    def _caption(
        self,
        refs: Sequence[str],
        cfg: DecodeConfig,
        history: bool,
        should_stop: Callable[[], bool] | None,
    ) -> list[Translation]:
        """``translate`` for an image run: ``refs`` are image references (file paths
        or ``shapes:SEED:I``); one source position per grid cell, labelled "r0c0"...

        Raises:
            engine.images.ImageError: an image cannot be read (named in the message).
        """
        from engine.image_source import CAPTION_MAX_LEN

        if not cfg.max_len:
            cfg = replace(cfg, max_len=self.caption_max_len or CAPTION_MAX_LEN)
        search_cfg = cfg if cfg.nbest == 1 else replace(cfg, nbest=cfg.beam)
        chunks = [
            list(range(start, min(start + cfg.batch_size, len(refs))))
            for start in range(0, len(refs), cfg.batch_size)
        ]
        positions = self.src_tok.positions

        def decode(chunk: list[int]):
            if should_stop is not None and should_stop():
                return None
            images = torch.stack([self.src_tok.encode(refs[i]) for i in chunk])
            src_len = torch.full((len(chunk),), positions, dtype=torch.long)
            with self._running():
                return beam_search_history(
                    self.models,
                    images.to(self.device),
                    src_len.to(self.device),
                    search_cfg,
                    history,
                )

        results: dict[int, Translation] = {}
        for chunk, found in zip(chunks, self._map(decode, chunks)):
            if found is None:  # stopped
                continue
            nbest, steps = found
            for row, i in enumerate(chunk):
                results[i] = self._translation(
                    refs[i], [], nbest[row], steps[row], cfg, ""
                )
        return [results[i] for i in sorted(results)]

    caption_max_len = 0  # an image run's decode.max_len (set by from_run_dirs)

    @contextmanager
    def _running(self) -> Iterator[None]:
        """Inference mode, and bf16 autocast if asked for; both are thread-local, so
        every decoding worker enters this itself."""
        with torch.inference_mode(), bf16_autocast(self.device, self.bf16):
            yield

    def _map(self, fn: Callable, chunks: list) -> list:
        """``[fn(c) for c in chunks]``, on ``self.workers`` threads when there are more."""
        return map_on_workers(fn, chunks, self.workers)

    def _translation(
        self,
        text: str,
        src_ids: list[int],
        hyps: list[Hypothesis],
        steps: tuple[BeamStep, ...],
        cfg: DecodeConfig,
        notice: str = "",
    ) -> Translation:
        piece = self.tgt_tok.id_to_piece
        merged: dict[str, TranslatedHypothesis] = {}
        for h in hyps:  # sorted best first: the first of each text wins
            out = self.tgt_tok.decode(list(h.tokens))
            if out not in merged and len(merged) < cfg.nbest:
                merged[out] = TranslatedHypothesis(
                    text=out,
                    pieces=tuple(piece(t) for t in h.tokens),
                    logprob=h.logprob,
                    score=h.score,
                    token_logprobs=h.token_logprobs,
                    attention=h.attention,
                )
        steps = tuple(
            replace(
                s,
                pieces=tuple(piece(t) for t in s.tokens),
                pruned_pieces=tuple(piece(t) for t in s.pruned_tokens),
            )
            for s in steps
        )
        if self.images:
            source_pieces = self.src_tok.cell_labels()
        else:
            source_pieces = tuple(self.src_tok.id_to_piece(t) for t in src_ids)
        return Translation(text, source_pieces, tuple(merged.values()), steps, notice)

    def _source_ids(self, text: str) -> tuple[list[int], str]:
        """Source ids + EOS (empty for blank text), cut to ``MAX_SOURCE_PIECES``.

        Returns:
            the ids and a notice for the person ("" when nothing was cut).
        """
        if not text.strip():
            return [], ""
        ids = self.src_tok.encode(text[:MAX_SOURCE_CHARS])
        if len(ids) <= MAX_SOURCE_PIECES and len(text) <= MAX_SOURCE_CHARS:
            return ids + [EOS], ""
        notice = (
            f"The input is too long ({len(text):,} characters): only its first "
            f"{MAX_SOURCE_PIECES} pieces were translated."
        )
        logger.info("translate: %s", notice)
        return ids[:MAX_SOURCE_PIECES] + [EOS], notice

    @torch.inference_mode()
    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[np.ndarray]:
        """Teacher-forced log-prob of each target token (ensembles: averaged log-probs).

        Args:
            sources: source sentences.
            targets: their given translations.
        Returns:
            per pair, log-probs (len(target pieces) + 1,) float32, the last one for EOS.
        """
        if len(sources) != len(targets):
            raise ValueError(f"{len(sources)} sources but {len(targets)} targets")
        tgt_ids = [self.tgt_tok.encode(t) for t in targets]
        if self.images:
            src_ids = [[0] * self.src_tok.positions] * len(sources)  # only lengths
        else:
            src_ids = [self.src_tok.encode(s) + [EOS] for s in sources]
        order = sorted(
            range(len(sources)), key=lambda i: (len(src_ids[i]), len(tgt_ids[i]))
        )
        out: list[np.ndarray | None] = [None] * len(sources)
        chunks = [
            order[start : start + SCORE_BATCH]
            for start in range(0, len(order), SCORE_BATCH)
        ]

        def force(chunk: list[int]) -> np.ndarray:
            src, src_len = _pad([src_ids[i] for i in chunk])
            if self.images:
                src = torch.stack([self.src_tok.encode(sources[i]) for i in chunk])
            tgt_in, _ = _pad([[BOS] + tgt_ids[i] for i in chunk])
            tgt_out, _ = _pad([tgt_ids[i] + [EOS] for i in chunk])
            dev = self.device
            with self._running():
                lp = force_decode(
                    self.models,
                    src.to(dev),
                    src_len.to(dev),
                    tgt_in.to(dev),
                    tgt_out.to(dev),
                )
            return lp.cpu().numpy()  # (B, T)

        for chunk, lp in zip(chunks, self._map(force, chunks), strict=True):
            for row, i in enumerate(chunk):
                out[i] = lp[row, : len(tgt_ids[i]) + 1].astype(np.float32, copy=True)
        return out  # type: ignore[return-value]
