r"""Worked examples: a correct and a buggy loss for each kind, and what the checker says.

Each function is written the way projects write these losses (``torch.nn.functional``, no
gantheory). The correct ones pass :func:`~gantheory.testing.conformance.check_loss` in float64
and computed in float32; each buggy one fails, and its Examples show the report's failures and
the hint that names the bug. The documentation page of the checker shows them side by side.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

Critic = Callable[[torch.Tensor], torch.Tensor]


# -- WGAN-GP --------------------------------------------------------------------------------------
def _interpolate(real: torch.Tensor, fake: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    return (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(True)


def _per_sample_shape(real: torch.Tensor) -> tuple[int, ...]:
    return (real.shape[0], *([1] * (real.ndim - 1)))  # (N, 1, ..., 1)


def _input_gradient(critic: Critic, x: torch.Tensor) -> torch.Tensor:
    (grad,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return grad


def wgan_gp(critic: Critic, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    r"""Correct WGAN-GP, :math:`10\,\mathbb E[(\|\nabla f(\hat x_i)\| - 1)^2]`: one
    :math:`\epsilon` per sample, drawn in float32 as ``torch.rand`` does by default.

    Examples
    --------
    >>> from gantheory.testing import check_loss
    >>> check_loss(wgan_gp, "gradient_penalty").passed
    True
    """
    eps = torch.rand(_per_sample_shape(real))  # float32, one per sample
    grad = _input_gradient(critic, _interpolate(real, fake, eps))
    return 10 * (grad.flatten(1).norm(dim=1) - 1).pow(2).mean()


def wgan_gp_whole_batch_norm(critic: Critic, real: torch.Tensor,
                             fake: torch.Tensor) -> torch.Tensor:
    """Bug: one gradient norm for the whole batch.

    Examples
    --------
    >>> from gantheory.testing import check_loss
    >>> report = check_loss(wgan_gp_whole_batch_norm, "gradient_penalty")
    >>> report.failures
    ('per-sample gradient norm', 'differentiable in the critic', 'reduction')
    >>> "-- it is the whole-batch norm" in report["per-sample gradient norm"].detail
    True
    """
    eps = torch.rand(_per_sample_shape(real), dtype=real.dtype)
    grad = _input_gradient(critic, _interpolate(real, fake, eps))
    return 10 * (grad.norm() - 1) ** 2


def wgan_gp_norm_over_channels(critic: Critic, real: torch.Tensor,
                               fake: torch.Tensor) -> torch.Tensor:
    """Bug: ``norm(2, dim=1)`` of an image-shaped gradient, a norm over the channels only.

    Right for flat ``(N, D)`` samples, wrong for ``(N, C, H, W)`` images.

    Examples
    --------
    >>> from gantheory.testing import check_loss
    >>> report = check_loss(wgan_gp_norm_over_channels, "gradient_penalty")
    >>> report.failures
    ('per-sample gradient norm', 'differentiable in the critic')
    >>> print(report["per-sample gradient norm"].detail)  # doctest: +ELLIPSIS
    sample shape (1, 5, 5): ... it is a norm over dim=1 only of the (64, 1, 5, 5) gradient ...
    >>> check_loss(wgan_gp_norm_over_channels, "gradient_penalty", sample_shape=(6,)).passed
    True
    """
    eps = torch.rand(_per_sample_shape(real), dtype=real.dtype)
    grad = _input_gradient(critic, _interpolate(real, fake, eps))
    return 10 * (grad.norm(2, dim=1) - 1).pow(2).mean()


def wgan_gp_one_epsilon(critic: Critic, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """Bug: one interpolation coefficient for the whole batch.

    Examples
    --------
    >>> from gantheory.testing import check_loss
    >>> report = check_loss(wgan_gp_one_epsilon, "gradient_penalty")
    >>> report.failures
    ('one epsilon per sample',)
    >>> "one epsilon for the whole batch" in report["one epsilon per sample"].detail
    True
    """
    eps = torch.rand((), dtype=real.dtype)
    grad = _input_gradient(critic, _interpolate(real, fake, eps))
    return 10 * (grad.flatten(1).norm(dim=1) - 1).pow(2).mean()


def wgan_gp_epsilon_per_element(critic: Critic, real: torch.Tensor,
                                fake: torch.Tensor) -> torch.Tensor:
    """Bug: one interpolation coefficient per element: the points leave the segments.

    Examples
    --------
    >>> from gantheory.testing import check_loss
    >>> report = check_loss(wgan_gp_epsilon_per_element, "gradient_penalty")
    >>> report.failures
    ('one epsilon per sample',)
    >>> "one epsilon per element" in report["one epsilon per sample"].detail
    True
    """
    eps = torch.rand(real.shape, dtype=real.dtype)
    grad = _input_gradient(critic, _interpolate(real, fake, eps))
    return 10 * (grad.flatten(1).norm(dim=1) - 1).pow(2).mean()


# -- R1 -------------------------------------------------------------------------------------------
def r1(discriminator: Critic, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    r"""Correct R1, :math:`\tfrac\gamma2\,\mathbb E\|\nabla D(x_i)\|^2` at the real points,
    :math:`\gamma = 10`.

    Examples
    --------
    >>> from gantheory.testing import check_loss
    >>> check_loss(r1, "r1_penalty").passed
    True
    """
    x = real.detach().requires_grad_(True)
    return 5 * _input_gradient(discriminator, x).pow(2).flatten(1).sum(dim=1).mean()


def r1_on_fake(discriminator: Critic, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """Bug: R1 taken at the generated points (that is R2).

    Examples
    --------
    >>> from gantheory.testing import check_loss
    >>> report = check_loss(r1_on_fake, "r1_penalty")
    >>> report.failures
    ('at the real points',)
    >>> "at the fake points: that is R2, not R1" in report["at the real points"].detail
    True
    """
    x = fake.detach().requires_grad_(True)
    return 5 * _input_gradient(discriminator, x).pow(2).flatten(1).sum(dim=1).mean()


# -- hinge ----------------------------------------------------------------------------------------
def hinge_d(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    r"""Correct hinge D loss, :math:`\mathbb E[\max(0, 1 - \ell_r)] + \mathbb E[\max(0, 1 +
    \ell_f)]`.

    Examples
    --------
    >>> from gantheory.testing import check_loss
    >>> check_loss(hinge_d, "hinge_d").passed
    True
    """
    return F.relu(1 - real_logits).mean() + F.relu(1 + fake_logits).mean()


def hinge_d_without_margin(real_logits: torch.Tensor,
                           fake_logits: torch.Tensor) -> torch.Tensor:
    """Bug: the hinge without its margin.

    Examples
    --------
    >>> from gantheory.testing import check_loss
    >>> report = check_loss(hinge_d_without_margin, "hinge_d")
    >>> report.failures
    ('value at D*', 'margin')
    >>> print(report["margin"].detail)  # doctest: +ELLIPSIS
    inside the margin (real 0.5, fake -0.5): loss 0 (1), ... -- no margin: max(0, -l) where ...
    """
    return F.relu(-real_logits).mean() + F.relu(fake_logits).mean()


# -- Wasserstein ----------------------------------------------------------------------------------
def wasserstein_critic(real_scores: torch.Tensor, fake_scores: torch.Tensor) -> torch.Tensor:
    r"""Correct WGAN critic loss, :math:`\mathbb E_g[f] - \mathbb E_\text{data}[f]`.

    Examples
    --------
    >>> from gantheory.testing import check_loss
    >>> check_loss(wasserstein_critic, "wasserstein_critic").passed
    True
    """
    return fake_scores.mean() - real_scores.mean()


def wasserstein_g_flipped(fake_scores: torch.Tensor) -> torch.Tensor:
    """Bug: the generator's sign flipped while the critic's is not.

    A project that flips both declares ``scale=-1`` for both and passes.

    Examples
    --------
    >>> from gantheory.testing import check_loss
    >>> report = check_loss(wasserstein_g_flipped, "wasserstein_g")
    >>> report.failures
    ('value at D*', 'direction')
    >>> print(report["value at D*"].detail)  # doctest: +ELLIPSIS
    -1.16... exactly -1x the reference: pass scale=-1 if that is intended (and the same ...)
    >>> flipped_critic = lambda real, fake: real.mean() - fake.mean()
    >>> check_loss(flipped_critic, "wasserstein_critic", scale=-1).passed
    True
    """
    return fake_scores.mean()


# -- LSGAN ----------------------------------------------------------------------------------------
def lsgan_d(real_out: torch.Tensor, fake_out: torch.Tensor) -> torch.Tensor:
    r"""Correct LSGAN D loss written with ``mse_loss`` (no 1/2: declare ``scale=2``).

    Examples
    --------
    >>> from gantheory.testing import check_loss
    >>> check_loss(lsgan_d, "lsgan_d").failures
    ('value at D*',)
    >>> check_loss(lsgan_d, "lsgan_d", scale=2).passed
    True
    """
    return (F.mse_loss(real_out, torch.ones_like(real_out))
            + F.mse_loss(fake_out, torch.zeros_like(fake_out)))


def lsgan_d_swapped_targets(real_out: torch.Tensor, fake_out: torch.Tensor) -> torch.Tensor:
    """Bug: the targets mixed up (real to 0, fake to 1).

    Examples
    --------
    >>> from gantheory.testing import check_loss
    >>> report = check_loss(lsgan_d_swapped_targets, "lsgan_d", scale=2)
    >>> report.failures
    ('value at D*', 'targets')
    >>> report["targets"].detail.endswith("targets are swapped: real must go to 1, fake to 0")
    True
    """
    return (F.mse_loss(real_out, torch.zeros_like(real_out))
            + F.mse_loss(fake_out, torch.ones_like(fake_out)))


def lsgan_g_fake_target(fake_out: torch.Tensor) -> torch.Tensor:
    """Bug: the generator pushed to the discriminator's fake label 0.

    Examples
    --------
    >>> from gantheory.testing import check_loss
    >>> report = check_loss(lsgan_g_fake_target, "lsgan_g")
    >>> report.failures
    ('value at D*', 'targets')
    >>> "your generator's target is 0" in report["targets"].detail
    True
    """
    return 0.5 * fake_out.pow(2).mean()


# -- minimax, float32 and (N, 1) logits -----------------------------------------------------------
def bce_d_float32_targets(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """Correct minimax D loss with float32 targets of shape (N, 1): torch computes in float32.

    Examples
    --------
    >>> from gantheory.testing import check_loss
    >>> check_loss(bce_d_float32_targets, "minimax_d", sample_shape=(1,)).passed
    True
    >>> print(check_loss(bce_d_float32_targets, "minimax_d")["value at D*"].detail)
    ... # doctest: +ELLIPSIS
    raised ValueError: Target size ... works with logits of shape (N, 1): pass sample_shape=(1,)
    """
    n = real_logits.shape[0]
    return (F.binary_cross_entropy_with_logits(real_logits, torch.ones(n, 1))
            + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros(n, 1)))
