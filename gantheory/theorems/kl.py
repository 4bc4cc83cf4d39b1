r"""Kullback-Leibler divergence: Gibbs' inequality and the Gaussian KL of the VAE.

Every closed form here is checked against an independent computation: quadrature of the
defining integral, Monte Carlo with its standard error, or central finite differences.

``gibbs`` shows :math:`\mathrm{KL}(p\|p) = 0` by quadrature as an identity (its integrand
:math:`p\log(p/p)` is 0 at every node, so it cannot fail) and checks the statement behind
it independently: KL vanishes at :math:`q = p` to second order, with the Fisher information
as its curvature (:func:`_local_kl_curvature`).
"""

from __future__ import annotations

import numpy as np

from gantheory.distributions import Gaussian, GaussianMixture, Uniform
from gantheory.divergences import kl
from gantheory.divergences.numerical import integrate
from gantheory.presets import bimodal
from gantheory.theorems._numerics import derivative
from gantheory.theorems.base import Comparison, Configuration, Theorem
from gantheory.vae_kl import (
    gaussian_kl_standard,
    gaussian_kl_standard_grad,
    gaussian_kl_standard_sigma_grad,
    lecture_form,
)

_LOG2 = float(np.log(2.0))


# -- Gibbs' inequality -------------------------------------------------------------------------
#: Shift of the local expansion of KL(p || p shifted by delta) (and its half).
_SHIFT = 1e-2


def _shifted(p: GaussianMixture, delta: float) -> GaussianMixture:
    """``p`` translated by ``delta`` along the first axis."""
    step = np.zeros(p.dim)
    step[0] = delta
    return GaussianMixture(p.weights, p.means + step, p.covs)


def _local_kl_curvature(p: GaussianMixture) -> tuple[float, float]:
    r"""Both sides of :math:`\mathrm{KL}(p\|p_\delta) = \tfrac12 I \delta^2 + O(\delta^4)`.

    With :math:`p_\delta(x) = p(x - \delta e_1)` and the score :math:`s = \partial_1 \log p`,
    :math:`\log p - \log p_\delta = \delta s - \tfrac12 \delta^2 \partial_1 s + O(\delta^3)`;
    as :math:`\mathbb E_p s = 0` and :math:`-\mathbb E_p \partial_1 s = \mathbb E_p s^2 = I`
    (the Fisher information of location), the mean over :math:`\pm\delta`,
    :math:`S(\delta) = \tfrac12[\mathrm{KL}(p\|p_\delta) + \mathrm{KL}(p\|p_{-\delta})]`,
    is :math:`\tfrac12 I\delta^2 + c\,\delta^4 + O(\delta^6)`. So KL vanishes at
    :math:`q = p` to second order. Returns the extrapolation
    :math:`\lim_{\delta\to0} S(\delta)/\delta^2 \approx (4 S(\delta/2)/(\delta/2)^2 -
    S(\delta)/\delta^2)/3` (error :math:`O(\delta^4)`) of four KL quadratures, and
    :math:`I/2` by quadrature of :math:`p\, s^2` with the mixture's analytic score: two
    integrals that share no code. At :math:`\delta = 10^{-2}` they agree to
    :math:`2\cdot 10^{-10}` (the quadrature error of KL divided by :math:`\delta^2`).
    """

    def ratio(delta: float) -> float:
        pair = (kl(p, _shifted(p, d), method="quadrature").value for d in (delta, -delta))
        return 0.5 * sum(pair) / delta**2

    limit = (4.0 * ratio(_SHIFT / 2) - ratio(_SHIFT)) / 3.0
    fisher = integrate(p, p, lambda x, lp, lq: np.exp(lp) * p.score(x)[:, 0] ** 2,
                       method="quadrature").value
    return limit, 0.5 * fisher


