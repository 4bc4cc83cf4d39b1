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


# -- additions ------------------------------------------------------------------------------
MIX1 = g.GaussianMixture([0.2, 0.5, 0.3], [-1.0, 0.5, 3.0], [0.3, 1.2, 0.05])


def test_1d_gaussian_and_mixture_logpdf_vs_scipy():
    x = np.linspace(-6, 6, 101)
    np.testing.assert_allclose(
        g.Gaussian(0.4, 2.5).logpdf(x), stats.norm(0.4, np.sqrt(2.5)).logpdf(x), rtol=1e-13
    )
    expected = sum(
        w * stats.norm(m, np.sqrt(v)).pdf(x)
        for w, m, v in [(0.2, -1.0, 0.3), (0.5, 0.5, 1.2), (0.3, 3.0, 0.05)]
    )
    np.testing.assert_allclose(MIX1.pdf(x), expected, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(MIX1.logpdf(x), np.log(expected), rtol=1e-12)


def test_mixture_covariance_layouts_agree_with_scipy():
    x = np.random.default_rng(2).normal(size=(30, 2))
    means = [[0.0, 1.0], [1.0, -1.0]]
    layouts = {
        "scalar": (0.7, [0.7 * np.eye(2)] * 2),
        "per component": ([0.5, 2.0], [0.5 * np.eye(2), 2.0 * np.eye(2)]),
        "diagonal": ([[0.5, 1.0], [2.0, 0.3]], [np.diag([0.5, 1.0]), np.diag([2.0, 0.3])]),
    }
    for name, (covs, full) in layouts.items():
        mix = g.GaussianMixture([0.3, 0.7], means, covs)
        expected = 0.3 * stats.multivariate_normal(means[0], full[0]).pdf(x) + 0.7 * (
            stats.multivariate_normal(means[1], full[1]).pdf(x))
        np.testing.assert_allclose(mix.pdf(x), expected, rtol=1e-12, err_msg=name)


def test_3d_gaussian_logpdf_vs_scipy():
    cov = np.array([[1.0, 0.2, 0.1], [0.2, 0.8, -0.3], [0.1, -0.3, 1.5]])
    p = g.Gaussian([0.1, 0.2, 0.3], cov)
    x = np.random.default_rng(4).normal(size=(20, 3))
    np.testing.assert_allclose(
        p.logpdf(x), stats.multivariate_normal([0.1, 0.2, 0.3], cov).logpdf(x), rtol=1e-12
    )
    assert p.logpdf(x.reshape(4, 5, 3)).shape == (4, 5)


def test_1d_input_conventions_scalar_vector_column():
    p = MIX1
    xs = np.array([-0.5, 0.25, 2.0])
    by_vector = p.logpdf(xs)
    assert by_vector.shape == (3,)
    assert p.logpdf(xs[:, None]).shape == (3,)
    np.testing.assert_array_equal(p.logpdf(xs[:, None]), by_vector)
    for i, x in enumerate(xs):
        scalar = p.logpdf(x)
        assert np.shape(scalar) == ()
        assert float(scalar) == by_vector[i]
        assert float(p.logpdf([x])) == by_vector[i]  # a single point with its coordinate axis
    assert p.logpdf([[0.1, 0.2], [0.3, 0.4]]).shape == (2, 2)
    assert p.cdf(xs).shape == (3,) and p.cdf(xs[:, None]).shape == (3,)
    assert np.shape(p.cdf(0.3)) == ()
    # score keeps the layout of its input in 1-D
    assert p.score(xs).shape == (3,) and p.score(xs[:, None]).shape == (3, 1)
    assert np.shape(p.score(0.3)) == ()


@pytest.mark.parametrize("x", [2000.0, -2000.0])
def test_tails_at_plus_minus_2000_equal_the_analytic_quadratic(x):
    # 1-D Gaussian: -(x - m)^2 / (2 v) - log(2 pi v) / 2
    m, v = 0.3, 0.7
    assert float(g.Gaussian(m, v).logpdf(x)) == pytest.approx(
        -((x - m) ** 2) / (2 * v) - 0.5 * np.log(2 * np.pi * v), rel=1e-15
    )
    # Mixture: far out the component with the largest variance dominates (here v = 1.2):
    # log p = log(w_k N(x; m_k, v_k)) + log(1 + sum of the others' ratios), the others
    # being exp(-O(x^2)) smaller: below double precision.
    by_hand = np.log(0.5) - (x - 0.5) ** 2 / (2 * 1.2) - 0.5 * np.log(2 * np.pi * 1.2)
    assert float(MIX1.logpdf(x)) == pytest.approx(by_hand, rel=1e-15)
    assert MIX1.pdf(x) == 0.0 and np.isfinite(MIX1.logpdf(x))
    # 2-D full covariance: -1/2 d' S^-1 d - 1/2 log det(2 pi S)
    pt = np.array([x, -x / 2])
    d = pt - FULL.mean
    quad = d @ np.linalg.solve(FULL.cov, d)
    expected = -0.5 * quad - 0.5 * np.log(np.linalg.det(2 * np.pi * FULL.cov))
    assert float(FULL.logpdf(pt)) == pytest.approx(expected, rel=1e-13)
    # Score far in the tail: still finite and equal to the dominant component's -(x - m)/v.
    assert float(MIX1.score(x)) == pytest.approx(-(x - 0.5) / 1.2, rel=1e-12)


def test_score_1d_mixture_and_gaussian_vs_finite_differences_and_formula():
    x = np.linspace(-3, 4, 15)
    h = 1e-5
    fd = (MIX1.logpdf(x + h) - MIX1.logpdf(x - h)) / (2 * h)
    np.testing.assert_allclose(MIX1.score(x), fd, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(g.Gaussian(0.4, 2.5).score(x), -(x - 0.4) / 2.5, rtol=1e-14)


def test_mixture_moments_1d_law_of_total_variance():
    w = np.array([0.2, 0.5, 0.3])
    m = np.array([-1.0, 0.5, 3.0])
    v = np.array([0.3, 1.2, 0.05])
    mean = np.sum(w * m)
    var = np.sum(w * v) + np.sum(w * (m - mean) ** 2)  # E[Var] + Var[E]
    assert float(MIX1.mean[0]) == pytest.approx(mean, rel=1e-15)
    assert float(MIX1.cov[0, 0]) == pytest.approx(var, rel=1e-14)


def test_sample_shapes_seeds_and_moments_within_five_standard_errors():
    for dist in (MIX1, FULL, MIX2, g.Uniform([0.0, 1.0], [2.0, 1.5])):
        assert dist.sample(0, seed=0).shape == (0, dist.dim)
        assert dist.sample(7, seed=0).shape == (7, dist.dim)
        np.testing.assert_array_equal(dist.sample(5, seed=1), dist.sample(5, seed=1))
        assert not np.array_equal(dist.sample(5, seed=1), dist.sample(5, seed=2))
        rng = np.random.default_rng(8)
        first, second = dist.sample(4, seed=rng), dist.sample(4, seed=rng)
        assert not np.array_equal(first, second)  # a Generator advances
        n = 100_000
        x = dist.sample(n, seed=12)
        # Each coordinate's sample mean has standard error sqrt(var / n); 5 s.e. fails with
        # probability < 6e-7 per coordinate.
        se_mean = np.sqrt(np.diag(dist.cov) / n)
        assert np.all(np.abs(x.mean(axis=0) - dist.mean) <= 5 * se_mean)
        # Covariance, every entry: centred at the true mean, cov_ij is the mean of the n iid
        # products (x_i - m_i)(x_j - m_j), whose standard error is their sample standard
        # deviation / sqrt(n) (all moments exist, so the CLT applies; 5 s.e. as above).
        centred = x - dist.mean
        products = centred[:, :, None] * centred[:, None, :]  # (n, d, d)
        cov_hat = products.mean(axis=0)
        se_cov = products.std(axis=0, ddof=1) / np.sqrt(n)
        assert np.all(np.abs(cov_hat - dist.cov) <= 5 * se_cov)


def test_uniform_pdf_cdf_moments_by_hand():
    u = g.Uniform(-1.0, 3.0)
    np.testing.assert_allclose(u.pdf([-2.0, -1.0, 0.0, 3.0, 3.5]), [0, 0.25, 0.25, 0.25, 0])
    np.testing.assert_allclose(u.cdf([-2.0, -1.0, 0.0, 3.0, 3.5]), [0, 0, 0.25, 1, 1])
    np.testing.assert_allclose(u.cdf(np.linspace(-2, 4, 13)),
                               stats.uniform(-1, 4).cdf(np.linspace(-2, 4, 13)), atol=1e-15)
    assert float(u.mean[0]) == 1.0 and float(u.cov[0, 0]) == pytest.approx(16 / 12)
    box = g.Uniform([0.0, -1.0], [0.5, 1.0])
    assert box.volume == 1.0
    assert float(box.logpdf([0.25, 0.0])) == 0.0
    assert box.logpdf([0.25, 1.5]) == -np.inf
    with pytest.raises(ValueError, match="cdf is defined for 1-D"):
        box.cdf([[0.1, 0.1]])


def test_line_uniform_has_no_density_and_moments():
    line = g.LineUniform([0.0, 1.0], [3.0, 5.0])
    for method in (line.logpdf, line.pdf):
        with pytest.raises(g.NoDensityError):
            method([[1.0, 1.0]])
    assert issubclass(g.NoDensityError, TypeError)
    with pytest.raises(g.NoDensityError):
        line.quadrature_breakpoints()
    # U on the segment a + t (b - a): mean (a + b)/2, cov (b - a)(b - a)' / 12.
    np.testing.assert_allclose(line.mean, [1.5, 3.0])
    np.testing.assert_allclose(line.cov, np.outer([3.0, 4.0], [3.0, 4.0]) / 12)
    pts = line.sample(2000, seed=3)
    t = (pts[:, 0] - 0.0) / 3.0
    np.testing.assert_allclose(pts, np.array([0.0, 1.0]) + t[:, None] * np.array([3.0, 4.0]),
                               atol=1e-12)
    assert t.min() >= 0 and t.max() <= 1


def test_cdf_gaussian_vs_scipy_far_out():
    p = g.Gaussian(1.0, 4.0)
    x = np.array([-40.0, -5.0, 0.0, 1.0, 7.0, 40.0])
    np.testing.assert_allclose(p.cdf(x), stats.norm(1.0, 2.0).cdf(x), rtol=1e-13, atol=0)
