r"""The minimax game: the optimal discriminator, C(G) and the Jensen-Shannon divergence.

Goodfellow et al. (2014), Proposition 1 and Theorem 1, and the bounds of the JSD
including the disjoint-support case of Arjovsky and Bottou (2017).

Identities (shown, not counted; :mod:`gantheory.theorems.base`): C(G) and the JSD at
:math:`p_g = p_\text{data}`, JSD(p, p), JSD in bits, and the registry's rule for a segment
against a density, which returns the table's :math:`f(0) + f'(\infty)`. The values for
singular pairs are checked instead against :func:`jsd_by_definition`, the defining integral
on the densities alone: on disjoint intervals, on thin boxes around parallel segments, and
on collinear segments as 1-D uniforms.
"""

from __future__ import annotations

import functools

import numpy as np

from gantheory.discriminator import optimal_discriminator, training_criterion, value_function
from gantheory.distributions import Gaussian, GaussianMixture, LineUniform, Uniform
from gantheory.divergences import jsd, tv
from gantheory.divergences.numerical import integrate
from gantheory.presets import bimodal, disjoint_uniforms, line_and_gaussian, parallel_lines
from gantheory.theorems._numerics import derivative, second_derivative
from gantheory.theorems.base import Comparison, Configuration, Theorem

_LOG2 = float(np.log(2.0))
_LOG4 = float(np.log(4.0))
#: TV enters only inequalities with a wide margin; 1e-6 keeps its 2-D quadrature (whose
#: integrand |p - q| has a kink along a curve) fast.
_TV_ATOL = 1e-6


#: The 1-D and 2-D pairs (data, generator) most checks run on.
PAIR_1D = (bimodal(), Gaussian(0.5, 1.5**2))
PAIR_2D = (
    GaussianMixture([0.4, 0.6], [[-1.0, 0.0], [1.0, 0.5]], [[0.5, 0.3], [0.4, 0.6]]),
    Gaussian([0.2, 0.1], [[1.2, 0.3], [0.3, 0.8]]),
)


def _pairs_1d_2d() -> tuple[Configuration, ...]:
    return (
        Configuration("1-D bimodal vs N(0.5, 1.5^2)", {"p_data": PAIR_1D[0], "p_g": PAIR_1D[1]}),
        Configuration(
            "2-D mixture vs correlated Gaussian", {"p_data": PAIR_2D[0], "p_g": PAIR_2D[1]}
        ),
    )


# -- Proposition 1 ---------------------------------------------------------------------------
class _PerturbedDiscriminator:
    r""":math:`D_\epsilon = \sigma(\ell^* + \epsilon h)`: a logit-space perturbation of D*."""

    def __init__(self, d_star, h, eps: float):
        self.d_star, self.h, self.eps = d_star, h, eps

    def logit(self, x: np.ndarray) -> np.ndarray:
        return self.d_star.logit(x) + self.eps * self.h(x)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logit(x)))


_FD_STEP = 0.05
_DIRECTIONS = {
    "h = 1": lambda x: np.ones(len(x)),
    "h = sin(x_1)": lambda x: np.sin(x[:, 0]),
}


def _check_optimal_discriminator(config: Configuration) -> list[Comparison]:
    p, q = config["p_data"], config["p_g"]
    d_star = optimal_discriminator(p, q)
    v_star = training_criterion(p, q).value
    out = []
    for name, h in _DIRECTIONS.items():

        @functools.cache
        def v(eps: float, h=h) -> float:
            if eps == 0.0:
                return v_star
            return value_function(p, q, _PerturbedDiscriminator(d_star, h, eps)).value

        for eps in (-0.5, 0.1, 0.5):
            out.append(Comparison(f"V(D* + {eps:+g} {name}) <= V(D*)", v(eps), v_star, "<="))
        # Both finite differences use V at eps = 0, +-0.025, +-0.05 (cached).
        out.append(Comparison(f"dV/d eps at D*, {name}", derivative(v, 0.0, _FD_STEP), 0.0))

        # Second variation: d^2 V / d eps^2 = -int h^2 p q / (p + q), an independent integral.
        def curvature(x, lp, lq, h=h):
            return -(h(x) ** 2) * np.exp(lp + lq - np.logaddexp(lp, lq))

        out.append(
            Comparison(
                f"d2V/d eps2 at D* = -int h^2 pq/(p+q), {name}",
                second_derivative(v, 0.0, _FD_STEP),
                integrate(p, q, curvature, method="quadrature").value,
            )
        )
    return out


