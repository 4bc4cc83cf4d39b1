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

import numpy as np

from gantheory import _validation as val
from gantheory.distributions import AbsolutelyContinuous, Gaussian, LineUniform, Uniform
from gantheory.divergences.fdiv import TABLE, FGenerator
from gantheory.divergences.registry import register

_LOG_2PI = np.log(2.0 * np.pi)


# -- Gaussian pairs -------------------------------------------------------------------------
def _gaussian_terms(p: Gaussian, q: Gaussian) -> tuple[float, float, float, float]:
    """``tr(Sq^-1 Sp)``, Mahalanobis ``(mp-mq)' Sq^-1 (mp-mq)``, ``log det Sq``, ``log det Sp``."""
    lq = q._chol[0]
    a = np.linalg.solve(lq, p._chol[0])  # Lq^-1 Lp
    trace = float(np.sum(a * a))
    z = np.linalg.solve(lq, p.mean - q.mean)
    maha = float(z @ z)
    logdet_q = 2.0 * float(np.log(np.diag(lq)).sum())
    logdet_p = 2.0 * float(np.log(np.diag(p._chol[0])).sum())
    return trace, maha, logdet_q, logdet_p


@register("kl", Gaussian, Gaussian)
def _kl_gaussian_gaussian(p: Gaussian, q: Gaussian) -> float:
    r"""KL(N(mp, Sp) || N(mq, Sq)) = 1/2 [tr(Sq^-1 Sp) + Mahalanobis - d + log det Sq/det Sp].

    Source: Kullback (1959); e.g. Duchi, "Derivations for linear algebra and optimization".
    """
    trace, maha, logdet_q, logdet_p = _gaussian_terms(p, q)
    return 0.5 * (trace + maha - p.dim + logdet_q - logdet_p)


@register("reverse_kl", Gaussian, Gaussian)
def _reverse_kl_gaussian_gaussian(p: Gaussian, q: Gaussian) -> float:
    """KL(Q || P) between Gaussians, the KL closed form with the arguments swapped."""
    return _kl_gaussian_gaussian(q, p)


@register("jeffrey", Gaussian, Gaussian)
def _jeffrey_gaussian_gaussian(p: Gaussian, q: Gaussian) -> float:
    """KL(P || Q) + KL(Q || P) between Gaussians."""
    return _kl_gaussian_gaussian(p, q) + _kl_gaussian_gaussian(q, p)


def bhattacharyya_coefficient(p: Gaussian, q: Gaussian) -> float:
    r"""BC = det(Sp)^(1/4) det(Sq)^(1/4) / det(S)^(1/2) exp(-1/8 dm' S^-1 dm), S = (Sp+Sq)/2.

    Source: Bhattacharyya (1943); Kailath (1967), eq. (19).
    """
    s = 0.5 * (p.cov + q.cov)
    ls = np.linalg.cholesky(s)
    z = np.linalg.solve(ls, p.mean - q.mean)
    logdet_s = 2.0 * float(np.log(np.diag(ls)).sum())
    logdet_p = 2.0 * float(np.log(np.diag(p._chol[0])).sum())
    logdet_q = 2.0 * float(np.log(np.diag(q._chol[0])).sum())
    return float(np.exp(0.25 * (logdet_p + logdet_q) - 0.5 * logdet_s - 0.125 * float(z @ z)))


@register("squared_hellinger", Gaussian, Gaussian)
def _squared_hellinger_gaussian_gaussian(p: Gaussian, q: Gaussian) -> float:
    """Int (sqrt p - sqrt q)^2 = 2 (1 - BC) between Gaussians (Bhattacharyya coefficient)."""
    return 2.0 * (1.0 - bhattacharyya_coefficient(p, q))


@register("cross_entropy", Gaussian, Gaussian)
def _cross_entropy_gaussian_gaussian(p: Gaussian, q: Gaussian) -> float:
    """-E_p[log q] = 1/2 [d log 2 pi + log det Sq + tr(Sq^-1 Sp) + Mahalanobis]."""
    trace, maha, logdet_q, _ = _gaussian_terms(p, q)
    return 0.5 * (p.dim * _LOG_2PI + logdet_q + trace + maha)


