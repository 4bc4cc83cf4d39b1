"""GAN losses: exact forms, stability, gradcheck, bad input, and agreement with the numpy core."""

import numpy as np
import pytest
import torch
from scipy import special

import gantheory as g
from gantheory import losses
from gantheory.theorems import gradients

torch.manual_seed(0)
REAL = torch.randn(64, dtype=torch.float64) * 3
FAKE = torch.randn(48, dtype=torch.float64) * 3

TWO_ARG = [losses.minimax_d_loss, losses.lsgan_d_loss, losses.hinge_d_loss,
           losses.wasserstein_critic_loss]
ONE_ARG = [losses.minimax_g_loss, losses.non_saturating_g_loss, losses.lsgan_g_loss,
           losses.hinge_g_loss, losses.wasserstein_g_loss]


def test_values_match_numpy_formulas():
    r, f = REAL.numpy(), FAKE.numpy()
    log_d_real = -np.logaddexp(0, -r)  # log sigmoid
    log_1m_d_fake = -np.logaddexp(0, f)  # log(1 - sigmoid)
    expected = {
        losses.minimax_d_loss: -log_d_real.mean() - log_1m_d_fake.mean(),
        losses.lsgan_d_loss: 0.5 * ((r - 1) ** 2).mean() + 0.5 * (f**2).mean(),
        losses.hinge_d_loss: np.maximum(0, 1 - r).mean() + np.maximum(0, 1 + f).mean(),
        losses.wasserstein_critic_loss: f.mean() - r.mean(),
    }
    for fn, value in expected.items():
        assert float(fn(REAL, FAKE)) == pytest.approx(value, rel=1e-13), fn.__name__
    one = {
        losses.minimax_g_loss: log_1m_d_fake.mean(),
        losses.non_saturating_g_loss: np.logaddexp(0, -f).mean(),
        losses.lsgan_g_loss: 0.5 * ((f - 1) ** 2).mean(),
        losses.hinge_g_loss: -f.mean(),
        losses.wasserstein_g_loss: -f.mean(),
    }
    for fn, value in one.items():
        assert float(fn(FAKE)) == pytest.approx(value, rel=1e-13), fn.__name__


def test_not_the_log_sigmoid_of_one_minus_logit_bug():
    fake = torch.tensor([2.0], dtype=torch.float64)
    right = float(losses.minimax_g_loss(fake))
    assert right == pytest.approx(np.log(1 - special.expit(2.0)), rel=1e-14)
    assert abs(right - float(torch.nn.functional.logsigmoid(1 - fake))) > 0.5


def test_stable_for_huge_logits_and_saturation():
    big = torch.tensor([-1e4, 1e4], requires_grad=True)
    for fn in ONE_ARG:
        value = fn(big)
        (grad,) = torch.autograd.grad(value, big)
        assert torch.isfinite(value) and torch.all(torch.isfinite(grad)), fn.__name__
    x = torch.tensor([-30.0], requires_grad=True)
    (g_mm,) = torch.autograd.grad(losses.minimax_g_loss(x), x)
    (g_ns,) = torch.autograd.grad(losses.non_saturating_g_loss(x), x)
    assert abs(float(g_mm)) < 1e-12 and float(g_ns) == pytest.approx(-1.0)


def test_gradcheck_float64():
    r = REAL[:6].clone().requires_grad_(True)
    f = (FAKE[:5] + 0.3).clone().requires_grad_(True)  # keep hinge kinks away from the points
    for fn in TWO_ARG:
        assert torch.autograd.gradcheck(fn, (r, f)), fn.__name__
    for fn in ONE_ARG:
        assert torch.autograd.gradcheck(fn, (f,)), fn.__name__


