"""Every bad input raises ValueError or TypeError whose message names the argument."""

import re

import numpy as np
import pytest

import gantheory as g

P1, Q2 = g.Gaussian(0.0, 1.0), g.Gaussian([0.0, 0.0], 1.0)


@pytest.mark.parametrize(
    "build, error, fragment",
    [
        (
            lambda: g.GaussianMixture([-0.5, 1.5], [0.0, 1.0], 1.0),
            ValueError,
            "weights must be non",
        ),
        (
            lambda: g.GaussianMixture([0.5, 0.6], [0.0, 1.0], 1.0),
            ValueError,
            "weights must sum to 1",
        ),
        (lambda: g.Gaussian([0.0, 0.0], [[1.0, 0.5], [0.2, 1.0]]), ValueError, "must be symmetric"),
        (lambda: g.Gaussian([0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]]), ValueError, "positive definite"),
        (lambda: g.Gaussian(0.0, 0.0), ValueError, "cov must be a strictly positive"),
        (lambda: g.Gaussian(0.0, -1.0), ValueError, "cov"),
        (lambda: g.GaussianMixture([1.0], [0.0], [0.0]), ValueError, "covs[0]"),
        (lambda: g.Gaussian(np.nan, 1.0), ValueError, "mean must be finite"),
        (lambda: g.Gaussian(0.0, np.inf), ValueError, "cov must be finite"),
        (lambda: g.GaussianMixture([1.0], [[0, 0]], [1.0, 2.0, 3.0]), ValueError, "covs must have"),
        (lambda: g.Uniform(1.0, 0.0), ValueError, "high must exceed low"),
        (lambda: g.LineUniform([0.0, 0.0], [0.0, 0.0]), ValueError, "start and end must differ"),
        (lambda: g.Gaussian("a", 1.0), TypeError, "mean"),
        (lambda: P1.sample(-1), ValueError, "n must be >= 0"),
        (lambda: P1.sample(2.5), TypeError, "n must be an integer"),
        (lambda: Q2.logpdf([1.0, 2.0, 3.0]), ValueError, "x must have its last axis of length 2"),
    ],
)
def test_bad_distribution_arguments(build, error, fragment):
    with pytest.raises(error) as info:
        build()
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "fn", [g.kl, g.jsd, g.tv, g.hellinger2, g.cross_entropy, g.optimal_discriminator,
           g.training_criterion],
)
def test_different_dimensions(fn):
    with pytest.raises(ValueError, match="same dimension"):
        fn(P1, Q2)


def test_bad_options():
    with pytest.raises(ValueError, match="method must be one of"):
        g.kl(P1, P1, method="simpson")
    with pytest.raises(ValueError, match="f must be one of"):
        g.f_divergence(P1, P1, "hellinger")
    with pytest.raises(ValueError, match="atol must be a finite positive number"):
        g.kl(P1, g.Gaussian(1.0, 1.0), method="quadrature", atol=-1.0)
    with pytest.raises(TypeError, match="p must be a gantheory distribution"):
        g.kl(np.zeros(3), P1)
    with pytest.raises(ValueError, match="no closed form"):
        g.jsd(P1, g.Gaussian(1.0, 1.0), method="closed_form")


def test_discriminator_outside_unit_interval():
    with pytest.raises(ValueError, match=r"D must return values strictly inside \(0, 1\)"):
        g.value_function(P1, P1, lambda x: np.ones(len(x)))
    with pytest.raises(TypeError, match="D must be callable"):
        g.value_function(P1, P1, 0.5)
    line, gauss = g.LineUniform([0, 0], [1, 1]), Q2
    with pytest.raises(ValueError, match="p_data .* has no density"):
        g.optimal_discriminator(line, gauss)


# -- additions ------------------------------------------------------------------------------
P2 = g.Gaussian([0.0, 0.0], [[1.0, 0.2], [0.2, 1.0]])


