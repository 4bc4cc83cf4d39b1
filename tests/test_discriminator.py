import numpy as np
import pytest

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
