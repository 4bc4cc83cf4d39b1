import warnings

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
           lambda p, q, **o: g.f_divergence(p, q, "squared_hellinger", **o),
           lambda p, q, **o: g.f_divergence(p, q, "pearson", **o),
           lambda p, q, **o: g.f_divergence(p, q, "neyman", **o)],
    ids=["kl", "hellinger2", "cross_entropy", "reverse_kl", "jeffrey", "squared_hellinger",
         "pearson", "neyman"],
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


# -- additions: entropy, 3-D Monte Carlo, honesty of the error estimate --------------------
def _entropy_gauss_by_hand(cov):
    cov = np.atleast_2d(cov)
    return 0.5 * (cov.shape[0] * (1 + np.log(2 * np.pi)) + np.log(np.linalg.det(cov)))


@pytest.mark.parametrize("pair, atol", [(G1, 1e-10), (G2, 1e-8)], ids=["1-D", "2-D"])
def test_entropy_closed_form_by_hand_vs_quadrature_vs_monte_carlo(pair, atol):
    for p in pair:
        by_hand = _entropy_gauss_by_hand(p.cov)
        closed = g.entropy(p, method="closed_form")
        quad = g.entropy(p, method="quadrature")
        assert closed.value == pytest.approx(by_hand, rel=1e-14)
        assert abs(quad.value - by_hand) <= max(quad.error, 1e-15)
        assert abs(quad.value - by_hand) <= atol
        mc = g.entropy(p, method="monte_carlo", n_samples=100_000, seed=11)
        assert abs(mc.value - by_hand) <= 5 * mc.error


P3 = g.Gaussian([0.0, 0.5, -0.5], [0.5, 1.0, 1.5])
Q3 = g.Gaussian([0.2, 0.0, 0.0], [[1.0, 0.2, 0.0], [0.2, 1.2, 0.1], [0.0, 0.1, 0.9]])


def _kl_textbook(m1, s1, m2, s2):
    """KL(N(m1, s1) || N(m2, s2)) = 1/2 [tr(s2^-1 s1) + dm' s2^-1 dm - d + ln(det s2 / det s1)]."""
    s1, s2 = np.asarray(s1, dtype=float), np.asarray(s2, dtype=float)
    s2inv = np.linalg.inv(s2)
    dm = np.asarray(m2) - np.asarray(m1)
    return 0.5 * (
        np.trace(s2inv @ s1) + dm @ s2inv @ dm - len(dm)
        + np.log(np.linalg.det(s2) / np.linalg.det(s1))
    )


def _bc_textbook(m1, s1, m2, s2):
    """exp(-D_B), D_B = dm' S^-1 dm / 8 + 1/2 ln(det S / sqrt(det s1 det s2)), S = (s1+s2)/2."""
    s1, s2 = np.asarray(s1, dtype=float), np.asarray(s2, dtype=float)
    s = 0.5 * (s1 + s2)
    dm = np.asarray(m1) - np.asarray(m2)
    db = dm @ np.linalg.solve(s, dm) / 8 + 0.5 * np.log(
        np.linalg.det(s) / np.sqrt(np.linalg.det(s1) * np.linalg.det(s2))
    )
    return np.exp(-db)


@pytest.mark.parametrize(
    "name, by_hand",
    [
        ("kl", lambda p, q: _kl_textbook(p.mean, p.cov, q.mean, q.cov)),
        ("reverse_kl", lambda p, q: _kl_textbook(q.mean, q.cov, p.mean, p.cov)),
        ("jeffrey", lambda p, q: _kl_textbook(p.mean, p.cov, q.mean, q.cov)
         + _kl_textbook(q.mean, q.cov, p.mean, p.cov)),
        ("squared_hellinger", lambda p, q: 2 * (1 - _bc_textbook(p.mean, p.cov, q.mean, q.cov))),
    ],
)
def test_3d_closed_forms_by_hand_and_by_monte_carlo(name, by_hand):
    expected = by_hand(P3, Q3)
    closed = g.f_divergence(P3, Q3, name)
    assert closed.method == "closed_form"
    assert closed.value == pytest.approx(expected, rel=1e-12)
    mc = g.f_divergence(P3, Q3, name, method="monte_carlo", n_samples=100_000, seed=3)
    assert abs(mc.value - expected) <= 5 * mc.error