def test_bad_input():
    with pytest.raises(TypeError, match="real_logits must be a floating-point"):
        losses.minimax_d_loss(torch.ones(3, dtype=torch.long), FAKE)
    with pytest.raises(ValueError, match=r"fake_logits must have shape \(N,\) or \(N, 1\)"):
        losses.minimax_d_loss(REAL, torch.zeros(4, 2, dtype=torch.float64))
    with pytest.raises(TypeError, match="fake_logits must be a torch.Tensor"):
        losses.non_saturating_g_loss([0.0, 1.0])
    assert losses.minimax_d_loss(REAL[:, None], FAKE[:, None]) == losses.minimax_d_loss(REAL, FAKE)


def test_bf16_autocast_computes_in_float32():
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = losses.minimax_d_loss(REAL.bfloat16(), FAKE.bfloat16())
    assert out.dtype == torch.float32
    assert float(out) == pytest.approx(float(losses.minimax_d_loss(REAL, FAKE)), rel=2e-2)


# -- verified against the numeric core ---------------------------------------------------------
def _quantile_points(mean, std, n):
    """Midpoint quantiles of N(mean, std^2): a deterministic n-point rule for E[h(x)]."""
    u = (np.arange(n) + 0.5) / n
    return mean + std * special.ndtri(u)


def _gaussian_logit(x, data, gen):
    """log N(x; data) - log N(x; gen) in torch, for (mean, std) pairs."""
    def logpdf(t, m, s):
        return -0.5 * ((t - m) / s) ** 2 - np.log(s)
    return logpdf(x, *data) - logpdf(x, *gen)


def test_minimax_d_loss_at_d_star_is_log4_minus_2jsd():
    data, gen = (0.0, 1.0), (1.5, 0.8)
    jsd = g.jsd(g.Gaussian(data[0], data[1] ** 2), g.Gaussian(gen[0], gen[1] ** 2)).value
    n = 1_000_000
    x_data = torch.from_numpy(_quantile_points(*data, n))
    x_gen = torch.from_numpy(_quantile_points(*gen, n))
    real, fake = _gaussian_logit(x_data, data, gen), _gaussian_logit(x_gen, data, gen)
    loss = losses.minimax_d_loss(real, fake)
    # The midpoint-quantile rule converges like 1/n here; 1e-5 is ~50x its error at n = 1e6.
    assert float(loss) == pytest.approx(np.log(4) - 2 * jsd, abs=1e-5)
    # Monte Carlo samples: within 5 standard errors.
    gen_rng = torch.Generator().manual_seed(0)
    xd = torch.randn(200_000, generator=gen_rng, dtype=torch.float64) * data[1] + data[0]
    xg = torch.randn(200_000, generator=gen_rng, dtype=torch.float64) * gen[1] + gen[0]
    ld, lg = _gaussian_logit(xd, data, gen), _gaussian_logit(xg, data, gen)
    terms_d, terms_g = torch.nn.functional.softplus(-ld), torch.nn.functional.softplus(lg)
    se = float(torch.sqrt(terms_d.var() / len(xd) + terms_g.var() / len(xg)))
    assert abs(float(losses.minimax_d_loss(ld, lg)) - (np.log(4) - 2 * jsd)) <= 5 * se


def test_generator_gradients_match_the_core():
    data, theta0, s = (0.0, 1.0), 1.5, 0.8
    z = torch.from_numpy(_quantile_points(0.0, 1.0, 1_000_000))
    theta = torch.tensor(theta0, dtype=torch.float64, requires_grad=True)
    x = theta + s * z
    logit = _gaussian_logit(x, data, (theta0, s))  # D* of theta0, held fixed
    (ns,) = torch.autograd.grad(losses.non_saturating_g_loss(logit), theta, retain_graph=True)
    (mm,) = torch.autograd.grad(losses.minimax_g_loss(logit), theta)
    core_ns, core_mm = gradients.pathwise_gradients(g.Gaussian(0.0, 1.0), theta0, s)
    assert float(ns) == pytest.approx(core_ns, abs=1e-6)  # quantile rule: 2.5e-8 measured
    # minimax_g_loss is E[log(1 - D)], whose gradient the core computes with the same sign.
    assert float(mm) == pytest.approx(core_mm, abs=1e-6)
