r"""Registered closed forms.

Each function is a few lines with named terms and a source. They are registered for a
divergence name of the f-GAN table (``"kl"``, ``"squared_hellinger"``, ...), or for
``"cross_entropy"`` and ``"w2"``, and a pair of distribution types.

* Gaussian pairs: KL, reverse KL, Jeffrey, squared Hellinger, cross-entropy, W2.
* Uniform boxes: every f-divergence of the table and the cross-entropy, from the overlap.
* A distribution on a line against an absolutely continuous one (and vice versa), or two
  segments that do not overlap on a common line: the pair is mutually singular, so
  :math:`D_f = f(0) + f'(\infty)`: JSD = log 2, TV = 1, KL infinite.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy import linalg

from gantheory import _validation as val
from gantheory.distributions import AbsolutelyContinuous, Gaussian, LineUniform, Uniform
from gantheory.divergences.fdiv import TABLE, FGenerator
from gantheory.divergences.registry import ClosedFormValue, register

_LOG_2PI = np.log(2.0 * np.pi)
_EPS = float(np.finfo(float).eps)


# -- Gaussian pairs -------------------------------------------------------------------------
class _Whitened(NamedTuple):
    r"""A Gaussian pair in the frame that whitens :math:`Q`.

    With :math:`\Sigma_q = L L^\top`, the eigenvalues :math:`t_i` and eigenvectors :math:`V` of
    :math:`M = L^{-1}(\Sigma_p - \Sigma_q)L^{-\top}` (the whitened difference, computed from
    the difference of the covariances, never from a difference of traces) and the whitened
    mean difference :math:`u = V^\top L^{-1}(\mu_p - \mu_q)`. :math:`\Sigma_q^{-1}\Sigma_p`
    has the eigenvalues :math:`1 + t_i`.
    """

    t: np.ndarray
    u2: np.ndarray
    log_det_ratio: float  # log det Sp - log det Sq
    log_det_terms: float  # the size of what log_det_ratio was summed from
    near: bool  # every |t_i| <= 1/2: the log-det terms are taken as log1p(t_i)
    ulps: float  # relative rounding of the terms: ulps * eps


def _whiten(p: Gaussian, q: Gaussian) -> _Whitened:
    lq, lp = q._chol[0], p._chol[0]
    half = linalg.solve_triangular(lq, p.cov - q.cov, lower=True)  # L^-1 (Sp - Sq)
    m = linalg.solve_triangular(lq, half.T, lower=True)  # L^-1 (Sp - Sq) L^-T
    t, v = np.linalg.eigh(0.5 * (m + m.T))
    u = v.T @ linalg.solve_triangular(lq, p.mean - q.mean, lower=True)
    near = bool(np.max(np.abs(t)) <= 0.5)
    log_diag = np.concatenate([np.log(np.diag(lp)), -np.log(np.diag(lq))])
    if near:
        log_det_ratio, log_det_terms = math.fsum(np.log1p(t)), float(np.sum(np.abs(t)))
    else:
        log_det_ratio = 2.0 * math.fsum(log_diag)
        log_det_terms = 2.0 * float(np.sum(np.abs(log_diag)))
    # Triangular solves are backward stable: relative errors of d eps cond(L) in M and u.
    ulps = (4 * p.dim + 8) * float(np.linalg.cond(lq))
    return _Whitened(t, u * u, log_det_ratio, log_det_terms, near, ulps)


def _rounded(terms: list[float], ulps: float) -> ClosedFormValue:
    """The exact sum of ``terms``, rounded once, with ``ulps`` ulps of their sizes as error.

    An infinite sum is exact (error 0); so is a sum of zeros, as for identical distributions.
    """
    value = math.fsum(terms)
    if not np.isfinite(value):
        return ClosedFormValue(value, 0.0)
    return ClosedFormValue(value, _EPS * (ulps * math.fsum(abs(t) for t in terms) + abs(value)))


def _t_minus_log1p(t: np.ndarray) -> np.ndarray:
    r""":math:`t - \log(1 + t) \ge 0` for :math:`|t| \le 1/2`, to full relative accuracy.

    With :math:`v = t/(2 + t)`, :math:`\log(1 + t) = 2\operatorname{artanh} v` and
    :math:`t = 2v/(1 - v)`, so :math:`t - \log(1 + t) = 2v^2/(1 - v) - 2\sum_{k\ge1}
    v^{2k+1}/(2k+1)`: every term has the sign of the first (:math:`|v| \le 1/3`), no
    cancellation; 20 terms reach :math:`3^{-41} < \varepsilon\, v^2`.
    """
    v = t / (2.0 + t)
    series = sum(v ** (2 * k + 1) / (2 * k + 1) for k in range(20, 0, -1))
    return 2.0 * v * v / (1.0 - v) - 2.0 * series


def _kl_terms(p: Gaussian, q: Gaussian) -> ClosedFormValue:
    r"""KL between Gaussians from the whitened difference (see :func:`_kl_gaussian_gaussian`)."""
    w = _whiten(p, q)
    if w.near:
        covariance = [float(np.sum(_t_minus_log1p(w.t)))]
    else:
        covariance = [float(np.sum(w.t)), -w.log_det_ratio]
    return _rounded([0.5 * c for c in covariance] + [0.5 * float(np.sum(w.u2))], w.ulps)


@register("kl", Gaussian, Gaussian)
def _kl_gaussian_gaussian(p: Gaussian, q: Gaussian) -> ClosedFormValue:
    r"""KL(N(mp, Sp) || N(mq, Sq)) = 1/2 [sum_i (t_i - log(1 + t_i)) + |u|^2].

    The textbook form :math:`\tfrac12[\operatorname{tr}(\Sigma_q^{-1}\Sigma_p) - d +
    \log\det\Sigma_q/\det\Sigma_p + \text{Mahalanobis}]` (Kullback 1959) in the frame that
    whitens :math:`Q`: :math:`t_i` are the eigenvalues of
    :math:`L^{-1}(\Sigma_p - \Sigma_q)L^{-\top}` and :math:`u` the whitened mean difference.
    Each term is non-negative, so nearly identical Gaussians keep their relative accuracy;
    where some :math:`|t_i| > 1/2` the log-determinants come from the Cholesky factors.
    """
    return _kl_terms(p, q)


@register("reverse_kl", Gaussian, Gaussian)
def _reverse_kl_gaussian_gaussian(p: Gaussian, q: Gaussian) -> ClosedFormValue:
    """KL(Q || P) between Gaussians, the KL closed form with the arguments swapped."""
    return _kl_terms(q, p)


@register("jeffrey", Gaussian, Gaussian)
def _jeffrey_gaussian_gaussian(p: Gaussian, q: Gaussian) -> ClosedFormValue:
    """KL(P || Q) + KL(Q || P) between Gaussians."""
    forward, backward = _kl_terms(p, q), _kl_terms(q, p)
    return ClosedFormValue(forward.value + backward.value, forward.error + backward.error
                           + _EPS * (forward.value + backward.value))


def _log_bhattacharyya(p: Gaussian, q: Gaussian) -> ClosedFormValue:
    r""":math:`\log BC \le 0` with :math:`\Sigma = (\Sigma_p + \Sigma_q)/2`, whitened by :math:`Q`:

    .. math::

        \log BC = \tfrac14 \log\det\Sigma_p + \tfrac14\log\det\Sigma_q - \tfrac12\log\det\Sigma
        - \tfrac18 \delta^\top\Sigma^{-1}\delta
        = \sum_i \Bigl[\tfrac14 \log\Bigl(1 - \frac{t_i^2}{(2 + t_i)^2}\Bigr)
          - \frac{u_i^2}{8 (1 + t_i/2)}\Bigr],

    since :math:`(1 + t)/(1 + t/2)^2 = 1 - t^2/(2 + t)^2`: every term is :math:`\le 0`.
    """
    w = _whiten(p, q)
    if w.near:
        covariance = [0.25 * float(np.sum(np.log1p(-(w.t / (2.0 + w.t)) ** 2)))]
    else:
        covariance = [0.25 * w.log_det_ratio, -0.5 * float(np.sum(np.log1p(0.5 * w.t)))]
    return _rounded(covariance + [-0.125 * float(np.sum(w.u2 / (1.0 + 0.5 * w.t)))], w.ulps)


def bhattacharyya_coefficient(p: Gaussian, q: Gaussian) -> float:
    r"""BC = det(Sp)^(1/4) det(Sq)^(1/4) / det(S)^(1/2) exp(-1/8 dm' S^-1 dm), S = (Sp+Sq)/2.

    Source: Bhattacharyya (1943); Kailath (1967), eq. (19). Computed as
    :math:`\exp(\log BC)` from the whitened difference (:func:`_log_bhattacharyya`).
    """
    return float(np.exp(_log_bhattacharyya(p, q).value))


@register("squared_hellinger", Gaussian, Gaussian)
def _squared_hellinger_gaussian_gaussian(p: Gaussian, q: Gaussian) -> ClosedFormValue:
    """Int (sqrt p - sqrt q)^2 = 2 (1 - BC) = -2 expm1(log BC) between Gaussians."""
    log_bc = _log_bhattacharyya(p, q)
    value = -2.0 * float(np.expm1(log_bc.value))
    return ClosedFormValue(value, 2.0 * log_bc.error + 2.0 * _EPS * value)


@register("cross_entropy", Gaussian, Gaussian)
def _cross_entropy_gaussian_gaussian(p: Gaussian, q: Gaussian) -> ClosedFormValue:
    """-E_p[log q] = 1/2 [d log 2 pi + log det Sq + tr(Sq^-1 Sp) + Mahalanobis]."""
    w = _whiten(p, q)
    log_det_q = 2.0 * float(np.sum(np.log(np.diag(q._chol[0]))))
    terms = [p.dim * _LOG_2PI, log_det_q, float(p.dim), float(np.sum(w.t)), float(np.sum(w.u2))]
    return _rounded([0.5 * t for t in terms], w.ulps)


def _symmetric_eigen(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w, v = np.linalg.eigh(0.5 * (a + a.T))
    return np.clip(w, 0.0, None), v


@register("w2", Gaussian, Gaussian)
def _w2_gaussian_gaussian(p: Gaussian, q: Gaussian) -> ClosedFormValue:
    r"""W2 = sqrt(|mp - mq|^2 + |Y Sq^(-1/2)|_F^2), Y = (Sq^1/2 Sp Sq^1/2)^1/2 - Sq.

    Source: Dowson and Landau (1982); Givens and Shortt (1984). The trace
    :math:`\operatorname{tr}(\Sigma_p + \Sigma_q - 2 X^{1/2})`, :math:`X = R\Sigma_p R`,
    :math:`R = \Sigma_q^{1/2}`, cancels analytically: since :math:`\operatorname{tr}\Sigma_p =
    \operatorname{tr}(\Sigma_q^{-1} X)` and :math:`R\Sigma_q R = \Sigma_q^2`, it equals
    :math:`\operatorname{tr}(\Sigma_q^{-1} Y^2) = \|Y R^{-1}\|_F^2` with
    :math:`Y = X^{1/2} - \Sigma_q`, the solution of the Sylvester equation
    :math:`X^{1/2} Y + Y \Sigma_q = R(\Sigma_p - \Sigma_q)R` (both coefficients positive
    definite), solved in their eigenbases from the difference of the covariances. In 1-D,
    :math:`W_2 = \sqrt{(\mu_p - \mu_q)^2 + (\sigma_p - \sigma_q)^2}`.
    """
    wq, vq = _symmetric_eigen(q.cov)
    root_q = (vq * np.sqrt(wq)) @ vq.T
    wx, vx = _symmetric_eigen(root_q @ p.cov @ root_q)
    rhs = vx.T @ (root_q @ (p.cov - q.cov) @ root_q) @ vq
    y = vx @ (rhs / (np.sqrt(wx)[:, None] + wq[None, :])) @ vq.T
    bures = y @ ((vq / np.sqrt(wq)) @ vq.T)
    value = float(np.linalg.norm(np.concatenate([p.mean - q.mean, bures.ravel()])))
    ulps = (8 * p.dim + 8) * float(wq.max() / wq.min())
    return ClosedFormValue(value, ulps * _EPS * value)


def chi2_gaussian(p: Gaussian, q: Gaussian) -> float:
    r"""Pearson's :math:`\chi^2(P\|Q) = \int p^2/q - 1` between two Gaussians, in closed form.

    The Gaussians are an exponential family with natural parameters :math:`\theta =
    (\Sigma^{-1}\mu, -\tfrac12\Sigma^{-1})` and log-normaliser
    :math:`F(\theta) = \tfrac12\mu^\top\Sigma^{-1}\mu + \tfrac12\log\det(2\pi\Sigma)`, so
    :math:`p^2/q = \exp(\langle 2\theta_p - \theta_q, t(x)\rangle - 2F(\theta_p) + F(\theta_q))`
    and

    .. math::

        1 + \chi^2(P\|Q) = \exp\bigl(F(2\theta_p - \theta_q) - 2F(\theta_p) + F(\theta_q)\bigr)
        = \frac{\det\Sigma_q}{\sqrt{\det\Sigma_p\,\det(2\Sigma_q - \Sigma_p)}}
          \exp\bigl(\delta^\top (2\Sigma_q - \Sigma_p)^{-1}\delta\bigr),

    :math:`\delta = \mu_p - \mu_q`, finite iff :math:`2\Sigma_q - \Sigma_p` is positive
    definite (:math:`+\infty` otherwise). In 1-D,
    :math:`\chi^2 = \frac{\sigma_q^2}{\sigma_p\sqrt{2\sigma_q^2 - \sigma_p^2}}
    \exp\frac{(\mu_p - \mu_q)^2}{2\sigma_q^2 - \sigma_p^2} - 1`. Neyman's
    :math:`\chi^2(Q\|P)` is ``chi2_gaussian(q, p)``.

    Parameters
    ----------
    p, q : Gaussian
        Gaussians of the same dimension.

    Returns
    -------
    float
        :math:`\chi^2(P\|Q)` (dimensionless), ``inf`` where it diverges.

    Notes
    -----
    Source: Nielsen and Nock (2014), "On the chi square and higher-order chi distances for
    approximating f-divergences", IEEE Signal Processing Letters 21(1), Lemma 1. The 1-D form
    is derived in the module's tests by completing the square. It is computed in the frame
    that whitens :math:`Q` (:func:`_chi2_terms`), where every term is non-negative.

    Examples
    --------
    >>> from gantheory import Gaussian
    >>> from gantheory.divergences.closed_form import chi2_gaussian
    >>> round(chi2_gaussian(Gaussian(0.0, 1.0), Gaussian(1.0, 1.0)), 12)  # e - 1
    1.718281828459
    >>> chi2_gaussian(Gaussian(0.0, 3.0), Gaussian(0.0, 1.0))  # 2 * 1 - 3 < 0
    inf
    """
    for name, d in (("p", p), ("q", q)):
        if not isinstance(d, Gaussian):
            raise TypeError(f"{name} must be a Gaussian; got {type(d).__name__}")
    val.check_same_dim(p, q)
    return _chi2_terms(p, q).value


def _chi2_terms(p: Gaussian, q: Gaussian) -> ClosedFormValue:
    r""":math:`\chi^2(P\|Q)` from the whitened difference, with its rounding bound.

    :math:`\Sigma_q^{-1}\Sigma_p` has eigenvalues :math:`1 + t_i` and
    :math:`\Sigma_q^{-1}(2\Sigma_q - \Sigma_p)` has :math:`1 - t_i`, so

    .. math::

        \log(1 + \chi^2) = -\tfrac12 \sum_i \log(1 - t_i^2) + \sum_i \frac{u_i^2}{1 - t_i},

    finite iff every :math:`t_i < 1`; every term is :math:`\ge 0` and
    :math:`\chi^2 = \operatorname{expm1}` of the sum keeps nearly identical pairs accurate.
    """
    w = _whiten(p, q)
    if w.t.max() >= 1.0:
        return ClosedFormValue(np.inf, 0.0)
    if w.near:
        covariance = [-0.5 * float(np.sum(np.log1p(-w.t * w.t)))]
    else:
        covariance = [-0.5 * w.log_det_ratio, -0.5 * float(np.sum(np.log1p(-w.t)))]
    # 1 / (1 - t) amplifies the errors of t near 1 (2 Sq - Sp nearly singular).
    log_one_plus = _rounded(covariance + [float(np.sum(w.u2 / (1.0 - w.t)))],
                            w.ulps / (1.0 - w.t.max()))
    if log_one_plus.value > np.log(np.finfo(float).max):  # finite in exact arithmetic only
        return ClosedFormValue(np.inf, 0.0)
    value = float(np.expm1(log_one_plus.value))
    return ClosedFormValue(value, (1.0 + value) * 2.0 * log_one_plus.error + _EPS * value)


@register("pearson", Gaussian, Gaussian)
def _pearson_gaussian_gaussian(p: Gaussian, q: Gaussian) -> ClosedFormValue:
    """Pearson chi^2(P || Q) between Gaussians (:func:`chi2_gaussian`); inf unless 2 Sq - Sp > 0."""
    return _chi2_terms(p, q)


@register("neyman", Gaussian, Gaussian)
def _neyman_gaussian_gaussian(p: Gaussian, q: Gaussian) -> ClosedFormValue:
    """Neyman chi^2(Q || P) between Gaussians, Pearson with the arguments swapped."""
    return _chi2_terms(q, p)


# -- Uniform boxes --------------------------------------------------------------------------
def box_f_divergence(
    gen: FGenerator, low_p: np.ndarray, high_p: np.ndarray, low_q: np.ndarray, high_q: np.ndarray
) -> ClosedFormValue:
    r""":math:`D_f` between uniform densities :math:`a = 1/|P|` and :math:`b = 1/|Q|` on boxes,
    from their overlap :math:`O`, with a bound on its rounding.

    .. math::

        D_f = |O|\, b\, f(a/b) + a\,|P \setminus O|\, f'(\infty) + b\,|Q \setminus O|\, f(0).
    """
    vol_p = float(np.prod(high_p - low_p))
    vol_q = float(np.prod(high_q - low_q))
    vol_o = float(np.prod(np.clip(np.minimum(high_p, high_q) - np.maximum(low_p, low_q), 0, None)))
    a, b = 1.0 / vol_p, 1.0 / vol_q
    terms = []
    if vol_o > 0:
        terms.append(vol_o * b * float(gen.f(np.float64(a / b))))
    if vol_p - vol_o > 0:
        terms.append(a * (vol_p - vol_o) * gen.slope_at_infinity)
    if vol_q - vol_o > 0:
        terms.append(b * (vol_q - vol_o) * gen.f_at_zero)
    # Products of d lengths, a ratio, f and a difference of volumes: a few ulps each.
    return _rounded(terms, 16.0 * (len(low_p) + 2))


def _register_box_forms(gen: FGenerator) -> None:
    @register(gen.name, Uniform, Uniform)
    def _box(p: Uniform, q: Uniform) -> ClosedFormValue:
        return box_f_divergence(gen, p.low, p.high, q.low, q.high)

    _box.__doc__ = f"{gen.title} between uniform boxes, from the volume of their overlap."


@register("cross_entropy", Uniform, Uniform)
def _cross_entropy_uniform_uniform(p: Uniform, q: Uniform) -> ClosedFormValue:
    """-E_p[log q] = log |Q| if the box P lies inside Q, else infinite."""
    if not (np.all(q.low <= p.low) and np.all(p.high <= q.high)):
        return ClosedFormValue(np.inf, 0.0)
    value = float(np.log(q.volume))  # the volume, a product of d lengths, is d ulps off
    return ClosedFormValue(value, _EPS * (p.dim + 2 + abs(value)))


# -- Singular pairs -------------------------------------------------------------------------
def _segment_on_line(line: LineUniform, other: LineUniform) -> tuple[float, float] | None:
    """Parameters of ``other``'s end points along ``line`` if both lie on one line, else None."""
    direction = line.end - line.start
    length = float(np.linalg.norm(direction))
    unit = direction / length
    params = []
    for point in (other.start, other.end):
        offset = point - line.start
        along = float(offset @ unit)
        off_line = float(np.linalg.norm(offset - along * unit))
        if off_line > 1e-12 * max(length, 1.0):
            return None
        params.append(along)
    return min(params), max(params)


def _register_singular_forms(gen: FGenerator) -> None:
    value = gen.value_if_mutually_singular  # f(0) + f'(inf), rounded once
    singular = ClosedFormValue(value, _EPS * value if np.isfinite(value) else 0.0)

    @register(gen.name, LineUniform, AbsolutelyContinuous)
    def _line_vs_density(p: LineUniform, q: AbsolutelyContinuous) -> ClosedFormValue:
        return singular

    @register(gen.name, AbsolutelyContinuous, LineUniform)
    def _density_vs_line(p: AbsolutelyContinuous, q: LineUniform) -> ClosedFormValue:
        return singular

    @register(gen.name, LineUniform, LineUniform)
    def _line_vs_line(p: LineUniform, q: LineUniform) -> ClosedFormValue:
        span_q = _segment_on_line(p, q)
        if span_q is None:  # different lines meet in at most one point: P and Q are singular
            return singular
        length_p = float(np.linalg.norm(p.end - p.start))
        return box_f_divergence(
            gen, np.array([0.0]), np.array([length_p]), np.array([span_q[0]]),
            np.array([span_q[1]])
        )

    note = (
        f"{gen.title}: P and Q mutually singular, so D_f = f(0) + f'(inf) = {value}"
    )
    _line_vs_density.__doc__ = note + " (a segment has Lebesgue measure zero)."
    _density_vs_line.__doc__ = note + " (a segment has Lebesgue measure zero)."
    _line_vs_line.__doc__ = (
        f"{gen.title} between segments: overlapping collinear segments as 1-D uniforms, "
        "otherwise mutually singular."
    )


for _gen in TABLE.values():
    _register_box_forms(_gen)
    _register_singular_forms(_gen)
