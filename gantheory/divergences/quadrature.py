r"""Deterministic adaptive quadrature in one and two dimensions.

The rule is the 15-point Gauss-Kronrod rule (7-point Gauss embedded), in 2-D its tensor
product, applied on panels. On each panel the Kronrod value :math:`K` is kept and
:math:`|K - G|`, the difference to the embedded Gauss value, is its error estimate. Since
:math:`K` is exact for polynomials of degree 22 and :math:`G` only of degree 13, the
difference is dominated by :math:`G`'s error and bounds :math:`K`'s error generously on
smooth panels: the estimate is pessimistic, which is the honest direction.

Panels start at the breakpoints the distributions supply (each Gaussian component gives
its mean and :math:`\pm 2, 6, 20` standard deviations per axis, a box its edges)
plus any extra breakpoints (kinks of the integrand). The domain ends at 20 standard
deviations of the widest component, beyond which a Gaussian holds less than
:math:`10^{-88}` of its mass: the truncation error is far below any tolerance used here.
Integrands that decay more slowly than the densities (Pearson's :math:`p^2/q`) are caught by
the caller (:func:`gantheory.divergences.numerical.integrate_quadrature`), which widens the
domain while the integrand is not negligible on its boundary and reports divergence otherwise.

The estimate needs a smooth integrand on every panel: kinks and jumps must sit on panel
edges. In 1-D the callers put breakpoints there (box edges, the crossings of ``|p - q|``); in
2-D a kink along a curve cannot be aligned, and there the estimate was measured to understate
the error (total variation, see :mod:`gantheory.divergences.sections`, which avoids it). An
integrand that knows where it is smooth can say so: ``func`` may return an
:class:`Evaluation` whose ``pieces`` label the smooth piece each point lies in (for example the
sign of :math:`p - q`). A panel whose nodes carry different labels holds a kink, and its
estimate becomes :math:`|K - G| + 2 V \,(\max f - \min f)` over its nodes (:math:`V` its
volume): the integral and :math:`K` both lie within :math:`V [\min f, \max f]` if the nodes
see the extremes, and the factor 2 allows for what they miss near the edges. It shrinks like
the panel, so refinement isolates the kink.

Rounding is bounded separately, because refinement cannot reduce it. Each panel's Kronrod sum
of :math:`m` products is off by at most :math:`\gamma_{m+2} \sum_i w_i |f_i|` (with
:math:`\gamma_n = n\varepsilon/(1 - n\varepsilon)`, :math:`\varepsilon = 2^{-52}`; Higham,
*Accuracy and Stability of Numerical Algorithms*, section 3.1), the panels are summed exactly
(:func:`math.fsum`) and rounded once, and the integrand's own evaluation error, where
``func`` reports one (:attr:`Evaluation.errors`), is integrated with the Kronrod weights. The
reported error is the sum of the discretisation estimate and this rounding bound. When the
rounding bound alone exceeds ``atol`` (a large integral, such as a :math:`\chi^2` of
:math:`10^5`, cannot be summed in double precision to :math:`10^{-10}`) the reported error is
above ``atol``: the tolerance governs refinement, the error says what was reached. A panel
whose :math:`|K - G|` is within twice its rounding bound is not split further, since its
estimate is then rounding noise.

Refinement is global and vectorized: in each round the panels with the largest errors are
bisected (every axis), just enough of them that the others' errors sum to at most half the
tolerance, until the total error is below ``atol``. If the evaluation budget runs out first,
:class:`QuadratureError` reports the error reached; a silently wrong number is never returned.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

# Gauss-Kronrod (7, 15) nodes on [-1, 1] (non-negative half) and weights, from QUADPACK
# (Piessens et al. 1983, routine QK15).
_XGK = np.array(
    [
        0.991455371120812639206854697526329,
        0.949107912342758524526189684047851,
        0.864864423359769072789712788640926,
        0.741531185599394439863864773280788,
        0.586087235467691130294144845693013,
        0.405845151377397166906606412076961,
        0.207784955007898467600689403773245,
        0.000000000000000000000000000000000,
    ]
)
_WGK = np.array(
    [
        0.022935322010529224963732008058970,
        0.063092092629978553290700663189204,
        0.104790010322250183839876322541518,
        0.140653259715525918745189590510238,
        0.169004726639267902826583426598550,
        0.190350578064785409913256402421014,
        0.204432940075298892414161999234649,
        0.209482141084727828012999174891714,
    ]
)
_WG = np.array(
    [
        0.129484966168869693270611432679082,
        0.279705391489276667901467771423780,
        0.381830050505118944950369775488975,
        0.417959183673469387755102040816327,
    ]
)
#: Full 15-point node set on [-1, 1], Kronrod weights and Gauss weights (0 at Kronrod-only nodes).
NODES = np.concatenate([-_XGK[:-1], _XGK[::-1]])
KRONROD_WEIGHTS = np.concatenate([_WGK[:-1], _WGK[::-1]])
_gauss_half = np.zeros(8)
_gauss_half[1::2] = _WG
GAUSS_WEIGHTS = np.concatenate([_gauss_half[:-1], _gauss_half[::-1]])

#: Points evaluated per batch of panels (bounds memory).
_BATCH_POINTS = 1 << 18
_EPS = float(np.finfo(float).eps)


class Evaluation(NamedTuple):
    """What an integrand may return instead of a bare array of values (each ``(n,)``).

    Attributes
    ----------
    values : ndarray
        The integrand at the points.
    errors : ndarray or None
        A bound on the rounding error of each value, integrated into the rounding bound.
    pieces : ndarray or None
        A label of the smooth piece each point lies in; a panel with mixed labels holds a
        kink, and its error estimate is widened to the spread of its values.
    """

    values: np.ndarray
    errors: np.ndarray | None = None
    pieces: np.ndarray | None = None


class _PanelEstimates(NamedTuple):
    """Per-panel Kronrod values, discretisation estimates and rounding bounds."""

    values: np.ndarray
    errors: np.ndarray
    rounding: np.ndarray


class QuadratureError(ArithmeticError):
    """Raised when quadrature cannot reach its tolerance within its evaluation budget.

    Attributes
    ----------
    result : QuadratureResult
        The value and (too large) error estimate reached.
    """

    def __init__(self, message: str, result: QuadratureResult):
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class QuadratureResult:
    """Value of an integral with its error estimate (rounding included) and the work spent."""

    value: float
    error: float
    n_evaluations: int
    n_panels: int


def _rule(dim: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nodes ``(m, dim)`` on ``[-1, 1]^dim`` with Kronrod and Gauss weights ``(m,)``."""
    if dim == 1:
        return NODES[:, None], KRONROD_WEIGHTS, GAUSS_WEIGHTS
    grid = np.stack(np.meshgrid(NODES, NODES, indexing="ij"), axis=-1).reshape(-1, 2)
    wk = np.outer(KRONROD_WEIGHTS, KRONROD_WEIGHTS).ravel()
    wg = np.outer(GAUSS_WEIGHTS, GAUSS_WEIGHTS).ravel()
    return grid, wk, wg


