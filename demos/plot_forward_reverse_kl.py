r"""
Forward KL covers the modes, reverse KL seeks one
=================================================

Fit one Gaussian :math:`q = \mathcal N(m, s^2)` to a mixture :math:`p` of two well separated
modes. The forward KL

.. math::

    \mathrm{KL}(p\,\|\,q) = \int p \log\frac{p}{q}

is large wherever :math:`p` has mass and :math:`q` has none, so its minimiser covers both
modes (it matches the moments); the reverse KL :math:`\mathrm{KL}(q\,\|\,p)` is large wherever
:math:`q` puts mass that :math:`p` lacks, so its minimisers sit on one mode,
:math:`(m, s) \approx (\mu_k, \sigma)`, with :math:`\min \mathrm{KL}(q\,\|\,p) \approx -\log
w_k`. The JSD lies in between. Right: each divergence minimised over :math:`s` for every
:math:`m`: one minimum against two. Checked by ``gantheory verify --only mode-seeking``.

Theory: :doc:`/theory/mode_collapse`.
"""

# %%
# The fits
# --------
# :func:`gantheory.gaussian_fit.fit_gaussian` minimises any function of a Gaussian
# :math:`q = \mathcal N(m, s^2)` over :math:`(m, \log s)` by BFGS. Each objective is a
# divergence of the core, computed by quadrature.
import matplotlib.pyplot as plt
import numpy as np
from scipy import optimize

from gantheory import Gaussian, jsd, kl, plotting
from gantheory.gaussian_fit import fit_gaussian
from gantheory.presets import bimodal

plotting.use_style()
p = bimodal()
forward = fit_gaussian(lambda q: kl(p, q).value, (0.0, 0.0))
fits = {"forward KL(p||q)": forward,
        "reverse KL(q||p)": fit_gaussian(lambda q: kl(q, p).value, (1.0, 0.0)),
        "reverse KL, other start": fit_gaussian(lambda q: kl(q, p).value, (-1.0, 0.0)),
        "JSD": fit_gaussian(lambda q: jsd(p, q).value, (forward[0], np.log(forward[1])))}
for name, (m, s) in fits.items():
    print(f"{name:24s} m = {m:+.3f}, s = {s:.3f}")

# %%
# Profiles: the best :math:`s` for each mean :math:`m` (a bounded scalar search). Forward KL
# has one minimum, between the modes; reverse KL has two, one per mode, at
# :math:`\approx \log 2 = -\log w_k` (the weight of the mode it ignores does not count).
locs = np.linspace(-3.5, 3.5, 41)


def profile(divergence):
    """The minimum over s of divergence(N(m, s^2)), for each m of locs."""
    return np.array([optimize.minimize_scalar(
        lambda log_s, m=m: divergence(Gaussian(m, np.exp(2.0 * log_s))),
        bounds=(np.log(0.05), np.log(10.0)), method="bounded").fun for m in locs])


forward_profile = profile(lambda q: kl(p, q).value)
reverse_profile = profile(lambda q: kl(q, p).value)

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 3.2), layout="constrained")
x = np.linspace(-5.0, 5.0, 801)
left.fill_between(x, p.pdf(x), color=plotting.DATA, alpha=0.15, lw=0)
left.plot(x, p.pdf(x), color=plotting.DATA, label=r"data $p$")
for (name, (m, s)), ls in zip(fits.items(), ("-", "-", ":", "--"), strict=True):
    left.plot(x, Gaussian(m, s**2).pdf(x), ls=ls, label=f"{name}: m = {m:.2f}, s = {s:.2f}")
left.set(xlabel="x", ylabel="density", ylim=(0, 1.05), title=r"fits $q = \mathcal{N}(m, s^2)$")
left.legend(loc="upper left", fontsize=6)
right.plot(locs, forward_profile, label=r"$\min_s \mathrm{KL}(p\,\|\,q)$")
right.plot(locs, reverse_profile, label=r"$\min_s \mathrm{KL}(q\,\|\,p)$")
right.axhline(np.log(2.0), color=plotting.DATA, lw=0.8, ls=":")
right.set(xlabel=r"mean $m$ of $q$ (its std $s$ optimised)", ylabel="nats", ylim=(0, 4.0),
          title="profiles: one minimum vs two")
right.legend(loc="upper center", fontsize=7)
fig.suptitle("forward KL covers the modes (mean seeking), reverse KL seeks one mode")
plt.show()