def test_kl_textbook_in_2d():
    p, q = G2
    assert g.kl(p, q).value == pytest.approx(_kl_textbook(p.mean, p.cov, q.mean, q.cov), rel=1e-13)


def test_error_estimate_is_honest_on_known_answers():
    # Mixtures against themselves shifted far away have no closed form, but these do:
    # KL of Gaussians with very different scales, JSD of nested uniforms, Hellinger of a
    # narrow against a wide Gaussian.
    cases = [
        (g.kl, g.Gaussian(1.0, 0.05), g.Gaussian(-2.0, 9.0),
         _kl_textbook([1.0], [[0.05]], [-2.0], [[9.0]])),
        (g.hellinger2, g.Gaussian(0.0, 0.01), g.Gaussian(0.5, 4.0),
         1 - _bc_textbook([0.0], [[0.01]], [0.5], [[4.0]])),
        # Nested boxes [0, 1] in [0, 4]: on [0, 1] p = 1, q = 1/4, m = 5/8, elsewhere p = 0:
        # JSD = 1/2 [log(8/5) + 1/4 log(2/5)] + 1/2 * 3/4 * log 2.
        (g.jsd, g.Uniform(0.0, 1.0), g.Uniform(0.0, 4.0),
         0.5 * (np.log(8 / 5) + 0.25 * np.log(2 / 5)) + 0.375 * LOG2),
    ]
    for fn, p, q, expected in cases:
        r = fn(p, q, method="quadrature")
        assert abs(r.value - expected) <= r.error + 1e-15, (fn.__name__, r, expected)
        assert r.error <= 1e-9


@pytest.mark.parametrize("preset", [presets.ring, presets.grid])
def test_presets_kl_within_the_reported_errors(preset):
    r = preset()
    gauss = g.Gaussian(r.mean, r.cov)
    direct = g.kl(r, gauss)
    ce, h = g.cross_entropy(r, gauss), g.entropy(r)
    assert direct.method == ce.method == h.method == "quadrature"
    assert abs(direct.value - (ce.value - h.value)) <= direct.error + ce.error + h.error
    # Independent check of the cross-entropy: q is Gaussian, so -E_p[log q] only needs p's
    # first two moments: 1/2 [d log 2 pi + log det S + tr(S^-1 Cov_p) + 0] with S = Cov_p: d/2.
    d = 2
    ce_by_hand = 0.5 * (d * np.log(2 * np.pi) + np.log(np.linalg.det(r.cov)) + d)
    assert abs(ce.value - ce_by_hand) <= ce.error + 1e-12
    assert direct.error <= 1e-8
    mc = g.kl(r, gauss, method="monte_carlo", seed=2)
    assert abs(direct.value - mc.value) <= 5 * mc.error
    # Fully analytic: the modes are >= 40 standard deviations apart, so they do not overlap
    # to double precision and H(P) = log K + H(N(0, s^2 I)) = log K + log(2 pi e s^2) (2-D).
    # Then KL = H(P, Q) - H(P) needs no integral at all.
    h_by_hand = _separated_preset_entropy(r)
    assert abs(h.value - h_by_hand) <= h.error + 1e-12
    assert abs(direct.value - (ce_by_hand - h_by_hand)) <= direct.error + 1e-12


def _separated_preset_entropy(mix):
    k = mix.n_components
    s2 = mix.covs[0, 0, 0]
    gaps = np.linalg.norm(mix.means[:, None] - mix.means[None], axis=-1) + np.eye(k) * 1e9
    assert gaps.min() >= 40 * np.sqrt(s2)  # the premise of the formula
    return np.log(k) + np.log(2 * np.pi * np.e * s2)


def _equal_mixture(p, q):
    """M = (P + Q)/2 as one GaussianMixture, built from the components."""
    return g.GaussianMixture(
        np.concatenate([0.5 * p.weights, 0.5 * q.weights]),
        np.concatenate([p.means, q.means]),
        np.concatenate([p.covs, q.covs]),
    )


