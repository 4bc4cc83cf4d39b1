"""The conformance checker: our losses pass, and the known bugs are caught by name."""

import functools

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given

from gantheory import losses
from gantheory.testing import conformance, strategies
from gantheory.testing.conformance import (
    KINDS,
    ConformanceReport,
    check_gan_loss,
    check_gradient_penalty,
    check_loss,
    check_vae_kl,
    quantile_nodes,
)

OURS = {
    "minimax_d": losses.minimax_d_loss,
    "minimax_g": losses.minimax_g_loss,
    "non_saturating_g": losses.non_saturating_g_loss,
    "gradient_penalty": losses.gradient_penalty,
    "gaussian_kl_standard": losses.gaussian_kl_standard,
    "lsgan_d": losses.lsgan_d_loss,
    "lsgan_g": losses.lsgan_g_loss,
    "hinge_d": losses.hinge_d_loss,
    "hinge_g": losses.hinge_g_loss,
    "wasserstein_critic": losses.wasserstein_critic_loss,
    "wasserstein_g": losses.wasserstein_g_loss,
    "dragan_penalty": losses.dragan_penalty,
    "r1_penalty": losses.r1_penalty,
    "r2_penalty": losses.r2_penalty,
}


@pytest.mark.parametrize("kind", KINDS)
def test_our_losses_conform(kind):
    report = check_loss(OURS[kind], kind)
    assert report.passed, str(report)
    report.assert_conforms()
    assert all(r.error <= r.tolerance for r in report.results)


def test_other_routes_to_the_same_objective_conform():
    # The f-GAN GAN row and the BCE loss with hard targets are the minimax game.
    assert check_loss(lambda r, f: losses.fgan_d_loss(r, f, "gan"), "minimax_d").passed
    assert check_loss(losses.bce_d_loss, "minimax_d").passed
    assert check_loss(lambda f: losses.fgan_non_saturating_g_loss(f, "gan"),
                      "non_saturating_g").passed
    assert check_loss(lambda m, s: losses.gaussian_kl(m, s, torch.zeros_like(m),
                                                      torch.zeros_like(s)),
                      "gaussian_kl_standard").passed
    # torch's own BCE-with-logits is a correct D loss.
    def torch_bce(r, f):
        return (F.binary_cross_entropy_with_logits(r, torch.ones_like(r))
                + F.binary_cross_entropy_with_logits(f, torch.zeros_like(f)))
    assert check_loss(torch_bce, "minimax_d").passed


# -- the known bugs ------------------------------------------------------------------------------
def whole_batch_gp(critic, real, fake, weight=10.0):
    eps = torch.rand(real.shape[0], *([1] * (real.ndim - 1)), dtype=real.dtype)
    x = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return weight * (grad.norm() - 1) ** 2  # one norm for the whole batch


def one_epsilon_gp(critic, real, fake, weight=10.0):
    eps = torch.rand((), dtype=real.dtype)  # one epsilon for the whole batch
    x = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return weight * (grad.reshape(len(x), -1).norm(dim=1) - 1).pow(2).mean()


def real_points_gp(critic, real, fake, weight=10.0):
    x = real.clone().requires_grad_(True)  # "WGAN-GP" taken at the data, not interpolates
    (grad,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return weight * (grad.reshape(len(x), -1).norm(dim=1) - 1).pow(2).mean()


def no_graph_gp(critic, real, fake, weight=10.0):
    eps = torch.rand(real.shape[0], *([1] * (real.ndim - 1)), dtype=real.dtype)
    x = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x).sum(), x)  # create_graph forgotten
    return weight * (grad.reshape(len(x), -1).norm(dim=1) - 1).pow(2).mean()


def test_catches_a_whole_batch_gradient_norm():
    report = check_gradient_penalty(whole_batch_gp)
    # Wrong in value, in its gradient in the critic and in its batch scaling; epsilons are fine.
    assert report.failures == ("per-sample gradient norm", "differentiable in the critic",
                               "reduction")
    assert report["per-sample gradient norm"].error > 10  # relative: 7680 vs 70
    assert "whole-batch norm gives" in str(report)


def test_catches_one_epsilon_per_batch_and_real_points():
    assert check_gradient_penalty(one_epsilon_gp).failures == ("one epsilon per sample",)
    assert "one epsilon per sample" in check_gradient_penalty(real_points_gp).failures


def test_catches_a_penalty_without_a_graph():
    report = check_gradient_penalty(no_graph_gp)
    assert report.failures == ("differentiable in the critic",)
    assert "create_graph" in report["differentiable in the critic"].detail


