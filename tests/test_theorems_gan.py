import numpy as np
import pytest

from gantheory import Gaussian
from gantheory.theorems import gan
from gantheory.theorems.base import Comparison, Configuration


@pytest.mark.parametrize("theorem", gan.THEOREMS, ids=lambda t: t.key)
def test_theorem_passes(theorem):
    result = theorem.run()
    assert result.n_comparisons > 0
    assert result.passed, result.as_dict()


def test_comparison_errors():
    assert Comparison("eq", 1.0, 1.5).error == 0.5
    assert Comparison("le holds", 1.0, 1.5, "<=").error == 0.0
    assert Comparison("le violated", 2.0, 1.5, "<=").error == 0.5
    assert Comparison("inf", np.inf, np.inf).error == 0.0
    with pytest.raises(ValueError, match="relation"):
        Comparison("bad", 0.0, 0.0, ">=")


def test_a_wrong_discriminator_scores_below_d_star():
    from gantheory import training_criterion, value_function

    p, q = gan.PAIR_1D

    class Wrong:
        """D = q / (p + q): the optimal discriminator the wrong way round."""

        def logit(self, x):
            return q.logpdf(x) - p.logpdf(x)

        def __call__(self, x):
            return 1.0 / (1.0 + np.exp(-self.logit(x)))

    assert value_function(p, q, Wrong()).value < training_criterion(p, q).value - 0.1


def test_criterion_check_fails_when_jsd_is_replaced():
    p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 1.0)
    [first, *_] = gan.CRITERION.check(Configuration("x", {"p_data": p, "p_g": q}))
    assert first.error < 1e-9
    # The same left side against -log 4 + JSD (missing factor 2) is far off.
    wrong = Comparison("wrong", first.lhs, first.rhs - (first.rhs + np.log(4.0)) / 2)
    assert wrong.error > 1e-2
