"""The torch losses against the numpy core: the point of the loss library.

Expectations are taken *exactly* by the core's adaptive quadrature
(:func:`gantheory.divergences.numerical.integrate`): a loss's per-sample terms
(``reduction="none"``) are evaluated in torch at the quadrature nodes and integrated against
the two densities, so the only error is the quadrature's (about 1e-10). Monte Carlo checks use
the core's samplers and a standard error computed from the same per-sample terms.
"""

import math

import numpy as np
import pytest
import torch
from scipy import special

import gantheory as g
from gantheory import losses, vae_kl
from gantheory.discriminator import optimal_discriminator, training_criterion, value_function
from gantheory.divergences.fdiv import TABLE
from gantheory.divergences.numerical import integrate
from gantheory.presets import bimodal
from gantheory.theorems.fgan import OPTIMAL_LOGIT
from gantheory.theorems.gradients import NS_GRADIENT

LOG4 = math.log(4.0)
PAIRS_1D = {
    "gaussians": (g.Gaussian(0.0, 1.0), g.Gaussian(1.5, 0.8**2)),
    "bimodal vs gaussian": (bimodal(), g.Gaussian(0.5, 1.0)),
}
PAIR_2D = (g.Gaussian([0.0, 0.2], [[0.9, 0.2], [0.2, 0.7]]),
           g.Gaussian([0.4, -0.1], [[1.1, 0.15], [0.15, 0.85]]))
#: The pairs of the core's f-GAN theorem, on which all nine divergences are finite.
FGAN_PAIRS = {
    "gaussians": (g.Gaussian(0.0, 1.0), g.Gaussian(0.8, 1.3**2)),
    "mixtures": (g.GaussianMixture([0.4, 0.6], [-1.0, 1.0], [0.6**2, 0.8**2]),
                 g.GaussianMixture([0.5, 0.5], [-0.5, 1.2], [0.7**2, 0.9**2])),
}


def _t(a):
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float64))


def expected_two_batch(loss, p, q, output, **options):
    r"""E_p[real term] + E_q[fake term] of a two-batch loss by the core's quadrature.

    ``output(x, lp, lq)`` is the discriminator's output at the nodes (numpy).
    """

    def integrand(x, lp, lq):
        v = _t(output(x, lp, lq))
        terms = loss(v, v, reduction="none")
        return np.exp(lp) * terms.real.numpy() + np.exp(lq) * terms.fake.numpy()

    return integrate(p, q, integrand, method="quadrature", **options)


# -- minimax: the loss at D* is log 4 - 2 JSD ----------------------------------------------------
@pytest.mark.parametrize("pair", [*PAIRS_1D, "2-D gaussians"])
def test_minimax_d_loss_at_d_star_is_log4_minus_2jsd_by_quadrature(pair):
    p, q = PAIRS_1D.get(pair, PAIR_2D)
    d_star = optimal_discriminator(p, q)
    value = expected_two_batch(losses.minimax_d_loss, p, q, lambda x, lp, lq: d_star.logit(x))
    jsd = g.jsd(p, q)
    tol = 1e-9 if p.dim == 1 else 1e-7  # the quadrature tolerances, 1e-10 and 1e-8
    assert value.value == pytest.approx(LOG4 - 2 * jsd.value, abs=tol)
    # The numpy path (the core's V(G, D*)) at the same nodes: equal to rounding.
    assert value.value == pytest.approx(-training_criterion(p, q).value, abs=1e-13)


@pytest.mark.parametrize("pair", list(PAIRS_1D))
def test_minimax_d_loss_at_d_star_within_monte_carlo_error(pair):
    p, q = PAIRS_1D[pair]
    d_star = optimal_discriminator(p, q)
    n = 100_000
    real = _t(d_star.logit(p.sample(n, seed=1)))
    fake = _t(d_star.logit(q.sample(n, seed=2)))
    terms = losses.minimax_d_loss(real, fake, reduction="none")
    se = float(torch.sqrt(terms.real.var() / n + terms.fake.var() / n))
    exact = LOG4 - 2 * g.jsd(p, q).value
    assert abs(float(losses.minimax_d_loss(real, fake)) - exact) <= 4 * se
    assert se < 5e-3


