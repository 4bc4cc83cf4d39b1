r"""Fitting one Gaussian to a distribution by minimising a divergence.

:func:`fit_gaussian` minimises any objective of a 1-D Gaussian :math:`\mathcal N(m, s^2)`
(a divergence to or from a target, typically) over :math:`(m, \log s)`. The mode-covering
and mode-seeking fits of :mod:`gantheory.theorems.modes` and the figures use it.

Numeric core: numpy and scipy only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import optimize

from gantheory.distributions import Gaussian

__all__ = ["fit_gaussian"]

#: BFGS stops when the gradient (finite differences of a quadrature value) is below this;
#: the forward fit's moments come out within about 2e-7.
_OPTIONS = {"gtol": 1e-7, "maxiter": 200}


def fit_gaussian(
    objective: Callable[[Gaussian], float], start: tuple[float, float]
) -> tuple[float, float]:
    r"""Minimise ``objective(N(m, s^2))`` over :math:`(m, \log s)` by BFGS.

    .. math::

        (\hat m, \log \hat s) = \arg\min_{(m, \log s) \in \mathbb R^2}
        \mathrm{objective}\bigl(\mathcal N(m, s^2)\bigr),

    a local minimum reached from ``start``. The gradient is taken by finite differences of
    the objective: nothing of the theory (moments, modes) enters the optimisation.

    Parameters
    ----------
    objective : callable
        Maps a 1-D :class:`~gantheory.Gaussian` to the value to minimise.
    start : (float, float)
        Initial :math:`(m, \log s)`.

    Returns
    -------
    (m, s) : tuple of float
        The minimiser found, as mean and standard deviation.

    Examples
    --------
    >>> from gantheory import Gaussian, kl
    >>> m, s = fit_gaussian(lambda q: kl(Gaussian(1.0, 4.0), q).value, (0.0, 0.0))
    >>> round(m, 5), round(s, 5)
    (1.0, 2.0)
    """

    def loss(theta: np.ndarray) -> float:
        return objective(Gaussian(theta[0], np.exp(2.0 * theta[1])))

    res = optimize.minimize(loss, np.array(start, dtype=float), method="BFGS", options=_OPTIONS)
    return float(res.x[0]), float(np.exp(res.x[1]))
