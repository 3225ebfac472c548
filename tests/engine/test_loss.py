"""The training loss: masked, label-smoothed cross-entropy and its closed-form gradient."""

from __future__ import annotations

import math

import pytest
import torch
from torch.nn import functional as F

from engine.loss import LOSS_ROWS, _SmoothedCrossEntropy, sequence_loss
from engine.tokenizer import PAD


def test_padding_never_counts_in_the_loss():
    torch.manual_seed(0)
    logits = torch.randn(2, 5, 7)
    target = torch.tensor([[4, 5, 6, PAD, PAD], [4, 5, 6, 4, 5]])
    _, nll = sequence_loss(logits, target)
    changed = logits.clone()
    changed[0, 3:] = torch.randn(2, 7) * 100  # garbage at padded positions
    _, nll2 = sequence_loss(changed, target)
    assert torch.equal(nll, nll2)
    assert torch.equal(sequence_loss(logits, target)[0], nll)  # no smoothing by default
    manual = -torch.log_softmax(logits, -1).gather(-1, target.unsqueeze(-1)).squeeze(-1)
    assert math.isclose(float(nll), float(manual[target != PAD].sum()), rel_tol=1e-6)


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
@pytest.mark.parametrize(
    "rows", [6, 2 * LOSS_ROWS + 88]
)  # one slice; several, last short
@pytest.mark.parametrize("weights", [(1.0, 0.0), (0.0, 1.0), (1.0, 0.5)])
def test_loss_and_its_gradient_match_pytorch_cross_entropy(smoothing, rows, weights):
    torch.manual_seed(0)
    logits = torch.randn(rows, 11, requires_grad=True)
    target = torch.randint(4, 11, (rows,))
    w_loss, w_nll = weights  # a zero weight leaves that output out of the graph
    loss, nll = sequence_loss(logits, target, smoothing)
    sum(w * out for w, out in zip(weights, (loss, nll)) if w).backward()
    ours = logits.grad.clone()
    logits.grad = None
    expected = F.cross_entropy(
        logits, target, label_smoothing=smoothing, reduction="sum"
    )
    expected_nll = F.cross_entropy(logits, target, reduction="sum")
    (w_loss * expected + w_nll * expected_nll).backward()
    assert torch.allclose(loss, expected) and torch.allclose(nll, expected_nll)
    assert torch.allclose(ours, logits.grad, atol=1e-6)


def test_bf16_logits_get_a_bf16_gradient_close_to_float32():
    torch.manual_seed(0)
    logits = torch.randn(300, 50)
    target = torch.randint(4, 50, (300,))
    grads = {}
    for dtype in (torch.float32, torch.bfloat16):
        x = logits.to(dtype, copy=True).requires_grad_()
        loss, _ = sequence_loss(x, target, 0.1)
        assert loss.dtype == torch.float32  # the sums are never taken in bf16
        loss.backward()
        grads[dtype] = x.grad
    assert grads[torch.bfloat16].dtype == torch.bfloat16
    assert torch.allclose(
        grads[torch.bfloat16].float(), grads[torch.float32], atol=4e-3
    )


def test_closed_form_loss_gradient_passes_gradcheck():
    logits = torch.randn(4, 9, dtype=torch.double, requires_grad=True)
    target = torch.tensor([1, 8, 4, 4])
    assert torch.autograd.gradcheck(
        lambda x: _SmoothedCrossEntropy.apply(x, target, 0.2, True), (logits,)
    )