def _psd_sqrt(a: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh(0.5 * (a + a.T))
    return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


@register("w2", Gaussian, Gaussian)
def _w2_gaussian_gaussian(p: Gaussian, q: Gaussian) -> float:
    r"""W2 = sqrt(|mp - mq|^2 + tr(Sp + Sq - 2 (Sq^1/2 Sp Sq^1/2)^1/2)).

    Source: Dowson and Landau (1982); Givens and Shortt (1984). The bracket is clipped at 0
    before the square root: round-off can make it slightly negative for equal covariances.
    """
    root_q = _psd_sqrt(q.cov)
    cross = _psd_sqrt(root_q @ p.cov @ root_q)
    bures = float(np.trace(p.cov + q.cov - 2.0 * cross))
    shift = float(np.sum((p.mean - q.mean) ** 2))
    return float(np.sqrt(max(shift + bures, 0.0)))


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
    is derived in the module's tests by completing the square.

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
    sp, sq = p.cov, q.cov
    s = 2.0 * sq - sp
    eig = np.linalg.eigvalsh(0.5 * (s + s.T))
    if eig.min() <= 0:
        return float(np.inf)

    def log_normaliser(eta: np.ndarray, precision: np.ndarray) -> float:
        cov = np.linalg.inv(precision)
        _, logdet = np.linalg.slogdet(2.0 * np.pi * cov)
        return float(0.5 * eta @ cov @ eta + 0.5 * logdet)

    prec_p, prec_q = np.linalg.inv(sp), np.linalg.inv(sq)
    eta_p, eta_q = prec_p @ p.mean, prec_q @ q.mean
    exponent = (
        log_normaliser(2.0 * eta_p - eta_q, 2.0 * prec_p - prec_q)
        - 2.0 * log_normaliser(eta_p, prec_p)
        + log_normaliser(eta_q, prec_q)
    )
    if exponent > np.log(np.finfo(float).max):  # finite in exact arithmetic, not in a double
        return float(np.inf)
    return float(np.expm1(exponent))


@register("pearson", Gaussian, Gaussian)
def _pearson_gaussian_gaussian(p: Gaussian, q: Gaussian) -> float:
    """Pearson chi^2(P || Q) between Gaussians (:func:`chi2_gaussian`); inf unless 2 Sq - Sp > 0."""
    return chi2_gaussian(p, q)


@register("neyman", Gaussian, Gaussian)
def _neyman_gaussian_gaussian(p: Gaussian, q: Gaussian) -> float:
    """Neyman chi^2(Q || P) between Gaussians, Pearson with the arguments swapped."""
    return chi2_gaussian(q, p)


# -- Uniform boxes --------------------------------------------------------------------------
def box_f_divergence(
    gen: FGenerator, low_p: np.ndarray, high_p: np.ndarray, low_q: np.ndarray, high_q: np.ndarray
) -> float:
    r""":math:`D_f` between uniform densities :math:`a = 1/|P|` and :math:`b = 1/|Q|` on boxes,
    from their overlap :math:`O`.

    .. math::

        D_f = |O|\, b\, f(a/b) + a\,|P \setminus O|\, f'(\infty) + b\,|Q \setminus O|\, f(0).
    """
    vol_p = float(np.prod(high_p - low_p))
    vol_q = float(np.prod(high_q - low_q))
    vol_o = float(np.prod(np.clip(np.minimum(high_p, high_q) - np.maximum(low_p, low_q), 0, None)))
    a, b = 1.0 / vol_p, 1.0 / vol_q
    total = 0.0
    if vol_o > 0:
        total += vol_o * b * float(gen.f(np.float64(a / b)))
    if vol_p - vol_o > 0:
        total += a * (vol_p - vol_o) * gen.slope_at_infinity
    if vol_q - vol_o > 0:
        total += b * (vol_q - vol_o) * gen.f_at_zero
    return total


def _register_box_forms(gen: FGenerator) -> None:
    @register(gen.name, Uniform, Uniform)
    def _box(p: Uniform, q: Uniform) -> float:
        return box_f_divergence(gen, p.low, p.high, q.low, q.high)

    _box.__doc__ = f"{gen.title} between uniform boxes, from the volume of their overlap."


@register("cross_entropy", Uniform, Uniform)
def _cross_entropy_uniform_uniform(p: Uniform, q: Uniform) -> float:
    """-E_p[log q] = log |Q| if the box P lies inside Q, else infinite."""
    inside = bool(np.all(q.low <= p.low) and np.all(p.high <= q.high))
    return float(np.log(q.volume)) if inside else np.inf


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
    singular = gen.value_if_mutually_singular

    @register(gen.name, LineUniform, AbsolutelyContinuous)
    def _line_vs_density(p: LineUniform, q: AbsolutelyContinuous) -> float:
        return singular

    @register(gen.name, AbsolutelyContinuous, LineUniform)
    def _density_vs_line(p: AbsolutelyContinuous, q: LineUniform) -> float:
        return singular

    @register(gen.name, LineUniform, LineUniform)
    def _line_vs_line(p: LineUniform, q: LineUniform) -> float:
        span_q = _segment_on_line(p, q)
        if span_q is None:  # different lines meet in at most one point: P and Q are singular
            return singular
        length_p = float(np.linalg.norm(p.end - p.start))
        return box_f_divergence(
            gen, np.array([0.0]), np.array([length_p]), np.array([span_q[0]]),
            np.array([span_q[1]])
        )

    note = (
        f"{gen.title}: P and Q mutually singular, so D_f = f(0) + f'(inf) = {singular}"
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
