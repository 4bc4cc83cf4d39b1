r"""Regularisers of the discriminator or critic, and the "add noise" remedies.

Every gradient penalty here takes **one gradient norm per sample** (and, for WGAN-GP, one
interpolation coefficient per sample), then averages over the batch: the whole-batch norm
:math:`\|\nabla_X \sum_i f(x_i)\|` of a flattened batch is a different (and wrong) quantity.

* :func:`gradient_penalty` (WGAN-GP, Gulrajani et al. 2017):
  :math:`\lambda\,\mathbb E_{\hat x}[(\|\nabla f(\hat x)\| - k)^2]`,
  :math:`\hat x = \epsilon x + (1 - \epsilon)\tilde x`, :math:`\epsilon \sim U[0, 1]` per sample;
  ``one_sided=True`` penalises only :math:`\|\nabla f\| > k`.
* :func:`r1_penalty`, :func:`r2_penalty` (Mescheder et al. 2018):
  :math:`\tfrac\gamma2 \mathbb E[\|\nabla D\|^2]` at real, respectively generated, points.
* :func:`dragan_penalty` (Kodali et al. 2017): the gradient penalty at perturbed real points.
* :func:`clip_weights` (Arjovsky et al. 2017): the original WGAN's weight clipping.
* :func:`instance_noise_std`, :func:`add_instance_noise` (Sonderby et al. 2017; Arjovsky and
  Bottou 2017): Gaussian noise on both real and fake inputs, annealed to zero.
* :func:`smooth_labels`, :func:`flip_labels`: one-sided label smoothing (Salimans et al. 2016)
  and label flipping, for BCE-style targets.
* :func:`mismatched_labels`: negatives for a conditional discriminator, a real input paired
  with a wrong label (Reed et al. 2016).
"""

from __future__ import annotations

from collections.abc import Callable

import torch

Critic = Callable[[torch.Tensor], torch.Tensor]


def _check_batch(x: object, name: str) -> torch.Tensor:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor; got {type(x).__name__}")
    if not torch.is_floating_point(x):
        raise TypeError(f"{name} must be a floating-point tensor; got {x.dtype}")
    if x.ndim < 1 or x.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty batch with the batch on axis 0")
    return x


def per_sample_grad_norm(critic: Critic, x: torch.Tensor, name: str = "x") -> torch.Tensor:
    r""":math:`\|\nabla_x f(x_i)\|_2` for every sample, shape ``(N,)``, with a graph for backprop.

    ``x`` must require grad (pass a leaf made with ``requires_grad_()``): otherwise there is no
    gradient to penalise and a ValueError says so.
    """
    x = _check_batch(x, name)
    if not x.requires_grad:
        raise ValueError(
            f"{name} must require grad for a gradient penalty (call {name}.requires_grad_())"
        )
    out = critic(x)
    if out.ndim == 0 or out.shape[0] != x.shape[0]:
        raise ValueError(
            f"critic must return one output per sample; got {tuple(out.shape)} for a batch of "
            f"{x.shape[0]}"
        )
    (grad,) = torch.autograd.grad(out.sum(), x, create_graph=True)
    return grad.reshape(grad.shape[0], -1).norm(2, dim=1)


