import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gantheory import Gaussian, GaussianMixture, f_divergence
from gantheory.divergences.fdiv import TABLE
from gantheory.testing.strategies import mixture_pairs, mixtures
from gantheory.theorems import fgan
from gantheory.theorems.base import Configuration

CONFIGS = {c.name: c for c in fgan.F_GAN.configurations}
TABLE_CONFIG = CONFIGS["the table: f(1), convexity, conjugates, T*, activations"]
GAUSS_1D = CONFIGS["1-D N(0, 1) vs N(0.8, 1.3^2)"]
MIX_1D = CONFIGS["1-D mixtures"]


def _with(config, **params):
    return Configuration(config.name, {**config.params, **params})


def _failures(config):
    tol = fgan.F_GAN.tolerance
    return [c.label for c in fgan.F_GAN.check(config) if not c.error <= tol]


@pytest.mark.parametrize("theorem", fgan.THEOREMS, ids=lambda t: t.key)
def test_theorem_passes(theorem):
    result = theorem.run()
    assert result.n_comparisons > 0
    assert result.passed, result.as_dict()


def test_every_generator_is_checked_on_every_pair():
    labels = [c.label for c in fgan.F_GAN.check(GAUSS_1D)]
    for name in TABLE:
        assert any(label.startswith(f"{name}: E_P[T*]") for label in labels), name
        assert any(label.startswith(f"{name}: D_f = ") for label in labels), name
    assert set(fgan.OPTIMAL_LOGIT) == set(TABLE) - {"total_variation"}


# -- the Gaussian chi-squared -----------------------------------------------------------------
def _chi2_1d(m1, s1, m2, s2):
    # int N(m1, s1^2)^2 / N(m2, s2^2): complete the square in the exponent
    # -(x - m1)^2 / s1^2 + (x - m2)^2 / (2 s2^2), a = 1/s1^2 - 1/(2 s2^2) > 0, giving
    # s2^2 / (s1 sqrt(2 s2^2 - s1^2)) exp((m1 - m2)^2 / (2 s2^2 - s1^2)).
    v = 2 * s2**2 - s1**2
    return s2**2 / (s1 * np.sqrt(v)) * np.exp((m1 - m2) ** 2 / v) - 1.0


@pytest.mark.parametrize(
    ("m1", "s1", "m2", "s2"), [(0.0, 1.0, 0.8, 1.3), (0.3, 0.7, -0.2, 0.6), (0.0, 2.0, 1.0, 1.5)]
)
def test_chi2_gaussian_1d(m1, s1, m2, s2):
    p, q = Gaussian(m1, s1**2), Gaussian(m2, s2**2)
    closed = fgan.chi2_gaussian(p, q)
    assert closed == pytest.approx(_chi2_1d(m1, s1, m2, s2), rel=1e-13)
    quad = f_divergence(p, q, "pearson", method="quadrature")
    assert closed == pytest.approx(quad.value, abs=max(quad.error, 1e-12))


def test_chi2_gaussian_1d_equal_widths():
    # chi^2(N(0, 1) || N(1, 1)) = e - 1; with unequal widths the prefactor is s2^2 (not s2).
    assert fgan.chi2_gaussian(Gaussian(0.0, 1.0), Gaussian(1.0, 1.0)) == pytest.approx(
        np.e - 1, rel=1e-14
    )
    assert fgan.chi2_gaussian(Gaussian(0.0, 1.0), Gaussian(0.0, 4.0)) == pytest.approx(
        4 / np.sqrt(7) - 1, rel=1e-14
    )


def test_chi2_gaussian_2d_and_infinite():
    p = Gaussian([0.0, 0.2], [[0.9, 0.2], [0.2, 0.7]])
    q = Gaussian([0.4, -0.1], [[1.1, 0.15], [0.15, 0.85]])
    for a, b in ((p, q), (q, p)):
        quad = f_divergence(a, b, "pearson", method="quadrature")
        assert fgan.chi2_gaussian(a, b) == pytest.approx(quad.value, abs=10 * quad.error)
        # the determinant form of the docstring
        s = 2 * b.cov - a.cov
        d = a.mean - b.mean
        det = np.linalg.det
        by_dets = det(b.cov) / np.sqrt(det(a.cov) * det(s)) * np.exp(d @ np.linalg.solve(s, d))
        assert fgan.chi2_gaussian(a, b) == pytest.approx(by_dets - 1, rel=1e-12)
    # 2 Sigma_q - Sigma_p not positive definite: the integral diverges.
    assert fgan.chi2_gaussian(Gaussian(0.0, 3.0), Gaussian(0.0, 1.0)) == np.inf
    assert fgan.chi2_gaussian(Gaussian([0.0, 0.0], [1.0, 2.5]), Gaussian([0.0, 0.0], 1.0)) == (
        np.inf
    )
    with pytest.raises(TypeError, match="Gaussian"):
        fgan.chi2_gaussian(GaussianMixture([0.5, 0.5], [0.0, 1.0], 1.0), Gaussian(0.0, 1.0))
    with pytest.raises(ValueError, match="dimension"):
        fgan.chi2_gaussian(Gaussian(0.0, 1.0), Gaussian([0.0, 0.0], 1.0))


