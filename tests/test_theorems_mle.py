import numpy as np
import pytest
from hypothesis import given

from gantheory import Gaussian, GaussianMixture, cross_entropy, entropy, kl
from gantheory.testing.strategies import gaussians, mixtures
from gantheory.theorems import mle
from gantheory.theorems.base import Configuration

P_1D = GaussianMixture([0.3, 0.7], [-1.5, 1.0], [0.6**2, 0.9**2])


@pytest.mark.parametrize("theorem", mle.THEOREMS, ids=lambda t: t.key)
def test_theorem_passes(theorem):
    result = theorem.run()
    assert result.n_comparisons > 0
    assert result.passed, result.as_dict()


def test_key_and_configurations():
    assert [t.key for t in mle.THEOREMS] == ["kl-mle"]
    dims = {c["p"].dim for c in mle.KL_MLE.configurations}
    assert dims == {1, 2}


# -- independent values by hand ---------------------------------------------------------------
def test_maximum_likelihood_gaussian_by_hand():
    # 0.5 N(-1, 1/4) + 0.5 N(1, 1/4): mean 0, variance 1/4 + 1 = 5/4.
    p = GaussianMixture([0.5, 0.5], [-1.0, 1.0], [0.25, 0.25])
    q, ll = mle._maximum_likelihood_gaussian(p)
    assert q.mean[0] == pytest.approx(0.0, abs=1e-6)
    assert q.cov[0, 0] == pytest.approx(1.25, abs=1e-6)
    # E_p[log N(x; 0, 5/4)] = -1/2 log(2 pi 5/4) - 1/2
    assert ll == pytest.approx(-0.5 * np.log(2 * np.pi * 1.25) - 0.5, abs=1e-12)


def test_maximum_likelihood_gaussian_2d_by_hand():
    # Two components at (+-1, 0) with covariance I/4: cov = I/4 + diag(1, 0).
    p = GaussianMixture([0.5, 0.5], [[-1.0, 0.0], [1.0, 0.0]], 0.25)
    q, _ = mle._maximum_likelihood_gaussian(p)
    np.testing.assert_allclose(q.mean, [0.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(q.cov, [[1.25, 0.0], [0.0, 0.25]], atol=1e-6)


def test_mixture_rule_fourth_moment_by_hand():
    # mu_4 = sum_k w_k (d_k^4 + 6 d_k^2 s_k^2 + 3 s_k^4), d_k = mu_k - mean
    m = float(P_1D.mean[0])
    d = P_1D.means[:, 0] - m
    s2 = P_1D.covs[:, 0, 0]
    by_hand = float(P_1D.weights @ (d**4 + 6 * d**2 * s2 + 3 * s2**2))
    assert mle._mixture_expectation(P_1D, lambda x: (x[:, 0] - m) ** 4) == pytest.approx(
        by_hand, rel=1e-13
    )


def test_expected_log_gaussian_from_moments_by_hand():
    # p = N(0, 1), q = N(1, 4): E_p[log q] = -1/2 log(8 pi) - (1 + 1) / 8
    value = mle._expected_log_gaussian_from_moments(
        np.array([0.0]), np.array([[1.0]]), Gaussian(1.0, 4.0)
    )
    assert value == pytest.approx(-0.5 * np.log(8 * np.pi) - 0.25, abs=1e-15)


# -- the check can fail ---------------------------------------------------------------------
class _MissingSpread(GaussianMixture):
    """A mixture whose covariance forgets the spread of the component means (a classic bug)."""

    @property
    def cov(self):
        return np.einsum("k,kij->ij", self.weights, self.covs)


class _ShiftedMean(GaussianMixture):
    @property
    def mean(self):
        return self.weights @ self.means + 0.1


class _BiasedSampler(GaussianMixture):
    def sample(self, n, seed=None):
        return super().sample(n, seed) + 0.05


def _errors(config):
    return {c.label: c.error for c in mle.KL_MLE.check(config)}


def test_check_fails_on_a_wrong_covariance():
    p = _MissingSpread(P_1D.weights, P_1D.means, P_1D.covs)
    result = mle.KL_MLE.run((Configuration("wrong cov", {"p": p}),))
    assert not result.passed
    errors = _errors(Configuration("wrong cov", {"p": p}))
    # the true variance exceeds the within-component one by sum w (mu - m)^2 = 1.3125
    assert errors["argmax E_p[log q]: cov[0,0] vs Cov_p[x_0, x_0]"] == pytest.approx(
        1.3125, abs=1e-6
    )


def test_check_fails_on_a_wrong_mean():
    p = _ShiftedMean(P_1D.weights, P_1D.means, P_1D.covs)
    errors = _errors(Configuration("wrong mean", {"p": p, "others": (Gaussian(0.0, 1.0),)}))
    assert errors["argmax E_p[log q]: mean[0] vs E_p[x_0]"] == pytest.approx(0.1, abs=1e-6)
    # GaussianMixture.cov subtracts the square of the (wrong) mean m + 0.1, m = 0.25, so the
    # variance is off by 2 (0.1) m + 0.1^2 = 0.06 too.
    assert errors["argmax E_p[log q]: cov[0,0] vs Cov_p[x_0, x_0]"] == pytest.approx(
        0.06, abs=1e-6
    )


def test_check_fails_on_a_biased_sampler():
    p = _BiasedSampler(P_1D.weights, P_1D.means, P_1D.covs)
    config = Configuration("biased sampler", {"p": p, "sample_sizes": (100_000,), "seed": 0})
    errors = _errors(config)
    assert errors["n = 100000: |sample mean - E_p x| <= 4 sqrt(var / n)"] > 0.0
    assert not mle.KL_MLE.run((config,)).passed


def test_nan_makes_a_comparison_fail():
    from gantheory.theorems.base import Comparison

    assert Comparison("x", np.nan, 0.0, "<=").error == np.inf
    assert Comparison("x", 0.0, np.nan).error == np.inf
    assert Comparison("y", 1.0, 1.0).error == 0.0


# -- properties over random mixtures ----------------------------------------------------------
@given(mixtures(dim=1), gaussians(dim=1))
def test_log_likelihood_is_minus_entropy_minus_kl(p, q):
    ll = -cross_entropy(p, q).value
    assert ll == pytest.approx(-entropy(p).value - kl(p, q).value, abs=1e-8)
    from_moments = mle._expected_log_gaussian_from_moments(p.mean, p.cov, q)
    assert ll == pytest.approx(from_moments, abs=1e-8)


@given(mixtures(dim=1), gaussians(dim=1))
def test_pythagoras_for_the_moment_projection(p, q):
    q_star = Gaussian(p.mean, p.cov)
    assert kl(p, q).value == pytest.approx(
        kl(p, q_star).value + kl(q_star, q).value, abs=1e-8
    )


@given(mixtures(dim=1))
def test_check_passes_on_random_mixtures(p):
    result = mle.KL_MLE.run((Configuration("random", {"p": p}),))
    assert result.passed, result.as_dict()
