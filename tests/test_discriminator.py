import numpy as np
import pytest
from scipy import integrate as _integrate
from scipy import stats as _stats

import gantheory as g
from gantheory.presets import bimodal


def test_d_star_equals_naive_ratio_where_representable():
    p, q = bimodal(), g.Gaussian(0.5, 2.0)
    x = np.linspace(-4, 4, 41)
    d = g.optimal_discriminator(p, q)
    np.testing.assert_allclose(d(x), p.pdf(x) / (p.pdf(x) + q.pdf(x)), rtol=1e-13)


def test_logit_exact_in_the_tails():
    p, q = g.Gaussian(0.0, 1.0), g.Gaussian(1.0, 4.0)
    x = np.array([-300.0, 300.0])
    by_hand = -(x**2) / 2 + (x - 1) ** 2 / 8 + np.log(2.0)  # log N(x;0,1) - log N(x;1,4)
    np.testing.assert_allclose(g.optimal_discriminator(p, q).logit(x), by_hand, rtol=1e-14)


def test_value_function_at_d_star_and_perturbed():
    p, q = bimodal(), g.Gaussian(0.5, 2.0)
    d = g.optimal_discriminator(p, q)
    c = g.training_criterion(p, q).value
    # The probability path (no logit method): D* rounds to 0 or 1 far out, where the density
    # factors are below 1e-300, so clipping there changes nothing measurable.
    v_star = g.value_function(p, q, lambda x: np.clip(d(x), 1e-300, 1 - 2**-53)).value
    assert v_star == pytest.approx(c, abs=1e-10)
    class Shifted:
        def __init__(self, eps):
            self.eps = eps

        def logit(self, x):
            return d.logit(x) + self.eps

        def __call__(self, x):
            return 1 / (1 + np.exp(-self.logit(x)))

    for eps in (0.3, -0.3):
        assert g.value_function(p, q, Shifted(eps)).value < c
    assert g.training_criterion(p, p).value == pytest.approx(-np.log(4.0), abs=1e-12)


def test_value_function_monte_carlo_matches_quadrature():
    p, q = bimodal(), g.Gaussian(0.5, 2.0)
    d = g.optimal_discriminator(p, q)
    quad = g.value_function(p, q, d)
    mc = g.value_function(p, q, d, method="monte_carlo", n_samples=200_000, seed=4)
    assert abs(quad.value - mc.value) <= 5 * mc.error


# -- additions ------------------------------------------------------------------------------


def test_d_star_naive_ratio_2d_mixtures():
    p = g.GaussianMixture([0.3, 0.7], [[0.0, 0.0], [1.0, 1.0]], [[0.5, 0.1], [0.2, 0.3]])
    q = g.Gaussian([0.5, -0.5], [[1.0, 0.4], [0.4, 0.9]])
    x = np.random.default_rng(0).normal(size=(60, 2)) * 1.5
    pd = 0.3 * _stats.multivariate_normal([0, 0], np.diag([0.5, 0.1])).pdf(x) + 0.7 * (
        _stats.multivariate_normal([1, 1], np.diag([0.2, 0.3])).pdf(x))
    qd = _stats.multivariate_normal([0.5, -0.5], [[1.0, 0.4], [0.4, 0.9]]).pdf(x)
    np.testing.assert_allclose(g.optimal_discriminator(p, q)(x), pd / (pd + qd), rtol=1e-12)
    d = g.optimal_discriminator(p, q)(x)
    assert np.all((d > 0) & (d < 1))


def test_d_star_on_uniforms_and_where_both_vanish():
    p, q = g.Uniform(0.0, 2.0), g.Uniform(1.0, 5.0)
    d = g.optimal_discriminator(p, q)
    # p = 1/2, q = 1/4 on the overlap: D* = 2/3; only p: 1; only q: 0; neither: logit 0.
    np.testing.assert_allclose(d([0.5, 1.5, 3.0, 6.0]), [1.0, 2 / 3, 0.0, 0.5], rtol=1e-15)
    assert d.logit(1.5) == pytest.approx(np.log(2.0), rel=1e-15)