@pytest.mark.parametrize(
    "build, error, fragment",
    [
        (lambda: g.GaussianMixture([0.5, np.nan], [0.0, 1.0], 1.0), ValueError,
         "weights must be finite"),
        (lambda: g.GaussianMixture([0.5, 0.5], [0.0, np.inf], 1.0), ValueError,
         "means must be finite"),
        (lambda: g.GaussianMixture([0.5, 0.5], [0.0, 1.0], [1.0, np.nan]), ValueError,
         "covs must be finite"),
        (lambda: g.GaussianMixture([], [], 1.0), ValueError, "weights must be a non-empty"),
        (lambda: g.GaussianMixture([0.5, 0.5], [0.0, 1.0, 2.0], 1.0), ValueError, "means must"),
        (lambda: g.GaussianMixture([0.5, 0.5], [0.0, 1.0], [1.0, -2.0]), ValueError,
         "covs[1] must be positive definite"),
        (lambda: g.GaussianMixture([1.0], [[0.0, 0.0]], [[[1.0, 0.3], [0.0, 1.0]]]), ValueError,
         "covs[0] must be symmetric"),
        (lambda: g.Gaussian([0.0, 0.0], [1.0, 0.0]), ValueError, "must be positive definite"),
        (lambda: g.Gaussian([0.0, 0.0], [1.0, -1.0]), ValueError, "must be positive definite"),
        (lambda: g.Gaussian([0.0, 0.0], -1.0), ValueError, "must be positive definite"),
        (lambda: g.Gaussian([0.0, 0.0], np.eye(3)), ValueError, "cov must be a scalar or have"),
        (lambda: g.Gaussian([[0.0]], 1.0), ValueError, "mean must be a scalar or a non-empty 1-D"),
        (lambda: g.Gaussian(0.0, "x"), TypeError, "cov must be an array of real numbers"),
        (lambda: g.Uniform(np.nan, 1.0), ValueError, "low must be finite"),
        (lambda: g.Uniform(0.0, np.inf), ValueError, "high must be finite"),
        (lambda: g.Uniform([0.0, 0.0], [1.0]), ValueError, "low and high must be 1-D arrays"),
        (lambda: g.Uniform([0.0, 1.0], [1.0, 1.0]), ValueError, "high must exceed low"),
        (lambda: g.LineUniform([0.0], [1.0]), ValueError, "start must have at least 2"),
        (lambda: g.LineUniform([0.0, np.nan], [1.0, 1.0]), ValueError, "start must be finite"),
        (lambda: g.Gaussian(0.0, 1.0).logpdf(np.nan), ValueError, "x must be finite"),
        (lambda: P2.logpdf([[1.0]]), ValueError, "x must have its last axis of length 2"),
        (lambda: P2.score([1.0, 2.0, 3.0]), ValueError, "x must have its last axis"),
        (lambda: P2.cdf([[0.0, 0.0]]), ValueError, "cdf is defined for 1-D"),
        (lambda: P2.sample(True), TypeError, "n must be an integer"),
        (lambda: P2.sample("5"), TypeError, "n must be an integer"),
        (lambda: g.Uniform(0.0, 1.0).sample(-3), ValueError, "n must be >= 0"),
        (lambda: g.LineUniform([0, 0], [1, 1]).sample(1.0), TypeError, "n must be an integer"),
    ],
)
def test_more_bad_distribution_arguments(build, error, fragment):
    with pytest.raises(error) as info:
        build()
    assert fragment in str(info.value)


def _f_pearson(p, q):
    return g.f_divergence(p, q, "pearson")


def _value_function_half(p, q):
    return g.value_function(p, q, lambda x: np.full(len(x), 0.5))


@pytest.mark.parametrize(
    "fn",
    [g.kl, g.jsd, g.tv, g.hellinger2, _f_pearson, _value_function_half, g.w2_gaussian,
     g.cross_entropy],
    ids=["kl", "jsd", "tv", "hellinger2", "f_divergence", "value_function", "w2_gaussian",
         "cross_entropy"],
)
def test_mismatched_dimensions_name_both_arguments(fn):
    with pytest.raises(ValueError) as info:
        fn(P1, Q2)
    message = str(info.value)
    assert "same dimension" in message
    assert ("p.dim=1" in message and "q.dim=2" in message) or (
        "p_data.dim=1" in message and "p_g.dim=2" in message)


@pytest.mark.parametrize("fn", [g.kl, g.jsd, g.tv, g.hellinger2, g.cross_entropy])
def test_bad_method_names_the_argument(fn):
    with pytest.raises(ValueError, match="method must be one of .*'quadrature'.*got 'exact'"):
        fn(P1, g.Gaussian(1.0, 1.0), method="exact")


def test_bad_numerical_options_name_the_argument():
    q = g.Gaussian(1.0, 2.0)
    with pytest.raises(ValueError, match="n_samples must be >= 4"):
        g.kl(P1, q, method="monte_carlo", n_samples=2)
    with pytest.raises(TypeError, match="n_samples must be an integer"):
        g.kl(P1, q, method="monte_carlo", n_samples=1e5)
    with pytest.raises(TypeError, match="atol must be a positive number"):
        g.kl(P1, q, method="quadrature", atol="small")
    with pytest.raises(ValueError, match="atol must be a finite positive number"):
        g.jsd(P1, q, method="quadrature", atol=np.inf)
    with pytest.raises(ValueError, match="method must be one of"):
        g.value_function(P1, q, lambda x: np.full(len(x), 0.5), method="trapezoid")
    with pytest.raises(ValueError, match="method='closed_form' is not available"):
        g.value_function(P1, q, lambda x: np.full(len(x), 0.5), method="closed_form")
    with pytest.raises(ValueError, match="base must differ from 1"):
        g.jsd(P1, q, base=1)
    with pytest.raises(ValueError, match="base must be a finite positive number"):
        g.jsd(P1, q, base=-2.0)
    with pytest.raises(ValueError, match="method='quadrature' is available in 1-D and 2-D"):
        g.kl(g.GaussianMixture([1.0], [[0, 0, 0]], 1.0), g.Gaussian([0, 0, 0], 2.0),
             method="quadrature")


