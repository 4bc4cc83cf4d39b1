r"""f-GAN: the variational lower bound of f-divergences (Nowozin, Cseke and Tomioka 2016).

For a convex :math:`f:(0,\infty)\to\mathbb R` with :math:`f(1) = 0` and its convex conjugate
:math:`f^*(t) = \sup_u \{ut - f(u)\}`, every function :math:`T` gives a lower bound of the
f-divergence (the paper's eq. (4)), tight at :math:`T^*` (eq. (5)):

.. math::

    D_f(P\|Q) = \int q\, f\!\left(\frac pq\right) dx
    \;\ge\; \mathbb E_P[T(x)] - \mathbb E_Q[f^*(T(x))],
    \qquad \text{with equality at } T^*(x) = f'\!\left(\frac{p(x)}{q(x)}\right).

The proof is pointwise: by Fenchel-Young, :math:`f(u) \ge ut - f^*(t)` with equality at
:math:`t = f'(u)`; put :math:`u = p/q`, multiply by :math:`q` and integrate. A network output
:math:`v` is mapped into the domain of :math:`f^*` by the output activation of Table 2,
:math:`T = g_f(v)`.

The check :data:`F_GAN` runs over the nine rows of :data:`gantheory.divergences.fdiv.TABLE`
and, on pairs of distributions with all nine divergences finite, compares

(a) the bound for critics :math:`T = g_f(v)` with random smooth :math:`v` (small tanh
    networks, and one network added as a perturbation :math:`\epsilon\, n(x)` to the optimal
    output :math:`v^* = g_f^{-1}(T^*)`, a nearly trained discriminator), by quadrature of
    :math:`p T - q f^*(T)`, against :math:`D_f` from :func:`gantheory.f_divergence`;
(b) the bound at :math:`T^* = f'(p/q)` (the row's ``log_t_star`` on :math:`\log p - \log q`)
    with :math:`D_f`, and :math:`D_f` with the definition :math:`\int q f(p/q)` integrated from
    the row's ``f`` itself;
(c) :math:`D_f` with the named divergence of the row's ``relation``, each by a route that
    does not use that row (below);

and, pointwise on grids, that each row is consistent: :math:`f(1) = \lim_{Q\to P} D_f(P\|Q)`
(0, and :math:`-\log 4` for the GAN row, whose :math:`f` is not normalised), :math:`f` convex, the
Fenchel-Young equality :math:`f^*(f'(u)) = u f'(u) - f(u)`, the inequality
:math:`ut - f(u) \le f^*(t)`, :math:`f^*` against a numerical supremum over :math:`u`,
``log_t_star`` against :math:`f'(e^r)` and against :math:`g_f(v^*(r))` with the hand-derived
:math:`v^*` of :data:`OPTIMAL_LOGIT`, and :math:`g_f(\mathbb R)` inside the domain of
:math:`f^*`.

Conventions of the paper (Tables 1 and 2), kept in the table
    * The Jensen-Shannon generator :math:`f(u) = u\log u - (u+1)\log\frac{u+1}{2}` gives
      :math:`\int p\log\frac{2p}{p+q} + q\log\frac{2q}{p+q} = 2\,\mathrm{JSD}`, twice the
      Jensen-Shannon divergence that names the row (defined with the factor :math:`\tfrac12`,
      as in :func:`gantheory.jsd`); the GAN generator
      :math:`f(u) = u\log u - (u+1)\log(u+1)` gives :math:`2\,\mathrm{JSD} - \log 4`
      (Goodfellow et al.'s :math:`C(G)`).
    * The squared-Hellinger generator :math:`(\sqrt u - 1)^2` gives
      :math:`\int(\sqrt p - \sqrt q)^2 = 2H^2`, with the usual :math:`H^2 = \tfrac12\int(\sqrt p
      - \sqrt q)^2` of :func:`gantheory.hellinger2`.
    * Total variation is :math:`\tfrac12\int|p - q|` (:math:`f = \tfrac12|u - 1|`).
    * Pearson's :math:`f^*(t) = \tfrac14 t^2 + t` is the conjugate of :math:`(u-1)^2` on the
      whole real line. Below :math:`t = f'(0) = -2` it exceeds the conjugate over
      :math:`u \ge 0` (which is :math:`-1` there); a larger :math:`f^*` only lowers the bound, and
      :math:`T^* = 2(p/q - 1) \ge -2` never reaches that range. The pointwise check therefore
      asks equality with the numerical supremum only on the range of :math:`f'`, and
      :math:`\sup_{u>0} \le f^*` elsewhere.

Routes to the named divergences in (c): for two Gaussians the registered closed forms
(KL, reverse KL, Jeffrey, Bhattacharyya) and :func:`chi2_gaussian` (Pearson, Neyman); for
mixtures :math:`\mathrm{KL} = H(P, Q) - H(P)` by quadrature, :math:`H^2` from the
Bhattacharyya integral :math:`\int\sqrt{pq}`, :math:`\chi^2` by Monte Carlo; always
:math:`\mathrm{JSD} = \tfrac12\mathrm{KL}(P\|M) + \tfrac12\mathrm{KL}(Q\|M)` with the mixture
:math:`M = (P+Q)/2`, and in 1-D :math:`\mathrm{TV} = \sum (F_P - F_Q)` over the intervals where
:math:`p > q` (the crossings found by root finding), in 2-D TV by Monte Carlo.

Not checked: the equality (b) for total variation in 2-D. There :math:`T^* = \tfrac12
\operatorname{sign}(p - q)` jumps along the curve :math:`p = q`, which panels of a 2-D
cubature cannot follow (see :mod:`gantheory.divergences.sections`); it is checked in 1-D,
where the crossings are panel edges.

Source: Nowozin, Cseke and Tomioka, "f-GAN: Training Generative Neural Samplers using
Variational Divergence Minimization", NeurIPS 2016, eqs. (4)-(6), Tables 1 and 2; Nguyen,
Wainwright and Jordan 2010 for the variational representation.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize

from gantheory.distributions import Gaussian, GaussianMixture
from gantheory.divergences import cross_entropy, entropy, f_divergence, hellinger2, kl
from gantheory.divergences.closed_form import chi2_gaussian
from gantheory.divergences.crossings import mixture_crossings
from gantheory.divergences.fdiv import TABLE, FGenerator
from gantheory.divergences.numerical import integrate
from gantheory.stats import mean_and_standard_error
from gantheory.theorems.base import Comparison, Configuration, Theorem

__all__ = ["F_GAN", "OPTIMAL_LOGIT", "THEOREMS", "chi2_gaussian"]

_LOG4 = float(np.log(4.0))
#: Shift of Q = N(delta, 1) from P = N(0, 1) in the check of f(1) = lim_{Q -> P} D_f(P || Q).
_NEAR_SHIFT = 1e-8
#: Standard errors allowed between a quadrature value and a Monte Carlo estimate.
_N_SE = 5.0
#: Monte Carlo sample size of the references that have no closed form.
_N_SAMPLES = 100_000
#: Quadrature tolerance of 2-D total variation (by exact sections).
_TV_2D_ATOL = 1e-7


# -- the Gaussian chi-squared divergence ------------------------------------------------------
# -- critics ------------------------------------------------------------------------------------
#: The network output that reaches the optimum, :math:`v^* = g_f^{-1}(T^*)` as a function of
#: :math:`r = \log p - \log q`, derived by hand from Table 2 (activation) and :math:`T^* =
#: f'(e^r)`. Total variation has none: :math:`T^* = \pm\tfrac12` needs :math:`v = \pm\infty`.
OPTIMAL_LOGIT: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "kl": lambda r: 1.0 + r,  # g = v, T* = 1 + r
    "reverse_kl": lambda r: r,  # g = -e^{-v}, T* = -e^{-r}
    "pearson": lambda r: 2.0 * np.expm1(r),  # g = v, T* = 2(e^r - 1)
    "neyman": lambda r: 2.0 * r,  # g = 1 - e^{-v}, T* = 1 - e^{-2r}
    "squared_hellinger": lambda r: 0.5 * r,  # g = 1 - e^{-v}, T* = 1 - e^{-r/2}
    "jeffrey": lambda r: r + 1.0 - np.exp(-r),  # g = v, T* = r + 1 - e^{-r}
    "jensen_shannon": lambda r: r,  # g = log 2 + log sigmoid(v), T* = log(2u / (1 + u))
    "gan": lambda r: r,  # g = log sigmoid(v), T* = log(u / (1 + u))
}
#: Slope of the near-optimal total-variation critic :math:`v = 4r` (:math:`T = \tfrac12
#: \tanh 4r \approx \tfrac12 \operatorname{sign} r`).
_TV_SLOPE = 4.0


@dataclass(frozen=True, eq=False)
class _Critic:
    r"""A smooth critic output :math:`v(x)`, the network before the activation :math:`g_f`.

    A random one-hidden-layer tanh network

    .. math::

        n(x) = \sum_j a_j \tanh(w_j^\top x + b_j) + c,

    used either alone, :math:`v = n` (bounded, so :math:`T = g_f(v)` stays inside the domain
    of :math:`f^*` and every expectation is finite), or as a perturbation of the optimal
    output, :math:`v = v^*(\log p - \log q) + \epsilon\, n(x)` with :math:`v^*` from
    :data:`OPTIMAL_LOGIT` (a nearly trained discriminator, whose bound falls short of
    :math:`D_f` only to second order in :math:`\epsilon`).
    """

    label: str
    w: np.ndarray  # (H, d)
    b: np.ndarray  # (H,)
    a: np.ndarray  # (H,)
    c: float
    near_optimal: bool = False
    eps: float = 0.1

    def network(self, x: np.ndarray) -> np.ndarray:
        """The tanh network :math:`n(x)`, shape ``(n,)`` for points ``(n, d)``."""
        return np.tanh(x @ self.w.T + self.b) @ self.a + self.c

    def output(self, gen: FGenerator, x: np.ndarray, lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
        """The critic output :math:`v(x)` for the row ``gen``."""
        if not self.near_optimal:
            return self.network(x)
        r = lp - lq
        if gen.name == "total_variation":
            return _TV_SLOPE * r + self.eps * self.network(x)
        if gen.name not in OPTIMAL_LOGIT:
            raise ValueError(f"no optimal output is known for the row {gen.name!r}")
        return OPTIMAL_LOGIT[gen.name](r) + self.eps * self.network(x)

    @classmethod
    def random(cls, dim: int, seed: int, hidden: int = 4, near_optimal: bool = False) -> _Critic:
        """A critic with standard normal weights (output weights scaled by 1.5/sqrt(H))."""
        rng = np.random.default_rng(seed)
        w = rng.normal(size=(hidden, dim))
        b = rng.normal(size=hidden)
        a = 1.5 * rng.normal(size=hidden) / np.sqrt(hidden)
        c = 0.5 * float(rng.normal())
        label = f"tanh net, seed {seed}"
        if near_optimal:
            label = f"v* + {cls.eps:g} x {label}"
        return cls(label, w, b, a, c, near_optimal)


def _critics(dim: int, n_random: int = 2) -> tuple[_Critic, ...]:
    """``n_random`` random tanh critics and one near-optimal critic."""
    return (
        *(_Critic.random(dim, seed=k) for k in range(1, n_random + 1)),
        _Critic.random(dim, seed=n_random + 1, near_optimal=True),
    )


# -- integrands -------------------------------------------------------------------------------
def _variational_integrand(
    gen: FGenerator, t: np.ndarray, lp: np.ndarray, lq: np.ndarray
) -> np.ndarray:
    r"""The integrand :math:`p\,T - q\, f^*(T)` of the bound."""
    return np.exp(lp) * t - np.exp(lq) * gen.conjugate(t)


def _bound(
    p: Any,
    q: Any,
    gen: FGenerator,
    t_of: Callable,
    *,
    kink: bool = False,
    atol: float | None = None,
) -> float:
    """``E_P[T] - E_Q[f*(T)]`` by quadrature for ``T = t_of(x, log p, log q)``."""

    def integrand(x: np.ndarray, lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
        return _variational_integrand(gen, t_of(x, lp, lq), lp, lq)

    return integrate(p, q, integrand, method="quadrature", atol=atol, kink_where_equal=kink).value


def _definition(p: Any, q: Any, gen: FGenerator) -> float:
    r""":math:`\int q\, f(p/q)` by quadrature from the row's ``f`` itself (not its perspective)."""

    def integrand(x: np.ndarray, lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
        return np.exp(lq) * gen.f(np.exp(lp - lq))

    kink = gen.name == "total_variation"
    return integrate(p, q, integrand, method="quadrature", kink_where_equal=kink).value


# -- independent routes to the named divergences ----------------------------------------------
def _midpoint_mixture(p: GaussianMixture, q: GaussianMixture) -> GaussianMixture:
    """The Gaussian mixture :math:`M = (P + Q)/2`."""
    return GaussianMixture(
        np.concatenate([0.5 * p.weights, 0.5 * q.weights]),
        np.concatenate([p.means, q.means]),
        np.concatenate([p.covs, q.covs]),
    )


def _crossings(p: GaussianMixture, q: GaussianMixture) -> np.ndarray:
    r"""The points where :math:`p = q` in 1-D, sorted: the core's certified root finder.

    :func:`gantheory.divergences.crossings.mixture_crossings` proves that it finds every
    crossing. Sharing it is deliberate: the route below stays independent of the f-GAN row
    (CDFs between crossings, not quadrature of :math:`|p - q|`).
    """
    return mixture_crossings(p, q)


def _tv_by_cdfs(p: GaussianMixture, q: GaussianMixture) -> float:
    r"""1-D :math:`\mathrm{TV} = \sum_{I:\, p > q} (P(I) - Q(I))` over the intervals between
    the crossings of :math:`p` and :math:`q` (:func:`_crossings`), from the CDFs.
    """
    roots = _crossings(p, q)
    edges = np.concatenate([[-np.inf], roots, [np.inf]])
    # One probe inside each interval, to read the sign of p - q there.
    if roots.size == 0:
        probes = np.array([0.0])
    else:
        probes = np.concatenate([[roots[0] - 1.0], 0.5 * (roots[:-1] + roots[1:]),
                                 [roots[-1] + 1.0]])

    def cdf(d: GaussianMixture, x: np.ndarray) -> np.ndarray:
        finite = np.where(np.isfinite(x), x, 0.0)
        return np.where(x == -np.inf, 0.0, np.where(x == np.inf, 1.0, d.cdf(finite)))

    positive = p.logpdf(probes) > q.logpdf(probes)
    mass_p = cdf(p, edges[1:]) - cdf(p, edges[:-1])
    mass_q = cdf(q, edges[1:]) - cdf(q, edges[:-1])
    return float(np.sum((mass_p - mass_q)[positive]))


def _monte_carlo_mean(
    dist: Any, h: Callable[[np.ndarray], np.ndarray], seed: int, n_samples: int
) -> tuple[float, float]:
    """Sample mean of ``h`` under ``dist`` and its standard error."""
    return mean_and_standard_error(h(dist.sample(n_samples, seed=seed)))


class _References:
    """The named divergences of a pair, each by a route independent of its f-GAN row."""

    def __init__(self, p: GaussianMixture, q: GaussianMixture, seed: int, n_samples: int):
        self.p, self.q, self.seed, self.n_samples = p, q, seed, n_samples
        self.gaussian = isinstance(p, Gaussian) and isinstance(q, Gaussian)

    def _kl(self, a: Any, b: Any) -> tuple[float, str]:
        if isinstance(a, Gaussian) and isinstance(b, Gaussian):
            return kl(a, b, method="closed_form").value, "closed form"
        return cross_entropy(a, b).value - entropy(a).value, "H(P, Q) - H(P)"

    @functools.cached_property
    def kl_pq(self) -> tuple[float, str]:
        return self._kl(self.p, self.q)

    @functools.cached_property
    def kl_qp(self) -> tuple[float, str]:
        return self._kl(self.q, self.p)

    @functools.cached_property
    def jsd(self) -> tuple[float, str]:
        m = _midpoint_mixture(self.p, self.q)
        value = 0.5 * kl(self.p, m, method="quadrature").value
        value += 0.5 * kl(self.q, m, method="quadrature").value
        return value, "KL to the mixture M"

    def chi2(self, a: Any, b: Any, seed: int) -> tuple[float, float, str]:
        r""":math:`\chi^2(A\|B)`: closed form for Gaussians, else :math:`\mathbb E_A[a/b] - 1`."""
        if self.gaussian:
            return chi2_gaussian(a, b), 0.0, "closed form"
        mean, se = _monte_carlo_mean(a, lambda x: np.exp(a.logpdf(x) - b.logpdf(x)), seed,
                                     self.n_samples)
        return mean - 1.0, se, "Monte Carlo"

    def value(self, name: str) -> tuple[float, float, str, str] | None:
        """``(value, standard error or 0, relation, route)`` for the row ``name``."""
        p, q = self.p, self.q
        if name == "kl":
            return self.kl_pq[0], 0.0, "KL(P || Q)", self.kl_pq[1]
        if name == "reverse_kl":
            return self.kl_qp[0], 0.0, "KL(Q || P)", self.kl_qp[1]
        if name == "jeffrey":
            route = self.kl_pq[1]
            return self.kl_pq[0] + self.kl_qp[0], 0.0, "KL(P || Q) + KL(Q || P)", route
        if name == "jensen_shannon":
            return 2.0 * self.jsd[0], 0.0, "2 JSD", self.jsd[1]
        if name == "gan":
            return 2.0 * self.jsd[0] - _LOG4, 0.0, "2 JSD - log 4", self.jsd[1]
        if name == "squared_hellinger":
            if self.gaussian:
                return 2.0 * hellinger2(p, q, method="closed_form").value, 0.0, "2 H^2", (
                    "Bhattacharyya closed form")
            bc = integrate(p, q, lambda x, lp, lq: np.exp(0.5 * (lp + lq)), method="quadrature")
            return 2.0 * (1.0 - bc.value), 0.0, "2 H^2", "1 - int sqrt(pq)"
        if name == "pearson":
            value, se, route = self.chi2(p, q, self.seed)
            return value, se, "chi^2(P || Q)", route
        if name == "neyman":
            value, se, route = self.chi2(q, p, self.seed + 1)
            return value, se, "chi^2(Q || P)", route
        if name == "total_variation":
            if p.dim == 1:
                return _tv_by_cdfs(p, q), 0.0, "TV", "CDFs between crossings"
            mean, se = _monte_carlo_mean(
                p,
                lambda x: -np.expm1(np.minimum(q.logpdf(x) - p.logpdf(x), 0.0)),
                self.seed,
                self.n_samples,
            )
            return mean, se, "TV", "Monte Carlo E_P[(1 - q/p)+]"
        return None


# -- the checks -------------------------------------------------------------------------------
def _generators(config: Configuration) -> Sequence[FGenerator]:
    gens = config.params.get("generators")
    return tuple(TABLE.values()) if gens is None else tuple(gens)


def _check_pair(config: Configuration) -> list[Comparison]:
    p, q = config["p"], config["q"]
    critics = config.params.get("critics", _critics(p.dim))
    refs = _References(
        p, q, int(config.params.get("seed", 0)), int(config.params.get("n_samples", _N_SAMPLES))
    )
    out: list[Comparison] = []
    for gen in _generators(config):
        out += _check_generator(
            gen,
            p,
            q,
            critics,
            refs,
            with_definition=config.params.get("definition", True),
            critic_atol=config.params.get("critic_atol"),
        )
    return out


def _check_generator(
    gen: FGenerator,
    p: Any,
    q: Any,
    critics: Sequence[_Critic],
    refs: _References,
    *,
    with_definition: bool,
    critic_atol: float | None,
) -> list[Comparison]:
    """Comparisons (a), (b), (c) of the module docstring for one row of the table."""
    name = gen.name
    tv_2d = name == "total_variation" and p.dim == 2
    # TV enters 2-D comparisons only as inequalities with wide margins: a looser tolerance
    # keeps its exact sections fast.
    d_f = f_divergence(p, q, gen, method="quadrature", atol=_TV_2D_ATOL if tv_2d else None).value
    out = []
    # (a) the lower bound for arbitrary critics
    for critic in critics:

        def t_critic(x, lp, lq, critic=critic):
            return gen.activation(critic.output(gen, x, lp, lq))

        bound = _bound(p, q, gen, t_critic, atol=critic_atol)
        out.append(Comparison(f"{name}: E_P[T] - E_Q[f*(T)] <= D_f, T = g_f({critic.label})",
                              bound, d_f, "<="))
    # (b) equality at T* = f'(p/q), and D_f against its definition with f itself
    if not tv_2d:
        kink = name == "total_variation"
        bound = _bound(p, q, gen, lambda x, lp, lq: gen.log_t_star(lp - lq), kink=kink)
        out.append(Comparison(f"{name}: E_P[T*] - E_Q[f*(T*)] = D_f at T* = f'(p/q)", bound,
                              d_f))
        if with_definition:
            out.append(Comparison(f"{name}: D_f (perspective) = int q f(p/q) (row's f)", d_f,
                                  _definition(p, q, gen)))
    # (c) D_f is the named divergence of the row's relation
    ref = refs.value(name)
    if ref is not None:
        value, se, relation, route = ref
        if se == 0.0:
            out.append(Comparison(f"{name}: D_f = {relation} ({route})", d_f, value))
        else:
            out.append(Comparison(f"{name}: |D_f - {relation} ({route})| <= {_N_SE:g} s.e.",
                                  abs(d_f - value), _N_SE * se, "<="))
    return out


#: Points of the pointwise checks of the table.
_U_GRID = np.concatenate([np.geomspace(1e-2, 1e2, 41), [1.0]])
_V_GRID = np.linspace(-30.0, 30.0, 241)
_V_SUP = np.linspace(-3.0, 3.0, 13)
_R_GRID = np.linspace(-10.0, 10.0, 41)
#: log u searched by the numerical supremum.
_LOG_U_BOUND = 40.0


def _numerical_conjugate(gen: FGenerator, t: float) -> float:
    r""":math:`\sup_{u>0} \{ut - f(u)\}` by bounded Brent search over :math:`\log u`.

    :math:`u \mapsto ut - f(u)` is concave, so unimodal in :math:`\log u` too.
    """

    def negative(s: float) -> float:
        u = np.exp(s)
        return -(u * t - float(gen.f(np.float64(u))))

    res = optimize.minimize_scalar(
        negative, bounds=(-_LOG_U_BOUND, _LOG_U_BOUND), method="bounded",
        options={"xatol": 1e-12, "maxiter": 2000},
    )
    return -float(res.fun)


def _check_table(config: Configuration) -> list[Comparison]:
    out: list[Comparison] = []
    for gen in _generators(config):
        name = gen.name
        u = _U_GRID
        f_u = gen.f(u)
        out.append(_f_at_one(gen))
        h = 1e-3
        second = gen.f(u * (1 + h)) - 2.0 * f_u + gen.f(u * (1 - h))
        out.append(Comparison(f"{name}: f convex (min second difference >= 0 on the grid)",
                              0.0, float(second.min()) + 1e-12 * float(np.abs(f_u).max()), "<="))
        # Fenchel-Young equality at t = f'(u), relative to the size of the values.
        out.append(_worst_relative(f"{name}: f*(f'(u)) = u f'(u) - f(u)",
                                   gen.conjugate(gen.f_prime(u)), u * gen.f_prime(u) - f_u, u,
                                   "u"))
        # Fenchel-Young inequality u t - f(u) <= f*(t) for t = g_f(v), v on a grid.
        t = gen.activation(_V_SUP)
        gap = u[:, None] * t[None, :] - f_u[:, None] - gen.conjugate(t)[None, :]
        out.append(Comparison(f"{name}: u t - f(u) <= f*(t) on a (u, t = g_f(v)) grid",
                              float(gap.max()), 0.0, "<="))
        # f* against the numerical supremum; equality on the range of f'.
        t_low = float(gen.f_prime(np.float64(np.exp(-_LOG_U_BOUND))))
        worst_eq, worst_le = (0.0, 0.0, 0.0), (-np.inf, 0.0)
        for t_k in (float(x) for x in t):
            sup = _numerical_conjugate(gen, t_k)
            exact = float(gen.conjugate(np.float64(t_k)))
            s = max(1.0, abs(exact))
            if t_k > t_low:
                if abs(sup - exact) / s >= abs(worst_eq[0] - worst_eq[1]):
                    worst_eq = (sup / s, exact / s, t_k)
            else:
                worst_le = max(worst_le, (sup - exact, t_k))
        out.append(Comparison(
            f"{name}: f*(t) = sup_u [u t - f(u)] (numerical), worst t = {worst_eq[2]:.3g} "
            "(relative)", worst_eq[0], worst_eq[1]))
        if np.isfinite(worst_le[0]):
            out.append(Comparison(
                f"{name}: sup_(u>0) [u t - f(u)] <= f*(t) below the range of f', "
                f"worst t = {worst_le[1]:.3g}", worst_le[0], 0.0, "<="))
        # T* from the log-ratio, against f' and against the activation of v*.
        r = _R_GRID
        t_star = gen.log_t_star(r)
        out.append(_worst_relative(f"{name}: log_t_star(r) = f'(e^r)", t_star,
                                   gen.f_prime(np.exp(r)), r, "r"))
        if name in OPTIMAL_LOGIT:
            out.append(_worst_relative(f"{name}: g_f(v*(r)) = T*(r), v* of OPTIMAL_LOGIT",
                                       gen.activation(OPTIMAL_LOGIT[name](r)), t_star, r, "r"))
        # The output activation maps the real line into the domain of f*.
        lo, hi = gen.domain
        g_v = gen.activation(_V_GRID)
        # Against an infinite end of the domain the inequality holds whatever g_f does: an
        # identity, shown but not counted.
        out.append(Comparison(f"{name}: inf of dom f* <= min g_f(v), v in [-30, 30]", lo,
                              float(g_v.min()), "<=", kind=_kind_of_bound(lo)))
        out.append(Comparison(f"{name}: max g_f(v) <= sup of dom f*", float(g_v.max()), hi, "<=",
                              kind=_kind_of_bound(hi)))
        bad = int(np.sum(~np.isfinite(gen.conjugate(g_v))))
        out.append(Comparison(f"{name}: #{{v : f*(g_f(v)) not finite}} = 0", float(bad), 0.0))
    return out


def _kind_of_bound(bound: float) -> str:
    """``"identity"`` for an infinite bound (the inequality cannot fail), else ``"check"``."""
    return "check" if np.isfinite(bound) else "identity"


def _f_at_one(gen: FGenerator) -> Comparison:
    r""":math:`f(1)` from the row's ``f`` against :math:`D_f(P\|Q)` for :math:`Q` next to :math:`P`.

    :math:`D_f(P\|P) = \int p f(1) = f(1)`, but :math:`D_f(P\|P)` by quadrature would
    evaluate :math:`f` at exactly 1 again. Instead :math:`D_f(\mathcal N(0, 1)\|\mathcal
    N(\delta, 1))`, :math:`\delta = 10^{-8}`, by quadrature of the row's perspective
    (``log_perspective``, written separately from ``f``), where the ratio :math:`p/q =
    e^{\delta^2/2 - \delta x}` is never 1. It differs from :math:`f(1)` by
    :math:`\tfrac12 f''(1)\chi^2 = \tfrac12 f''(1)(e^{\delta^2} - 1) \approx 10^{-16}`
    for the smooth rows and by :math:`2\Phi(\delta/2) - 1 \approx 4\cdot 10^{-9}` for total
    variation, below the tolerance; a row whose ``f`` and perspective disagree on the
    normalisation (the GAN row's :math:`-\log 4`) differs by :math:`O(1)`.
    """
    near = f_divergence(Gaussian(0.0, 1.0), Gaussian(_NEAR_SHIFT, 1.0), gen,
                        method="quadrature").value
    return Comparison(f"{gen.name}: f(1) (row's f) vs D_f(N(0, 1) || N({_NEAR_SHIFT:g}, 1)) "
                      "(quadrature of the perspective)", float(gen.f(np.float64(1.0))), near)


def _worst_relative(
    label: str, lhs: np.ndarray, rhs: np.ndarray, at: np.ndarray, at_name: str
) -> Comparison:
    """The comparison at the grid point where ``|lhs - rhs| / max(1, |rhs|)`` is largest."""
    scale = np.maximum(1.0, np.abs(rhs))
    i = int(np.argmax(np.abs(lhs - rhs) / scale))
    return Comparison(f"{label}, worst {at_name} = {at[i]:.3g} (relative)",
                      float(lhs[i] / scale[i]), float(rhs[i] / scale[i]))


def _check_f_gan(config: Configuration) -> list[Comparison]:
    if config.params.get("kind") == "table":
        # Out-of-domain values of a broken row become NaN or inf and fail their comparison.
        with np.errstate(all="ignore"):
            return _check_table(config)
    return _check_pair(config)


#: Theorem 9 of the catalogue, ``gantheory verify --only f-gan``: the table checked pointwise,
#: then (a), (b), (c) of the module docstring on two 1-D pairs and one 2-D pair.
F_GAN = Theorem(
    key="f-gan",
    title="f-GAN: E_P[T] - E_Q[f*(T)] <= D_f(P||Q), with equality at T* = f'(p/q)",
    statement=(
        r"D_f(P\|Q) = \int q f\!\left(\tfrac pq\right) \ge \sup_T\ \mathbb E_P[T] - "
        r"\mathbb E_Q[f^*(T)],\ \text{attained at } T^* = f'\!\left(\tfrac pq\right),\ "
        r"f^*(t) = \sup_u\{ut - f(u)\};\ \text{for the nine generators of Tables 1-2}"
    ),
    source=(
        "Nowozin, Cseke & Tomioka 2016 (f-GAN), eqs. (4)-(6), Tables 1-2; Nguyen, Wainwright "
        "& Jordan 2010"
    ),
    tolerance=1e-7,
    configurations=(
        Configuration("the table: f(1), convexity, conjugates, T*, activations",
                      {"kind": "table"}),
        Configuration(
            "1-D N(0, 1) vs N(0.8, 1.3^2)",
            {"p": Gaussian(0.0, 1.0), "q": Gaussian(0.8, 1.3**2)},
        ),
        Configuration(
            "1-D mixtures",
            {
                "p": GaussianMixture([0.4, 0.6], [-1.0, 1.0], [0.6**2, 0.8**2]),
                "q": GaussianMixture([0.5, 0.5], [-0.5, 1.2], [0.7**2, 0.9**2]),
            },
        ),
        Configuration(
            "2-D correlated Gaussians",
            {
                "p": Gaussian([0.0, 0.2], [[0.9, 0.2], [0.2, 0.7]]),
                "q": Gaussian([0.4, -0.1], [[1.1, 0.15], [0.15, 0.85]]),
                # 2-D quadrature costs 10-30 ms a call: one critic, the bounds (inequalities
                # with margins of order 1e-2) to 1e-6, and the definition check left to 1-D.
                "critics": _critics(2, n_random=0),
                "critic_atol": 1e-6,
                "definition": False,
            },
        ),
    ),
    check=_check_f_gan,
)

#: The theorems of this module, for :mod:`gantheory.theorems.catalogue`.
THEOREMS: tuple[Theorem, ...] = (F_GAN,)
