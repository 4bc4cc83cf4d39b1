r"""f-divergences and the f-GAN table (Nowozin, Cseke and Tomioka 2016, Tables 1 and 2).

For a convex :math:`f:\mathbb R_+ \to \mathbb R` with :math:`f(1) = 0`,

.. math::

    D_f(P \,\|\, Q) = \int q(x)\, f\!\left(\frac{p(x)}{q(x)}\right) dx
    \;\ge\; \sup_T \; \mathbb E_P[T(x)] - \mathbb E_Q[f^*(T(x))],

where :math:`f^*(t) = \sup_u \{ut - f(u)\}` is the convex conjugate; the supremum is attained
at :math:`T^*(x) = f'(p(x)/q(x))`. A network output :math:`v` is mapped into the domain of
:math:`f^*` by the output activation :math:`g_f`, :math:`T = g_f(v)`.

The table below keeps the generators exactly as published. Two rows differ by a constant
factor from the divergence of the same name elsewhere in gantheory, and say so in
``relation``: the paper's Jensen-Shannon generator gives :math:`2\,\mathrm{JSD}` and its
squared-Hellinger generator gives :math:`\int(\sqrt p - \sqrt q)^2 = 2 H^2`.

Every quantity is also available in log space, as a function of :math:`\log p` and
:math:`\log q`, so integrands stay exact where one density underflows. Where one density
vanishes the conventions are :math:`0 \cdot f(p/0) = p\, f'(\infty)` with
:math:`f'(\infty) = \lim_{u\to\infty} f(u)/u`, and :math:`q f(0/q) = q f(0)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special

_LOG2 = np.log(2.0)
_INF = np.inf


@dataclass(frozen=True)
class FGenerator:
    r"""One row of the f-GAN table.

    Attributes
    ----------
    name : str
        Identifier used by :func:`gantheory.f_divergence`.
    title : str
        Human-readable name.
    relation : str
        What :math:`D_f(P\|Q)` equals in terms of gantheory's named divergences.
    f : callable
        The generator :math:`f(u)`, :math:`u > 0`.
    f_prime : callable
        Its derivative; :math:`T^* = f'(p/q)`.
    conjugate : callable
        The Fenchel conjugate :math:`f^*(t)`, finite on the domain below.
    activation : callable
        Output activation :math:`g_f(v)` that maps any real :math:`v` into the domain of
        :math:`f^*`.
    domain : tuple of float
        Open interval ``(lo, hi)`` on which :math:`f^*` is finite (closed for TV).
    f_at_zero : float
        :math:`f(0) = \lim_{u\downarrow 0} f(u)` (may be ``inf``).
    slope_at_infinity : float
        :math:`f'(\infty) = \lim_{u\to\infty} f(u)/u` (may be ``inf``).
    log_perspective : callable
        :math:`(\log p, \log q) \mapsto q f(p/q)` where both densities are positive.
    log_t_star : callable
        :math:`\log p - \log q \mapsto T^* = f'(p/q)`, stable for large log-ratios.
    """

    name: str
    title: str
    relation: str
    f: Callable[[np.ndarray], np.ndarray]
    f_prime: Callable[[np.ndarray], np.ndarray]
    conjugate: Callable[[np.ndarray], np.ndarray]
    activation: Callable[[np.ndarray], np.ndarray]
    domain: tuple[float, float]
    f_at_zero: float
    slope_at_infinity: float
    log_perspective: Callable[[np.ndarray, np.ndarray], np.ndarray]
    log_t_star: Callable[[np.ndarray], np.ndarray]

    @property
    def value_if_mutually_singular(self) -> float:
        r""":math:`D_f(P\|Q)` when :math:`P \perp Q`: :math:`f(0) + f'(\infty)`."""
        return self.f_at_zero + self.slope_at_infinity

    def perspective(self, lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
        r"""The integrand :math:`q f(p/q)` from log densities, with the zero-density conventions.

        Where :math:`q = 0 < p` it is :math:`p f'(\infty)`; where :math:`p = 0 < q` it is
        :math:`q f(0)`; where both vanish it is 0.
        """
        lp = np.asarray(lp, dtype=float)
        lq = np.asarray(lq, dtype=float)
        p_zero = lp == -_INF
        q_zero = lq == -_INF
        both = ~(p_zero | q_zero)
        out = np.zeros(np.broadcast(lp, lq).shape)
        lp_b, lq_b = np.broadcast_arrays(lp, lq)
        with np.errstate(over="ignore"):  # an integrand above the largest double is inf
            out[both] = self.log_perspective(lp_b[both], lq_b[both])
        only_q = p_zero & ~q_zero
        only_p = q_zero & ~p_zero
        with np.errstate(invalid="ignore"):
            out[only_q] = np.exp(lq_b[only_q]) * self.f_at_zero
            out[only_p] = np.exp(lp_b[only_p]) * self.slope_at_infinity
        return out


def _log_abs_diff(la: np.ndarray, lb: np.ndarray) -> np.ndarray:
    r""":math:`\log|e^a - e^b|` without overflow or cancellation (``-inf`` where equal)."""
    hi = np.maximum(la, lb)
    lo = np.minimum(la, lb)
    with np.errstate(divide="ignore"):
        return hi + np.log(-np.expm1(lo - hi))


def _js_log_perspective(lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
    lm = np.logaddexp(lp, lq) - _LOG2
    return np.exp(lp) * (lp - lm) + np.exp(lq) * (lq - lm)


def _gan_log_perspective(lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
    ls = np.logaddexp(lp, lq)
    return np.exp(lp) * (lp - ls) + np.exp(lq) * (lq - ls)


def _jeffrey_conjugate(t: np.ndarray) -> np.ndarray:
    # W is the principal branch of Lambert's W; evaluate W(e^{1-t}) in log space for large 1-t.
    t = np.asarray(t, dtype=float)
    w = _lambertw_exp(1.0 - t)
    return w + 1.0 / w + t - 2.0


def _lambertw_exp(y: np.ndarray) -> np.ndarray:
    """Principal W(exp(y)) without overflowing exp(y), by Newton on w + log w = y."""
    y = np.asarray(y, dtype=float)
    small = y < 50
    w = np.empty_like(y)
    w[small] = special.lambertw(np.exp(y[small])).real
    big = ~small
    wb = y[big] - np.log(y[big])
    for _ in range(50):
        wb = wb - (wb + np.log(wb) - y[big]) / (1.0 + 1.0 / wb)
    w[big] = wb
    return w


def _xlogx(u: np.ndarray) -> np.ndarray:
    return special.xlogy(u, u)


TABLE: dict[str, FGenerator] = {
    g.name: g
    for g in [
        FGenerator(
            name="total_variation",
            title="Total variation",
            relation="TV(P, Q)",
            f=lambda u: 0.5 * np.abs(u - 1.0),
            f_prime=lambda u: 0.5 * np.sign(u - 1.0),
            conjugate=lambda t: np.where(np.abs(t) <= 0.5, t, np.inf),
            activation=lambda v: 0.5 * np.tanh(v),
            domain=(-0.5, 0.5),
            f_at_zero=0.5,
            slope_at_infinity=0.5,
            log_perspective=lambda lp, lq: 0.5 * np.exp(_log_abs_diff(lp, lq)),
            log_t_star=lambda r: 0.5 * np.sign(r),
        ),
        FGenerator(
            name="kl",
            title="Kullback-Leibler",
            relation="KL(P || Q)",
            f=_xlogx,
            f_prime=lambda u: 1.0 + np.log(u),
            conjugate=lambda t: np.exp(t - 1.0),
            activation=lambda v: v,
            domain=(-np.inf, np.inf),
            f_at_zero=0.0,
            slope_at_infinity=np.inf,
            log_perspective=lambda lp, lq: np.exp(lp) * (lp - lq),
            log_t_star=lambda r: 1.0 + r,
        ),
        FGenerator(
            name="reverse_kl",
            title="Reverse Kullback-Leibler",
            relation="KL(Q || P)",
            f=lambda u: -np.log(u),
            f_prime=lambda u: -1.0 / u,
            conjugate=lambda t: -1.0 - np.log(-t),
            activation=lambda v: -np.exp(-v),
            domain=(-np.inf, 0.0),
            f_at_zero=np.inf,
            slope_at_infinity=0.0,
            log_perspective=lambda lp, lq: np.exp(lq) * (lq - lp),
            log_t_star=lambda r: -np.exp(-r),
        ),
        FGenerator(
            name="pearson",
            title="Pearson chi-squared",
            relation="chi^2(P || Q) = int (p - q)^2 / q",
            f=lambda u: (u - 1.0) ** 2,
            f_prime=lambda u: 2.0 * (u - 1.0),
            conjugate=lambda t: 0.25 * t**2 + t,
            activation=lambda v: v,
            domain=(-np.inf, np.inf),
            f_at_zero=1.0,
            slope_at_infinity=np.inf,
            log_perspective=lambda lp, lq: np.exp(2.0 * _log_abs_diff(lp, lq) - lq),
            log_t_star=lambda r: 2.0 * np.expm1(r),
        ),
        FGenerator(
            name="neyman",
            title="Neyman chi-squared",
            relation="chi^2(Q || P) = int (q - p)^2 / p",
            f=lambda u: (1.0 - u) ** 2 / u,
            f_prime=lambda u: 1.0 - 1.0 / u**2,
            conjugate=lambda t: 2.0 - 2.0 * np.sqrt(1.0 - t),
            activation=lambda v: 1.0 - np.exp(-v),
            domain=(-np.inf, 1.0),
            f_at_zero=np.inf,
            slope_at_infinity=1.0,
            log_perspective=lambda lp, lq: np.exp(2.0 * _log_abs_diff(lp, lq) - lp),
            log_t_star=lambda r: -np.expm1(-2.0 * r),
        ),
        FGenerator(
            name="squared_hellinger",
            title="Squared Hellinger",
            relation="int (sqrt p - sqrt q)^2 = 2 H^2(P, Q)",
            f=lambda u: (np.sqrt(u) - 1.0) ** 2,
            f_prime=lambda u: 1.0 - 1.0 / np.sqrt(u),
            conjugate=lambda t: t / (1.0 - t),
            activation=lambda v: 1.0 - np.exp(-v),
            domain=(-np.inf, 1.0),
            f_at_zero=1.0,
            slope_at_infinity=1.0,
            log_perspective=lambda lp, lq: np.exp(2.0 * _log_abs_diff(0.5 * lp, 0.5 * lq)),
            log_t_star=lambda r: -np.expm1(-0.5 * r),
        ),
        FGenerator(
            name="jeffrey",
            title="Jeffrey",
            relation="KL(P || Q) + KL(Q || P)",
            f=lambda u: (u - 1.0) * np.log(u),
            f_prime=lambda u: np.log(u) + 1.0 - 1.0 / u,
            conjugate=_jeffrey_conjugate,
            activation=lambda v: v,
            domain=(-np.inf, np.inf),
            f_at_zero=np.inf,
            slope_at_infinity=np.inf,
            log_perspective=lambda lp, lq: (np.exp(lp) - np.exp(lq)) * (lp - lq),
            log_t_star=lambda r: r + 1.0 - np.exp(-r),
        ),
        FGenerator(
            name="jensen_shannon",
            title="Jensen-Shannon",
            relation="2 JSD(P, Q)",
            f=lambda u: _xlogx(u) - (u + 1.0) * np.log((u + 1.0) / 2.0),
            f_prime=lambda u: np.log(2.0 * u / (1.0 + u)),
            conjugate=lambda t: -np.log(2.0 - np.exp(t)),
            activation=lambda v: _LOG2 + special.log_expit(v),
            domain=(-np.inf, _LOG2),
            f_at_zero=_LOG2,
            slope_at_infinity=_LOG2,
            log_perspective=_js_log_perspective,
            log_t_star=lambda r: _LOG2 + special.log_expit(r),
        ),
        FGenerator(
            name="gan",
            title="GAN",
            relation="2 JSD(P, Q) - log 4",
            f=lambda u: _xlogx(u) - (u + 1.0) * np.log1p(u),
            f_prime=lambda u: np.log(u / (1.0 + u)),
            conjugate=lambda t: -np.log(-np.expm1(t)),
            activation=special.log_expit,
            domain=(-np.inf, 0.0),
            f_at_zero=0.0,
            slope_at_infinity=0.0,
            log_perspective=_gan_log_perspective,
            log_t_star=special.log_expit,
        ),
    ]
}


def get_generator(f: str | FGenerator) -> FGenerator:
    """Look up a generator of the f-GAN table by name (or pass an :class:`FGenerator`)."""
    if isinstance(f, FGenerator):
        return f
    if not isinstance(f, str) or f not in TABLE:
        names = ", ".join(repr(n) for n in TABLE)
        raise ValueError(f"f must be one of {names} or an FGenerator; got {f!r}")
    return TABLE[f]
