import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@settings(max_examples=5)
@given(st.floats(6.0, 10.0), st.floats(0.3, 0.7))
def test_fits_over_random_bimodal_mixtures(separation_in_stds, weight):
    std = 0.5
    p = bimodal(separation=separation_in_stds * std, std=std, weight=weight)
    m_fwd, s_fwd = modes.fit_gaussian(lambda q: kl(p, q).value, (0.0, 0.0))
    assert m_fwd == pytest.approx(float(p.mean[0]), abs=1e-5)
    assert s_fwd**2 == pytest.approx(float(p.cov[0, 0]), abs=1e-5)
    half = separation_in_stds * std / 2
    # Started wide at the centre, reverse KL can settle on a covering local optimum when the
    # modes are only 6 std apart; started at the component width between centre and a mode,
    # it descends to that mode.
    m_rev, s_rev = modes.fit_gaussian(lambda q: kl(q, p).value, (half / 2, np.log(std)))
    assert min(abs(m_rev - half), abs(m_rev + half)) <= 0.05 * std
    assert s_rev == pytest.approx(std, rel=0.05)
