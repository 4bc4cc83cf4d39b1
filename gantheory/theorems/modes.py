r"""Mode covering and mode seeking: fitting one Gaussian to two modes.

Fit :math:`q_\theta = \mathcal N(m, s^2)` to a well separated bimodal mixture :math:`p` by
minimising a divergence over :math:`\theta = (m, \log s)` on the exact densities:

* forward KL, :math:`\min_\theta \mathrm{KL}(p\|q_\theta)` (maximum likelihood): the penalty
  :math:`p \log(p/q)` is large wherever :math:`p` has mass and :math:`q` does not, so
  :math:`q` **covers** both modes; over the Gaussians the minimiser is moment matching,
  :math:`m = \mathbb E_p[x]`, :math:`s^2 = \operatorname{Var}_p[x]`;
* reverse KL, :math:`\min_\theta \mathrm{KL}(q_\theta\|p)`: the penalty is large wherever
  :math:`q` puts mass and :math:`p` does not, so :math:`q` **seeks** one mode and fits it;
* JSD, symmetric and bounded, lies in between: :math:`s_\text{rev} \le s_\text{JSD} \le
  s_\text{fwd}`.

This is the picture behind mode collapse (the GAN generator's objective behaves more like
the reverse divergence than maximum likelihood does).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import optimize

from gantheory.distributions import Gaussian
from gantheory.divergences import jsd, kl
from gantheory.presets import bimodal
from gantheory.theorems.base import Comparison, Configuration, Theorem

_OPTIONS = {"gtol": 1e-9, "maxiter": 200}


def fit_gaussian(
    objective: Callable[[Gaussian], float], start: tuple[float, float]
) -> tuple[float, float]:
    r"""Minimise ``objective(N(m, s^2))`` over :math:`(m, \log s)` by BFGS.

    The gradient is taken by finite differences of the objective: nothing of the theory
    (moments, modes) enters the optimisation.

    Returns
    -------
    (m, s) : tuple of float
    """

    def loss(theta: np.ndarray) -> float:
        return objective(Gaussian(theta[0], np.exp(2.0 * theta[1])))

    res = optimize.minimize(loss, np.array(start), method="BFGS", options=_OPTIONS)
    return float(res.x[0]), float(np.exp(res.x[1]))


def _check_modes(config: Configuration) -> list[Comparison]:
    p: Any = config["p"]
    modes, std = config["modes"], config["std"]
    separation = abs(modes[1] - modes[0])
    m_fwd, s_fwd = fit_gaussian(lambda q: kl(p, q).value, (0.0, 0.0))
    m_rev, s_rev = fit_gaussian(lambda q: kl(q, p).value, (1.0, 0.0))
    m_jsd, s_jsd = fit_gaussian(lambda q: jsd(p, q).value, (1.0, 0.0))
    nearest = min(modes, key=lambda mode: abs(mode - m_rev))
    return [
        Comparison("forward KL fit: m = E_p[x]", m_fwd, float(p.mean[0])),
        Comparison("forward KL fit: s^2 = Var_p[x]", s_fwd**2, float(p.cov[0, 0])),
        Comparison("forward KL covers both modes: s >= separation / 2 - std",
                   separation / 2 - std, s_fwd, "<="),
        Comparison("reverse KL seeks a mode: |m - mode| <= 0.05 separation",
                   abs(m_rev - nearest), 0.05 * separation, "<="),
        Comparison("reverse KL fits that mode's width: |s - std| <= 0.1 std",
                   abs(s_rev - std), 0.1 * std, "<="),
        Comparison("s_reverse <= s_JSD", s_rev, s_jsd, "<="),
        Comparison("s_JSD <= s_forward", s_jsd, s_fwd, "<="),
    ]


MODE_SEEKING = Theorem(
    key="mode-seeking",
    title="Forward KL covers the modes, reverse KL seeks one, JSD lies between",
    statement=(
        r"\arg\min_{m,s} \mathrm{KL}(p\|\mathcal N(m,s^2)) = (\mathbb E_p x, \operatorname{Var}_p"
        r" x)\ \text{(covers both modes)};\ \arg\min_{m,s}\mathrm{KL}(\mathcal N(m,s^2)\|p)"
        r" \approx (\mu_k, \sigma_k)\ \text{(one mode)};\ s_\text{rev} \le s_\text{JSD} \le "
        r"s_\text{fwd}"
    ),
    source=(
        "Bishop, PRML (2006), Sec. 10.1.2 and Fig. 10.3; Minka 2005, Divergence measures and "
        "message passing; Goodfellow 2016, NIPS tutorial, Fig. 5"
    ),
    tolerance=1e-5,
    configurations=(
        Configuration(
            "bimodal: modes -2, 2, std 0.5, equal weights",
            {"p": bimodal(), "modes": (-2.0, 2.0), "std": 0.5},
        ),
        Configuration(
            "bimodal: modes -2, 2, std 0.5, weights 0.3 / 0.7",
            {"p": bimodal(weight=0.3), "modes": (-2.0, 2.0), "std": 0.5},
        ),
    ),
    check=_check_modes,
)

THEOREMS = (MODE_SEEKING,)