def test_numpy_and_torch_paths_agree_on_identical_inputs():
    logits = np.linspace(-40, 40, 2001)
    t = _t(logits)
    terms = losses.minimax_d_loss(t, t, reduction="none")
    np.testing.assert_allclose(terms.real.numpy(), -special.log_expit(logits), rtol=1e-14)
    np.testing.assert_allclose(terms.fake.numpy(), -special.log_expit(-logits), rtol=1e-14,
                               atol=1e-300)
    np.testing.assert_allclose(losses.non_saturating_g_loss(t, reduction="none").numpy(),
                               -special.log_expit(logits), rtol=1e-14)
    np.testing.assert_allclose(losses.minimax_g_loss(t, reduction="none").numpy(),
                               special.log_expit(-logits), rtol=1e-14)
    # The core's value function with an arbitrary (non-optimal) discriminator.
    p, q = PAIRS_1D["gaussians"]

    class Linear:
        def logit(self, x):
            return 0.7 - 1.3 * np.asarray(x)[..., 0]

        def __call__(self, x):
            return special.expit(self.logit(x))

    core = value_function(p, q, Linear()).value
    ours = expected_two_batch(losses.minimax_d_loss, p, q, lambda x, lp, lq: Linear().logit(x))
    assert ours.value == pytest.approx(-core, abs=1e-13)


# -- generator gradients --------------------------------------------------------------------------
def _torch_logpdf_1d(dist, x):
    """log density of a 1-D GaussianMixture in torch (differentiable in x)."""
    w = _t(dist.weights)
    mu = _t(dist.means[:, 0])
    var = _t(dist.covs[:, 0, 0])
    comp = torch.log(w) - 0.5 * torch.log(2 * math.pi * var) - (x[:, None] - mu) ** 2 / (2 * var)
    return torch.logsumexp(comp, dim=1)


def _autograd_generator_gradient(loss, p_data, loc, scale, wrt="loc"):
    r"""d/dtheta E_z[loss(l(g_theta(z)))], g = loc + scale z, theta = loc or scale, D* fixed.

    The expectation is taken by the core's quadrature over x = g(z) ~ N(loc, scale^2). Each
    node carries its own copy of theta, so autograd gives the per-sample pathwise derivative
    through the generator and the discriminator's logit (D* of the current generator, held
    fixed, written in torch and checked against the core's ``optimal_discriminator.logit``).
    """
    p_g = g.Gaussian(loc, scale**2)
    d_star = optimal_discriminator(p_data, p_g)

    def integrand(x, lp, lq):
        z = _t((x[:, 0] - loc) / scale)
        theta = torch.full_like(z, loc if wrt == "loc" else scale, requires_grad=True)
        xt = theta + scale * z if wrt == "loc" else loc + theta * z  # the generator
        logit = _torch_logpdf_1d(p_data, xt) - _torch_logpdf_1d(p_g, xt)  # D*, fixed
        np.testing.assert_allclose(logit.detach().numpy(), d_star.logit(x), rtol=1e-11,
                                   atol=1e-11)
        (grad,) = torch.autograd.grad(loss(logit, reduction="none").sum(), theta)
        return np.exp(lq) * grad.numpy()

    return integrate(p_data, p_g, integrand, method="quadrature").value


def _generator_config(config):
    params = config.params
    if "loc" in params:
        return params["p_data"], params["loc"], params["scale"], params.get("wrt", "loc")
    return params["p_data"], params["theta0"], params["s"], "loc"