def test_tv_by_cdfs():
    # Equal widths: one crossing at the midpoint, TV = 2 Phi(d / 2) - 1.
    from scipy.special import ndtr

    p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 1.0)
    np.testing.assert_array_equal(fgan._crossings(p, q), [0.5])  # a node of the root grid
    assert fgan._tv_by_cdfs(p, q) == pytest.approx(2 * ndtr(0.5) - 1, abs=1e-14)
    assert fgan._tv_by_cdfs(p, p) == 0.0
    # N(0, 1) vs N(0, 4): p > q on |x| < x0, x0^2 = 8 log 2 / 3; TV = 2 (Phi(x0) - Phi(x0 / 2)).
    x0 = np.sqrt(8 * np.log(2) / 3)
    wide = Gaussian(0.0, 4.0)
    np.testing.assert_allclose(fgan._crossings(p, wide), [-x0, x0], atol=1e-14)
    assert fgan._tv_by_cdfs(p, wide) == pytest.approx(2 * (ndtr(x0) - ndtr(x0 / 2)), abs=1e-14)


# -- the check can fail ---------------------------------------------------------------------
def _scaled(gen, c):
    """The row of c f: every entry follows, so only the relation to the named divergence moves."""
    return dataclasses.replace(
        gen,
        f=lambda u: c * gen.f(u),
        f_prime=lambda u: c * gen.f_prime(u),
        conjugate=lambda t: c * gen.conjugate(t / c),
        activation=lambda v: c * gen.activation(v),
        domain=(c * gen.domain[0], c * gen.domain[1]),
        f_at_zero=c * gen.f_at_zero,
        slope_at_infinity=c * gen.slope_at_infinity,
        log_perspective=lambda lp, lq: c * gen.log_perspective(lp, lq),
        log_t_star=lambda r: c * gen.log_t_star(r),
    )


def test_wrong_t_star_fails():
    kl = TABLE["kl"]
    wrong = dataclasses.replace(kl, log_t_star=lambda r: r)  # forgets the + 1 of f'(u) = 1 + log u
    failures = _failures(_with(GAUSS_1D, generators=(wrong,)))
    assert failures == ["kl: E_P[T*] - E_Q[f*(T*)] = D_f at T* = f'(p/q)"]
    table = _failures(_with(TABLE_CONFIG, generators=(wrong,)))
    assert any(label.startswith("kl: log_t_star(r) = f'(e^r)") for label in table)
    assert any(label.startswith("kl: g_f(v*(r)) = T*(r)") for label in table)


def test_perturbed_conjugate_fails():
    pearson = TABLE["pearson"]
    shifted = dataclasses.replace(pearson, conjugate=lambda t: 0.25 * t**2 + t + 0.01)
    table = _failures(_with(TABLE_CONFIG, generators=(shifted,)))
    assert any("f*(f'(u)) = u f'(u) - f(u)" in label for label in table)
    assert any("sup_u [u t - f(u)] (numerical)" in label for label in table)
    pair = _failures(_with(GAUSS_1D, generators=(shifted,)))
    assert pair == ["pearson: E_P[T*] - E_Q[f*(T*)] = D_f at T* = f'(p/q)"]


def test_too_small_conjugate_breaks_the_bound():
    kl = TABLE["kl"]
    small = dataclasses.replace(kl, conjugate=lambda t: 0.5 * np.exp(t - 1.0))
    table = _failures(_with(TABLE_CONFIG, generators=(small,)))
    assert "kl: u t - f(u) <= f*(t) on a (u, t = g_f(v)) grid" in table
    pair = _failures(_with(GAUSS_1D, generators=(small,)))
    assert any(label.startswith("kl: E_P[T] - E_Q[f*(T)] <= D_f") for label in pair)


def test_factor_two_of_the_hellinger_row_is_checked():
    # The usual H^2 = 1/2 int (sqrt p - sqrt q)^2 as a row: consistent in itself, but its D_f is
    # H^2, not the relation's 2 H^2.
    half = _scaled(TABLE["squared_hellinger"], 0.5)
    assert _failures(_with(TABLE_CONFIG, generators=(half,))) == []
    for config in (GAUSS_1D, MIX_1D):
        failures = _failures(_with(config, generators=(half,)))
        assert len(failures) == 1 and failures[0].startswith("squared_hellinger: D_f = 2 H^2")


