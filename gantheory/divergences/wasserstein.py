r"""The Wasserstein-1 distance in one dimension, exactly through the CDFs.

In 1-D the optimal transport plan is monotone, and

.. math::

    W_1(P, Q) = \int_{-\infty}^{\infty} |F_P(x) - F_Q(x)|\, dx .

For distributions with a CDF the integral is taken by adaptive quadrature with breakpoints at
the crossings of the CDFs, where the integrand has its kinks (all of them, found with a
certificate by :mod:`gantheory.divergences.crossings`, between Gaussian mixtures; for other
pairs the sign of :math:`F_P - F_Q` marks the panels that hold a kink, whose error estimate
is widened until they are small). An array of samples stands for
its empirical distribution, whose CDF is a step function: between two distinct sample points
it is constant, so the integral is a finite sum there.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gantheory import _validation as val
from gantheory.distributions import Distribution, GaussianMixture
from gantheory.divergences import quadrature
from gantheory.divergences.crossings import mixture_crossings
from gantheory.divergences.numerical import DEFAULT_ATOL, DivergenceResult

_EPS = float(np.finfo(float).eps)


def _as_cdf_source(x: Any, name: str) -> tuple[Any, np.ndarray | None]:
    """Return (distribution, None) or (None, sorted samples)."""
    if isinstance(x, Distribution):
        if x.dim != 1:
            raise ValueError(f"{name} must be 1-D for wasserstein1; it is {x.dim}-D")
        if not hasattr(x, "cdf"):
            raise TypeError(f"{name} ({type(x).__name__}) has no cdf")
        return x, None
    samples = val.as_float_array(x, name)
    if samples.ndim == 2 and samples.shape[1] == 1:
        samples = samples[:, 0]
    if samples.ndim != 1 or samples.size == 0:
        raise ValueError(
            f"{name} must be a 1-D distribution or a non-empty array of 1-D samples, shape (n,) "
            f"or (n, 1); got shape {samples.shape}"
        )
    return None, np.sort(samples)


def _empirical_cdf(sorted_samples: np.ndarray):
    n = sorted_samples.size

    def cdf(t: np.ndarray) -> np.ndarray:
        return np.searchsorted(sorted_samples, t, side="right") / n

    return cdf


def wasserstein1(p: Any, q: Any, *, atol: float | None = None) -> DivergenceResult:
    r"""Wasserstein-1 (earth mover's) distance between 1-D distributions or sample arrays.

    .. math::

        W_1(P, Q) = \int |F_P(x) - F_Q(x)|\, dx .

    Parameters
    ----------
    p, q : Distribution (1-D) or array_like of shape (n,)
        A 1-D distribution with a ``cdf`` (Gaussian, GaussianMixture, Uniform) or samples,
        which stand for their empirical distribution.
    atol : float, optional
        Quadrature tolerance where a distribution is involved; default 1e-10.

    Returns
    -------
    DivergenceResult
        Exact (``error`` 0) between two sample arrays; quadrature with its error bound
        otherwise.

    Examples
    --------
    >>> from gantheory import Gaussian, wasserstein1
    >>> round(wasserstein1(Gaussian(0.0, 1.0), Gaussian(3.0, 1.0)).value, 10)  # a shift
    3.0
    >>> wasserstein1([0.0, 1.0], [2.0, 3.0]).value
    2.0
    """
    dist_p, samples_p = _as_cdf_source(p, "p")
    dist_q, samples_q = _as_cdf_source(q, "q")
    if samples_p is not None and samples_q is not None:
        grid = np.sort(np.concatenate([samples_p, samples_q]))
        gaps = np.diff(grid)
        fp, fq = _empirical_cdf(samples_p)(grid[:-1]), _empirical_cdf(samples_q)(grid[:-1])
        return DivergenceResult(float(np.sum(np.abs(fp - fq) * gaps)), 0.0, "closed_form")
    atol = DEFAULT_ATOL[1] if atol is None else val.check_tolerance(atol, "atol")

    axes: list[np.ndarray] = []
    cdfs = []
    for dist, samples in ((dist_p, samples_p), (dist_q, samples_q)):
        if dist is not None:
            axes.append(dist.quadrature_breakpoints()[0])
            cdfs.append(dist.cdf)
        else:
            axes.append(np.unique(samples))
            cdfs.append(_empirical_cdf(samples))
    breakpoints = np.unique(np.concatenate(axes))
    cdf_p, cdf_q = cdfs
    # Kinks of |F_P - F_Q| where the two CDFs cross: breakpoints where both are mixtures, and
    # the sign of F_P - F_Q labels the smooth pieces for the quadrature's error estimate.
    if isinstance(dist_p, GaussianMixture) and isinstance(dist_q, GaussianMixture):
        roots = mixture_crossings(dist_p, dist_q, order=0)
        breakpoints = np.unique(np.concatenate([breakpoints, roots]))

    def integrand(x: np.ndarray) -> quadrature.Evaluation:
        diff = cdf_p(x[:, 0]) - cdf_q(x[:, 0])
        return quadrature.Evaluation(np.abs(diff), 4.0 * _EPS * np.ones_like(diff), np.sign(diff))

    r = quadrature.integrate(integrand, [breakpoints], atol=atol)
    return DivergenceResult(r.value, r.error, "quadrature", r.n_evaluations)
