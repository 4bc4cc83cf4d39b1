r"""VAE objectives in PyTorch, with the reduction stated everywhere.

**Reduction**: every loss here **sums over the data dimensions and over the latent dimensions**
(all axes but the first) and takes the **mean over the batch** (axis 0). ``reduction="sum"``
then sums over the batch instead of averaging; ``reduction="none"`` keeps the per-sample sums,
shape ``(N,)``. A KL averaged over latent dimensions, or a
reconstruction averaged over pixels, is a different objective: it re-weights the two ELBO terms
against each other (by the ratio of the dimensions).

====================================  ==============================================================
:func:`reparameterize`                :math:`z = \mu + \sigma \odot \epsilon`, :math:`\sigma =
                                      e^{s/2}`
:func:`gaussian_kl_standard`          :math:`\mathrm{KL}(\mathcal N(\mu, \operatorname{diag}
                                      e^s)\|\mathcal N(0, I))` (Kingma and Welling 2013, App. B)
:func:`gaussian_kl`                   between two diagonal Gaussians
:func:`gaussian_log_density`          :math:`\log \mathcal N(z; \mu, \operatorname{diag} e^s)`
                                      summed over the last axis (for importance weights)
:func:`bernoulli_log_likelihood`      from logits, never probabilities
:func:`gaussian_log_likelihood`       fixed or learned variance
:func:`elbo`                          :math:`\mathbb E_q[\log p(x|z)] - \beta\,\mathrm{KL}`
                                      (Higgins et al. 2017 for :math:`\beta \ne 1`)
:func:`iwae_bound`                    the importance weighted bound with :math:`K` samples (Burda
                                      et al. 2016)
:func:`vaegan_terms`                  VAE-GAN's :math:`\mathcal L_\text{prior}`,
                                      :math:`\mathcal L_\text{llike}^{\mathrm{Dis}_l}`,
                                      :math:`\mathcal L_\text{GAN}` (Larsen et al. 2016)
====================================  ==============================================================

**Log-variances** :math:`s = \log\sigma^2` are never clamped silently. **Non-finite inputs**
(a mean, a log-variance, data) raise ValueError naming the tensor, and a result computed from
finite inputs that overflows (:math:`e^s` above the dtype's range: :math:`s > 88.7` in float32)
raises ValueError saying that exp of a log-variance overflowed, instead of a NaN appearing later
in training. :func:`reparameterize` takes an optional, documented ``max_logvar`` clamp, the only
one. These checks read a boolean off each tensor (a synchronisation on CUDA); every function
here takes ``check_finite=False`` to skip them (the policy of :mod:`gantheory.losses`).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from gantheory.losses import _checks
from gantheory.losses import gan as _gan

_LOG_2PI = math.log(2.0 * math.pi)
_OVERFLOW_HINT = (
    "exp of a log-variance overflowed; the log-variance is unbounded (clamp it where it is "
    "produced, e.g. reparameterize(..., max_logvar=...), or compute in float64)"
)


def _batch(x: object, name: str, check: bool) -> torch.Tensor:
    """A float tensor with a batch axis and at least one more, upcast from half precision."""
    return _checks.upcast(_checks.tensor(x, name, min_ndim=2, finite=check))


def _parameter(value: object, name: str, like: torch.Tensor, like_name: str, check: bool, *,
               number_ok: bool) -> torch.Tensor:
    """A mean or log-variance: a tensor broadcastable to ``like``, on its device (or, if
    ``number_ok``, a real number, made a tensor of ``like``'s dtype), finite if ``check``.
    """
    if number_ok and not isinstance(value, torch.Tensor):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a torch.Tensor or a real number; got "
                            f"{type(value).__name__}")
        return torch.tensor(_checks.number(value, name), dtype=like.dtype, device=like.device)
    value = _checks.tensor(value, name, min_ndim=0)
    _checks.broadcasts_to(value, name, like, like_name)
    if check:
        _checks.require_finite(value, name)
    return _checks.upcast(value)


def _sum_then_reduce(values: torch.Tensor, reduction: str) -> torch.Tensor:
    """Sum over all axes but the batch axis, then reduce over the batch (or keep ``(N,)``)."""
    per_sample = values.reshape(values.shape[0], -1).sum(dim=1)  # (N,)
    return _checks.reduce(per_sample, reduction)


def reparameterize(
    mu: torch.Tensor,
    logvar: torch.Tensor,
    *,
    generator: torch.Generator | None = None,
    max_logvar: float | None = None,
    check_finite: bool = True,
) -> torch.Tensor:
    r"""A sample :math:`z = \mu + e^{s/2} \odot \epsilon`, :math:`\epsilon \sim \mathcal N(0, I)`.

    Differentiable in :math:`\mu` and :math:`s` (Kingma and Welling 2013, Sec. 2.4).

    Parameters
    ----------
    mu, logvar : torch.Tensor, shape (N, J, ...)
        Means and log-variances :math:`s = \log\sigma^2` of the encoder.
    generator : torch.Generator, optional
        Source of :math:`\epsilon` (drawn on its device, moved to ``mu``'s).
    max_logvar : float, optional
        Clamp :math:`s \le` ``max_logvar`` before the exponential: the only clamping in this
        module, off by default. Without it an overflowing :math:`e^{s/2}` raises ValueError.
    check_finite : bool
        Non-finite inputs raise ValueError unless ``check_finite=False`` (see
        :mod:`gantheory.losses`); so does a result that overflows.

    Returns
    -------
    torch.Tensor, shape of ``mu``

    Examples
    --------
    >>> import torch
    >>> z = reparameterize(torch.zeros(1, 2), torch.full((1, 2), -1e4))  # sigma underflows to 0
    >>> z.tolist()
    [[0.0, 0.0]]
    """
    check = _checks.flag(check_finite, "check_finite")
    mu, logvar = _batch(mu, "mu", check), _batch(logvar, "logvar", check)
    _checks.same_shape(mu, logvar, ("mu", "logvar"))
    generator = _checks.generator(generator)
    if max_logvar is not None:
        logvar = logvar.clamp(max=_checks.number(max_logvar, "max_logvar"))
    eps = torch.randn(tuple(mu.shape), generator=generator, dtype=mu.dtype,
                      device=mu.device if generator is None else generator.device)
    z = mu + torch.exp(0.5 * logvar) * eps.to(mu.device)
    return _checks.no_overflow(z, "reparameterize's sample", _OVERFLOW_HINT, check)


def gaussian_kl_standard(mu: torch.Tensor, logvar: torch.Tensor, *, reduction: str = "mean",
                         check_finite: bool = True) -> torch.Tensor:
    r"""KL to the standard normal prior: **sum over latent dimensions, mean over the batch**.

    .. math::

        \mathrm{KL}\bigl(\mathcal N(\mu, \operatorname{diag} e^{s}) \,\|\, \mathcal N(0, I)\bigr)
        = \tfrac12 \sum_j \bigl(\mu_j^2 + e^{s_j} - 1 - s_j\bigr)

    Kingma and Welling 2013, Appendix B. Gradients per sample: :math:`\partial/\partial\mu =
    \mu`, :math:`\partial/\partial s = \tfrac12(e^s - 1)`, :math:`\partial/\partial\sigma =
    \sigma - 1/\sigma` (then divided by the batch size through the mean).

    Parameters
    ----------
    mu, logvar : torch.Tensor, shape (N, J, ...)
        Means and log-variances; all axes after the first are latent dimensions.
    reduction : {"mean", "sum", "none"}
        ``"mean"``: the mean over the batch of the per-sample sums (default); ``"sum"``: their
        sum over the batch; ``"none"``: the per-sample sums, shape ``(N,)``.
    check_finite : bool
        Non-finite inputs raise ValueError unless ``check_finite=False`` (see
        :mod:`gantheory.losses`); so does a result that overflows.

    Returns
    -------
    torch.Tensor

    Raises
    ------
    ValueError
        If ``mu`` or ``logvar`` is not finite, or :math:`e^s` overflows (unless
        ``check_finite=False``).

    Examples
    --------
    >>> import torch
    >>> float(gaussian_kl_standard(torch.tensor([[1.0, 0.0]]), torch.zeros(1, 2)))
    0.5
    >>> mu = torch.tensor([[1.0, 1.0], [0.0, 0.0]])  # sums over 2 latents, mean over 2 samples
    >>> float(gaussian_kl_standard(mu, torch.zeros(2, 2))), gaussian_kl_standard(
    ...     mu, torch.zeros(2, 2), reduction="none").tolist()
    (0.5, [1.0, 0.0])
    >>> float(gaussian_kl_standard(mu, torch.zeros(2, 2), reduction="sum"))
    1.0
    >>> gaussian_kl_standard(torch.tensor([[0.0, float("nan")]]), torch.zeros(1, 2))
    Traceback (most recent call last):
    ValueError: mu is not finite: it contains NaN at index (0, 1)
    """
    check = _checks.flag(check_finite, "check_finite")
    mu, logvar = _batch(mu, "mu", check), _batch(logvar, "logvar", check)
    _checks.same_shape(mu, logvar, ("mu", "logvar"))
    terms = 0.5 * (mu.pow(2) + torch.exp(logvar) - 1.0 - logvar)  # (N, J, ...)
    kl = _sum_then_reduce(terms, reduction)
    return _checks.no_overflow(kl, "the KL", _OVERFLOW_HINT, check)


def gaussian_kl(
    mu_q: torch.Tensor, logvar_q: torch.Tensor, mu_p: torch.Tensor, logvar_p: torch.Tensor, *,
    reduction: str = "mean", check_finite: bool = True,
) -> torch.Tensor:
    r"""KL between diagonal Gaussians: **sum over latent dimensions, mean over the batch**.

    .. math::

        \mathrm{KL}(q\|p) = \tfrac12 \sum_j \Bigl(s^p_j - s^q_j
        + \frac{e^{s^q_j} + (\mu^q_j - \mu^p_j)^2}{e^{s^p_j}} - 1\Bigr)

    Parameters
    ----------
    mu_q, logvar_q : torch.Tensor, shape (N, J, ...)
        The encoder :math:`q`.
    mu_p, logvar_p : torch.Tensor
        The prior :math:`p`, of :math:`q`'s shape or broadcastable to it (a learned prior
        shared by the batch, shape ``(1, J)``).
    reduction : {"mean", "sum", "none"}
        Mean over the batch of the per-sample sums (default), their sum, or the ``(N,)`` sums.
    check_finite : bool
        Non-finite inputs raise ValueError unless ``check_finite=False`` (see
        :mod:`gantheory.losses`); so does a result that overflows.

    Examples
    --------
    >>> import torch
    >>> z = torch.zeros(1, 3)
    >>> float(gaussian_kl(z, z, z + 1.0, z))  # 3 * 1/2
    1.5
    """
    check = _checks.flag(check_finite, "check_finite")
    mu_q, logvar_q = _batch(mu_q, "mu_q", check), _batch(logvar_q, "logvar_q", check)
    _checks.same_shape(mu_q, logvar_q, ("mu_q", "logvar_q"))
    mu_p = _parameter(mu_p, "mu_p", mu_q, "mu_q", check, number_ok=False)
    logvar_p = _parameter(logvar_p, "logvar_p", mu_q, "mu_q", check, number_ok=False)
    # (d e^{-s/2})^2, not d^2 e^{-s}: the latter is 0 * inf = NaN in float32 for d = 0, s = -100
    ratio = torch.exp(logvar_q - logvar_p) + ((mu_q - mu_p) * torch.exp(-0.5 * logvar_p)).pow(2)
    terms = 0.5 * (logvar_p - logvar_q + ratio - 1.0)  # (N, J, ...)
    kl = _sum_then_reduce(terms, reduction)
    return _checks.no_overflow(kl, "the KL", _OVERFLOW_HINT, check)


def gaussian_log_density(z: torch.Tensor, mu: torch.Tensor | float,
                         logvar: torch.Tensor | float = 0.0, *,
                         check_finite: bool = True) -> torch.Tensor:
    r""":math:`\log \mathcal N(z; \mu, \operatorname{diag} e^s)`, **summed over the last axis**.

    .. math:: \sum_j -\tfrac12\bigl(\log 2\pi + s_j + (z_j - \mu_j)^2 e^{-s_j}\bigr)

    No reduction over the leading axes, which may be ``(K, N)`` importance samples: the
    building block of :func:`iwae_bound`'s :math:`\log p(z)` and :math:`\log q(z|x)`.

    Parameters
    ----------
    z : torch.Tensor, shape (..., J)
        Points.
    mu, logvar : torch.Tensor or float
        Broadcastable to ``z``'s shape, on its device (``logvar=0``: the standard normal when
        ``mu=0``).
    check_finite : bool
        Non-finite inputs raise ValueError unless ``check_finite=False`` (see
        :mod:`gantheory.losses`); so does a result that overflows.

    Returns
    -------
    torch.Tensor, shape ``z.shape[:-1]``

    Examples
    --------
    >>> import torch, math
    >>> lp = gaussian_log_density(torch.zeros(2, 3), torch.zeros(3))
    >>> bool(torch.allclose(lp, torch.full((2,), -1.5 * math.log(2 * math.pi))))
    True
    """
    check = _checks.flag(check_finite, "check_finite")
    z = _checks.upcast(_checks.tensor(z, "z", min_ndim=1, finite=check))
    mu = _parameter(mu, "mu", z, "z", check, number_ok=True).to(z.dtype)
    s = _parameter(logvar, "logvar", z, "z", check, number_ok=True).to(z.dtype)
    per = -0.5 * (_LOG_2PI + s + ((z - mu) * torch.exp(-0.5 * s)).pow(2))
    out = per.sum(dim=-1)
    return _checks.no_overflow(out, "the log density", _OVERFLOW_HINT, check)


def bernoulli_log_likelihood(logits: torch.Tensor, x: torch.Tensor, *,
                             reduction: str = "mean", check_finite: bool = True
                             ) -> torch.Tensor:
    r"""Bernoulli log-likelihood from logits: **sum over data dimensions, mean over the batch**.

    .. math::

        \log p(x|z) = \sum_d \bigl[x_d \log \sigma(\ell_d) + (1 - x_d)\log(1 - \sigma(\ell_d))
        \bigr] = -\sum_d \mathrm{BCE}(\ell_d, x_d)

    Computed by ``binary_cross_entropy_with_logits`` (softplus forms), never from
    probabilities, so a confident wrong pixel costs :math:`|\ell|` instead of ``inf``.
    :math:`x \in [0, 1]` (continuous values give the continuous-Bernoulli's unnormalised
    likelihood, as in most VAE code).

    Parameters
    ----------
    logits : torch.Tensor, shape (N, ...)
        Decoder logits.
    x : torch.Tensor, shape (N, ...)
        Data in [0, 1].
    reduction : {"mean", "sum", "none"}
        Mean over the batch of the per-sample sums (default), their sum, or the ``(N,)`` sums.
    check_finite : bool
        Non-finite inputs raise ValueError unless ``check_finite=False`` (see
        :mod:`gantheory.losses`). The range of ``x`` is checked either way.

    Examples
    --------
    >>> import torch
    >>> round(float(bernoulli_log_likelihood(torch.zeros(1, 4), torch.ones(1, 4))), 6)  # 4 log .5
    -2.772589
    """
    check = _checks.flag(check_finite, "check_finite")
    logits, x = _batch(logits, "logits", check), _batch(x, "x", check)
    _checks.same_shape(logits, x, ("logits", "x"))
    if bool(((x < 0) | (x > 1)).any()):  # e.g. pixels in 0..255: scale them to [0, 1]
        raise ValueError("x must lie in [0, 1] for a Bernoulli likelihood (binary or "
                         "probabilities); scale pixel values to [0, 1]")
    nll = F.binary_cross_entropy_with_logits(logits, x.to(logits.dtype), reduction="none")
    return -_sum_then_reduce(nll, reduction)


def gaussian_log_likelihood(mean: torch.Tensor, x: torch.Tensor,
                            logvar: torch.Tensor | float = 0.0, *,
                            reduction: str = "mean", check_finite: bool = True
                            ) -> torch.Tensor:
    r"""Gaussian log-likelihood: **sum over data dimensions, mean over the batch**.

    .. math:: \log p(x|z) = \sum_d -\tfrac12\bigl(\log 2\pi + s_d + (x_d - m_d)^2 e^{-s_d}\bigr)

    Parameters
    ----------
    mean : torch.Tensor, shape (N, ...)
        Decoder means :math:`m`.
    x : torch.Tensor, shape (N, ...)
        Data.
    logvar : float or torch.Tensor
        A float: a fixed variance :math:`e^s` (``0.0``: unit variance, for which the loss is
        half the squared error plus a constant). A tensor broadcastable to ``x``: a learned
        variance. Not clamped: an overflow of :math:`e^{-s}` raises ValueError.
    reduction : {"mean", "sum", "none"}
        Mean over the batch of the per-sample sums (default), their sum, or the ``(N,)`` sums.
    check_finite : bool
        Non-finite inputs raise ValueError unless ``check_finite=False`` (see
        :mod:`gantheory.losses`); so does a result that overflows.

    Examples
    --------
    >>> import torch, math
    >>> ll = gaussian_log_likelihood(torch.zeros(1, 2), torch.zeros(1, 2))
    >>> bool(abs(float(ll) + math.log(2 * math.pi)) < 1e-6)  # 2 * (-log(2 pi) / 2)
    True
    """
    check = _checks.flag(check_finite, "check_finite")
    mean, x = _batch(mean, "mean", check), _batch(x, "x", check)
    _checks.same_shape(mean, x, ("mean", "x"))
    s = _parameter(logvar, "logvar", x, "x", check, number_ok=True)
    per = -0.5 * (_LOG_2PI + s + ((x - mean) * torch.exp(-0.5 * s)).pow(2))
    out = _sum_then_reduce(per.expand_as(x), reduction)
    return _checks.no_overflow(out, "the Gaussian log-likelihood", _OVERFLOW_HINT, check)


def elbo(log_likelihood: torch.Tensor, kl: torch.Tensor, *, beta: float = 1.0,
         check_finite: bool = True) -> torch.Tensor:
    r"""The (beta-)ELBO :math:`\mathbb E_q[\log p(x|z)] - \beta\,\mathrm{KL}(q(z|x)\|p(z))`.

    Maximise it (minimise ``-elbo(...)``). Both arguments carry this module's reduction (sum
    over dimensions; both batch means, or both ``(N,)`` per-sample sums), so the two terms are
    weighed as in the bound; :math:`\beta = 1` is the ELBO of Kingma and Welling 2013, eq. (3),
    :math:`\beta > 1` the beta-VAE (Higgins et al. 2017). Non-finite inputs raise ValueError
    unless ``check_finite=False``.

    Examples
    --------
    >>> import torch
    >>> float(elbo(torch.tensor(-90.0), torch.tensor(10.0), beta=2.0))
    -110.0
    """
    beta = _checks.number(beta, "beta", minimum=0.0)
    check = _checks.flag(check_finite, "check_finite")
    log_likelihood = _checks.tensor(log_likelihood, "log_likelihood", min_ndim=0, finite=check)
    kl = _checks.tensor(kl, "kl", min_ndim=0, finite=check)
    _checks.same_device(log_likelihood, kl, ("log_likelihood", "kl"))
    if log_likelihood.shape != kl.shape:
        raise ValueError(
            "log_likelihood and kl must have one reduction (both scalars, or both (N,)); got "
            f"shapes {tuple(log_likelihood.shape)} and {tuple(kl.shape)}"
        )
    return log_likelihood - beta * kl


def iwae_bound(log_likelihood: torch.Tensor, log_prior: torch.Tensor,
               log_posterior: torch.Tensor, *, reduction: str = "mean",
               check_finite: bool = True) -> torch.Tensor:
    r"""The importance weighted bound with :math:`K` samples: **mean over the batch**.

    .. math::

        \mathcal L_K = \frac1N \sum_n \Bigl[\log \frac1K \sum_{k=1}^K
        \frac{p(x_n|z_{kn})\, p(z_{kn})}{q(z_{kn}|x_n)}\Bigr], \qquad z_{kn} \sim q(z|x_n),

    by log-sum-exp. :math:`\mathcal L_1` is the ELBO's estimate,
    :math:`\mathbb E[\mathcal L_K] \le \mathbb E[\mathcal L_{K+1}] \le \log p(x)` and
    :math:`\mathcal L_K \to \log p(x)` (Burda, Grosse and Salakhutdinov 2016, Theorem 1).

    Parameters
    ----------
    log_likelihood, log_prior, log_posterior : torch.Tensor, shape (K, N)
        :math:`\log p(x_n|z_{kn})`, :math:`\log p(z_{kn})` and :math:`\log q(z_{kn}|x_n)`, each
        already summed over data or latent dimensions (:func:`bernoulli_log_likelihood` with
        ``reduction="none"``, :func:`gaussian_log_density`).
    reduction : {"mean", "sum", "none"}
        The mean over the batch (default), the sum over the batch, or the ``(N,)``
        per-sample bounds.
    check_finite : bool
        Non-finite inputs raise ValueError unless ``check_finite=False`` (see
        :mod:`gantheory.losses`).

    Examples
    --------
    >>> import torch
    >>> # Equal weights p(x, z)/q(z|x) = 1/2 for all K: the bound is log(1/2) for every K.
    >>> w = torch.full((5, 3), -0.6931471805599453, dtype=torch.float64)
    >>> round(float(iwae_bound(w, torch.zeros_like(w), torch.zeros_like(w))), 12)
    -0.69314718056
    """
    check = _checks.flag(check_finite, "check_finite")
    tensors = []
    for value, name in ((log_likelihood, "log_likelihood"), (log_prior, "log_prior"),
                        (log_posterior, "log_posterior")):
        value = _checks.tensor(value, name, min_ndim=2)
        if value.ndim != 2 or value.shape[1] == 0:
            raise ValueError(f"{name} must have shape (K, N) with K, N >= 1; got "
                             f"{tuple(value.shape)}")
        tensors.append(_checks.upcast(_checks.require_finite(value, name) if check else value))
    _checks.same_shape(tensors[0], tensors[1], ("log_likelihood", "log_prior"))
    _checks.same_shape(tensors[0], tensors[2], ("log_likelihood", "log_posterior"))
    log_w = tensors[0] + tensors[1] - tensors[2]  # (K, N)
    bound = torch.logsumexp(log_w, dim=0) - math.log(log_w.shape[0])  # (N,)
    return _checks.reduce(bound, reduction)


# -- VAE-GAN ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VAEGANTerms:
    r"""The three terms of VAE-GAN (Larsen et al. 2016), each a batch-mean scalar.

    Attributes
    ----------
    prior : torch.Tensor
        :math:`\mathcal L_\text{prior} = \mathrm{KL}(q(z|x)\|p(z))`, summed over latents.
    llike : torch.Tensor
        :math:`\mathcal L_\text{llike}^{\mathrm{Dis}_l} = -\mathbb E_q[\log
        \mathcal N(\mathrm{Dis}_l(x);\, \mathrm{Dis}_l(\tilde x), I)]`, summed over features.
    gan : torch.Tensor
        :math:`\mathcal L_\text{GAN} = \log \mathrm{Dis}(x) + \log(1 - \mathrm{Dis}(\tilde x)) +
        \log(1 - \mathrm{Dis}(x_p))`, the value the discriminator maximises (each term a batch
        mean; :math:`\tilde x` a reconstruction, :math:`x_p` a decoded prior sample).
    """

    prior: torch.Tensor
    llike: torch.Tensor
    gan: torch.Tensor

    def total(self, w_prior: float = 1.0, w_llike: float = 1.0,
              w_gan: float = 1.0) -> torch.Tensor:
        r""":math:`w_p \mathcal L_\text{prior} + w_l \mathcal L_\text{llike} + w_g \mathcal
        L_\text{GAN}` (the paper's :math:`\mathcal L` with unit weights, eq. (9)); every
        weight a finite number :math:`\ge 0`.
        """
        weights = [_checks.number(w, name, minimum=0.0) for w, name in
                   ((w_prior, "w_prior"), (w_llike, "w_llike"), (w_gan, "w_gan"))]
        return weights[0] * self.prior + weights[1] * self.llike + weights[2] * self.gan

    def encoder_loss(self, beta: float = 1.0) -> torch.Tensor:
        r"""The encoder's :math:`\beta \mathcal L_\text{prior} + \mathcal L_\text{llike}`."""
        return _checks.number(beta, "beta", minimum=0.0) * self.prior + self.llike

    def decoder_loss(self, gamma: float = 1.0) -> torch.Tensor:
        r"""The decoder's :math:`\gamma \mathcal L_\text{llike} + \mathcal L_\text{GAN}`.

        The decoder plays against the discriminator: it *minimises* the value the
        discriminator maximises (only the terms of :math:`\tilde x` and :math:`x_p` depend on
        it), the saturating generator objective of the minimax game. Larsen et al.'s
        Algorithm 1 writes :math:`\gamma \mathcal L_\text{llike} - \mathcal L_\text{GAN}`
        with the discriminator *descending* :math:`\mathcal L_\text{GAN}`, the opposite sign
        convention for the discriminator; with the discriminator maximising
        :math:`\mathcal L_\text{GAN}` as here, the decoder's sign is ``+``.
        """
        return _checks.number(gamma, "gamma", minimum=0.0) * self.llike + self.gan

    def discriminator_loss(self) -> torch.Tensor:
        r"""The discriminator's :math:`-\mathcal L_\text{GAN}` (it maximises the value)."""
        return -self.gan


def vaegan_terms(
    mu: torch.Tensor,
    logvar: torch.Tensor,
    real_features: torch.Tensor,
    recon_features: torch.Tensor,
    real_logits: torch.Tensor,
    recon_logits: torch.Tensor,
    prior_logits: torch.Tensor,
    *,
    check_finite: bool = True,
) -> VAEGANTerms:
    r"""VAE-GAN's :math:`\mathcal L_\text{prior}`, :math:`\mathcal L_\text{llike}^{\mathrm{Dis}_l}`
    and :math:`\mathcal L_\text{GAN}`, composable with weights (Larsen et al. 2016).

    .. math::

        \mathcal L_\text{prior} &= \mathrm{KL}(q(z|x)\,\|\,\mathcal N(0, I)), \\
        \mathcal L_\text{llike}^{\mathrm{Dis}_l} &= -\mathbb E_{q(z|x)}\bigl[\log
            \mathcal N\bigl(\mathrm{Dis}_l(x);\, \mathrm{Dis}_l(\mathrm{Dec}(z)), I\bigr)\bigr],
        \\
        \mathcal L_\text{GAN} &= \log \mathrm{Dis}(x) + \log(1 - \mathrm{Dis}(\mathrm{Dec}
            (\mathrm{Enc}(x)))) + \log(1 - \mathrm{Dis}(\mathrm{Dec}(z_p))),\ z_p \sim p(z).

    The reconstruction is measured in the discriminator's hidden layer :math:`l` with an
    identity-covariance Gaussian (the constant :math:`\tfrac12 \log 2\pi` per feature included).
    Reductions: KL and feature likelihood **summed over dimensions**, every term a **mean over
    the batch**; the logits are computed in softplus form. Algorithm 1 of the paper trains the
    encoder on ``encoder_loss()``, the decoder on ``decoder_loss(gamma)`` and the
    discriminator on ``discriminator_loss()``, each backpropagated into its own parameters only.

    Parameters
    ----------
    mu, logvar : torch.Tensor, shape (N, J)
        The encoder's :math:`q(z|x)`.
    real_features, recon_features : torch.Tensor, shape (N, ...)
        :math:`\mathrm{Dis}_l(x)` and :math:`\mathrm{Dis}_l(\tilde x)`.
    real_logits, recon_logits, prior_logits : torch.Tensor, shape (N,) or (N, 1)
        Discriminator logits of data, reconstructions and decoded prior samples.
    check_finite : bool
        Non-finite inputs raise ValueError unless ``check_finite=False`` (see
        :mod:`gantheory.losses`); so does a KL that overflows.

    Returns
    -------
    VAEGANTerms

    Examples
    --------
    >>> import torch
    >>> z, f, l = torch.zeros(2, 3), torch.ones(2, 4), torch.zeros(2)
    >>> t = vaegan_terms(z, z, f, f, l, l, l)
    >>> float(t.prior), round(float(t.llike), 6), round(float(t.gan), 6)  # 0, 2 log 2pi, 3 log .5
    (0.0, 3.675754, -2.079442)
    """
    check = _checks.flag(check_finite, "check_finite")
    # Shapes and devices of all seven, then the values of the five that the losses below would
    # name otherwise (as "mean", "x", "fake_logits"); the KL checks mu and logvar itself.
    features = _batch(real_features, "real_features", False)
    _checks.same_shape(features, _batch(recon_features, "recon_features", False),
                       ("real_features", "recon_features"))
    for value, name in ((recon_logits, "recon_logits"), (prior_logits, "prior_logits")):
        _gan._pair(real_logits, value, False, ("real_logits", name))
    _checks.same_batch(_batch(mu, "mu", False), features, ("mu", "real_features"))
    _checks.same_batch(features, _checks.per_sample(real_logits, "real_logits"),
                       ("real_features", "real_logits"))
    if check:
        for value, name in ((real_features, "real_features"), (recon_features, "recon_features"),
                            (real_logits, "real_logits"), (recon_logits, "recon_logits"),
                            (prior_logits, "prior_logits")):
            _checks.require_finite(value, name)
    done = {"check_finite": False}  # checked above
    prior = gaussian_kl_standard(mu, logvar, check_finite=check)
    llike = -gaussian_log_likelihood(recon_features, real_features, 0.0, **done)
    real = -_gan.non_saturating_g_loss(real_logits, **done)  # E log D(x)
    recon = _gan.minimax_g_loss(recon_logits, **done)  # E log(1 - D(x~))
    fake = _gan.minimax_g_loss(prior_logits, **done)  # E log(1 - D(x_p))
    return VAEGANTerms(prior, llike, real + recon + fake)
