import pytest

from gantheory import kl
from gantheory.presets import bimodal
from gantheory.theorems import modes
from gantheory.theorems.base import Configuration


@pytest.mark.parametrize("theorem", modes.THEOREMS, ids=lambda t: t.key)
def test_theorem_passes(theorem):
    result = theorem.run()
    assert result.passed, result.as_dict()


def test_reverse_kl_from_the_other_side_finds_the_other_mode():
    p = bimodal()
    m, s = modes.fit_gaussian(lambda q: kl(q, p).value, (-1.0, 0.0))
    assert m == pytest.approx(-2.0, abs=0.01)
    assert s == pytest.approx(0.5, abs=0.01)


def test_check_fails_when_modes_are_not_separated():
    # Modes 1 std apart: the reverse KL fit is no longer one component's width.
    p = bimodal(separation=1.0, std=0.5)
    comparisons = modes.MODE_SEEKING.check(
        Configuration("overlapping", {"p": p, "modes": (-0.5, 0.5), "std": 0.5})
    )
    assert max(c.error for c in comparisons) > 1e-3