@pytest.mark.parametrize("preset", [presets.ring, presets.grid])
def test_presets_jsd_vs_monte_carlo_and_symmetric(preset):
    r = preset()
    gauss = g.Gaussian(r.mean, r.cov)
    js = g.jsd(r, gauss)
    assert js.method == "quadrature" and js.error <= 1e-8
    assert 0 < js.value < LOG2
    mc = g.jsd(r, gauss, method="monte_carlo", seed=3)
    assert abs(js.value - mc.value) <= 5 * mc.error
    assert abs(g.jsd(gauss, r).value - js.value) <= 2 * js.error + 1e-12  # symmetric


@pytest.mark.parametrize(
    "preset", [presets.ring, pytest.param(presets.grid, marks=pytest.mark.slow)]
)
def test_presets_jsd_by_the_entropy_decomposition(preset):
    # JSD(P, Q) = H(M) - (H(P) + H(Q)) / 2, M = (P + Q)/2: a different integrand (-m log m of
    # a 9- or 26-component mixture) and H(P), H(Q) without any integral.
    r = preset()
    gauss = g.Gaussian(r.mean, r.cov)
    js = g.jsd(r, gauss)
    h_m = g.entropy(_equal_mixture(r, gauss))
    h_q = 0.5 * np.log(np.linalg.det(2 * np.pi * np.e * r.cov))
    expected = h_m.value - 0.5 * (_separated_preset_entropy(r) + h_q)
    assert abs(js.value - expected) <= js.error + h_m.error + 1e-12


def test_kl_gaussian_closed_form_vs_scipy_integrate():
    # 1-D: scipy.integrate.quad over scipy.stats.norm's densities.
    (p, q), (mp, vp, mq, vq) = G1, (0.3, 0.8, -0.2, 1.2)
    sp, sq = stats.norm(mp, np.sqrt(vp)), stats.norm(mq, np.sqrt(vq))
    expected, err = integrate.quad(lambda x: sp.pdf(x) * (sp.logpdf(x) - sq.logpdf(x)), -40, 40,
                                   points=[mp, mq], epsabs=1e-13, epsrel=0, limit=500)
    assert err < 1e-11
    assert g.kl(p, q).value == pytest.approx(expected, abs=1e-12)
    # 2-D: scipy.integrate.dblquad of a scalar density written out by hand.
    p, q = G2
    fp, fq = _scalar_density(p), _scalar_density(q)
    # Standard deviations < 0.9 and means within 0.5 of 0: [-12, 12]^2 misses < 1e-30.
    expected, err = integrate.dblquad(
        lambda y, x: fp(x, y) * np.log(fp(x, y) / fq(x, y)) if fp(x, y) > 0 else 0.0,
        -12, 12, -12, 12, epsabs=1e-11, epsrel=0,
    )
    assert err < 1e-10
    assert g.kl(p, q).value == pytest.approx(expected, abs=1e-10)
    # Entropies against scipy.stats' own closed forms.
    for dist in (*G1, *G2):
        ref = stats.multivariate_normal(dist.mean, dist.cov).entropy()
        assert g.entropy(dist).value == pytest.approx(ref, rel=1e-13)


def _ce_textbook(m1, s1, m2, s2):
    """H(N1, N2) = 1/2 [d log 2 pi + log det s2 + tr(s2^-1 s1) + dm' s2^-1 dm]."""
    s1, s2 = np.atleast_2d(s1), np.atleast_2d(s2)
    dm = np.atleast_1d(np.asarray(m1) - np.asarray(m2))
    return 0.5 * (len(dm) * np.log(2 * np.pi) + np.log(np.linalg.det(s2))
                  + np.trace(np.linalg.solve(s2, s1)) + dm @ np.linalg.solve(s2, dm))


