import numpy as np
import pytest
import torch
from torch import distributions as D

import gantheory as g
from gantheory import vae_kl
from gantheory.losses import vae

torch.manual_seed(0)
MU = torch.randn(5, 3, dtype=torch.float64)
LOGVAR = torch.randn(5, 3, dtype=torch.float64) * 0.5


def test_kl_matches_numpy_core_registry_and_torch_distributions():
    ours = float(vae.gaussian_kl_standard(MU, LOGVAR))
    numpy_path = vae_kl.gaussian_kl_standard(MU.numpy(), LOGVAR.numpy()).mean()
    registry = np.mean([
        g.kl(g.Gaussian(m, np.exp(s)), g.Gaussian(np.zeros(3), 1.0)).value
        for m, s in zip(MU.numpy(), LOGVAR.numpy(), strict=True)
    ])
    q = D.Normal(MU, torch.exp(0.5 * LOGVAR))
    p = D.Normal(torch.zeros_like(MU), torch.ones_like(MU))
    torch_dist = float(D.kl_divergence(q, p).sum(dim=1).mean())
    assert ours == pytest.approx(numpy_path, rel=1e-13)
    assert ours == pytest.approx(registry, rel=1e-12)
    assert ours == pytest.approx(torch_dist, rel=1e-12)


def test_kl_reduction_sums_latents_and_averages_batch():
    mu = torch.zeros(4, 6, dtype=torch.float64)
    mu[0, :] = 1.0  # one sample, six latent dims with mu = 1: KL = 6 * 1/2 = 3
    assert float(vae.gaussian_kl_standard(mu, torch.zeros_like(mu))) == pytest.approx(3 / 4)


def test_kl_autograd_gradients_are_mu_and_sigma_minus_inverse_sigma():
    mu = MU[:1].clone().requires_grad_(True)
    sigma = torch.exp(0.5 * LOGVAR[:1]).clone().requires_grad_(True)
    value = vae.gaussian_kl_standard(mu, torch.log(sigma**2))
    d_mu, d_sigma = torch.autograd.grad(value, (mu, sigma))
    torch.testing.assert_close(d_mu, mu.detach())
    torch.testing.assert_close(d_sigma, sigma.detach() - 1 / sigma.detach())


def test_general_kl_reduces_to_standard_and_matches_torch():
    zeros = torch.zeros_like(MU)
    torch.testing.assert_close(vae.gaussian_kl(MU, LOGVAR, zeros, zeros),
                               vae.gaussian_kl_standard(MU, LOGVAR))
    mu_p, logvar_p = torch.randn_like(MU), torch.randn_like(MU) * 0.3
    q = D.Normal(MU, torch.exp(0.5 * LOGVAR))
    p = D.Normal(mu_p, torch.exp(0.5 * logvar_p))
    expected = D.kl_divergence(q, p).sum(dim=1).mean()
    torch.testing.assert_close(vae.gaussian_kl(MU, LOGVAR, mu_p, logvar_p), expected)


def test_likelihoods_against_torch_distributions():
    logits = torch.randn(4, 10, dtype=torch.float64) * 5
    x = (torch.rand(4, 10, dtype=torch.float64) > 0.5).double()
    expected = D.Bernoulli(logits=logits).log_prob(x).sum(dim=1).mean()
    torch.testing.assert_close(vae.bernoulli_log_likelihood(logits, x), expected)
    mean = torch.randn(4, 10, dtype=torch.float64)
    for logvar in (0.0, torch.randn(4, 10, dtype=torch.float64)):
        s = torch.as_tensor(logvar, dtype=torch.float64)
        expected = D.Normal(mean, torch.exp(0.5 * s)).log_prob(x).sum(dim=1).mean()
        torch.testing.assert_close(vae.gaussian_log_likelihood(mean, x, logvar), expected)


def test_gradcheck_float64():
    mu = MU[:2].clone().requires_grad_(True)
    logvar = LOGVAR[:2].clone().requires_grad_(True)
    assert torch.autograd.gradcheck(vae.gaussian_kl_standard, (mu, logvar))
    mp, lp = torch.randn_like(mu, requires_grad=True), torch.randn_like(mu, requires_grad=True)
    assert torch.autograd.gradcheck(vae.gaussian_kl, (mu, logvar, mp, lp))
    x = torch.rand(2, 3, dtype=torch.float64)
    assert torch.autograd.gradcheck(vae.bernoulli_log_likelihood, (mu, x))
    assert torch.autograd.gradcheck(vae.gaussian_log_likelihood, (mu, x, logvar))


def test_reparameterize_moments_and_no_silent_nan():
    mu = torch.full((200_000, 1), 2.0, dtype=torch.float64)
    logvar = torch.full((200_000, 1), np.log(0.25), dtype=torch.float64)
    z = vae.reparameterize(mu, logvar, generator=torch.Generator().manual_seed(0))
    assert float(z.mean()) == pytest.approx(2.0, abs=0.005)  # s.e. 0.5 / sqrt(2e5) = 0.0011
    assert float(z.std()) == pytest.approx(0.5, rel=0.01)
    with pytest.raises(ValueError, match="logvar must be finite"):
        vae.gaussian_kl_standard(MU, torch.full_like(MU, float("inf")))
    huge = torch.full((1, 1), 1e4, dtype=torch.float64)
    z = vae.reparameterize(torch.zeros(1, 1, dtype=torch.float64), huge, max_logvar=10.0)
    assert torch.isfinite(z).all()


def test_elbo_and_bad_input():
    assert float(vae.elbo(torch.tensor(-90.0), torch.tensor(10.0), beta=2.0)) == -110.0
    with pytest.raises(ValueError, match="beta must be >= 0"):
        vae.elbo(torch.tensor(0.0), torch.tensor(0.0), beta=-1.0)
    with pytest.raises(ValueError, match="mu and logvar must have the same shape"):
        vae.gaussian_kl_standard(MU, LOGVAR[:, :2])
    with pytest.raises(TypeError, match="mu must be a floating-point tensor"):
        vae.gaussian_kl_standard(MU.long(), LOGVAR)
    with pytest.raises(ValueError, match="mu must have a batch axis"):
        vae.gaussian_kl_standard(MU[0], LOGVAR[0])
