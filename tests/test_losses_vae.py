"""VAE losses: reductions, closed forms, torch.distributions, IWAE, VAE-GAN, no silent NaN."""

import inspect
import math
import re

import numpy as np
import pytest
import torch
from torch import distributions as D

from gantheory.losses import vae

torch.manual_seed(0)
MU = torch.randn(5, 3, dtype=torch.float64)
LOGVAR = torch.randn(5, 3, dtype=torch.float64) * 0.5


def test_every_docstring_states_the_reduction():
    for name in ("gaussian_kl_standard", "gaussian_kl", "bernoulli_log_likelihood",
                 "gaussian_log_likelihood"):
        doc = inspect.getdoc(getattr(vae, name)).lower()
        assert re.search(r"sum over (data|latent) dimensions, mean over the batch", doc), name
    assert "mean over the batch" in inspect.getdoc(vae.iwae_bound).lower()
    assert "summed over the last axis" in inspect.getdoc(vae.gaussian_log_density).lower()


def test_kl_reduction_sums_latents_and_averages_batch():
    mu = torch.zeros(4, 6, dtype=torch.float64)
    mu[0, :] = 1.0  # one sample, six latent dims with mu = 1: KL = 6 * 1/2 = 3
    zero = torch.zeros_like(mu)
    assert float(vae.gaussian_kl_standard(mu, zero)) == pytest.approx(3 / 4)
    assert vae.gaussian_kl_standard(mu, zero, reduction="none").tolist() == [3.0, 0, 0, 0]
    # Doubling the latent dimensions doubles the KL; doubling the batch leaves it unchanged.
    wide = vae.gaussian_kl_standard(torch.cat([MU, MU], 1), torch.cat([LOGVAR, LOGVAR], 1))
    torch.testing.assert_close(wide, 2 * vae.gaussian_kl_standard(MU, LOGVAR))
    tall = vae.gaussian_kl_standard(torch.cat([MU, MU]), torch.cat([LOGVAR, LOGVAR]))
    torch.testing.assert_close(tall, vae.gaussian_kl_standard(MU, LOGVAR))
    # Extra axes (N, C, H, W) are all latent dimensions.
    img = torch.randn(2, 3, 4, 5, dtype=torch.float64)
    torch.testing.assert_close(vae.gaussian_kl_standard(img, img * 0.1),
                               vae.gaussian_kl_standard(img.reshape(2, -1),
                                                        0.1 * img.reshape(2, -1)))


def test_likelihood_reductions():
    x = torch.rand(4, 10, dtype=torch.float64)
    logits = torch.randn(4, 10, dtype=torch.float64)
    per = vae.bernoulli_log_likelihood(logits, x, reduction="none")
    assert per.shape == (4,)
    torch.testing.assert_close(per.mean(), vae.bernoulli_log_likelihood(logits, x))
    torch.testing.assert_close(
        vae.bernoulli_log_likelihood(torch.cat([logits, logits], 1), torch.cat([x, x], 1)),
        2 * vae.bernoulli_log_likelihood(logits, x))
    per = vae.gaussian_log_likelihood(logits, x, reduction="none")
    torch.testing.assert_close(per.mean(), vae.gaussian_log_likelihood(logits, x))


def test_general_kl_reduces_to_standard_and_matches_torch():
    zeros = torch.zeros_like(MU)
    torch.testing.assert_close(vae.gaussian_kl(MU, LOGVAR, zeros, zeros),
                               vae.gaussian_kl_standard(MU, LOGVAR))
    mu_p, logvar_p = torch.randn_like(MU), torch.randn_like(MU) * 0.3
    q = D.Normal(MU, torch.exp(0.5 * LOGVAR))
    p = D.Normal(mu_p, torch.exp(0.5 * logvar_p))
    expected = D.kl_divergence(q, p).sum(dim=1).mean()
    torch.testing.assert_close(vae.gaussian_kl(MU, LOGVAR, mu_p, logvar_p), expected)
    # A prior shared by the batch broadcasts.
    shared = vae.gaussian_kl(MU, LOGVAR, mu_p[:1], logvar_p[:1])
    torch.testing.assert_close(shared, vae.gaussian_kl(MU, LOGVAR, mu_p[:1].expand_as(MU),
                                                       logvar_p[:1].expand_as(MU)))
    with pytest.raises(ValueError, match="mu_p must have mu_q's shape"):
        vae.gaussian_kl(MU, LOGVAR, mu_p[:, :2], logvar_p)


