r"""Numerical integration of functionals of two densities: quadrature or Monte Carlo.

Every numerical quantity in gantheory is an integral :math:`\int h(x)\,dx` whose integrand
depends on the point and on the two log densities, :math:`h = h(x, \log p(x), \log q(x))`:
an f-divergence has :math:`h = q f(p/q)`, the GAN value function has
:math:`h = p \log D + q \log (1 - D)`. This module evaluates such integrals

* by deterministic adaptive quadrature (:mod:`gantheory.divergences.quadrature`) in 1-D and
  2-D, with an error estimate that bounds the error;
* by Monte Carlo in any dimension, sampling the equal mixture :math:`m = (p + q)/2` in two
  strata (half the samples from :math:`p`, half from :math:`q`):

  .. math::

      \int h = \mathbb E_m\!\left[\frac{h}{m}\right]
             = \tfrac12 \mathbb E_p\!\left[\frac hm\right] + \tfrac12 \mathbb E_q\!\left[\frac
             hm\right],
      \qquad \mathrm{s.e.} = \tfrac12 \sqrt{\frac{s_p^2}{n_p} + \frac{s_q^2}{n_q}} .

  The reported error is one standard error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from gantheory import _validation as val
from gantheory.distributions import GaussianMixture
from gantheory.divergences import quadrature
from gantheory.divergences.crossings import mixture_crossings
from gantheory.stats import mean_and_standard_error

#: Default absolute tolerance of quadrature, by dimension.
DEFAULT_ATOL = {1: 1e-10, 2: 1e-8}
#: Default number of Monte Carlo samples (split equally between p and q).
DEFAULT_N_SAMPLES = 200_000
METHODS = ("auto", "closed_form", "quadrature", "monte_carlo")
_LOG2 = np.log(2.0)
_EPS = float(np.finfo(float).eps)

Integrand = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class DivergenceResult:
    """A numerical value with its error estimate.

    Attributes
    ----------
    value : float
        The value (nats unless stated otherwise).
    error : float
        For ``method="quadrature"`` an estimate that bounds the absolute error, rounding
        included; for ``"monte_carlo"`` one standard error; for closed forms a bound on the
        rounding of their terms (``0.0`` only where the value is exact, e.g. for identical
        distributions or an infinite divergence).
    method : str
        ``"closed_form"``, ``"quadrature"`` or ``"monte_carlo"``.
    n_evaluations : int
        Integrand evaluations (quadrature) or samples (Monte Carlo); 0 for closed forms.

    ``float(result)`` gives the value.
    """

    value: float
    error: float
    method: str
    n_evaluations: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", float(self.value))
        object.__setattr__(self, "error", float(self.error))

    def __float__(self) -> float:
        return float(self.value)

    def scaled(self, factor: float, offset: float = 0.0) -> DivergenceResult:
        """The result of ``factor * value + offset`` with the error scaled alike."""
        return DivergenceResult(
            factor * self.value + offset, abs(factor) * self.error, self.method, self.n_evaluations
        )


def _log_densities(p: Any, q: Any, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore"):
        return p.logpdf(x), q.logpdf(x)


#: Relative step of the finite differences that propagate the log densities' rounding.
_STEP = 1e-6


def _log_density_error(log_density: np.ndarray) -> np.ndarray:
    """A bound on the rounding of a computed log density: a few ulps of its size (0 at -inf)."""
    with np.errstate(invalid="ignore"):
        return 4.0 * _EPS * (np.nan_to_num(np.abs(log_density), posinf=0.0) + 4.0)


def _evaluation_error(
    integrand: Integrand, x: np.ndarray, lp: np.ndarray, lq: np.ndarray, h: np.ndarray
) -> np.ndarray:
    r"""A first-order bound on the rounding error of ``h = integrand(x, lp, lq)``.

    A log density :math:`\ell` is computed with an absolute error :math:`\delta\ell` of a few
    :math:`\varepsilon(|\ell| + 4)` (the quadratic form and the log normaliser). It propagates
    through the integrand as :math:`|\partial h/\partial\ell_p|\,\delta\ell_p +
    |\partial h/\partial\ell_q|\,\delta\ell_q`, each derivative taken by a forward
    difference of relative step :data:`_STEP` (their truncation error is of that relative
    order). Cancellation inside the integrand (:math:`\ell_p - \ell_m` in the JSD) adds
    :math:`\delta\ell` times the densities, and its last operations a few ulps of
    :math:`|h|`:

    .. math::

        \delta h \le \sum_{\ell \in \{\ell_p, \ell_q\}}
        \Bigl|\frac{\partial h}{\partial \ell}\Bigr| \delta\ell
        + (p + q)(\delta\ell_p + \delta\ell_q) + 8\varepsilon |h| .
    """
    error_p, error_q = _log_density_error(lp), _log_density_error(lq)
    total = 8.0 * _EPS * np.abs(h)
    with np.errstate(invalid="ignore", over="ignore"):
        total += (np.exp(lp) + np.exp(lq)) * (error_p + error_q)
        for shifted_p, shifted_q, error in (
            (lp + _STEP, lq, error_p),
            (lp, lq + _STEP, error_q),
        ):
            slope = np.abs(integrand(x, shifted_p, shifted_q) - h) / _STEP
            total += np.nan_to_num(slope * error, nan=0.0)
    return total


#: How many times the domain may be doubled when the integrand has not decayed at its edge.
_MAX_DOMAIN_DOUBLINGS = 6


def _extend_until_decayed(
    func: Callable[[np.ndarray], quadrature.Evaluation], axes: list[np.ndarray], atol: float
) -> list[np.ndarray]:
    """Widen the domain while the integrand is not negligible on its boundary.

    The breakpoints end 20 standard deviations out, where every density is negligible, but an
    integrand such as :math:`p^2/q` (Pearson's chi-squared) can decay far more slowly. The
    integrand is sampled on the boundary of the box; while ``max |h| * volume`` exceeds a
    thousandth of ``atol`` the box is doubled about its centre. If it still has not decayed
    after 6 doublings the integral is taken to diverge (QuadratureError).
    """
    for _ in range(_MAX_DOMAIN_DOUBLINGS + 1):
        lows = np.array([a[0] for a in axes])
        highs = np.array([a[-1] for a in axes])
        volume = float(np.prod(highs - lows))
        with np.errstate(over="ignore", invalid="ignore"):  # inf/NaN there: not decayed
            values = np.abs(func(_boundary_points(lows, highs)).values)
        edge = float(np.max(np.where(np.isnan(values), np.inf, values)))
        if edge * volume <= 1e-3 * atol:
            return axes
        centre, half = 0.5 * (lows + highs), 0.5 * (highs - lows)
        axes = [
            np.concatenate([[c - 2 * h], a, [c + 2 * h]])
            for a, c, h in zip(axes, centre, half, strict=True)
        ]
    raise quadrature.QuadratureError(
        f"the integrand is still {edge:.3g} on the boundary of a domain {2**_MAX_DOMAIN_DOUBLINGS}"
        " times wider than the distributions' 20-standard-deviation range: the integral "
        "probably diverges (e.g. a chi-squared divergence with too light a denominator)",
        quadrature.QuadratureResult(float("nan"), float("inf"), 0, 0),
    )


def _boundary_points(lows: np.ndarray, highs: np.ndarray, per_side: int = 65) -> np.ndarray:
    """Points on the boundary of the box ``[lows, highs]`` (its 2 ends in 1-D)."""
    if lows.size == 1:
        return np.array([[lows[0]], [highs[0]]])
    xs = np.linspace(lows[0], highs[0], per_side)
    ys = np.linspace(lows[1], highs[1], per_side)
    return np.concatenate(
        [
            np.stack([xs, np.full_like(xs, lows[1])], 1),
            np.stack([xs, np.full_like(xs, highs[1])], 1),
            np.stack([np.full_like(ys, lows[0]), ys], 1),
            np.stack([np.full_like(ys, highs[0]), ys], 1),
        ]
    )


def integrate_quadrature(
    p: Any,
    q: Any,
    integrand: Integrand,
    *,
    atol: float | None = None,
    kink_where_equal: bool = False,
    max_evaluations: int = 20_000_000,
) -> DivergenceResult:
    """Integrate ``integrand(x, log p, log q)`` over the plane or line by adaptive quadrature."""
    dim = p.dim
    if dim not in (1, 2):
        raise ValueError(
            f"method='quadrature' is available in 1-D and 2-D; these distributions are {dim}-D "
            "(use method='monte_carlo')"
        )
    atol = DEFAULT_ATOL[dim] if atol is None else val.check_tolerance(atol, "atol")
    axes = quadrature.domain_breakpoints([p, q])
    mixtures = isinstance(p, GaussianMixture) and isinstance(q, GaussianMixture)
    if kink_where_equal and dim == 1 and mixtures:
        axes = quadrature.domain_breakpoints([p, q], extra=[mixture_crossings(p, q)])

    def func(x: np.ndarray) -> quadrature.Evaluation:
        lp, lq = _log_densities(p, q, x)
        h = integrand(x, lp, lq)
        # Where the kinks are not all breakpoints, the sign of p - q labels the smooth pieces.
        pieces = None
        if kink_where_equal:
            with np.errstate(invalid="ignore"):  # both -inf: the same piece as equal densities
                pieces = np.sign(np.nan_to_num(lp - lq))
        return quadrature.Evaluation(h, _evaluation_error(integrand, x, lp, lq, h), pieces)

    axes = _extend_until_decayed(func, axes, atol)
    r = quadrature.integrate(func, axes, atol=atol, max_evaluations=max_evaluations)
    return DivergenceResult(r.value, r.error, "quadrature", r.n_evaluations)


def integrate_monte_carlo(
    p: Any, q: Any, integrand: Integrand, *, n_samples: int | None = None, seed: Any = 0
) -> DivergenceResult:
    """Estimate ``integral of integrand(x, log p, log q)`` by stratified sampling of (p + q)/2."""
    n = DEFAULT_N_SAMPLES if n_samples is None else val.check_int(n_samples, "n_samples", 4)
    rng = val.check_seed(seed)
    means, errors = [], []
    for dist, count in ((p, n // 2), (q, n - n // 2)):
        x = dist.sample(count, seed=rng)
        lp, lq = _log_densities(p, q, x)
        lm = np.logaddexp(lp, lq) - _LOG2
        ratio = integrand(x, lp, lq) * np.exp(-lm)
        if not np.all(np.isfinite(ratio)):
            raise ValueError(
                "the integrand is not finite on the samples (the quantity is probably infinite "
                "or undefined for these distributions)"
            )
        mean, se = mean_and_standard_error(ratio)  # one stratum
        means.append(mean)
        errors.append(se)
    value = 0.5 * (means[0] + means[1])
    error = 0.5 * float(np.hypot(errors[0], errors[1]))
    return DivergenceResult(float(value), error, "monte_carlo", n)


def integrate(
    p: Any,
    q: Any,
    integrand: Integrand,
    *,
    method: str,
    atol: float | None = None,
    n_samples: int | None = None,
    seed: Any = 0,
    kink_where_equal: bool = False,
) -> DivergenceResult:
    """Dispatch to quadrature (``auto`` in 1-D and 2-D) or Monte Carlo (``auto`` beyond)."""
    if method == "auto":
        method = "quadrature" if p.dim <= 2 else "monte_carlo"
    if method == "quadrature":
        return integrate_quadrature(p, q, integrand, atol=atol, kink_where_equal=kink_where_equal)
    if method == "monte_carlo":
        return integrate_monte_carlo(p, q, integrand, n_samples=n_samples, seed=seed)
    raise ValueError(f"method must be one of {METHODS}; got {method!r}")


def check_method(method: Any) -> str:
    """Validate a ``method`` keyword."""
    return val.check_choice(method, "method", METHODS)


