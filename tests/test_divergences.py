import numpy as np
import pytest
from scipy import integrate, optimize, stats

import gantheory as g
from gantheory import presets
from gantheory.divergences import F_GENERATORS, QuadratureError, registered_closed_forms
from gantheory.divergences import quadrature as quad_module
from gantheory.divergences.registry import lookup

LOG2 = np.log(2.0)
# Covariances within a factor 2 of each other, so both chi-squared divergences are finite.
G1 = (g.Gaussian(0.3, 0.8), g.Gaussian(-0.2, 1.2))
G2 = (
    g.Gaussian([0.1, -0.2], [[0.6, 0.2], [0.2, 0.5]]),
    g.Gaussian([0.4, 0.1], [[0.7, 0.1], [0.1, 0.6]]),
)


def _kl_textbook_1d(m1, v1, m2, v2):
    return np.log(np.sqrt(v2 / v1)) + (v1 + (m1 - m2) ** 2) / (2 * v2) - 0.5


@pytest.mark.parametrize("pair, atol", [(G1, 1e-10), (G2, 1e-8)], ids=["1-D", "2-D"])
@pytest.mark.parametrize(
    "fn", [g.kl, g.hellinger2, g.cross_entropy,
           lambda p, q, **o: g.f_divergence(p, q, "reverse_kl", **o),
           lambda p, q, **o: g.f_divergence(p, q, "jeffrey", **o),
           lambda p, q, **o: g.f_divergence(p, q, "pearson", **o),
           lambda p, q, **o: g.f_divergence(p, q, "neyman", **o)],
    ids=["kl", "hellinger2", "cross_entropy", "reverse_kl", "jeffrey", "pearson", "neyman"],
)
def test_closed_form_vs_quadrature_vs_monte_carlo(pair, atol, fn):
    p, q = pair
    closed = fn(p, q, method="closed_form")
    quad = fn(p, q, method="quadrature")
    assert closed.method == "closed_form" and quad.method == "quadrature"
    assert abs(closed.value - quad.value) <= quad.error  # the error estimate is honest
    assert abs(closed.value - quad.value) <= atol
    mc = fn(p, q, method="monte_carlo", n_samples=200_000, seed=5)
    assert abs(closed.value - mc.value) <= 5 * mc.error


def test_kl_closed_form_matches_textbook_and_3d_monte_carlo():
    p, q = G1
    assert g.kl(p, q).value == pytest.approx(_kl_textbook_1d(0.3, 0.8, -0.2, 1.2), rel=1e-14)
    p3 = g.Gaussian([0.0, 0.5, -0.5], [0.5, 1.0, 1.5])
    q3 = g.Gaussian([0.2, 0.0, 0.0], [[1.0, 0.2, 0.0], [0.2, 1.2, 0.1], [0.0, 0.1, 0.9]])
    auto = g.kl(p3, q3)
    mc = g.kl(p3, q3, method="monte_carlo", seed=1)
    assert auto.method == "closed_form" and mc.method == "monte_carlo"
    assert abs(auto.value - mc.value) <= 5 * mc.error
    m3 = g.GaussianMixture([0.5, 0.5], [[0, 0, 0], [1, 1, 1]], 0.5)
    assert g.kl(m3, q3).method == "monte_carlo"


def test_entropy_closed_form_vs_quadrature():
    p = g.Gaussian([0.0, 0.0], [[1.0, 0.5], [0.5, 2.0]])
    expected = 0.5 * np.log(np.linalg.det(2 * np.pi * np.e * p.cov))
    assert g.entropy(p).value == pytest.approx(expected, rel=1e-14)
    assert g.entropy(p, method="quadrature").value == pytest.approx(expected, abs=1e-8)


@pytest.mark.parametrize("preset", [presets.ring, presets.grid])
def test_presets_kl_is_cross_entropy_minus_entropy(preset):
    r = preset()
    gauss = g.Gaussian(r.mean, r.cov)
    direct = g.kl(r, gauss)
    split = g.cross_entropy(r, gauss).value - g.entropy(r).value
    assert direct.error <= 1e-8
    assert abs(direct.value - split) <= 3e-8
    mc = g.kl(r, gauss, method="monte_carlo", seed=2)
    assert abs(direct.value - mc.value) <= 5 * mc.error


def test_jsd_bounds_bits_and_equal():
    p, q = presets.bimodal(), g.Gaussian(0.0, 1.0)
    value = g.jsd(p, q).value
    assert 0 < value < LOG2
    assert g.jsd(p, q, base=2).value == pytest.approx(value / LOG2, rel=1e-15)
    assert g.jsd(p, p).value == pytest.approx(0.0, abs=1e-12)


def test_disjoint_supports_and_manifolds():
    p, q = presets.disjoint_uniforms()
    assert g.jsd(p, q).value == LOG2
    assert g.jsd(p, q, method="quadrature").value == pytest.approx(LOG2, abs=1e-12)
    assert g.kl(p, q).value == np.inf and g.tv(p, q).value == 1.0
    line, gauss = presets.line_and_gaussian()
    assert g.jsd(line, gauss).value == LOG2 and g.jsd(gauss, line).value == LOG2
    assert g.kl(line, gauss).value == np.inf and g.kl(gauss, line).value == np.inf
    assert g.tv(line, gauss).value == 1.0
    assert g.jsd(*presets.parallel_lines(0.3)).value == LOG2
    assert g.jsd(*presets.parallel_lines(0.0)).value == 0.0
    # Overlapping collinear segments reduce to 1-D uniforms: [0, 1] vs [0, 2] along a line.
    a = g.LineUniform([0.0, 0.0], [1.0, 1.0])
    b = g.LineUniform([0.0, 0.0], [2.0, 2.0])
    assert g.kl(a, b).value == pytest.approx(np.log(2.0))


