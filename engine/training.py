"""Trainer: a generator of frozen events that trains, evaluates, checkpoints and resumes."""

from __future__ import annotations

import copy
import logging
import math
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import torch

from engine import checkpoint as ckpt
from engine import distributed
from engine.batching import Batch, BucketSampler, make_batch
from engine.config import Config, ConfigError, TrainConfig, load_config, save_config
from engine.data import Corpus, load_corpus
from engine.events import (
    CheckpointSaved,
    EvalResult,
    Progress,
    Sample,
    TrainEvent,
    TrainFinished,
    TrainStart,
    TrainStep,
    TrainWarning,
)
from engine.metrics import corpus_bleu, corpus_chrf, pick_tokenize, sentence_bleu
from engine.model import Seq2Seq, build_model
from engine.search import greedy_decode
from engine.tokenizer import PAD, Tokenizer, load_tokenizers, train_tokenizers
from engine.utils import bf16_autocast, device_name, pick_device, set_seed

logger = logging.getLogger(__name__)

N_SAMPLES = 8  # dev sentences shown with each evaluation ("probe sentences")
PLAN_AFTER_STEPS = 200  # warmdown under a time limit: steps timed before planning
DISK_RETRY_S = 10.0  # a checkpoint that cannot be written is retried this often


class OutOfMemory(RuntimeError):
    """A batch does not fit on the device even when split; says what to change."""


def _is_oom(exc: BaseException) -> bool:
    return isinstance(exc, torch.OutOfMemoryError) or "out of memory" in str(exc).lower()


def _wait_unless_stopped(seconds: float, should_stop: Callable[[], bool]) -> bool:
    """Wait up to ``seconds`` in short slices; True as soon as a stop is asked for."""
    deadline = time.monotonic() + seconds
    while not should_stop():
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(0.2, left))
    return True


LOSS_ROWS = 256  # rows of (N, V) logits the loss works on at a time (see below)


class _SmoothedCrossEntropy(torch.autograd.Function):
    """Summed label-smoothed cross-entropy and summed NLL of (N, V) logits, one backward pass.

    The forward pass also writes the gradient, in closed form, ``softmax - (1 - s) onehot
    - s / V``, into one tensor of the logits' dtype; backward only scales it (and adds the
    NLL's term, ``softmax - onehot``, when something differentiates the NLL too).
    Autograd's generic chain (log-softmax backward, a zero-filled gather backward, the
    mean's backward and their sum) makes four passes over (N, V) instead: +7% training
    tokens/s on eng-fra on 2 CPU cores.

    It works on ``LOSS_ROWS`` rows at a time, so the float32 log-probabilities of a slice
    (8 MB at V = 8k) stay in cache between the log-softmax, the sums and the exp, and no
    (N, V) float32 tensor is ever allocated: glibc hands allocations over 32 MB straight
    to mmap, and first touching fresh pages cost more than the arithmetic. With bf16
    logits the saved gradient is bf16, what the bf16 output projection's backward takes
    anyway. Output projection and loss, forward and backward, 1,500 rows x 8k words x 256
    in bf16 on 2 Zen 4 cores: 123 -> 98 ms (the matmuls alone take ~50).
    """

    @staticmethod
    def forward(ctx, logits: torch.Tensor, target: torch.Tensor, smoothing: float, grad: bool):
        n, v = logits.shape
        work = torch.promote_types(logits.dtype, torch.float32)  # float32, or float64
        nll = logits.new_zeros((), dtype=work)
        uniform = logits.new_zeros((), dtype=work)  # cross-entropy against 1/V
        g = torch.empty_like(logits) if grad else None
        for a in range(0, n, LOSS_ROWS):
            rows = slice(a, a + LOSS_ROWS)
            t = target[rows].unsqueeze(-1)  # (r, 1)
            log_probs = logits[rows].log_softmax(dim=-1, dtype=work)  # (r, V)
            nll -= log_probs.gather(-1, t).sum()
            uniform -= log_probs.sum() / v
            if grad:
                probs = log_probs.exp_()
                if smoothing > 0:
                    probs.sub_(smoothing / v)
                probs.scatter_add_(-1, t, probs.new_full(t.shape, smoothing - 1.0))
                g[rows] = probs
        ctx.save_for_backward(g, target)
        ctx.smoothing = smoothing
        ctx.set_materialize_grads(False)  # an unused NLL gets None, not a zero tensor
        return (1.0 - smoothing) * nll + smoothing * uniform, nll

    @staticmethod
    def backward(ctx, grad_loss: torch.Tensor | None, grad_nll: torch.Tensor | None):
        g, target = ctx.saved_tensors
        s = ctx.smoothing
        # grad_loss * g + grad_nll * (softmax - onehot), and softmax - onehot is
        # g + s / V - s * onehot.
        if grad_nll is None:  # training: only the smoothed loss is differentiated
            return (None if grad_loss is None else g.mul(grad_loss)), None, None, None
        scale = grad_nll if grad_loss is None else grad_loss + grad_nll
        grad = g.mul(scale)  # (mul then add_: addcmul is 10x slower on CPU)
        if s > 0:
            grad.add_(grad_nll * (s / g.size(-1)))
            at_target = (-s * grad_nll).to(g.dtype).expand(target.size(0), 1)
            grad.scatter_add_(-1, target.unsqueeze(-1), at_target.contiguous())
        return grad, None, None, None