HONESTY_PAIRS = [
    (g.Gaussian(0.0, 1.0), g.Gaussian(0.0, 1.0)),
    (g.Gaussian(0.0, 1.0), g.Gaussian(5.0, 1.0)),  # far apart
    (g.Gaussian(0.0, 1e-4), g.Gaussian(0.3, 1.0)),  # std ratio 100
    (g.Gaussian(0.0, 25.0), g.Gaussian(1.0, 16.0)),  # wide
    (g.Gaussian(3.0, 0.01), g.Gaussian(-3.0, 0.02)),  # narrow and 40 std apart
    (g.Gaussian(100.0, 2.0), g.Gaussian(101.0, 3.0)),  # far from the origin
    (g.Gaussian([0.0, 0.0], [[1.0, 0.95], [0.95, 1.0]]), g.Gaussian([0.5, -0.5], 1.0)),
    (g.Gaussian([0.0, 0.0], [0.01, 4.0]), g.Gaussian([1.0, 1.0], [[1.0, -0.3], [-0.3, 0.5]])),
    (g.Gaussian([2.0, -1.0], 0.05), g.Gaussian([-1.0, 1.0], 0.1)),
]
HONESTY_FORMULAS = {
    "kl": lambda p, q: _kl_textbook(p.mean, p.cov, q.mean, q.cov),
    "reverse_kl": lambda p, q: _kl_textbook(q.mean, q.cov, p.mean, p.cov),
    "jeffrey": lambda p, q: _kl_textbook(p.mean, p.cov, q.mean, q.cov)
    + _kl_textbook(q.mean, q.cov, p.mean, p.cov),
    "squared_hellinger": lambda p, q: 2 * (1 - _bc_textbook(p.mean, p.cov, q.mean, q.cov)),
}


@pytest.mark.parametrize("index", range(len(HONESTY_PAIRS)))
def test_error_estimate_bounds_the_error_on_gaussian_pairs(index):
    # |quadrature - exact| <= reported error, the exact value from formulas written here,
    # on pairs chosen to stress the panels: tiny against wide, far apart, strongly correlated.
    p, q = HONESTY_PAIRS[index]
    atol = {1: 1e-10, 2: 1e-8}[p.dim]
    for name, formula in HONESTY_FORMULAS.items():
        exact = formula(p, q)
        r = g.f_divergence(p, q, name, method="quadrature")
        assert abs(r.value - exact) <= r.error + 4 * np.finfo(float).eps * abs(exact), name
        # The tolerance governs refinement; the reported error adds the rounding bound, which
        # for values of thousands (reverse KL and Jeffrey of pair 2) is itself near 1e-10.
        assert r.error <= atol + 1e-13 * abs(exact)
    r = g.cross_entropy(p, q, method="quadrature")
    exact = _ce_textbook(p.mean, p.cov, q.mean, q.cov)
    assert abs(r.value - exact) <= r.error + 4 * np.finfo(float).eps * abs(exact)


def test_pearson_too_large_for_a_float_is_inf_without_a_warning():
    # chi^2 = s2^2/(s1 sqrt(2 s2^2 - s1^2)) exp(dm^2/(2 s2^2 - s1^2)) - 1 with dm^2 / 0.03 = 1200:
    # finite in exact arithmetic, above the largest double (e^709.8): the float answer is inf.
    p, q = g.Gaussian(3.0, 0.01), g.Gaussian(-3.0, 0.02)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        assert g.f_divergence(p, q, "pearson").value == np.inf


# -- JSD, supports ------------------------------------------------------------------------
def test_jsd_bits_on_disjoint_uniforms_and_bounds_in_2d():
    p, q = presets.disjoint_uniforms(gap=0.5)
    assert g.jsd(p, q, base=2).value == pytest.approx(1.0, rel=1e-15)
    quad = g.jsd(p, q, method="quadrature")
    assert abs(quad.value - LOG2) <= max(quad.error, 1e-15)
    assert g.kl(p, q, method="quadrature").value == np.inf  # support rule, not an integral
    assert g.kl(q, p).value == np.inf
    a, b = G2
    value = g.jsd(a, b).value
    assert 0 < value < LOG2


@pytest.mark.parametrize("theta", [0.1, -2.0, 1e-6])
def test_parallel_lines(theta):
    p, q = presets.parallel_lines(theta)
    assert g.jsd(p, q).value == LOG2
    assert g.kl(p, q).value == np.inf and g.kl(q, p).value == np.inf
    assert g.tv(p, q).value == 1.0
    # W1 = |theta|: moving every point horizontally by theta is optimal; the first coordinate
    # of the samples alone shows it (empirical W1 of point masses at 0 and theta).
    xs_p = p.sample(50, seed=0)[:, 0]
    xs_q = q.sample(50, seed=1)[:, 0]
    assert g.wasserstein1(xs_p, xs_q).value == pytest.approx(abs(theta), rel=1e-12)