@pytest.mark.parametrize("config", NS_GRADIENT.configurations, ids=lambda c: c.name)
def test_generator_gradients_match_the_core_finite_differences(config):
    p_data, loc, scale, wrt = _generator_config(config)
    # The first two comparisons' right-hand sides: finite differences of the theorem values
    # KL(p_g||p_data) - 2 JSD and 2 JSD, each by the core's quadrature.
    ns_cmp, mm_cmp = NS_GRADIENT.check(config)[:2]
    assert "KL" in ns_cmp.label and "JSD" in mm_cmp.label
    ns = _autograd_generator_gradient(losses.non_saturating_g_loss, p_data, loc, scale, wrt)
    mm = _autograd_generator_gradient(losses.minimax_g_loss, p_data, loc, scale, wrt)
    # grad E[-log D*] = grad [KL(p_g||p_data) - 2 JSD]; grad E[log(1 - D*)] = grad 2 JSD.
    assert ns == pytest.approx(ns_cmp.rhs, abs=NS_GRADIENT.tolerance)
    assert mm == pytest.approx(mm_cmp.rhs, abs=NS_GRADIENT.tolerance)
    # The core's pathwise integrals (numpy, from the scores): equal to quadrature accuracy.
    assert ns == pytest.approx(ns_cmp.lhs, abs=1e-10)
    assert mm == pytest.approx(mm_cmp.lhs, abs=1e-10)


def test_reduced_loss_gradient_is_the_mean_of_the_per_sample_gradients():
    # The mean-reduced loss on quantile nodes (equal weights) approximates the same gradient.
    p_data, theta0, s = g.Gaussian(0.0, 1.0), 1.5, 0.8
    z = _t(special.ndtri((np.arange(200_000) + 0.5) / 200_000))
    theta = torch.tensor(theta0, dtype=torch.float64, requires_grad=True)
    x = theta + s * z
    logit = _torch_logpdf_1d(p_data, x) - _torch_logpdf_1d(g.Gaussian(theta0, s**2), x)
    (ns,) = torch.autograd.grad(losses.non_saturating_g_loss(logit), theta)
    core_ns = _autograd_generator_gradient(losses.non_saturating_g_loss, p_data, theta0, s)
    assert float(ns) == pytest.approx(core_ns, abs=1e-5)


# -- f-GAN -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(TABLE))
def test_fgan_torch_table_equals_the_numpy_table(name):
    row = TABLE[name]
    v = np.linspace(-12.0, 12.0, 481)
    t_np = row.activation(v)
    t_torch = losses.fgan_activation(_t(v), name).numpy()
    np.testing.assert_allclose(t_torch, t_np, rtol=1e-13, atol=1e-15)
    with np.errstate(all="ignore"):
        conj_np = row.conjugate(t_np)
    conj_torch = losses.fgan_conjugate(_t(t_np), name).numpy()
    ok = np.isfinite(conj_np)
    np.testing.assert_allclose(conj_torch[ok], conj_np[ok], rtol=1e-11, atol=1e-12)
    # The loss's simplified f*(g_f(v)) agrees where the literal composition is accurate.
    fake_terms = losses.fgan_d_loss(_t(v), _t(v), name, reduction="none").fake.numpy()
    np.testing.assert_allclose(fake_terms[ok], conj_np[ok], rtol=1e-9, atol=1e-9)
    real_terms = losses.fgan_d_loss(_t(v), _t(v), name, reduction="none").real.numpy()
    np.testing.assert_allclose(real_terms, -t_np, rtol=1e-13, atol=1e-15)


def _v_star(name, lp, lq):
    r = lp - lq
    if name == "total_variation":  # T* = sign(r)/2 needs v = +-inf; tanh(+-inf) = +-1
        return np.sign(r) * np.inf
    return OPTIMAL_LOGIT[name](r)


def _finite_optimum(name):
    """check_finite for outputs at v*: off only for the TV row, whose v* = +-inf is a limit."""
    return name != "total_variation"