OPTIMAL_DISCRIMINATOR = Theorem(
    key="optimal-discriminator",
    title="D* = p_data / (p_data + p_g) maximises V(G, D)",
    statement=(
        r"D^*_G(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)} = \arg\max_D V(G, D),"
        r"\quad \left.\tfrac{d}{d\epsilon} V(G, \sigma(\ell^* + \epsilon h))\right|_0 = 0,"
        r"\quad \left.\tfrac{d^2}{d\epsilon^2}\right|_0 = -\int h^2 \tfrac{p_\text{data}"
        r" p_g}{p_\text{data} + p_g}"
    ),
    source="Goodfellow et al. 2014, Proposition 1",
    tolerance=1e-6,
    configurations=_pairs_1d_2d(),
    check=_check_optimal_discriminator,
)


# -- Theorem 1 -------------------------------------------------------------------------------
def _check_criterion(config: Configuration) -> list[Comparison]:
    p, q = config["p_data"], config["p_g"]
    c = training_criterion(p, q, method="quadrature").value
    equal = config.params.get("equal", False)
    # At p_g = p_data, D* = 1/2 and the JSD integrand vanish at every node: both sides are
    # -log 4 times the quadrature of p by construction. Shown, not counted; the configuration
    # p_g = N(0.01, 1) near p_data is the independent check of the minimum.
    kind = "identity" if equal else "check"
    out = [Comparison("C(G) = V(G, D*) vs -log 4 + 2 JSD", c, -_LOG4 + 2.0 * jsd(p, q).value,
                      kind=kind)]
    if equal:
        out.append(Comparison("C(G) at p_g = p_data vs -log 4", c, -_LOG4, kind=kind))
    else:
        # Strictly above the minimum: C + log 4 = 2 JSD >= TV^2 (Pinsker), and TV > 0 here.
        t = tv(p, q, atol=_TV_ATOL).value
        out.append(Comparison("TV^2 <= C(G) + log 4 (so C > -log 4)", t**2, c + _LOG4, "<="))
        out.append(Comparison("TV >= 1e-3 > 0 for p_g != p_data", 1e-3, t, "<="))
    return out


CRITERION = Theorem(
    key="criterion-jsd",
    title="C(G) = -log 4 + 2 JSD, minimum -log 4 only at p_g = p_data",
    statement=(
        r"C(G) = \max_D V(G, D) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g)"
        r"\;\ge\; -\log 4 + \mathrm{TV}^2, \text{ with equality to } -\log 4"
        r" \iff p_g = p_\text{data}"
    ),
    source="Goodfellow et al. 2014, Theorem 1",
    tolerance=1e-7,
    configurations=_pairs_1d_2d()
    + (
        Configuration(
            "1-D overlapping uniforms", {"p_data": Uniform(0.0, 2.0), "p_g": Uniform(1.0, 3.0)}
        ),
        Configuration("1-D p_g = p_data", {"p_data": bimodal(), "p_g": bimodal(), "equal": True}),
        Configuration(
            "1-D p_g = N(0.01, 1) near p_data = N(0, 1)",
            {"p_data": Gaussian(0.0, 1.0), "p_g": Gaussian(0.01, 1.0)},
        ),
    ),
    check=_check_criterion,
)


