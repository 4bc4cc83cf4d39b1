r"""
The Jensen-Shannon divergence saturates at log 2
================================================

.. math::

    \mathrm{JSD}(P\,\|\,Q) = \tfrac12 \mathrm{KL}(P\,\|\,M) + \tfrac12 \mathrm{KL}(Q\,\|\,M),
    \qquad M = \tfrac12(P + Q), \qquad 0 \le \mathrm{JSD} \le \log 2,

with :math:`\log 2` exactly when :math:`P` and :math:`Q` are mutually singular. Two Gaussians
moving apart (left) approach :math:`\log 2` but never reach it; two intervals (right) reach it
as soon as their supports are disjoint, and from there on the JSD no longer depends on the
shift :math:`\delta`: its gradient is zero, which is why a GAN generator trained against an
optimal discriminator can stall (Arjovsky and Bottou 2017). Checked by
``gantheory verify --only jsd-bounds``.

Theory: :doc:`/theory/jsd_bounds`.
"""

# %%
# Two Gaussians drifting apart
# ----------------------------
# :func:`gantheory.jsd` returns a :class:`~gantheory.DivergenceResult` (value, error estimate,
# method). For two Gaussians of the same width it integrates by quadrature.
import matplotlib.pyplot as plt
import numpy as np

from gantheory import Gaussian, Uniform, jsd, plotting

plotting.use_style()
deltas = np.linspace(0.0, 12.0, 61)
gaussians = {std: np.array([jsd(Gaussian(0.0, std**2), Gaussian(d, std**2)).value
                            for d in deltas]) for std in (0.5, 1.0, 2.0)}
for std, v in gaussians.items():
    print(f"sigma = {std}: JSD at delta = 12 is {v[-1]:.6f} (log 2 = {np.log(2):.6f})")

# %%
# Two intervals
# -------------
# :math:`\mathrm{JSD}(U[0, 1]\,\|\,U[\delta, 1 + \delta]) = \delta \log 2` while they overlap,
# and exactly :math:`\log 2` once they do not: a constant, whose gradient in :math:`\delta` is
# zero. This is the generator's problem in Arjovsky and Bottou (2017).
shifts = np.linspace(0.0, 3.0, 31)
uniform = np.array([jsd(Uniform(0.0, 1.0), Uniform(s, 1.0 + s)).value for s in shifts])
print("largest |JSD - min(delta, 1) log 2|:",
      f"{np.max(np.abs(uniform - np.minimum(shifts, 1.0) * np.log(2))):.1e}")

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(7.0, 2.8), layout="constrained")
for std, v in gaussians.items():
    left.plot(deltas, v, lw=1.5, label=rf"$\sigma = {std:g}$")
left.set_xlabel(r"separation $\delta$ of the means")
left.set_title(r"$\mathrm{JSD}(\mathcal{N}(0, \sigma^2)\,\|\,\mathcal{N}(\delta, \sigma^2))$")
right.plot(shifts, uniform, lw=1.5, label="JSD")
right.axvspan(1.0, 3.0, color="#dddddd", alpha=0.5, lw=0)
right.text(2.0, 0.35, "disjoint supports:\nJSD = log 2 exactly,\nno gradient in δ",
           ha="center", fontsize=7)
right.set_xlabel(r"shift $\delta$")
right.set_title(r"$\mathrm{JSD}(U[0,1]\,\|\,U[\delta, 1+\delta])$")
for ax in (left, right):
    ax.axhline(np.log(2.0), color=plotting.DATA, ls="--", lw=0.9, label=r"$\log 2$")
    ax.set_ylabel("JSD (nats)")
    ax.set_ylim(-0.02, 0.78)
    ax.legend(loc="lower right")
fig.suptitle(r"$0 \leq \mathrm{JSD} \leq \log 2$: the JSD saturates as the distributions "
             "separate")
plt.show()