def test_line_and_gaussian_all_directions():
    line, gauss = presets.line_and_gaussian(length=0.5, std=3.0)
    assert g.jsd(line, gauss, base=2).value == 1.0
    assert g.tv(gauss, line).value == 1.0
    assert g.hellinger2(line, gauss).value == 1.0
    assert g.f_divergence(line, gauss, "reverse_kl").value == np.inf


# -- uniform boxes ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "p, q",
    [
        (g.Uniform(0.0, 1.0), g.Uniform(-1.0, 2.0)),  # nested: everything finite
        (g.Uniform([0.0, 0.0], [1.0, 1.0]), g.Uniform([-0.5, 0.0], [1.0, 2.0])),  # 2-D nested
    ],
    ids=["1-D", "2-D"],
)
@pytest.mark.parametrize("name", sorted(F_GENERATORS))
def test_nested_boxes_closed_form_vs_quadrature(p, q, name):
    closed = g.f_divergence(p, q, name)
    quad = g.f_divergence(p, q, name, method="quadrature") if name != "total_variation" or (
        p.dim == 1) else None
    if quad is not None:
        assert closed.value == pytest.approx(quad.value, abs=max(quad.error, 1e-12))
    # By hand, p = a on P, q = b on Q, P inside Q: D_f = |P| b f(a/b) + (|Q| - |P|) b f(0).
    a, b = 1 / p.volume, 1 / q.volume
    gen = F_GENERATORS[name]
    expected = p.volume * b * float(gen.f(np.float64(a / b)))
    if gen.f_at_zero == np.inf:
        expected = np.inf
    else:
        expected += (q.volume - p.volume) * b * gen.f_at_zero
    assert closed.value == pytest.approx(expected, rel=1e-12)


def test_uniform_kl_by_hand():
    # KL(U[0,1] || U[-1,2]) = log 3; cross-entropy log 3; entropy log 1 = 0.
    p, q = g.Uniform(0.0, 1.0), g.Uniform(-1.0, 2.0)
    assert g.kl(p, q).value == pytest.approx(np.log(3.0), rel=1e-14)
    assert g.cross_entropy(p, q).value == pytest.approx(np.log(3.0), rel=1e-14)
    assert g.kl(p, q, method="quadrature").value == pytest.approx(np.log(3.0), abs=1e-10)
    assert g.kl(q, p).value == np.inf


# -- total variation in 2-D ---------------------------------------------------------------
TV_P = g.GaussianMixture(
    [0.4, 0.6], [[-1.0, 0.0], [1.0, 0.5]], [[[0.5, 0.2], [0.2, 0.4]], [[0.3, -0.1], [-0.1, 0.6]]]
)
TV_Q = g.Gaussian([0.2, 0.1], [[1.0, 0.3], [0.3, 0.8]])


def _scalar_density(mix):
    """A scalar 2-D mixture density written out by hand (independent of gantheory's logpdf)."""
    comps = []
    for w, m, c in zip(mix.weights, mix.means, mix.covs, strict=True):
        det = c[0, 0] * c[1, 1] - c[0, 1] * c[1, 0]
        comps.append((w / (2 * np.pi * np.sqrt(det)), m[0], m[1],
                      c[1, 1] / det, -c[0, 1] / det, c[0, 0] / det))

    def density(x, y):
        total = 0.0
        for k, mx, my, a, b, d in comps:
            dx, dy = x - mx, y - my
            total += k * np.exp(-0.5 * (a * dx * dx + 2 * b * dx * dy + d * dy * dy))
        return total

    return density


def test_tv_2d_sections_vs_monte_carlo_and_dblquad():
    exact = g.tv(TV_P, TV_Q)
    assert exact.method == "quadrature" and exact.error <= 1e-8
    mc = g.tv(TV_P, TV_Q, method="monte_carlo", n_samples=200_000, seed=9)
    assert abs(exact.value - mc.value) <= 5 * mc.error
    fp, fq = _scalar_density(TV_P), _scalar_density(TV_Q)
    # Means within 1.2 of 0 and standard deviations <= 1: the box [-9, 9]^2 misses < 1e-12.
    value, err = integrate.dblquad(
        lambda y, x: 0.5 * abs(fp(x, y) - fq(x, y)), -9, 9, -9, 9, epsabs=1e-6, epsrel=0
    )
    assert abs(exact.value - value) <= 1e-6 + err