# -- JSD bounds --------------------------------------------------------------------------------
def jsd_by_definition(p, q) -> float:
    r""":math:`\mathrm{JSD}` by quadrature of its definition from the two densities alone.

    .. math::

        \mathrm{JSD}(P\|Q) = \tfrac12 \int p \log\frac{2p}{p + q}
        + \tfrac12 \int q \log\frac{2q}{p + q},

    on the union of the supports (each term 0 where its density is), with :math:`\log(p+q)`
    as ``logaddexp``. It uses neither the f-divergence table nor its conventions for
    :math:`f(0)` and :math:`f'(\infty)`, which the library's JSD applies where one density
    vanishes; so on disjoint supports it is a route to :math:`\log 2` independent of the
    closed forms.
    """

    def integrand(x: np.ndarray, lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
        log_sum = np.logaddexp(lp, lq)  # log(p + q)
        out = np.zeros(np.shape(lp))
        for la in (lp, lq):
            mass = la > -np.inf
            out[mass] += 0.5 * np.exp(la[mass]) * (_LOG2 + la[mass] - log_sum[mass])
        return out

    return integrate(p, q, integrand, method="quadrature").value


def _check_jsd_bounds(config: Configuration) -> list[Comparison]:
    kind = config["kind"]
    if kind == "pair":
        p, q = config["p"], config["q"]
        value = jsd(p, q).value
        t = tv(p, q, atol=_TV_ATOL).value
        return [
            Comparison("0 <= JSD", 0.0, value, "<="),
            Comparison("JSD <= log 2", value, _LOG2, "<="),
            Comparison("TV^2 / 2 <= JSD", 0.5 * t**2, value, "<="),
            Comparison("JSD <= TV log 2", value, t * _LOG2, "<="),
            Comparison("JSD vs its definition by quadrature", value, jsd_by_definition(p, q)),
            # The integrand vanishes at every node when q = p.
            Comparison("JSD(p, p) by quadrature", jsd(p, p, method="quadrature").value, 0.0,
                       kind="identity"),
        ]
    if kind == "disjoint":
        p, q = disjoint_uniforms()
        closed = jsd(p, q).value
        return [
            Comparison("JSD of disjoint supports: closed form vs the definition by quadrature "
                       "on the union of the supports", closed, jsd_by_definition(p, q)),
            Comparison("JSD of disjoint supports: the definition by quadrature vs log 2",
                       jsd_by_definition(p, q), _LOG2),
            Comparison("JSD in bits = JSD / log 2", jsd(p, q, base=2).value, closed / _LOG2,
                       kind="identity"),
        ]
    if kind == "line":
        line, gauss = line_and_gaussian()
        # The registry's rule for a segment against a density returns f(0) + f'(inf) of the
        # table, which the disjoint configuration checks by quadrature: log 2 by construction.
        out = [Comparison("JSD(line, Gaussian), exact rule for mutually singular pairs",
                          jsd(line, gauss).value, _LOG2, kind="identity")]
        # The segment as the limit of ever thinner boxes: their JSD to the Gaussian, computed by
        # quadrature on densities, rises towards log 2 as the width goes to 0.
        gaps = []
        for width in (1e-1, 1e-2, 1e-3):
            box = Uniform([line.start[0], -width / 2], [line.end[0], width / 2])
            gaps.append(_LOG2 - jsd(box, gauss).value)
        out += [
            Comparison(f"log 2 - JSD(box of width {w:g}) decreases", gaps[i + 1], gaps[i], "<=")
            for i, w in enumerate((1e-2, 1e-3))
        ]
        out.append(Comparison("log 2 - JSD(box of width 1e-3) <= 0.02", gaps[-1], 0.02, "<="))
        # Parallel segments: the rule (which decides from the geometry that they are singular)
        # against disjoint thin boxes around them, by the definition on densities.
        b0 = Uniform([-1e-3, 0.0], [1e-3, 1.0])
        b1 = Uniform([0.5 - 1e-3, 0.0], [0.5 + 1e-3, 1.0])
        out.append(Comparison("JSD(parallel lines, theta = 0.5), exact rule, vs the definition "
                              "on thin boxes around them", jsd(*parallel_lines(0.5)).value,
                              jsd_by_definition(b0, b1)))
        # Overlapping collinear segments: the rule against the same pair as 1-D uniforms.
        out.append(Comparison(
            "JSD(collinear segments [0, 1], [0.5, 1.5]), rule vs the definition on U(0, 1), "
            "U(0.5, 1.5)",
            jsd(LineUniform([0.0, 0.0], [0.0, 1.0]), LineUniform([0.0, 0.5], [0.0, 1.5])).value,
            jsd_by_definition(Uniform(0.0, 1.0), Uniform(0.5, 1.5))))
        # Coincident segments: the rule evaluates f(1) = 0 on their common interval.
        out.append(Comparison("JSD(parallel lines, theta = 0)", jsd(*parallel_lines(0.0)).value,
                              0.0, kind="identity"))
        return out
    raise ValueError(f"unknown configuration kind {kind!r}")


JSD_BOUNDS = Theorem(
    key="jsd-bounds",
    title="0 <= JSD <= log 2; log 2 for disjoint supports and low-dimensional manifolds",
    statement=(
        r"0 \le \tfrac12 \mathrm{TV}^2 \le \mathrm{JSD}(P\|Q) \le \mathrm{TV}\,\log 2 \le \log 2;"
        r"\ \mathrm{JSD} = 0 \iff P = Q;\ \mathrm{JSD} = \log 2 \iff P \perp Q"
    ),
    source=(
        "Lin 1991 (bounds); Arjovsky & Bottou 2017, Theorems 2.1-2.3 and Arjovsky et al. 2017, "
        "Example 1 (disjoint supports, manifolds)"
    ),
    tolerance=1e-7,
    configurations=(
        Configuration(
            "1-D bimodal vs N(0.5, 1.5^2)", {"kind": "pair", "p": PAIR_1D[0], "q": PAIR_1D[1]}
        ),
        Configuration(
            "1-D far apart N(0,1) vs N(6,1)",
            {"kind": "pair", "p": Gaussian(0.0, 1.0), "q": Gaussian(6.0, 1.0)},
        ),
        Configuration(
            "2-D mixture vs Gaussian", {"kind": "pair", "p": PAIR_2D[0], "q": PAIR_2D[1]}
        ),
        Configuration("disjoint uniforms [0,1], [2,3]", {"kind": "disjoint"}),
        Configuration("segment vs 2-D Gaussian; parallel segments", {"kind": "line"}),
    ),
    check=_check_jsd_bounds,
)

THEOREMS = (OPTIMAL_DISCRIMINATOR, CRITERION, JSD_BOUNDS)
