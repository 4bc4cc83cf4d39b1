import numpy as np
import pytest
from hypothesis import given

from gantheory import Gaussian, kl
from gantheory.testing.strategies import gaussians
from gantheory.theorems import kl as kl_theorems
from gantheory.theorems.base import Configuration


@pytest.mark.parametrize("theorem", kl_theorems.THEOREMS, ids=lambda t: t.key)
def test_theorem_passes(theorem):
    result = theorem.run()
    assert result.passed, result.as_dict()


def test_asymmetry_values_by_hand():
    # KL(N(0,1) || N(1,4)) = 1/2 [1/4 + 1/4 - 1 + log 4] = log 2 - 1/4
    assert kl(Gaussian(0.0, 1.0), Gaussian(1.0, 4.0)).value == pytest.approx(
        np.log(2) - 0.25, abs=1e-15
    )
    assert kl(Gaussian(1.0, 4.0), Gaussian(0.0, 1.0)).value == pytest.approx(
        2 - np.log(2), abs=1e-15
    )


def test_gibbs_check_fails_on_wrong_expected_value():
    config = Configuration(
        "wrong", {"p": Gaussian(0.0, 1.0), "q": Gaussian(1.0, 4.0), "kl_pq": 0.5, "kl_qp": 1.3}
    )
    errors = [c.error for c in kl_theorems.GIBBS.check(config)]
    assert max(errors) > 1e-3


@given(gaussians(dim=1), gaussians(dim=1))
def test_gaussian_kl_closed_form_vs_quadrature(p, q):
    closed = kl(p, q, method="closed_form")
    quad = kl(p, q, method="quadrature")
    assert abs(closed.value - quad.value) <= max(quad.error, 1e-12)


@given(gaussians(dim=2), gaussians(dim=2))
def test_gaussian_kl_closed_form_vs_quadrature_2d(p, q):
    closed = kl(p, q, method="closed_form")
    quad = kl(p, q, method="quadrature")
    assert abs(closed.value - quad.value) <= max(quad.error, 1e-10)


# -- KL(p || p): an identity; the local curvature is the check ----------------------------------
def test_kl_of_p_with_itself_is_an_identity_and_the_curvature_a_check():
    config = kl_theorems.GIBBS.configurations[1]  # 1-D bimodal
    by_label = {c.label.split(" (")[0]: c for c in kl_theorems.GIBBS.check(config)}
    assert by_label["KL(p || p) by quadrature"].kind == "identity"
    curvature = next(c for c in by_label.values() if "Fisher" in c.label)
    assert curvature.independent
    assert curvature.error < kl_theorems.GIBBS.tolerance


def test_local_curvature_of_a_gaussian_is_half_the_fisher_information():
    # N(0, s^2) shifted by delta: KL = delta^2 / (2 s^2) exactly, I = 1 / s^2.
    limit, half_fisher = kl_theorems._local_kl_curvature(Gaussian(0.0, 0.25))
    assert half_fisher == pytest.approx(2.0, abs=1e-10)
    assert limit == pytest.approx(2.0, abs=1e-9)


def test_a_wrong_kl_fails_the_curvature_check(monkeypatch):
    # A KL off by 1 % (a wrong log base would be off by far more) breaks the curvature check
    # but none of the inequalities.
    real = kl_theorems.kl

    def scaled(p, q, **options):
        return real(p, q, **options).scaled(1.01)

    monkeypatch.setattr(kl_theorems, "kl", scaled)
    config = kl_theorems.GIBBS.configurations[2]  # 2-D mixtures
    failing = [c.label for c in kl_theorems.GIBBS.check(config)
               if c.error > kl_theorems.GIBBS.tolerance]
    assert len(failing) == 1 and "Fisher information" in failing[0]