def test_activation_outside_the_domain_fails():
    gan = TABLE["gan"]
    identity = dataclasses.replace(gan, activation=lambda v: v)
    failures = _failures(_with(TABLE_CONFIG, generators=(identity,)))
    assert "gan: max g_f(v) <= sup of dom f*" in failures
    assert any("not finite" in label for label in failures)


def test_gan_row_is_not_normalised():
    assert float(TABLE["gan"].f(np.float64(1.0))) == pytest.approx(-np.log(4.0), abs=1e-15)


# -- properties over random pairs -------------------------------------------------------------
@st.composite
def _pairs_with_finite_chi2(draw):
    """Mixtures whose tails are set by one broad component each, q's broader by k in
    [1.05, 1.2]: both chi^2 finite (k^2 < 2), their Monte Carlo references of finite variance
    (k^2 < 3/2), and log p - log q bounded below by about -300 on the quadrature domain.
    """
    s = draw(st.floats(0.9, 1.1))
    k = draw(st.floats(1.05, 1.2))
    p0 = draw(mixtures(dim=1, max_components=2, max_std=0.85))
    q0 = draw(mixtures(dim=1, max_components=2, max_std=0.85))

    def widen(m, std):
        return GaussianMixture(
            np.concatenate([0.8 * m.weights, [0.2]]),
            np.concatenate([m.means[:, 0], [0.0]]),
            np.concatenate([m.covs[:, 0, 0], [std**2]]),
        )

    return widen(p0, s), widen(q0, k * s)


@given(_pairs_with_finite_chi2())
def test_check_passes_on_random_pairs(pair):
    p, q = pair
    critics = (fgan._Critic.random(1, seed=7, near_optimal=True),)
    config = Configuration(
        "random", {"p": p, "q": q, "critics": critics, "definition": False, "n_samples": 20_000}
    )
    result = fgan.F_GAN.run((config,))
    assert result.passed, result.as_dict()


_ROBUST = ("total_variation", "kl", "reverse_kl", "squared_hellinger", "jeffrey",
           "jensen_shannon", "gan")


@given(mixture_pairs(dim=1), st.integers(0, 2**16))
def test_bound_below_d_f_for_any_mixture_pair(pair, seed):
    # chi^2 can be infinite here and T* can overflow where log p/q is large; a bounded critic
    # keeps every integrand finite for the other seven rows.
    p, q = pair
    critic = fgan._Critic.random(1, seed)
    for name in _ROBUST:
        gen = TABLE[name]
        d_f = f_divergence(p, q, gen, method="quadrature").value
        bound = fgan._bound(p, q, gen, lambda x, lp, lq, g=gen: g.activation(critic.network(x)))
        assert bound <= d_f + 1e-9, name
        if name != "gan":
            assert d_f >= -1e-9, name


# -- f(1) as the limit of D_f(P || Q) for Q next to P -------------------------------------------
def test_f_at_one_is_compared_with_the_perspective_not_a_constant():
    [comparison] = [c for c in fgan._check_table(_with(TABLE_CONFIG, generators=(TABLE["gan"],)))
                    if "f(1)" in c.label]
    assert comparison.independent
    assert comparison.lhs == pytest.approx(-np.log(4.0), abs=1e-15)  # the row's f(1)
    assert comparison.rhs == pytest.approx(-np.log(4.0), abs=1e-12)  # D_f next to P


@pytest.mark.parametrize("name", ["kl", "gan"])
def test_f_shifted_by_a_constant_fails_the_f_at_one_check(name):
    # f + 0.1 is as convex as f, but its f(1) no longer matches the row's perspective.
    gen = TABLE[name]
    shifted = dataclasses.replace(gen, f=lambda u: gen.f(u) + 0.1)
    failures = _failures(_with(TABLE_CONFIG, generators=(shifted,)))
    assert any(label.startswith(f"{name}: f(1) (row's f) vs D_f") for label in failures)


def test_infinite_domain_ends_are_identities():
    comparisons = fgan._check_table(_with(TABLE_CONFIG, generators=(TABLE["kl"], TABLE["gan"])))
    kinds = {c.label: c.kind for c in comparisons if "dom f*" in c.label}
    assert kinds == {
        "kl: inf of dom f* <= min g_f(v), v in [-30, 30]": "identity",  # -inf
        "kl: max g_f(v) <= sup of dom f*": "identity",  # +inf
        "gan: inf of dom f* <= min g_f(v), v in [-30, 30]": "identity",  # -inf
        "gan: max g_f(v) <= sup of dom f*": "check",  # 0
    }
