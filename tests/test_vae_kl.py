import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gantheory.vae_kl import (
    gaussian_kl_standard,
    gaussian_kl_standard_grad,
    gaussian_kl_standard_sigma_grad,
    lecture_form,
)

vectors = st.lists(st.floats(-3, 3), min_size=1, max_size=6)


def _kl_by_hand(mu, sigma):
    # Textbook per-dimension KL(N(m, s^2) || N(0, 1)) = log(1/s) + (s^2 + m^2)/2 - 1/2
    return np.sum(np.log(1 / sigma) + (sigma**2 + mu**2) / 2 - 0.5)


@given(vectors, st.data())
def test_kl_matches_textbook(mu, data):
    mu = np.array(mu)
    sigma = np.array(data.draw(st.lists(st.floats(0.05, 5), min_size=mu.size, max_size=mu.size)))
    value = gaussian_kl_standard(mu, np.log(sigma**2))
    assert value == pytest.approx(_kl_by_hand(mu, sigma), rel=1e-12, abs=1e-12)
    assert lecture_form(mu, np.log(sigma**2)) == pytest.approx(2 * value, rel=1e-12, abs=1e-12)


def test_batch_shape_sums_over_last_axis_only():
    mu = np.zeros((3, 5))
    logvar = np.zeros((3, 5))
    mu[1, 2] = 2.0
    out = gaussian_kl_standard(mu, logvar)
    assert out.shape == (3,)
    np.testing.assert_allclose(out, [0.0, 2.0, 0.0])


def test_gradients_by_finite_differences():
    mu, logvar = np.array([0.3, -1.0]), np.array([0.2, -0.7])
    d_mu, d_s = gaussian_kl_standard_grad(mu, logvar)
    h = 1e-6
    for i in range(2):
        e = np.eye(2)[i] * h
        kl = gaussian_kl_standard
        fd_mu = (kl(mu + e, logvar) - kl(mu - e, logvar)) / (2 * h)
        fd_s = (kl(mu, logvar + e) - kl(mu, logvar - e)) / (2 * h)
        assert d_mu[i] == pytest.approx(fd_mu, abs=1e-8)
        assert d_s[i] == pytest.approx(fd_s, abs=1e-8)
    sigma = np.exp(0.5 * logvar)
    _, d_sigma = gaussian_kl_standard_sigma_grad(mu, sigma)
    np.testing.assert_allclose(d_sigma, sigma - 1 / sigma)


def test_bad_input():
    with pytest.raises(ValueError, match="mu and logvar"):
        gaussian_kl_standard([0.0, 1.0], [0.0])
    with pytest.raises(ValueError, match="sigma"):
        gaussian_kl_standard_sigma_grad([0.0], [0.0])
    with pytest.raises(ValueError, match="logvar"):
        gaussian_kl_standard([0.0], [np.nan])