@pytest.mark.parametrize("f", ["hellinger", "KL", "", None, 3])
def test_bad_f_names(f):
    with pytest.raises(ValueError, match="f must be one of .*'total_variation'"):
        g.f_divergence(P1, P1, f)


@pytest.mark.parametrize(
    "bad", [lambda x: np.zeros(len(x)), lambda x: np.full(len(x), 1.2),
            lambda x: np.full(len(x), np.inf), lambda x: np.full(len(x), np.nan)],
    ids=["zero", "above one", "inf", "nan"],
)
def test_discriminator_values_outside_the_open_interval_name_d(bad):
    with pytest.raises(ValueError, match=r"^D must return"):
        g.value_function(P1, g.Gaussian(0.5, 1.0), bad)


def test_non_distributions_are_type_errors_naming_the_argument():
    with pytest.raises(TypeError, match="q must be a gantheory distribution"):
        g.jsd(P1, [0.0, 1.0])
    with pytest.raises(TypeError, match="p_data must be a gantheory distribution"):
        g.training_criterion("data", P1)
    with pytest.raises(TypeError, match="p_g must be a gantheory distribution"):
        g.optimal_discriminator(P1, None)
    with pytest.raises(ValueError, match="p must be 1-D for wasserstein1"):
        g.wasserstein1(Q2, P1)
    with pytest.raises(ValueError, match="q must be a 1-D distribution or a non-empty array"):
        g.wasserstein1(P1, np.zeros((3, 2)))
    with pytest.raises(ValueError, match="q must be finite"):
        g.wasserstein1(P1, [0.0, np.nan])


@pytest.mark.parametrize(
    "build, fragment",
    [
        (lambda: __import__("gantheory.presets").presets.ring(n_modes=0), "n_modes must be >= 1"),
        (lambda: __import__("gantheory.presets").presets.ring(std=0.0), "std must be strictly"),
        (lambda: __import__("gantheory.presets").presets.grid(spacing=-1.0), "spacing must be"),
        (lambda: __import__("gantheory.presets").presets.bimodal(weight=1.0), "weight must lie"),
        (lambda: __import__("gantheory.presets").presets.disjoint_uniforms(gap=0.0),
         "gap must be strictly"),
        (lambda: __import__("gantheory.presets").presets.line_and_gaussian(length=-1.0),
         "length must be strictly"),
        (lambda: __import__("gantheory.presets").presets.parallel_lines(np.nan),
         "theta must be finite"),
    ],
)
def test_bad_preset_arguments(build, fragment):
    with pytest.raises(ValueError, match=fragment):
        build()


@pytest.mark.parametrize(
    "cov",
    [[1.0, 0.0], -1.0, [[1.0, 2.0], [2.0, 1.0]], [[1.0, 0.5], [0.2, 1.0]]],
    ids=["zero variance", "negative scalar", "indefinite", "non-symmetric"],
)
def test_gaussian_cov_errors_name_cov(cov):
    with pytest.raises(ValueError, match=r"^cov must be"):
        g.Gaussian([0.0, 0.0], cov)


# -- seeds and empty parameters (issue: every bad input a clear line) ---------------------------
@pytest.mark.parametrize("seed, error, fragment", [
    ("abc", TypeError, "seed must be an integer >= 0, None or a numpy.random.Generator"),
    (1.5, TypeError, "seed must be an integer >= 0"),
    (True, TypeError, "seed must be an integer >= 0"),
    (-1, ValueError, "seed must be an integer >= 0; got -1"),
])
def test_sample_names_a_bad_seed(seed, error, fragment):
    from gantheory import Gaussian

    with pytest.raises(error, match=re.escape(fragment)):
        Gaussian(0.0, 1.0).sample(3, seed=seed)


def test_sample_accepts_an_int_a_numpy_int_none_or_a_generator():
    import numpy as np

    from gantheory import Gaussian

    p = Gaussian(0.0, 1.0)
    assert np.array_equal(p.sample(4, seed=3), p.sample(4, seed=np.int64(3)))
    assert np.array_equal(p.sample(4, seed=np.random.default_rng(3)), p.sample(4, seed=3))
    assert p.sample(4, seed=None).shape == (4, 1)


@pytest.mark.parametrize("build, fragment", [
    (lambda g: g.Gaussian([], 1.0), "mean must be a scalar or a non-empty 1-D array"),
    (lambda g: g.GaussianMixture([1.0], [[]], 1.0), "means must have shape (1, d) with d >= 1"),
])
def test_empty_parameters_are_named(build, fragment):
    import gantheory

    with pytest.raises(ValueError, match=re.escape(fragment)):
        build(gantheory)
