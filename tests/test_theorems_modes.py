import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gantheory import Gaussian, kl
from gantheory.gaussian_fit import fit_gaussian
from gantheory.presets import bimodal
from gantheory.testing.strategies import mixtures
from gantheory.theorems import modes
from gantheory.theorems.base import Configuration


@pytest.mark.parametrize("theorem", modes.THEOREMS, ids=lambda t: t.key)
def test_theorem_passes(theorem):
    result = theorem.run()
    assert result.passed, result.as_dict()


def test_reverse_kl_from_the_other_side_finds_the_other_mode():
    p = bimodal()
    m, s = fit_gaussian(lambda q: kl(q, p).value, (-1.0, 0.0))
    assert m == pytest.approx(-2.0, abs=0.01)
    assert s == pytest.approx(0.5, abs=0.01)


def test_symmetric_point_is_a_worse_local_minimum_of_reverse_kl():
    # Started near m = 0, reverse KL stays at the symmetric stationary point (0, 1.736): a
    # local minimum, not a saddle, with KL 1.871 against log 2 at either mode.
    p = bimodal()
    m, s = fit_gaussian(lambda q: kl(q, p).value, (0.5, 0.5))
    assert m == pytest.approx(0.0, abs=1e-5)
    assert s == pytest.approx(1.7364, abs=1e-3)
    assert kl(Gaussian(m, s**2), p).value > np.log(2.0) + 1.0
    # Curvature along m at that point is positive (about 0.33): a minimum in m too.
    h = 1e-2

    def along_m(t):
        return kl(Gaussian(t, s**2), p).value

    curvature = (along_m(m + h) - 2 * along_m(m) + along_m(m - h)) / h**2
    assert 0.2 < curvature < 0.5


def test_check_fails_when_the_reverse_fit_starts_at_the_symmetric_point(monkeypatch):
    # A covering fit is what the reverse-KL bounds must reject: from (0.5, log s = 0.5) the
    # reverse fit stays at (0, 1.736), about 4 std from either mode.
    monkeypatch.setattr(modes, "_REVERSE_START", (0.5, 0.5))
    config = modes.MODE_SEEKING.configurations[0]
    errors = {c.label: c.error for c in modes.MODE_SEEKING.check(config)}
    seeks = [e for label, e in errors.items() if label.startswith("reverse KL seeks a mode")]
    assert seeks[0] > 1.9
    assert errors["reverse KL fits that mode's width: |s - std| <= 0.01 std"] > 1.2
    assert errors["min KL(q || p) <= -log w_k"] > 1.0


def test_check_fails_when_modes_are_not_separated():
    # Modes 1 std apart: the reverse KL fit is no longer one component's width.
    p = bimodal(separation=1.0, std=0.5)
    comparisons = modes.MODE_SEEKING.check(
        Configuration(
            "overlapping", {"p": p, "modes": (-0.5, 0.5), "std": 0.5, "weights": (0.5, 0.5)}
        )
    )
    assert max(c.error for c in comparisons) > 1e-3


def test_check_fails_with_the_weights_swapped():
    # Reverse KL locks onto the heavier mode (weight 0.7) with KL just below -log 0.7; told the
    # weights the other way round, the -log w_k comparison fails by about log(0.7 / 0.3).
    config = modes.MODE_SEEKING.configurations[1]
    wrong = Configuration("swapped", {**config.params, "weights": (0.7, 0.3)})
    errors = {c.label: c.error for c in modes.MODE_SEEKING.check(wrong)}
    assert errors["-log w_k - 0.001 <= min KL(q || p)"] == pytest.approx(
        np.log(0.7 / 0.3) - 1e-3, abs=1e-3
    )


def test_check_fails_with_a_wrong_component_width():
    # Told the components have std 0.6 (they have 0.5), the width comparison fails by
    # |0.5004 - 0.6| - 0.006.
    config = modes.MODE_SEEKING.configurations[0]
    wrong = Configuration("wrong std", {**config.params, "std": 0.6})
    errors = {c.label: c.error for c in modes.MODE_SEEKING.check(wrong)}
    assert errors["reverse KL fits that mode's width: |s - std| <= 0.01 std"] == pytest.approx(
        0.6 - 0.5004 - 0.006, abs=1e-3
    )


def test_forward_fit_is_not_the_within_component_variance():
    # A wrong moment formula (the mixture variance without the spread of the means, 0.25)
    # would be 4 away from the fit: Var_p = sum w (sigma^2 + mu^2) - mean^2 = 4.25.
    p = bimodal()
    _, s = fit_gaussian(lambda q: kl(p, q).value, (0.0, 0.0))
    within = float(np.sum(p.weights * p.covs[:, 0, 0]))
    assert abs(s**2 - within) == pytest.approx(4.0, abs=1e-6)


@settings(max_examples=5, deadline=None)
@given(mixtures(dim=1))
def test_forward_kl_fit_is_moment_matching_for_random_mixtures(p):
    m, s = fit_gaussian(lambda q: kl(p, q).value, (0.0, 0.0))
    assert m == pytest.approx(float(p.mean[0]), abs=1e-5)
    assert s**2 == pytest.approx(float(p.cov[0, 0]), abs=1e-5)


@settings(max_examples=5, deadline=None)
@given(st.floats(6.0, 10.0), st.floats(0.3, 0.7))
def test_fits_over_random_bimodal_mixtures(separation_in_stds, weight):
    std = 0.5
    p = bimodal(separation=separation_in_stds * std, std=std, weight=weight)
    m_fwd, s_fwd = fit_gaussian(lambda q: kl(p, q).value, (0.0, 0.0))
    assert m_fwd == pytest.approx(float(p.mean[0]), abs=1e-5)
    assert s_fwd**2 == pytest.approx(float(p.cov[0, 0]), abs=1e-5)
    half = separation_in_stds * std / 2
    # Started wide at the centre, reverse KL can settle on a covering local optimum; started at
    # the component width between centre and a mode, it descends to that mode.
    m_rev, s_rev = fit_gaussian(lambda q: kl(q, p).value, (half / 2, np.log(std)))
    assert min(abs(m_rev - half), abs(m_rev + half)) <= 0.05 * std
    assert s_rev == pytest.approx(std, rel=0.05)
    assert s_rev < s_fwd
