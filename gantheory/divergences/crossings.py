r"""Every root of a signed sum of Gaussian densities or CDFs, with a guarantee.

Where two Gaussian mixtures cross in 1-D (the kinks of :math:`|p - q|`), where two mixture
CDFs cross (the kinks of :math:`|F_P - F_Q|`), and where they cross along a section of a 2-D
mixture (:mod:`gantheory.divergences.sections`), the function whose roots are wanted is a
signed sum of Gaussian terms, one row per section:

.. math::

    h(y) = \sum_k c_k\, s_k^{-n}\, \Phi^{(n)}\!\Bigl(\frac{y - m_k}{s_k}\Bigr),
    \qquad n = 1 \text{ (densities) or } n = 0 \text{ (CDFs)},

with :math:`\Phi^{(m+1)}(z) = (-1)^m \mathrm{He}_m(z)\,\varphi(z)` (Hermite polynomials). On an
interval :math:`I` of half-length :math:`r` about :math:`c`, Taylor's theorem of order
:data:`ORDER` bounds :math:`h` and :math:`h'` by the derivatives at :math:`c` and a remainder
bounded from the components alone, through Cramér's inequality
:math:`|\mathrm{He}_m(z)|\,e^{-z^2/4} \le 1.0865\sqrt{m!}`:

.. math::

    \sup_I |h^{(K)}| \le B_K = \sum_k |c_k|\, s_k^{-n-K}\, \frac{1.0865\sqrt{(n+K-1)!}}
    {\sqrt{2\pi}}\, e^{-z_{k,\min}^2/4},

:math:`z_{k,\min}` the point of the standardised interval nearest 0. With :math:`\rho_j` a
bound on the rounding error of the computed :math:`h^{(j)}(c)`, two certificates follow:

* no root: :math:`|h(c)| - \rho_0 > \sum_{j=1}^{K-1} (|h^{(j)}(c)| + \rho_j)\, r^j/j! +
  B_K r^K/K!`;
* exactly one root: :math:`h` changes sign over :math:`I` and is monotone,
  :math:`|h'(c)| - \rho_1 > \sum_{j=2}^{K-1} (|h^{(j)}(c)| + \rho_j)\, r^{j-1}/(j-1)! +
  B_K r^{K-1}/(K-1)!` (a monotone :math:`h` of one sign at both ends has no root either).

The derivatives at :math:`c` are sums with the coefficients' signs, so they see the
cancellation between :math:`p` and :math:`q`; only the remainder does not, and it shrinks
like :math:`r^K`, so nearly identical mixtures are certified after a few halvings.

A scan of every component at half a standard deviation out to 10 standard deviations
supplies the first intervals; an interval with neither certificate is halved, so two close
roots (near a tangency) are separated. An interval is given up when its value bound
:math:`S_I = |h(c)| + \sum_j (|h^{(j)}(c)| + \rho_j) r^j/j! + B_K r^K/K!` is within rounding
of zero, or its worst case :math:`2 L S_I` is below :data:`NEGLIGIBLE` of
:math:`\sum_k |c_k|\, s_k^{-n}`, or after :data:`MAX_HALVINGS` halvings; that worst case (a
bound on the change of :math:`\int |h|` if its sign pattern is wrong) then enters
:attr:`Crossings.unresolved`, so the callers widen their error bounds by it. Beyond the scan,
every component is more than 10 standard deviations out: a missed root there misplaces at
most the mass of the tails, which is bounded too.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy import special

#: Scan offsets, in standard deviations, around every component's mean.
SCAN = np.linspace(-10.0, 10.0, 41)
#: Order of the Taylor expansions of the certificates.
ORDER = 8
#: Relative size below which an interval's worst-case contribution is not examined further.
NEGLIGIBLE = 1e-16
#: Halvings of a scan interval before it is given up (and its worst case reported).
MAX_HALVINGS = 40
_BISECTIONS = 64
_EPS = float(np.finfo(float).eps)
_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)
_CRAMER = 1.0865
#: The tail mass beyond 10 standard deviations, both sides, :math:`2\Phi(-10)`.
TAIL = 2.0 * float(special.ndtr(-10.0))
_FACTORIAL = np.array([float(math.factorial(j)) for j in range(ORDER + 3)])


class GaussianTerms(NamedTuple):
    """Rows of signed Gaussian terms, each array ``(rows, K)``; ``order`` 1 densities, 0 CDFs.

    ``coef`` is :math:`c_k` (0 for a component left out of a row), ``mean`` :math:`m_k`,
    ``std`` :math:`s_k`.
    """

    coef: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    order: int


class Crossings(NamedTuple):
    r"""The roots of each row of :class:`GaussianTerms`.

    Attributes
    ----------
    rows, roots : ndarray
        Row index and position of every root found (an odd number of roots within one
        unresolved interval counts as one).
    sign_below : ndarray
        The sign of :math:`h` just below each root (+1 or -1).
    first_sign : ndarray
        Per row, the sign of :math:`h` below the scan (+1 where it is 0).
    unresolved : ndarray
        Per row, a bound on :math:`\int |h|` over the intervals whose sign pattern was not
        certified and over the tails beyond the scan: misplacing signs there changes
        :math:`\int |h|` by at most twice this.
    """

    rows: np.ndarray
    roots: np.ndarray
    sign_below: np.ndarray
    first_sign: np.ndarray
    unresolved: np.ndarray


def _standardise(terms: GaussianTerms, rows: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (y[:, None] - terms.mean[rows]) / terms.std[rows]


def derivatives(terms: GaussianTerms, rows: np.ndarray, y: np.ndarray, count: int = 1):
    r""":math:`h^{(j)}(y)` for ``j < count`` and bounds on their rounding, each ``(count, n)``."""
    z = _standardise(terms, rows, y)  # (n, K)
    coef, std = terms.coef[rows], terms.std[rows]
    phi = _INV_SQRT_2PI * np.exp(-0.5 * z * z)
    growth = z * z + 4 * coef.shape[1] + 8
    values, rounding = np.empty((count, len(y))), np.empty((count, len(y)))
    he_previous, he = np.zeros_like(z), np.ones_like(z)  # He_{m-1}, He_m, from m = 0
    for j in range(count):
        m = terms.order + j - 1  # h^(j) is the sum of c s^-(m+1) Phi^(m+1)
        if m < 0:
            parts = coef * special.ndtr(z)
        else:
            parts = coef * std ** (-(m + 1)) * ((-1.0) ** m * phi) * he
            he_previous, he = he, z * he - m * he_previous
        values[j] = parts.sum(axis=1)
        rounding[j] = _EPS * np.sum(np.abs(parts) * (growth + 4 * j), axis=1)
    return values, rounding


def _remainder_bound(terms: GaussianTerms, rows: np.ndarray, a: np.ndarray, b: np.ndarray):
    """:math:`B_K`, a bound of ``|h^(K)|`` on each ``[a, b]`` of ``rows`` (Cramér)."""
    za, zb = _standardise(terms, rows, a), _standardise(terms, rows, b)
    z_min = np.clip(0.0, za, zb)
    m = terms.order + ORDER - 1
    constant = _CRAMER * np.sqrt(_FACTORIAL[m]) * _INV_SQRT_2PI
    scale = np.abs(terms.coef[rows]) * terms.std[rows] ** (-(m + 1))
    return constant * np.sum(scale * np.exp(-0.25 * z_min * z_min), axis=1) * (1.0 + 1e-12)


def scan_grid(terms: GaussianTerms) -> np.ndarray:
    """Per row, sorted scan points around the components with a non-zero coefficient.

    Rows with fewer active components are padded with ``+inf``; shape ``(rows, m)``.
    """
    active = terms.coef != 0
    centres = np.where(active, terms.mean, np.inf)
    grid = np.sort((centres[:, :, None] + terms.std[:, :, None] * SCAN).reshape(
        len(centres), -1), axis=1)
    return grid[:, : max(int(active.sum(axis=1).max()), 1) * SCAN.size]


def _sign(v: np.ndarray) -> np.ndarray:
    """+1 or -1; 0 counts as positive, the same at a point for every interval that shares it."""
    return np.where(v >= 0, 1.0, -1.0)


def _certify(terms: GaussianTerms, rows: np.ndarray, a: np.ndarray, b: np.ndarray):
    """Per interval: proven root-free, proven monotone, and the bound :math:`S_I` on ``|h|``."""
    half = 0.5 * (b - a)
    d, rho = derivatives(terms, rows, 0.5 * (a + b), ORDER)
    powers = half[None, :] ** np.arange(ORDER)[:, None] / _FACTORIAL[:ORDER, None]  # r^j/j!
    spread = (np.abs(d) + rho) * powers  # (ORDER, n)
    remainder = _remainder_bound(terms, rows, a, b)
    rest = spread[1:].sum(axis=0) + remainder * half**ORDER / _FACTORIAL[ORDER]
    no_root = np.abs(d[0]) - rho[0] > rest
    # r^(j-1)/(j-1)! = (r^j/j!) j / r
    orders = np.arange(2, ORDER)[:, None]
    slope_rest = (spread[2:] * orders / np.maximum(half, 1e-300)).sum(axis=0) + (
        remainder * half ** (ORDER - 1) / _FACTORIAL[ORDER - 1]
    )
    monotone = np.abs(d[1]) - rho[1] > slope_rest
    return no_root, monotone, np.abs(d[0]) + rest, rho[0]


def find_roots(terms: GaussianTerms) -> Crossings:
    """All roots of each row of ``terms``, certified as described in the module docstring."""
    n_rows = terms.coef.shape[0]
    scale = np.sum(np.abs(terms.coef) * terms.std ** (-terms.order), axis=1)  # (rows,)
    grid = scan_grid(terms)
    finite = np.isfinite(grid)
    rows_grid = np.broadcast_to(np.arange(n_rows)[:, None], grid.shape)
    values = np.zeros(grid.shape)
    values[finite] = derivatives(terms, rows_grid[finite], grid[finite])[0][0]
    first_sign = _sign(values[:, 0])
    pair = finite[:, :-1] & finite[:, 1:]
    rows = rows_grid[:, :-1][pair]
    a, b = grid[:, :-1][pair], grid[:, 1:][pair]
    fa, fb = values[:, :-1][pair], values[:, 1:][pair]
    unresolved = TAIL * scale
    found: list[tuple[np.ndarray, ...]] = []
    for depth in range(MAX_HALVINGS + 1):
        if rows.size == 0:
            break
        no_root, monotone, size, rounding = _certify(terms, rows, a, b)
        sa = _sign(fa)
        change = sa != _sign(fb)
        settled = np.where(change, monotone, no_root | monotone)
        worst = 2.0 * (b - a) * size
        give_up = ~settled & (
            (size <= 8.0 * rounding) | (worst <= NEGLIGIBLE * scale[rows]) | (depth == MAX_HALVINGS)
        )
        np.add.at(unresolved, rows[give_up], worst[give_up])
        bracket = change & (settled | give_up)
        found.append((rows[bracket], a[bracket], b[bracket], sa[bracket]))
        split = ~(settled | give_up)
        rows, a, b, fa, fb = rows[split], a[split], b[split], fa[split], fb[split]
        mid = 0.5 * (a + b)
        fm = derivatives(terms, rows, mid)[0][0]
        rows = np.concatenate([rows, rows])
        a, b = np.concatenate([a, mid]), np.concatenate([mid, b])
        fa, fb = np.concatenate([fa, fm]), np.concatenate([fm, fb])
    rows, lo, hi, sign_below = (np.concatenate(v) for v in zip(*found, strict=True))
    for _ in range(_BISECTIONS):  # keep h(lo) of the sign below the root
        mid = 0.5 * (lo + hi)
        below = _sign(derivatives(terms, rows, mid)[0][0]) == sign_below
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return Crossings(rows, 0.5 * (lo + hi), sign_below, first_sign, unresolved)


def mixture_terms(p, q, order: int) -> GaussianTerms:
    """One row: :math:`p - q` (``order`` 1) or :math:`F_P - F_Q` (``order`` 0) of 1-D mixtures."""
    coef = np.concatenate([p.weights, -q.weights])[None]
    mean = np.concatenate([p.means[:, 0], q.means[:, 0]])[None]
    std = np.sqrt(np.concatenate([p.covs[:, 0, 0], q.covs[:, 0, 0]]))[None]
    return GaussianTerms(coef, mean, std, order)


def mixture_crossings(p, q, order: int = 1) -> np.ndarray:
    r"""The sorted points where two 1-D Gaussian mixtures cross: :math:`p = q` (``order`` 1)
    or :math:`F_P = F_Q` (``order`` 0), every one of them (see the module docstring).

    Examples
    --------
    >>> from gantheory import Gaussian
    >>> mixture_crossings(Gaussian(-1.0, 1.0), Gaussian(1.0, 1.0)).tolist()  # midway
    [0.0]
    >>> roots = mixture_crossings(Gaussian(0.0, 1.0), Gaussian(0.0, 4.0))  # x^2 = 8 log(2) / 3
    >>> [round(float(r), 12) for r in roots]
    [-1.359555986892, 1.359555986892]
    """
    return np.sort(find_roots(mixture_terms(p, q, order)).roots)