def gradient_penalty(
    critic: Critic,
    real: torch.Tensor,
    fake: torch.Tensor,
    *,
    weight: float = 10.0,
    target: float = 1.0,
    one_sided: bool = False,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    r"""WGAN-GP penalty at random interpolates, one :math:`\epsilon` and one norm per sample.

    .. math::

        \lambda\, \frac1N \sum_i \bigl(\|\nabla f(\hat x_i)\|_2 - k\bigr)^2, \qquad
        \hat x_i = \epsilon_i x_i + (1 - \epsilon_i) \tilde x_i,\ \epsilon_i \sim U[0, 1];

    with ``one_sided=True`` the square is of :math:`\max(0, \|\nabla f\| - k)`. Gulrajani et al.
    2017, Algorithm 1 (:math:`\lambda = 10`, :math:`k = 1`).

    Examples
    --------
    >>> import torch
    >>> real, fake = torch.randn(8, 3), torch.randn(8, 3)
    >>> linear = lambda x: x @ torch.tensor([3.0, 0.0, 4.0])  # gradient norm 5 everywhere
    >>> float(gradient_penalty(linear, real, fake, weight=1.0))  # (5 - 1)^2
    16.0
    """
    real = _check_batch(real, "real")
    fake = _check_batch(fake, "fake")
    if real.shape != fake.shape:
        raise ValueError(
            f"real and fake must have the same shape; got {tuple(real.shape)} and "
            f"{tuple(fake.shape)}"
        )
    shape = (real.shape[0],) + (1,) * (real.ndim - 1)
    eps = torch.rand(shape, generator=generator, dtype=real.dtype).to(real.device)
    mixed = (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(True)
    gap = per_sample_grad_norm(critic, mixed, "interpolates") - target
    if one_sided:
        gap = gap.clamp(min=0)
    return weight * gap.pow(2).mean()


def r1_penalty(discriminator: Critic, real: torch.Tensor, *, gamma: float = 10.0) -> torch.Tensor:
    r"""R1 regulariser :math:`\tfrac\gamma2 \frac1N \sum_i \|\nabla D(x_i)\|^2` at real points.

    Mescheder, Geiger and Nowozin 2018, eq. (9). ``real`` must require grad.
    """
    return 0.5 * gamma * per_sample_grad_norm(discriminator, real, "real").pow(2).mean()


def r2_penalty(discriminator: Critic, fake: torch.Tensor, *, gamma: float = 10.0) -> torch.Tensor:
    r"""R2 regulariser :math:`\tfrac\gamma2 \frac1N \sum_i \|\nabla D(\tilde x_i)\|^2` at fakes.

    Mescheder, Geiger and Nowozin 2018, eq. (10). ``fake`` must require grad.
    """
    return 0.5 * gamma * per_sample_grad_norm(discriminator, fake, "fake").pow(2).mean()


def dragan_penalty(
    discriminator: Critic,
    real: torch.Tensor,
    *,
    weight: float = 10.0,
    scale: float = 0.5,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    r"""DRAGAN penalty :math:`\lambda\,\mathbb E[(\|\nabla D(x + \delta)\| - 1)^2]` near the data.

    :math:`\delta = c \cdot \operatorname{std}(x) \cdot u`, :math:`u \sim U[0, 1]` elementwise
    (Kodali et al. 2017, the reference implementation's perturbation).
    """
    real = _check_batch(real, "real").detach()
    noise = torch.rand(real.shape, generator=generator, dtype=real.dtype).to(real.device)
    perturbed = (real + scale * real.std() * noise).requires_grad_(True)
    return weight * (per_sample_grad_norm(discriminator, perturbed, "perturbed") - 1).pow(2).mean()


@torch.no_grad()
def clip_weights(module: torch.nn.Module, clip: float = 0.01) -> None:
    """Clamp every parameter of ``module`` to ``[-clip, clip]`` in place (the original WGAN)."""
    if clip <= 0:
        raise ValueError(f"clip must be positive; got {clip}")
    for parameter in module.parameters():
        parameter.clamp_(-clip, clip)


def instance_noise_std(step: int, total_steps: int, start: float = 1.0) -> float:
    r"""Linearly annealed instance-noise level :math:`\sigma_t = \sigma_0 \max(0, 1 - t/T)`.

    Examples
    --------
    >>> instance_noise_std(0, 100), instance_noise_std(50, 100), instance_noise_std(200, 100)
    (1.0, 0.5, 0.0)
    """
    if total_steps <= 0:
        raise ValueError(f"total_steps must be positive; got {total_steps}")
    if step < 0:
        raise ValueError(f"step must be >= 0; got {step}")
    return start * max(0.0, 1.0 - step / total_steps)


def add_instance_noise(
    x: torch.Tensor, std: float, generator: torch.Generator | None = None
) -> torch.Tensor:
    r""":math:`x + \sigma \xi`, :math:`\xi \sim \mathcal N(0, I)`: apply to real and fake alike."""
    x = _check_batch(x, "x")
    if std < 0:
        raise ValueError(f"std must be >= 0; got {std}")
    if std == 0:
        return x
    noise = torch.randn(x.shape, generator=generator, dtype=x.dtype).to(x.device)
    return x + std * noise


def smooth_labels(n: int, real_value: float = 0.9, *, like: torch.Tensor) -> torch.Tensor:
    """One-sided label smoothing: real targets ``real_value`` (fake targets stay 0)."""
    if not 0.5 < real_value <= 1.0:
        raise ValueError(f"real_value must lie in (0.5, 1]; got {real_value}")
    return torch.full((n,), real_value, dtype=like.dtype, device=like.device)


def flip_labels(
    targets: torch.Tensor, probability: float, generator: torch.Generator | None = None
) -> torch.Tensor:
    """Replace each 0/1 target by ``1 - target`` with the given probability."""
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"probability must lie in [0, 1]; got {probability}")
    flip = torch.rand(targets.shape, generator=generator).to(targets.device) < probability
    return torch.where(flip, 1 - targets, targets)


def mismatched_labels(
    labels: torch.Tensor, n_classes: int, generator: torch.Generator | None = None
) -> torch.Tensor:
    r"""A wrong label for every sample: :math:`(y + k) \bmod C`, :math:`k \sim U\{1, \dots, C-1\}`.

    Pair real inputs with these labels as extra negatives of a conditional discriminator
    ("real image, wrong text" in Reed et al. 2016).

    Examples
    --------
    >>> import torch
    >>> y = torch.tensor([0, 1, 2, 3])
    >>> bool((mismatched_labels(y, 4) != y).all())
    True
    """
    if labels.dtype not in (torch.int32, torch.int64):
        raise TypeError(f"labels must be an integer tensor; got {labels.dtype}")
    if n_classes < 2:
        raise ValueError(f"n_classes must be >= 2; got {n_classes}")
    shift = torch.randint(1, n_classes, labels.shape, generator=generator).to(labels.device)
    return (labels + shift) % n_classes
