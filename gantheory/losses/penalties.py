r"""Regularisers of the discriminator or critic, and the "add noise" remedies.

Every gradient penalty here takes **one gradient norm per sample** (and, for WGAN-GP, one
interpolation coefficient per sample), then the **mean over the batch**: the whole-batch norm
:math:`\|\nabla_X \sum_i f(x_i)\|` of a flattened batch is a different (and wrong) quantity,
:math:`\sqrt N` times too large for a linear critic.

=========================================  ========================================================
:func:`gradient_penalty`                   WGAN-GP (Gulrajani et al. 2017):
                                           :math:`\lambda\,\mathbb E_{\hat x}[(\|\nabla f(\hat
                                           x)\| - k)^2]` at random interpolates, optionally
                                           one-sided
:func:`r1_penalty`, :func:`r2_penalty`     :math:`\tfrac\gamma2 \mathbb E[\|\nabla D\|^2]` at real,
                                           respectively generated, points (Mescheder et al. 2018)
:func:`dragan_penalty`                     the gradient penalty at perturbed real points (Kodali
                                           et al. 2017)
:func:`per_sample_grad_norm`               :math:`\|\nabla_x f(x_i)\|` for each sample
:func:`clip_weights`                       the original WGAN's weight clipping (Arjovsky et al.
                                           2017)
:func:`instance_noise_std`,                Gaussian noise on real and fake inputs, annealed to
:func:`add_instance_noise`                 zero (Sonderby et al. 2017; Arjovsky and Bottou 2017)
:func:`smooth_labels`,                     one-sided label smoothing (Salimans et al. 2016) and
:func:`flip_labels`                        label flipping, targets for
                                           :func:`~gantheory.losses.gan.bce_d_loss`
:func:`mismatched_labels`,                 negatives of a conditional discriminator: a real input
:func:`mismatched_conditions`              with a wrong label or condition (Reed et al. 2016)
=========================================  ========================================================

Random draws take an optional ``torch.Generator``; they are made on the generator's device
(the input's device without one) and moved to the input's device.

The critic (or discriminator) of a gradient penalty must be **differentiable in its input**:
one that detaches its input, leaves autograd (``.item()``, numpy) or runs under
``torch.no_grad()`` has no gradient in :math:`x` to penalise, and the penalty raises a
ValueError naming the critic ("critic must be differentiable in its input"; the
discriminator of :func:`r1_penalty`, :func:`r2_penalty` and :func:`dragan_penalty` is called
the critic in the messages). **Non-finite inputs** raise ValueError unless ``check_finite=False``
(the policy of :mod:`gantheory.losses`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from gantheory.losses import _checks

Critic = Callable[[torch.Tensor], torch.Tensor]


def _draw(kind: str, shape: tuple[int, ...], like: torch.Tensor,
          generator: torch.Generator | None) -> torch.Tensor:
    """``torch.rand`` or ``torch.randn`` of ``shape`` in ``like``'s dtype, on ``like``'s device."""
    generator = _checks.generator(generator)
    device = like.device if generator is None else generator.device
    dtype = like.dtype if like.dtype in (torch.float32, torch.float64) else torch.float32
    fn = torch.rand if kind == "uniform" else torch.randn
    return fn(shape, generator=generator, dtype=dtype, device=device).to(like.device, like.dtype)


def per_sample_grad_norm(critic: Critic, x: torch.Tensor, name: str = "x", *,
                         check_finite: bool = True) -> torch.Tensor:
    r""":math:`\|\nabla_x f(x_i)\|_2` for every sample, with a graph for backpropagation.

    .. math:: n_i = \Bigl(\sum_d \bigl(\partial f(x_i)/\partial x_{i,d}\bigr)^2\Bigr)^{1/2}

    The critic must map a batch to one output per sample (shape ``(N,)`` or ``(N, 1)``); as
    samples do not interact, :math:`\nabla_X \sum_i f(x_i)` holds every per-sample gradient in
    its rows. The norm is taken in float32 at least.

    Parameters
    ----------
    critic : callable
        The critic or discriminator, ``(N, ...) -> (N,)`` or ``(N, 1)``, differentiable in its
        input (a critic that detaches it raises ValueError).
    x : torch.Tensor, shape (N, ...)
        Points that require grad.
    name : str
        The argument's name in error messages.
    check_finite : bool
        Non-finite inputs raise ValueError unless ``check_finite=False`` (see
        :mod:`gantheory.losses`).

    Returns
    -------
    torch.Tensor, shape (N,)

    Examples
    --------
    >>> import torch
    >>> x = torch.tensor([[3.0, 4.0], [0.0, 1.0]], requires_grad=True)
    >>> per_sample_grad_norm(lambda t: 0.5 * (t**2).sum(dim=1), x).tolist()  # |x_i|
    [5.0, 1.0]
    """
    x = _checks.tensor(x, name, finite=_checks.flag(check_finite, "check_finite"))
    return _grad_norm(critic, _checks.requires_grad(x, name), name)


def _grad_norm(critic: object, x: torch.Tensor, name: str) -> torch.Tensor:
    """:func:`per_sample_grad_norm` of a checked ``x``; messages call the function ``critic``."""
    if not callable(critic):
        raise TypeError(f"critic must be callable, (N, ...) -> (N,); got "
                        f"{type(critic).__name__}")
    out = critic(x)
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"critic must return a torch.Tensor; got {type(out).__name__}")
    if not torch.is_floating_point(out):
        raise TypeError(f"critic must return a floating-point tensor; got {out.dtype}")
    if out.ndim == 0 or out.shape[0] != x.shape[0] or out.numel() != x.shape[0]:
        raise ValueError(
            f"critic must return one output per sample, shape (N,) or (N, 1); got "
            f"{tuple(out.shape)} for a batch of {x.shape[0]}"
        )
    unused = not out.requires_grad
    if not unused:
        (grad,) = torch.autograd.grad(out.sum(), x, create_graph=True, allow_unused=True)
        unused = grad is None
    if unused:
        raise ValueError(
            f"critic must be differentiable in its input: its output has no gradient "
            f"in {name} (does it detach its input, leave autograd through .item() or numpy, "
            "or run under torch.no_grad()?)"
        )
    grad = _checks.upcast(grad).reshape(grad.shape[0], -1)  # (N, D)
    return torch.linalg.vector_norm(grad, ord=2, dim=1)


def gradient_penalty(
    critic: Critic,
    real: torch.Tensor,
    fake: torch.Tensor,
    *,
    weight: float = 10.0,
    target: float = 1.0,
    one_sided: bool = False,
    generator: torch.Generator | None = None,
    check_finite: bool = True,
) -> torch.Tensor:
    r"""WGAN-GP penalty at random interpolates, one :math:`\epsilon` and one norm per sample.

    .. math::

        \lambda\, \frac1N \sum_i \bigl(\|\nabla f(\hat x_i)\|_2 - k\bigr)^2, \qquad
        \hat x_i = \epsilon_i x_i + (1 - \epsilon_i) \tilde x_i,\ \epsilon_i \sim U[0, 1]

    with ``one_sided=True`` the square is of :math:`\max(0, \|\nabla f\| - k)` (Petzka et al.
    2018's one-sided variant). Gulrajani et al. 2017, Algorithm 1 (:math:`\lambda = 10`,
    :math:`k = 1`). Mean over the batch.

    Parameters
    ----------
    critic : callable
        ``(N, ...) -> (N,)`` or ``(N, 1)``, differentiable in its input (a critic that detaches
        its input raises ValueError).
    real, fake : torch.Tensor, shape (N, ...)
        Real and generated batches of one shape; both are detached (the penalty trains the
        critic only).
    weight : float
        :math:`\lambda \ge 0`.
    target : float
        The target norm :math:`k \ge 0`.
    one_sided : bool
        Penalise only norms above :math:`k`.
    generator : torch.Generator, optional
        Source of the :math:`\epsilon_i`.
    check_finite : bool
        Non-finite inputs raise ValueError unless ``check_finite=False`` (see
        :mod:`gantheory.losses`).

    Returns
    -------
    torch.Tensor
        A scalar, differentiable in the critic's parameters.

    Examples
    --------
    >>> import torch
    >>> real, fake = torch.randn(8, 3), torch.randn(8, 3)
    >>> linear = lambda x: x @ torch.tensor([3.0, 0.0, 4.0])  # gradient norm 5 everywhere
    >>> float(gradient_penalty(linear, real, fake, weight=1.0))  # (5 - 1)^2
    16.0
    >>> gradient_penalty(lambda x: linear(x.detach()), real, fake)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: critic must be differentiable in its input: ...
    """
    check = _checks.flag(check_finite, "check_finite")
    real = _checks.tensor(real, "real", finite=check)
    fake = _checks.tensor(fake, "fake", finite=check)
    _checks.same_shape(real, fake, ("real", "fake"))
    weight = _checks.number(weight, "weight", minimum=0.0)
    target = _checks.number(target, "target", minimum=0.0)
    one_sided = _checks.flag(one_sided, "one_sided")
    shape = (real.shape[0],) + (1,) * (real.ndim - 1)
    eps = _draw("uniform", shape, real, generator)  # (N, 1, ..., 1): one per sample
    mixed = (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(True)
    gap = _grad_norm(critic, mixed, "interpolates") - target  # (N,)
    if one_sided:
        gap = gap.clamp(min=0)
    return weight * gap.pow(2).mean()


def r1_penalty(discriminator: Critic, real: torch.Tensor, *, gamma: float = 10.0,
               check_finite: bool = True) -> torch.Tensor:
    r"""R1 regulariser at real points, per-sample norms, mean over the batch.

    .. math:: R_1 = \frac\gamma2 \frac1N \sum_i \|\nabla_x D(x_i)\|^2

    Mescheder, Geiger and Nowozin 2018, eq. (9) (on the logit). ``real`` must require grad, and
    ``discriminator`` must be differentiable in it. Non-finite inputs raise ValueError unless
    ``check_finite=False``.

    Examples
    --------
    >>> import torch
    >>> x = torch.tensor([[3.0, 4.0], [0.0, 1.0]], requires_grad=True)
    >>> r1_penalty(lambda t: 0.5 * (t**2).sum(dim=1), x, gamma=2.0).item()  # (25 + 1) / 2
    13.0
    """
    return _r_penalty(discriminator, real, "real", gamma, check_finite)


def r2_penalty(discriminator: Critic, fake: torch.Tensor, *, gamma: float = 10.0,
               check_finite: bool = True) -> torch.Tensor:
    r"""R2 regulariser at generated points, per-sample norms, mean over the batch.

    .. math:: R_2 = \frac\gamma2 \frac1N \sum_i \|\nabla_x D(\tilde x_i)\|^2

    Mescheder, Geiger and Nowozin 2018, eq. (10). ``fake`` must require grad (detach it from the
    generator first: ``fake.detach().requires_grad_()``), and ``discriminator`` must be
    differentiable in it. Non-finite inputs raise ValueError unless ``check_finite=False``.

    Examples
    --------
    >>> import torch
    >>> x = torch.ones(4, 2, requires_grad=True)
    >>> float(r2_penalty(lambda t: t.sum(dim=1), x, gamma=1.0))  # |(1, 1)|^2 / 2
    1.0
    """
    return _r_penalty(discriminator, fake, "fake", gamma, check_finite)


def _r_penalty(discriminator: object, x: object, name: str, gamma: object,
               check_finite: object) -> torch.Tensor:
    r""":math:`\tfrac\gamma2 \frac1N \sum_i \|\nabla D(x_i)\|^2` of R1 (at real) or R2 (fake)."""
    x = _checks.tensor(x, name, finite=_checks.flag(check_finite, "check_finite"))
    gamma = _checks.number(gamma, "gamma", minimum=0.0)
    norms = _grad_norm(discriminator, _checks.requires_grad(x, name), name)
    return 0.5 * gamma * norms.pow(2).mean()


def dragan_penalty(
    discriminator: Critic,
    real: torch.Tensor,
    *,
    weight: float = 10.0,
    scale: float = 0.5,
    target: float = 1.0,
    generator: torch.Generator | None = None,
    check_finite: bool = True,
) -> torch.Tensor:
    r"""DRAGAN penalty near the data, per-sample norms, mean over the batch.

    .. math::

        \lambda\, \frac1N \sum_i \bigl(\|\nabla D(x_i + \alpha_i \delta_i)\| - k\bigr)^2,
        \qquad \delta_i = c\, \operatorname{std}(X)\, u_i,\ u_i \sim U[0, 1]^d,\
        \alpha_i \sim U[0, 1]

    The perturbation of Kodali et al.'s reference implementation of DRAGAN (2017): a point on
    the segment from :math:`x_i` to a perturbed copy, one :math:`\alpha_i` per sample,
    ``std`` over the whole batch, :math:`c = 0.5`. (The paper's text writes
    :math:`\delta \sim N(0, cI)` instead.) ``real`` needs two or more samples for its std;
    ``discriminator`` must be differentiable in its input. Non-finite inputs raise ValueError
    unless ``check_finite=False``.

    Examples
    --------
    >>> import torch
    >>> linear = lambda x: 2.0 * x[:, 0]  # gradient norm 2 everywhere
    >>> float(dragan_penalty(linear, torch.randn(5, 3), weight=1.0))  # (2 - 1)^2
    1.0
    """
    real = _checks.tensor(real, "real", finite=_checks.flag(check_finite, "check_finite"))
    real = real.detach()
    weight = _checks.number(weight, "weight", minimum=0.0)
    scale = _checks.number(scale, "scale", minimum=0.0)
    target = _checks.number(target, "target", minimum=0.0)
    if real.shape[0] < 2:
        raise ValueError("real must hold at least 2 samples (the perturbation uses their std)")
    noise = _draw("uniform", tuple(real.shape), real, generator)
    alpha = _draw("uniform", (real.shape[0],) + (1,) * (real.ndim - 1), real, generator)
    perturbed = (real + alpha * scale * real.std() * noise).requires_grad_(True)
    gap = _grad_norm(discriminator, perturbed, "perturbed") - target
    return weight * gap.pow(2).mean()


@torch.no_grad()
def clip_weights(module: torch.nn.Module, clip: float = 0.01) -> None:
    """Clamp every parameter of ``module`` to ``[-clip, clip]`` in place (the original WGAN).

    Arjovsky, Chintala and Bottou 2017, Algorithm 1 (:math:`c = 0.01`), applied after every
    critic step. It bounds the Lipschitz constant crudely; :func:`gradient_penalty` is the
    usual replacement.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Linear(2, 1)
    >>> clip_weights(net, 0.01)
    >>> float(net.weight.detach().abs().max()) <= 0.01
    True
    """
    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"module must be a torch.nn.Module; got {type(module).__name__}")
    clip = _checks.number(clip, "clip", minimum=0.0, strict=True)
    for parameter in module.parameters():
        parameter.clamp_(-clip, clip)


def instance_noise_std(step: int, total_steps: int, start: float = 1.0, *,
                       schedule: str = "linear") -> float:
    r"""Annealed instance-noise level :math:`\sigma_t`, from :math:`\sigma_0` to 0 at step T.

    .. math::

        \sigma_t = \sigma_0 \max(0, 1 - t/T) \ \ (\text{linear}), \qquad
        \sigma_t = \sigma_0 \bigl(\tfrac12 + \tfrac12 \cos(\pi \min(t, T)/T)\bigr)
        \ \ (\text{cosine}).

    Noise of this size is added to real and fake inputs alike (:func:`add_instance_noise`):
    it makes the two distributions overlap, so the optimal discriminator stays smooth and the
    generator's gradient informative (Arjovsky and Bottou 2017, Sec. 3; Sonderby et al. 2017).

    **Past the end** (:math:`t > T`) the level stays 0 on purpose, for both schedules: the
    annealing is over and training may go on without noise (a run resumed or extended beyond
    ``total_steps`` needs no special case). A negative ``step`` raises ValueError.

    Parameters
    ----------
    step : int
        The training step :math:`t \ge 0` (any integer type: Python or numpy).
    total_steps : int
        The annealing length :math:`T \ge 1`.
    start : float
        :math:`\sigma_0 \ge 0`.
    schedule : {"linear", "cosine"}
        The shape of the decay.

    Returns
    -------
    float

    Examples
    --------
    >>> instance_noise_std(0, 100), instance_noise_std(50, 100), instance_noise_std(100, 100)
    (1.0, 0.5, 0.0)
    >>> round(instance_noise_std(50, 100, 2.0, schedule="cosine"), 12)
    1.0
    >>> instance_noise_std(200, 100), instance_noise_std(200, 100, schedule="cosine")  # done
    (0.0, 0.0)
    """
    total_steps = _checks.integer(total_steps, "total_steps", minimum=1)
    step = _checks.integer(step, "step", minimum=0)
    start = _checks.number(start, "start", minimum=0.0)
    frac = min(step, total_steps) / total_steps
    if schedule == "linear":
        return start * (1.0 - frac)
    if schedule == "cosine":
        return start * (0.5 + 0.5 * math.cos(math.pi * frac))
    raise ValueError(f"schedule must be 'linear' or 'cosine'; got {schedule!r}")


def add_instance_noise(
    x: torch.Tensor, std: float, generator: torch.Generator | None = None, *,
    check_finite: bool = True,
) -> torch.Tensor:
    r""":math:`x + \sigma \xi`, :math:`\xi \sim \mathcal N(0, I)`: apply to real and fake alike.

    Non-finite inputs raise ValueError unless ``check_finite=False``.

    Examples
    --------
    >>> import torch
    >>> x = torch.zeros(3, 2)
    >>> add_instance_noise(x, 0.0) is x
    True
    """
    x = _checks.tensor(x, "x", finite=_checks.flag(check_finite, "check_finite"))
    std = _checks.number(std, "std", minimum=0.0)
    if std == 0:
        return x
    return x + std * _draw("normal", tuple(x.shape), x, generator)


def smooth_labels(n: int, real_value: float = 0.9, *, like: torch.Tensor) -> torch.Tensor:
    """One-sided label smoothing: ``n`` real targets equal to ``real_value`` (fakes stay 0).

    Salimans et al. 2016, Sec. 3.4: smooth only the real targets; pass the result as
    ``real_targets`` of :func:`~gantheory.losses.gan.bce_d_loss`. The optimal discriminator is
    then ``real_value * p_data / (p_data + p_g)``.

    Examples
    --------
    >>> import torch
    >>> smooth_labels(2, like=torch.zeros(1)).tolist()
    [0.8999999761581421, 0.8999999761581421]
    """
    real_value = _checks.number(real_value, "real_value")
    if not 0.5 < real_value <= 1.0:
        raise ValueError(f"real_value must lie in (0.5, 1]; got {real_value}")
    n = _checks.integer(n, "n", minimum=1)
    like = _checks.like(like)
    return torch.full((n,), real_value, dtype=like.dtype, device=like.device)


def flip_labels(
    targets: torch.Tensor, probability: float, generator: torch.Generator | None = None, *,
    check_finite: bool = True,
) -> torch.Tensor:
    """Replace each target :math:`y` by :math:`1 - y` with the given probability.

    Non-finite inputs raise ValueError unless ``check_finite=False``.

    Examples
    --------
    >>> import torch
    >>> flip_labels(torch.ones(3), 1.0).tolist()
    [0.0, 0.0, 0.0]
    """
    targets = _checks.tensor(targets, "targets", finite=_checks.flag(check_finite, "check_finite"))
    probability = _checks.number(probability, "probability")
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"probability must lie in [0, 1]; got {probability}")
    flip = _draw("uniform", tuple(targets.shape), targets.float(), generator) < probability
    return torch.where(flip, 1 - targets, targets)


def _integer(labels: object, name: str) -> torch.Tensor:
    if not isinstance(labels, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor; got {type(labels).__name__}")
    if labels.dtype not in (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8):
        raise TypeError(f"{name} must be an integer tensor of class indices; got {labels.dtype}")
    return labels


def mismatched_labels(
    labels: torch.Tensor, n_classes: int, generator: torch.Generator | None = None
) -> torch.Tensor:
    r"""A wrong label for every sample: :math:`(y + k) \bmod C`, :math:`k \sim U\{1..C-1\}`.

    Uniform over the :math:`C - 1` wrong classes. Pair real inputs with these labels as extra
    negatives of a conditional discriminator ("real image, wrong text" of GAN-CLS, Reed et al.
    2016): the matching-aware loss is
    :math:`-\log D(x, y) - \tfrac12[\log(1 - D(x, \bar y)) + \log(1 - D(\tilde x, y))]`.

    Examples
    --------
    >>> import torch
    >>> y = torch.tensor([0, 1, 2, 3])
    >>> bool((mismatched_labels(y, 4) != y).all())
    True
    """
    labels = _integer(labels, "labels")
    n_classes = _checks.integer(n_classes, "n_classes", minimum=2)
    generator = _checks.generator(generator)
    if labels.numel() and (int(labels.min()) < 0 or int(labels.max()) >= n_classes):
        raise ValueError(f"labels must lie in [0, {n_classes - 1}]")
    device = labels.device if generator is None else generator.device
    shift = torch.randint(1, n_classes, tuple(labels.shape), generator=generator, device=device)
    return (labels + shift.to(labels.device, labels.dtype)) % n_classes


def mismatched_conditions(
    conditions: torch.Tensor, generator: torch.Generator | None = None
) -> torch.Tensor:
    r"""Conditions (e.g. text embeddings) of *other* samples: a random derangement of the batch.

    Row :math:`i` of the result is row :math:`\pi(i) \ne i`, with :math:`\pi` a random cyclic
    permutation. For continuous conditions, where :func:`mismatched_labels` does not apply (Reed
    et al. 2016 pair an image with another image's caption). Two samples with equal conditions
    can still meet; with classes use :func:`mismatched_labels`.

    Examples
    --------
    >>> import torch
    >>> c = torch.arange(5.0)[:, None]
    >>> bool((mismatched_conditions(c) != c).all())
    True
    """
    if not isinstance(conditions, torch.Tensor):
        raise TypeError(f"conditions must be a torch.Tensor; got {type(conditions).__name__}")
    n = conditions.shape[0] if conditions.ndim else 0
    if n < 2:
        raise ValueError(f"conditions must hold at least 2 samples on axis 0; got {n}")
    generator = _checks.generator(generator)
    device = torch.device("cpu") if generator is None else generator.device
    perm = torch.randperm(n, generator=generator, device=device)
    index = torch.empty_like(perm)
    index[perm] = perm.roll(-1)  # perm[k] -> perm[k + 1]: one n-cycle, no fixed point
    return conditions[index.to(conditions.device)]
