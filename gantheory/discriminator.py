r"""The optimal discriminator, the GAN value function and the training criterion C(G).

Goodfellow et al. (2014) define the two-player value function

.. math::

    V(G, D) = \mathbb E_{x \sim p_\text{data}}[\log D(x)] + \mathbb E_{x \sim p_g}[\log(1 - D(x))].

For a fixed generator the integrand :math:`a \log D + b \log(1 - D)` (with
:math:`a = p_\text{data}(x)`, :math:`b = p_g(x)`) is maximised pointwise at
:math:`D = a/(a + b)` (Proposition 1), so

.. math::

    D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}
           = \sigma\bigl(\log p_\text{data}(x) - \log p_g(x)\bigr),

and the virtual training criterion is :math:`C(G) = \max_D V(G, D) = V(G, D^*) = -\log 4 + 2\,
\mathrm{JSD}(p_\text{data}\,\|\,p_g)` (Theorem 1). Everything here is computed in log space:
:math:`\log D = \log\sigma(\ell)` and :math:`\log(1 - D) = \log\sigma(-\ell)` for the logit
:math:`\ell`, exact far in the tails where :math:`D^*` rounds to 0 or 1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import special

from gantheory import _validation as val
from gantheory.distributions import Gaussian
from gantheory.divergences.closed_form import _whiten
from gantheory.divergences.numerical import DivergenceResult, check_method, integrate


class OptimalDiscriminator:
    r"""The optimal discriminator :math:`D^*(x) = \sigma(\log p_\text{data}(x) - \log p_g(x))`.

    Calling it returns probabilities; :meth:`logit` returns the log-density difference, which
    :func:`value_function` uses to stay exact where :math:`D^*` saturates.

    Between two Gaussians the logit is a quadratic in :math:`x` whose shared terms cancel
    analytically: with :math:`a = x - \mu_\text{data}`, :math:`\delta = \mu_\text{data} -
    \mu_g` and precisions :math:`P = \Sigma^{-1}`,

    .. math::

        \ell(x) = \tfrac12 a^\top (P_g - P_\text{data}) a + a^\top P_g \delta
        + \tfrac12 \delta^\top P_g \delta - \tfrac12 \log\frac{\det\Sigma_\text{data}}
        {\det\Sigma_g},

    with :math:`P_g - P_\text{data} = P_g(\Sigma_\text{data} - \Sigma_g)P_\text{data}`
    formed from the difference of the covariances (for equal covariances the logit is linear
    in :math:`x` and computed as such). It keeps its relative accuracy where the two log
    densities are large and nearly equal. For other pairs (mixtures) the logit is
    :math:`\log p_\text{data} - \log p_g` as computed, whose absolute error is a few
    :math:`\varepsilon(|\log p_\text{data}| + |\log p_g|)`: at :math:`x = 200` against
    unit-variance components (log densities near :math:`-2 \times 10^4`) about
    :math:`10^{-11}`.

    Parameters
    ----------
    p_data, p_g : Distribution
        Distributions with densities, of the same dimension.

    Examples
    --------
    >>> from gantheory import Gaussian, optimal_discriminator
    >>> d = optimal_discriminator(Gaussian(0.0, 1.0), Gaussian(0.0, 1.0))
    >>> float(d(1.3))  # equal densities: D* = 1/2 everywhere
    0.5
    >>> d = optimal_discriminator(Gaussian(0.0, 1.0), Gaussian(1.0, 1.0))
    >>> float(d.logit(50.0))  # log N(50; 0, 1) - log N(50; 1, 1) = 1/2 - 50
    -49.5
    """

    def __init__(self, p_data: Any, p_g: Any):
        val.check_same_dim(p_data, p_g, ("p_data", "p_g"))
        for name, d in (("p_data", p_data), ("p_g", p_g)):
            if not d.has_density:
                raise ValueError(
                    f"{name} ({type(d).__name__}) has no density, so D* = p_data/(p_data + p_g) "
                    "is not defined pointwise"
                )
        self.p_data = p_data
        self.p_g = p_g
        self.dim = p_data.dim
        gaussians = isinstance(p_data, Gaussian) and isinstance(p_g, Gaussian)
        self._quadratic = _gaussian_logit_terms(p_data, p_g) if gaussians else None

    def logit(self, x: Any) -> np.ndarray:
        r""":math:`\log p_\text{data}(x) - \log p_g(x)`; 0 where both densities vanish."""
        if self._quadratic is not None:
            return self._quadratic(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            lp, lq = self.p_data.logpdf(x), self.p_g.logpdf(x)
            out = lp - lq
        return np.where((lp == -np.inf) & (lq == -np.inf), 0.0, out)

    def __call__(self, x: Any) -> np.ndarray:
        """:math:`D^*(x)`, a probability."""
        return special.expit(self.logit(x))

    def __repr__(self) -> str:
        return f"OptimalDiscriminator(p_data={self.p_data!r}, p_g={self.p_g!r})"


def _gaussian_logit_terms(p_data: Gaussian, p_g: Gaussian) -> Callable[[Any], np.ndarray]:
    """The logit between two Gaussians as a quadratic with its shared terms cancelled."""
    prec_g = np.linalg.inv(p_g.cov)
    curvature = prec_g @ (p_data.cov - p_g.cov) @ np.linalg.inv(p_data.cov)  # P_g - P_data
    curvature = 0.5 * (curvature + curvature.T)
    delta = p_data.mean - p_g.mean
    slope = prec_g @ delta
    constant = 0.5 * float(delta @ slope) - 0.5 * _whiten(p_data, p_g).log_det_ratio
    mean = p_data.mean

    def logit(x: Any) -> np.ndarray:
        pts, batch = val.check_points(x, mean.size)
        a = pts - mean
        quadratic = 0.5 * np.einsum("ni,ij,nj->n", a, curvature, a)
        return (quadratic + a @ slope + constant).reshape(batch)

    return logit


def optimal_discriminator(p_data: Any, p_g: Any) -> OptimalDiscriminator:
    r"""The optimal discriminator :math:`D^* = p_\text{data} / (p_\text{data} + p_g)`.

    Goodfellow et al. (2014), Proposition 1. See :class:`OptimalDiscriminator`.
    """
    return OptimalDiscriminator(p_data, p_g)


def _log_d_and_log_one_minus_d(
    D: Callable[[np.ndarray], Any], x: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    logit = getattr(D, "logit", None)
    if callable(logit):
        ell = np.asarray(logit(x), dtype=float)
        if np.any(np.isnan(ell)):
            raise ValueError("D.logit returned NaN")
        return special.log_expit(ell), special.log_expit(-ell)
    d = np.asarray(D(x), dtype=float)
    val.check_open_unit_interval(d, "D")
    return np.log(d), np.log1p(-d)


def value_function(
    p_data: Any,
    p_g: Any,
    D: Callable[[np.ndarray], Any],
    *,
    method: str = "auto",
    atol: float | None = None,
    n_samples: int | None = None,
    seed: Any = 0,
) -> DivergenceResult:
    r"""The GAN value function :math:`V(G, D) = E_\text{data}[\log D] + E_g[\log(1 - D)]`.

    Parameters
    ----------
    p_data, p_g : Distribution
        The data and generator distributions (with densities when ``method="quadrature"``).
    D : callable
        Maps points of shape ``(n, d)`` to values in the open interval (0, 1). If it has a
        ``logit`` method (as :class:`OptimalDiscriminator` does), that is used instead:
        :math:`\log D = \log\sigma(\ell)`, :math:`\log(1-D) = \log\sigma(-\ell)`.
    method, atol, n_samples, seed
        As for :func:`gantheory.kl`: quadrature in 1-D/2-D, Monte Carlo otherwise.

    Returns
    -------
    DivergenceResult
        The value in nats with its error estimate.

    Raises
    ------
    ValueError
        If ``D`` returns values outside (0, 1), or NaN.

    Examples
    --------
    >>> import numpy as np
    >>> from gantheory import Gaussian, value_function
    >>> p = Gaussian(0.0, 1.0)
    >>> v = value_function(p, p, lambda x: np.full(len(x), 0.5))
    >>> bool(abs(v.value + np.log(4.0)) < 1e-12)
    True
    """
    val.check_same_dim(p_data, p_g, ("p_data", "p_g"))
    if not callable(D):
        raise TypeError(f"D must be callable; got {type(D).__name__}")
    method = check_method(method)
    if method == "closed_form":
        raise ValueError("method='closed_form' is not available for value_function")

    def integrand(x: np.ndarray, lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
        log_d, log_one_minus_d = _log_d_and_log_one_minus_d(D, x)
        out = np.zeros_like(lp)
        a, b = lp > -np.inf, lq > -np.inf
        out[a] += np.exp(lp[a]) * log_d[a]
        out[b] += np.exp(lq[b]) * log_one_minus_d[b]
        return out

    return integrate(
        p_data, p_g, integrand, method=method, atol=atol, n_samples=n_samples, seed=seed
    )


def training_criterion(p_data: Any, p_g: Any, **options: Any) -> DivergenceResult:
    r"""The virtual training criterion :math:`C(G) = \max_D V(G, D) = V(G, D^*)`.

    Theorem 1 of Goodfellow et al. (2014): :math:`C(G) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data}
    \| p_g)`, with its global minimum :math:`-\log 4` exactly at :math:`p_g = p_\text{data}`.
    Computed here as the value function at :math:`D^*` (not through the JSD), so the identity
    can be checked. Options as in :func:`value_function`.

    Examples
    --------
    >>> import numpy as np
    >>> from gantheory import Gaussian, training_criterion
    >>> p = Gaussian(0.0, 1.0)
    >>> bool(abs(training_criterion(p, p).value + np.log(4.0)) < 1e-12)
    True
    """
    return value_function(p_data, p_g, optimal_discriminator(p_data, p_g), **options)
