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