def _check_gibbs(config: Configuration) -> list[Comparison]:
    p, q = config["p"], config["q"]
    out = [
        Comparison("0 <= KL(p || q)", 0.0, kl(p, q).value, "<="),
        Comparison("0 <= KL(q || p)", 0.0, kl(q, p).value, "<="),
        # p log(p/p) is 0 at every node: shown, not counted.
        Comparison("KL(p || p) by quadrature", kl(p, p, method="quadrature").value, 0.0,
                   kind="identity"),
    ]
    if isinstance(p, GaussianMixture):
        out.append(Comparison(
            "KL(p || p shifted by +-delta) / delta^2 as delta -> 0 vs I/2 (Fisher information "
            "of location, quadrature of p (d log p / dx_1)^2)", *_local_kl_curvature(p)))
    if "kl_pq" in config.params:  # the explicit asymmetry example, values derived by hand
        out += [
            Comparison("KL(p || q), quadrature vs log 2 - 1/4",
                       kl(p, q, method="quadrature").value, config["kl_pq"]),
            Comparison("KL(q || p), quadrature vs 2 - log 2",
                       kl(q, p, method="quadrature").value, config["kl_qp"]),
            Comparison("asymmetry: KL(p||q) + 0.8 <= KL(q||p)",
                       kl(p, q).value + 0.8, kl(q, p).value, "<="),
        ]
    return out


GIBBS = Theorem(
    key="gibbs",
    title="Gibbs' inequality: KL >= 0, KL(p||p) = 0, KL is not symmetric",
    statement=(
        r"\mathrm{KL}(P\|Q) = \int p \log\tfrac pq \ge 0,\ = 0 \iff P = Q;\ "
        r"\mathrm{KL}(\mathcal N(0,1)\|\mathcal N(1,4)) = \log 2 - \tfrac14 \ne 2 - \log 2 ="
        r" \mathrm{KL}(\mathcal N(1,4)\|\mathcal N(0,1))"
    ),
    source="Gibbs' inequality (Cover & Thomas 2006, Theorem 2.6.3)",
    tolerance=1e-9,
    configurations=(
        Configuration(
            "N(0, 1) vs N(1, 4) (asymmetry example)",
            {"p": Gaussian(0.0, 1.0), "q": Gaussian(1.0, 4.0),
             "kl_pq": _LOG2 - 0.25, "kl_qp": 2.0 - _LOG2},
        ),
        Configuration("1-D bimodal vs N(0, 1)", {"p": bimodal(), "q": Gaussian(0.0, 1.0)}),
        Configuration(
            "2-D mixture vs mixture",
            {"p": GaussianMixture([0.5, 0.5], [[-1.0, 0.0], [1.0, 0.0]], [0.4, 0.6]),
             "q": GaussianMixture([0.3, 0.7], [[0.0, -0.5], [0.5, 0.8]], [[0.8, 0.5], [0.5, 0.9]])},
        ),
        Configuration("uniform [0,1] inside uniform [0,2]", {"p": Uniform(0.0, 1.0),
                                                             "q": Uniform(0.0, 2.0)}),
    ),
    check=_check_gibbs,
)


# -- The Gaussian KL and the VAE term -----------------------------------------------------------
def _check_gaussian_kl(config: Configuration) -> list[Comparison]:
    p, q = config["p"], config["q"]
    closed = kl(p, q, method="closed_form").value
    out = []
    if p.dim <= 2:
        out.append(Comparison(f"{p.dim}-D closed form vs quadrature", closed,
                              kl(p, q, method="quadrature").value))
    mc = kl(p, q, method="monte_carlo", n_samples=200_000, seed=0)
    out.append(Comparison(f"{p.dim}-D |closed form - Monte Carlo| <= 5 s.e.",
                          abs(closed - mc.value), 5.0 * mc.error, "<="))
    return out


