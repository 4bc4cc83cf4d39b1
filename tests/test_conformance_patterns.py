"""Each known bug pattern, written by us correctly and wrongly, checked both ways.

The correct implementation passes in float64 and computed in float32; the buggy one fails and
the report names the failing property. A wrong reference swapped into the checker makes a
check fail, and bad options raise errors that name the argument.
"""

import functools

import pytest
import torch
import torch.nn.functional as F

from gantheory import losses
from gantheory.testing import assert_conforms, check_loss
from gantheory.testing.conformance import examples as ex
from gantheory.testing.conformance import gan as gan_checks
from gantheory.testing.conformance import penalties as penalty_checks

PENALTIES = set(penalty_checks.PENALTY_KINDS)

# (kind, correct, buggy, options, the property the bug fails, a phrase of its hint)
PATTERNS = [
    ("gradient_penalty", ex.wgan_gp, ex.wgan_gp_whole_batch_norm, {},
     "per-sample gradient norm", "whole-batch norm"),
    ("gradient_penalty", ex.wgan_gp, ex.wgan_gp_norm_over_channels, {},
     "per-sample gradient norm", "norm over dim=1"),
    ("gradient_penalty", ex.wgan_gp, ex.wgan_gp_one_epsilon, {},
     "one epsilon per sample", "one epsilon for the whole batch"),
    ("gradient_penalty", ex.wgan_gp, ex.wgan_gp_epsilon_per_element, {},
     "one epsilon per sample", "one epsilon per element"),
    ("r1_penalty", ex.r1, ex.r1_on_fake, {}, "at the real points", "that is R2"),
    ("hinge_d", ex.hinge_d, ex.hinge_d_without_margin, {}, "margin", "no margin"),
    ("wasserstein_g", losses.wasserstein_g_loss, ex.wasserstein_g_flipped, {}, "direction",
     "sign is flipped"),
    ("wasserstein_critic", ex.wasserstein_critic,
     lambda real, fake: real.mean() - fake.mean(), {}, "direction", "sign is flipped"),
    ("lsgan_d", ex.lsgan_d, ex.lsgan_d_swapped_targets, {"scale": 2}, "targets",
     "targets are swapped"),
    ("lsgan_g", losses.lsgan_g_loss, ex.lsgan_g_fake_target, {}, "targets",
     "generator's target is 0"),
    ("minimax_d", ex.bce_d_float32_targets, lambda r, f: ex.bce_d_float32_targets(f, r),
     {"sample_shape": (1,)}, "value at D*", "takes (fake, real)"),
]
IDS = [f"{kind}-{getattr(bug, '__name__', 'lambda')}" for kind, _, bug, *_ in PATTERNS]


def in_float32(fn, kind):
    """``fn`` computed in float32 (the probes cast, the result left in float32)."""
    if kind in PENALTIES:
        return lambda critic, real, fake: fn(critic, real.float(), fake.float())
    return lambda *outputs: fn(*(o.float() for o in outputs))


@pytest.mark.parametrize(("kind", "correct", "buggy", "options", "prop", "hint"), PATTERNS,
                         ids=IDS)
def test_correct_passes_in_float64_and_float32_and_the_bug_fails_by_name(
        kind, correct, buggy, options, prop, hint):
    for fn in (correct, in_float32(correct, kind)):
        report = check_loss(fn, kind, **options)
        assert report.passed, str(report)
    float32 = check_loss(in_float32(correct, kind), kind, **options)
    assert any("torch.float32 result" in r.detail for r in float32.results)
    bad = check_loss(buggy, kind, **options)
    assert prop in bad.failures, str(bad)
    assert hint in bad[prop].detail
    with pytest.raises(AssertionError, match=f"FAIL  {prop}"):
        assert_conforms(buggy, kind, **options)


def test_our_references_pass_value_at_d_star_with_a_clear_margin():
    for kind, reference in gan_checks.REFERENCE.items():
        report = check_loss(reference, kind)
        value = report["value at D*"]
        assert value.error <= 1e-3 * value.tolerance, str(report)  # ~1e-15 vs 1e-8


def test_a_wrong_reference_swapped_in_makes_the_check_fail(monkeypatch):
    # The hinge's real term without its margin: the quantile rule no longer meets the exact
    # value, and the correct loss fails instead of passing against a wrong reference.
    spec = gan_checks.GAN_KINDS["hinge_d"]
    wrong = gan_checks.GanKind(spec.objective, lambda ell: (-ell).clip(min=0), spec.fake_term,
                               spec.outputs, spec.own_property)
    monkeypatch.setitem(gan_checks.GAN_KINDS, "hinge_d", wrong)
    report = check_loss(ex.hinge_d, "hinge_d")
    assert "value at D*" in report.failures
    monkeypatch.undo()
    # A wrong exact value: the quantile nodes no longer meet it, and the value check fails.
    monkeypatch.setattr(gan_checks, "exact_value", lambda kind, p, q: (1.0, "wrong"))
    report = check_loss(losses.minimax_d_loss, "minimax_d")
    assert "value at D*" in report.failures
    assert "quantile rule misses" in report["value at D*"].detail
    monkeypatch.undo()
    # R1 checked as if it were a WGAN-GP formula: the correct R1 fails its norm property.
    r1_as_gp = penalty_checks.PenaltyKind(False, "real", "at the real points", "(|g| - k)^2")
    monkeypatch.setitem(penalty_checks.PENALTY_KINDS, "r1_penalty", r1_as_gp)
    assert "per-sample gradient norm" in check_loss(ex.r1, "r1_penalty").failures