def test_uniform_boxes_closed_form_vs_quadrature():
    p, q = g.Uniform(0.0, 2.0), g.Uniform(1.0, 4.0)
    for name in ("jensen_shannon", "total_variation", "squared_hellinger", "gan"):
        closed = g.f_divergence(p, q, name)
        quad = g.f_divergence(p, q, name, method="quadrature")
        assert closed.method == "closed_form"
        assert closed.value == pytest.approx(quad.value, abs=1e-10), name
    # By hand: TV = 1/2 (|1/2 - 1/3| * 1 + 1/2 * 1 + 1/3 * 2) = 2/3
    assert g.tv(p, q).value == pytest.approx(2 / 3, rel=1e-15)


def test_tv_1d_against_scipy_quad():
    p, q = presets.bimodal(), g.Gaussian(0.3, 2.0)
    # Crossings found here independently (dense scan + brentq), given to scipy as points.
    grid = np.linspace(-8, 8, 4001)
    diff = p.pdf(grid) - q.pdf(grid)
    crossings = [
        optimize.brentq(lambda t: float(p.pdf(t) - q.pdf(t)), grid[i], grid[i + 1], xtol=1e-15)
        for i in np.flatnonzero(np.sign(diff[:-1]) != np.sign(diff[1:]))
    ]
    assert len(crossings) >= 2
    expected = sum(
        integrate.quad(lambda x: 0.5 * abs(p.pdf(x) - q.pdf(x)), a, b, epsabs=1e-14, limit=500)[0]
        for a, b in zip([-30.0, *crossings], [*crossings, 30.0], strict=True)
    )
    result = g.tv(p, q)
    assert abs(result.value - expected) <= 1e-10


def test_wasserstein():
    assert g.wasserstein1(g.Gaussian(0.0, 1.0), g.Gaussian(3.0, 1.0)).value == pytest.approx(3.0)
    a = np.random.default_rng(0).normal(size=500)
    b = np.random.default_rng(1).normal(1.0, 2.0, size=700)
    assert g.wasserstein1(a, b).value == pytest.approx(stats.wasserstein_distance(a, b), rel=1e-12)
    p = g.Gaussian(0.0, 1.0)
    samples = p.sample(200_000, seed=0)[:, 0]
    assert g.wasserstein1(p, samples).value < 0.01
    w2 = g.w2_gaussian(g.Gaussian(1.0, 4.0), g.Gaussian(-1.0, 1.0)).value
    assert w2 == pytest.approx(np.sqrt(2.0**2 + (2.0 - 1.0) ** 2), rel=1e-14)
    with pytest.raises(TypeError, match="p must be a Gaussian"):
        g.w2_gaussian(presets.bimodal(), g.Gaussian(0.0, 1.0))


def test_registry():
    rows = registered_closed_forms()
    assert ("kl", "Gaussian", "Gaussian") in [r[:3] for r in rows]
    p, q = g.Gaussian(0.0, 1.0), g.Gaussian(1.0, 1.0)
    assert lookup("kl", p, q).__name__ == "_kl_gaussian_gaussian"
    assert lookup("kl", presets.bimodal(), q) is None


@pytest.mark.parametrize("name", sorted(F_GENERATORS))
def test_perspective_equals_q_f_of_ratio_and_is_finite(name):
    gen = F_GENERATORS[name]
    rng = np.random.default_rng(0)
    lp, lq = rng.uniform(-3, 1, 50), rng.uniform(-3, 1, 50)
    np.testing.assert_allclose(
        gen.perspective(lp, lq), np.exp(lq) * gen.f(np.exp(lp - lq)), rtol=1e-10, atol=1e-14
    )
    # Density ratios up to e^300 either way: every integrand is representable, so no overflow
    # and no NaN may appear (the naive q f(p/q) overflows here for several generators).
    lp, lq = rng.uniform(-300, 0, 200), rng.uniform(-300, 0, 200)
    with np.errstate(over="raise", invalid="raise"):
        values = gen.perspective(lp, lq)
    assert np.all(np.isfinite(values))


def test_quadrature_says_when_it_cannot_reach_its_tolerance():
    with pytest.raises(QuadratureError) as info:
        quad_module.integrate(
            lambda x: np.abs(np.sin(40 * x[:, 0])), [np.array([0.0, 10.0])], atol=1e-12,
            max_evaluations=2000,
        )
    assert info.value.result.error > 1e-12
    with pytest.raises(QuadratureError, match="diverges"):
        g.f_divergence(g.Gaussian(0.0, 3.0), g.Gaussian(0.0, 1.0), "pearson", method="quadrature")


def test_gauss_kronrod_exactness():
    for degree in (13, 22):
        r = quad_module.integrate(lambda x, d=degree: x[:, 0] ** d, [np.array([0.0, 1.0])],
                                  atol=1.0)
        assert r.value == pytest.approx(1 / (degree + 1), rel=1e-14)
    # The embedded 7-point Gauss rule is exact to degree 13 only: the estimate sees degree 14.
    assert quad_module.integrate(lambda x: x[:, 0] ** 13, [np.array([0.0, 1.0])],
                                 atol=1.0).error < 1e-15
    assert quad_module.integrate(lambda x: x[:, 0] ** 14, [np.array([0.0, 1.0])],
                                 atol=1.0).error > 1e-12