def test_likelihoods_against_torch_distributions():
    logits = torch.randn(4, 10, dtype=torch.float64) * 5
    x = (torch.rand(4, 10, dtype=torch.float64) > 0.5).double()
    expected = D.Bernoulli(logits=logits).log_prob(x).sum(dim=1).mean()
    torch.testing.assert_close(vae.bernoulli_log_likelihood(logits, x), expected)
    mean = torch.randn(4, 10, dtype=torch.float64)
    for logvar in (0.0, -1.3, torch.randn(4, 10, dtype=torch.float64), torch.randn(10).double()):
        s = torch.as_tensor(logvar, dtype=torch.float64)
        expected = D.Normal(mean, torch.exp(0.5 * s)).log_prob(x).sum(dim=1).mean()
        torch.testing.assert_close(vae.gaussian_log_likelihood(mean, x, logvar), expected)
    z = torch.randn(7, 4, 3, dtype=torch.float64)
    mu, s = torch.randn(4, 3, dtype=torch.float64), torch.randn(4, 3, dtype=torch.float64)
    expected = D.Normal(mu, torch.exp(0.5 * s)).log_prob(z).sum(-1)
    torch.testing.assert_close(vae.gaussian_log_density(z, mu, s), expected)


def test_bernoulli_from_logits_is_finite_where_probabilities_would_not_be():
    logits = torch.tensor([[200.0, -200.0]], dtype=torch.float32)
    x = torch.tensor([[0.0, 1.0]])  # confidently wrong on both pixels
    assert float(vae.bernoulli_log_likelihood(logits, x)) == pytest.approx(-400.0)


def test_gradcheck_float64_every_loss():
    mu = MU[:2].clone().requires_grad_(True)
    logvar = LOGVAR[:2].clone().requires_grad_(True)
    assert torch.autograd.gradcheck(vae.gaussian_kl_standard, (mu, logvar))
    mp, lp = torch.randn_like(mu, requires_grad=True), torch.randn_like(mu, requires_grad=True)
    assert torch.autograd.gradcheck(vae.gaussian_kl, (mu, logvar, mp, lp))
    x = torch.rand(2, 3, dtype=torch.float64)
    assert torch.autograd.gradcheck(vae.bernoulli_log_likelihood, (mu, x))
    assert torch.autograd.gradcheck(vae.gaussian_log_likelihood, (mu, x, logvar))
    assert torch.autograd.gradcheck(vae.gaussian_log_density, (mp, mu, logvar))
    lw = torch.randn(4, 2, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a: vae.iwae_bound(a[..., 0], a[..., 1], a[..., 2]),
                                    (lw,))
    assert torch.autograd.gradcheck(
        lambda m, s: vae.reparameterize(m, s, generator=torch.Generator().manual_seed(0)),
        (mu, logvar))
    feats = torch.randn(2, 4, dtype=torch.float64, requires_grad=True)
    logit = torch.randn(2, dtype=torch.float64, requires_grad=True)

    def total(m, s, f, lg):
        return vae.vaegan_terms(m, s, f.detach(), f, lg, -lg, 2 * lg).total(0.5, 2.0, 3.0)

    assert torch.autograd.gradcheck(total, (mu, logvar, feats, logit))


