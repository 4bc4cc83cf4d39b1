"""Hypothesis properties of the core over random mixtures in 1-D and 2-D (deterministic profile)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import gantheory as g
from gantheory.testing.strategies import gaussians, mixture_pairs, mixtures

LOG2, LOG4 = np.log(2.0), np.log(4.0)
pairs_1d = mixture_pairs(dim=1)
pairs_2d = mixture_pairs(dim=2, max_components=2)


def _bounds(p, q, tol):
    kl_pq = g.kl(p, q).value
    js = g.jsd(p, q).value
    t = g.tv(p, q).value
    h2 = g.hellinger2(p, q).value
    assert kl_pq >= -tol
    assert -tol <= js <= LOG2 + tol
    assert -tol <= t <= 1 + tol and -tol <= h2 <= 1 + tol
    assert t <= np.sqrt(max(kl_pq, 0) / 2) + tol  # Pinsker
    assert 0.5 * t**2 <= js + tol and js <= t * LOG2 + tol  # JSD sandwiched by TV
    assert h2 <= t + tol and t**2 <= h2 * (2 - h2) + tol  # Le Cam: H^2 <= TV, TV^2 <= H^2(2-H^2)
    c = g.training_criterion(p, q).value
    assert abs(c - (2 * js - LOG4)) <= tol  # Goodfellow et al. 2014, Theorem 1


@given(pairs_1d)
def test_divergence_bounds_and_criterion_1d(pair):
    _bounds(*pair, tol=1e-9)


@settings(max_examples=8)
@given(pairs_2d)
def test_divergence_bounds_and_criterion_2d(pair):
    _bounds(*pair, tol=1e-7)


@given(mixtures(dim=1))
def test_self_divergences_vanish(p):
    assert abs(g.kl(p, p).value) <= 1e-10
    assert abs(g.jsd(p, p).value) <= 1e-10
    assert abs(g.training_criterion(p, p).value + LOG4) <= 1e-10


@given(pairs_1d, st.floats(-1.0, 1.0).filter(lambda e: abs(e) > 1e-3),
       st.sampled_from(["const", "sin", "x"]))
def test_d_star_beats_perturbations(pair, eps, kind):
    p, q = pair
    d = g.optimal_discriminator(p, q)
    h = {"const": lambda x: 1.0, "sin": lambda x: np.sin(3 * x), "x": lambda x: np.tanh(x)}[kind]

    class Perturbed:
        def logit(self, x):
            return d.logit(x) + eps * h(np.asarray(x)[..., 0] if np.ndim(x) > 1 else x)

        def __call__(self, x):
            return 1 / (1 + np.exp(-self.logit(x)))

    assert g.value_function(p, q, Perturbed()).value < g.training_criterion(p, q).value + 1e-12


# -- additions ------------------------------------------------------------------------------


@settings(max_examples=6)
@given(mixtures(dim=2, max_components=2))
def test_self_divergences_vanish_2d(p):
    assert abs(g.kl(p, p).value) <= 1e-8
    assert abs(g.jsd(p, p).value) <= 1e-8
    assert abs(g.tv(p, p).value) <= 1e-8
    assert abs(g.hellinger2(p, p).value) <= 1e-8


def _closed_vs_quadrature(p, q, atol):
    for fn in (g.kl, g.hellinger2, g.cross_entropy,
               lambda a, b, **o: g.f_divergence(a, b, "reverse_kl", **o),
               lambda a, b, **o: g.f_divergence(a, b, "jeffrey", **o)):
        closed = fn(p, q, method="closed_form")
        quad = fn(p, q, method="quadrature")
        assert abs(closed.value - quad.value) <= quad.error + 1e-13
        assert abs(closed.value - quad.value) <= atol


@given(gaussians(dim=1), gaussians(dim=1))
def test_gaussian_closed_forms_match_quadrature_1d(p, q):
    _closed_vs_quadrature(p, q, atol=1e-10)


@settings(max_examples=5)
@given(gaussians(dim=2), gaussians(dim=2))
def test_gaussian_closed_forms_match_quadrature_2d(p, q):
    _closed_vs_quadrature(p, q, atol=1e-8)


@given(gaussians(dim=1), gaussians(dim=1))
def test_gaussian_kl_nonnegative_and_pinsker(p, q):
    k = g.kl(p, q).value
    assert k >= 0
    assert g.tv(p, q).value <= np.sqrt(k / 2) + 1e-10
    assert abs(g.kl(p, p).value) <= 1e-14


@settings(max_examples=4)
@given(pairs_2d, st.floats(-1.0, 1.0).filter(lambda e: abs(e) > 1e-2))
def test_d_star_beats_perturbations_2d(pair, eps):
    p, q = pair
    d = g.optimal_discriminator(p, q)

    class Perturbed:
        def logit(self, x):
            x = np.asarray(x)
            return d.logit(x) + eps * np.tanh(x[..., 0] - x[..., 1])

        def __call__(self, x):
            return 1 / (1 + np.exp(-self.logit(x)))

    assert g.value_function(p, q, Perturbed()).value < g.training_criterion(p, q).value + 1e-9