@pytest.mark.parametrize("x", [-2000.0, -50.0, 40.0, 2000.0])
def test_logit_far_in_the_tails_of_mixtures(x):
    p = g.GaussianMixture([0.5, 0.5], [-1.0, 1.0], [0.25, 0.5])
    q = g.Gaussian(0.0, 2.0)
    # Far out the widest component of p (variance 0.5, mean 1) dominates p:
    by_hand = (np.log(0.5) - (x - 1) ** 2 / (2 * 0.5) - 0.5 * np.log(2 * np.pi * 0.5)) - (
        -(x**2) / (2 * 2.0) - 0.5 * np.log(2 * np.pi * 2.0))
    ell = float(g.optimal_discriminator(p, q).logit(x))
    assert ell == pytest.approx(by_hand, rel=1e-14)
    assert np.isfinite(ell)


def test_value_function_at_d_star_is_the_criterion_and_2jsd_minus_log4():
    p, q = g.Gaussian(0.0, 1.0), g.Gaussian(1.0, 2.0)
    c = g.training_criterion(p, q)
    # Independent: V(D*) = int p log(p/(p+q)) + q log(q/(p+q)) by scipy.integrate.quad.
    def integrand(x):
        a, b = _stats.norm.pdf(x, 0, 1), _stats.norm.pdf(x, 1, np.sqrt(2))
        return a * np.log(a / (a + b)) + b * np.log(b / (a + b))

    expected = _integrate.quad(integrand, -30, 30, points=[0.0, 1.0], epsabs=1e-13,
                               limit=200)[0]
    assert abs(c.value - expected) <= 1e-10
    assert abs(c.value - expected) <= c.error + 1e-13
    mc = g.training_criterion(p, q, method="monte_carlo", n_samples=100_000, seed=1)
    assert abs(mc.value - expected) <= 5 * mc.error


def test_value_function_of_a_constant_discriminator():
    # D = c everywhere: V = log c + log(1 - c) whatever p and q are.
    p, q = bimodal(), g.Gaussian(0.5, 2.0)
    for c in (0.1, 0.5, 0.8):
        v = g.value_function(p, q, lambda x, c=c: np.full(len(x), c)).value
        assert v == pytest.approx(np.log(c) + np.log1p(-c), abs=1e-9)


def test_criterion_at_p_equals_p_in_2d_is_minus_log_4():
    p = g.GaussianMixture([0.5, 0.5], [[-1.0, 0.0], [1.0, 0.0]], 0.3)
    assert g.training_criterion(p, p).value == pytest.approx(-np.log(4.0), abs=1e-8)


@pytest.mark.parametrize("eps", [0.05, 0.5, -0.2])
def test_perturbed_discriminators_do_worse(eps):
    p, q = bimodal(), g.Gaussian(0.5, 2.0)
    d = g.optimal_discriminator(p, q)
    c = g.training_criterion(p, q).value

    class Wiggled:
        def logit(self, x):
            x = np.asarray(x)
            return d.logit(x) + eps * np.sin(2 * x.reshape(len(x), -1)[:, 0])

        def __call__(self, x):  # callable like any D; value_function uses the logit
            return 1 / (1 + np.exp(-self.logit(x)))

    v = g.value_function(p, q, Wiggled()).value
    # V(D*) - V(D) = int (p + q) KL(Bern(D*) || Bern(D)) > 0, of second order in eps.
    assert v < c
    assert c - v < eps**2  # KL(Bern) <= (logit gap)^2 / 8 and int (p + q) = 2


def test_d_outside_the_open_unit_interval_raises_naming_d():
    p, q = g.Gaussian(0.0, 1.0), g.Gaussian(1.0, 1.0)
    for bad in (lambda x: np.zeros(len(x)), lambda x: np.full(len(x), 1.0),
                lambda x: np.full(len(x), 1.5), lambda x: np.full(len(x), -0.1),
                lambda x: np.full(len(x), np.nan)):
        with pytest.raises(ValueError, match="D must return"):
            g.value_function(p, q, bad)

    class NanLogit:
        def logit(self, x):
            return np.full(len(x), np.nan)

        def __call__(self, x):
            return np.full(len(x), 0.5)

    with pytest.raises(ValueError, match="D.logit returned NaN"):
        g.value_function(p, q, NanLogit())
