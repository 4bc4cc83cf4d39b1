import numpy as np
import pytest
from scipy import stats

import gantheory as g
from gantheory.presets import bimodal, grid, ring

FULL = g.Gaussian([0.3, -0.1], [[0.8, 0.3], [0.3, 0.5]])
MIX2 = g.GaussianMixture(
    [0.2, 0.3, 0.5],
    [[0.0, 0.0], [1.0, -1.0], [-2.0, 0.5]],
    [[[0.5, 0.0], [0.0, 0.2]], [[0.3, 0.0], [0.0, 0.3]], [[1.0, 0.4], [0.4, 0.6]]],
)


def _scipy_mixture_pdf(mix, x):
    return sum(
        w * stats.multivariate_normal(m, c).pdf(x)
        for w, m, c in zip(mix.weights, mix.means, mix.covs, strict=True)
    )


def test_gaussian_logpdf_matches_scipy_full_diagonal_isotropic():
    x = np.random.default_rng(0).normal(size=(50, 2))
    np.testing.assert_allclose(
        FULL.logpdf(x), stats.multivariate_normal([0.3, -0.1], [[0.8, 0.3], [0.3, 0.5]]).logpdf(x),
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        g.Gaussian([1.0, 2.0], [0.5, 2.0]).logpdf(x),
        stats.multivariate_normal([1.0, 2.0], np.diag([0.5, 2.0])).logpdf(x), rtol=1e-12,
    )
    np.testing.assert_allclose(
        g.Gaussian([1.0, 2.0], 0.7).logpdf(x),
        stats.multivariate_normal([1.0, 2.0], 0.7 * np.eye(2)).logpdf(x), rtol=1e-12,
    )


def test_mixture_pdf_matches_weighted_sum_of_scipy_pdfs():
    x = np.random.default_rng(1).normal(size=(40, 2)) * 2
    np.testing.assert_allclose(MIX2.pdf(x), _scipy_mixture_pdf(MIX2, x), rtol=1e-12)


def test_one_dimensional_input_conventions():
    p = bimodal()
    expected = 0.5 * stats.norm(-2, 0.5).pdf(0.7) + 0.5 * stats.norm(2, 0.5).pdf(0.7)
    assert float(p.pdf(0.7)) == pytest.approx(expected, rel=1e-13)
    assert p.pdf([0.7, 0.7]).shape == (2,)
    assert p.pdf(np.full((3, 1), 0.7)).shape == (3,)
    assert p.pdf(np.full((2, 3), 0.7)).shape == (2, 3)
    assert p.sample(5, seed=0).shape == (5, 1)


def test_logpdf_is_exact_far_in_the_tails():
    p = g.Gaussian(0.0, 1.0)
    assert p.pdf(2000.0) == 0.0
    assert float(p.logpdf(2000.0)) == pytest.approx(-2000.0**2 / 2 - 0.5 * np.log(2 * np.pi))
    mix = bimodal()  # far left the component at -2 dominates: log(0.5 N(x; -2, 0.25))
    x = -2000.0
    by_hand = np.log(0.5) - (x + 2) ** 2 / (2 * 0.25) - 0.5 * np.log(2 * np.pi * 0.25)
    assert float(mix.logpdf(x)) == pytest.approx(by_hand, rel=1e-15)


def test_score_matches_finite_differences():
    x = np.array([[0.1, 0.4], [-1.0, 2.0], [1.5, -0.5]])
    h = 1e-6
    for dist in (FULL, MIX2):
        fd = np.stack(
            [(dist.logpdf(x + h * e) - dist.logpdf(x - h * e)) / (2 * h) for e in np.eye(2)], 1
        )
        np.testing.assert_allclose(dist.score(x), fd, atol=1e-7)
    p = bimodal()
    t = np.linspace(-3, 3, 7)
    np.testing.assert_allclose(p.score(t), (p.logpdf(t + h) - p.logpdf(t - h)) / (2 * h), atol=1e-6)


def test_mixture_moments_law_of_total_covariance():
    w, mu, cov = MIX2.weights, MIX2.means, MIX2.covs
    mean = sum(wk * mk for wk, mk in zip(w, mu, strict=True))
    within = sum(wk * ck for wk, ck in zip(w, cov, strict=True))
    between = sum(wk * np.outer(mk - mean, mk - mean) for wk, mk in zip(w, mu, strict=True))
    np.testing.assert_allclose(MIX2.mean, mean, atol=1e-15)
    np.testing.assert_allclose(MIX2.cov, within + between, atol=1e-14)


def test_sampling_reproducible_and_moments():
    a, b = MIX2.sample(200_000, seed=3), MIX2.sample(200_000, seed=3)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (200_000, 2)
    # Sample mean: standard error sqrt(var / n) <= sqrt(3 / 2e5) ~ 0.004; allow 5 s.e.
    np.testing.assert_allclose(a.mean(axis=0), MIX2.mean, atol=0.02)
    np.testing.assert_allclose(np.cov(a.T), MIX2.cov, atol=0.05)


def test_cdf_matches_scipy():
    p = bimodal(weight=0.3)
    x = np.linspace(-4, 4, 9)
    expected = 0.3 * stats.norm(-2, 0.5).cdf(x) + 0.7 * stats.norm(2, 0.5).cdf(x)
    np.testing.assert_allclose(p.cdf(x), expected, rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(g.Uniform(1.0, 3.0).cdf([0.0, 2.0, 4.0]), [0.0, 0.5, 1.0])


def test_uniform_and_line():
    u = g.Uniform([0.0, 0.0], [2.0, 0.5])
    assert u.pdf([[1.0, 0.25], [3.0, 0.0]]).tolist() == [1.0, 0.0]
    line = g.LineUniform([0.0, 0.0], [2.0, 2.0])
    assert not line.has_density
    with pytest.raises(g.NoDensityError, match="no density"):
        line.logpdf([[0.5, 0.5]])
    pts = line.sample(1000, seed=0)
    np.testing.assert_allclose(pts[:, 0], pts[:, 1])


def test_presets_match_the_published_setups():
    r = ring()
    np.testing.assert_allclose(np.linalg.norm(r.means, axis=1), 1.0)
    np.testing.assert_allclose(r.covs[:, 0, 0], 0.01**2)
    gr = grid()
    assert sorted(set(gr.means[:, 0].tolist())) == [-4.0, -2.0, 0.0, 2.0, 4.0]
    np.testing.assert_allclose(gr.covs[:, 1, 1], 0.05**2)
