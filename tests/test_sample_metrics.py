"""Sample metrics: the PacGAN/VEEGAN mode protocol and the exact W1 in 1-D."""

import math

import numpy as np
import pytest
from scipy import stats

from gantheory import Gaussian, GaussianMixture, Uniform, wasserstein1
from gantheory.presets import bimodal, grid, ring
from gantheory.sample_metrics import PROTOCOL_N_SAMPLES, mode_metrics, w1_to_target_1d

#: Standard normal quantile used for the binomial tolerances: P(|Z| > 5) = 5.7e-7.
Z_TOL = 5.0


def _hq_probability(n_std: float, dim: int) -> float:
    """P(||x - mu|| <= n_std sigma) for x ~ N(mu, sigma^2 I): the chi_d distribution's cdf."""
    return float(stats.chi2.cdf(n_std**2, dim))


# -- the mode protocol on samples from the target itself ----------------------------------
@pytest.mark.parametrize(
    ("target", "expected_hq"),
    [
        (ring(), 1 - math.exp(-4.5)),  # 2-D: chi_2 cdf at 3 = 1 - exp(-9/2) = 98.89 %
        (grid(), 1 - math.exp(-4.5)),
        (bimodal(), math.erf(3 / math.sqrt(2))),  # 1-D: 99.73 %
    ],
    ids=["ring", "grid", "bimodal-1d"],
)
def test_samples_from_the_target_capture_every_mode(target, expected_hq):
    assert _hq_probability(3.0, target.dim) == pytest.approx(expected_hq, rel=1e-14)
    n = 20_000
    m = mode_metrics(target.sample(n, seed=7), target)
    assert m.modes_captured == m.n_modes == target.n_components
    # Modes are >= 8 std apart (bimodal: the midpoint is 4 std out), so a sample within 3 std
    # of its own mean is also nearest to it: HQ ~ Binomial(n, p) exactly.
    p = expected_hq
    assert abs(m.high_quality_fraction - p) <= Z_TOL * math.sqrt(p * (1 - p) / n)
    # 2 N KL(q_hat || w) -> chi^2_{K-1} (the G-test): a one-in-a-million upper bound.
    n_hq = int(m.histogram.sum())
    assert n_hq == round(m.high_quality_fraction * n)
    bound = stats.chi2.ppf(1 - 1e-6, m.n_modes - 1) / (2 * n_hq)
    assert 0.0 <= m.reverse_kl <= bound


def test_reverse_kl_of_a_perfect_generator_has_the_g_test_mean():
    # Notes of mode_metrics: E[KL] ~ (K - 1) / (2 N_HQ). Over 200 seeds at the protocol size.
    target = ring()
    seeds = 200
    samples = target.sample(seeds * PROTOCOL_N_SAMPLES, seed=3).reshape(seeds, -1, 2)
    m = mode_metrics(samples, target)
    g = 2 * m.histogram.sum(axis=1) * m.reverse_kl  # ~ chi^2_7, mean 7, sd sqrt(14)
    assert np.all(m.modes_captured == 8)
    assert abs(g.mean() - 7) <= Z_TOL * math.sqrt(14 / seeds)


def test_n_std_sets_the_radius_of_high_quality():
    target = grid()
    n = 20_000
    x = target.sample(n, seed=11)
    for n_std in (0.5, 1.0, 2.0):
        p = 1 - math.exp(-(n_std**2) / 2)  # chi_2 cdf
        m = mode_metrics(x, target, n_std=n_std)
        assert abs(m.high_quality_fraction - p) <= Z_TOL * math.sqrt(p * (1 - p) / n)


# -- hand-computed histograms -----------------------------------------------------------
def test_three_modes_with_equal_counts_give_log_8_over_3():
    target = ring()
    samples = np.repeat(target.means[[0, 3, 5]], 7, axis=0) + 0.01 * np.array([1.0, 1.0]) / 2
    m = mode_metrics(samples, target)
    assert m.modes_captured == 3
    assert m.high_quality_fraction == 1.0
    assert m.histogram.tolist() == [7, 0, 0, 7, 0, 7, 0, 0]
    assert m.reverse_kl == pytest.approx(math.log(8 / 3), rel=1e-14)
    assert m.n_samples == 21 and m.n_modes == 8


