import numpy as np
import pytest
from hypothesis import given, settings

from gantheory import Gaussian, jsd, kl
from gantheory.testing.strategies import gaussians
from gantheory.theorems import gradients
from gantheory.theorems._numerics import derivative


@pytest.mark.parametrize("theorem", gradients.THEOREMS, ids=lambda t: t.key)
def test_theorem_passes(theorem):
    result = theorem.run()
    assert result.passed, result.as_dict()


def test_identity_needs_the_jsd_term():
    # Against the gradient of KL alone (without -2 JSD) the -log D gradient is far off.
    p_data, theta0, s = Gaussian(0.0, 1.0), 1.5, 0.8
    ns, _ = gradients.pathwise_gradients(p_data, theta0, s)
    kl_only = derivative(lambda t: kl(Gaussian(t, s**2), p_data).value, theta0, 1e-2)
    assert abs(ns - kl_only) > 0.1


def test_gaussian_case_by_hand():
    # Data N(0, 1), generator N(theta, 1): KL(P_g || P_r) = theta^2 / 2, so the -log D gradient
    # is theta - 2 d/dtheta JSD, and the minimax one is 2 d/dtheta JSD; they add up to theta.
    for theta in (0.5, 1.0, 3.0):
        ns, mm = gradients.pathwise_gradients(Gaussian(0.0, 1.0), theta, 1.0)
        assert ns + mm == pytest.approx(theta, abs=1e-9)


@settings(max_examples=10)
@given(gaussians(dim=1, mean_bound=1.5, min_std=0.6, max_std=1.5))
def test_ns_identity_over_random_data(p_data):
    theta0, s = 0.7, 0.9
    ns, mm = gradients.pathwise_gradients(p_data, theta0, s)

    def kl_minus_2jsd(t):
        g = Gaussian(t, s**2)
        return kl(g, p_data).value - 2 * jsd(g, p_data).value

    assert ns == pytest.approx(derivative(kl_minus_2jsd, theta0, 1e-2), abs=1e-7)
    two_jsd = derivative(lambda t: 2 * jsd(p_data, Gaussian(t, s**2)).value, theta0, 1e-2)
    assert mm == pytest.approx(two_jsd, abs=1e-7)


def test_finite_differences_agree_with_pathwise_far_apart():
    fd_ns, fd_mm = gradients.finite_difference_gradients(Gaussian(0.0, 1.0), 10.0, 1.0)
    pw_ns, pw_mm = gradients.pathwise_gradients(Gaussian(0.0, 1.0), 10.0, 1.0)
    assert fd_ns == pytest.approx(pw_ns, rel=1e-9)
    assert fd_mm == pytest.approx(pw_mm, rel=1e-4, abs=1e-14)
    assert abs(fd_mm) < 1e-4 < 1 < abs(fd_ns)  # about 10 exp(-12.5) vs about 10
    assert np.isfinite(fd_ns)
