"""Greedy decoding, batched beam search (n-best, history, ensembles) and forced decoding."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from engine.config import DecodeConfig
from engine.decoder import DecoderState, Encoded
from engine.events import BeamStep
from engine.model import Seq2Seq
from engine.special import BOS, EOS, PAD

logger = logging.getLogger(__name__)

HARD_MAX_LEN = 1024  # no output is ever longer, whatever the source
TOPK_CHUNK = 64  # row_topk's block: 64 floats, four AVX-512 registers


@dataclass(frozen=True)
class Hypothesis:
    """A decoded target; ``tokens`` ends with EOS unless cut at the length limit."""

    tokens: tuple[int, ...]  # (T,)
    logprob: float  # sum of token_logprobs
    score: float  # logprob / T**alpha
    token_logprobs: np.ndarray  # (T,) float32
    attention: (
        np.ndarray | None
    )  # (T, S) over the real source tokens; None without attention


Models = Seq2Seq | Sequence[Seq2Seq]


def _as_list(models: Models) -> list[Seq2Seq]:
    return [models] if isinstance(models, Seq2Seq) else list(models)


def row_topk(x: Tensor, k: int) -> tuple[Tensor, Tensor]:
    """``x.topk(k, dim=1)`` (sorted, largest first), faster on the CPU for wide rows.

    PyTorch's CPU top-k (and ``max`` with indices) walks every element of a row with
    its index; a plain maximum without indices is vectorised and ~20x faster. So the
    rows are cut into blocks of ``TOPK_CHUNK`` columns and only the ``k`` blocks with
    the largest maxima are searched: each of the row's k largest values lies in a block
    whose maximum is at least the k-th largest value, and at most k blocks have one
    (ties aside, where any of the equal values may be returned, as with ``topk``).

    Args:
        x: (N, V) scores.
        k: how many per row, at most V.
    Returns:
        values (N, k) and column indices (N, k), as ``torch.topk``.
    """
    n, v = x.shape
    blocks = v // TOPK_CHUNK
    if x.device.type != "cpu" or blocks < 4 * k:  # CUDA's top-k is fast; few blocks
        return x.topk(k, dim=1)
    whole = blocks * TOPK_CHUNK
    best = x[:, :whole].view(n, blocks, TOPK_CHUNK).amax(dim=2)  # (N, blocks)
    if whole < v:  # the last, shorter block
        best = torch.cat([best, x[:, whole:].amax(dim=1, keepdim=True)], dim=1)
    block = best.topk(k, dim=1).indices  # (N, k)
    cols = (
        block.unsqueeze(-1) * TOPK_CHUNK + torch.arange(TOPK_CHUNK, device=x.device)
    ).view(n, k * TOPK_CHUNK)  # (N, k * chunk) the candidate columns
    cand = x.gather(1, cols.clamp_max(v - 1))  # (N, k * chunk)
    if whole < v:  # columns past the row's end (from the last block) never win
        cand.masked_fill_(cols >= v, float("-inf"))
    values, pos = cand.topk(k, dim=1)  # (N, k)
    return values, cols.gather(1, pos)


def max_lengths(src_len: Tensor, cfg: DecodeConfig) -> Tensor:
    """Per-sentence output limit ``ratio * src_len + offset`` (at least 1), or the
    fixed ``cfg.max_len`` when set (captions: the grid size says nothing of the
    caption's length); (B,) -> (B,)."""
    if cfg.max_len:
        return torch.full_like(src_len, min(cfg.max_len, HARD_MAX_LEN))
    limit = (src_len.float() * cfg.max_len_ratio).floor().long() + cfg.max_len_offset
    return limit.clamp(1, HARD_MAX_LEN)


class _Ensemble:
    """Steps several models in lockstep and averages their log-probabilities."""

    def __init__(self, models: list[Seq2Seq], src: Tensor, src_len: Tensor) -> None:
        self.models = models
        self.encs: list[Encoded] = [m.encode(src, src_len) for m in models]
        self.states: list[DecoderState] = [e.init_state for e in self.encs]
        vocab = {m.tgt_vocab for m in models}
        if len(vocab) != 1:
            raise ValueError(
                f"ensemble members have different target vocabularies: {vocab}"
            )
        self.banned = torch.tensor([PAD, BOS], device=src.device)  # never generated

    def keep(self, sentences: Tensor) -> None:
        """Keep encoder rows ``sentences`` (A,), one per sentence still searched."""
        self.encs = [Seq2Seq.select_encoded(e, sentences) for e in self.encs]

    def reorder(self, index: Tensor) -> None:
        """Make decoder-state row i a copy of row ``index[i]`` (N,).

        The rows must come in equal groups per encoder row, in its order (the k
        hypotheses of each sentence: ``RNNDecoder.step``).
        """
        self.states = [Seq2Seq.select_state(s, index) for s in self.states]

    def step(self, prev: Tensor) -> tuple[Tensor, Tensor | None]:
        """Advance every model by one token.

        Args:
            prev: previous ids, (N,).
        Returns:
            averaged log-probs (N, V) float32 with PAD/BOS at -inf, and the averaged
            attention (N, S) or None.
        """
        total, atts = None, []
        for i, (model, enc) in enumerate(zip(self.models, self.encs, strict=True)):
            out = model.step(prev, self.states[i], enc)
            self.states[i] = out.state
            logits = out.logits.float()  # (N, V), the step's own tensor
            if logits.device.type == "cpu":  # in place: no second (N, V) buffer
                logp = torch.log_softmax(logits, dim=-1, out=logits)
            else:
                logp = logits.log_softmax(dim=-1)
            total = logp if total is None else total + logp
            if out.attention is not None:
                atts.append(out.attention.float())  # (N, S)
        if len(self.models) > 1:
            total = total / len(self.models)
        att = (
            None
            if not atts
            else atts[0]
            if len(atts) == 1
            else torch.stack(atts).mean(0)
        )
        return total.index_fill_(1, self.banned, float("-inf")), att


@torch.no_grad()
def greedy_decode(
    models: Models,
    src: Tensor,
    src_len: Tensor,
    max_len: int | Tensor,
    alpha: float = 0.0,
) -> list[Hypothesis]:
    """Pick the most probable token at every step.

    Args:
        models: one model or an ensemble (log-probs averaged per step).
        src: source ids, (B, S); src_len: lengths, (B,).
        max_len: output limit, an int or per sentence (B,).
        alpha: length normalisation used for ``Hypothesis.score``.
    Returns:
        one hypothesis per sentence.
    """
    ens = _Ensemble(_as_list(models), src, src_len)
    batch = src.size(0)
    limit = (
        torch.as_tensor(max_len, device=src.device).expand(batch).clamp(1, HARD_MAX_LEN)
    )
    prev = torch.full((batch,), BOS, dtype=torch.long, device=src.device)  # (A,)
    active = torch.arange(batch, device=src.device)  # (A,) rows still decoding
    act_limit = limit
    tokens, logps, atts = [], [], []
    for t in range(int(limit.max())):
        logp, att = ens.step(prev)  # (A, V), (A, S)
        best_lp, prev = (a.squeeze(1) for a in row_topk(logp, 1))  # (A,), (A,)
        tokens.append(_whole_batch(prev, active, batch, EOS))
        logps.append(_whole_batch(best_lp, active, batch, 0.0))
        atts.append(None if att is None else _whole_batch(att, active, batch, 0.0))
        ended = (prev == EOS) | (t + 1 >= act_limit)  # (A,)
        n_ended = int(ended.sum())
        if n_ended == ended.numel():
            break
        if n_ended:  # later steps compute only the sentences still going
            keep = (~ended).nonzero().squeeze(1)
            active, act_limit, prev = active[keep], act_limit[keep], prev[keep]
            ens.keep(keep)
            ens.reorder(keep)
    tok = torch.stack(tokens, 1).cpu().numpy()  # (B, T)
    lps = torch.stack(logps, 1).cpu().numpy()  # (B, T)
    att_np = (
        None if atts[0] is None else torch.stack(atts, 1).cpu().numpy()
    )  # (B, T, S)
    lens, lim = src_len.cpu().numpy(), limit.cpu().numpy()
    hyps = []
    for b in range(batch):
        eos = np.flatnonzero(tok[b] == EOS)
        n = int(min(eos[0] + 1 if eos.size else tok.shape[1], lim[b]))
        a = None if att_np is None else att_np[b, :n, : lens[b]].copy()
        hyps.append(_hypothesis(tok[b, :n], lps[b, :n], a, alpha))
    return hyps


def _whole_batch(
    value: Tensor, active: Tensor, batch: int, fill: float | bool
) -> Tensor:
    """Rows of the ``active`` sentences (A, ...) as the whole batch (B, ...).

    Sentences that left the search get ``fill``.
    """
    if value.size(0) == batch:
        return value
    out = value.new_full((batch, *value.shape[1:]), fill)
    return out.index_copy_(0, active, value)


def _hypothesis(
    tokens: np.ndarray, lps: np.ndarray, att: np.ndarray | None, alpha: float
):
    logprob = float(np.sum(lps, dtype=np.float64))
    return Hypothesis(
        tuple(tokens.tolist()),
        logprob,
        logprob / len(tokens) ** alpha,
        lps.astype(np.float32, copy=True),
        att,
    )


@torch.no_grad()
def beam_search(
    models: Models, src: Tensor, src_len: Tensor, cfg: DecodeConfig
) -> list[list[Hypothesis]]:
    """Batched beam search; see ``beam_search_history``. Returns the n-best per sentence."""
    return beam_search_history(models, src, src_len, cfg, history=False)[0]


@torch.no_grad()
def beam_search_history(
    models: Models,
    src: Tensor,
    src_len: Tensor,
    cfg: DecodeConfig,
    history: bool = True,
) -> tuple[list[list[Hypothesis]], list[tuple[BeamStep, ...]]]:
    """Beam search over sentences x beams in one tensor per step.

    Each step takes the ``beam`` best extensions (by accumulated log-prob) of the open
    hypotheses of a sentence; those ending in EOS (or reaching the length limit) are
    set aside as finished, the rest stay open. A sentence ends only when no open
    hypothesis can beat the worst of its ``nbest`` best finished ones under the score
    ``logprob / len**alpha``: log-probs only fall, so an open hypothesis with log-prob
    L can at best reach L (alpha = 0). With alpha > 0 the usual rule compares L / t**alpha
    at its current length t; ``cfg.exact_stop`` compares the best it could ever reach,
    L / max_len**alpha (exact, slower). With beam 1 this is exactly greedy decoding.

    Args:
        models: one model or an ensemble (log-probs averaged per step).
        src: source ids + EOS, PAD-padded, (B, S); src_len: lengths, (B,).
        cfg: beam, nbest, alpha and length limit.
        history: also return, per sentence, the steps of the search tree.
    Returns:
        per sentence the n-best hypotheses sorted by score (best first), and per
        sentence a tuple of ``BeamStep`` (empty tuples without history).
    """
    ens = _Ensemble(_as_list(models), src, src_len)  # encoder: one row per sentence
    dev, batch, k, alpha = src.device, src.size(0), cfg.beam, cfg.alpha
    n_keep = 2 * k if history else k  # candidates taken per sentence and step
    limit = max_lengths(src_len, cfg)  # (A,) for the A sentences still searching
    active = torch.arange(batch, device=dev)  # (A,) their rows in the whole batch
    width = (
        1  # open hypotheses per sentence in the model's rows: 1 at the start, then k
    )
    scores = torch.zeros(batch, 1, device=dev)  # (A, width) open log-probs
    fin_best = torch.full(
        (batch, cfg.nbest), float("-inf"), device=dev
    )  # (A, nbest) best finished scores
    prev = torch.full((batch,), BOS, dtype=torch.long, device=dev)  # (A*width,)
    rec: dict[str, list[Tensor]] = {
        n: [] for n in ("tok", "par", "sc", "lp", "end", "att", "pr", "prs")
    }

    def record(name: str, value: Tensor, fill: float | bool) -> None:
        rec[name].append(_whole_batch(value, active, batch, fill))

    for t in range(int(limit.max())):
        logp, att = ens.step(prev)  # (A*width, V), (A*width, S)
        n_act, vocab = scores.size(0), logp.size(-1)
        # A sentence's n best extensions are among the n best tokens of each of its
        # rows: take those first (one top-k per row), then the n best of the
        # width * n, instead of adding the scores to all width * V.
        row_lp, row_tok = row_topk(logp, min(n_keep, vocab))  # (A*width, r)
        per_row = row_lp.size(1)
        cand = (scores.unsqueeze(-1) + row_lp.view(n_act, width, per_row)).view(
            n_act, width * per_row
        )
        top_sc, pos = cand.topk(min(n_keep, width * per_row), dim=1)  # (A, n)
        top_tok = row_tok.view(n_act, width * per_row).gather(1, pos)  # (A, n)
        top_ix = (pos // per_row) * vocab + top_tok  # (A, n) as parent * V + token
        if top_sc.size(1) < n_keep:  # a vocabulary smaller than the beam, at step 0
            short = n_keep - top_sc.size(1)
            top_sc = torch.nn.functional.pad(top_sc, (0, short), value=float("-inf"))
            top_ix = torch.nn.functional.pad(top_ix, (0, short))
        sel_sc, sel_ix = top_sc[:, :k], top_ix[:, :k]  # (A, k)
        parent, token = sel_ix // vocab, sel_ix % vocab  # (A, k)
        flat_parent = (
            parent + width * torch.arange(n_act, device=dev).unsqueeze(1)
        ).view(-1)  # (A*k,) model rows
        tok_lp = logp[flat_parent, token.view(-1)].view(n_act, k)  # (A, k)
        live = torch.isfinite(sel_sc)  # (A, k)
        ends = live & ((token == EOS) | (t + 1 >= limit).unsqueeze(1))  # (A, k)
        normed = sel_sc / float(t + 1) ** alpha  # (A, k)
        fin = torch.where(ends, normed, torch.full_like(normed, float("-inf")))
        fin_best = (
            torch.cat([fin_best, fin], dim=1).topk(cfg.nbest, dim=1).values
        )  # (A, nbest)
        scores = sel_sc.masked_fill(ends, float("-inf"))  # (A, k) still open
        bound = scores.max(dim=1).values  # (A,) best open log-prob, -inf when none
        if (
            alpha > 0
        ):  # exact: the best it could reach (log-probs only fall) at any length
            length = limit.float() if cfg.exact_stop else float(t + 1)
            bound = bound / length**alpha
        done = bound <= fin_best[:, -1]  # (A,)
        for name, value in (("tok", token), ("par", parent)):
            record(name, value, 0)
        record("sc", sel_sc, float("-inf"))
        record("lp", tok_lp, 0.0)
        record("end", ends, False)
        if att is not None:
            record("att", att[flat_parent].view(n_act, k, -1), 0.0)  # (A, k, S)
        if history:
            record("pr", top_ix[:, k:], 0)  # (A, n - k) pruned candidates
            record("prs", top_sc[:, k:], float("-inf"))
        n_done = int(done.sum())
        if n_done == n_act:
            break
        rows = flat_parent
        if n_done:  # drop finished sentences: later steps compute only the others
            keep = (~done).nonzero().squeeze(1)  # (A',)
            active, limit = active[keep], limit[keep]
            scores, fin_best, token = scores[keep], fin_best[keep], token[keep]
            rows = flat_parent.view(n_act, k)[keep].view(-1)  # (A'*k,)
            ens.keep(keep)  # encoder rows stay one per sentence
        ens.reorder(rows)  # (A'*k,) decoder rows, k per sentence
        width = k
        prev = token.reshape(-1)
    arrays = {
        n: torch.stack(v).cpu().numpy() for n, v in rec.items() if v
    }  # (T, B, ...)
    lens = src_len.cpu().numpy()
    nbest = [_collect(arrays, b, lens[b], cfg) for b in range(batch)]
    steps = [_history(arrays, b, vocab) if history else () for b in range(batch)]
    return nbest, steps


def _backtrack(
    arrays: dict[str, np.ndarray], t: int, b: int, j: int, src_len: int, alpha: float
):
    """The hypothesis of sentence ``b`` that ended in slot ``j`` at step ``t``."""
    parents = arrays["par"][: t + 1, b].tolist()  # (t+1, k) as lists: fast to walk
    slots = [0] * (t + 1)
    for s in range(t, -1, -1):
        slots[s] = j
        j = parents[s][j]
    steps = np.arange(t + 1)
    att = None
    if "att" in arrays:
        att = arrays["att"][steps, b, slots, :src_len].astype(np.float32)  # (t+1, S)
    return _hypothesis(
        arrays["tok"][steps, b, slots],
        arrays["lp"][steps, b, slots].astype(np.float32),
        att,
        alpha,
    )


def _collect(arrays: dict[str, np.ndarray], b: int, src_len: int, cfg: DecodeConfig):
    """The n-best finished hypotheses of sentence ``b``, best first, distinct."""
    steps, slots = np.nonzero(arrays["end"][:, b])  # finished events
    normed = arrays["sc"][steps, b, slots] / (steps + 1.0) ** cfg.alpha
    order = np.argsort(-normed, kind="stable")
    found: dict[tuple[int, ...], Hypothesis] = {}
    for i in order[: 2 * cfg.nbest]:  # only these can make the n-best (ties aside)
        hyp = _backtrack(arrays, int(steps[i]), b, int(slots[i]), src_len, cfg.alpha)
        found.setdefault(hyp.tokens, hyp)
    return sorted(found.values(), key=lambda h: -h.score)[: cfg.nbest]


def _history(arrays: dict[str, np.ndarray], b: int, vocab: int) -> tuple[BeamStep, ...]:
    """The search tree of sentence ``b``: kept and pruned candidates at each step."""
    out = []
    for s in range(arrays["tok"].shape[0]):
        live = np.isfinite(arrays["sc"][s, b])  # sorted: live slots come first
        if not live.any():
            break
        pr_live = np.isfinite(arrays["prs"][s, b])
        pr = arrays["pr"][s, b][pr_live]
        root = s == 0
        out.append(
            BeamStep(
                step=s,
                tokens=arrays["tok"][s, b][live].astype(np.int64),
                parents=np.full(live.sum(), -1)
                if root
                else arrays["par"][s, b][live].astype(np.int64),
                scores=arrays["sc"][s, b][live].astype(np.float32),
                finished=arrays["end"][s, b][live].copy(),
                pruned_tokens=(pr % vocab).astype(np.int64),
                pruned_parents=np.full(pr.size, -1)
                if root
                else (pr // vocab).astype(np.int64),
                pruned_scores=arrays["prs"][s, b][pr_live].astype(np.float32),
            )
        )
    return tuple(out)


@torch.no_grad()
def force_decode(
    models: Models, src: Tensor, src_len: Tensor, tgt_in: Tensor, tgt_out: Tensor
) -> Tensor:
    """Teacher-forced log-prob of every reference token (ensembles: averaged log-probs).

    Args:
        src: (B, S) source ids; src_len: (B,).
        tgt_in: BOS + target, (B, T); tgt_out: target + EOS, PAD-padded, (B, T).
    Returns:
        per-token log-probs (B, T), 0 at padding.
    """
    models = _as_list(models)
    total = None
    for model in models:
        logp = model(src, src_len, tgt_in).float().log_softmax(dim=-1)  # (B, T, V)
        total = logp if total is None else total + logp
    total = total / len(models)
    lp = total.gather(-1, tgt_out.unsqueeze(-1)).squeeze(-1)  # (B, T)
    return lp.masked_fill(tgt_out == PAD, 0.0)
