import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gantheory import Gaussian, jsd, kl
from gantheory.generator_gradients import pathwise_gradients
from gantheory.presets import bimodal
from gantheory.testing.strategies import gaussians, mixtures
from gantheory.theorems import gradients
from gantheory.theorems._numerics import derivative
from gantheory.theorems.base import Configuration

#: Finite-difference step of the reference derivatives here (as in the module).
STEP = 2e-3


@pytest.mark.parametrize("theorem", gradients.THEOREMS, ids=lambda t: t.key)
def test_theorem_passes(theorem):
    result = theorem.run()
    assert result.passed, result.as_dict()


def _flipped_score(p):
    """A copy of ``p`` whose score has the wrong sign (density and logit unchanged)."""
    base = type(p)
    flipped = copy.copy(p)
    flipped.__class__ = type(
        "Flipped" + base.__name__, (base,), {"score": lambda self, x: -base.score(self, x)}
    )
    return flipped


@pytest.mark.parametrize("config", gradients.NS_GRADIENT.configurations, ids=lambda c: c.name)
def test_ns_check_fails_with_the_score_difference_sign_swapped(config):
    # Data score of the wrong sign: the pathwise gradients no longer match either side.
    wrong = Configuration("flipped", {**config.params, "p_data": _flipped_score(config["p_data"])})
    assert max(c.error for c in gradients.NS_GRADIENT.check(wrong)) > 0.05


def test_identity_needs_the_jsd_term():
    # Against the gradient of KL alone (without -2 JSD) the -log D gradient is far off.
    p_data, theta0, s = Gaussian(0.0, 1.0), 1.5, 0.8
    ns, _ = pathwise_gradients(p_data, theta0, s)
    kl_only = derivative(lambda t: kl(Gaussian(t, s**2), p_data).value, theta0, STEP)
    assert abs(ns - kl_only) > 0.1


def test_scale_gradient_needs_the_path_derivative():
    # With the location's path derivative (1) in place of the scale's (z), the "scale"
    # gradient is the location gradient, far from d/ds [KL - 2 JSD].
    p_data, loc, s = bimodal(), 0.5, 1.0
    ns_loc, _ = pathwise_gradients(p_data, loc, s, wrt="loc")
    ns_scale, _ = pathwise_gradients(p_data, loc, s, wrt="scale")

    def kl_minus_2jsd(t):
        g = Gaussian(loc, t**2)
        return kl(g, p_data).value - 2 * jsd(g, p_data).value

    reference = derivative(kl_minus_2jsd, s, STEP)
    assert ns_scale == pytest.approx(reference, abs=1e-8)
    assert abs(ns_loc - reference) > 0.1


def test_unknown_parameter_is_rejected():
    with pytest.raises(ValueError, match="wrt must be one of"):
        pathwise_gradients(Gaussian(0.0, 1.0), 0.0, 1.0, wrt="shape")


def test_gaussian_case_by_hand():
    # Data N(0, 1), generator N(theta, 1): KL(P_g || P_r) = theta^2 / 2, so the -log D gradient
    # is theta - 2 d/dtheta JSD, and the minimax one is 2 d/dtheta JSD; they add up to theta.
    for theta in (0.5, 1.0, 3.0):
        ns, mm = pathwise_gradients(Gaussian(0.0, 1.0), theta, 1.0)
        assert ns + mm == pytest.approx(theta, abs=1e-9)
    # In the scale: KL(N(mu, s^2) || N(0, 1)) = (s^2 + mu^2 - 1) / 2 - log s, d/ds = s - 1/s.
    for mu, s in ((0.0, 2.0), (1.0, 0.7)):
        ns, mm = pathwise_gradients(Gaussian(0.0, 1.0), mu, s, wrt="scale")
        assert ns + mm == pytest.approx(s - 1 / s, abs=1e-9)


@pytest.mark.parametrize("wrt", ["loc", "scale"])
def test_finite_differences_agree_with_pathwise_on_bimodal_data(wrt):
    fd_ns, fd_mm = gradients.finite_difference_gradients(bimodal(), 0.5, 1.0, wrt=wrt)
    pw_ns, pw_mm = pathwise_gradients(bimodal(), 0.5, 1.0, wrt=wrt)
    assert fd_ns == pytest.approx(pw_ns, abs=1e-9)
    assert fd_mm == pytest.approx(pw_mm, abs=1e-9)