def test_reparameterize_moments_and_no_silent_nan():
    mu = torch.full((200_000, 1), 2.0, dtype=torch.float64)
    logvar = torch.full((200_000, 1), np.log(0.25), dtype=torch.float64)
    z = vae.reparameterize(mu, logvar, generator=torch.Generator().manual_seed(0))
    assert float(z.mean()) == pytest.approx(2.0, abs=0.005)  # s.e. 0.5 / sqrt(2e5) = 0.0011
    assert float(z.std()) == pytest.approx(0.5, rel=0.01)
    with pytest.raises(ValueError, match="logvar is not finite"):
        vae.gaussian_kl_standard(MU, torch.full_like(MU, float("inf")))
    with pytest.raises(ValueError, match="logvar is not finite"):
        vae.reparameterize(MU, torch.full_like(MU, float("nan")))
    huge = torch.full((1, 1), 1e4, dtype=torch.float64)
    with pytest.raises(ValueError, match="exp of a log-variance overflowed"):
        vae.reparameterize(torch.zeros(1, 1, dtype=torch.float64), huge)
    z = vae.reparameterize(torch.zeros(1, 1, dtype=torch.float64), huge, max_logvar=10.0)
    assert torch.isfinite(z).all()
    # float32: exp(s) overflows above s = 88.7; the KL raises instead of returning inf/NaN.
    with pytest.raises(ValueError, match="the KL is not finite"):
        vae.gaussian_kl_standard(torch.zeros(1, 2), torch.full((1, 2), 100.0))
    # A learned variance that collapses on a perfect reconstruction: 0 * inf would be NaN.
    with pytest.raises(ValueError, match="Gaussian log-likelihood is not finite"):
        vae.gaussian_log_likelihood(torch.zeros(1, 2), torch.zeros(1, 2),
                                    torch.full((1, 2), -200.0))


def test_iwae_on_a_linear_gaussian_model():
    # z ~ N(0, 1), x | z ~ N(z, s2): p(x) = N(0, 1 + s2), posterior N(x / (1 + s2), s2 / (1 + s2)).
    s2, n = 0.5, 400
    x = torch.linspace(-2, 2, n, dtype=torch.float64)[:, None]
    scale = torch.tensor(math.sqrt(1 + s2), dtype=torch.float64)
    log_px = D.Normal(0.0, scale).log_prob(x[:, 0]).mean()
    gen = torch.Generator().manual_seed(0)

    def bound(mu_q, logvar_q, k):
        z = vae.reparameterize(mu_q.expand(k, n, 1).reshape(k * n, 1),
                               logvar_q.expand(k, n, 1).reshape(k * n, 1), generator=gen)
        z = z.reshape(k, n, 1)
        ll = vae.gaussian_log_density(x.expand(k, n, 1), z, math.log(s2))
        lp = vae.gaussian_log_density(z, torch.zeros(1, dtype=torch.float64))
        lq = vae.gaussian_log_density(z, mu_q, logvar_q)
        return vae.iwae_bound(ll, lp, lq)

    post_mu = x / (1 + s2)
    post_lv = torch.full_like(x, math.log(s2 / (1 + s2)))
    # q = the exact posterior: every weight is p(x), the bound is log p(x) for every K.
    for kk in (1, 5):
        torch.testing.assert_close(bound(post_mu, post_lv, kk), log_px, rtol=0, atol=1e-12)
    # q = a poor encoder: L_1 < L_5 < L_64 < log p(x) (s.e. of each about 0.01).
    poor_mu, poor_lv = torch.zeros_like(x), torch.zeros_like(x)
    values = [float(bound(poor_mu, poor_lv, kk)) for kk in (1, 5, 64)]
    assert values[0] < values[1] - 0.05 < values[2] - 0.1 < float(log_px) - 0.1
    assert float(log_px) - values[2] < 0.05
    with pytest.raises(ValueError, match=r"log_prior must have shape \(K, N\)"):
        vae.iwae_bound(torch.zeros(2, 3), torch.zeros(2, 3, 1), torch.zeros(2, 3))


def test_elbo_and_beta():
    assert float(vae.elbo(torch.tensor(-90.0), torch.tensor(10.0), beta=2.0)) == -110.0
    ll = vae.bernoulli_log_likelihood(torch.randn(4, 6), torch.rand(4, 6), reduction="none")
    kl = vae.gaussian_kl_standard(torch.randn(4, 2), torch.randn(4, 2), reduction="none")
    torch.testing.assert_close(vae.elbo(ll, kl).mean(), vae.elbo(ll.mean(), kl.mean()))
    with pytest.raises(ValueError, match="beta must be >= 0"):
        vae.elbo(torch.tensor(0.0), torch.tensor(0.0), beta=-1.0)
    with pytest.raises(ValueError, match="one reduction"):
        vae.elbo(ll, kl.mean())


