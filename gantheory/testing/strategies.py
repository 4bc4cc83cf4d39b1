r"""Hypothesis strategies for random toy distributions.

Other projects can use them to property-test their own code on densities whose exact values
gantheory knows::

    from hypothesis import given
    from gantheory.testing.strategies import mixtures

    @given(mixtures(dim=1))
    def test_my_estimator(p): ...

The parameters are drawn from ranges in which quadrature is fast and accurate: means in
``[-mean_bound, mean_bound]``, standard deviations in ``[min_std, max_std]``, correlations
``|rho| <= max_abs_correlation``, weights bounded away from zero.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from gantheory.distributions import Gaussian, GaussianMixture

__all__ = ["covariances", "gaussians", "mixture_pairs", "mixtures"]


def _floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def covariances(
    draw: st.DrawFn,
    dim: int,
    min_std: float = 0.3,
    max_std: float = 2.0,
    max_abs_correlation: float = 0.8,
) -> np.ndarray:
    """A symmetric positive definite ``(dim, dim)`` covariance (dim 1 or 2; diagonal beyond)."""
    stds = np.array([draw(_floats(min_std, max_std)) for _ in range(dim)])
    corr = np.eye(dim)
    if dim == 2:
        rho = draw(_floats(-max_abs_correlation, max_abs_correlation))
        corr[0, 1] = corr[1, 0] = rho
    return corr * np.outer(stds, stds)


@st.composite
def gaussians(
    draw: st.DrawFn,
    dim: int | None = None,
    mean_bound: float = 2.0,
    min_std: float = 0.3,
    max_std: float = 2.0,
) -> Gaussian:
    """A random :class:`~gantheory.Gaussian` in ``dim`` dimensions (1 or 2 if not given)."""
    d = draw(st.sampled_from([1, 2])) if dim is None else dim
    mean = np.array([draw(_floats(-mean_bound, mean_bound)) for _ in range(d)])
    return Gaussian(mean, draw(covariances(d, min_std, max_std)))


@st.composite
def mixtures(
    draw: st.DrawFn,
    dim: int | None = None,
    max_components: int = 3,
    mean_bound: float = 2.0,
    min_std: float = 0.3,
    max_std: float = 2.0,
    min_weight: float = 0.05,
) -> GaussianMixture:
    """A random :class:`~gantheory.GaussianMixture` with 1 to ``max_components`` components."""
    d = draw(st.sampled_from([1, 2])) if dim is None else dim
    k = draw(st.integers(1, max_components))
    raw = np.array([draw(_floats(min_weight, 1.0)) for _ in range(k)])
    weights = raw / raw.sum()
    means = np.array([[draw(_floats(-mean_bound, mean_bound)) for _ in range(d)] for _ in range(k)])
    covs = np.stack([draw(covariances(d, min_std, max_std)) for _ in range(k)])
    return GaussianMixture(weights, means, covs)


@st.composite
def mixture_pairs(
    draw: st.DrawFn, dim: int | None = None, **kwargs: float
) -> tuple[GaussianMixture, GaussianMixture]:
    """Two random mixtures of the same dimension (keyword arguments as for :func:`mixtures`)."""
    d = draw(st.sampled_from([1, 2])) if dim is None else dim
    return draw(mixtures(d, **kwargs)), draw(mixtures(d, **kwargs))