def test_vanishing_check_fails_on_the_claims_that_do_not_hold():
    # The minimax gradient rises from theta = 1 (0.398) to theta = 2 (0.450), and at theta = 12
    # it is still 1.8e-8: "decreasing from theta = 1" and "< 1e-10 at 12" both fail.
    config = Configuration(
        "too strong",
        {"thetas": (1.0, 2.0, 4.0, 8.0, 12.0), "decreasing_from": 1.0, "vanished": 1e-10},
    )
    failed = {c.label: c for c in gradients.VANISHING_GRADIENT.check(config) if c.error > 1e-7}
    assert set(failed) == {
        "log |minimax gradient| decreases from theta = 1 to 2",
        "log |minimax gradient| at theta = 12 <= log 1e-10",
    }
    at_12 = failed["log |minimax gradient| at theta = 12 <= log 1e-10"]
    assert np.exp(at_12.lhs) == pytest.approx(1.848327e-8, rel=1e-5)


def test_vanishing_check_fails_with_the_non_saturating_and_minimax_roles_swapped(monkeypatch):
    # Swapping the two integrands (a classic sign/label slip) breaks the bounds on the
    # minimax gradient and the bound below on the -log D one.
    real = pathwise_gradients

    def swapped(*args, **kwargs):
        ns, mm = real(*args, **kwargs)
        return mm, ns

    monkeypatch.setattr(gradients, "pathwise_gradients", swapped)
    config = gradients.VANISHING_GRADIENT.configurations[0]
    errors = {c.label: c.error for c in gradients.VANISHING_GRADIENT.check(config)}
    assert errors["theta = 8: minimax gradient, finite differences vs pathwise"] > 7.0
    assert errors["theta = 8: -log D gradient, finite differences vs pathwise"] > 7.0


def test_default_tolerance_is_too_loose_for_tiny_gradients():
    # At atol = 1e-10 the theta = 16 minimax gradient is 23% off; the tight tolerance fixes it.
    _, loose = pathwise_gradients(Gaussian(0.0, 1.0), 16.0, 1.0)
    _, tight = pathwise_gradients(Gaussian(0.0, 1.0), 16.0, 1.0, minimax_atol=1e-24)
    assert tight == pytest.approx(1.557991e-14, rel=1e-5)
    assert abs(loose - tight) > 0.1 * tight


def _check_identities(p_data, loc, s, wrt, tol=1e-7):
    theta0 = loc if wrt == "loc" else s

    def generator(t):
        return Gaussian(t, s**2) if wrt == "loc" else Gaussian(loc, t**2)

    ns, mm = pathwise_gradients(p_data, loc, s, wrt=wrt)

    def kl_minus_2jsd(t):
        g = generator(t)
        return kl(g, p_data).value - 2 * jsd(g, p_data).value

    assert ns == pytest.approx(derivative(kl_minus_2jsd, theta0, STEP), abs=tol)
    two_jsd = derivative(lambda t: 2 * jsd(p_data, generator(t)).value, theta0, STEP)
    assert mm == pytest.approx(two_jsd, abs=tol)


@settings(max_examples=10, deadline=None)
@given(
    gaussians(dim=1, mean_bound=1.5, min_std=0.6, max_std=1.5),
    st.sampled_from(["loc", "scale"]),
)
def test_ns_identity_over_random_gaussian_data(p_data, wrt):
    _check_identities(p_data, 0.7, 0.9, wrt)


@settings(max_examples=10, deadline=None)
@given(mixtures(dim=1, max_components=3), st.sampled_from(["loc", "scale"]))
def test_ns_identity_over_random_mixture_data(p_data, wrt):
    _check_identities(p_data, 0.3, 1.1, wrt)


def test_finite_differences_agree_with_pathwise_far_apart():
    fd_ns, fd_mm = gradients.finite_difference_gradients(
        Gaussian(0.0, 1.0), 10.0, 1.0, minimax_atol=1e-20
    )
    pw_ns, pw_mm = pathwise_gradients(Gaussian(0.0, 1.0), 10.0, 1.0, minimax_atol=1e-20)
    assert fd_ns == pytest.approx(pw_ns, rel=1e-9)
    assert fd_mm == pytest.approx(pw_mm, rel=1e-6)
    assert abs(fd_mm) < 1e-4 < 1 < abs(fd_ns)  # about 10 exp(-12.5) vs about 10
    assert np.isfinite(fd_ns)