def dcgan_bug_d_loss(real_logits, fake_logits):
    # log(1 - D) written as log sigmoid(1 - logit) instead of log(1 - sigmoid(logit))
    return -(F.logsigmoid(real_logits).mean() + F.logsigmoid(1 - fake_logits).mean())


def dcgan_bug_g_loss(fake_logits):
    return F.logsigmoid(1 - fake_logits).mean()


def test_catches_log_sigmoid_of_one_minus_logit():
    report = check_gan_loss(dcgan_bug_d_loss, "minimax_d")
    assert {"value at D*", "fixed point"} <= set(report.failures)
    assert report["value at D*"].error > 0.1
    report = check_gan_loss(dcgan_bug_g_loss, "minimax_g")
    assert report.failures == ("value at D*", "generator gradient", "fixed point")
    with pytest.raises(AssertionError, match="FAIL  value at D"):
        report.assert_conforms()


def test_value_and_gradient_checks_do_not_trust_our_own_losses(monkeypatch):
    # The nodes' own error used to be measured with the reference loss of the kind, so a wrong
    # reference passed itself. It is now measured in numpy: swapping in a wrong reference
    # changes nothing, and the wrong loss fails.
    monkeypatch.setitem(conformance._REFERENCE, "minimax_g", dcgan_bug_g_loss)
    report = check_gan_loss(dcgan_bug_g_loss, "minimax_g")
    assert {"value at D*", "generator gradient"} <= set(report.failures)
    assert report["value at D*"].error > 0.1
    assert report["value at D*"].tolerance < 1e-5  # 1e-8 + the nodes' own ~1.6e-6
    assert check_gan_loss(losses.minimax_g_loss, "minimax_g").passed
    # A small bias on our own loss, above the nodes' error, fails too.
    monkeypatch.setitem(conformance._REFERENCE, "non_saturating_g",
                        lambda f: losses.non_saturating_g_loss(f) + 1e-5)
    biased = check_gan_loss(lambda f: losses.non_saturating_g_loss(f) + 1e-5,
                            "non_saturating_g")
    assert biased.failures == ("value at D*", "fixed point")


def test_fixed_point_tolerance_scales_with_tolerance():
    def float32_d_loss(r, f):  # correct, computed in float32
        return losses.minimax_d_loss(r.float(), f.float()).double()

    strict = check_gan_loss(float32_d_loss, "minimax_d")
    assert "fixed point" in strict.failures  # 3.8e-9 > 1e-9 at the float64 default
    loose = check_gan_loss(float32_d_loss, "minimax_d", tolerance=1e-5)
    assert loose.passed, str(loose)
    assert loose["fixed point"].tolerance == pytest.approx(1e-6)
    # Still catches a wrong fixed point at a loose tolerance.
    assert "fixed point" in check_gan_loss(dcgan_bug_d_loss, "minimax_d",
                                           tolerance=1e-5).failures


def clamped_kl(mu, logvar):  # a correct KL with the log-variance clamped to [-30, 20]
    logvar = logvar.clamp(-30.0, 20.0)
    return (0.5 * (mu**2 + logvar.exp() - 1 - logvar)).sum(1).mean()


def test_clamped_kl_passes_without_the_unclamped_gradient_property():
    name = "unclamped gradient at large log-variance"
    report = check_vae_kl(clamped_kl)
    assert report.failures == (name,)
    assert "require_unclamped=False" in report[name].detail
    relaxed = check_vae_kl(clamped_kl, require_unclamped=False)
    assert relaxed.passed, str(relaxed)
    assert name not in [r.name for r in relaxed.results]
    assert check_loss(clamped_kl, "gaussian_kl_standard", require_unclamped=False).passed
    assert check_vae_kl(losses.gaussian_kl_standard)[name].passed  # on by default
    # Leaving it out does not hide the other bugs.
    assert check_vae_kl(kl_mean_over_latents, require_unclamped=False).failures == (
        "value", "reduction", "gradient")


