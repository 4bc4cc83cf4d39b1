r"""Where the curve :math:`p = q` of two 2-D Gaussian mixtures can touch a vertical section.

With :math:`h = p - q = \sum_k c_k \mathcal N(u; \mu_k, \Sigma_k)` (:math:`c_k` the weights of
:math:`p` and minus those of :math:`q`), the number of roots of :math:`h(x, \cdot)` changes
only at a *tangency*, a point where :math:`h = 0` and :math:`\partial_y h = 0` at once (or
where a root enters from :math:`|y| \to \infty`, which happens only in the far tails). A box
:math:`B` holds no tangency if :math:`|h| > 0` on all of :math:`B` or :math:`|\partial_y h| > 0`
on all of :math:`B`. :func:`tangency_boxes` covers the region where the components matter
with a quadtree, certifies as many boxes as it can, and returns the rest: outside them, every
root of every section is simple and moves analytically with :math:`x` (implicit function
theorem).

**Certificate.** About the centre :math:`c` of a box of half-widths :math:`(r_x, r_y)`, Taylor's
theorem of order :data:`ORDER` :math:`= N` gives, for :math:`t = u - c`,

.. math::

    |h(u) - h(c)| \le \sum_{j=1}^{N-1} \sum_{i+l=j} \bigl(|\partial_x^i\partial_y^l h(c)|
    + \rho_{il}\bigr) \frac{r_x^i r_y^l}{i!\, l!} + \frac{1}{N!}\sup_B |(t\cdot\nabla)^N h|,

and the same for :math:`\partial_y h` with :math:`\partial_x^i\partial_y^{l+1}`. The
derivatives at :math:`c` are computed exactly (up to the bounded rounding :math:`\rho_{il}`)
as signed sums over the components, so they see the cancellation between :math:`p` and
:math:`q`: nearly identical mixtures are certified like any others. They follow from
:math:`\partial_x \mathcal N = -v_x \mathcal N`, :math:`v = \Lambda (u - \mu)`,
:math:`\Lambda = \Sigma^{-1}`, by Leibniz' rule (:math:`v` is linear):

.. math::

    D_{i+1,l} = -(v_x D_{i,l} + i\Lambda_{xx} D_{i-1,l} + l\Lambda_{xy} D_{i,l-1}),\qquad
    D_{i,l+1} = -(v_y D_{i,l} + i\Lambda_{xy} D_{i-1,l} + l\Lambda_{yy} D_{i,l-1}).

Their rounding is bounded by the same recursion run on absolute values, times
:math:`\varepsilon (8 \lambda_{\max}(\Lambda)|u - \mu|^2 + (8j + 16)\kappa(\Sigma) + 2K)` (the
exponential's argument, :math:`j` steps of three products, the inverse's conditioning, the
sum over :math:`K` components). Only the remainder is bounded from the components alone:
with :math:`\Sigma = LL^\top`, :math:`w = L^{-1}(u - \mu)` and :math:`b = L^{-1}t`, the
density is :math:`\varphi(z)\varphi(w_\perp)/\det L` in coordinates along and across
:math:`b`, so Cramér's inequality :math:`|\mathrm{He}_m(z)|\, e^{-z^2/4} \le 1.0865\sqrt{m!}`
and :math:`\varphi(w_\perp) \le e^{-w_\perp^2/4}/\sqrt{2\pi}` give

.. math::

    |(t\cdot\nabla)^N \mathcal N(u)| \le \frac{|b|^N}{\det L}\,
    \frac{1.0865\sqrt{N!}}{2\pi}\, e^{-|w|^2/4}, \qquad
    |(t\cdot\nabla)^N \partial_y \mathcal N(u)| \le \frac{|b|^N |a|}{\det L}\,
    \frac{1.0865\sqrt{N!}\sqrt{N+2}}{2\pi}\, e^{-|w|^2/4},

with :math:`a = L^{-1}e_y` (split :math:`a` along and across :math:`b`: the parts give
:math:`\mathrm{He}_{N+1}(z)` and :math:`\mathrm{He}_N(z)\,\mathrm{He}_1(w_\perp)`, and
:math:`|\alpha|\sqrt{N+1} + |a_\perp| \le |a|\sqrt{N+2}`), where
:math:`|b|^2 \le \max_{\text{corners}} t^\top\Lambda t` and
:math:`|w|^2 \ge \operatorname{dist}(\mu, B)^2/\lambda_{\max}(\Sigma)`. A box is certified if
:math:`|h(c)| - \rho_{00}` exceeds its bound on :math:`|h - h(c)|`, or
:math:`|\partial_y h(c)| - \rho_{01}` exceeds the one on :math:`|\partial_y h - \partial_y h(c)|`;
otherwise :math:`S_B = |h(c)| + \rho_{00} + (\text{that bound})` bounds :math:`|h|` on it.

**Tilt.** Far from a component, :math:`|v|` is large and the Taylor terms grow like
:math:`(|v| r)^j`: a box would have to be much smaller than :math:`1/|v|`. Multiplying by
:math:`e^{a\cdot(u - c)}` changes neither the zeros of :math:`h` nor whether a zero is a
tangency (where :math:`h = 0`, :math:`\partial_y(h e^{a\cdot(u-c)}) = e^{a\cdot(u-c)}
\partial_y h`), and each tilted component is again a Gaussian,
:math:`c_k \mathcal N(u; \mu_k + \Sigma_k a, \Sigma_k)\, e^{a\cdot(\mu_k - c) +
a^\top\Sigma_k a/2}`: its derivatives at :math:`c` follow from the recursion with
:math:`v - a`, its remainder from the bound above. The tilt :math:`a` is the mean of the
components' :math:`v` weighted by :math:`|c_k\mathcal N_k(c)|`, so the dominant component is
expanded about its own scale. Far out, Cramér's :math:`e^{-|w|^2/4}` is replaced by the
sharper :math:`|\mathrm{He}_m(z)| \le E|z + iG|^m` (:func:`_moment_bound`) times
:math:`e^{-|w|^2/2}`, whichever is smaller. The bound on :math:`|h|` is the tilted one times
:math:`\max_B e^{-a\cdot(u - c)}`, or :math:`\sum_k |c_k| \max_B \mathcal N_k`, whichever is
smaller.

**Subdivision.** The region is the bounding box of 20 standard deviations about every
component (per axis); it starts as nearly square cells and a box that is not certified is
quartered, until its worst case is negligible or it is :data:`MAX_DEPTH` quarterings deep
(see :func:`tangency_boxes` for the rules and :mod:`gantheory.divergences.sections` for how
the boxes that remain widen the bound of total variation).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy import special

#: Order of the 2-D Taylor expansions of the certificate.
ORDER = 8
#: Quarterings of a starting cell before a box that is not certified is given up.
MAX_DEPTH = 26
#: Boxes examined at most (all depths together); past it the remaining boxes are given up.
MAX_BOXES = 400_000
#: Standard deviations (per axis) of every component that the region covers.
REGION_STDS = 20.0
_EPS = float(np.finfo(float).eps)
_CRAMER = 1.0865
_FACTORIAL = np.array([float(math.factorial(j)) for j in range(ORDER + 2)])


class Components(NamedTuple):
    """The signed components of :math:`h = p - q`, each array over ``K`` components."""

    coef: np.ndarray  # (K,) c_k
    mean: np.ndarray  # (K, 2)
    prec: np.ndarray  # (K, 2, 2) Lambda
    norm: np.ndarray  # (K,) 1 / (2 pi sqrt(det Sigma))
    lam_max: np.ndarray  # (K,) largest eigenvalue of Sigma
    cond: np.ndarray  # (K,) condition number of Sigma
    std: np.ndarray  # (K, 2) marginal standard deviations


def components(p, q) -> Components:
    """The components of ``p - q`` (two 2-D :class:`~gantheory.GaussianMixture`).

    Components with the same mean and covariance are merged (their coefficients summed, a
    rounding of at most one ulp that the rounding bound of :func:`derivatives` covers) and
    those whose coefficient is then 0 dropped, so that what :math:`p` and :math:`q` share
    cancels exactly instead of leaving its rounding in every certificate.
    """
    merged: dict[bytes, list] = {}
    for sign, mix in ((1.0, p), (-1.0, q)):
        for w, m, c in zip(mix.weights, mix.means, mix.covs, strict=True):
            key = np.concatenate([m, c.ravel()]).astype(float).tobytes()
            if key in merged:
                merged[key][0] += sign * float(w)
            else:
                merged[key] = [sign * float(w), np.asarray(m, float), np.asarray(c, float)]
    kept = [v for v in merged.values() if v[0] != 0.0]
    coef = np.array([v[0] for v in kept], dtype=float)
    mean = np.array([v[1] for v in kept], dtype=float).reshape(-1, 2)
    cov = np.array([v[2] for v in kept], dtype=float).reshape(-1, 2, 2)
    det = cov[:, 0, 0] * cov[:, 1, 1] - cov[:, 0, 1] ** 2
    prec = np.stack([np.stack([cov[:, 1, 1], -cov[:, 0, 1]], -1),
                     np.stack([-cov[:, 1, 0], cov[:, 0, 0]], -1)], 1) / det[:, None, None]
    eig = np.linalg.eigvalsh(cov)
    return Components(coef, mean, prec, 1.0 / (2.0 * np.pi * np.sqrt(det)), eig[:, 1],
                      eig[:, 1] / eig[:, 0], np.sqrt(np.stack([cov[:, 0, 0], cov[:, 1, 1]], 1)))


def _tilt(comp: Components, centre: np.ndarray) -> np.ndarray:
    r"""Per box, the tilt :math:`a`: the mean of the components' :math:`v = \Lambda(c - \mu)`
    weighted by :math:`|c_k \mathcal N_k(c)|` (shape ``(n, 2)``).
    """
    d = centre[:, None, :] - comp.mean[None]
    v = np.einsum("kab,nkb->nka", comp.prec, d)
    log_t = np.log(np.abs(comp.coef) * comp.norm) - 0.5 * np.einsum("nka,nka->nk", d, v)
    top = log_t.max(axis=1, keepdims=True)
    weight = np.exp(log_t - np.where(np.isfinite(top), top, 0.0))
    total = weight.sum(axis=1)[:, None]
    return np.where(total > 0, np.einsum("nk,nka->na", weight, v) / np.maximum(total, 1e-300),
                    0.0)


def derivatives(comp: Components, centre: np.ndarray, order: int = ORDER,
                tilt: np.ndarray | None = None):
    r""":math:`\partial_x^i \partial_y^l \tilde h` at ``centre`` (``(n, 2)``), ``i + l <= order``:
    :math:`\tilde h(u) = h(u)\, e^{a\cdot(u - c)}` with ``tilt`` :math:`a` (``(n, 2)``, default 0).

    Returns ``values`` and ``rounding``, each ``(order + 1, order + 1, n)`` indexed ``[i, l]``
    (zero where ``i + l > order``): the sums over components and bounds on their rounding.
    """
    if tilt is None:
        tilt = np.zeros_like(centre)
    d = centre[:, None, :] - comp.mean[None]  # (n, K, 2)
    lam = comp.prec
    v0 = np.einsum("kab,nkb->nka", lam, d)
    v = v0 - tilt[:, None, :]  # the tilted component's Lambda (c - mu')
    # bounds |v| and, times eps, its rounding
    va = np.einsum("kab,nkb->nka", np.abs(lam), np.abs(d)) + np.abs(tilt)[:, None, :]
    quad = np.einsum("nka,nka->nk", d, v0)
    lxx, lxy, lyy = lam[:, 0, 0], lam[:, 0, 1], lam[:, 1, 1]
    axx, axy, ayy = np.abs(lxx), np.abs(lxy), np.abs(lyy)
    dens = comp.coef * comp.norm * np.exp(-0.5 * quad)  # (n, K)
    size = order + 1
    D = [[None] * size for _ in range(size)]
    A = [[None] * size for _ in range(size)]
    D[0][0], A[0][0] = dens, np.abs(dens)
    zero = np.zeros_like(dens)

    def get(t, i, ly):
        return t[i][ly] if i >= 0 and ly >= 0 else zero

    for j in range(1, size):
        for i in range(j + 1):
            ly = j - i
            if i > 0:  # D[i, l] from D[i - 1, l] by d/dx
                a, b = i - 1, ly
                D[i][ly] = -(v[..., 0] * D[a][b] + a * lxx * get(D, a - 1, b)
                            + b * lxy * get(D, a, b - 1))
                A[i][ly] = (va[..., 0] * A[a][b] + a * axx * get(A, a - 1, b)
                           + b * axy * get(A, a, b - 1))
            else:  # D[0, l] from D[0, l - 1] by d/dy
                a, b = 0, ly - 1
                D[i][ly] = -(v[..., 1] * D[a][b] + b * lyy * get(D, a, b - 1))
                A[i][ly] = va[..., 1] * A[a][b] + b * ayy * get(A, a, b - 1)
    n_comp = comp.coef.size
    dist2 = np.einsum("nka,nka->nk", d, d)
    base = 8.0 * dist2 * (comp.cond / comp.lam_max)  # 8 lambda_max(Lambda) |u - mu|^2
    values = np.zeros((size, size, len(centre)))
    rounding = np.zeros((size, size, len(centre)))
    for i in range(size):
        for ly in range(size - i):
            values[i, ly] = D[i][ly].sum(axis=1)
            factor = base + (8.0 * (i + ly) + 16.0) * comp.cond + 2.0 * n_comp
            rounding[i, ly] = _EPS * np.sum(factor * A[i][ly], axis=1)
    return values, rounding


def remainders(comp: Components, lo: np.ndarray, hi: np.ndarray, order: int = ORDER,
               tilt: np.ndarray | None = None):
    r"""Bounds of :math:`|(t\cdot\nabla)^N \tilde h|/N!` and
    :math:`|(t\cdot\nabla)^N\partial_y \tilde h|/N!` over boxes ``[lo, hi]`` (``(n, 2)`` each),
    ``t`` from the centre, ``N = order``, :math:`\tilde h` tilted by ``tilt`` about the centre.

    The tilted component :math:`c_k \mathcal N_k(u) e^{a\cdot(u - c)}` is
    :math:`c'_k \mathcal N(u; \mu_k + \Sigma_k a, \Sigma_k)` with
    :math:`\log(c'_k/c_k) = a\cdot(\mu_k - c) + a^\top\Sigma_k a/2`; its bound is the smaller
    of Cramér's and the moment bound (:func:`_moment_bound`), in logarithms.
    """
    centre = 0.5 * (lo + hi)
    if tilt is None:
        tilt = np.zeros_like(centre)
    r = 0.5 * (hi - lo)  # (n, 2)
    lam = comp.prec
    cov = np.linalg.inv(lam)
    shift = np.einsum("kab,nb->nka", cov, tilt)
    mean = comp.mean[None] + shift  # (n, K, 2)
    log_gain = (np.einsum("na,nka->nk", tilt, comp.mean[None] - centre[:, None, :])
                + 0.5 * np.einsum("na,nka->nk", tilt, shift))
    b2 = (lam[None, :, 0, 0] * r[:, None, 0] ** 2 + lam[None, :, 1, 1] * r[:, None, 1] ** 2
          + 2.0 * np.abs(lam[None, :, 0, 1]) * r[:, None, 0] * r[:, None, 1])  # (n, K)
    w2 = _min_quadratic(comp, lo, hi, mean)  # lower bound of |w|^2 on the box
    reach = np.maximum(np.abs(lo[:, None, :] - mean), np.abs(hi[:, None, :] - mean))
    w_far = np.sqrt(np.sum(reach * reach, axis=2) * (comp.cond / comp.lam_max))  # >= |w|
    n = order
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        log_cramer = math.log(_CRAMER * math.sqrt(_FACTORIAL[n])) - 0.25 * w2
        log_h = np.minimum(log_cramer, np.log(_moment_bound(n, w_far)) - 0.5 * w2)
        log_hy = np.minimum(
            log_cramer + 0.5 * math.log(n + 2),
            np.log(_moment_bound(n + 1, w_far) + w_far * _moment_bound(n, w_far)) - 0.5 * w2)
        log_scale = (np.log(np.abs(comp.coef) * comp.norm) + log_gain
                     + 0.5 * n * np.log(b2) - math.log(_FACTORIAL[n]))
        safety = 1.0 + 1e-9
        rem_h = np.exp(log_scale + log_h).sum(axis=1) * safety
        rem_hy = (np.exp(log_scale + log_hy) * np.sqrt(lam[:, 1, 1])).sum(axis=1) * safety
    # Overflow gives inf (the box is then not certified), never nan.
    return np.where(np.isnan(rem_h), np.inf, rem_h), np.where(np.isnan(rem_hy), np.inf, rem_hy)


def _min_quadratic(comp: Components, lo: np.ndarray, hi: np.ndarray,
                   mean: np.ndarray | None = None) -> np.ndarray:
    r"""A lower bound of :math:`\min_{u \in B} (u - \mu)^\top \Lambda (u - \mu)`, ``(n, K)``.

    Zero if :math:`\mu \in B`; otherwise the minimum lies on an edge, where the quadratic in
    the free coordinate is minimised in closed form and clamped to the edge. The result is
    lowered by 16 ulps of the sum of the absolute terms, for rounding.
    """
    if mean is None:
        mean = comp.mean[None]
    lam = comp.prec
    lxx, lxy, lyy = lam[:, 0, 0], lam[:, 0, 1], lam[:, 1, 1]
    dlo = lo[:, None, :] - mean  # (n, K, 2)
    dhi = hi[:, None, :] - mean
    best = np.full(dlo.shape[:2], np.inf)
    for fixed, free, l_ff, l_gg in ((0, 1, lxx, lyy), (1, 0, lyy, lxx)):
        for edge in (dlo[..., fixed], dhi[..., fixed]):
            t = np.clip(-lxy * edge / l_gg, dlo[..., free], dhi[..., free])
            value = l_ff * edge * edge + 2.0 * lxy * edge * t + l_gg * t * t
            slack = 16.0 * _EPS * (l_ff * edge * edge + 2.0 * np.abs(lxy * edge * t)
                                   + l_gg * t * t)
            best = np.minimum(best, value - slack)
    inside = np.all((dlo <= 0) & (dhi >= 0), axis=2)
    best = np.where(inside, 0.0, best)
    return np.maximum(0.0, best)


def _moment_bound(m: int, w: np.ndarray) -> np.ndarray:
    r"""An upper bound, increasing in :math:`w \ge 0`, of :math:`|\mathrm{He}_m(z)|` for
    :math:`|z| \le w`: :math:`\mathrm{He}_m(z) = E(z + iG)^m` (:math:`G` standard normal), so
    :math:`|\mathrm{He}_m(z)| \le E(z^2 + G^2)^{m/2} = \sum_k \binom{m/2}{k} z^{m-2k} (2k-1)!!`
    for even :math:`m`, and for odd :math:`m` the mean of the bounds of :math:`m \pm 1`
    (:math:`x^{m/2} \le (x^{(m-1)/2} + x^{(m+1)/2})/2`).
    """
    if m % 2:
        return 0.5 * (_moment_bound(m - 1, w) + _moment_bound(m + 1, w))
    half = m // 2
    total = np.zeros_like(w)
    for k in range(half + 1):
        total = total + math.comb(half, k) * float(math.prod(range(1, 2 * k, 2))) * w ** (m - 2 * k)
    return total * (1.0 + 1e-12)


class Certificate(NamedTuple):
    r"""Per box: proven free of tangencies, and a bound on :math:`\sup_B |h|`."""

    free: np.ndarray
    sup_h: np.ndarray


def certify(comp: Components, lo: np.ndarray, hi: np.ndarray, order: int = ORDER,
            tilted: bool = True) -> Certificate:
    """The certificate of the module docstring on boxes ``[lo, hi]`` (``(n, 2)`` each)."""
    centre = 0.5 * (lo + hi)
    r = 0.5 * (hi - lo)
    tilt = _tilt(comp, centre) if tilted else np.zeros_like(centre)
    values, rounding = derivatives(comp, centre, order, tilt)
    rem_h, rem_hy = remainders(comp, lo, hi, order, tilt)
    spread_h = np.zeros(len(lo))
    spread_hy = np.zeros(len(lo))
    for i in range(order):
        for ly in range(order - i):
            if i + ly == 0:
                continue
            w = r[:, 0] ** i * r[:, 1] ** ly / (_FACTORIAL[i] * _FACTORIAL[ly])
            spread_h += (np.abs(values[i, ly]) + rounding[i, ly]) * w
            spread_hy += (np.abs(values[i, ly + 1]) + rounding[i, ly + 1]) * w
    safety = 1.0 + 1e-12
    vary_h = (spread_h + rem_h) * safety
    vary_hy = (spread_hy + rem_hy) * safety
    no_zero = np.abs(values[0, 0]) - rounding[0, 0] > vary_h + 1e-300
    monotone = np.abs(values[0, 1]) - rounding[0, 1] > vary_hy + 1e-300
    # |h| = |h~| e^{-a.(u - c)}; and |h| <= sum_k |c_k| N_k without cancellation.
    with np.errstate(over="ignore", invalid="ignore"):
        unbent = np.exp(np.abs(tilt[:, 0]) * r[:, 0] + np.abs(tilt[:, 1]) * r[:, 1])
        tilted_sup = (np.abs(values[0, 0]) + rounding[0, 0] + vary_h) * unbent
    tilted_sup = np.where(np.isnan(tilted_sup), np.inf, tilted_sup)
    plain_sup = np.sum(np.abs(comp.coef) * comp.norm
                       * np.exp(-0.5 * _min_quadratic(comp, lo, hi)), axis=1)
    sup_h = np.minimum(tilted_sup, plain_sup) * (1.0 + 1e-9)
    return Certificate(no_zero | monotone, sup_h)


class Tangencies(NamedTuple):
    r"""The boxes that may hold a tangency and what they cost.

    Attributes
    ----------
    lo, hi : ndarray
        ``(m, 2)``: the boxes given up whose x-ends must be quadrature breakpoints.
    charge : float
        A bound on the error of :math:`\int g\,dx` that the boxes (all of them, those
        without breakpoints included) and the region's outside can cause (see
        :mod:`gantheory.divergences.sections`).
    n_boxes : int
        Boxes examined.
    """

    lo: np.ndarray
    hi: np.ndarray
    charge: float
    n_boxes: int


def region(comp: Components) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper corners of the bounding box of 20 standard deviations of every component."""
    lo = np.min(comp.mean - REGION_STDS * comp.std, axis=0)
    hi = np.max(comp.mean + REGION_STDS * comp.std, axis=0)
    return lo, hi