def test_tv_2d_between_mixtures_with_several_crossings_vs_monte_carlo():
    p = g.GaussianMixture([0.5, 0.5], [[-1.5, 0.0], [1.5, 0.0]], 0.4)
    q = g.GaussianMixture([0.3, 0.7], [[0.0, -1.0], [0.0, 1.0]], [[0.6, 0.3], [0.3, 0.5]])
    exact = g.tv(p, q)
    mc = g.tv(p, q, method="monte_carlo", n_samples=200_000, seed=4)
    assert abs(exact.value - mc.value) <= 5 * mc.error


def test_tv_1d_two_mixtures_vs_scipy_quad():
    p = g.GaussianMixture([0.3, 0.7], [-1.0, 1.5], [0.3, 0.8])
    q = g.GaussianMixture([0.6, 0.4], [0.0, 2.5], [1.0, 0.2])
    grid = np.linspace(-12, 12, 24001)
    dens_p = 0.3 * stats.norm.pdf(grid, -1, np.sqrt(0.3)) + 0.7 * stats.norm.pdf(
        grid, 1.5, np.sqrt(0.8))
    dens_q = 0.6 * stats.norm.pdf(grid, 0, 1) + 0.4 * stats.norm.pdf(grid, 2.5, np.sqrt(0.2))

    def diff(t):
        return (0.3 * stats.norm.pdf(t, -1, np.sqrt(0.3)) + 0.7 * stats.norm.pdf(t, 1.5, np.sqrt(
            0.8)) - 0.6 * stats.norm.pdf(t, 0, 1) - 0.4 * stats.norm.pdf(t, 2.5, np.sqrt(0.2)))

    s = np.sign(dens_p - dens_q)
    crossings = [optimize.brentq(diff, grid[i], grid[i + 1], xtol=1e-15)
                 for i in np.flatnonzero(s[:-1] * s[1:] < 0)]
    edges = [-40.0, *crossings, 40.0]
    expected = sum(
        integrate.quad(lambda x: 0.5 * abs(diff(x)), a, b, epsabs=1e-14, limit=500)[0]
        for a, b in zip(edges[:-1], edges[1:], strict=True)
    )
    r = g.tv(p, q)
    assert abs(r.value - expected) <= 1e-10
    assert abs(r.value - expected) <= r.error + 1e-14


# -- Wasserstein --------------------------------------------------------------------------
@pytest.mark.parametrize("shift", [-2.5, 0.7, 10.0])
def test_wasserstein_of_a_shift_is_the_shift(shift):
    p = g.GaussianMixture([0.3, 0.7], [-1.0, 1.0], [0.2, 0.5])
    q = g.GaussianMixture([0.3, 0.7], [-1.0 + shift, 1.0 + shift], [0.2, 0.5])
    r = g.wasserstein1(p, q)
    assert abs(r.value - abs(shift)) <= max(r.error, 1e-12) + 1e-12


def test_wasserstein_samples_vs_scipy_and_convergence():
    rng = np.random.default_rng(5)
    for n, m in ((1, 1), (3, 7), (1000, 10)):
        a, b = rng.normal(size=n), rng.exponential(size=m)
        assert g.wasserstein1(a, b).value == pytest.approx(
            stats.wasserstein_distance(a, b), rel=1e-12, abs=1e-15)
    assert g.wasserstein1(a[:, None], b).value == pytest.approx(
        stats.wasserstein_distance(a, b), rel=1e-12)
    # Distribution vs its own samples: E W1 ~ c / sqrt(n), so it falls roughly tenfold per
    # 100x more samples (averaged over seeds to keep the check from being a coin flip).
    p = presets.bimodal()
    mean_w = [
        np.mean([g.wasserstein1(p, p.sample(n, seed=s)[:, 0]).value for s in range(5)])
        for n in (100, 10_000)
    ]
    assert mean_w[1] < mean_w[0] / 4
    assert mean_w[1] < 0.05


def test_wasserstein_between_distributions_with_crossing_cdfs():
    p, q = g.Gaussian(0.0, 1.0), g.Gaussian(0.3, 4.0)
    expected = integrate.quad(
        lambda x: abs(stats.norm.cdf(x) - stats.norm.cdf(x, 0.3, 2.0)), -40, 40,
        points=[0.3], epsabs=1e-13, limit=500,
    )[0]
    r = g.wasserstein1(p, q)
    assert abs(r.value - expected) <= 1e-9
    # ... and against many samples of q it converges to the distribution-distribution value.
    assert abs(g.wasserstein1(p, q.sample(200_000, seed=1)).value - expected) < 0.02


