"""The training loss: label-smoothed, masked cross-entropy with a closed-form gradient."""

from __future__ import annotations

import torch

from engine.special import PAD

LOSS_ROWS = 256  # rows of (N, V) logits the loss works on at a time (see below)


class _SmoothedCrossEntropy(torch.autograd.Function):
    """Summed label-smoothed cross-entropy and summed NLL of (N, V) logits, one backward pass.

    The forward pass also writes the gradient, in closed form, ``softmax - (1 - s) onehot
    - s / V``, into one tensor of the logits' dtype; backward only scales it (and adds the
    NLL's term, ``softmax - onehot``, when something differentiates the NLL too).
    This is one pass over (N, V) where autograd's generic chain (log-softmax, gather,
    mean and their backwards) makes four.

    It works on ``LOSS_ROWS`` rows at a time so that a slice's float32 log-probabilities
    stay in cache between the log-softmax, the sums and the exp, and no (N, V) float32
    tensor is ever allocated (large allocations go to fresh, slow-to-touch mmap pages).
    With bf16 logits the saved gradient is bf16, what the output projection's backward
    takes anyway.
    """

    @staticmethod
    def forward(
        ctx, logits: torch.Tensor, target: torch.Tensor, smoothing: float, grad: bool
    ):
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
