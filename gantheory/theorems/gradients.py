r"""Generator gradients at the optimal discriminator (Arjovsky and Bottou 2017).

Take a 1-D Gaussian generator :math:`g(z) = \mu + s z`, :math:`z \sim \mathcal N(0, 1)`, so
:math:`p_g = \mathcal N(\mu, s^2)`, and let :math:`\theta` be its location :math:`\mu` or
its scale :math:`s`. Hold the optimal discriminator of :math:`\theta_0` fixed,

.. math::

    D^* = \frac{p_\text{data}}{p_\text{data} + p_{\theta_0}} = \sigma(\ell), \qquad
    \ell = \log p_\text{data} - \log p_{\theta_0}, \qquad
    \Delta = \partial_x \ell = \partial_x \log p_\text{data} - \partial_x \log p_{\theta_0}.

Since :math:`\partial_x \log D^* = (1 - D^*)\,\Delta` and :math:`\partial_x \log(1 - D^*) =
-D^*\,\Delta`, the chain rule through :math:`x = g_\theta(z)` gives the *pathwise* gradients

.. math::

    \nabla_\theta\, \mathbb E_z[-\log D^*(g_\theta(z))]\big|_{\theta_0}
        &= -\mathbb E_{p_{\theta_0}}\bigl[\dot g(x)\,(1 - D^*(x))\,\Delta(x)\bigr], \\
    \nabla_\theta\, \mathbb E_z[\log(1 - D^*(g_\theta(z)))]\big|_{\theta_0}
        &= -\mathbb E_{p_{\theta_0}}\bigl[\dot g(x)\, D^*(x)\,\Delta(x)\bigr],

with the path derivative :math:`\dot g = \partial g_\theta / \partial\theta` written at
:math:`x = g_{\theta_0}(z)`: :math:`\dot g = 1` for the location, :math:`\dot g = z =
(x - \mu)/s` for the scale.

* **Theorem 2.5** of Arjovsky and Bottou: the first (the *non-saturating*, ``-log D``
  gradient of Goodfellow et al. 2014, Sec. 3) equals

  .. math::

      \nabla_\theta\bigl[\mathrm{KL}(P_\theta\|P_\text{data}) - 2\,\mathrm{JSD}(P_\theta\|
      P_\text{data})\bigr]_{\theta_0};

* the second (the *minimax* gradient) equals :math:`\nabla_\theta\, 2\,\mathrm{JSD}
  (P_\text{data}\|P_\theta)` at :math:`\theta_0`: the envelope theorem applied to
  :math:`C(G) = \max_D V(G, D) = -\log 4 + 2\,\mathrm{JSD}` (Goodfellow et al. 2014,
  Theorem 1), whose maximiser :math:`D^*` need not be differentiated.

Their sum is :math:`-\mathbb E_{p_{\theta_0}}[\dot g\,\Delta] = \nabla_\theta
\mathrm{KL}(P_\theta\|P_\text{data})`, consistent with the two statements.

**Vanishing gradients** (their Theorem 2.4). For :math:`p_\text{data} = \mathcal N(0, 1)`
and :math:`p_\theta = \mathcal N(\theta, 1)` the score difference is the constant
:math:`\Delta = -\theta`, so the minimax gradient is :math:`\theta\,\mathbb E_{p_\theta}[D^*]
= \theta \int p_\text{data} p_\theta / (p_\text{data} + p_\theta)`. Since
:math:`\tfrac12\min(a, b) \le ab/(a + b) \le \min(a, b)` for :math:`a, b > 0` and
:math:`\int \min(p_\text{data}, p_\theta) = 2\Phi(-\theta/2)`,

.. math::

    \theta\,\Phi(-\theta/2) \;\le\; \nabla_\theta\, \mathbb E[\log(1 - D^*)]
    \;\le\; 2\theta\,\Phi(-\theta/2) \;\sim\; \tfrac{4}{\sqrt{2\pi}}\, e^{-\theta^2/8},

which vanishes as the two distributions separate, while the sum of the two gradients is
:math:`\nabla_\theta \mathrm{KL}(P_\theta\|P_\text{data}) = \theta`, so the ``-log D``
gradient tends to :math:`\theta` and does not vanish.

Notes
-----
The minimax gradient is *not* monotone in :math:`\theta` from the start: it rises from
0.398 at :math:`\theta = 1` to a maximum near :math:`\theta \approx 1.6` (0.466 at 1.5,
0.450 at 2), and decreases from there on; the check claims the decrease from
:math:`\theta = 2` only. At :math:`\theta = 12` it is still :math:`1.85\times 10^{-8}`
(between the bounds :math:`1.18\times 10^{-8}` and :math:`2.37\times 10^{-8}`); it drops
below :math:`10^{-12}` only by :math:`\theta = 16` (:math:`1.56\times 10^{-14}`). Values
that small need a quadrature tolerance far below the default 1e-10 (at the default the
:math:`\theta = 16` value comes out 23% too large, the :math:`\theta = 20` one above the
upper bound), hence ``minimax_atol`` :math:`= 10^{-10}\,\Phi(-\theta/2)` there, and the
relative comparisons on a log scale.

Every side is computed independently: the pathwise gradients by one quadrature each
(:func:`gantheory.generator_gradients.pathwise_gradients`, the code under test), the
right-hand sides by Richardson-extrapolated central differences
(:func:`gantheory.theorems._numerics.derivative`, step :math:`10^{-2}`, error
:math:`O(h^4)`) of quadrature values of the divergences, and the finite-difference
gradients of the fixed-:math:`D^*` expectations (:func:`finite_difference_gradients`)
through :math:`\log D^* = \log\sigma(\ell)` rather than the scores.

References
----------
Arjovsky & Bottou, *Towards principled methods for training generative adversarial
networks* (ICLR 2017), Theorems 2.4 and 2.5; Goodfellow et al., *Generative adversarial
nets* (NeurIPS 2014), Theorem 1 and Sec. 3.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from gantheory import _validation as val
from gantheory.discriminator import optimal_discriminator
from gantheory.distributions import Gaussian
from gantheory.divergences import jsd, kl
from gantheory.generator_gradients import (
    GENERATOR_PARAMETERS,
    expectation_under_generator,
    pathwise_gradients,
)
from gantheory.presets import bimodal
from gantheory.theorems._numerics import derivative
from gantheory.theorems.base import Comparison, Configuration, Theorem

__all__ = [
    "NS_GRADIENT",
    "THEOREMS",
    "VANISHING_GRADIENT",
    "finite_difference_gradients",
]

#: Step of the finite differences in theta (Richardson-extrapolated, error O(h^4)).
_FD_STEP = 2e-3
#: Relative quadrature tolerance of the minimax integrals in the vanishing-gradient check,
#: whose gradients reach 1e-14: the tolerance is this times Phi(-theta/2), their scale.
_RELATIVE_ATOL = 1e-10


# -- the generator family ---------------------------------------------------------------------
def _generator(loc: float, scale: float, wrt: str, theta: float) -> Gaussian:
    r""":math:`p_\theta`: :math:`\mathcal N(\theta, s^2)` or :math:`\mathcal N(\mu, \theta^2)`."""
    if wrt == "loc":
        return Gaussian(theta, scale**2)
    return Gaussian(loc, theta**2)


# -- the second way to the generator gradients (the first is the core's pathwise_gradients) ----
def finite_difference_gradients(
    p_data: Any,
    loc: float,
    scale: float,
    *,
    wrt: str = "loc",
    atol: float | None = None,
    minimax_atol: float | None = None,
    step: float = _FD_STEP,
) -> tuple[float, float]:
    r"""The same two gradients by finite differences in :math:`\theta` of the expectations.

    .. math::

        \theta \mapsto \int p_\theta(x)\,[-\log D^*(x)]\,dx, \qquad
        \theta \mapsto \int p_\theta(x) \log(1 - D^*(x))\,dx,

    each by quadrature, with :math:`D^*` the optimal discriminator of :math:`p_{\theta_0} =
    \mathcal N(\mu, s^2)` held fixed, in log space: :math:`\log D^* = \log\sigma(\ell)`,
    :math:`\log(1 - D^*) = \log\sigma(-\ell)` (``scipy.special.log_expit``), finite where
    :math:`D^*` underflows. Neither the scores nor the path derivative enter.

    Parameters
    ----------
    p_data, loc, scale, wrt, atol, minimax_atol
        As in :func:`pathwise_gradients`.
    step : float
        Finite-difference step (Richardson-extrapolated central differences).

    Returns
    -------
    (float, float)
        Non-saturating and minimax gradients.

    Examples
    --------
    >>> from gantheory import Gaussian
    >>> ns, mm = finite_difference_gradients(Gaussian(0.0, 1.0), 2.0, 1.0)
    >>> round(ns + mm, 8)
    2.0
    """
    wrt = val.check_choice(wrt, "wrt", GENERATOR_PARAMETERS)
    theta0 = loc if wrt == "loc" else scale
    d_star = optimal_discriminator(p_data, Gaussian(loc, scale**2))

    def ns(theta: float) -> float:
        return expectation_under_generator(
            p_data,
            _generator(loc, scale, wrt, theta),
            lambda x: -special.log_expit(d_star.logit(x[:, 0])),
            atol,
        )

    def mm(theta: float) -> float:
        return expectation_under_generator(
            p_data,
            _generator(loc, scale, wrt, theta),
            lambda x: special.log_expit(-d_star.logit(x[:, 0])),
            atol if minimax_atol is None else minimax_atol,
        )

    return derivative(ns, theta0, step), derivative(mm, theta0, step)


# -- Theorem 2.5 -------------------------------------------------------------------------------
def _check_ns_gradient(config: Configuration) -> list[Comparison]:
    p_data, loc, scale, wrt = config["p_data"], config["loc"], config["scale"], config["wrt"]
    theta0 = loc if wrt == "loc" else scale
    ns, mm = pathwise_gradients(p_data, loc, scale, wrt=wrt)
    fd_ns, fd_mm = finite_difference_gradients(p_data, loc, scale, wrt=wrt)

    def kl_minus_2jsd(theta: float) -> float:
        p_g = _generator(loc, scale, wrt, theta)
        return kl(p_g, p_data).value - 2.0 * jsd(p_g, p_data).value

    def two_jsd(theta: float) -> float:
        return 2.0 * jsd(p_data, _generator(loc, scale, wrt, theta)).value

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
        Comparison("grad E[-log D*(g)]: pathwise vs finite differences, D* fixed", ns, fd_ns),
        Comparison("grad E[log(1 - D*(g))]: pathwise vs finite differences, D* fixed", mm, fd_mm),
    ]


#: Theorem 8a of the catalogue, ``gantheory verify --only ns-gradient``: Arjovsky and
#: Bottou's Theorem 2.5 and its minimax counterpart, in the location and in the scale of a
#: Gaussian generator, against Gaussian and bimodal data.
NS_GRADIENT = Theorem(
    key="ns-gradient",
    title="The -log D generator gradient is the gradient of KL(P_g||P_r) - 2 JSD(P_g||P_r)",
    statement=(
        r"\mathbb E_z[-\nabla_\theta \log D^*(g_\theta(z))]|_{\theta_0} = \nabla_\theta"
        r"\bigl[\mathrm{KL}(P_{g_\theta}\|P_r) - 2\,\mathrm{JSD}(P_{g_\theta}\|P_r)\bigr]"
        r"|_{\theta_0},\quad \mathbb E_z[\nabla_\theta \log(1 - D^*(g_\theta(z)))]|_{\theta_0}"
        r" = \nabla_\theta\, 2\,\mathrm{JSD}(P_r\|P_{g_\theta})|_{\theta_0}"
    ),
    source="Arjovsky & Bottou 2017, Theorem 2.5; Goodfellow et al. 2014, Theorem 1 and Sec. 3",
    tolerance=1e-7,
    configurations=(
        Configuration(
            "data N(0, 1), generator N(1.5, 0.8^2), theta = location",
            {"p_data": Gaussian(0.0, 1.0), "loc": 1.5, "scale": 0.8, "wrt": "loc"},
        ),
        Configuration(
            "data N(0, 1), generator N(1.5, 0.8^2), theta = scale",
            {"p_data": Gaussian(0.0, 1.0), "loc": 1.5, "scale": 0.8, "wrt": "scale"},
        ),
        Configuration(
            "data bimodal (modes -2, 2), generator N(0.5, 1), theta = location",
            {"p_data": bimodal(), "loc": 0.5, "scale": 1.0, "wrt": "loc"},
        ),
        Configuration(
            "data bimodal (modes -2, 2, weights 0.3 / 0.7), generator N(2, 0.6^2) on one "
            "mode, theta = scale",
            {"p_data": bimodal(weight=0.3), "loc": 2.0, "scale": 0.6, "wrt": "scale"},
        ),
    ),
    check=_check_ns_gradient,
)


# -- Theorem 2.4: the vanishing minimax gradient ----------------------------------------------
def _check_vanishing(config: Configuration) -> list[Comparison]:
    thetas = config["thetas"]
    p_data = Gaussian(0.0, 1.0)
    out = []
    log_minimax, non_saturating = [], []
    for theta in thetas:
        tight = _RELATIVE_ATOL * float(special.ndtr(-theta / 2.0))
        fd_ns, fd_mm = finite_difference_gradients(p_data, theta, 1.0, minimax_atol=tight)
        pw_ns, pw_mm = pathwise_gradients(p_data, theta, 1.0, minimax_atol=tight)
        log_mm = float(np.log(abs(fd_mm)))
        log_minimax.append(log_mm)
        non_saturating.append(fd_ns)
        # log(theta Phi(-theta/2)), the lower bound; the upper one is log 2 above it.
        log_lower = float(np.log(theta) + special.log_ndtr(-theta / 2.0))
        t = f"theta = {theta:g}"
        out += [
            Comparison(f"{t}: minimax gradient, finite differences vs pathwise", fd_mm, pw_mm),
            # The absolute comparison is empty where the gradient is 1e-14; on a log scale
            # the error is the relative one.
            Comparison(
                f"{t}: log |minimax gradient|, finite differences vs pathwise",
                log_mm,
                float(np.log(abs(pw_mm))),
            ),
            Comparison(f"{t}: -log D gradient, finite differences vs pathwise", fd_ns, pw_ns),
            Comparison(f"{t}: -log D gradient >= 0.5", 0.5, fd_ns, "<="),
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
    steps = list(zip(thetas[:-1], thetas[1:], strict=True))
    out += [
        Comparison(f"log |minimax gradient| decreases from theta = {a:g} to {b:g}", lb, la, "<=")
        for (a, b), la, lb in zip(steps, log_minimax[:-1], log_minimax[1:], strict=True)
        if a >= config["decreasing_from"]
    ]
    out += [
        Comparison(f"-log D gradient increases from theta = {a:g} to {b:g}", na, nb, "<=")
        for (a, b), na, nb in zip(steps, non_saturating[:-1], non_saturating[1:], strict=True)
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


#: Theorem 8b of the catalogue, ``gantheory verify --only vanishing-gradient``: data
#: N(0, 1), generator N(theta, 1) moving away; both gradients by finite differences of the
#: fixed-D* expectations and by the pathwise formula, the minimax one against its bounds.
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

#: The theorems of this module, for :mod:`gantheory.theorems.catalogue`.
THEOREMS: tuple[Theorem, ...] = (NS_GRADIENT, VANISHING_GRADIENT)
