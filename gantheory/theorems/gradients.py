r"""Generator gradients at the optimal discriminator (Arjovsky and Bottou 2017).

Take the 1-D location family :math:`g_\theta(z) = \theta + s z`, :math:`z \sim \mathcal N(0, 1)`,
so :math:`p_\theta = \mathcal N(\theta, s^2)`, and hold the optimal discriminator of
:math:`\theta_0`, :math:`D^* = p_\text{data}/(p_\text{data} + p_{\theta_0}) = \sigma(\ell)`,
fixed, with logit :math:`\ell = \log p_\text{data} - \log p_{\theta_0}`. With
:math:`\partial g_\theta/\partial\theta = 1`, :math:`\partial_x \log D^* = (1 - D^*)\,
\partial_x \ell` and :math:`\partial_x \log(1 - D^*) = -D^*\,\partial_x \ell`, the pathwise
gradients are

.. math::

    \nabla_\theta\, \mathbb E_z[-\log D^*(g_\theta(z))]\big|_{\theta_0}
        &= -\mathbb E_{p_{\theta_0}}\bigl[(1 - D^*)(\partial_x \log p_\text{data} - \partial_x
        \log p_{\theta_0})\bigr], \\
    \nabla_\theta\, \mathbb E_z[\log(1 - D^*(g_\theta(z)))]\big|_{\theta_0}
        &= -\mathbb E_{p_{\theta_0}}\bigl[D^*(\partial_x \log p_\text{data} - \partial_x
        \log p_{\theta_0})\bigr].

* Theorem 2.5 of Arjovsky and Bottou: the first (the *non-saturating*, ``-log D``
  gradient) equals

  .. math::

      \nabla_\theta\bigl[\mathrm{KL}(P_\theta\|P_\text{data}) - 2\,\mathrm{JSD}(P_\theta\|
      P_\text{data})\bigr]_{\theta_0};

* the second (the *minimax* gradient) equals :math:`\nabla_\theta\, 2\,\mathrm{JSD}
  (P_\text{data}\|P_\theta)` at :math:`\theta_0`: the envelope theorem applied to
  :math:`C(G) = \max_D V(G, D) = -\log 4 + 2\,\mathrm{JSD}` (Goodfellow et al. 2014).

**Vanishing gradients.** For :math:`p_\text{data} = \mathcal N(0, 1)` and
:math:`p_\theta = \mathcal N(\theta, 1)` the score difference is the constant
:math:`-\theta`, so the minimax gradient is :math:`\theta\,\mathbb E_{p_\theta}[D^*] =
\theta \int p_\text{data} p_\theta / (p_\text{data} + p_\theta)`. Since
:math:`\tfrac12\min(a, b) \le ab/(a + b) \le \min(a, b)` and
:math:`\int \min(p_\text{data}, p_\theta) = 2\Phi(-\theta/2)`,

.. math::

    \theta\,\Phi(-\theta/2) \;\le\; \nabla_\theta\, \mathbb E[\log(1 - D^*)]
    \;\le\; 2\theta\,\Phi(-\theta/2) \;\sim\; \tfrac{4}{\sqrt{2\pi}}\, e^{-\theta^2/8},

which vanishes as the two distributions separate (their Theorem 2.4), while the sum of the
two gradients is :math:`\nabla_\theta \mathrm{KL}(P_\theta\|P_\text{data}) = \theta`, so
the ``-log D`` gradient tends to :math:`\theta` and does not vanish.

Notes
-----
The minimax gradient is *not* monotone in :math:`\theta` from the start: it rises from
0.398 at :math:`\theta = 1` to a maximum near :math:`\theta \approx 1.6` (0.466 at 1.5,
0.450 at 2), and decreases from there on. At :math:`\theta = 12` it is still
:math:`1.85\times 10^{-8}` (between the bounds :math:`1.18\times 10^{-8}` and
:math:`2.37\times 10^{-8}`); it drops below :math:`10^{-12}` only by :math:`\theta = 16`
(:math:`1.56\times 10^{-14}`). Values that small need a quadrature tolerance far below
the default 1e-10 (at the default, the :math:`\theta = 16` value comes out 23% too large
and the :math:`\theta = 20` one above the upper bound), hence ``minimax_atol`` of
:math:`10^{-10}\,\Phi(-\theta/2)` there.

References
----------
Arjovsky & Bottou, *Towards principled methods for training generative adversarial
networks* (ICLR 2017), Theorems 2.4 and 2.5; Goodfellow et al., *Generative adversarial
nets* (NeurIPS 2014), Sec. 3.
"""

from __future__ import annotations

from collections.abc import Callable
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