def test_vaegan_terms_compose():
    mu, logvar = torch.randn(6, 4), torch.randn(6, 4) * 0.3
    real_f, recon_f = torch.randn(6, 2, 5), torch.randn(6, 2, 5)
    lr, lt, lp = torch.randn(6), torch.randn(6, 1), torch.randn(6)
    t = vae.vaegan_terms(mu, logvar, real_f, recon_f, lr, lt, lp)
    torch.testing.assert_close(t.prior, vae.gaussian_kl_standard(mu, logvar))
    sq = 0.5 * (real_f - recon_f).pow(2).reshape(6, -1).sum(1).mean()
    torch.testing.assert_close(t.llike, sq + 5 * math.log(2 * math.pi))  # 10 features
    sig = torch.sigmoid
    gan = (torch.log(sig(lr)).mean() + torch.log(1 - sig(lt[:, 0])).mean()
           + torch.log(1 - sig(lp)).mean())
    torch.testing.assert_close(t.gan, gan)
    torch.testing.assert_close(t.total(), t.prior + t.llike + t.gan)
    torch.testing.assert_close(t.total(0.5, 2.0, 0.0), 0.5 * t.prior + 2 * t.llike)
    torch.testing.assert_close(t.encoder_loss(), t.prior + t.llike)
    torch.testing.assert_close(t.decoder_loss(gamma=0.1), 0.1 * t.llike + t.gan)
    torch.testing.assert_close(t.discriminator_loss(), -t.gan)
    with pytest.raises(ValueError, match="real_logits and prior_logits must have the same"):
        vae.vaegan_terms(mu, logvar, real_f, recon_f, lr, lt, lp[:3])
    with pytest.raises(ValueError, match="real_features and recon_features must have the same"):
        vae.vaegan_terms(mu, logvar, real_f, recon_f[:, :1], lr, lt, lp)
    with pytest.raises(ValueError, match="mu and real_features must have the same batch"):
        vae.vaegan_terms(mu[:2], logvar[:2], real_f, recon_f, lr, lt, lp)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_dtypes(dtype):
    out = vae.gaussian_kl_standard(MU.to(dtype), LOGVAR.to(dtype))
    assert out.dtype == dtype
    assert float(out) == pytest.approx(float(vae.gaussian_kl_standard(MU, LOGVAR)), rel=1e-6)


def test_bf16_autocast_computes_in_float32():
    enc = torch.nn.Linear(8, 6)
    x = torch.randn(16, 8)
    mu, logvar = enc(x).chunk(2, dim=1)
    reference = vae.gaussian_kl_standard(mu, logvar)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        mu16, logvar16 = enc(x).chunk(2, dim=1)
        assert mu16.dtype == torch.bfloat16
        out = vae.gaussian_kl_standard(mu16, logvar16)
        ll = vae.bernoulli_log_likelihood(mu16, torch.rand(16, 3))
    assert out.dtype == torch.float32 and ll.dtype == torch.float32
    assert float(out.detach()) == pytest.approx(float(reference.detach()), rel=2e-2)


def test_bad_input():
    with pytest.raises(ValueError, match="mu and logvar must have the same shape"):
        vae.gaussian_kl_standard(MU, LOGVAR[:, :2])
    with pytest.raises(TypeError, match="mu must be a floating-point tensor"):
        vae.gaussian_kl_standard(MU.long(), LOGVAR)
    with pytest.raises(ValueError, match="mu must have at least 2 axes"):
        vae.gaussian_kl_standard(MU[0], LOGVAR[0])
    with pytest.raises(TypeError, match="x must be a torch.Tensor"):
        vae.bernoulli_log_likelihood(MU, MU.numpy())
    with pytest.raises(ValueError, match="reduction must be one of"):
        vae.gaussian_kl_standard(MU, LOGVAR, reduction="max")
    with pytest.raises(ValueError, match="must be on one device"):
        vae.gaussian_kl_standard(MU, LOGVAR.to("meta"))