def test_one_sided_gradient_penalty():
    ours = functools.partial(losses.gradient_penalty, one_sided=True)
    # Some sample norms are below k = 1: the two-sided check tells the variants apart.
    assert check_gradient_penalty(ours).failures == ("per-sample gradient norm",)
    assert check_gradient_penalty(losses.gradient_penalty, one_sided=True).failures == (
        "per-sample gradient norm",)
    report = check_gradient_penalty(ours, one_sided=True)
    assert report.passed, str(report)
    assert "max(0, |grad f(x_i)| - k)^2" in report["per-sample gradient norm"].detail
    assert check_loss(ours, "gradient_penalty", one_sided=True).passed
    # A whole-batch norm still fails in one-sided mode.
    def whole_batch_one_sided(critic, real, fake, weight=10.0):
        eps = torch.rand(real.shape[0], *([1] * (real.ndim - 1)), dtype=real.dtype)
        x = (eps * real + (1 - eps) * fake).requires_grad_(True)
        (grad,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
        return weight * (grad.norm() - 1).clamp(min=0) ** 2

    bad = check_gradient_penalty(whole_batch_one_sided, one_sided=True)
    assert "per-sample gradient norm" in bad.failures
    assert bad["per-sample gradient norm"].error > 10
    assert "per-sample gradient norm" in check_gradient_penalty(whole_batch_gp,
                                                                one_sided=True).failures


def kl_mean_over_latents(mu, logvar):
    return (0.5 * (mu**2 + logvar.exp() - 1 - logvar)).mean()


def kl_summed_over_batch(mu, logvar):
    return (0.5 * (mu**2 + logvar.exp() - 1 - logvar)).sum()


def test_catches_a_kl_averaged_over_latent_dimensions():
    report = check_vae_kl(kl_mean_over_latents)
    assert report.failures == ("value", "reduction", "gradient")
    assert report["value"].error == pytest.approx(1 - 1 / 5)  # off by the factor J = 5
    assert check_vae_kl(kl_summed_over_batch).failures == ("value", "reduction", "gradient")


def test_catches_other_common_mistakes():
    # A sum over the batch instead of the mean.
    report = check_gan_loss(lambda f: F.softplus(-f).sum(), "non_saturating_g")
    assert "reduction" in report.failures and "value at D*" in report.failures
    # Probabilities through torch's BCE (log clamped at -100): wrong for confident logits.
    def on_probabilities(r, f):
        return (F.binary_cross_entropy(torch.sigmoid(r), torch.ones_like(r))
                + F.binary_cross_entropy(torch.sigmoid(f), torch.zeros_like(f)))
    assert check_gan_loss(on_probabilities, "minimax_d").failures == ("stability",)
    # The minimax generator loss where the non-saturating one was meant.
    swapped = check_gan_loss(losses.minimax_g_loss, "non_saturating_g")
    assert "saturation" in swapped.failures and "generator gradient" in swapped.failures
    # A loss that raises is a failed property, not a crash.
    def broken(r, f):
        raise RuntimeError("boom")
    report = check_gan_loss(broken, "minimax_d")
    assert not report.passed and "raised RuntimeError: boom" in str(report)
    assert report["value at D*"].error == float("inf")


@given(strategies.gaussians(dim=1), strategies.gaussians(dim=1))
def test_value_at_d_star_on_random_pairs(p, q):
    ours = check_gan_loss(losses.minimax_d_loss, "minimax_d", p_data=p, p_g=q, n_nodes=2**14)
    assert ours["value at D*"].passed, str(ours)
    bug = check_gan_loss(dcgan_bug_d_loss, "minimax_d", p_data=p, p_g=q, n_nodes=2**14)
    assert "fixed point" in bug.failures


def test_quantile_nodes_and_report_api():
    from gantheory import Gaussian, GaussianMixture

    nodes = quantile_nodes(GaussianMixture([0.3, 0.7], [-2.0, 2.0], [0.25, 0.25]), 1000)
    assert abs(float((nodes < 0).mean()) - 0.3) < 2e-3 and (nodes[1:] > nodes[:-1]).all()
    nodes = quantile_nodes(Gaussian(1.0, 4.0), 10_000)
    assert abs(nodes.mean() - 1.0) < 1e-12 and abs(nodes.std() - 2.0) < 2e-3
    report = check_loss(losses.minimax_d_loss, "minimax_d")
    assert isinstance(report, ConformanceReport) and report.kind == "minimax_d"
    assert str(report).startswith("conformance of minimax_d_loss as 'minimax_d': PASS")
    with pytest.raises(KeyError, match="no property 'speed'"):
        report["speed"]
    with pytest.raises(ValueError, match="kind must be one of"):
        check_loss(losses.minimax_d_loss, "wgan")
    with pytest.raises(ValueError, match="quantile nodes need"):
        quantile_nodes(Gaussian([0.0, 0.0], 1.0), 10)
