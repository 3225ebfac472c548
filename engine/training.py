"""Trainer: a generator of frozen events that trains, evaluates, checkpoints and resumes."""

from __future__ import annotations

import copy
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import torch

from engine import checkpoint as ckpt
from engine import distributed
from engine.batching import Batch, BucketSampler
from engine.config import Config, ConfigError, load_config, save_config
from engine.data import Corpus, load_corpus
from engine.events import (
    EvalResult,
    Progress,
    TrainEvent,
    TrainFinished,
    TrainStart,
    TrainStep,
    TrainWarning,
)
from engine.image_source import (
    check_encoder,
    collate,
    is_image_source,
    source_lengths,
)
from engine.model import Seq2Seq, build_model
from engine.optim import make_optimizer, scheduled_lr
from engine.runlock import RunLock
from engine.step import OutOfMemory, Stepper, StepWindow
from engine.tokenizer import Tokenizer, load_tokenizers, train_tokenizers
from engine.trainer_state import (
    TrainerState,
    pack_checkpoint,
    restore_checkpoint,
    write_checkpoint,
)
from engine.utils import bf16_autocast, device_name, pick_device, set_seed
from engine.validate import N_SAMPLES, validate

logger = logging.getLogger(__name__)

PLAN_AFTER_STEPS = 200  # warmdown under a time limit: steps timed before planning