def _apply(
    func: Callable[[np.ndarray], np.ndarray | Evaluation], lo: np.ndarray, hi: np.ndarray
) -> _PanelEstimates:
    """Kronrod values, error estimates and rounding bounds on panels ``[lo, hi]`` (``(P, dim)``)."""
    dim = lo.shape[1]
    nodes, wk, wg = _rule(dim)
    half = 0.5 * (hi - lo)  # (P, dim)
    centre = 0.5 * (hi + lo)
    jac = np.prod(half, axis=1)  # (P,)
    gamma = (nodes.shape[0] + 2) * _EPS / (1.0 - (nodes.shape[0] + 2) * _EPS)
    per_batch = max(1, _BATCH_POINTS // nodes.shape[0])
    out = _PanelEstimates(*(np.empty(lo.shape[0]) for _ in range(3)))
    for s in range(0, lo.shape[0], per_batch):
        pts = centre[s : s + per_batch, None, :] + half[s : s + per_batch, None, :] * nodes
        evaluation = func(pts.reshape(-1, dim))
        if not isinstance(evaluation, Evaluation):
            evaluation = Evaluation(evaluation)
        f = np.asarray(evaluation.values, dtype=float).reshape(pts.shape[:2])
        if not np.all(np.isfinite(f)):
            raise ValueError(
                "the integrand is not finite inside the domain (the quantity is probably "
                "infinite or undefined for these distributions)"
            )
        j = jac[s : s + per_batch]
        k = f @ wk * j
        error = np.abs(k - f @ wg * j)
        if evaluation.pieces is not None:
            pieces = np.reshape(evaluation.pieces, pts.shape[:2])
            mixed = pieces.min(axis=1) != pieces.max(axis=1)
            spread = 2.0 * (2**dim * np.abs(j)) * (f.max(axis=1) - f.min(axis=1))
            error = error + np.where(mixed, spread, 0.0)
        pointwise = gamma * np.abs(f)
        if evaluation.errors is not None:
            pointwise = pointwise + np.reshape(evaluation.errors, pts.shape[:2])
        out.values[s : s + per_batch] = k
        out.errors[s : s + per_batch] = error
        out.rounding[s : s + per_batch] = pointwise @ wk * np.abs(j)
    return out


def _initial_panels(breakpoints: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    edges = [np.unique(np.asarray(b, dtype=float)) for b in breakpoints]
    lows = np.meshgrid(*[e[:-1] for e in edges], indexing="ij")
    highs = np.meshgrid(*[e[1:] for e in edges], indexing="ij")
    lo = np.stack([a.ravel() for a in lows], axis=1)
    hi = np.stack([a.ravel() for a in highs], axis=1)
    return lo, hi


def _bisect(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split each panel into 2**dim equal children."""
    dim = lo.shape[1]
    mid = 0.5 * (lo + hi)
    new_lo, new_hi = [], []
    for corner in range(2**dim):
        bits = [(corner >> j) & 1 for j in range(dim)]
        new_lo.append(np.stack([mid[:, j] if b else lo[:, j] for j, b in enumerate(bits)], 1))
        new_hi.append(np.stack([hi[:, j] if b else mid[:, j] for j, b in enumerate(bits)], 1))
    return np.concatenate(new_lo), np.concatenate(new_hi)


def integrate(
    func: Callable[[np.ndarray], np.ndarray],
    breakpoints: Sequence[np.ndarray],
    *,
    atol: float,
    max_evaluations: int = 20_000_000,
) -> QuadratureResult:
    r"""Integrate ``func`` over the box spanned by ``breakpoints`` to absolute error ``atol``.

    Parameters
    ----------
    func : callable
        Maps points of shape ``(n, d)`` to values of shape ``(n,)``, or to an
        :class:`Evaluation` that adds their rounding errors and smooth pieces; ``d`` is 1 or 2.
    breakpoints : sequence of array_like
        One array per axis; panels start between consecutive (sorted, unique) values, and
        the outermost values bound the domain.
    atol : float
        Target absolute error of the sum of the per-panel estimates :math:`|K - G|`; the
        reported error adds the rounding bound.
    max_evaluations : int
        Budget of integrand evaluations.

    Returns
    -------
    QuadratureResult

    Raises
    ------
    QuadratureError
        If the budget is spent before the error estimate reaches ``atol``.

    Examples
    --------
    >>> import numpy as np
    >>> r = integrate(lambda x: np.exp(-x[:, 0] ** 2), [np.array([-10.0, 0.0, 10.0])],
    ...               atol=1e-12)
    >>> bool(abs(r.value - np.sqrt(np.pi)) < 1e-14)
    True
    """
    dim = len(breakpoints)
    if dim not in (1, 2):
        raise ValueError(f"quadrature is implemented in 1-D and 2-D; got {dim} axes")
    points_per_panel = 15**dim
    lo, hi = _initial_panels(breakpoints)
    panels = _apply(func, lo, hi)
    n_eval = lo.shape[0] * points_per_panel
    done_values: list[float] = []
    done_error = 0.0
    done_rounding = 0.0
    n_done = 0

    def result(total_error: float) -> QuadratureResult:
        value = math.fsum(done_values + panels.values.tolist())  # summed exactly, rounded once
        rounding = done_rounding + float(panels.rounding.sum()) + _EPS * abs(value)
        return QuadratureResult(value, total_error + rounding, n_eval, n_done + lo.shape[0])

    while True:
        total_error = done_error + float(panels.errors.sum())
        if total_error <= atol:
            break
        # Split the panels with the largest errors: the rest keep at most half the budget.
        # A panel whose estimate is within its rounding bound cannot be improved by splitting.
        order = np.argsort(panels.errors)  # ascending
        kept_budget = 0.5 * (atol - done_error)
        cumulative = np.cumsum(panels.errors[order])
        n_keep = int(np.searchsorted(cumulative, kept_budget, side="right"))
        at_floor = panels.errors[order] <= 2.0 * panels.rounding[order]
        keep = order[(np.arange(order.size) < n_keep) | at_floor]
        split = order[(np.arange(order.size) >= n_keep) & ~at_floor]
        if split.size == 0:  # every remaining estimate is at the rounding floor
            break
        cost = split.size * 2**dim * points_per_panel
        if n_eval + cost > max_evaluations:
            reached = result(total_error)
            raise QuadratureError(
                f"quadrature reached an error estimate of {total_error:.3g}, above the "
                f"tolerance atol={atol:.3g}, after {n_eval} evaluations (budget "
                f"{max_evaluations}); value so far {reached.value:.17g}",
                reached,
            )
        done_values.extend(panels.values[keep].tolist())
        done_error += float(panels.errors[keep].sum())
        done_rounding += float(panels.rounding[keep].sum())
        n_done += keep.size
        lo, hi = _bisect(lo[split], hi[split])
        panels = _apply(func, lo, hi)
        n_eval += cost
    return result(total_error)


def domain_breakpoints(distributions: Sequence, extra: Sequence[np.ndarray] | None = None):
    """Union per axis of the distributions' quadrature breakpoints and any ``extra`` ones."""
    per_axis = [d.quadrature_breakpoints() for d in distributions]
    dim = len(per_axis[0])
    axes = []
    for j in range(dim):
        pts = np.concatenate([bp[j] for bp in per_axis])
        if extra is not None and len(extra) > j and extra[j] is not None:
            inside = np.asarray(extra[j], dtype=float)
            inside = inside[(inside > pts.min()) & (inside < pts.max())]
            pts = np.concatenate([pts, inside])
        axes.append(np.unique(pts))
    return axes