GAUSSIAN_KL = Theorem(
    key="gaussian-kl",
    title="Gaussian KL in closed form equals quadrature and Monte Carlo",
    statement=(
        r"\mathrm{KL}(\mathcal N(\mu_p,\Sigma_p)\|\mathcal N(\mu_q,\Sigma_q)) = \tfrac12\bigl["
        r"\operatorname{tr}(\Sigma_q^{-1}\Sigma_p) + (\mu_q-\mu_p)^\top\Sigma_q^{-1}(\mu_q-\mu_p)"
        r" - d + \log\tfrac{\det\Sigma_q}{\det\Sigma_p}\bigr]"
    ),
    source="Kullback 1959; Kingma & Welling 2013, Appendix B",
    tolerance=1e-9,
    configurations=(
        Configuration("1-D", {"p": Gaussian(0.3, 0.5), "q": Gaussian(-0.2, 2.0)}),
        Configuration("2-D correlated",
                      {"p": Gaussian([0.1, -0.2], [[0.6, 0.2], [0.2, 0.3]]),
                       "q": Gaussian([0.4, 0.1], [[1.0, -0.3], [-0.3, 0.7]])}),
        Configuration("3-D diagonal vs full",
                      {"p": Gaussian([0.0, 0.5, -0.5], [0.5, 1.0, 1.5]),
                       "q": Gaussian([0.2, 0.0, 0.0],
                                     [[1.0, 0.2, 0.0], [0.2, 1.2, 0.1], [0.0, 0.1, 0.9]])}),
    ),
    check=_check_gaussian_kl,
)


def _check_vae_kl(config: Configuration) -> list[Comparison]:
    mu, sigma = np.asarray(config["mu"]), np.asarray(config["sigma"])
    logvar = np.log(sigma**2)
    j = mu.size

    def general(m: np.ndarray, s: np.ndarray) -> float:
        """The general Gaussian closed form of the registry, KL(N(m, diag s^2) || N(0, I))."""
        return kl(Gaussian(m, s**2), Gaussian(np.zeros(j), 1.0), method="closed_form").value

    vae = float(gaussian_kl_standard(mu, logvar))
    out = [
        Comparison("1/2 sum(mu^2 + sigma^2 - 1 - log sigma^2) vs general closed form", vae,
                   general(mu, sigma)),
        Comparison("lecture form sum(e^s - (1 + s) + m^2) vs 2 KL",
                   float(lecture_form(mu, logvar)), 2.0 * general(mu, sigma)),
    ]
    d_mu, d_s = gaussian_kl_standard_grad(mu, logvar)
    _, d_sigma = gaussian_kl_standard_sigma_grad(mu, sigma)
    for i in range(j):
        unit = np.eye(j)[i]
        fd_mu = derivative(lambda t, u=unit: general(mu + t * u, sigma), 0.0)
        fd_sigma = derivative(lambda t, u=unit: general(mu, sigma + t * u), 0.0)
        fd_s = derivative(lambda t, u=unit: general(mu, np.exp(0.5 * (logvar + t * u))), 0.0)
        out += [
            Comparison(f"dKL/dmu_{i} = mu_{i} vs finite differences", d_mu[i], fd_mu),
            Comparison(f"dKL/dsigma_{i} = sigma - 1/sigma vs finite differences", d_sigma[i],
                       fd_sigma),
            Comparison(f"dKL/ds_{i} = (e^s - 1)/2 vs finite differences", d_s[i], fd_s),
        ]
    return out


VAE_KL = Theorem(
    key="vae-kl",
    title="The VAE's KL to N(0, I), its gradients, and the lecture form (= 2 KL)",
    statement=(
        r"\mathrm{KL}(\mathcal N(\mu,\sigma^2)\|\mathcal N(0,1)) = \tfrac12\sum_j(\mu_j^2 + "
        r"\sigma_j^2 - 1 - \log\sigma_j^2),\ \partial_\mu = \mu,\ \partial_\sigma = \sigma - "
        r"\tfrac1\sigma,\ \partial_{\log\sigma^2} = \tfrac12(\sigma^2 - 1);\ \sum_j(e^{s_j} - "
        r"(1+s_j) + m_j^2) = 2\,\mathrm{KL}"
    ),
    source="Kingma & Welling 2013, Appendix B",
    tolerance=1e-8,
    configurations=(
        Configuration("J = 4 latent dimensions",
                      {"mu": [0.5, -1.2, 0.0, 2.0], "sigma": [0.3, 1.0, 1.7, 0.8]}),
        Configuration("J = 2, near the prior", {"mu": [1e-3, -1e-3], "sigma": [0.999, 1.001]}),
    ),
    check=_check_vae_kl,
)

THEOREMS = (GIBBS, GAUSSIAN_KL, VAE_KL)
