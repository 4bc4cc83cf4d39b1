"""The adaptive Gauss-Kronrod engine (gantheory.divergences.quadrature) on known integrals.

Every expected value is derived here independently: the Gauss-Legendre rule from numpy's
``leggauss``, moments of monomials by hand, 2-D integrals in closed form.
"""

import numpy as np
import pytest

import gantheory as g
from gantheory.divergences import quadrature as quad
from gantheory.divergences.quadrature import QuadratureError, integrate

NODES, WK, WG = quad.NODES, quad.KRONROD_WEIGHTS, quad.GAUSS_WEIGHTS
LEG_T, LEG_W = np.polynomial.legendre.leggauss(7)


def _moment(a, b, degree):
    """int_a^b x^degree dx."""
    return (b ** (degree + 1) - a ** (degree + 1)) / (degree + 1)


def _gauss7(f, a, b):
    """The 7-point Gauss-Legendre value on [a, b], from numpy's nodes and weights."""
    c, h = 0.5 * (a + b), 0.5 * (b - a)
    return h * np.sum(LEG_W * f(c + h * LEG_T))


# -- the rule --------------------------------------------------------------------------------
def test_embedded_gauss_rule_is_numpys_7_point_gauss_legendre():
    gauss = WG > 0
    assert gauss.sum() == 7
    np.testing.assert_allclose(np.sort(NODES[gauss]), LEG_T, atol=1e-15)
    np.testing.assert_allclose(WG[gauss][np.argsort(NODES[gauss])], LEG_W, atol=1e-15)
    # Kronrod adds 8 nodes strictly between; the 15 nodes are symmetric and inside (-1, 1).
    assert NODES.size == 15 and np.all(np.diff(NODES) > 0) and np.all(np.abs(NODES) < 1)
    np.testing.assert_allclose(NODES, -NODES[::-1], atol=0)
    assert WK.sum() == pytest.approx(2.0, abs=1e-15) and WG.sum() == pytest.approx(2.0, abs=1e-15)


def test_rule_exactness_from_the_weights():
    for degree in range(0, 24):
        exact = 2.0 / (degree + 1) if degree % 2 == 0 else 0.0  # int_-1^1 t^degree
        assert WK @ NODES**degree == pytest.approx(exact, abs=1e-15), degree
        if degree <= 13:
            assert WG @ NODES**degree == pytest.approx(exact, abs=1e-15), degree
    assert abs(WG @ NODES**14 - 2 / 15) > 1e-6  # Gauss G7: degree 2*7 - 1 = 13, no more
    assert abs(WK @ NODES**24 - 2 / 25) > 1e-12  # Kronrod K15: degree 3*7 + 1 = 22 (23 odd)


@pytest.mark.parametrize("degree", range(0, 23))
def test_one_panel_polynomial_exactness_and_the_estimate(degree):
    # A single panel on an asymmetric interval (no refinement: atol is huge).
    a, b = -0.3, 1.7
    r = integrate(lambda x: x[:, 0] ** degree, [np.array([a, b])], atol=1e30)
    assert (r.n_panels, r.n_evaluations) == (1, 15)
    exact = _moment(a, b, degree)
    assert r.value == pytest.approx(exact, rel=2e-15, abs=1e-15)  # K15 is exact to degree 22
    # The estimate is |K - G|, and K is exact here, so it must equal G7's own error, computed
    # from numpy's Gauss-Legendre rule: zero to rounding up to degree 13, nonzero from 14 on.
    # Both sums carry rounding of a few hundred ulps of the value: 1e-13 * |exact|.
    rounding = 1e-13 * max(1.0, abs(exact))
    g7_error = abs(exact - _gauss7(lambda t: t**degree, a, b))
    if degree <= 13:
        assert r.error <= rounding
    else:
        assert r.error > 1e-9 * abs(exact) > 1e3 * rounding
        assert r.error == pytest.approx(g7_error, abs=rounding)


def test_degree_14_makes_the_estimate_nonzero_exactly_by_g7s_error():
    r = integrate(lambda x: x[:, 0] ** 14, [np.array([0.0, 1.0])], atol=1e30)
    g7 = _gauss7(lambda t: t**14, 0.0, 1.0)
    assert r.value == pytest.approx(1 / 15, rel=1e-15)
    assert r.error == pytest.approx(abs(1 / 15 - g7), rel=1e-9)
    assert r.error > 1e-9


