"""TV in 2-D by exact sections, against independent integrals."""

import numpy as np
import pytest
from scipy import integrate

import gantheory as g
from gantheory.divergences.sections import _section_l1

A = g.Gaussian([0.1, -0.2], [[0.5, 0.2], [0.2, 0.4]])
B = g.GaussianMixture(
    [0.3, 0.7], [[0.3, 0.1], [-0.5, 0.4]], [[[0.5, 0.1], [0.1, 0.2]], [[0.3, 0.0], [0.0, 0.6]]]
)


@pytest.mark.parametrize("x", [-2.0, -0.5, 0.0, 0.3, 1.0, 2.5])
def test_section_integral_matches_scipy_quad(x):
    def integrand(y):
        return abs(A.pdf([x, y]) - B.pdf([x, y]))

    expected, _ = integrate.quad(integrand, -15, 15, epsabs=1e-14, epsrel=1e-13, limit=500)
    assert _section_l1(A, B, np.array([x]))[0] == pytest.approx(expected, abs=1e-13)


def test_tv_2d_matches_gauss_legendre_outer_and_monte_carlo():
    result = g.tv(A, B)
    # Outer integral by a fixed 600-point Gauss-Legendre rule on [-10, 10] (numpy), not by our
    # adaptive Gauss-Kronrod: it agrees to the reported error plus the rule's own ~1e-10.
    nodes, weights = np.polynomial.legendre.leggauss(600)
    outer = 10.0 * np.sum(weights * 0.5 * _section_l1(A, B, 10.0 * nodes))
    assert abs(result.value - outer) <= result.error + 1e-9
    assert result.error <= 1e-8
    mc = g.tv(A, B, method="monte_carlo", n_samples=400_000, seed=1)
    assert abs(result.value - mc.value) <= 5 * mc.error


def test_tv_2d_of_identical_mixtures_is_zero():
    assert g.tv(B, B).value == pytest.approx(0.0, abs=1e-12)


def test_tv_2d_uniform_against_mixture_refuses_quadrature():
    with pytest.raises(ValueError, match="monte_carlo"):
        g.tv(g.Uniform([0.0, 0.0], [1.0, 1.0]), A)