def test_vaegan_decoder_plays_against_the_discriminator():
    """Descending the decoder's loss raises D on reconstructions and prior samples."""
    lt = torch.zeros(4, requires_grad=True)
    lp = torch.zeros(4, requires_grad=True)
    f = torch.randn(4, 3)
    t = vae.vaegan_terms(torch.zeros(4, 2), torch.zeros(4, 2), f, f.clone(), torch.zeros(4),
                         lt, lp)
    g_t, g_p = torch.autograd.grad(t.decoder_loss(), (lt, lp))
    # d/dl log(1 - sigmoid(l)) = -sigmoid(l) = -1/2 at l = 0, mean over 4: -1/8 per logit;
    # a gradient step on the decoder's loss therefore *raises* the logits (fools D)
    torch.testing.assert_close(g_t, torch.full((4,), -0.125))
    torch.testing.assert_close(g_p, torch.full((4,), -0.125))
    # and the discriminator's loss has the opposite gradient in the same logits
    g_dt, = torch.autograd.grad(vae.vaegan_terms(
        torch.zeros(4, 2), torch.zeros(4, 2), f, f.clone(), torch.zeros(4), lt, lp
    ).discriminator_loss(), lt)
    torch.testing.assert_close(g_dt, torch.full((4,), 0.125))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_tiny_log_variance_with_zero_residual_is_finite(dtype):
    """s = -100 and a zero residual: d^2 e^{-s} would be 0 * inf = NaN in float32."""
    z = torch.zeros(1, 2, dtype=dtype)
    s = torch.full((1, 2), -100.0, dtype=dtype)
    assert float(vae.gaussian_kl(z, s, z, s)) == 0.0
    expected = -0.5 * 2 * (math.log(2 * math.pi) - 100.0)  # two dimensions
    assert float(vae.gaussian_log_density(z, z, s)[0]) == pytest.approx(expected, rel=1e-6)
    assert float(vae.gaussian_log_likelihood(z, z, -100.0)) == pytest.approx(expected, rel=1e-6)


def test_bernoulli_likelihood_refuses_data_outside_the_unit_interval():
    with pytest.raises(ValueError, match=r"x must lie in \[0, 1\]"):
        vae.bernoulli_log_likelihood(torch.zeros(2, 3), torch.full((2, 3), 255.0))


# -- reduction="sum" -----------------------------------------------------------------------------
def test_sum_reduction_sums_over_dimensions_then_over_the_batch():
    mu = torch.zeros(4, 6, dtype=torch.float64)
    mu[0, :] = 1.0  # per-sample KLs [3, 0, 0, 0]
    zero = torch.zeros_like(mu)
    assert float(vae.gaussian_kl_standard(mu, zero, reduction="sum")) == 3.0
    x, logits = torch.rand(4, 10, dtype=torch.float64), torch.randn(4, 10, dtype=torch.float64)
    w = torch.randn(5, 4, dtype=torch.float64)
    cases = {
        "gaussian_kl_standard": lambda r: vae.gaussian_kl_standard(MU, LOGVAR, reduction=r),
        "gaussian_kl": lambda r: vae.gaussian_kl(MU, LOGVAR, MU[:1] * 0.5, LOGVAR[:1],
                                                 reduction=r),
        "bernoulli_log_likelihood": lambda r: vae.bernoulli_log_likelihood(logits, x,
                                                                            reduction=r),
        "gaussian_log_likelihood": lambda r: vae.gaussian_log_likelihood(logits, x, -0.5,
                                                                          reduction=r),
        "iwae_bound": lambda r: vae.iwae_bound(w, w * 0.5, w * 0.1, reduction=r),
    }
    for name, fn in cases.items():
        per = fn("none")
        torch.testing.assert_close(fn("sum"), per.sum(), msg=name)
        torch.testing.assert_close(fn("sum"), per.shape[0] * fn("mean"), msg=name)
        assert "``reduction=\"sum\"``" in inspect.getdoc(vae) and '"sum"' in inspect.getdoc(
            getattr(vae, name)), name