@pytest.mark.parametrize("pair", list(FGAN_PAIRS))
@pytest.mark.parametrize("name", list(TABLE))
def test_fgan_loss_at_t_star_reaches_the_core_divergence(name, pair):
    p, q = FGAN_PAIRS[pair]

    def fgan(r, f, reduction):
        return losses.fgan_d_loss(r, f, name, reduction=reduction,
                                  check_finite=_finite_optimum(name))

    def integrand(x, lp, lq):
        v = _t(_v_star(name, lp, lq))
        terms = fgan(v, v, "none")
        return -(np.exp(lp) * terms.real.numpy() + np.exp(lq) * terms.fake.numpy())

    bound = integrate(p, q, integrand, method="quadrature",
                      kink_where_equal=name == "total_variation").value
    core = g.f_divergence(p, q, name).value
    assert bound == pytest.approx(core, abs=1e-8, rel=1e-8)

    # A perturbed critic stays below: -L_T <= D_f.
    def perturbed(x, lp, lq):
        v = _v_star(name, lp, lq)
        v = np.where(np.isfinite(v), v, np.sign(v) * 3.0) + 0.3 * np.sin(2 * x[:, 0])
        terms = fgan(_t(v), _t(v), "none")
        return -(np.exp(lp) * terms.real.numpy() + np.exp(lq) * terms.fake.numpy())

    assert integrate(p, q, perturbed, method="quadrature").value < core - 1e-4


@pytest.mark.parametrize("name", list(TABLE))
def test_fgan_loss_at_t_star_within_monte_carlo_error(name):
    p, q = FGAN_PAIRS["gaussians"]
    n = 100_000
    xp, xq = p.sample(n, seed=3), q.sample(n, seed=4)
    vp = _t(_v_star(name, p.logpdf(xp), q.logpdf(xp)))
    vq = _t(_v_star(name, p.logpdf(xq), q.logpdf(xq)))
    check = {"check_finite": _finite_optimum(name)}
    terms = losses.fgan_d_loss(vp, vq, name, reduction="none", **check)
    se = float(torch.sqrt(terms.real.var() / n + terms.fake.var() / n))
    estimate = -float(losses.fgan_d_loss(vp, vq, name, **check))
    assert abs(estimate - g.f_divergence(p, q, name).value) <= 4 * se, (estimate, se)


# -- other optima ---------------------------------------------------------------------------------
def _stationary(loss, p, q, output, h=lambda x: np.sin(x[:, 0]) + 0.5, eps=1e-3):
    """(first, second) derivatives in eps of E[loss(output + eps h)] by quadrature."""
    def at(e):
        return expected_two_batch(loss, p, q, lambda x, lp, lq: output(x, lp, lq) + e * h(x)
                                  ).value
    f0, fp, fm = at(0.0), at(eps), at(-eps)
    return (fp - fm) / (2 * eps), (fp - 2 * f0 + fm) / eps**2


def test_one_sided_label_smoothing_optimum_is_alpha_d_star():
    p, q = PAIRS_1D["gaussians"]
    alpha = 0.9
    d = optimal_discriminator(p, q)

    def smoothed(r, f, reduction):
        return losses.bce_d_loss(r, f, real_targets=alpha, reduction=reduction)

    logit = lambda x, lp, lq: special.logit(alpha * d(x))  # noqa: E731
    first, second = _stationary(smoothed, p, q, logit)
    assert abs(first) < 1e-7 and second > 1e-3
    first, _ = _stationary(smoothed, p, q, lambda x, lp, lq: d.logit(x))  # the unsmoothed D*
    assert abs(first) > 1e-3


def test_lsgan_optimum_is_d_star():
    p, q = PAIRS_1D["bimodal vs gaussian"]
    d = optimal_discriminator(p, q)  # Mao et al. (2017), eq. (4) with a = 0, b = 1
    first, second = _stationary(losses.lsgan_d_loss, p, q, lambda x, lp, lq: d(x))
    assert abs(first) < 1e-8 and second > 1e-3


