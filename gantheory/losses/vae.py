r"""VAE objectives in PyTorch, with the reduction stated everywhere.

**Reduction**: every loss here sums over the data dimensions and over the latent dimensions
(all axes but the first) and takes the **mean over the batch** (axis 0). A KL averaged over
latent dimensions, or a reconstruction averaged over pixels, is a different objective: it
re-weights the two ELBO terms against each other.

* :func:`reparameterize`: :math:`z = \mu + \sigma \odot \epsilon`, :math:`\sigma = e^{s/2}`.
* :func:`gaussian_kl_standard`:
  :math:`\mathrm{KL}(\mathcal N(\mu, \operatorname{diag} e^s)\|\mathcal N(0, I)) = \tfrac12
  \sum_j(\mu_j^2 + e^{s_j} - 1 - s_j)` (Kingma and Welling 2013, Appendix B).
* :func:`gaussian_kl`: between two diagonal Gaussians.
* :func:`bernoulli_log_likelihood` (from logits), :func:`gaussian_log_likelihood` (fixed or
  learned variance).
* :func:`elbo`: :math:`\mathbb E_q[\log p(x|z)] - \beta\,\mathrm{KL}(q(z|x)\|p(z))`.

Log-variances are never clamped silently: a non-finite log-variance raises ValueError, and
:func:`reparameterize` takes an optional, documented ``max_logvar``.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def _float(x: object, name: str) -> torch.Tensor:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor; got {type(x).__name__}")
    if not torch.is_floating_point(x):
        raise TypeError(f"{name} must be a floating-point tensor; got {x.dtype}")
    if x.ndim < 2:
        raise ValueError(
            f"{name} must have a batch axis and at least one more; got {tuple(x.shape)}"
        )
    return x


def _same_shape(a: torch.Tensor, b: torch.Tensor, names: tuple[str, str]) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape; got {tuple(a.shape)} and "
            f"{tuple(b.shape)}"
        )


def _finite_logvar(logvar: torch.Tensor, name: str) -> torch.Tensor:
    if not torch.isfinite(logvar).all():
        raise ValueError(f"{name} must be finite; it contains NaN or inf")
    return logvar


def _sum_then_mean(values: torch.Tensor) -> torch.Tensor:
    """Sum over all axes but the batch axis, then mean over the batch."""
    return values.reshape(values.shape[0], -1).sum(dim=1).mean()


def reparameterize(
    mu: torch.Tensor,
    logvar: torch.Tensor,
    *,
    generator: torch.Generator | None = None,
    max_logvar: float | None = None,
) -> torch.Tensor:
    r""":math:`z = \mu + e^{s/2} \odot \epsilon`, :math:`\epsilon \sim \mathcal N(0, I)`.

    ``max_logvar``, if given, clamps :math:`s` from above before the exponential (the only
    clamping in this module); by default none is applied and a non-finite :math:`s` raises.
    """
    mu, logvar = _float(mu, "mu"), _finite_logvar(_float(logvar, "logvar"), "logvar")
    _same_shape(mu, logvar, ("mu", "logvar"))
    if max_logvar is not None:
        logvar = logvar.clamp(max=max_logvar)
    eps = torch.randn(mu.shape, generator=generator, dtype=mu.dtype).to(mu.device)
    return mu + torch.exp(0.5 * logvar) * eps


def gaussian_kl_standard(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    r""":math:`\tfrac12 \sum_j (\mu_j^2 + e^{s_j} - 1 - s_j)`: sum over latents, mean over batch.

    Gradients: :math:`\partial/\partial\mu = \mu`, :math:`\partial/\partial s = \tfrac12(e^s -
    1)` (per sample, divided by the batch size through the mean).

    Examples
    --------
    >>> import torch
    >>> float(gaussian_kl_standard(torch.tensor([[1.0, 0.0]]), torch.zeros(1, 2)))
    0.5
    """
    mu, logvar = _float(mu, "mu"), _finite_logvar(_float(logvar, "logvar"), "logvar")
    _same_shape(mu, logvar, ("mu", "logvar"))
    return _sum_then_mean(0.5 * (mu.pow(2) + torch.exp(logvar) - 1.0 - logvar))


def gaussian_kl(
    mu_q: torch.Tensor, logvar_q: torch.Tensor, mu_p: torch.Tensor, logvar_p: torch.Tensor
) -> torch.Tensor:
    r"""KL between diagonal Gaussians, summed over latents, mean over the batch.

    .. math::

        \tfrac12 \sum_j \Bigl(s^p_j - s^q_j + \frac{e^{s^q_j} + (\mu^q_j - \mu^p_j)^2}{e^{s^p_j}}
        - 1\Bigr)
    """
    tensors = [_float(t, n) for t, n in ((mu_q, "mu_q"), (logvar_q, "logvar_q"),
                                         (mu_p, "mu_p"), (logvar_p, "logvar_p"))]
    mu_q, logvar_q, mu_p, logvar_p = tensors
    for t, n in ((logvar_q, "logvar_q"), (mu_p, "mu_p"), (logvar_p, "logvar_p")):
        _same_shape(mu_q, t, ("mu_q", n))
    _finite_logvar(logvar_q, "logvar_q")
    _finite_logvar(logvar_p, "logvar_p")
    ratio = torch.exp(logvar_q - logvar_p) + (mu_q - mu_p).pow(2) * torch.exp(-logvar_p)
    return _sum_then_mean(0.5 * (logvar_p - logvar_q + ratio - 1.0))


def bernoulli_log_likelihood(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    r"""Bernoulli log-likelihood, summed over data dimensions, mean over the batch.

    .. math:: \sum_d \bigl[x_d \log \sigma(\ell_d) + (1 - x_d)\log(1 - \sigma(\ell_d))\bigr]


    Computed from logits (``binary_cross_entropy_with_logits``), never from probabilities.
    """
    logits, x = _float(logits, "logits"), _float(x, "x")
    _same_shape(logits, x, ("logits", "x"))
    return -_sum_then_mean(F.binary_cross_entropy_with_logits(logits, x, reduction="none"))


def gaussian_log_likelihood(
    mean: torch.Tensor, x: torch.Tensor, logvar: torch.Tensor | float = 0.0
) -> torch.Tensor:
    r""":math:`\sum_d \log \mathcal N(x_d; m_d, e^{s_d})`, mean over batch.

    ``logvar`` is a float (fixed variance) or a tensor broadcastable to ``x`` (learned).
    """
    mean, x = _float(mean, "mean"), _float(x, "x")
    _same_shape(mean, x, ("mean", "x"))
    s = torch.as_tensor(logvar, dtype=x.dtype, device=x.device)
    _finite_logvar(s, "logvar")
    per = -0.5 * (math.log(2 * math.pi) + s + (x - mean).pow(2) * torch.exp(-s))
    return _sum_then_mean(per.expand_as(x))


def elbo(
    log_likelihood: torch.Tensor, kl: torch.Tensor, *, beta: float = 1.0
) -> torch.Tensor:
    r"""The (beta-)ELBO :math:`\mathbb E_q[\log p(x|z)] - \beta\,\mathrm{KL}`; minimise minus it.

    Both arguments are batch means of per-sample sums, as this module's functions return.
    """
    if beta < 0:
        raise ValueError(f"beta must be >= 0; got {beta}")
    return log_likelihood - beta * kl