# -- non-finite inputs: the tensor is named, the overflow message is kept for overflows ---------
def _nan_at(x, index):
    out = x.clone()
    out[index] = math.nan
    return out


def test_a_nan_mean_is_named_not_blamed_on_the_log_variance():
    """Before: "exp of a log-variance overflowed" for a NaN in mu."""
    for fn in (vae.gaussian_kl_standard, vae.reparameterize):
        with pytest.raises(ValueError, match=r"^mu is not finite: .* NaN at index \(2, 1\)$"):
            fn(_nan_at(MU, (2, 1)), LOGVAR)
    with pytest.raises(ValueError, match=r"mu_p is not finite: it contains NaN at index \(0, 2\)"):
        vae.gaussian_kl(MU, LOGVAR, _nan_at(MU[:1], (0, 2)), LOGVAR[:1])
    with pytest.raises(ValueError, match=r"logvar_q is not finite: .* NaN at index \(1, 0\)"):
        vae.gaussian_kl(MU, _nan_at(LOGVAR, (1, 0)), MU, LOGVAR)
    with pytest.raises(ValueError, match=r"z is not finite: it contains NaN at index \(0, 0\)"):
        vae.gaussian_log_density(_nan_at(MU, (0, 0)), 0.0)
    with pytest.raises(ValueError, match=r"mu is not finite: it contains NaN at index 1"):
        vae.gaussian_log_density(MU, _nan_at(MU[0], 1))
    with pytest.raises(ValueError, match=r"^logits is not finite: .* NaN at index \(3, 2\)"):
        vae.bernoulli_log_likelihood(_nan_at(MU, (3, 2)), torch.rand(5, 3, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"x is not finite: it contains NaN at index \(3, 2\)"):
        vae.bernoulli_log_likelihood(MU, _nan_at(torch.rand(5, 3, dtype=torch.float64), (3, 2)))
    with pytest.raises(ValueError, match=r"mean is not finite: it contains NaN at index \(4, 0\)"):
        vae.gaussian_log_likelihood(_nan_at(MU, (4, 0)), MU)
    with pytest.raises(ValueError, match=r"kl is not finite: it contains NaN$"):
        vae.elbo(torch.tensor(-90.0), torch.tensor(math.nan))
    w = torch.zeros(3, 2)
    with pytest.raises(ValueError, match=r"log_prior is not finite: .* NaN at index \(2, 1\)"):
        vae.iwae_bound(w, _nan_at(w, (2, 1)), w)
    z, f, lg = torch.zeros(2, 3), torch.ones(2, 4), torch.zeros(2)
    with pytest.raises(ValueError, match=r"recon_logits is not finite: it contains NaN at index 1"):
        vae.vaegan_terms(z, z, f, f, lg, _nan_at(lg, 1), lg)
    with pytest.raises(ValueError, match=r"mu is not finite"):
        vae.vaegan_terms(_nan_at(z, (0, 0)), z, f, f, lg, lg, lg)
    with pytest.raises(ValueError, match=r"real_features is not finite: .* index \(1, 3\)"):
        vae.vaegan_terms(z, z, _nan_at(f, (1, 3)), f, lg, lg, lg)


def test_the_overflow_message_is_kept_for_a_genuine_overflow():
    # Finite float32 inputs whose exp(logvar) overflows: the message says so.
    with pytest.raises(ValueError, match="the KL is not finite.*exp of a log-variance overflowed"):
        vae.gaussian_kl_standard(torch.zeros(1, 2), torch.full((1, 2), 100.0))
    with pytest.raises(ValueError, match="exp of a log-variance overflowed"):
        vae.gaussian_kl(torch.zeros(1, 2), torch.full((1, 2), 100.0), torch.zeros(1, 2),
                        torch.zeros(1, 2))


def test_check_finite_false_skips_the_checks():
    out = vae.gaussian_kl_standard(_nan_at(MU, (2, 1)), LOGVAR, reduction="none",
                                   check_finite=False)
    assert torch.isnan(out).tolist() == [False, False, True, False, False]
    over = vae.gaussian_kl_standard(torch.zeros(1, 2), torch.full((1, 2), 100.0),
                                    check_finite=False)
    assert float(over) == math.inf  # the overflow check is skipped too: no read of the value
    assert math.isnan(float(vae.elbo(torch.tensor(math.nan), torch.tensor(1.0),
                                     check_finite=False)))
    x = torch.rand(5, 3, dtype=torch.float64)
    for fn, args in ((vae.gaussian_kl_standard, (MU, LOGVAR)),
                     (vae.bernoulli_log_likelihood, (MU, x)),
                     (vae.gaussian_log_likelihood, (MU, x, LOGVAR)),
                     (vae.gaussian_log_density, (x, MU, LOGVAR))):
        torch.testing.assert_close(fn(*args, check_finite=False), fn(*args), rtol=0, atol=0)
    with pytest.raises(TypeError, match="check_finite must be True or False"):
        vae.gaussian_kl_standard(MU, LOGVAR, check_finite=None)


def test_more_bad_input_names_the_argument():
    z = torch.zeros(2, 3)
    # gaussian_log_density: mu and logvar broadcast to z (before: raw torch errors).
    with pytest.raises(ValueError, match=r"mu must have z's shape \(2, 3\) or broadcast to it"):
        vae.gaussian_log_density(z, torch.zeros(4))
    with pytest.raises(ValueError, match=r"logvar must have z's shape \(2, 3\) or broadcast"):
        vae.gaussian_log_density(z, 0.0, torch.zeros(2))
    with pytest.raises(TypeError, match="mu must be a torch.Tensor or a real number; got str"):
        vae.gaussian_log_density(z, "0")
    with pytest.raises(ValueError, match="z and mu must be on one device"):
        vae.gaussian_log_density(z, torch.zeros(3, device="meta"))
    with pytest.raises(TypeError, match="logvar must be a torch.Tensor or a real number"):
        vae.gaussian_log_likelihood(z, z, "0")
    with pytest.raises(ValueError, match=r"logvar must have x's shape \(2, 3\)"):
        vae.gaussian_log_likelihood(z, z, torch.zeros(5))
    # elbo: float tensors of one reduction on one device (before: int arithmetic, raw errors).
    with pytest.raises(TypeError, match="log_likelihood must be a floating-point tensor"):
        vae.elbo(torch.tensor(-90), torch.tensor(10))
    with pytest.raises(ValueError, match="log_likelihood and kl must be on one device"):
        vae.elbo(torch.tensor(-90.0), torch.tensor(10.0, device="meta"))
    # iwae_bound: an empty batch (before: NaN).
    with pytest.raises(ValueError, match=r"log_likelihood must have shape \(K, N\) with K, N >= 1"):
        vae.iwae_bound(torch.zeros(3, 0), torch.zeros(3, 0), torch.zeros(3, 0))
    with pytest.raises(TypeError, match="generator must be a torch.Generator or None; got int"):
        vae.reparameterize(z, z, generator=0)
    with pytest.raises(ValueError, match="mu must hold at least one sample"):
        vae.gaussian_kl_standard(torch.zeros(0, 3), torch.zeros(0, 3))


def test_vaegan_weights_must_be_finite_and_non_negative():
    z, f, lg = torch.zeros(2, 3), torch.ones(2, 4), torch.zeros(2)
    terms = vae.vaegan_terms(z, z, f, f, lg, lg, lg)
    with pytest.raises(ValueError, match="w_gan must be >= 0.0; got -1.0"):
        terms.total(1.0, 1.0, -1.0)
    with pytest.raises(ValueError, match="w_prior must be a finite number; got nan"):
        terms.total(math.nan)
    with pytest.raises(TypeError, match="w_llike must be a real number; got str"):
        terms.total(1.0, "1")
    with pytest.raises(ValueError, match="beta must be >= 0.0"):
        terms.encoder_loss(beta=-0.5)
    with pytest.raises(ValueError, match="gamma must be a finite number"):
        terms.decoder_loss(gamma=math.inf)