#: Step of the finite differences in theta (Richardson-extrapolated, error O(h^4)).
_FD_STEP = 1e-2
#: Relative quadrature tolerance of the minimax integrals in the vanishing-gradient check,
#: whose gradients reach 1e-14: the tolerance is this times Phi(-theta/2), their scale.
_RELATIVE_ATOL = 1e-10


def _expectation_under_generator(
    p_data: Any, p_g: Any, h: Callable[[np.ndarray], np.ndarray], atol: float | None = None
) -> float:
    r""":math:`\int p_g(x)\, h(x)\, dx` by quadrature (the data only shape the domain)."""

    def integrand(x: np.ndarray, lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
        return np.exp(lq) * h(x)

    return integrate(p_data, p_g, integrand, method="quadrature", atol=atol).value


def pathwise_gradients(
    p_data: Any,
    theta0: float,
    s: float,
    *,
    atol: float | None = None,
    minimax_atol: float | None = None,
) -> tuple[float, float]:
    r"""Pathwise generator gradients at :math:`\theta_0` with :math:`D^*_{\theta_0}` fixed.

    .. math::

        -\mathbb E_{p_{\theta_0}}\bigl[(1 - D^*)\,\Delta\bigr], \qquad
        -\mathbb E_{p_{\theta_0}}\bigl[D^*\,\Delta\bigr], \qquad
        \Delta = \partial_x \log p_\text{data} - \partial_x \log p_{\theta_0},

    with :math:`1 - D^* = \sigma(-\ell)` and :math:`D^* = \sigma(\ell)` taken from the logit.

    Parameters
    ----------
    p_data : Distribution
        1-D data distribution with ``score`` and ``logpdf``.
    theta0 : float
        Generator location; the generator is :math:`\mathcal N(\theta_0, s^2)`.
    s : float
        Generator scale.
    atol : float, optional
        Quadrature tolerance (default 1e-10).
    minimax_atol : float, optional
        Quadrature tolerance of the minimax integral (default ``atol``): set it far below
        1e-10 where that gradient is tiny.

    Returns
    -------
    (float, float)
        :math:`\nabla_\theta \mathbb E[-\log D^*(g_\theta(z))]` (non-saturating) and
        :math:`\nabla_\theta \mathbb E[\log(1 - D^*(g_\theta(z)))]` (minimax).

    Examples
    --------
    >>> from gantheory import Gaussian
    >>> ns, mm = pathwise_gradients(Gaussian(0.0, 1.0), 2.0, 1.0)
    >>> round(ns + mm, 10)  # d/dtheta KL(N(theta, 1) || N(0, 1)) = theta
    2.0
    """
    p_g = Gaussian(theta0, s**2)
    d_star = optimal_discriminator(p_data, p_g)

    def score_difference(x: np.ndarray) -> np.ndarray:
        return p_data.score(x[:, 0]) - p_g.score(x[:, 0])

    def ns(x: np.ndarray) -> np.ndarray:
        return -special.expit(-d_star.logit(x[:, 0])) * score_difference(x)

    def mm(x: np.ndarray) -> np.ndarray:
        return -special.expit(d_star.logit(x[:, 0])) * score_difference(x)

    return (
        _expectation_under_generator(p_data, p_g, ns, atol),
        _expectation_under_generator(
            p_data, p_g, mm, atol if minimax_atol is None else minimax_atol
        ),
    )


def finite_difference_gradients(
    p_data: Any,
    theta0: float,
    s: float,
    *,
    atol: float | None = None,
    minimax_atol: float | None = None,
    step: float = _FD_STEP,
) -> tuple[float, float]:
    r"""The same two gradients by finite differences in :math:`\theta` of the expectations.

    .. math::

        \theta \mapsto \int p_\theta(x)\,[-\log D^*(x)]\,dx, \qquad
        \theta \mapsto \int p_\theta(x) \log(1 - D^*(x))\,dx,

    with :math:`D^*` the optimal discriminator of :math:`\theta_0`, held fixed, in log space:
    :math:`\log D^* = \log\sigma(\ell)`, :math:`\log(1 - D^*) = \log\sigma(-\ell)`
    (``scipy.special.log_expit``), finite where :math:`D^*` underflows.

    Parameters
    ----------
    p_data, theta0, s, atol, minimax_atol
        As in :func:`pathwise_gradients`.
    step : float
        Finite-difference step (Richardson-extrapolated central differences).

    Returns
    -------
    (float, float)
        Non-saturating and minimax gradients.
    """
    d_star = optimal_discriminator(p_data, Gaussian(theta0, s**2))

    def ns(theta: float) -> float:
        return _expectation_under_generator(
            p_data,
            Gaussian(theta, s**2),
            lambda x: -special.log_expit(d_star.logit(x[:, 0])),
            atol,
        )

    def mm(theta: float) -> float:
        return _expectation_under_generator(
            p_data,
            Gaussian(theta, s**2),
            lambda x: special.log_expit(-d_star.logit(x[:, 0])),
            atol if minimax_atol is None else minimax_atol,
        )

    return derivative(ns, theta0, step), derivative(mm, theta0, step)


# -- Theorem 2.5 -------------------------------------------------------------------------------
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
            "grad E[-log D*(g)] (pathwise) vs grad [KL(P_g||P_r) - 2 JSD(P_g||P_r)]",
            ns,
            derivative(kl_minus_2jsd, theta0, _FD_STEP),
        ),
        Comparison(
            "grad E[log(1 - D*(g))] (pathwise) vs grad 2 JSD(P_r||P_g) (envelope theorem)",
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


# -- Theorem 2.4: the vanishing minimax gradient ----------------------------------------------
def _check_vanishing(config: Configuration) -> list[Comparison]:
    thetas = config["thetas"]
    p_data = Gaussian(0.0, 1.0)
    out = []
    log_minimax = []
    for theta in thetas:
        tight = _RELATIVE_ATOL * float(special.ndtr(-theta / 2.0))
        fd_ns, fd_mm = finite_difference_gradients(p_data, theta, 1.0, minimax_atol=tight)
        pw_ns, pw_mm = pathwise_gradients(p_data, theta, 1.0, minimax_atol=tight)
        log_mm = float(np.log(abs(fd_mm)))
        log_minimax.append(log_mm)
        # log(theta Phi(-theta/2)), the lower bound; the upper one is log 2 above it.
        log_lower = float(np.log(theta) + special.log_ndtr(-theta / 2.0))
        t = f"theta = {theta:g}"
        out += [
            Comparison(f"{t}: minimax gradient, finite differences vs pathwise", fd_mm, pw_mm),
            Comparison(
                f"{t}: minimax gradient, |finite differences - pathwise| <= 1e-5 |pathwise|",
                abs(fd_mm - pw_mm),
                1e-5 * abs(pw_mm),
                "<=",
            ),
            Comparison(f"{t}: -log D gradient, finite differences vs pathwise", fd_ns, pw_ns),
            Comparison(f"{t}: |-log D gradient| >= 0.5", 0.5, abs(fd_ns), "<="),
            Comparison(
                f"{t}: sum of the two = grad KL(P_theta||P_r) = theta", fd_ns + fd_mm, theta
            ),
            Comparison(
                f"{t}: log(theta Phi(-theta/2)) <= log |minimax gradient|", log_lower, log_mm, "<="
            ),
            Comparison(
                f"{t}: log |minimax gradient| <= log(2 theta Phi(-theta/2))",
                log_mm,
                log_lower + float(np.log(2.0)),
                "<=",
            ),
        ]
    pairs = [
        (a, b, la, lb)
        for a, b, la, lb in zip(
            thetas[:-1], thetas[1:], log_minimax[:-1], log_minimax[1:], strict=True
        )
        if a >= config["decreasing_from"]
    ]
    out += [
        Comparison(f"log |minimax gradient| decreases from theta = {a:g} to {b:g}", lb, la, "<=")
        for a, b, la, lb in pairs
    ]
    out.append(
        Comparison(
            f"log |minimax gradient| at theta = {thetas[-1]:g} <= log {config['vanished']:g}",
            log_minimax[-1],
            float(np.log(config["vanished"])),
            "<=",
        )
    )
    return out


VANISHING_GRADIENT = Theorem(
    key="vanishing-gradient",
    title="The minimax generator gradient vanishes as supports separate; -log D's does not",
    statement=(
        r"p_\text{data} = \mathcal N(0, 1),\ p_\theta = \mathcal N(\theta, 1):\ "
        r"\theta\Phi(-\tfrac\theta2) \le \nabla_\theta \mathbb E[\log(1 - D^*(g_\theta(z)))]"
        r" \le 2\theta\Phi(-\tfrac\theta2) \to 0,\ "
        r"\nabla_\theta \mathbb E[-\log D^*(g_\theta(z))] = \theta - \nabla_\theta"
        r" \mathbb E[\log(1 - D^*)] \not\to 0"
    ),
    source="Arjovsky & Bottou 2017, Theorems 2.4 and 2.5; Goodfellow et al. 2014, Sec. 3",
    tolerance=1e-7,
    configurations=(
        Configuration(
            "theta = 1, 2, 4, 8, 12, 16 (decreasing from theta = 2)",
            {"thetas": (1.0, 2.0, 4.0, 8.0, 12.0, 16.0), "decreasing_from": 2.0, "vanished": 1e-12},
        ),
    ),
    check=_check_vanishing,
)

THEOREMS = (NS_GRADIENT, VANISHING_GRADIENT)
