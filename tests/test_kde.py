"""GaussianKDE: scipy's conventions, and the core's divergences to it (its smoothing bias)."""

import math

import numpy as np
import pytest
from scipy import stats

from gantheory import Gaussian, GaussianMixture, Uniform, jsd, kl
from gantheory.kde import GaussianKDE
from gantheory.presets import grid, line_and_gaussian
from gantheory.sample_metrics import PROTOCOL_N_SAMPLES

#: Standard normal quantile of the Monte Carlo comparisons: P(|Z| > 5) = 5.7e-7.
Z_TOL = 5.0
#: Quadrature tolerance of the KDE divergences (the integration error, not the KDE's bias).
ATOL = 1e-8


@pytest.mark.parametrize("bandwidth", ["scott", "silverman", 0.3])
def test_kde_matches_scipy(bandwidth):
    x1 = Gaussian(0.0, 2.0).sample(300, seed=0)
    x2 = grid().sample(300, seed=1)
    for x in (x1, x2):
        kde = GaussianKDE(x, bandwidth)
        ref = stats.gaussian_kde(x.T, bw_method=bandwidth)
        q = x[:50] * 1.3 + 0.1
        np.testing.assert_allclose(kde.logpdf(q), ref.logpdf(q.T), rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(kde.pdf(q), ref(q.T), rtol=1e-10, atol=1e-300)
        np.testing.assert_allclose(kde.kernel_cov, ref.covariance, rtol=1e-12)
        assert kde.factor == pytest.approx(ref.factor)


def test_kde_samples_have_the_smoothed_covariance():
    x = grid().sample(400, seed=2)
    kde = GaussianKDE(x, 0.5)
    y = kde.sample(200_000, seed=0)
    # Cov of the KDE = (n-1)/n Sigma_hat + H
    expected = np.cov(x, rowvar=False, ddof=0) + kde.kernel_cov
    np.testing.assert_allclose(np.cov(y, rowvar=False), expected, rtol=0.02, atol=0.02)
    np.testing.assert_allclose(kde.cov, expected, rtol=1e-12)
    np.testing.assert_allclose(kde.mean, x.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(y.mean(axis=0), x.mean(axis=0), atol=0.03)


def test_kde_is_a_distribution_with_a_density_that_integrates_to_one():
    kde = GaussianKDE(Gaussian(0.0, 1.0).sample(50, seed=4), 0.4)
    assert kde.has_density and kde.dim == 1 and repr(kde).startswith("GaussianKDE(n=50, dim=1")
    (axis,) = kde.quadrature_breakpoints()
    xs = np.linspace(axis[0], axis[-1], 200_001)
    mass = np.trapezoid(kde.pdf(xs), xs)
    assert mass == pytest.approx(1.0, abs=1e-9)


def test_kde_errors():
    with pytest.raises(ValueError, match="singular covariance"):
        GaussianKDE(np.ones((5, 2)))
    with pytest.raises(ValueError, match="n >= 2"):
        GaussianKDE([1.0])
    with pytest.raises(ValueError, match="bandwidth must be one of"):
        GaussianKDE([0.0, 1.0], "wide")
    with pytest.raises(ValueError, match="bandwidth must be a finite positive number"):
        GaussianKDE([0.0, 1.0], -1.0)
    with pytest.raises(ValueError, match="samples must be finite"):
        GaussianKDE([0.0, 1.0, np.inf])
    with pytest.raises(ValueError, match="last axis of length 2"):
        GaussianKDE(grid().sample(20, seed=0)).logpdf([0.0, 1.0, 2.0])


def _kl_smoothed(r):
    """KL(N(0, s^2) || N(0, s^2 (1 + r))) and KL(N(0, s^2 (1 + r)) || N(0, s^2))."""
    return 0.5 * (1 / (1 + r) - 1 + math.log1p(r)), 0.5 * (r - math.log1p(r))


def test_smoothed_gaussian_kl_formulas_match_the_core():
    s2, h2 = 4.0, 1.5
    forward, reverse = _kl_smoothed(h2 / s2)
    assert forward == pytest.approx(kl(Gaussian(0.5, s2), Gaussian(0.5, s2 + h2)).value)
    assert reverse == pytest.approx(kl(Gaussian(0.5, s2 + h2), Gaussian(0.5, s2)).value)


def test_kl_to_a_kde_of_target_samples_is_the_smoothing_bias():
    # The docstring's statement: for samples of N(mu, s^2) itself the estimate is not 0 but
    # ~ KL(N(0, s^2) || N(0, s^2 + h^2)); with a wide kernel (beta = 1) that term dominates.
    mu, s = 0.5, 2.0
    target = Gaussian(mu, s * s)
    fwd, rev, js = [], [], []
    for seed in range(3):
        x = target.sample(3000, seed=seed)
        kde = GaussianKDE(x, bandwidth=1.0)
        h2 = float(kde.kernel_cov[0, 0])
        assert h2 == pytest.approx(x.var(ddof=1))  # beta = 1: h = s_hat
        f_ref, r_ref = _kl_smoothed(h2 / s**2)
        forward = kl(target, kde, method="quadrature", atol=ATOL)
        reverse = kl(kde, target, method="monte_carlo", n_samples=8000, seed=seed)
        assert forward.method == "quadrature" and forward.error < 1e-7
        assert reverse.method == "monte_carlo" and reverse.error < 0.1 * r_ref
        fwd.append(forward.value / f_ref)
        rev.append(reverse.value / r_ref)
        j = jsd(target, kde, method="quadrature", atol=ATOL)
        js.append(j.value / jsd(target, Gaussian(mu, s * s + h2)).value)
    assert np.mean(fwd) == pytest.approx(1.0, abs=0.05)
    assert np.mean(rev) == pytest.approx(1.0, abs=0.08)
    assert np.mean(js) == pytest.approx(1.0, abs=0.08)


def test_kl_at_scotts_bandwidth_sits_above_the_smoothing_floor():
    target = Gaussian(0.0, 1.0)
    n = PROTOCOL_N_SAMPLES
    ratios = []
    for seed in range(3):
        kde = GaussianKDE(target.sample(n, seed=seed))
        floor, _ = _kl_smoothed(float(kde.kernel_cov[0, 0]))
        assert floor == pytest.approx(_kl_smoothed(n**-0.4)[0], rel=0.2)  # ~4.5e-4
        ratios.append(kl(target, kde, atol=ATOL).value / floor)
    assert min(ratios) > 1.0  # never below the Jensen bound here; the variance term adds more
    assert np.mean(ratios) < 20.0


def test_quadrature_agrees_with_monte_carlo():
    target = GaussianMixture([0.3, 0.7], [-2.0, 1.0], [0.3, 0.5])
    kde = GaussianKDE(Gaussian(0.0, 2.0).sample(400, seed=3))  # a wrong generator
    for divergence in (kl, jsd):
        quad = divergence(target, kde, method="quadrature", atol=ATOL)
        mc = divergence(target, kde, method="monte_carlo", n_samples=40_000, seed=1)
        assert quad.method == "quadrature" and mc.method == "monte_carlo"
        assert abs(quad.value - mc.value) <= Z_TOL * mc.error + quad.error


def test_divergences_to_a_kde_in_2d_and_their_bounds():
    target = grid(side=2, spacing=4.0, std=0.5)
    good = GaussianKDE(target.sample(600, seed=0))
    collapsed = GaussianKDE(
        target.means[0] + 0.5 * np.random.default_rng(0).standard_normal((600, 2)))
    options = {"method": "monte_carlo", "n_samples": 10_000}
    g, c = kl(target, good, **options), kl(target, collapsed, **options)
    assert c.value > g.value + 5 * (c.error + g.error)
    # mode dropping is punished by the forward KL (about log 4 for 1 of 4 modes kept)
    assert c.value > 1.0
    jg, jc = jsd(target, good, **options), jsd(target, collapsed, **options)
    assert 0.0 <= jg.value < jc.value <= math.log(2)
    # far away: JSD = log 2 to rounding
    far = GaussianKDE(target.sample(600, seed=0) + 100.0)
    assert jsd(target, far, method="monte_carlo", n_samples=2000).value == pytest.approx(
        math.log(2))


def test_a_bounded_target_gives_an_infinite_reverse_kl_exactly():
    target = Uniform(0.0, 1.0)
    kde = GaussianKDE(target.sample(300, seed=0))
    reverse = kl(kde, target)
    assert reverse.value == math.inf and reverse.method == "support_rule"  # KDE > 0 everywhere
    forward = kl(target, kde, atol=ATOL)
    assert 0.0 < forward.value < 0.5
    assert kl(target, kde, atol=ATOL).value == forward.value
    assert 0.0 < jsd(target, kde, atol=ATOL).value < math.log(2)


def test_divergence_errors_name_the_problem():
    target = Gaussian([0.0, 0.0], 1.0)
    x = target.sample(50, seed=0)
    with pytest.raises(ValueError, match="dimension"):
        kl(target, GaussianKDE(x[:, :1]))
    with pytest.raises(ValueError, match="method='quadrature' is available in 1-D and 2-D"):
        jsd(GaussianKDE(np.eye(5, 3) + np.arange(15).reshape(5, 3) ** 2 / 7),
            Gaussian(np.zeros(3), 1.0), method="quadrature")



def test_the_registry_treats_the_kde_as_absolutely_continuous():
    # a segment in the plane is singular against any density: both KLs are infinite, by the
    # closed forms registered for (LineUniform, AbsolutelyContinuous) and the reverse
    line, _ = line_and_gaussian()
    kde = GaussianKDE(Gaussian([0.0, 0.0], 1.0).sample(50, seed=0))
    assert kl(line, kde).value == math.inf and kl(kde, line).value == math.inf
