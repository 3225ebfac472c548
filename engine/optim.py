"""Optimizers, gradient clipping and learning-rate schedules (Sutskever et al. 2014)."""

from __future__ import annotations

import math
from collections.abc import Iterable

import torch

from engine.config import TrainConfig


def make_optimizer(
    params: Iterable[torch.nn.Parameter], cfg: TrainConfig, device: torch.device
) -> torch.optim.Optimizer:
    """The optimizer ``cfg`` names: SGD without momentum (the paper's) or Adam.

    Fused on CPU and CUDA: one kernel per step instead of ~10 elementwise passes over
    the weights, and the kernel itself applies the clipping factor and skips
    non-finite steps (``clip_gradients``, ``Stepper.step``).
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
    optimizer: torch.optim.Optimizer,
    params: Iterable[torch.nn.Parameter],
    max_norm: float,
) -> torch.Tensor:
    """Clips the gradients' total 2-norm to ``max_norm`` for the next ``optimizer.step()``.

    The same update as ``torch.nn.utils.clip_grad_norm_``, one pass over the gradients
    cheaper with a fused optimizer: the factor goes to the fused kernel as its
    ``grad_scale`` (what ``GradScaler`` hands it), which divides each gradient as it reads
    it, instead of a separate in-place multiply. Other optimizers get the gradients
    scaled in place.

    Args:
        max_norm: the largest total norm; ``math.inf`` leaves the gradients as they are.
    Returns:
        the total norm before clipping (a 0-d tensor, on the gradients' device).
    """
    params = [p for p in params if p.grad is not None]
    norm = torch.nn.utils.get_total_norm([p.grad for p in params])
    if runs_fused(optimizer):
        # The fused kernels take a float32 scale, whatever the parameters' dtype.
        optimizer.grad_scale = (
            None
            if math.isinf(max_norm)
            else torch.clamp((norm + 1e-6) / max_norm, min=1.0).float()
        )
    elif not math.isinf(max_norm):
        torch.nn.utils.clip_grads_with_norm_(params, max_norm, norm)
    return norm


def scheduled_lr(
    cfg: TrainConfig, step: int, epoch: float, planned_steps: int, plateau_lr: float
) -> float:
    """The learning rate of the next step under ``cfg.lr_schedule``.

    Args:
        step: steps taken so far.
        epoch: epochs so far, fractional.
        planned_steps: the run's planned length (the warm-down ends there).
        plateau_lr: the rate the plateau schedule (or none) has reached.
    """
    if cfg.lr_schedule == "paper":  # halve every half epoch after `halve_after_epoch`
        over = epoch - cfg.halve_after_epoch
        halvings = int(over // 0.5) + 1 if over >= 0 else 0
        return cfg.lr * 0.5**halvings
    if cfg.lr_schedule == "warmdown":  # constant, then linear to zero at the end
        start = planned_steps * (1.0 - cfg.warmdown)
        if step < start:
            return cfg.lr
        return cfg.lr * max(planned_steps - step, 0) / max(planned_steps - start, 1.0)
    return plateau_lr
