"""Optimizers and gradient clipping: the fused kernel's clipping updates as PyTorch's does."""

from __future__ import annotations

import math

import pytest
import torch

from engine.optim import clip_gradients, runs_fused


def _clipped_steps(optimizer_for, clip):
    """Three steps of gradients 100, 0.5 and 30 in norm; clipping by ``clip(opt, params)``."""
    torch.manual_seed(0)
    params = [
        torch.nn.Parameter(torch.randn(40, 30)),
        torch.nn.Parameter(torch.randn(30)),
    ]
    optimizer = optimizer_for(params)
    norms = []
    for size in (100.0, 0.5, 30.0):
        grads = [torch.randn_like(p) for p in params]
        total = torch.linalg.vector_norm(torch.cat([g.flatten() for g in grads]))
        for p, g in zip(params, grads):
            p.grad = g * (size / total)
        norms.append(float(clip(optimizer, params)))
        optimizer.step()
    return [p.detach() for p in params], norms


@pytest.mark.parametrize(
    "optimizer_for",
    [
        lambda ps: torch.optim.Adam(ps, lr=0.1, fused=True),
        lambda ps: torch.optim.Adam(ps, lr=0.1),
        lambda ps: torch.optim.SGD(ps, lr=0.1, fused=True),
        lambda ps: torch.optim.SGD(ps, lr=0.1),
    ],
    ids=["fused-adam", "adam", "fused-sgd", "sgd"],
)
def test_clip_gradients_updates_as_clip_grad_norm_does(optimizer_for):
    def theirs(opt, ps):
        return torch.nn.utils.clip_grad_norm_(ps, 1.0)

    def ours(opt, ps):
        return clip_gradients(opt, ps, 1.0)

    def unclipped(opt, ps):
        return clip_gradients(opt, ps, math.inf)

    expected, expected_norms = _clipped_steps(optimizer_for, theirs)
    got, norms = _clipped_steps(optimizer_for, ours)
    free, free_norms = _clipped_steps(optimizer_for, unclipped)
    assert norms == pytest.approx([100.0, 0.5, 30.0], rel=1e-5) == expected_norms
    assert free_norms == pytest.approx(norms, rel=1e-5)
    for e, g, f in zip(expected, got, free):
        torch.testing.assert_close(g, e, rtol=1e-5, atol=1e-6)
        assert (g - f).abs().max() > 1e-3  # clipping changed the update


def test_an_optimizer_loaded_from_an_unfused_state_clips_in_place():
    """A run saved before SGD was fused resumes into a fused SGD whose groups the saved
    state turns back to unfused: clipping must then scale the gradients itself."""
    torch.manual_seed(0)
    param = torch.nn.Parameter(torch.zeros(10))
    fused = torch.optim.SGD([param], lr=1.0, fused=True)
    assert runs_fused(fused)
    fused.load_state_dict(torch.optim.SGD([param], lr=1.0).state_dict())
    assert not runs_fused(fused)
    param.grad = torch.full((10,), 10.0)  # norm ~31.6
    norm = clip_gradients(fused, [param], 1.0)
    fused.step()
    assert float(norm) == pytest.approx(10 * 10**0.5)
    assert float(torch.linalg.vector_norm(param.detach())) == pytest.approx(
        1.0, rel=1e-5
    )
