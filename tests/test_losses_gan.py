"""GAN losses: exact forms, reductions, stability, gradcheck, dtypes and bad input.

The agreement with the numeric core (D*, JSD, generator gradients, the f-GAN table) is in
test_losses_verified.py.
"""

import inspect
import math
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy import special

from gantheory import losses
from gantheory.losses import gan

torch.manual_seed(0)
REAL = torch.randn(64, dtype=torch.float64) * 3
FAKE = torch.randn(64, dtype=torch.float64) * 3

TWO_ARG = [losses.minimax_d_loss, losses.lsgan_d_loss, losses.hinge_d_loss,
           losses.wasserstein_critic_loss, losses.bce_d_loss]
ONE_ARG = [losses.minimax_g_loss, losses.non_saturating_g_loss, losses.lsgan_g_loss,
           losses.hinge_g_loss, losses.wasserstein_g_loss]
#: Rows whose f*(g_f(v)) (minimax) or g_f(v) (non-saturating) stays finite for |v| = 1e4; the
#: others grow like exp(|v|) by design.
BOUNDED_ROWS = ["total_variation", "reverse_kl", "jensen_shannon", "gan"]
NS_BOUNDED_ROWS = ["total_variation", "kl", "pearson", "jeffrey", "jensen_shannon", "gan"]


def _fgan_two(name):
    def fn(r, f, **kw):
        return losses.fgan_d_loss(r, f, name, **kw)
    fn.__name__ = f"fgan_d_loss[{name}]"
    return fn


def _fgan_one(name, kind):
    base = {"minimax": losses.fgan_minimax_g_loss,
            "ns": losses.fgan_non_saturating_g_loss}[kind]

    def fn(f, **kw):
        return base(f, name, **kw)
    fn.__name__ = f"{base.__name__}[{name}]"
    return fn


ALL_TWO = TWO_ARG + [_fgan_two(n) for n in losses.F_DIVERGENCES]
ALL_ONE = ONE_ARG + [_fgan_one(n, k) for n in losses.F_DIVERGENCES for k in ("minimax", "ns")]