def outside_charge(comp: Components, length: float) -> float:
    r"""Bound on what the sections and the quadrature can miss outside :func:`region`.

    For ``x`` in the region's x-range, :math:`g_{out}(x) = \int_{y \notin R_y} |h|\, dy \le
    \sum_k |c_k|\, (2\Phi(-10) + e^{-50}) / (\sqrt{2\pi}\sigma_{x,k})` (within 10 standard
    deviations in :math:`x` the conditional mean is at most :math:`10|r|\sigma_y` away, so
    :math:`R_y` is 10 conditional standard deviations away; beyond, the marginal is below
    :math:`e^{-50}`), and beyond the region's x-range every marginal is below :math:`e^{-200}`;
    the integral and the Kronrod sum of such a part over a domain of ``length`` differ by at
    most ``length`` times its supremum. Islands outside the region hold less than
    :math:`\sum_k |c_k|\, 4\Phi(-20)`.
    """
    tail = 2.0 * float(special.ndtr(-10.0)) + math.exp(-50.0)
    section = np.sum(np.abs(comp.coef) * tail / (math.sqrt(2 * math.pi) * comp.std[:, 0]))
    return float(2.0 * length * section + np.sum(np.abs(comp.coef)) * 8.0 * special.ndtr(-20.0))


def tangency_boxes(p, q, *, atol: float, length: float, share: float = 0.05) -> Tangencies:
    r"""Cover every possible tangency of :math:`p - q` with small boxes (module docstring).

    ``length`` is the length of the outer quadrature's domain. A box that is not certified
    is quartered unless

    * :math:`2 L\, h_y\, S_B \le 0.01\, \mathrm{atol}\cdot \text{area}/\text{area}(R)`
      (:math:`L` = ``length``, :math:`h_y` the box's height, :math:`R` the region): it is given
      up without breakpoints, charged :math:`2 L h_y S_B` (all of them together at most
      :math:`0.01\,\mathrm{atol}`);
    * :math:`2\,\text{area}\,S_B \le \text{share}\cdot\mathrm{atol}/16`, or it is
      :data:`MAX_DEPTH` deep, or :data:`MAX_BOXES` are spent: it is given up with its x-ends
      as breakpoints, charged :math:`2\,\text{area}\, S_B`.

    The charge also includes :func:`outside_charge`.
    """
    comp = components(p, q)
    if comp.coef.size == 0:  # p = q: h vanishes identically, g = 0 is smooth
        return Tangencies(np.zeros((0, 2)), np.zeros((0, 2)), 0.0, 0)
    rlo, rhi = region(comp)
    width = rhi - rlo
    cells = np.maximum(1, np.round(width / width.min())).astype(int)
    ex = np.linspace(rlo[0], rhi[0], cells[0] + 1)
    ey = np.linspace(rlo[1], rhi[1], cells[1] + 1)
    gx, gy = np.meshgrid(np.arange(cells[0]), np.arange(cells[1]), indexing="ij")
    lo = np.stack([ex[gx.ravel()], ey[gy.ravel()]], 1)
    hi = np.stack([ex[gx.ravel() + 1], ey[gy.ravel() + 1]], 1)
    total_area = float(np.prod(width))
    charge = outside_charge(comp, length)
    kept_lo, kept_hi = [], []
    n_boxes = 0
    for depth in range(MAX_DEPTH + 1):
        if len(lo) == 0:
            break
        n_boxes += len(lo)
        cert = certify(comp, lo, hi)
        size = hi - lo
        area = size[:, 0] * size[:, 1]
        open_ = ~cert.free
        far = 2.0 * length * size[:, 1] * cert.sup_h
        quiet = open_ & (far <= 0.01 * atol * area / total_area)
        near = 2.0 * area * cert.sup_h
        last = depth == MAX_DEPTH or n_boxes + 4 * np.count_nonzero(open_) > MAX_BOXES
        small = open_ & ~quiet & ((near <= share * atol / 16.0) | last)
        charge += float(np.sum(far[quiet]) + np.sum(near[small]))
        kept_lo.append(lo[small])
        kept_hi.append(hi[small])
        split = open_ & ~quiet & ~small
        lo, hi = lo[split], hi[split]
        mid = 0.5 * (lo + hi)
        lo = np.concatenate([lo, np.stack([mid[:, 0], lo[:, 1]], 1),
                             np.stack([lo[:, 0], mid[:, 1]], 1), mid])
        hi = np.concatenate([mid, np.stack([hi[:, 0], mid[:, 1]], 1),
                             np.stack([mid[:, 0], hi[:, 1]], 1), hi])
    return Tangencies(np.concatenate(kept_lo), np.concatenate(kept_hi), charge, n_boxes)