def test_random_polynomial_of_degree_22_is_exact():
    coef = np.random.default_rng(0).normal(size=23)
    poly = np.polynomial.Polynomial(coef)
    antider = poly.integ()
    a, b = -1.1, 0.9
    r = integrate(lambda x: poly(x[:, 0]), [np.array([a, b])], atol=1e30)
    assert r.value == pytest.approx(antider(b) - antider(a), rel=1e-13)


def test_2d_tensor_rule_exactness_and_estimate():
    lo, hi = np.array([0.0, -1.0]), np.array([2.0, 0.5])
    axes = [np.array([lo[0], hi[0]]), np.array([lo[1], hi[1]])]
    for i, j in [(0, 0), (22, 3), (13, 13), (22, 22), (14, 0)]:
        r = integrate(lambda x, i=i, j=j: x[:, 0] ** i * x[:, 1] ** j, axes, atol=1e30)
        assert (r.n_panels, r.n_evaluations) == (1, 225)
        exact = _moment(lo[0], hi[0], i) * _moment(lo[1], hi[1], j)
        assert r.value == pytest.approx(exact, rel=1e-13)
        if max(i, j) <= 13:
            assert r.error <= 1e-12 * max(1.0, abs(exact))
        else:
            assert r.error > 1e-8 * abs(exact)
    # x^14 y^0: K x K - G x G = (K_x - G_x) * int y^0, so the estimate is G7's error times 1.5.
    r = integrate(lambda x: x[:, 0] ** 14, axes, atol=1e30)
    g7 = _gauss7(lambda t: t**14, 0.0, 2.0)
    exact = _moment(0.0, 2.0, 14) * 1.5
    assert r.error == pytest.approx(abs(_moment(0.0, 2.0, 14) - g7) * 1.5, abs=1e-13 * exact)
    assert r.error > 1e-9 * exact


# -- adaptive integrals with known values ---------------------------------------------------
CASES_1D = [
    # (integrand, breakpoints, exact)
    (lambda t: np.exp(-(t**2)), [-10.0, 0.0, 10.0], np.sqrt(np.pi)),
    (lambda t: 1.0 / (1.0 + t**2), [-50.0, 50.0], 2 * np.arctan(50.0)),
    (lambda t: np.sqrt(t), [0.0, 1.0], 2.0 / 3.0),  # endpoint singularity of the derivative
    (lambda t: np.log(t), [1e-300, 1.0], -1.0 - 1e-300 * (np.log(1e-300) - 1)),  # log-singular
    (lambda t: np.abs(t - 0.3), [-1.0, 0.3, 2.0], 0.5 * 1.3**2 + 0.5 * 1.7**2),  # kink on an edge
    (lambda t: np.cos(40 * t), [0.0, np.pi / 2], np.sin(20 * np.pi) / 40),  # oscillatory
]


@pytest.mark.parametrize("case", range(len(CASES_1D)))
def test_1d_known_integrals_within_the_reported_error(case):
    f, bp, exact = CASES_1D[case]
    r = integrate(lambda x: f(x[:, 0]), [np.array(bp)], atol=1e-11)
    assert r.error <= 1e-11
    assert abs(r.value - exact) <= r.error + 1e-15, (r, exact)


def _correlated_gaussian(x):
    # exp(-x'Ax/2) with A = [[2, 0.6], [0.6, 1]]: integral over R^2 = 2 pi / sqrt(det A).
    return np.exp(-0.5 * (2.0 * x[:, 0] ** 2 + 1.2 * x[:, 0] * x[:, 1] + x[:, 1] ** 2))


CASES_2D = [
    # (integrand, axes, exact)
    (_correlated_gaussian, ([-14.0, 0.0, 14.0], [-14.0, 0.0, 14.0]),
     2 * np.pi / np.sqrt(2.0 - 0.36)),
    # int_0^1 int_0^1 dx dy / (1 + x + y) = 3 log 3 - 4 log 2 (two logarithmic antiderivatives)
    (lambda x: 1.0 / (1.0 + x[:, 0] + x[:, 1]), ([0.0, 1.0], [0.0, 1.0]),
     3 * np.log(3.0) - 4 * np.log(2.0)),
    (lambda x: np.sin(x[:, 0]) * np.cos(x[:, 1]), ([0.0, np.pi], [0.0, np.pi / 2]), 2.0),
    # |x| exp(-x^2 - y^2): kink along x = 0, a panel edge; = (int |x| e^{-x^2}) sqrt(pi) = sqrt(pi)
    (lambda x: np.abs(x[:, 0]) * np.exp(-x[:, 0] ** 2 - x[:, 1] ** 2),
     ([-10.0, 0.0, 10.0], [-10.0, 10.0]), np.sqrt(np.pi)),
    # A narrow bump (std 0.02) off every breakpoint: found only by refinement.
    # Its mass outside [-1, 1]^2 is below e^-600.
    (lambda x: np.exp(-((x[:, 0] - 0.3) ** 2 + (x[:, 1] + 0.2) ** 2) / (2 * 0.02**2)),
     ([-1.0, 1.0], [-1.0, 1.0]), 2 * np.pi * 0.02**2),
]