# -- VAE ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_vae_kl_equals_the_core_closed_form_registry_and_torch(dtype):
    rng = np.random.default_rng(0)
    mu, logvar = rng.normal(size=(6, 4)), 0.7 * rng.normal(size=(6, 4))
    ours = losses.gaussian_kl_standard(_t(mu).to(dtype), _t(logvar).to(dtype), reduction="none")
    core = vae_kl.gaussian_kl_standard(mu, logvar)
    rtol = 1e-14 if dtype == torch.float64 else 1e-6
    np.testing.assert_allclose(ours.double().numpy(), core, rtol=rtol)
    registry = [g.kl(g.Gaussian(m, np.exp(s)), g.Gaussian(np.zeros(4), 1.0)).value
                for m, s in zip(mu, logvar, strict=True)]
    np.testing.assert_allclose(ours.double().numpy(), registry, rtol=max(rtol, 1e-12))
    t_mu, t_lv = _t(mu).to(dtype), _t(logvar).to(dtype)
    q = torch.distributions.Normal(t_mu, torch.exp(0.5 * t_lv))
    prior = torch.distributions.Normal(torch.zeros_like(t_mu), torch.ones_like(t_mu))
    torch_kl = torch.distributions.kl_divergence(q, prior).sum(1)
    torch.testing.assert_close(ours, torch_kl)
    assert 2 * float(ours.sum()) == pytest.approx(float(vae_kl.lecture_form(mu, logvar).sum()),
                                                  rel=rtol * 10)


def test_vae_kl_gradients_are_mu_and_sigma_minus_inverse_sigma():
    rng = np.random.default_rng(1)
    mu_np, sigma_np = rng.normal(size=(1, 5)), rng.uniform(0.3, 2.0, size=(1, 5))
    mu = _t(mu_np).requires_grad_(True)
    sigma = _t(sigma_np).requires_grad_(True)
    value = losses.gaussian_kl_standard(mu, torch.log(sigma**2))  # batch of one: mean = sum
    d_mu, d_sigma = torch.autograd.grad(value, (mu, sigma))
    core_mu, core_sigma = vae_kl.gaussian_kl_standard_sigma_grad(mu_np, sigma_np)
    np.testing.assert_allclose(d_mu.numpy(), core_mu, rtol=1e-14)
    np.testing.assert_allclose(d_sigma.numpy(), core_sigma, rtol=1e-13)
    np.testing.assert_allclose(d_sigma.numpy(), sigma_np - 1 / sigma_np, rtol=1e-13)
    logvar = _t(np.log(sigma_np**2)).requires_grad_(True)
    (d_s,) = torch.autograd.grad(losses.gaussian_kl_standard(mu, logvar), logvar)
    np.testing.assert_allclose(d_s.numpy(), vae_kl.gaussian_kl_standard_grad(
        mu_np, np.log(sigma_np**2))[1], rtol=1e-13)
    # The batch mean divides every sample's gradient by N.
    big_mu = _t(np.repeat(mu_np, 4, axis=0)).requires_grad_(True)
    (d_big,) = torch.autograd.grad(
        losses.gaussian_kl_standard(big_mu, torch.zeros_like(big_mu)), big_mu)
    np.testing.assert_allclose(d_big.numpy(), np.repeat(mu_np, 4, axis=0) / 4, rtol=1e-14)


def test_elbo_by_quadrature_is_log_evidence_minus_core_kl_to_the_posterior():
    # z ~ N(0, 1), x | z ~ N(z, s2); encoder q = N(m, v); ELBO = log p(x) - KL(q || posterior).
    s2, x_obs, m, v = 0.5, 1.2, 0.3, 0.4
    q = g.Gaussian(m, v)
    posterior = g.Gaussian(x_obs / (1 + s2), s2 / (1 + s2))

    def integrand(z, lq, lpost):
        zt = _t(z)  # (n, 1): n "samples" of z, each with its batch row
        x = torch.full_like(zt, x_obs)
        ll = losses.gaussian_log_likelihood(zt, x, math.log(s2), reduction="none")
        kl = losses.gaussian_kl_standard(torch.full_like(zt, m), torch.full_like(zt, math.log(v)),
                                         reduction="none")
        return np.exp(lq) * losses.elbo(ll, kl).numpy()

    value = integrate(q, posterior, integrand, method="quadrature").value
    log_px = -0.5 * (math.log(2 * math.pi * (1 + s2)) + x_obs**2 / (1 + s2))
    assert value == pytest.approx(log_px - g.kl(q, posterior).value, abs=1e-10)
