"""Every bad input raises ValueError or TypeError whose message names the argument."""

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