class Trainer:
    """Trains one model in one run directory.

    ``steps()`` does all the work lazily: nothing slow happens in ``__init__``, so a GUI
    can construct a trainer on its own thread and iterate it on a worker thread.
    """

    def __init__(
        self,
        config: Config,
        run_dir: str | Path,
        *,
        resume: bool = False,
        overwrite: bool = False,
        device: str | None = None,
        probes: list[str] | None = None,
    ) -> None:
        self.run_dir = Path(run_dir)
        self.resume, self.overwrite = resume, overwrite and not resume
        if self.run_dir.exists() and not self.run_dir.is_dir():
            raise ConfigError(f"{self.run_dir}: is not a folder; choose a run folder")
        if resume:
            saved = self.run_dir / ckpt.CONFIG_FILE
            if not saved.exists():
                raise ConfigError(
                    f"{self.run_dir}: no run to resume (no {ckpt.CONFIG_FILE})"
                )
            # The run's own settings win; only the limits may be changed on resume.
            stored = load_config(saved)
            train = replace(
                stored.train,
                max_steps=config.train.max_steps,
                max_minutes=config.train.max_minutes,
            )
            config = replace(stored, train=train)
        else:
            self._refuse_to_overwrite()
        if device is not None:
            config = replace(config, train=replace(config.train, device=device))
        self.config = config
        self.model: Seq2Seq | None = None
        self.src_tok: Tokenizer | None = None
        self.tgt_tok: Tokenizer | None = None
        self.device = torch.device("cpu")
        self.dist = distributed.Distributed()  # a torchrun rank once steps() has begun
        self._lock = threading.Lock()
        self._should_stop: Callable[[], bool] = lambda: False
        self._probes: tuple[str, ...] = ()
        if probes:
            self.set_probes(list(probes))

    # ------------------------------------------------------------------ preparation
    def _refuse_to_overwrite(self) -> None:
        """A new run never replaces what an earlier one wrote, even a partial run
        (weights without a trainer state), unless overwriting was asked for."""
        if distributed.env_rank() != 0:  # torchrun: rank 0 checks; the others
            return  # may start after it has begun writing the folder
        found = ckpt.run_files(self.run_dir)
        if found and not self.overwrite:
            raise ConfigError(
                f"{self.run_dir} already holds a run ({', '.join(found)}; "
                f"{ckpt.describe_saved(self.run_dir)}); resume it (--resume), replace "
                "it (--overwrite), or choose another folder"
            )

    def _prepare(self) -> Iterator[TrainEvent]:
        cfg = self.config
        if cfg.train.threads:
            torch.set_num_threads(cfg.train.threads)
        self.dist = distributed.setup(cfg.train.device)  # a stand-in alone
        self.device = self.dist.device or pick_device(cfg.train.device)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        yield Progress("data", 0, 0, f"reading {cfg.data.train}")
        corpus: Corpus = load_corpus(cfg.data)
        check_encoder(cfg, corpus.images)
        yield corpus.report
        self.corpus = corpus
        if self.resume:
            self.src_tok, self.tgt_tok = load_tokenizers(self.run_dir)
        elif self.dist.is_main:  # under torchrun rank 0 alone writes the run directory
            if self.overwrite:  # only now that the new corpus has been read
                ckpt.remove_run_files(self.run_dir)
            save_config(cfg, self.run_dir / ckpt.CONFIG_FILE)
            yield Progress("tokenizer", 0, 0, "training sentencepiece")
            self.src_tok, self.tgt_tok = train_tokenizers(
                corpus, cfg.data, self.run_dir
            )
            ckpt.save_source_facts(self.run_dir, [s for s, _ in corpus.train])
        self.dist.barrier()  # the other ranks wait for rank 0's tokenizers
        if self.src_tok is None:
            self.src_tok, self.tgt_tok = load_tokenizers(self.run_dir)
        cfg = self.config = self.dist.effective_config(cfg)  # per-rank batch, lr
        yield Progress("batches", 0, 0, "encoding the corpus")
        self.train_src = self.src_tok.encode_batch([s for s, _ in corpus.train])
        self.train_tgt = self.tgt_tok.encode_batch([t for _, t in corpus.train])
        self.dev_src = self.src_tok.encode_batch([s for s, _ in corpus.dev])
        self.dev_tgt = self.tgt_tok.encode_batch([t for _, t in corpus.dev])
        self.sampler = BucketSampler(
            source_lengths(self.train_src, getattr(self.src_tok, "positions", 0)),
            [len(t) + 1 for t in self.train_tgt],
            batch_size=cfg.train.batch_size,
            batch_tokens=cfg.train.batch_tokens,
            seed=cfg.train.seed,
            num_replicas=self.dist.world_size,
            rank=self.dist.rank,
            # Length-sorted caption batches would hold images of one kind (one number
            # of shapes): batch norm would learn statistics no test batch has.
            bucket=not is_image_source(self.src_tok),
        )
        set_seed(cfg.train.seed)
        self.model = build_model(
            cfg.model, self.src_tok.vocab_size, self.tgt_tok.vocab_size
        )
        self.model.to(self.device)
        self.optimizer = self._make_optimizer()
        net = self.dist.wrap(self.model, self.optimizer, cfg.train.seed)  # DDP
        self._stepper = Stepper(
            cfg.train,
            self.model,
            net,
            self.optimizer,
            self.dist,
            self.device,
            self._autocast,
            lambda idx: self._batch(idx, self.train_src, self.train_tgt),
            self._lock,
        )
        self.state = TrainerState(lr=cfg.train.lr, world_size=self.dist.world_size)
        if self.resume:
            self._restore()

    def _make_optimizer(self) -> torch.optim.Optimizer:
        return make_optimizer(self.model.parameters(), self.config.train, self.device)

    def _restore(self) -> None:
        saved = ckpt.load_trainer_state(self.run_dir / ckpt.TRAINER_STATE)
        self.state = restore_checkpoint(
            saved, self.model, self.optimizer, self.run_dir / ckpt.TRAINER_STATE
        )
        self.dist.restore(saved, self.state, self.device)  # same world size; own RNGs

    # ------------------------------------------------------------------ checkpoints
    def _save(self, best: bool, rng_ranks: list | None = None) -> Iterator[TrainEvent]:
        with self._lock:
            weights = {
                k: v.detach().cpu().clone() for k, v in self.model.state_dict().items()
            }
        saved = pack_checkpoint(weights, self.optimizer, self.state, rng_ranks)
        yield from write_checkpoint(
            self.run_dir, weights, saved, best, self.state.step, self._should_stop
        )

    # ------------------------------------------------------------------ evaluation
    def evaluate(self) -> EvalResult:
        """Dev loss, perplexity, and greedy BLEU/chrF on the first sentences of dev."""
        return validate(
            self.model,
            self.corpus.dev,
            self.dev_src,
            self.dev_tgt,
            self.src_tok,
            self.tgt_tok,
            device=self.device,
            batch_size=max(self.config.train.batch_size, 64),
            bleu_sentences=self.config.train.bleu_sentences,
            probes=self.probes,
            autocast=self._autocast,
            step=self.state.step,
            epoch=self._epoch_float(),
        )

    @property
    def probes(self) -> list[str]:
        """Source sentences translated at every evaluation (default: the first dev ones)."""
        return list(self._probes)

    def set_probes(self, sources: list[str]) -> None:
        """Thread-safe: replace the probe sentences used from the next evaluation on."""
        self._probes = tuple(s.strip() for s in sources if s.strip())[: N_SAMPLES * 4]

    def _score(self, result: EvalResult) -> float:
        if self.config.train.bleu_sentences > 0 and math.isfinite(result.bleu):
            return result.bleu
        return -result.dev_loss

    def _after_eval(self, result: EvalResult) -> tuple[EvalResult, bool]:
        """Track the best score, patience and the plateau schedule."""
        score = self._score(result)
        improved = score > self.state.best_score
        if improved:
            self.state.best_score = score
            self.state.best_step = self.state.step
            self.state.bad_evals = 0
        else:
            self.state.bad_evals += 1
            if self.config.train.lr_schedule == "plateau":
                self.state.lr *= self.config.train.plateau_factor
        return replace(result, best=improved), improved

    # ------------------------------------------------------------------ helpers
    def _batch(
        self, idx: list[int], src: list[list[int]], tgt: list[list[int]]
    ) -> Batch:
        batch = collate([src[i] for i in idx], [tgt[i] for i in idx], idx, self.src_tok)
        return batch.to(self.device, non_blocking=self.device.type == "cuda")

    def _autocast(self):
        return bf16_autocast(self.device, self.config.train.bf16)

    def _epoch_float(self) -> float:
        return self.state.epoch + self.state.batch_in_epoch / max(len(self.sampler), 1)

    def _current_lr(self) -> float:
        cfg = self.config.train
        planned = self._planned_steps() if cfg.lr_schedule == "warmdown" else 0
        return scheduled_lr(
            cfg, self.state.step, self._epoch_float(), planned, self.state.lr
        )

    def _planned_steps(self) -> int:
        """Steps the run will take: from epochs/max_steps, or, under a time limit, from
        the speed measured after the first ``PLAN_AFTER_STEPS`` steps of this session and
        measured again at every evaluation (see ``_replan``).

        The estimate is kept in the trainer state, so a resumed run decays the same way.
        Under torchrun the time limit is ignored here (ranks must agree on the rate).
        """
        if not self._plans_by_time():
            return self._total_steps()
        if not self.state.planned_steps:
            self._replan()
        return self.state.planned_steps or self._total_steps()

    def _plans_by_time(self) -> bool:
        cfg = self.config.train
        return bool(cfg.max_minutes) and self.dist.world_size == 1

    def _replan(self) -> None:
        """Estimate the run's length from this session's speed so far (evaluations
        included), so the warm-down ends at the time limit rather than before or after."""
        done = self.state.step - self._session_start_step
        if not self._plans_by_time() or done < PLAN_AFTER_STEPS:
            return
        per_step = (time.perf_counter() - self._clock) / done
        left = max(self.config.train.max_minutes * 60 - self._elapsed(), 0.0)
        estimate = self.state.step + int(left / per_step)
        self.state.planned_steps = min(self._total_steps(), estimate)

    def _total_steps(self) -> int:
        cfg = self.config.train
        total = cfg.epochs * len(self.sampler)
        return min(total, cfg.max_steps) if cfg.max_steps else total

    def snapshot(self, int8: bool = False):
        """A Translator over a consistent copy of the latest weights (thread-safe).

        ``int8``: decode on the CPU with 8-bit decoder weights (``engine.quantize``).
        """
        from engine.translate import Translator

        if self.model is None:
            raise RuntimeError("training has not started yet")
        with self._lock:
            model = copy.deepcopy(self.model).eval()
        device = torch.device("cpu") if int8 else self.device
        return Translator([model], self.src_tok, self.tgt_tok, device, int8=int8)

    # ------------------------------------------------------------------ the loop
    def steps(
        self, should_stop: Callable[[], bool] = lambda: False
    ) -> Iterator[TrainEvent]:
        """Train, yielding events; checks ``should_stop()`` between batches.

        The run folder is locked while this runs: a second trainer there (another
        process, or the app beside the command line) is refused with the holder's pid.
        """
        self._should_stop = should_stop  # also polled while a checkpoint write waits
        # under torchrun the ranks share the folder: rank 0 holds the lock for all
        with RunLock(self.run_dir, active=distributed.env_rank() == 0):
            if not self.resume:  # another process may have started a run here since
                self._refuse_to_overwrite()
            yield from self._train(should_stop)

    def _train(self, should_stop: Callable[[], bool]) -> Iterator[TrainEvent]:
        yield from self._prepare()
        cfg = self.config.train
        state = self.state
        log_type = ckpt.MetricsLog if self.dist.is_main else distributed.NullLog
        log = log_type(
            self.run_dir / ckpt.METRICS_FILE,
            keep_until_step=state.step if self.resume else -1,
        )
        try:
            yield from self._loop(should_stop, log, cfg)
        finally:
            log.close()
            self.dist.cleanup()

    def _loop(self, should_stop, log: ckpt.MetricsLog, cfg) -> Iterator[TrainEvent]:
        state = self.state
        start = TrainStart(
            run_dir=str(self.run_dir),
            device=self.dist.label(device_name(self.device)),
            parameters=sum(p.numel() for p in self.model.parameters()),
            train_pairs=len(self.corpus.train),
            dev_pairs=len(self.corpus.dev),
            src_vocab=self.src_tok.vocab_size,
            tgt_vocab=self.tgt_tok.vocab_size,
            steps_per_epoch=len(self.sampler),
            start_step=state.step,
            total_steps=self._total_steps(),
        )
        log.write("start", {**asdict(start), **self.dist.describe(self.config.train)})
        yield start
        self.model.train()
        self._clock = time.perf_counter()
        self._elapsed_before = state.elapsed
        self._session_start_step = state.step
        self._session_tokens = 0
        window = StepWindow(self.device)
        last_eval_step, last = -1, None
        reason = "epochs"
        while reason == "epochs" and state.epoch < cfg.epochs:
            batches = self.sampler.epoch_batches(state.epoch)
            while state.batch_in_epoch < len(batches):
                reason = self.dist.agree(self._limit_reached(should_stop))
                if reason != "epochs":
                    break
                batch = self._batch(
                    batches[state.batch_in_epoch], self.train_src, self.train_tgt
                )
                lr = self._current_lr()
                try:
                    nll, grad_norm, skipped = self._train_step(batch, lr)
                except OutOfMemory as exc:
                    yield TrainWarning(state.step, f"{exc}; stopping")
                    reason = "oom"
                    break
                if self._stepper.note:
                    yield TrainWarning(state.step, self._stepper.note)
                    self._stepper.note = ""
                if nll is None:
                    message = f"non-finite loss or gradient at step {state.step + 1}"
                    if cfg.nan_policy == "stop":
                        yield TrainWarning(state.step, message + "; stopping")
                        reason = "nan"
                        break
                    yield TrainWarning(state.step, message + "; step skipped")
                else:
                    window.add(nll, grad_norm, skipped, state.step + 1)
                state.step += 1
                state.batch_in_epoch += 1
                window.tokens += batch.n_tgt_tokens
                window.src_tokens += batch.n_src_tokens
                if state.step % cfg.log_every == 0:
                    yield from self._skipped_warnings(window)
                    event = self._step_event(window, lr)
                    log.write("step", asdict(event))
                    yield event
                    window = StepWindow(self.device)
                if state.step % cfg.eval_every == 0:
                    last = yield from self._eval_and_save(log)
                    last_eval_step = state.step
                    if cfg.patience and state.bad_evals >= cfg.patience:
                        reason = "converged"
                        break
            else:
                state.epoch += 1
                state.batch_in_epoch = 0
        yield from self._skipped_warnings(window)
        if reason == "oom" and not self.dist.active and state.step > last_eval_step:
            yield from self._save(best=False)  # evaluating could run out of memory too
        elif last_eval_step != state.step and state.step > 0:
            last = yield from self._eval_and_save(log)
        session = max(time.perf_counter() - self._clock, 1e-9)
        finished = TrainFinished(
            reason=reason,
            step=state.step,
            epochs=self._epoch_float(),
            train_tokens_per_s=(self._session_tokens + window.all_tokens) / session,
            dev_ppl=last.dev_ppl if last else float("nan"),
            dev_bleu=last.bleu if last else float("nan"),
        )
        log.write("finished", asdict(finished))
        yield finished

    def _elapsed(self) -> float:
        return self._elapsed_before + time.perf_counter() - self._clock

    def _limit_reached(self, should_stop: Callable[[], bool]) -> str:
        cfg = self.config.train
        if should_stop():
            return "stopped"
        if cfg.max_steps and self.state.step >= cfg.max_steps:
            return "max_steps"
        if cfg.max_minutes and self._elapsed() >= cfg.max_minutes * 60:
            return "max_minutes"
        return "epochs"

    def _train_step(
        self, batch: Batch, lr: float
    ) -> tuple[torch.Tensor | None, torch.Tensor, torch.Tensor | None]:
        """One optimisation step (``Stepper.step``)."""
        return self._stepper.step(batch, lr, self.state.step)

    def _skipped_warnings(self, window: StepWindow) -> Iterator[TrainWarning]:
        """Warnings for the window's steps that the optimizer skipped (one host sync)."""
        for step in window.skipped_steps():
            yield TrainWarning(
                step - 1, f"non-finite loss or gradient at step {step}; step skipped"
            )

    def _step_event(self, window: StepWindow, lr: float) -> TrainStep:
        seconds = max(time.perf_counter() - window.start, 1e-9)
        window.nll, window.tokens, window.src_tokens = self.dist.all_sum(
            window.nll, window.tokens, window.src_tokens
        )  # sums over all torchrun ranks
        loss = float(window.nll) / max(window.tokens, 1)  # one host sync per log window
        self._session_tokens += window.all_tokens
        done = self.state.step
        total = self._total_steps()
        session = time.perf_counter() - self._clock
        per_step = session / max(done - self._session_start_step, 1)
        eta = (total - done) * per_step if total else -1.0
        elapsed = self._elapsed()
        if self.config.train.max_minutes:
            eta = min(eta, self.config.train.max_minutes * 60 - elapsed)
        return TrainStep(
            epoch=self._epoch_float(),
            step=done,
            loss=loss,
            ppl=math.exp(min(loss, 50.0)),
            lr=lr,
            grad_norm=float(window.grad_norm),
            tokens_per_s=window.all_tokens / seconds,
            tgt_tokens_per_s=window.tokens / seconds,
            elapsed_s=elapsed,
            eta_s=max(eta, 0.0),
        )

    def _eval_and_save(self, log: ckpt.MetricsLog) -> Iterator[TrainEvent]:
        self.state.elapsed = self._elapsed()
        if self.config.train.lr_schedule == "warmdown":
            self._replan()  # before saving, so a resumed run keeps the same plan
        rng_ranks = self.dist.gather_rng(self.device)  # None without torchrun
        if not self.dist.is_main:  # rank 0 evaluates and saves; others take its state
            self.dist.sync_state(self.state)
            return None
        result = self.evaluate()
        result, improved = self._after_eval(result)
        fields = asdict(result)
        fields.pop("samples")
        log.write("eval", fields)
        yield result
        yield from self._save(best=improved, rng_ranks=rng_ranks)
        self.dist.sync_state(self.state)
        return result


def train_summary(run_dir: Path, finished: TrainFinished) -> dict:
    """The JSON object `s2s train` prints last (DESIGN.md section 4)."""
    return {
        "run_dir": str(run_dir),
        "steps": finished.step,
        "epochs": round(finished.epochs, 4),
        "train_tokens_per_s": round(finished.train_tokens_per_s, 1),
        "dev_ppl": finished.dev_ppl if np.isfinite(finished.dev_ppl) else None,
        "dev_bleu": finished.dev_bleu if np.isfinite(finished.dev_bleu) else None,
        "stopped": finished.reason,
    }
