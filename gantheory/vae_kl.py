r"""The VAE's KL term in closed form, with its gradients (numpy reference).

For the encoder :math:`q(z|x) = \mathcal N(\mu, \operatorname{diag}\sigma^2)` and the prior
:math:`p(z) = \mathcal N(0, I)` (Kingma and Welling 2013, Appendix B),

.. math::

    \mathrm{KL}(q \,\|\, p) = \tfrac12 \sum_{j=1}^{J} \bigl(\mu_j^2 + \sigma_j^2 - 1 - \log
    \sigma_j^2\bigr),

    \frac{\partial \mathrm{KL}}{\partial \mu_j} = \mu_j, \qquad
    \frac{\partial \mathrm{KL}}{\partial \sigma_j} = \sigma_j - \frac{1}{\sigma_j}, \qquad
    \frac{\partial \mathrm{KL}}{\partial s_j} = \tfrac12 (e^{s_j} - 1)
    \quad (s_j = \log \sigma_j^2).

Lecture notes often write it with :math:`m = \mu` and :math:`s = \log\sigma^2` as
:math:`\sum_j \bigl(e^{s_j} - (1 + s_j) + m_j^2\bigr)`, which is **twice** the KL (the factor
is usually absorbed into the loss weight). The sum runs over the latent dimensions (the last
axis); leading axes are a batch and are kept.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gantheory import _validation as val


def _pair(mu: Any, second: Any, name: str) -> tuple[np.ndarray, np.ndarray]:
    m = val.as_float_array(mu, "mu")
    s = val.as_float_array(second, name)
    if m.shape != s.shape:
        raise ValueError(f"mu and {name} must have the same shape; got {m.shape} and {s.shape}")
    return m, s


def gaussian_kl_standard(mu: Any, logvar: Any) -> np.ndarray:
    r""":math:`\mathrm{KL}(\mathcal N(\mu, \operatorname{diag} e^{s}) \,\|\, \mathcal N(0, I))`,
    summed over the last axis.

    Parameters
    ----------
    mu, logvar : array_like, shape (..., J)
        Means and log-variances :math:`s = \log\sigma^2`.

    Returns
    -------
    ndarray, shape (...)

    Examples
    --------
    >>> gaussian_kl_standard([1.0, 0.0], [0.0, 0.0])  # only the mean term: 1/2
    array(0.5)
    """
    m, s = _pair(mu, logvar, "logvar")
    return np.asarray(0.5 * np.sum(m**2 + np.exp(s) - 1.0 - s, axis=-1))


def gaussian_kl_standard_grad(mu: Any, logvar: Any) -> tuple[np.ndarray, np.ndarray]:
    r"""Gradients :math:`(\partial/\partial\mu, \partial/\partial s) = (\mu, \tfrac12(e^s - 1))`.

    Examples
    --------
    >>> d_mu, d_s = gaussian_kl_standard_grad([0.5], [0.0])
    >>> d_mu.tolist(), d_s.tolist()
    ([0.5], [0.0])
    """
    m, s = _pair(mu, logvar, "logvar")
    return m.copy(), 0.5 * np.expm1(s)


def gaussian_kl_standard_sigma_grad(mu: Any, sigma: Any) -> tuple[np.ndarray, np.ndarray]:
    r"""Gradients in the :math:`(\mu, \sigma)` parametrisation: :math:`(\mu, \sigma - 1/\sigma)`.

    Examples
    --------
    >>> d_mu, d_sigma = gaussian_kl_standard_sigma_grad([0.0], [2.0])
    >>> d_sigma.tolist()  # 2 - 1/2
    [1.5]
    """
    m, sd = _pair(mu, sigma, "sigma")
    sd = val.check_positive(sd, "sigma")
    return m.copy(), sd - 1.0 / sd


def lecture_form(m: Any, s: Any) -> np.ndarray:
    r"""The lecture-note form :math:`\sum_j (e^{s_j} - (1 + s_j) + m_j^2) = 2\,\mathrm{KL}`.

    Examples
    --------
    >>> float(lecture_form([1.0], [0.0]))
    1.0
    """
    mm, ss = _pair(m, s, "s")
    return np.asarray(np.sum(np.exp(ss) - (1.0 + ss) + mm**2, axis=-1))