@pytest.mark.parametrize("case", range(len(CASES_2D)))
def test_2d_known_integrals_within_the_reported_error(case):
    f, axes, exact = CASES_2D[case]
    r = integrate(f, [np.array(a) for a in axes], atol=1e-9)
    assert r.error <= 1e-9
    assert abs(r.value - exact) <= r.error + 1e-14, (r, exact)
    assert abs(r.value - exact) <= 1e-8


def test_refinement_bisects_every_axis_and_counts_its_work():
    r = integrate(CASES_2D[4][0], [np.array([-1.0, 1.0]), np.array([-1.0, 1.0])], atol=1e-9)
    assert r.n_panels > 1
    # 225 points for the first panel, then 4 * 225 for every split panel.
    assert (r.n_evaluations - 225) % (4 * 225) == 0
    # Every split adds 3 panels in 2-D.
    assert (r.n_panels - 1) % 3 == 0
    assert (r.n_panels - 1) // 3 == (r.n_evaluations - 225) // (4 * 225)


def test_breakpoints_may_be_unsorted_and_repeated():
    f = CASES_1D[0][0]
    a = integrate(lambda x: f(x[:, 0]), [np.array([-10.0, 0.0, 10.0])], atol=1e-12)
    b = integrate(lambda x: f(x[:, 0]), [np.array([10.0, 0.0, -10.0, 0.0])], atol=1e-12)
    assert a == b


def test_batching_does_not_change_the_result(monkeypatch):
    f, axes, _ = CASES_2D[0]
    axes = [np.array(a) for a in axes]
    whole = integrate(f, axes, atol=1e-10)
    monkeypatch.setattr(quad, "_BATCH_POINTS", 3 * 225)  # 3 panels per batch
    batched = integrate(f, axes, atol=1e-10)
    assert batched.value == pytest.approx(whole.value, rel=1e-15)
    assert batched.error == pytest.approx(whole.error, rel=1e-12)
    assert batched.n_evaluations == whole.n_evaluations


# -- failure modes ---------------------------------------------------------------------------
def test_budget_too_small_raises_with_the_error_reached():
    with pytest.raises(QuadratureError) as info:
        integrate(CASES_2D[4][0], [np.array([-1.0, 1.0]), np.array([-1.0, 1.0])], atol=1e-12,
                  max_evaluations=2000)
    res = info.value.result
    assert res.error > 1e-12 and res.n_evaluations <= 2000
    assert np.isfinite(res.value)
    assert isinstance(info.value, ArithmeticError)
    assert "budget 2000" in str(info.value)


def test_non_finite_integrand_and_bad_dimension_raise():
    with pytest.raises(ValueError, match="not finite inside the domain"):  # a node at 0
        integrate(lambda x: np.where(x[:, 0] == 0, np.inf, x[:, 0]), [np.array([-1.0, 1.0])],
                  atol=1e-8)
    with pytest.raises(ValueError, match="1-D and 2-D; got 3 axes"):
        integrate(lambda x: x[:, 0], [np.array([0.0, 1.0])] * 3, atol=1e-8)


# -- the domain ------------------------------------------------------------------------------
def test_domain_breakpoints_are_the_components_offsets_and_extras_inside():
    p = g.GaussianMixture([0.5, 0.5], [-1.0, 2.0], [0.25, 4.0])
    u = g.Uniform(0.0, 1.0)
    (axis,) = quad.domain_breakpoints([p, u], extra=[np.array([0.55, -1e6, 1e6])])
    offsets = np.array([-20, -6, -2, 0, 2, 6, 20.0])
    expected = np.unique(np.concatenate(
        [-1.0 + 0.5 * offsets, 2.0 + 2.0 * offsets, np.linspace(0, 1, 5), [0.55]]))
    np.testing.assert_array_equal(axis, expected)
    # The domain spans 20 standard deviations of the widest component around its mean.
    assert axis[0] == 2.0 - 40.0 and axis[-1] == 2.0 + 40.0
    axes = quad.domain_breakpoints([g.Gaussian([0.0, 1.0], [1.0, 0.01])])
    assert len(axes) == 2
    assert (axes[1].min(), axes[1].max()) == pytest.approx((-1.0, 3.0))
