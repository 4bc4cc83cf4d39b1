r"""The generator gradients of both GAN objectives at the optimal discriminator, pathwise.

A 1-D Gaussian generator :math:`g(z) = \mu + s z`, :math:`z \sim \mathcal N(0, 1)`, so
:math:`p_g = \mathcal N(\mu, s^2)`, with :math:`\theta` its location or its scale, against
the optimal discriminator of :math:`\theta_0` held fixed (:func:`pathwise_gradients`): the
non-saturating and the minimax gradient, by quadrature. The statements they satisfy
(Arjovsky and Bottou 2017, Theorems 2.4 and 2.5) are checked in
:mod:`gantheory.theorems.gradients`; the conformance checks of :mod:`gantheory.testing` and
the figures use the same function.

Numeric core: numpy and scipy only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import special

from gantheory import _validation as val
from gantheory.discriminator import optimal_discriminator
from gantheory.distributions import Gaussian
from gantheory.divergences.numerical import integrate

__all__ = ["GENERATOR_PARAMETERS", "expectation_under_generator", "pathwise_gradients"]

#: The generator parameters :math:`\theta` can stand for: the location or the scale.
GENERATOR_PARAMETERS = ("loc", "scale")


def expectation_under_generator(
    p_data: Any, p_g: Any, h: Callable[[np.ndarray], np.ndarray], atol: float | None = None
) -> float:
    r""":math:`\int p_g(x)\, h(x)\, dx` by quadrature (the data only shape the domain).

    ``h`` maps points ``(n, 1)`` to values ``(n,)``.

    Examples
    --------
    >>> from gantheory import Gaussian
    >>> round(expectation_under_generator(Gaussian(0.0, 1.0), Gaussian(2.0, 1.0),
    ...                                   lambda x: x[:, 0] ** 2), 10)  # 1 + 2^2
    5.0
    """

    def integrand(x: np.ndarray, lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
        return np.exp(lq) * h(x)

    return integrate(p_data, p_g, integrand, method="quadrature", atol=atol).value


def pathwise_gradients(
    p_data: Any,
    loc: float,
    scale: float,
    *,
    wrt: str = "loc",
    atol: float | None = None,
    minimax_atol: float | None = None,
) -> tuple[float, float]:
    r"""Pathwise generator gradients at :math:`p_{\theta_0} = \mathcal N(\mu, s^2)`, :math:`D^*`
    fixed.

    .. math::

        -\mathbb E_{p_{\theta_0}}\bigl[\dot g\,(1 - D^*)\,\Delta\bigr], \qquad
        -\mathbb E_{p_{\theta_0}}\bigl[\dot g\,D^*\,\Delta\bigr], \qquad
        \Delta = \partial_x \log p_\text{data} - \partial_x \log p_{\theta_0},

    with :math:`\dot g = 1` (``wrt="loc"``) or :math:`\dot g = (x - \mu)/s` (``wrt="scale"``),
    and :math:`1 - D^* = \sigma(-\ell)`, :math:`D^* = \sigma(\ell)` taken from the logit
    :math:`\ell = \log p_\text{data} - \log p_{\theta_0}` (no ratio of densities is formed).

    Parameters
    ----------
    p_data : Distribution
        1-D data distribution with ``score`` and ``logpdf``.
    loc, scale : float
        The generator :math:`\mathcal N(\mu, s^2)` at which the gradients are taken, and whose
        optimal discriminator is held fixed.
    wrt : {"loc", "scale"}
        The parameter :math:`\theta`: the location :math:`\mu` or the scale :math:`s`.
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
    >>> ns, mm = pathwise_gradients(Gaussian(0.0, 1.0), 0.0, 2.0, wrt="scale")
    >>> round(ns + mm, 10)  # d/ds KL(N(0, s^2) || N(0, 1)) = s - 1/s
    1.5
    """
    wrt = val.check_choice(wrt, "wrt", GENERATOR_PARAMETERS)
    p_g = Gaussian(loc, scale**2)
    d_star = optimal_discriminator(p_data, p_g)

    def path_times_score_difference(x: np.ndarray) -> np.ndarray:
        x1 = x[:, 0]
        dg = 1.0 if wrt == "loc" else (x1 - loc) / scale
        return dg * (p_data.score(x1) - p_g.score(x1))

    def ns(x: np.ndarray) -> np.ndarray:
        return -special.expit(-d_star.logit(x[:, 0])) * path_times_score_difference(x)

    def mm(x: np.ndarray) -> np.ndarray:
        return -special.expit(d_star.logit(x[:, 0])) * path_times_score_difference(x)

    return (
        expectation_under_generator(p_data, p_g, ns, atol),
        expectation_under_generator(
            p_data, p_g, mm, atol if minimax_atol is None else minimax_atol
        ),
    )
