r"""Mode covering and mode seeking: fitting one Gaussian to two modes.

Fit :math:`q_\theta = \mathcal N(m, s^2)` to a well separated bimodal mixture
:math:`p = w_1\,\mathcal N(\mu_1, \sigma^2) + w_2\,\mathcal N(\mu_2, \sigma^2)` by
minimising a divergence over :math:`\theta = (m, \log s)`, each divergence evaluated by
quadrature on the exact densities and minimised by BFGS with finite-difference gradients
(:func:`gantheory.gaussian_fit.fit_gaussian`); nothing of the answer enters the
optimisation.

* **Forward KL** (maximum likelihood), :math:`\min_\theta \mathrm{KL}(p\|q_\theta)`. Since

  .. math::

      \mathrm{KL}(p\|q_\theta) = -H(p) + \tfrac12\log(2\pi s^2)
          + \frac{\operatorname{Var}_p[x] + (\mathbb E_p[x] - m)^2}{2 s^2},

  the minimiser is moment matching, :math:`m = \mathbb E_p[x]`,
  :math:`s^2 = \operatorname{Var}_p[x]`, with minimum
  :math:`\tfrac12\log(2\pi e \operatorname{Var}_p[x]) - H(p)`: the penalty
  :math:`p\log(p/q)` is large wherever :math:`p` has mass and :math:`q` has none, so
  :math:`q` **covers** both modes (:math:`s \ge |\mu_2 - \mu_1|/2 - \sigma`).
* **Reverse KL**, :math:`\min_\theta \mathrm{KL}(q_\theta\|p)`: the penalty is large
  wherever :math:`q` puts mass and :math:`p` has none, so :math:`q` **seeks** one mode and
  fits it, :math:`m \approx \mu_k`, :math:`s \approx \sigma`. With
  :math:`\mathcal N_k = \mathcal N(\mu_k, \sigma^2)`,

  .. math::

      \min_\theta \mathrm{KL}(q_\theta\|p) \le \mathrm{KL}(\mathcal N_k\|p)
          = -\log w_k - \mathbb E_{\mathcal N_k}\Bigl[\log\Bigl(1 + \frac{w_j
          \mathcal N_j}{w_k \mathcal N_k}\Bigr)\Bigr] \le -\log w_k ,

  and the correction is small when the modes are far apart, so the minimum lies just below
  :math:`-\log w_k`.
* **JSD**, symmetric and bounded, lies in between: :math:`s_\text{rev} \le s_\text{JSD}
  \le s_\text{fwd}`.

This is the picture behind mode collapse: the GAN generator's objective behaves more like
the reverse divergence than maximum likelihood does (Goodfellow 2016, Fig. 5).

The check states, for the reverse fit :math:`(m_\text{rev}, s_\text{rev})` and the mode
:math:`\mu_k` nearest to it,

.. math::

    |m_\text{rev} - \mu_k| \le 0.01\,\sigma, \qquad |s_\text{rev} - \sigma| \le 0.01\,\sigma,
    \qquad -\log w_k - 10^{-3} \le \mathrm{KL}(q_\text{rev}\|p) \le -\log w_k,

bounds about 10 to 25 times the measured offsets (below) and some 400 times below what a
covering fit would give (:math:`|m - \mu_k| \approx 4\sigma`).

Notes
-----
Measured on :func:`gantheory.presets.bimodal` (modes :math:`\pm 2`, :math:`\sigma = 0.5`):

* the forward fit reproduces the moments to about :math:`2\times 10^{-7}` (on
  :math:`s^2`), hence the tolerance :math:`10^{-6}`;
* the reverse fit is :math:`(1.99980, 0.50040)` with equal weights (KL 0.693053, below
  :math:`\log 2` by :math:`9.4\times 10^{-5}`) and :math:`(1.99987, 0.50026)` with weights
  0.3/0.7 (KL below :math:`-\log 0.7` by :math:`6\times 10^{-5}`): the other mode's
  tail pulls the optimum off :math:`(\mu_k, \sigma)` by a few :math:`10^{-4}`, a real
  offset (Nelder-Mead with tight tolerances finds the same point to :math:`10^{-8}`);
* the symmetric stationary point of the reverse KL, :math:`(m, s) \approx (0, 1.736)`, is
  a *local minimum*, not a saddle (Hessian eigenvalues 0.33 and 13.0 in :math:`(m, \log s)`),
  with :math:`\mathrm{KL}(q\|p) \approx 1.871`, worse than the mode fit's
  :math:`\approx \log 2`; a start at or near :math:`m = 0` stays there, so the reverse fit
  starts at :math:`m = 1`;
* the JSD has two local minima too, a covering one (:math:`s \approx 2.04`) and a
  mode-seeking one (:math:`s \approx 0.50`); with equal weights the covering one is lower
  (0.2010 vs 0.2157), with weights 0.3/0.7 the heavier mode's (0.1173 vs 0.2010). Both
  satisfy :math:`s_\text{rev} \le s_\text{JSD} \le s_\text{fwd}`, and both are checked.

References
----------
Bishop, *Pattern Recognition and Machine Learning* (2006), Sec. 10.1.2 and Fig. 10.3;
Minka, *Divergence measures and message passing*, Microsoft Research MSR-TR-2005-173;
Goodfellow, *NIPS 2016 tutorial: generative adversarial networks*, Fig. 5.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gantheory.distributions import Gaussian
from gantheory.divergences import entropy, jsd, kl
from gantheory.gaussian_fit import fit_gaussian
from gantheory.presets import bimodal
from gantheory.theorems.base import Comparison, Configuration, Theorem

__all__ = ["MODE_SEEKING", "THEOREMS"]

#: Where the reverse-KL fit starts, as (m, log s): off the symmetric point, which is a local
#: minimum.
_REVERSE_START = (1.0, 0.0)

#: Allowed offsets of the reverse-KL fit from the mode it seeks, in component standard
#: deviations (measured: 4e-4 in m, 8e-4 in s).
_MODE_FIT = 0.01

#: Allowed gap below -log w_k of the reverse-KL minimum (measured: 9.4e-5 and 6e-5).
_KL_GAP = 1e-3


def _check_modes(config: Configuration) -> list[Comparison]:
    p: Any = config["p"]
    modes, std, weights = config["modes"], config["std"], config["weights"]
    separation = abs(modes[1] - modes[0])

    def forward_kl(q: Gaussian) -> float:
        return kl(p, q).value

    def reverse_kl(q: Gaussian) -> float:
        return kl(q, p).value

    def js(q: Gaussian) -> float:
        return jsd(p, q).value

    m_fwd, s_fwd = fit_gaussian(forward_kl, (0.0, 0.0))
    var_p = float(p.cov[0, 0])
    m_rev, s_rev = fit_gaussian(reverse_kl, _REVERSE_START)
    k = int(np.argmin([abs(mode - m_rev) for mode in modes]))
    kl_rev = reverse_kl(Gaussian(m_rev, s_rev**2))
    log_w = float(np.log(weights[k]))
    # Reverse KL started from the covering solution: a local minimum at best as good.
    m_cov, s_cov = fit_gaussian(reverse_kl, (m_fwd, np.log(s_fwd)))
    # The JSD's two local minima, reached from the covering and from the mode-seeking fit.
    m_jc, s_jc = fit_gaussian(js, (m_fwd, np.log(s_fwd)))
    m_js, s_js = fit_gaussian(js, (m_rev, np.log(s_rev)))
    jsd_c, jsd_s = js(Gaussian(m_jc, s_jc**2)), js(Gaussian(m_js, s_js**2))
    s_jsd = s_jc if jsd_c <= jsd_s else s_js
    return [
        # (a) forward KL: moment matching, covering both modes.
        Comparison("forward KL fit: m = E_p[x]", m_fwd, float(p.mean[0])),
        Comparison("forward KL fit: s^2 = Var_p[x]", s_fwd**2, var_p),
        Comparison(
            "forward KL minimum = log(2 pi e Var_p) / 2 - H(p)",
            forward_kl(Gaussian(m_fwd, s_fwd**2)),
            0.5 * float(np.log(2.0 * np.pi * np.e * var_p)) - entropy(p).value,
        ),
        Comparison(
            "forward KL covers both modes: separation / 2 - std <= s_fwd",
            separation / 2 - std,
            s_fwd,
            "<=",
        ),
        # (b) reverse KL: one mode, its width, and KL just below -log w_k.
        Comparison(
            f"reverse KL seeks a mode: |m - {modes[k]:g}| <= {_MODE_FIT:g} std",
            abs(m_rev - modes[k]),
            _MODE_FIT * std,
            "<=",
        ),
        Comparison(
            f"reverse KL fits that mode's width: |s - std| <= {_MODE_FIT:g} std",
            abs(s_rev - std),
            _MODE_FIT * std,
            "<=",
        ),
        Comparison("min KL(q || p) <= -log w_k", kl_rev, -log_w, "<="),
        Comparison(f"-log w_k - {_KL_GAP:g} <= min KL(q || p)", -log_w - _KL_GAP, kl_rev, "<="),
        Comparison(
            "KL(q || p): mode fit <= fit started from the covering solution",
            kl_rev,
            reverse_kl(Gaussian(m_cov, s_cov**2)),
            "<=",
        ),
        Comparison("s_reverse < s_forward (margin 1)", s_rev + 1.0, s_fwd, "<="),
        # (c) JSD between the two, at its better local minimum and at both.
        Comparison("s_reverse <= s_JSD (the lower JSD minimum)", s_rev, s_jsd, "<="),
        Comparison("s_JSD (the lower JSD minimum) <= s_forward", s_jsd, s_fwd, "<="),
        Comparison("s_reverse <= s_JSD (mode-seeking local minimum)", s_rev, s_js, "<="),
        Comparison("s_JSD (covering local minimum) <= s_forward", s_jc, s_fwd, "<="),
    ]


#: Theorem 7 of the catalogue, ``gantheory verify --only mode-seeking``: one Gaussian fitted
#: to :func:`gantheory.presets.bimodal` by forward KL, reverse KL and JSD, with equal and
#: with unequal weights.
MODE_SEEKING = Theorem(
    key="mode-seeking",
    title="Forward KL covers the modes, reverse KL seeks one, JSD lies between",
    statement=(
        r"\arg\min_{m,s} \mathrm{KL}(p\|\mathcal N(m,s^2)) = (\mathbb E_p x, \sqrt{"
        r"\operatorname{Var}_p x})\ \text{(covers both modes)};\ \arg\min_{m,s}"
        r"\mathrm{KL}(\mathcal N(m,s^2)\|p) \approx (\mu_k, \sigma),\ \min \approx -\log w_k"
        r"\ \text{(one mode)};\ s_\text{rev} \le s_\text{JSD} \le s_\text{fwd}"
    ),
    source=(
        "Bishop, PRML (2006), Sec. 10.1.2 and Fig. 10.3; Minka 2005, Divergence measures and "
        "message passing; Goodfellow 2016, NIPS tutorial, Fig. 5"
    ),
    tolerance=1e-6,
    configurations=(
        Configuration(
            "bimodal: modes -2, 2, std 0.5, equal weights",
            {"p": bimodal(), "modes": (-2.0, 2.0), "std": 0.5, "weights": (0.5, 0.5)},
        ),
        Configuration(
            "bimodal: modes -2, 2, std 0.5, weights 0.3 / 0.7",
            {"p": bimodal(weight=0.3), "modes": (-2.0, 2.0), "std": 0.5, "weights": (0.3, 0.7)},
        ),
    ),
    check=_check_modes,
)

#: The theorems of this module, for :mod:`gantheory.theorems.catalogue`.
THEOREMS: tuple[Theorem, ...] = (MODE_SEEKING,)