def test_float32_rounding_is_named_for_a_float64_result():
    def float32_cast_back(r, f):
        return losses.minimax_d_loss(r.float(), f.float()).double()

    report = check_loss(float32_cast_back, "minimax_d")
    assert "value at D*" in report.failures
    assert "within float32 rounding" in report["value at D*"].detail
    assert check_loss(lambda r, f: losses.minimax_d_loss(r.float(), f.float()),
                      "minimax_d").passed


def test_float32_interpolation_coefficient_passes_the_epsilon_check():
    def float32_eps(critic, real, fake):  # eps and 1 - eps rounded to float32, data float64
        eps = torch.rand(real.shape[0], 1, 1, 1) if real.ndim == 4 else torch.rand(
            real.shape[0], *([1] * (real.ndim - 1)))
        x = (eps * real + (1 - eps) * fake).requires_grad_(True)
        (grad,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
        return 10 * (grad.flatten(1).norm(dim=1) - 1).pow(2).mean()

    report = check_loss(float32_eps, "gradient_penalty")
    assert report.passed, str(report)
    assert report["one epsilon per sample"].tolerance > 1e-6 > 1e-9


def test_a_norm_over_one_axis_fails_at_every_image_shape():
    for shape in [(3, 4, 4), (1, 5, 5), (2, 3), (6, 1)]:
        report = check_loss(ex.wgan_gp_norm_over_channels, "gradient_penalty",
                            sample_shape=shape)
        wrong = shape[1:] != (1,) * (len(shape) - 1)  # right only when dim 1 holds it all
        assert ("per-sample gradient norm" in report.failures) == wrong, (shape, str(report))
    default = check_loss(ex.wgan_gp_norm_over_channels, "gradient_penalty")
    assert "(3, 4, 4): " in default["per-sample gradient norm"].detail


def test_declared_conventions():
    def summed(r, f):
        return F.softplus(-r).sum() + F.softplus(f).sum()

    report = check_loss(summed, "minimax_d")
    assert "pass reduction='sum'" in report["value at D*"].detail
    assert check_loss(summed, "minimax_d", reduction="sum").passed
    doubled = check_loss(lambda f: F.mse_loss(f, torch.ones_like(f)), "lsgan_g")
    assert "pass scale=2" in doubled["value at D*"].detail
    assert check_loss(lambda f: F.mse_loss(f, torch.ones_like(f)), "lsgan_g", scale=2).passed
    summed_gp = functools.partial(losses.gradient_penalty)
    report = check_loss(lambda c, r, f: summed_gp(c, r, f) * r.shape[0], "gradient_penalty")
    assert "reduction" in report.failures and "reduction='sum'" in report["reduction"].detail
    assert check_loss(lambda c, r, f: summed_gp(c, r, f) * r.shape[0], "gradient_penalty",
                      reduction="sum").passed
    # A wrong scale declared on a correct loss fails.
    assert "value at D*" in check_loss(losses.hinge_d_loss, "hinge_d", scale=2).failures


def test_swapped_arguments_are_named():
    report = check_loss(lambda fake, real: losses.hinge_d_loss(real, fake), "hinge_d")
    assert "takes (fake, real)" in report["value at D*"].detail


def test_kl_summed_over_the_batch_is_told_apart_from_averaged_over_latents():
    def over_batch(mu, logvar):
        return (0.5 * (mu**2 + logvar.exp() - 1 - logvar)).sum()

    def over_latents(mu, logvar):
        return (0.5 * (mu**2 + logvar.exp() - 1 - logvar)).mean()

    batch, latents = check_loss(over_batch, "gaussian_kl_standard"), check_loss(
        over_latents, "gaussian_kl_standard")
    assert "a sum over the batch" in batch["value"].detail
    assert "summed over the batch" in batch["reduction"].detail
    assert "averaged over the 5 latent dimensions" in latents["value"].detail
    assert "averaged over latent dimensions" in latents["reduction"].detail
    assert check_loss(over_batch, "gaussian_kl_standard", reduction="sum").passed


def test_names_in_reports():
    assert "<lambda> at test_conformance_patterns.py:" in check_loss(
        lambda f: -f.mean(), "hinge_g").function
    assert check_loss(lambda f: -f.mean(), "hinge_g", name="my_g").function == "my_g"
    assert check_loss(ex.hinge_d, "hinge_d").function == "hinge_d"


def test_bad_options_name_the_argument():
    with pytest.raises(ValueError, match="scale must be a finite non-zero number"):
        check_loss(ex.hinge_d, "hinge_d", scale=0)
    with pytest.raises(ValueError, match="reduction must be one of"):
        check_loss(ex.hinge_d, "hinge_d", reduction="avg")
    with pytest.raises(ValueError, match="sample_shape of a GAN loss"):
        check_loss(ex.hinge_d, "hinge_d", sample_shape=(2,))
    with pytest.raises(ValueError, match="sample_shape must be a tuple of positive ints"):
        check_loss(ex.wgan_gp, "gradient_penalty", sample_shape=(0, 3))
    with pytest.raises(ValueError, match="scale does not apply to a penalty"):
        check_loss(ex.wgan_gp, "gradient_penalty", scale=2)
    with pytest.raises(ValueError, match="one_sided applies to kind='gradient_penalty'"):
        check_loss(ex.r1, "r1_penalty", one_sided=True)
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        check_loss(ex.hinge_d, "hinge_d", name="")