def test_values_match_numpy_formulas():
    r, f = REAL.numpy(), FAKE.numpy()
    log_d_real = -np.logaddexp(0, -r)  # log sigmoid
    log_1m_d_fake = -np.logaddexp(0, f)  # log(1 - sigmoid)
    expected = {
        losses.minimax_d_loss: -log_d_real.mean() - log_1m_d_fake.mean(),
        losses.bce_d_loss: -log_d_real.mean() - log_1m_d_fake.mean(),
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


def test_bce_with_soft_and_flipped_targets():
    r, f = REAL.numpy(), FAKE.numpy()
    alpha = 0.9
    expected = (alpha * np.logaddexp(0, -r) + (1 - alpha) * np.logaddexp(0, r)).mean() \
        + np.logaddexp(0, f).mean()
    assert float(losses.bce_d_loss(REAL, FAKE, real_targets=alpha)) == pytest.approx(expected)
    targets = torch.ones(64, dtype=torch.float64)
    targets[::2] = 0.0  # flipped real labels
    value = losses.bce_d_loss(REAL, FAKE, real_targets=targets)
    t = targets.numpy()
    manual = (t * np.logaddexp(0, -r) + (1 - t) * np.logaddexp(0, r)).mean() \
        + np.logaddexp(0, f).mean()
    assert float(value) == pytest.approx(manual, rel=1e-13)
    with pytest.raises(ValueError, match="real_targets must lie in"):
        losses.bce_d_loss(REAL, FAKE, real_targets=1.5)
    with pytest.raises(ValueError, match="real_logits and real_targets must have the same"):
        losses.bce_d_loss(REAL, FAKE, real_targets=torch.ones(3, dtype=torch.float64))


def test_gan_row_of_fgan_is_the_minimax_game():
    torch.testing.assert_close(losses.fgan_d_loss(REAL, FAKE, "gan"),
                               losses.minimax_d_loss(REAL, FAKE), rtol=1e-14, atol=1e-14)
    torch.testing.assert_close(losses.fgan_minimax_g_loss(FAKE, "gan"),
                               losses.minimax_g_loss(FAKE), rtol=1e-14, atol=1e-14)
    torch.testing.assert_close(losses.fgan_non_saturating_g_loss(FAKE, "gan"),
                               losses.non_saturating_g_loss(FAKE), rtol=1e-14, atol=1e-14)


def test_not_the_log_sigmoid_of_one_minus_logit_bug():
    fake = torch.tensor([2.0], dtype=torch.float64)
    right = float(losses.minimax_g_loss(fake))
    assert right == pytest.approx(np.log(1 - special.expit(2.0)), rel=1e-14)
    assert abs(right - float(F.logsigmoid(1 - fake))) > 0.5


def test_reduction_is_the_batch_mean_and_none_gives_the_terms():
    for fn in ALL_TWO:
        terms = fn(REAL, FAKE, reduction="none")
        assert isinstance(terms, losses.LossTerms) and terms.real.shape == (64,)
        torch.testing.assert_close(terms.real.mean() + terms.fake.mean(), fn(REAL, FAKE))
        # A mean, not a sum: the loss of a batch repeated twice is the loss of the batch.
        doubled = fn(REAL.repeat(2), FAKE.repeat(2))
        torch.testing.assert_close(doubled, fn(REAL, FAKE), msg=fn.__name__)
        assert fn(REAL, FAKE).ndim == 0
    for fn in ALL_ONE:
        terms = fn(FAKE, reduction="none")
        assert terms.shape == (64,)
        torch.testing.assert_close(terms.mean(), fn(FAKE))
        torch.testing.assert_close(fn(FAKE.repeat(3)), fn(FAKE), msg=fn.__name__)
    for bad in ("max", None, "Mean"):
        with pytest.raises(ValueError, match="reduction must be one of"):
            losses.minimax_d_loss(REAL, FAKE, reduction=bad)


def test_reduction_sum_is_the_sum_over_each_batch():
    for fn in ALL_TWO:
        terms = fn(REAL, FAKE, reduction="none")
        total = fn(REAL, FAKE, reduction="sum")
        assert total.ndim == 0
        torch.testing.assert_close(total, terms.real.sum() + terms.fake.sum(), msg=fn.__name__)
        # 64 samples per batch: the sum is 64 times the mean.
        torch.testing.assert_close(total, 64 * fn(REAL, FAKE), msg=fn.__name__)
    for fn in ALL_ONE:
        torch.testing.assert_close(fn(FAKE, reduction="sum"), fn(FAKE, reduction="none").sum(),
                                   msg=fn.__name__)
        torch.testing.assert_close(fn(FAKE[:5], reduction="sum"), 5 * fn(FAKE[:5]),
                                   msg=fn.__name__)


def test_every_docstring_states_logits_and_the_reduction():
    for name in losses.__all__:
        obj = getattr(losses, name)
        if not callable(obj) or inspect.isclass(obj):
            continue
        doc = inspect.getdoc(obj) or ""
        if obj.__module__ == "gantheory.losses.gan" and name.endswith("loss"):
            assert re.search(r"mean over (the|each) batch", doc.lower()), name
        if name.endswith(("loss", "kl", "penalty", "likelihood", "bound", "elbo")):
            assert ".. math::" in doc or ":math:" in doc, name
        assert "Examples" in doc, name


def test_stable_for_huge_logits_and_saturation():
    big = torch.tensor([-1e4, 1e4], requires_grad=True)
    fns = ONE_ARG + [_fgan_one(n, "minimax") for n in BOUNDED_ROWS] + [
        _fgan_one(n, "ns") for n in NS_BOUNDED_ROWS]
    for fn in fns:
        value = fn(big)
        (grad,) = torch.autograd.grad(value, big)
        assert torch.isfinite(value) and torch.all(torch.isfinite(grad)), fn.__name__
    both = sorted(set(BOUNDED_ROWS) & set(NS_BOUNDED_ROWS))
    for fn in [losses.minimax_d_loss, losses.bce_d_loss] + [_fgan_two(n) for n in both]:
        value = fn(big, big.flip(0))
        assert torch.isfinite(value), fn.__name__
    x = torch.tensor([-30.0], requires_grad=True)
    (g_mm,) = torch.autograd.grad(losses.minimax_g_loss(x), x)
    (g_ns,) = torch.autograd.grad(losses.non_saturating_g_loss(x), x)
    assert abs(float(g_mm)) < 1e-12 and float(g_ns) == pytest.approx(-1.0)
    # Confident and right: the minimax D loss is 0, not NaN; confident and wrong: linear.
    assert float(losses.minimax_d_loss(torch.tensor([1e4]), torch.tensor([-1e4]))) == 0.0
    assert float(losses.minimax_d_loss(torch.tensor([-1e4]), torch.tensor([-1e4]))) == 1e4


def test_gradcheck_float64_every_loss():
    r = REAL[:6].clone().requires_grad_(True)
    f = (FAKE[:6] * 0.3 + 0.3).clone().requires_grad_(True)  # hinge kinks away, rows finite
    for fn in ALL_TWO:
        assert torch.autograd.gradcheck(fn, (r, f)), fn.__name__
    for fn in ALL_ONE:
        assert torch.autograd.gradcheck(fn, (f,)), fn.__name__
    t = torch.rand(6, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda a, b, c: losses.bce_d_loss(a, b, real_targets=c), (r, f, t))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_dtypes_are_kept(dtype):
    r, f = REAL.to(dtype), FAKE.to(dtype)
    for fn in ALL_TWO:
        out = fn(r, f)
        assert out.dtype == dtype
        assert float(out) == pytest.approx(float(fn(REAL, FAKE)), rel=1e-5, abs=1e-6)
    for fn in ALL_ONE:
        assert fn(f).dtype == dtype


def test_bf16_autocast_computes_in_float32():
    net = torch.nn.Linear(4, 1).double()
    x = torch.randn(32, 4, dtype=torch.float64)
    reference = losses.minimax_d_loss(net(x), net(x + 1))
    net32 = torch.nn.Linear(4, 1)
    net32.load_state_dict({k: v.float() for k, v in net.state_dict().items()})
    with torch.autocast("cpu", dtype=torch.bfloat16):
        real, fake = net32(x.float()), net32(x.float() + 1)
        assert real.dtype == torch.bfloat16  # autocast's output
        out = losses.minimax_d_loss(real, fake)
        outs = [fn(real, fake) for fn in ALL_TWO] + [fn(fake) for fn in ALL_ONE]
    assert out.dtype == torch.float32
    assert all(o.dtype == torch.float32 for o in outs)
    # bf16 rounds the logits themselves (8 bits): agreement to about 1 %.
    assert float(out.detach()) == pytest.approx(float(reference.detach()), rel=1e-2)


def test_bad_input_names_the_argument():
    with pytest.raises(TypeError, match="real_logits must be a floating-point"):
        losses.minimax_d_loss(torch.ones(3, dtype=torch.long), FAKE[:3])
    with pytest.raises(ValueError, match=r"fake_logits must have shape \(N,\) or \(N, 1\)"):
        losses.minimax_d_loss(REAL[:4], torch.zeros(4, 2, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"real_logits must have shape"):
        losses.hinge_d_loss(torch.tensor(1.0), FAKE[:1])
    with pytest.raises(TypeError, match="fake_logits must be a torch.Tensor"):
        losses.non_saturating_g_loss([0.0, 1.0])
    with pytest.raises(ValueError, match="same batch size; got 64 and 48"):
        losses.minimax_d_loss(REAL, FAKE[:48])
    with pytest.raises(ValueError, match="real_scores and fake_scores must have the same"):
        losses.wasserstein_critic_loss(REAL, FAKE[:3])
    with pytest.raises(ValueError, match="must be on one device"):
        losses.minimax_d_loss(REAL, torch.zeros(64, dtype=torch.float64, device="meta"))
    with pytest.raises(ValueError, match="divergence must be one of"):
        losses.fgan_d_loss(REAL, FAKE, "chi2")
    with pytest.raises(ValueError, match="at least one sample"):
        losses.minimax_g_loss(torch.zeros(0))
    assert losses.minimax_d_loss(REAL[:, None], FAKE[:, None]) == losses.minimax_d_loss(REAL, FAKE)


def test_fgan_activation_maps_into_the_conjugate_domain():
    v = torch.linspace(-30, 30, 201, dtype=torch.float64)
    for name in losses.F_DIVERGENCES:
        t = losses.fgan_activation(v, name)
        assert torch.isfinite(losses.fgan_conjugate(t, name)).all(), name
        torch.testing.assert_close(losses.fgan_conjugate(t[50:150], name),
                                   gan._ROWS[name].conjugate_of_activation(v[50:150]), msg=name)


def test_jeffrey_conjugate_derivative_is_the_inverse_of_f_prime():
    # (f*)'(t) = u with f'(u) = t, i.e. 1/W(e^{1-t}): gradcheck of the Lambert-W Newton step.
    t = torch.tensor([-40.0, -3.0, 0.0, 0.5, 2.0, 8.0], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x: losses.fgan_conjugate(x, "jeffrey"), (t,))
    (grad,) = torch.autograd.grad(losses.fgan_conjugate(t, "jeffrey").sum(), t)
    u = grad.detach().numpy()
    np.testing.assert_allclose(np.log(u) + 1 - 1 / u, t.detach().numpy(), rtol=1e-12,
                               atol=1e-12)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_jeffrey_conjugate_of_large_outputs_is_inf_not_nan(dtype):
    """W(e^{1-t}) underflows for large t; f*(t) = W + 1/W + t - 2 must still be +inf."""
    v = torch.full((3,), 1000.0, dtype=dtype)
    value = losses.fgan_d_loss(torch.zeros(3, dtype=dtype), v, "jeffrey")
    assert value == math.inf
    moderate = torch.full((3,), 30.0, dtype=torch.float64, requires_grad=True)
    loss = losses.fgan_d_loss(torch.zeros(3, dtype=torch.float64), moderate, "jeffrey")
    (grad,) = torch.autograd.grad(loss, moderate)
    assert torch.isfinite(loss) and torch.all(torch.isfinite(grad))


# -- non-finite inputs ---------------------------------------------------------------------------
def _with(value, index, x=REAL[:6]):
    out = x.clone()
    out[index] = value
    return out


def test_non_finite_logits_raise_naming_the_tensor_and_the_index():
    """Before the policy, minimax_d_loss and non_saturating_g_loss returned NaN silently."""
    nan3, ok = _with(math.nan, 3), REAL[:6]
    for fn in ALL_TWO:
        with pytest.raises(ValueError, match=r"fake_\w+ is not finite: it contains NaN at index 3$"
                           ):
            fn(ok, nan3)
        with pytest.raises(ValueError, match=r"real_\w+ is not finite: it contains inf at index 0"):
            fn(_with(math.inf, 0), ok)
    for fn in ALL_ONE:
        with pytest.raises(ValueError, match=r"fake_\w+ is not finite: it contains -inf at index 5"
                           ):
            fn(_with(-math.inf, 5))
    # (N, 1) logits: the index is one of the tensor as passed.
    with pytest.raises(ValueError, match=r"fake_logits is not finite: .* NaN at index \(3, 0\)"):
        losses.minimax_d_loss(ok[:, None], nan3[:, None])
    with pytest.raises(ValueError, match="fake_logits is not finite: it contains NaN at index 3"):
        losses.non_saturating_g_loss(nan3)
    with pytest.raises(ValueError, match=r"v is not finite: it contains NaN at index 3"):
        losses.fgan_activation(nan3, "kl")
    with pytest.raises(ValueError, match=r"t is not finite: it contains inf at index 0"):
        losses.fgan_conjugate(_with(math.inf, 0), "kl")


def test_check_finite_false_skips_the_check_and_nan_propagates():
    nan3 = _with(math.nan, 3)
    assert math.isnan(float(losses.minimax_d_loss(REAL[:6], nan3, check_finite=False)))
    assert math.isnan(float(losses.non_saturating_g_loss(nan3, check_finite=False)))
    terms = losses.minimax_d_loss(REAL[:6], nan3, reduction="none", check_finite=False)
    assert torch.isnan(terms.fake).tolist() == [False, False, False, True, False, False]
    # Valid input: the same value with and without the check.
    for fn in ALL_TWO:
        assert fn(REAL, FAKE, check_finite=False) == fn(REAL, FAKE), fn.__name__
    for fn in ALL_ONE:
        assert fn(FAKE, check_finite=False) == fn(FAKE), fn.__name__
    with pytest.raises(TypeError, match="check_finite must be True or False; got 'no'"):
        losses.minimax_d_loss(REAL, FAKE, check_finite="no")


def test_bce_targets_are_checked_like_the_logits():
    with pytest.raises(ValueError, match="real_targets is not finite: it contains NaN at index 2"):
        losses.bce_d_loss(REAL[:6], FAKE[:6], real_targets=_with(math.nan, 2, torch.ones(6)))
    with pytest.raises(ValueError, match=r"fake_targets must have shape \(N,\) or \(N, 1\)"):
        losses.bce_d_loss(REAL[:4], FAKE[:4], fake_targets=torch.zeros(2, 2))
    with pytest.raises(TypeError, match="real_targets must be a floating-point tensor"):
        losses.bce_d_loss(REAL[:4], FAKE[:4], real_targets=torch.ones(4, dtype=torch.long))
    with pytest.raises(ValueError, match="real_targets must be a finite number"):
        losses.bce_d_loss(REAL[:4], FAKE[:4], real_targets=math.nan)
    column = torch.full((6, 1), 0.9, dtype=torch.float64)  # (N, 1) targets, like (N, 1) logits
    torch.testing.assert_close(losses.bce_d_loss(REAL[:6], FAKE[:6], real_targets=column),
                               losses.bce_d_loss(REAL[:6], FAKE[:6], real_targets=0.9))


def test_every_function_states_the_non_finite_policy_and_the_sum_reduction():
    phrase = "Non-finite inputs raise ValueError unless ``check_finite=False``"
    assert phrase in " ".join(inspect.getdoc(losses).split())
    assert "synchronis" in inspect.getdoc(losses)  # the cost on CUDA is stated
    # Functions that read no tensor values of their own (modules, sizes, index permutations).
    no_values = {"clip_weights", "instance_noise_std", "smooth_labels", "mismatched_labels",
                 "mismatched_conditions"}
    checked = []
    for name in losses.__all__:
        obj = getattr(losses, name)
        if not callable(obj) or inspect.isclass(obj):
            continue
        params = inspect.signature(obj).parameters
        doc = " ".join((inspect.getdoc(obj) or "").split())
        if name not in no_values:
            assert "check_finite" in params, name
            assert params["check_finite"].default is True, name
            assert params["check_finite"].kind is inspect.Parameter.KEYWORD_ONLY, name
            assert phrase in doc, name
            checked.append(name)
        if "reduction" in params:
            assert '"sum"' in doc, name
    assert len(checked) == len([n for n in losses.__all__ if callable(getattr(losses, n))
                                and not inspect.isclass(getattr(losses, n))]) - len(no_values)
