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


def test_comparison_kinds():
    assert Comparison("c", 1.0, 1.0).independent
    assert not Comparison("i", 0.0, 0.0, kind="identity").independent
    with pytest.raises(ValueError, match="kind"):
        Comparison("bad", 0.0, 0.0, kind="tautology")


def test_identities_are_not_counted_and_do_not_pass_alone():
    from gantheory.theorems.base import Theorem

    def check(config):
        return [Comparison("identity", 0.0, 0.0, kind="identity")] * config["n"]

    theorem = Theorem("t", "t", "", "", 1e-9, (Configuration("c", {"n": 2}),), check)
    result = theorem.run()
    assert (result.n_comparisons, result.n_checks, result.n_identities) == (2, 0, 2)
    assert not result.passed  # nothing independent was compared
    assert result.as_dict()["n_identities"] == 2


def test_p_g_equal_p_data_gives_identities_and_the_near_pair_checks():
    configs = {c.name: c for c in gan.CRITERION.configurations}
    equal = gan.CRITERION.check(configs["1-D p_g = p_data"])
    assert [c.kind for c in equal] == ["identity", "identity"]
    near = gan.CRITERION.check(configs["1-D p_g = N(0.01, 1) near p_data = N(0, 1)"])
    assert all(c.independent for c in near)


def test_jsd_by_definition_on_disjoint_and_overlapping_uniforms():
    from gantheory import Uniform

    assert gan.jsd_by_definition(Uniform(0.0, 1.0), Uniform(2.0, 3.0)) == pytest.approx(
        np.log(2.0), abs=1e-14)
    # U(0, 1) vs U(0.5, 1.5): on each half-overlap p = 1, q = 0 or both 1, so
    # JSD = 1/2 (1/2 log 2 + 1/2 log 2) = log(2) / 2.
    assert gan.jsd_by_definition(Uniform(0.0, 1.0), Uniform(0.5, 1.5)) == pytest.approx(
        np.log(2.0) / 2, abs=1e-14)


def test_a_wrong_singular_jsd_fails_the_disjoint_and_line_checks(monkeypatch):
    # A JSD whose value for mutually singular pairs is off (say, log 2 in bits rather than
    # nats) is caught by the definition on densities, not only by identities.
    real = gan.jsd

    def wrong(p, q, **options):
        result = real(p, q, **options)
        return result.scaled(1.0 / np.log(2.0)) if result.value == pytest.approx(
            np.log(2.0)) else result

    monkeypatch.setattr(gan, "jsd", wrong)
    configs = {c.name: c for c in gan.JSD_BOUNDS.configurations}
    tol = gan.JSD_BOUNDS.tolerance
    for name in ("disjoint uniforms [0,1], [2,3]", "segment vs 2-D Gaussian; parallel segments"):
        failing = [c for c in gan.JSD_BOUNDS.check(configs[name]) if c.error > tol]
        assert any(c.independent for c in failing), name
