"""The VAE's importance-sampled NLL against the exact marginal likelihood of a tiny model."""

import math

import numpy as np
import pytest
import torch
from scipy import integrate, special

from gantheory.images.evaluation import vae_nll

A = torch.tensor([2.0, -1.5, 0.5], dtype=torch.float64)  # decoder logits a_i z + b_i
B = torch.tensor([0.3, 0.2, -1.0], dtype=torch.float64)


class LinearVAE:
    """1-D latent, 3 Bernoulli pixels; q(z|x) = N(0.2, 0.9) for every x (any q with full
    support gives a consistent estimate; this one keeps the weights' spread small)."""

    def encode(self, x):
        n = len(x)
        return torch.full((n, 1), 0.2, dtype=torch.float64), torch.full(
            (n, 1), math.log(0.9), dtype=torch.float64)

    def decode(self, z):  # (N, 1) -> (N, 1, 1, 3)
        return (z * A + B).reshape(-1, 1, 1, 3)


def exact_log_marginal(x):
    a, b = A.numpy(), B.numpy()

    def integrand(z):
        logits = a * z + b
        ll = np.sum(x * special.log_expit(logits) + (1 - x) * special.log_expit(-logits))
        return math.exp(ll - 0.5 * z * z) / math.sqrt(2 * math.pi)

    value, _ = integrate.quad(integrand, -12, 12, epsabs=1e-13)
    return math.log(value)


def test_iwae_nll_converges_to_the_exact_marginal_likelihood():
    images = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]], dtype=torch.float64)
    images = images.reshape(2, 1, 1, 3)
    exact = -np.mean([exact_log_marginal(x.numpy().ravel()) for x in images])
    tight = vae_nll(LinearVAE(), images, k=200_000, chunk=50_000, binarize=False)
    loose = vae_nll(LinearVAE(), images, k=1, binarize=False, seed=1)
    # K = 200000: the weights' relative spread is about 1 here, so the Monte Carlo error of
    # log(mean w) is about 1/sqrt(K) = 2e-3 nats; 1e-2 is five of those
    assert tight.nll == pytest.approx(exact, abs=1e-2)
    assert loose.nll > tight.nll + 0.05  # K = 1, the ELBO: looser by the posterior gap


def test_argument_errors():
    with pytest.raises(ValueError, match="k must be an integer >= 1"):
        vae_nll(LinearVAE(), torch.zeros(1, 1, 1, 3), k=0)
    with pytest.raises(ValueError, match="images must have shape"):
        vae_nll(LinearVAE(), torch.zeros(3, 3))