def sequence_loss(
    logits: torch.Tensor, target: torch.Tensor, smoothing: float = 0.0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Masked cross-entropy; padding never counts.

    Args:
        logits: (batch, tgt_len, vocab), or (N, vocab) already restricted to real
            tokens (see ``Seq2Seq.forward(keep=...)``).
        target: gold ids with PAD at padding, (batch, tgt_len); or (N,) with logits (N, V).
        smoothing: label-smoothing weight (0 = plain cross-entropy).
    Returns:
        (training loss summed over real tokens, negative log-likelihood summed over real
        tokens); the second is what perplexity is computed from.
    """
    if logits.dim() == 3:
        mask = target != PAD  # (B, T)
        logits, target = logits[mask], target[mask]  # (N, V), (N,)
    grad = torch.is_grad_enabled() and logits.requires_grad
    return _SmoothedCrossEntropy.apply(logits, target, smoothing, grad)


def make_optimizer(
    params: Iterable[torch.nn.Parameter], cfg: TrainConfig, device: torch.device
) -> torch.optim.Optimizer:
    """The optimizer ``cfg`` names: SGD without momentum (the paper's) or Adam.

    Fused on CPU and CUDA: one kernel per step instead of ~10 elementwise passes over
    the weights (Adam: 5-10% more training tokens/s on CPU, s2s bench), fewer launches
    on CUDA, and the kernel itself applies the clipping factor and skips non-finite
    steps (``clip_gradients``, ``Trainer._train_step``).
    """
    fused = device.type in ("cpu", "cuda")
    if cfg.optimizer == "sgd":
        return torch.optim.SGD(params, lr=cfg.lr, momentum=0.0, fused=fused)
    return torch.optim.Adam(params, lr=cfg.lr, fused=fused)


def runs_fused(optimizer: torch.optim.Optimizer) -> bool:
    """Whether every parameter group steps in a fused kernel (which takes ``grad_scale``
    and ``found_inf``). Asked of the groups, not the constructor's defaults: loading
    a state saved by an unfused optimizer (an SGD run from before SGD was fused) turns
    its groups back to unfused."""
    return all(group.get("fused") for group in optimizer.param_groups)


def clip_gradients(
    optimizer: torch.optim.Optimizer, params: Iterable[torch.nn.Parameter], max_norm: float
) -> torch.Tensor:
    """Clips the gradients' total 2-norm to ``max_norm`` for the next ``optimizer.step()``.

    The same update as ``torch.nn.utils.clip_grad_norm_``, one pass over the gradients
    cheaper with a fused optimizer: the factor goes to the fused kernel as its
    ``grad_scale`` (what ``GradScaler`` hands it), which divides each gradient as it reads
    it, instead of a separate in-place multiply (3-4% of a CPU training step of the
    default model). Other optimizers get the gradients scaled in place.

    Args:
        max_norm: the largest total norm; ``math.inf`` leaves the gradients as they are.
    Returns:
        the total norm before clipping (a 0-d tensor, on the gradients' device).
    """
    params = [p for p in params if p.grad is not None]
    norm = torch.nn.utils.get_total_norm([p.grad for p in params])
    if runs_fused(optimizer):
        optimizer.grad_scale = (
            None if math.isinf(max_norm) else torch.clamp((norm + 1e-6) / max_norm, min=1.0)
        )
    elif not math.isinf(max_norm):
        torch.nn.utils.clip_grads_with_norm_(params, max_norm, norm)
    return norm


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
                raise ConfigError(f"{self.run_dir}: no run to resume (no {ckpt.CONFIG_FILE})")
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
        self._parts, self._oom_note = 1, ""  # out of memory: batches split in parts
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
        yield corpus.report
        self.corpus = corpus
        if self.resume:
            self.src_tok, self.tgt_tok = load_tokenizers(self.run_dir)
        elif self.dist.is_main:  # under torchrun rank 0 alone writes the run directory
            if self.overwrite:  # only now that the new corpus has been read
                ckpt.remove_run_files(self.run_dir)
            save_config(cfg, self.run_dir / ckpt.CONFIG_FILE)
            yield Progress("tokenizer", 0, 0, "training sentencepiece")
            self.src_tok, self.tgt_tok = train_tokenizers(corpus, cfg.data, self.run_dir)
            ckpt.save_source_facts(self.run_dir, [s for s, _ in corpus.train])
        self.dist.barrier()  # the other ranks wait for rank 0's tokenizers
        if self.src_tok is None:
            self.src_tok, self.tgt_tok = load_tokenizers(self.run_dir)
        cfg = self.config = self.dist.effective_config(cfg)  # per-rank batch, lr
        yield Progress("batches", 0, 0, "encoding the corpus")
        self.train_src = self.src_tok.encode_batch([s for s, _ in corpus.train])
        self.train_tgt = self.tgt_tok.encode_batch([t for _, t in corpus.train])
        self._dev_references = dict(corpus.dev)
        self.dev_src = self.src_tok.encode_batch([s for s, _ in corpus.dev])
        self.dev_tgt = self.tgt_tok.encode_batch([t for _, t in corpus.dev])
        self.sampler = BucketSampler(
            [len(s) + 1 for s in self.train_src],
            [len(t) + 1 for t in self.train_tgt],
            batch_size=cfg.train.batch_size,
            batch_tokens=cfg.train.batch_tokens,
            seed=cfg.train.seed,
            num_replicas=self.dist.world_size,
            rank=self.dist.rank,
        )
        set_seed(cfg.train.seed)
        self.model = build_model(cfg.model, self.src_tok.vocab_size, self.tgt_tok.vocab_size)
        self.model.to(self.device)
        self.optimizer = self._make_optimizer()
        self._net = self.dist.wrap(self.model, self.optimizer, cfg.train.seed)  # DDP
        self.state = {
            "step": 0,
            "epoch": 0,
            "batch_in_epoch": 0,
            "lr": cfg.train.lr,
            "best_score": -math.inf,
            "bad_evals": 0,
            "elapsed": 0.0,
            "tokens": 0,
            "best_step": 0,
            "planned_steps": 0,  # warmdown with max_minutes: fixed once speed is known
            "world_size": self.dist.world_size,
        }
        if self.resume:
            self._restore()

    def _make_optimizer(self) -> torch.optim.Optimizer:
        return make_optimizer(self.model.parameters(), self.config.train, self.device)

    def _restore(self) -> None:
        path = self.run_dir / ckpt.TRAINER_STATE
        saved = ckpt.load_trainer_state(path)
        ckpt.load_into(self.model, saved["model"], str(path))
        try:
            self.optimizer.load_state_dict(saved["optimizer"])
            torch.set_rng_state(saved["rng_torch"])
            if "rng_cuda" in saved and torch.cuda.is_available():
                torch.cuda.set_rng_state_all(saved["rng_cuda"])
            random.setstate(saved["rng_python"])
        except (ValueError, TypeError, KeyError, RuntimeError) as exc:
            raise ckpt.RunFolderError(
                f"{path}: damaged trainer state (optimizer or random state): {exc}"
            ) from None
        self.state.update(saved["trainer"])
        self.dist.restore(saved, self.state, self.device)  # same world size; own RNGs

    # ------------------------------------------------------------------ checkpoints
    def _save(self, best: bool, rng_ranks: list | None = None) -> Iterator[TrainEvent]:
        step = self.state["step"]
        with self._lock:
            weights = {k: v.detach().cpu().clone() for k, v in self.model.state_dict().items()}
        saved = {
            "model": weights,
            "optimizer": self.optimizer.state_dict(),
            "trainer": dict(self.state),
            "rng_torch": torch.get_rng_state(),
            "rng_python": random.getstate(),
        }
        if torch.cuda.is_available():
            saved["rng_cuda"] = torch.cuda.get_rng_state_all()
        if rng_ranks:
            saved["rng_ranks"] = rng_ranks  # every torchrun rank's RNG states
        paused = False
        while True:  # disk full or folder not writable: pause (keep the work) and retry
            try:
                ckpt.save_weights(weights, self.run_dir / ckpt.LAST_WEIGHTS, step)
                if best:
                    ckpt.save_weights(weights, self.run_dir / ckpt.BEST_WEIGHTS, step)
                ckpt.save_trainer_state(saved, self.run_dir / ckpt.TRAINER_STATE)
                break
            except OSError as exc:
                if not paused:
                    paused = True
                    yield TrainWarning(step, _disk_message(self.run_dir, step, exc))
            if _wait_unless_stopped(DISK_RETRY_S, self._should_stop):
                on_disk = ckpt.describe_saved(self.run_dir)
                # a full checkpoint on disk is an earlier one: this save never finished
                full = on_disk.startswith("a full checkpoint")
                kept = "keeps its previous checkpoint:" if full else "holds"
                yield TrainWarning(
                    step,
                    f"stopped without saving step {step}; {self.run_dir} {kept} {on_disk}",
                )
                return
        if paused:
            yield TrainWarning(step, f"checkpoint of step {step} written; training goes on")
        yield CheckpointSaved(step=step, path=str(self.run_dir), best=best)

    # ------------------------------------------------------------------ evaluation
    @torch.no_grad()
    def evaluate(self) -> EvalResult:
        """Dev loss, perplexity, and greedy BLEU/chrF on the first sentences of dev."""
        cfg = self.config
        model = self.model
        model.eval()
        nll_total, tokens = 0.0, 0
        order = sorted(range(len(self.dev_src)), key=lambda i: len(self.dev_src[i]))
        size = max(cfg.train.batch_size, 64)
        for start in range(0, len(order), size):
            idx = order[start : start + size]
            batch = self._batch(idx, self.dev_src, self.dev_tgt)
            with self._autocast():
                logits = model(
                    batch.src,
                    batch.src_len,
                    batch.tgt_in,
                    keep=batch.real,
                    host_len=batch.host_src_len,
                )
            _, nll = sequence_loss(logits, batch.targets)
            nll_total += float(nll)
            tokens += batch.n_tgt_tokens
        dev_loss = nll_total / max(tokens, 1)
        n = min(cfg.train.bleu_sentences, len(self.dev_src))
        srcs = [src for src, _ in self.corpus.dev[:n]]
        refs = [ref for _, ref in self.corpus.dev[:n]]
        hyps = self._greedy(self.dev_src[:n])
        tokenize = pick_tokenize(refs) if refs else "13a"
        bleu = corpus_bleu(hyps, refs, tokenize=tokenize) if hyps else float("nan")
        chrf = corpus_chrf(hyps, refs) if hyps else float("nan")
        probes = self.probes
        if probes:
            refs = [self._dev_references.get(p, "") for p in probes]
            srcs, hyps = probes, self._greedy(self.src_tok.encode_batch(probes))
        samples = tuple(
            Sample(s, r, h, sentence_bleu(h, r, tokenize=tokenize) if r else float("nan"))
            for s, r, h in list(zip(srcs, refs, hyps))[:N_SAMPLES]
        )
        model.train()
        return EvalResult(
            step=self.state["step"],
            epoch=self._epoch_float(),
            dev_loss=dev_loss,
            dev_ppl=math.exp(min(dev_loss, 50.0)),
            bleu=bleu,
            chrf=chrf,
            samples=samples,
        )

    @torch.no_grad()
    def _greedy(self, sources: list[list[int]]) -> list[str]:
        """Greedy translations of encoded sources, in order, batched by length."""
        order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
        size = max(self.config.train.batch_size, 64)
        outputs: dict[int, str] = {}
        for start in range(0, len(order), size):
            idx = order[start : start + size]
            batch = make_batch([sources[i] for i in idx], [[]] * len(idx), idx)
            batch = batch.to(self.device)
            max_len = int(batch.src_len.max()) * 2 + 10
            with self._autocast():
                found = greedy_decode([self.model], batch.src, batch.src_len, max_len)
            for i, hyp in zip(idx, found):
                outputs[i] = self.tgt_tok.decode(list(hyp.tokens))
        return [outputs[i] for i in range(len(sources))]

    @property
    def probes(self) -> list[str]:
        """Source sentences translated at every evaluation (default: the first dev ones)."""
        return list(self._probes)

    def set_probes(self, sources: list[str]) -> None:
        """Thread-safe: replace the probe sentences used from the next evaluation on."""
        self._probes = tuple(s.strip() for s in sources if s.strip())[:N_SAMPLES * 4]

    def _score(self, result: EvalResult) -> float:
        if self.config.train.bleu_sentences > 0 and math.isfinite(result.bleu):
            return result.bleu
        return -result.dev_loss

    def _after_eval(self, result: EvalResult) -> tuple[EvalResult, bool]:
        """Track the best score, patience and the plateau schedule."""
        score = self._score(result)
        improved = score > self.state["best_score"]
        if improved:
            self.state["best_score"] = score
            self.state["best_step"] = self.state["step"]
            self.state["bad_evals"] = 0
        else:
            self.state["bad_evals"] += 1
            if self.config.train.lr_schedule == "plateau":
                self.state["lr"] *= self.config.train.plateau_factor
        return replace(result, best=improved), improved

    # ------------------------------------------------------------------ helpers
    def _batch(self, idx: list[int], src: list[list[int]], tgt: list[list[int]]) -> Batch:
        batch = make_batch([src[i] for i in idx], [tgt[i] for i in idx], idx)
        return batch.to(self.device, non_blocking=self.device.type == "cuda")

    def _autocast(self):
        return bf16_autocast(self.device, self.config.train.bf16)

    def _epoch_float(self) -> float:
        return self.state["epoch"] + self.state["batch_in_epoch"] / max(len(self.sampler), 1)

    def _current_lr(self) -> float:
        cfg = self.config.train
        if cfg.lr_schedule == "paper":
            over = self._epoch_float() - cfg.halve_after_epoch
            halvings = int(over // 0.5) + 1 if over >= 0 else 0
            return cfg.lr * 0.5**halvings
        if cfg.lr_schedule == "warmdown":
            planned = self._planned_steps()
            start = planned * (1.0 - cfg.warmdown)
            step = self.state["step"]
            if step < start:
                return cfg.lr
            return cfg.lr * max(planned - step, 0) / max(planned - start, 1.0)
        return self.state["lr"]

    def _planned_steps(self) -> int:
        """Steps the run will take: from epochs/max_steps, or, under a time limit, from
        the speed measured after the first ``PLAN_AFTER_STEPS`` steps of this session and
        measured again at every evaluation (see ``_replan``).

        The estimate is kept in the trainer state, so a resumed run decays the same way.
        Under torchrun the time limit is ignored here (ranks must agree on the rate).
        """
        if not self._plans_by_time():
            return self._total_steps()
        if not self.state["planned_steps"]:
            self._replan()
        return self.state["planned_steps"] or self._total_steps()

    def _plans_by_time(self) -> bool:
        cfg = self.config.train
        return bool(cfg.max_minutes) and self.dist.world_size == 1

    def _replan(self) -> None:
        """Estimate the run's length from this session's speed so far (evaluations
        included), so the warm-down ends at the time limit rather than before or after."""
        done = self.state["step"] - self._session_start_step
        if not self._plans_by_time() or done < PLAN_AFTER_STEPS:
            return
        per_step = (time.perf_counter() - self._clock) / done
        left = max(self.config.train.max_minutes * 60 - self._elapsed(), 0.0)
        estimate = self.state["step"] + int(left / per_step)
        self.state["planned_steps"] = min(self._total_steps(), estimate)

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
    def steps(self, should_stop: Callable[[], bool] = lambda: False) -> Iterator[TrainEvent]:
        """Train, yielding events; checks ``should_stop()`` between batches.

        The run folder is locked while this runs: a second trainer there (another
        process, or the app beside the command line) is refused with the holder's pid.
        """
        self._should_stop = should_stop  # also polled while a checkpoint write waits
        # under torchrun the ranks share the folder: rank 0 holds the lock for all
        with ckpt.RunLock(self.run_dir, active=distributed.env_rank() == 0):
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
            keep_until_step=state["step"] if self.resume else -1,
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
            start_step=state["step"],
            total_steps=self._total_steps(),
        )
        log.write("start", {**asdict(start), **self.dist.describe(self.config.train)})
        yield start
        self.model.train()
        self._clock = time.perf_counter()
        self._elapsed_before = state["elapsed"]
        self._session_start_step = state["step"]
        self._session_tokens = 0
        window = _Window(self.device)
        last_eval_step, last = -1, None
        reason = "epochs"
        while reason == "epochs" and state["epoch"] < cfg.epochs:
            batches = self.sampler.epoch_batches(state["epoch"])
            while state["batch_in_epoch"] < len(batches):
                reason = self.dist.agree(self._limit_reached(should_stop))
                if reason != "epochs":
                    break
                batch = self._batch(
                    batches[state["batch_in_epoch"]], self.train_src, self.train_tgt
                )
                lr = self._current_lr()
                try:
                    nll, grad_norm, skipped = self._train_step(batch, lr)
                except OutOfMemory as exc:
                    yield TrainWarning(state["step"], f"{exc}; stopping")
                    reason = "oom"
                    break
                if self._oom_note:
                    yield TrainWarning(state["step"], self._oom_note)
                    self._oom_note = ""
                if nll is None:
                    message = f"non-finite loss or gradient at step {state['step'] + 1}"
                    if cfg.nan_policy == "stop":
                        yield TrainWarning(state["step"], message + "; stopping")
                        reason = "nan"
                        break
                    yield TrainWarning(state["step"], message + "; step skipped")
                else:
                    window.add(nll, grad_norm, skipped, state["step"] + 1)
                state["step"] += 1
                state["batch_in_epoch"] += 1
                window.tokens += batch.n_tgt_tokens
                window.src_tokens += batch.n_src_tokens
                if state["step"] % cfg.log_every == 0:
                    yield from self._skipped_warnings(window)
                    event = self._step_event(window, lr)
                    log.write("step", asdict(event))
                    yield event
                    window = _Window(self.device)
                if state["step"] % cfg.eval_every == 0:
                    last = yield from self._eval_and_save(log)
                    last_eval_step = state["step"]
                    if cfg.patience and state["bad_evals"] >= cfg.patience:
                        reason = "converged"
                        break
            else:
                state["epoch"] += 1
                state["batch_in_epoch"] = 0
        yield from self._skipped_warnings(window)
        if reason == "oom" and not self.dist.active and state["step"] > last_eval_step:
            yield from self._save(best=False)  # evaluating could run out of memory too
        elif last_eval_step != state["step"] and state["step"] > 0:
            last = yield from self._eval_and_save(log)
        session = max(time.perf_counter() - self._clock, 1e-9)
        finished = TrainFinished(
            reason=reason,
            step=state["step"],
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
        if cfg.max_steps and self.state["step"] >= cfg.max_steps:
            return "max_steps"
        if cfg.max_minutes and self._elapsed() >= cfg.max_minutes * 60:
            return "max_minutes"
        return "epochs"

    def _train_step(
        self, batch: Batch, lr: float
    ) -> tuple[torch.Tensor | None, torch.Tensor, torch.Tensor | None]:
        """One optimisation step; returns (nll sum, grad norm, skipped).

        A step whose loss or gradient is not finite changes nothing. With a fused
        optimizer in one process under ``nan_policy = "skip"`` the optimizer's kernel
        skips it (its ``found_inf``, as under ``GradScaler``), so no host sync waits for
        the check: ``skipped`` is then a 0-d bool on the device, read by the loop at its
        next log line. Otherwise the host checks at once: ``skipped`` is None, and nll
        is None when the step was skipped.

        Out of memory: the batch is retried in 2, 4, ... parts whose gradients add up
        to the same step, and later batches keep that split (``_oom_note`` says so).
        Raises:
            OutOfMemory: one sentence per part does not fit either, or under torchrun.
        """
        cfg = self.config.train
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        count = batch.n_tgt_tokens if cfg.loss == "token" else batch.src.size(0)
        divisor = self.dist.loss_divisor(count)  # job-wide mean under torchrun
        while True:
            self.optimizer.zero_grad(set_to_none=True)
            try:
                loss, nll = self._backward(self._split(batch), divisor)
                break
            except RuntimeError as exc:
                if not _is_oom(exc):
                    raise
                error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self._after_oom(batch, error)  # outside ``except``: the tensors are freed
        max_norm = cfg.clip if cfg.clip > 0 else math.inf
        grad_norm = clip_gradients(self.optimizer, self.model.parameters(), max_norm)
        finite = torch.isfinite(grad_norm) & torch.isfinite(loss)  # 0-d, on the device
        if self._skip_in_kernel:
            skipped = ~finite
            self.optimizer.found_inf = skipped.float()
            with self._lock:
                self.optimizer.step()
            return nll, grad_norm.detach(), skipped
        if not self.dist.everywhere(bool(finite)):  # ranks skip together or not at all
            self.optimizer.zero_grad(set_to_none=True)
            return None, grad_norm, None
        with self._lock:
            self.optimizer.step()
        return nll, grad_norm.detach(), None

    @property
    def _skip_in_kernel(self) -> bool:
        """Whether non-finite steps are skipped by the fused optimizer (no host sync)."""
        return (
            runs_fused(self.optimizer)
            and not self.dist.active
            and self.config.train.nan_policy == "skip"
        )

    def _skipped_warnings(self, window: _Window) -> Iterator[TrainWarning]:
        """Warnings for the window's steps that the optimizer skipped (one host sync)."""
        for step in window.skipped_steps():
            yield TrainWarning(
                step - 1, f"non-finite loss or gradient at step {step}; step skipped"
            )

    def _backward(
        self, parts: list[Batch], divisor: float
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Forward and backward over the parts of one batch; (loss, nll) sums, detached."""
        cfg = self.config.train
        loss_sum = nll_sum = torch.zeros((), device=self.device)
        for part in parts:
            # Logits only at the real target tokens (no vocabulary projection at
            # padding), found and counted on the host: nothing here waits for a GPU.
            with self._autocast():
                logits = self._net(
                    part.src,
                    part.src_len,
                    part.tgt_in,
                    cfg.teacher_forcing,
                    part.real,
                    host_len=part.host_src_len,
                )  # (N, V)
            loss, nll = sequence_loss(logits, part.targets, cfg.label_smoothing)
            (loss / divisor).backward()
            loss_sum, nll_sum = loss_sum + loss.detach(), nll_sum + nll.detach()
        return loss_sum, nll_sum

    def _split(self, batch: Batch) -> list[Batch]:
        if self._parts == 1:
            return [batch]
        index = batch.index.tolist()
        chunks = np.array_split(np.arange(len(index)), min(self._parts, len(index)))
        return [
            self._batch([index[i] for i in c], self.train_src, self.train_tgt)
            for c in chunks
        ]

    def _after_oom(self, batch: Batch, error: str) -> None:
        """Split further, or raise OutOfMemory saying what to change."""
        self.optimizer.zero_grad(set_to_none=True)
        if self.device.type == "cuda":
            torch.cuda.empty_cache()
        size = batch.src.size(0)
        if self.dist.active or self._parts >= size:
            raise OutOfMemory(
                f"out of memory at step {self.state['step'] + 1} ({error}) with "
                f"{-(-size // self._parts)} sentence(s) per part: lower "
                "train.batch_size or train.batch_tokens, use a smaller model "
                "(model.hidden, model.layers, model.emb) or another device"
            )
        self._parts = min(2 * self._parts, size)
        self._oom_note = (
            f"out of memory on a batch of {size} sentences ({error}); retried in "
            f"{self._parts} parts, and later batches are split too. Lower "
            "train.batch_size or train.batch_tokens to train at full speed"
        )

    def _step_event(self, window: _Window, lr: float) -> TrainStep:
        seconds = max(time.perf_counter() - window.start, 1e-9)
        window.nll, window.tokens, window.src_tokens = self.dist.all_sum(
            window.nll, window.tokens, window.src_tokens
        )  # sums over all torchrun ranks
        loss = float(window.nll) / max(window.tokens, 1)  # one host sync per log window
        self._session_tokens += window.all_tokens
        done = self.state["step"]
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
        self.state["elapsed"] = self._elapsed()
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


class _Window:
    """Sums over the steps between two log lines, kept on the device (no per-step sync)."""

    def __init__(self, device: torch.device) -> None:
        self.nll = torch.zeros((), device=device)
        self.grad_norm = torch.zeros((), device=device)
        self.tokens = 0
        self.src_tokens = 0
        self.start = time.perf_counter()
        self._skipped: list[tuple[int, torch.Tensor]] = []  # (step, 0-d bool) to read

    def add(
        self,
        nll: torch.Tensor,
        grad_norm: torch.Tensor,
        skipped: torch.Tensor | None = None,
        step: int = 0,
    ) -> None:
        """One step's sums; ``skipped`` (0-d bool on the device) leaves them out."""
        if skipped is None:
            self.nll += nll
            self.grad_norm = grad_norm
            return
        self.nll += torch.where(skipped, 0.0, nll)
        self.grad_norm = torch.where(skipped, self.grad_norm, grad_norm)
        self._skipped.append((step, skipped))

    def skipped_steps(self) -> list[int]:
        """The steps added with a true ``skipped`` flag since the last call."""
        if not self._skipped:
            return []
        flags = torch.stack([flag for _, flag in self._skipped]).tolist()
        steps = [step for (step, _), bad in zip(self._skipped, flags) if bad]
        self._skipped = []
        return steps

    @property
    def all_tokens(self) -> int:
        return self.tokens + self.src_tokens


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


def _disk_message(run_dir: Path, step: int, exc: OSError) -> str:
    why = exc.strerror or str(exc)
    return (
        f"cannot write the checkpoint of step {step} to {run_dir} ({why}); training "
        f"is paused and retries every {DISK_RETRY_S:g} s: free some disk space or make "
        "the folder writable. Stop ends the run with what is on disk: "
        f"{ckpt.describe_saved(run_dir)}"
    )