def test_unequal_counts_and_weights_by_hand():
    target = ring()
    counts = [5, 3, 2]
    samples = np.concatenate([np.repeat(target.means[[k]], c, axis=0) for k, c in
                              zip([1, 2, 6], counts, strict=True)])
    m = mode_metrics(samples, target)
    expected = 0.5 * math.log(0.5 * 8) + 0.3 * math.log(0.3 * 8) + 0.2 * math.log(0.2 * 8)
    assert m.reverse_kl == pytest.approx(expected, rel=1e-14)
    # Explicit means/std/weights: KL(q || w) with w = (0.5, 0.25, 0.25) and q = (0.5, 0.3, 0.2)
    means = target.means[[1, 2, 6]]
    m2 = mode_metrics(samples, means=means, std=0.01, weights=[0.5, 0.25, 0.25])
    expected2 = 0.5 * math.log(1.0) + 0.3 * math.log(0.3 / 0.25) + 0.2 * math.log(0.2 / 0.25)
    assert m2.modes_captured == 3 and m2.n_modes == 3
    assert m2.reverse_kl == pytest.approx(expected2, rel=1e-12)
    # The same sample set with the target's own weights is a KL against uniform(3)
    m3 = mode_metrics(samples, means=means, std=0.01)
    assert m3.reverse_kl == pytest.approx(sum(q * math.log(3 * q) for q in (0.5, 0.3, 0.2)))


def test_zero_weight_mode_with_samples_gives_infinite_kl():
    m = mode_metrics([[0.0], [5.0]], means=[0.0, 5.0], std=1.0, weights=[1.0, 0.0])
    assert m.reverse_kl == math.inf and m.modes_captured == 2


def test_far_samples_are_low_quality():
    target = ring()
    sigma = 0.01
    mu = target.means[2]  # (0, 1)
    inside = mu + [2.99 * sigma, 0.0]
    outside = mu + [3.01 * sigma, 0.0]
    m = mode_metrics(np.stack([inside, outside]), target)
    assert m.high_quality_fraction == 0.5 and m.modes_captured == 1
    far = target.sample(500, seed=0) * 0.5  # all inside the ring, ~0.5 from every mean
    m_far = mode_metrics(far, target)
    assert m_far.modes_captured == 0 and m_far.high_quality_fraction == 0.0
    assert m_far.reverse_kl == math.inf  # no HQ sample: documented as inf
    assert m_far.histogram.sum() == 0
    # The alternative histogram counts every sample by its nearest mode: finite KL
    m_all = mode_metrics(far, target, count="all")
    assert m_all.histogram.sum() == 500 and np.isfinite(m_all.reverse_kl)
    assert m_all.modes_captured == 0  # capture always needs an HQ sample
    # A larger radius makes them high quality
    assert mode_metrics(far, target, n_std=60.0).high_quality_fraction == 1.0


def test_histogram_counts_all_versus_high_quality():
    target = ring()
    hq = np.repeat(target.means[:2], 10, axis=0)  # 10 HQ on modes 0 and 1
    junk = np.repeat(target.means[[0]] * 1.2, 20, axis=0)  # 20 LQ nearest mode 0
    x = np.concatenate([hq, junk])
    m_hq = mode_metrics(x, target)
    m_all = mode_metrics(x, target, count="all")
    assert m_hq.histogram.tolist()[:2] == [10, 10]
    assert m_all.histogram.tolist()[:2] == [30, 10]
    assert m_hq.reverse_kl == pytest.approx(math.log(4))
    assert m_all.reverse_kl == pytest.approx(0.75 * math.log(6) + 0.25 * math.log(2))
    assert m_hq.high_quality_fraction == m_all.high_quality_fraction == 0.5


def test_ties_go_to_the_first_mean():
    m = mode_metrics([[0.0]], means=[-1.0, 1.0], std=1.0)
    assert m.histogram.tolist() == [1, 0]


# -- many seeds in one call -----------------------------------------------------------------
def test_stack_equals_separate_calls():
    target = grid()
    rng = np.random.default_rng(5)
    sets = [
        target.sample(300, seed=1),
        target.sample(300, seed=2) + 0.1,  # 2 std off: fewer HQ
        np.repeat(target.means[:4], 75, axis=0),
        rng.uniform(-5, 5, size=(300, 2)),  # mostly low quality
        np.full((300, 2), 100.0),  # nothing HQ: KL = inf
    ]
    stack = mode_metrics(np.stack(sets), target)
    assert stack.n_seeds == 5
    assert stack.modes_captured.shape == stack.reverse_kl.shape == (5,)
    assert stack.histogram.shape == (5, 25)
    for i, s in enumerate(sets):
        one = mode_metrics(s, target)
        assert stack.modes_captured[i] == one.modes_captured
        assert stack.high_quality_fraction[i] == one.high_quality_fraction
        assert stack.reverse_kl[i] == one.reverse_kl  # also inf == inf
        np.testing.assert_array_equal(stack.histogram[i], one.histogram)
        again = stack.seed(i)
        assert repr(again) == repr(one)
    assert stack.reverse_kl[4] == math.inf
    assert one.n_seeds is None
    with pytest.raises(ValueError, match="i must be < 5"):
        stack.seed(5)
    with pytest.raises(ValueError, match="stack"):
        one.seed(0)