def test_wasserstein_uniform_by_hand():
    # W1(U[0,1], U[0,2]) = int_0^1 x/2 dx + int_1^2 (1 - x/2) dx = 1/4 + 1/4 = 1/2.
    assert g.wasserstein1(g.Uniform(0.0, 1.0), g.Uniform(0.0, 2.0)).value == pytest.approx(
        0.5, abs=1e-10)


@pytest.mark.parametrize("m1, s1, m2, s2", [(0.0, 1.0, 0.0, 1.0), (1.5, 0.3, -2.0, 2.5),
                                            (0.0, 4.0, 0.1, 0.01)])
def test_w2_gaussian_1d_formula(m1, s1, m2, s2):
    expected = np.sqrt((m1 - m2) ** 2 + (s1 - s2) ** 2)
    got = g.w2_gaussian(g.Gaussian(m1, s1**2), g.Gaussian(m2, s2**2)).value
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_w2_gaussian_commuting_2d_and_type_errors():
    # Diagonal covariances commute: W2^2 = |dm|^2 + sum (sqrt(a_i) - sqrt(b_i))^2.
    p, q = g.Gaussian([0.0, 1.0], [4.0, 1.0]), g.Gaussian([1.0, -1.0], [1.0, 9.0])
    assert g.w2_gaussian(p, q).value == pytest.approx(np.sqrt(1 + 4 + 1 + 4), rel=1e-12)
    with pytest.raises(TypeError, match="q must be a Gaussian"):
        g.w2_gaussian(g.Gaussian(0.0, 1.0), presets.bimodal())
    with pytest.raises(TypeError, match="p must be a Gaussian"):
        g.w2_gaussian(g.Uniform(0.0, 1.0), g.Gaussian(0.0, 1.0))


# -- registry ------------------------------------------------------------------------------
def test_registry_lists_rows_and_lookup_picks_the_most_specific():
    from gantheory.divergences import registry

    rows = registered_closed_forms()
    keys = [r[:3] for r in rows]
    for row in [("kl", "Gaussian", "Gaussian"), ("w2", "Gaussian", "Gaussian"),
                ("cross_entropy", "Uniform", "Uniform"),
                ("kl", "LineUniform", "AbsolutelyContinuous")]:
        assert row in keys
    assert all(isinstance(r[3], str) and r[3] for r in rows if r[:3] == ("kl", "Gaussian",
                                                                        "Gaussian"))
    assert keys == sorted(keys)

    class Special(g.Gaussian):
        pass

    p, q = Special(0.0, 1.0), g.Gaussian(1.0, 1.0)
    # Only the base-class form exists: the subclass inherits it.
    assert lookup("kl", p, q) is lookup("kl", q, p)
    assert g.kl(p, q).value == pytest.approx(0.5, rel=1e-14)
    try:
        forty_two = registry.ClosedFormValue(42.0, 0.0)
        registry.register("kl", Special, g.Gaussian)(lambda a, b: forty_two)
        assert lookup("kl", p, q)(p, q).value == 42.0  # the more specific pair wins
        assert lookup("kl", q, p)(q, p).value == pytest.approx(0.5)  # (Gaussian, Special): base
        with pytest.raises(ValueError, match="already registered"):
            registry.register("kl", Special, g.Gaussian)(lambda a, b: 0.0)
    finally:
        registry._REGISTRY.pop(("kl", Special, g.Gaussian), None)
    # A line against any density: the (LineUniform, AbsolutelyContinuous) form serves both.
    line = g.LineUniform([0.0, 0.0], [1.0, 0.0])
    assert lookup("kl", line, g.Gaussian([0.0, 0.0], 1.0)) is lookup(
        "kl", line, g.Uniform([0.0, 0.0], [1.0, 1.0]))


