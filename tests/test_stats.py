"""Mean ± standard error: the one estimator of the package's "mean ± s.e." numbers."""

import math

import numpy as np
import pytest

from gantheory.presets import ring
from gantheory.sample_metrics import mode_metrics
from gantheory.stats import mean_and_standard_error, summarize


def test_mean_and_standard_error_by_hand_and_along_an_axis():
    # values 1, 2, 3, 6: mean 3, s^2 = (4 + 1 + 0 + 9) / 3 = 14/3, se = sqrt(14/12)
    mean, se = mean_and_standard_error([1.0, 2.0, 3.0, 6.0])
    assert (mean, se) == (3.0, pytest.approx(math.sqrt(14 / 12)))
    assert isinstance(mean, float) and isinstance(se, float)
    means, ses = mean_and_standard_error(np.array([[1.0, 5.0], [3.0, 5.0]]).T, axis=1)
    np.testing.assert_allclose(means, [2.0, 5.0])
    np.testing.assert_allclose(ses, [1.0, 0.0])
    one_mean, one_se = mean_and_standard_error([[2.0, 4.0]])  # one draw along axis 0
    np.testing.assert_allclose(one_mean, [2.0, 4.0])
    assert np.all(np.isnan(one_se))


def test_summarize_mean_and_standard_error():
    values = np.array([6.0, 7.0, 8.0, 6.0, 5.5])
    s = summarize(values)
    assert s.mean == pytest.approx(values.mean())
    assert s.se == pytest.approx(values.std(ddof=1) / math.sqrt(5))
    assert s.n == 5 and isinstance(s.mean, float)
    assert str(s) == "6.5 ± 0.45"
    assert s.format(3) == "6.500 ± 0.447"
    two_d = summarize(np.array([[1.0, 10.0], [3.0, 10.0]]))
    np.testing.assert_allclose(two_d.mean, [2.0, 10.0])
    np.testing.assert_allclose(two_d.se, [1.0, 0.0])


def test_summarize_edge_cases():
    one = summarize([0.25])
    assert one.mean == 0.25 and math.isnan(one.se) and one.n == 1  # se undefined, documented
    with_inf = summarize([0.5, np.inf])
    assert with_inf.mean == math.inf and math.isnan(with_inf.se)
    with pytest.raises(ValueError, match="NaN"):
        summarize([1.0, np.nan])
    with pytest.raises(ValueError, match="at least one value"):
        summarize([])
    with pytest.raises(ValueError, match="at least one value"):
        summarize(3.0)
    with pytest.raises(TypeError, match="values must be an array of real numbers"):
        summarize(["x"])


def test_summarize_of_a_stack_matches_the_published_table_layout():
    target = ring()
    sets = np.stack([np.tile(target.means[:k], (10, 1))[:40] for k in (4, 6, 8, 8)])
    m = mode_metrics(sets, target)
    s = summarize(m.modes_captured)
    assert (s.mean, s.se) == (6.5, pytest.approx(np.std([4, 6, 8, 8], ddof=1) / 2))


