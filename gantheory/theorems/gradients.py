r"""Generator gradients at the optimal discriminator (Arjovsky and Bottou 2017).

Take the 1-D location family :math:`g_\theta(z) = \theta + s z`, :math:`z \sim \mathcal N(0, 1)`,
so :math:`p_\theta = \mathcal N(\theta, s^2)`, and hold the optimal discriminator of
:math:`\theta_0`, :math:`D^* = p_\text{data}/(p_\text{data} + p_{\theta_0})`, fixed. With
:math:`\partial g_\theta/\partial\theta = 1` the pathwise gradients are

.. math::

    \nabla_\theta\, \mathbb E_z[-\log D^*(g_\theta(z))]\big|_{\theta_0}
        &= -\mathbb E_{p_{\theta_0}}\bigl[(1 - D^*)(\partial_x \log p_\text{data} - \partial_x
        \log p_{\theta_0})\bigr], \\
    \nabla_\theta\, \mathbb E_z[\log(1 - D^*(g_\theta(z)))]\big|_{\theta_0}
        &= -\mathbb E_{p_{\theta_0}}\bigl[D^*(\partial_x \log p_\text{data} - \partial_x
        \log p_{\theta_0})\bigr],

using :math:`\partial_x \log D^* = (1 - D^*)\,\partial_x \ell` and
:math:`\partial_x \log(1 - D^*) = -D^*\,\partial_x \ell` for the logit
:math:`\ell = \log p_\text{data} - \log p_{\theta_0}`.

* Theorem 2.5 of Arjovsky and Bottou: the first equals
  :math:`\nabla_\theta[\mathrm{KL}(P_\theta\|P_\text{data}) - 2\,\mathrm{JSD}(P_\theta\|
  P_\text{data})]` at :math:`\theta_0`.
* The second equals :math:`\nabla_\theta\, 2\,\mathrm{JSD}(P_\text{data}\|P_\theta)` (the
  envelope theorem applied to :math:`C(G) = \max_D V`), and it vanishes as the supports
  separate (their Theorem 2.4), while the first does not.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from gantheory.discriminator import optimal_discriminator
from gantheory.distributions import Gaussian
from gantheory.divergences import jsd, kl
from gantheory.divergences.numerical import integrate
from gantheory.presets import bimodal
from gantheory.theorems._numerics import derivative
from gantheory.theorems.base import Comparison, Configuration, Theorem

_FD_STEP = 1e-2


def _expectation_under_generator(p_data: Any, p_g: Any, h: Any) -> float:
    r""":math:`\int p_g(x)\, h(x)\, dx` by quadrature (the data only shapes ``h``)."""

    def integrand(x: np.ndarray, lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
        return np.exp(lq) * h(x)

    return integrate(p_data, p_g, integrand, method="quadrature").value


def pathwise_gradients(p_data: Any, theta0: float, s: float) -> tuple[float, float]:
    r"""Pathwise gradients (non-saturating, minimax) at :math:`\theta_0` with :math:`D^*` fixed.

    Returns
    -------
    (float, float)
        :math:`\nabla_\theta \mathbb E[-\log D^*]` and :math:`\nabla_\theta \mathbb
        E[\log(1 - D^*)]`, each by 1-D quadrature.
    """
    p_g = Gaussian(theta0, s**2)
    d_star = optimal_discriminator(p_data, p_g)

    def dlogit(x: np.ndarray) -> np.ndarray:
        return p_data.score(x[:, 0]) - p_g.score(x[:, 0])

    def ns(x: np.ndarray) -> np.ndarray:
        return -special.expit(-d_star.logit(x[:, 0])) * dlogit(x)

    def mm(x: np.ndarray) -> np.ndarray:
        return -special.expit(d_star.logit(x[:, 0])) * dlogit(x)

    return (
        _expectation_under_generator(p_data, p_g, ns),
        _expectation_under_generator(p_data, p_g, mm),
    )


def finite_difference_gradients(p_data: Any, theta0: float, s: float) -> tuple[float, float]:
    r"""The same two gradients by finite differences in :math:`\theta` of the expectations.

    :math:`\theta \mapsto \int p_\theta(x)\,[-\log D^*(x)]\,dx` and
    :math:`\theta \mapsto \int p_\theta(x) \log(1 - D^*(x))\,dx`, with :math:`D^*` the optimal
    discriminator of :math:`\theta_0` (log-space: :math:`\log D^* = \log\sigma(\ell)`).
    """
    d_star = optimal_discriminator(p_data, Gaussian(theta0, s**2))

    def ns(theta: float) -> float:
        return _expectation_under_generator(
            p_data, Gaussian(theta, s**2), lambda x: -special.log_expit(d_star.logit(x[:, 0]))
        )

    def mm(theta: float) -> float:
        return _expectation_under_generator(
            p_data, Gaussian(theta, s**2), lambda x: special.log_expit(-d_star.logit(x[:, 0]))
        )

    return derivative(ns, theta0, _FD_STEP), derivative(mm, theta0, _FD_STEP)


def _check_ns_gradient(config: Configuration) -> list[Comparison]:
    p_data, theta0, s = config["p_data"], config["theta0"], config["s"]
    ns, mm = pathwise_gradients(p_data, theta0, s)

    def kl_minus_2jsd(theta: float) -> float:
        p_g = Gaussian(theta, s**2)
        return kl(p_g, p_data).value - 2.0 * jsd(p_g, p_data).value

    def two_jsd(theta: float) -> float:
        return 2.0 * jsd(p_data, Gaussian(theta, s**2)).value

    return [
        Comparison(
            "grad E[-log D*(g)] (pathwise) vs grad [KL(P_g||P_r) - 2 JSD]",
            ns,
            derivative(kl_minus_2jsd, theta0, _FD_STEP),
        ),
        Comparison(
            "grad E[log(1 - D*(g))] (pathwise) vs grad 2 JSD (envelope theorem)",
            mm,
            derivative(two_jsd, theta0, _FD_STEP),
        ),
    ]


NS_GRADIENT = Theorem(
    key="ns-gradient",
    title="The -log D generator gradient is the gradient of KL(P_g||P_r) - 2 JSD(P_g||P_r)",
    statement=(
        r"\mathbb E_z[-\nabla_\theta \log D^*(g_\theta(z))]|_{\theta_0} = \nabla_\theta"
        r"\bigl[\mathrm{KL}(P_{g_\theta}\|P_r) - 2\,\mathrm{JSD}(P_{g_\theta}\|P_r)\bigr]"
        r"|_{\theta_0},\quad \mathbb E_z[\nabla_\theta \log(1 - D^*(g_\theta(z)))] = "
        r"\nabla_\theta\, 2\,\mathrm{JSD}(P_r\|P_{g_\theta})"
    ),
    source="Arjovsky & Bottou 2017, Theorem 2.5; Goodfellow et al. 2014, Sec. 3",
    tolerance=1e-7,
    configurations=(
        Configuration(
            "data N(0, 1), generator N(1.5, 0.8^2)",
            {"p_data": Gaussian(0.0, 1.0), "theta0": 1.5, "s": 0.8},
        ),
        Configuration(
            "data bimodal (modes -2, 2), generator N(0.5, 1)",
            {"p_data": bimodal(), "theta0": 0.5, "s": 1.0},
        ),
    ),
    check=_check_ns_gradient,
)

#: From theta = 2 on the minimax gradient (= grad 2 JSD, about theta exp(-theta^2/8)) falls;
#: below 2 it still rises, since the JSD is steepest near theta = 2.
_THETAS = (2.0, 4.0, 8.0, 12.0, 16.0)


def _check_vanishing(config: Configuration) -> list[Comparison]:
    p_data = Gaussian(0.0, 1.0)
    out = []
    minimax = []
    for theta in _THETAS:
        fd_ns, fd_mm = finite_difference_gradients(p_data, theta, 1.0)
        pw_ns, pw_mm = pathwise_gradients(p_data, theta, 1.0)
        minimax.append(abs(fd_mm))
        out += [
            Comparison(f"theta = {theta:g}: minimax gradient, finite differences vs pathwise",
                       fd_mm, pw_mm),
            Comparison(f"theta = {theta:g}: -log D gradient, finite differences vs pathwise",
                       fd_ns, pw_ns),
            Comparison(f"theta = {theta:g}: |-log D gradient| >= 0.5", 0.5, abs(fd_ns), "<="),
        ]
    out += [
        Comparison(f"|minimax gradient| decreases from theta = {a:g} to {b:g}", gb, ga, "<=")
        for a, b, ga, gb in zip(_THETAS[:-1], _THETAS[1:], minimax[:-1], minimax[1:], strict=True)
    ]
    out.append(Comparison("|minimax gradient| at theta = 16 <= 1e-12", minimax[-1], 1e-12, "<="))
    return out


VANISHING_GRADIENT = Theorem(
    key="vanishing-gradient",
    title="The minimax generator gradient vanishes as supports separate; -log D's does not",
    statement=(
        r"p_\text{data} = \mathcal N(0, 1),\ p_\theta = \mathcal N(\theta, 1):\ "
        r"|\nabla_\theta \mathbb E[\log(1 - D^*(g_\theta(z)))]| \to 0\ (\theta \to \infty),"
        r"\ |\nabla_\theta \mathbb E[-\log D^*(g_\theta(z))]| \not\to 0"
    ),
    source="Arjovsky & Bottou 2017, Theorem 2.4; Goodfellow et al. 2014, Sec. 3",
    tolerance=1e-7,
    configurations=(Configuration("theta = 2, 4, 8, 12, 16", {}),),
    check=_check_vanishing,
)

THEOREMS = (NS_GRADIENT, VANISHING_GRADIENT)