# -- f generators --------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(F_GENERATORS))
def test_perspective_is_finite_for_log_ratios_up_to_700(name):
    gen = F_GENERATORS[name]
    rng = np.random.default_rng(1)
    # log densities in [-700, 0], so log p - log q spans [-700, 700], plus the extreme corners.
    lp = np.concatenate([rng.uniform(-700, 0, 500), [0.0, -700.0, 0.0, -700.0]])
    lq = np.concatenate([rng.uniform(-700, 0, 500), [-700.0, 0.0, 0.0, -700.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        values = gen.perspective(lp, lq)
    assert np.all(np.isfinite(values)) and not np.any(np.isnan(values))
    # Where both are moderate (|log ratio| <= 30, log q >= -30) it equals q f(p/q) naively.
    ok = (np.abs(lp - lq) <= 30) & (lq >= -30)
    np.testing.assert_allclose(values[ok], np.exp(lq[ok]) * gen.f(np.exp(lp[ok] - lq[ok])),
                               rtol=1e-9, atol=1e-300)


@pytest.mark.parametrize("name", sorted(F_GENERATORS))
def test_perspective_zero_density_conventions(name):
    gen = F_GENERATORS[name]
    # q = 0 < p: p f'(inf); p = 0 < q: q f(0); both zero: 0.
    values = gen.perspective(np.array([np.log(0.3), -np.inf, -np.inf]),
                             np.array([-np.inf, np.log(0.2), -np.inf]))
    assert values[0] == (0.3 * gen.slope_at_infinity if gen.slope_at_infinity < np.inf
                         else np.inf)
    assert values[1] == pytest.approx(0.2 * gen.f_at_zero) if gen.f_at_zero < np.inf else (
        values[1] == np.inf)
    assert values[2] == 0.0


def test_pearson_gaussian_closed_form_by_completing_the_square():
    # chi^2(N(m1, s1^2) || N(m2, s2^2)) = s2^2 / (s1 sqrt(2 s2^2 - s1^2))
    #                                    * exp((m1 - m2)^2 / (2 s2^2 - s1^2)) - 1
    m1, s1, m2, s2 = 0.3, 0.9, -0.4, 1.1
    by_hand = s2**2 / (s1 * np.sqrt(2 * s2**2 - s1**2)) * np.exp(
        (m1 - m2) ** 2 / (2 * s2**2 - s1**2)) - 1
    p, q = g.Gaussian(m1, s1**2), g.Gaussian(m2, s2**2)
    assert g.f_divergence(p, q, "pearson").value == pytest.approx(by_hand, rel=1e-12)
    assert g.f_divergence(q, p, "neyman").value == pytest.approx(by_hand, rel=1e-12)
    assert g.f_divergence(g.Gaussian(0.0, 3.0), g.Gaussian(0.0, 1.0), "pearson").value == np.inf


def test_divergent_pearson_by_quadrature_raises_instead_of_returning_a_number():
    with pytest.raises(QuadratureError) as info:
        g.f_divergence(g.Gaussian(0.0, 3.0), g.Gaussian(0.0, 1.0), "pearson",
                       method="quadrature")
    assert not np.isfinite(info.value.result.error)


# -- QuadratureError carries what was reached (the engine itself: test_quadrature.py) ----
def test_quadrature_error_carries_the_error_reached():
    atol = 1e-12
    with pytest.raises(QuadratureError) as info:
        quad_module.integrate(lambda x: np.sqrt(np.abs(x[:, 0] - 0.3)), [np.array([0.0, 1.0])],
                              atol=atol, max_evaluations=200)
    res = info.value.result
    assert np.isfinite(res.value) and np.isfinite(res.error)
    assert res.error > atol
    assert res.n_evaluations <= 200
    assert f"{res.error:.3g}" in str(info.value)
    # The true value, int_0^1 sqrt|x - 0.3| = 2/3 (0.3^1.5 + 0.7^1.5), is within a few
    # multiples of the reported (pessimistic) error at that point.
    truth = 2 / 3 * (0.3**1.5 + 0.7**1.5)
    assert abs(res.value - truth) <= res.error


def test_pearson_integrand_above_the_largest_double_is_reported_not_warned():
    # The same pair by quadrature: p^2/q overflows a double inside the domain, so the integral
    # cannot be taken in floats; the caller gets a ValueError, not a RuntimeWarning and a NaN.
    p, q = g.Gaussian(3.0, 0.01), g.Gaussian(-3.0, 0.02)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(ValueError, match="not finite"):
            g.f_divergence(p, q, "pearson", method="quadrature")