def test_one_dimensional_inputs_and_stacks():
    target = bimodal()
    x = target.sample(400, seed=0)
    a = mode_metrics(x, target)
    b = mode_metrics(x[:, 0], target)  # (n,) in 1-D
    c = mode_metrics(x[None], target)  # (1, n, 1) stack
    assert repr(a) == repr(b) == repr(c.seed(0))
    with pytest.raises(ValueError, match=r"samples must have shape .*\(M, n, 1\)"):
        mode_metrics(np.zeros((3, 400)), target)  # a 1-D stack must keep its coordinate axis


def test_repr_is_readable():
    target = ring()
    single = mode_metrics(np.repeat(target.means, 2500 // 8 + 1, axis=0)[:2500], target)
    # 313 samples on modes 0..6 and 309 on mode 7
    kl = 7 * 313 / 2500 * math.log(313 * 8 / 2500) + 309 / 2500 * math.log(309 * 8 / 2500)
    assert single.reverse_kl == pytest.approx(kl, rel=1e-12)
    assert f"{kl:.4g}" == "8.989e-06"
    assert repr(single) == (
        "ModeMetrics(modes_captured=8/8, high_quality=100.00%, reverse_kl=8.989e-06, "
        "n_samples=2500)"
    )
    # seeds: 4 modes evenly (KL log 2 = 0.6931), 2 modes 3:1 (KL .75 log 6 + .25 log 2 = 1.5171)
    stack = mode_metrics(np.stack([target.means[:4], target.means[[0, 0, 0, 1]]]), target)
    assert repr(stack) == (
        "ModeMetrics(seeds=2, modes_captured=3.0 ± 1.0 /8, high_quality=100.00 ± 0.00%, "
        "reverse_kl=1.1051 ± 0.4120, n_samples=4 (fewer than the protocol's 2500))"
    )


# -- errors -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("samples", "kwargs", "error", "match"),
    [
        (np.zeros((10, 3)), {}, ValueError, r"samples must have shape \(n, 2\).*\(10, 3\)"),
        (np.zeros((2, 3, 4, 2)), {}, ValueError, "samples must have shape"),
        (np.zeros(10), {}, ValueError, "samples must have shape"),
        (np.zeros((0, 2)), {}, ValueError, "at least one sample"),
        (np.zeros((3, 0, 2)), {}, ValueError, "at least one sample"),
        (np.zeros((0, 5, 2)), {}, ValueError, "at least one sample"),
        ([[0.0, np.nan]], {}, ValueError, "samples must be finite"),
        ([[0.0, np.inf]], {}, ValueError, "samples must be finite"),
        ([["a", "b"]], {}, TypeError, "samples must be an array of real numbers"),
        (np.zeros((4, 2)), {"n_std": 0.0}, ValueError, "n_std must be a finite number > 0"),
        (np.zeros((4, 2)), {"n_std": -3.0}, ValueError, "n_std"),
        (np.zeros((4, 2)), {"n_std": np.inf}, ValueError, "n_std"),
        (np.zeros((4, 2)), {"n_std": np.nan}, ValueError, "n_std"),
        (np.zeros((4, 2)), {"n_std": "3"}, TypeError, "n_std"),
        (np.zeros((4, 2)), {"n_std": True}, TypeError, "n_std"),
        (np.zeros((4, 2)), {"count": "hq"}, ValueError, "count must be one of"),
    ],
)
def test_errors_name_the_argument(samples, kwargs, error, match):
    with pytest.raises(error, match=match):
        mode_metrics(samples, ring(), **kwargs)


def test_target_errors():
    x = np.zeros((4, 2))
    aniso = GaussianMixture([0.5, 0.5], [[0.0, 0.0], [3.0, 0.0]], [[1.0, 1.0], [1.0, 2.0]])
    with pytest.raises(ValueError, match="isotropic components.*component 1"):
        mode_metrics(x, aniso)
    with pytest.raises(TypeError, match="target must be a GaussianMixture"):
        mode_metrics(x, Uniform([0.0, 0.0], [1.0, 1.0]))
    with pytest.raises(ValueError, match="not both"):
        mode_metrics(x, ring(), means=ring().means, std=0.01)
    with pytest.raises(ValueError, match="give a target"):
        mode_metrics(x)
    with pytest.raises(ValueError, match="give a target"):
        mode_metrics(x, means=ring().means)
    with pytest.raises(ValueError, match=r"std must be a scalar or have shape \(8,\)"):
        mode_metrics(x, means=ring().means, std=[0.1, 0.2])
    with pytest.raises(ValueError, match="std must be strictly positive"):
        mode_metrics(x, means=ring().means, std=0.0)
    with pytest.raises(ValueError, match=r"weights must have shape \(8,\)"):
        mode_metrics(x, means=ring().means, std=0.1, weights=[0.5, 0.5])
    with pytest.raises(ValueError, match="weights must sum to 1"):
        mode_metrics(x, means=ring().means, std=0.1, weights=np.ones(8))
    with pytest.raises(ValueError, match=r"samples must have shape \(n, 3\)"):
        mode_metrics(x, means=np.zeros((2, 3)), std=1.0)


def test_isotropic_components_may_have_different_radii():
    target = GaussianMixture([0.5, 0.5], [[0.0, 0.0], [10.0, 0.0]], [0.01, 1.0])  # std 0.1, 1
    x = np.array([[0.29, 0.0], [10.0, 2.9], [0.31, 0.0]])
    m = mode_metrics(x, target)
    assert m.high_quality_fraction == pytest.approx(2 / 3)
    assert m.histogram.tolist() == [1, 1]


# -- exact W1 in 1-D -------------------------------------------------------------------------
TARGETS_1D = [
    Gaussian(0.3, 2.0),
    GaussianMixture([0.2, 0.5, 0.3], [-3.0, 0.0, 4.0], [0.25, 1.0, 0.04]),
    Uniform(-1.0, 2.0),
]


@pytest.mark.parametrize("target", TARGETS_1D, ids=["gaussian", "mixture", "uniform"])
@pytest.mark.parametrize("n", [1, 2, 7, 300])
def test_w1_matches_quadrature_of_the_core(target, n):
    rng = np.random.default_rng(n)
    x = rng.normal(0.0, 3.0, size=n)
    if n > 2:
        x[:3] = x[3]  # ties
    exact = w1_to_target_1d(x, target)
    core = wasserstein1(x, target, atol=1e-11)
    assert exact == pytest.approx(core.value, abs=1e-9 + core.error)


def test_w1_point_mass_closed_form():
    # W1(delta_v, N(mu, s^2)) = E|X - v| = s (2 phi(z) + z (2 Phi(z) - 1)), z = (v - mu)/s
    mu, s = 0.4, 1.7
    for v in (-3.0, 0.4, 2.5):
        z = (v - mu) / s
        expected = s * (2 * stats.norm.pdf(z) + z * (2 * stats.norm.cdf(z) - 1))
        assert w1_to_target_1d(np.full(9, v), Gaussian(mu, s * s)) == pytest.approx(
            expected, rel=1e-13
        )


def test_w1_of_a_shifted_sample_set():
    target = Gaussian(0.0, 1.0)
    x = target.sample(2000, seed=4)[:, 0]
    base = w1_to_target_1d(x, target)
    for delta in (0.5, 3.0, -10.0):
        shifted = w1_to_target_1d(x + delta, target)
        # translation invariance: shifting samples and target together changes nothing
        assert w1_to_target_1d(x + delta, Gaussian(delta, 1.0)) == pytest.approx(base, abs=1e-12)
        # triangle inequality with W1(N(delta, 1), N(0, 1)) = |delta|
        assert abs(shifted - abs(delta)) <= base + 1e-12
    # samples right of all the mass of a uniform: F_n <= F, so W1 = mean(x) - E[X] exactly
    u = Uniform(0.0, 1.0)
    far = np.linspace(1.0, 3.0, 11)
    assert w1_to_target_1d(far, u) == pytest.approx(far.mean() - 0.5, rel=1e-14)
    # empirical W1 shrinks like 1/sqrt(n)
    assert base < 0.1


def test_w1_stacks_and_shapes():
    target = TARGETS_1D[1]
    x = target.sample(500, seed=0)  # (n, 1)
    stack = np.stack([x, x + 1.0, x * 2.0])
    out = w1_to_target_1d(stack, target)
    assert out.shape == (3,)
    for i in range(3):
        assert out[i] == w1_to_target_1d(stack[i], target) == w1_to_target_1d(stack[i, :, 0],
                                                                               target)
    assert isinstance(w1_to_target_1d(x, target), float)


def test_w1_errors():
    with pytest.raises(ValueError, match=r"samples must have shape \(n, 1\)"):
        w1_to_target_1d(np.zeros((5, 2)), Gaussian(0.0, 1.0))
    with pytest.raises(ValueError, match="target must be 1-D"):
        w1_to_target_1d(np.zeros((5, 2)), Gaussian([0.0, 0.0], 1.0))
    with pytest.raises(TypeError, match="target must be a gantheory distribution"):
        w1_to_target_1d([0.0], "normal")
    with pytest.raises(ValueError, match="at least one sample"):
        w1_to_target_1d([], Gaussian(0.0, 1.0))
    with pytest.raises(ValueError, match="samples must be finite"):
        w1_to_target_1d([0.0, np.nan], Gaussian(0.0, 1.0))
