r"""
Maximum likelihood is KL minimisation
=====================================

For data :math:`p` and a model :math:`q_\theta`,

.. math::

    \mathbb E_{x \sim p}[\log q_\theta(x)] = -H(p) - \mathrm{KL}(p\,\|\,q_\theta),

and :math:`H(p)` does not depend on :math:`\theta`: the parameter that maximises the expected
log-likelihood minimises the forward KL. Here a Gaussian :math:`q_\theta` is fitted to a
two-mode mixture, varying its mean (left) and its standard deviation (right). The average
log-likelihood of :math:`n` samples estimates the left side, and its maximum approaches the
population maximiser (the moments :math:`\mathbb E_p[x]`, :math:`\sqrt{\mathrm{Var}_p[x]}`)
as :math:`n` grows; the orange curve is the right side by quadrature. :math:`-H(p)` bounds
both, since :math:`\mathrm{KL} \ge 0`. Checked by ``gantheory verify --only kl-mle gibbs``.

Theory: :doc:`/theory/mle_kl`.
"""

# %%
# Both sides of the identity
# --------------------------
# For a model :math:`q_\theta = \mathcal N(m, s^2)` and data :math:`p` (two modes),
# :math:`\mathbb E_p[\log q_\theta] = -H(p) - \mathrm{KL}(p\|q_\theta)`. The left side is
# estimated by the average log-likelihood of samples; the right side is computed by
# :func:`gantheory.entropy` and :func:`gantheory.kl` (quadrature), and
# :func:`gantheory.cross_entropy` computes :math:`H(p, q) = -\mathbb E_p[\log q]` directly.
import matplotlib.pyplot as plt
import numpy as np

from gantheory import Gaussian, cross_entropy, entropy, kl, plotting
from gantheory.presets import bimodal

plotting.use_style()
p = bimodal(separation=3.0, std=0.6, weight=0.3)
mean, std = float(p.mean[0]), float(np.sqrt(p.cov[0, 0]))
minus_h = -entropy(p).value
locs = np.linspace(mean - 3.0, mean + 3.0, 61)
scales = np.linspace(0.5, 4.0, 61)
samples = {n: p.sample(n, seed=1) for n in (50, 5000)}
q = Gaussian(mean, std**2)
print(f"-H(p) - KL(p||q) = {minus_h - kl(p, q).value:.6f}, "
      f"-H(p, q) = {-cross_entropy(p, q).value:.6f}")

# %%
# Along the mean and along the standard deviation of the model.
panels = {"mean": (locs, [Gaussian(m, std**2) for m in locs], mean,
                   rf"model mean $m$ of $\mathcal{{N}}(m, {std:.2g}^2)$"),
          "std": (scales, [Gaussian(mean, s**2) for s in scales], std,
                  rf"model std $s$ of $\mathcal{{N}}({mean:.2g}, s^2)$")}
fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.0), layout="constrained")
for ax, (grid, models, best, xlabel) in zip(axes, panels.values(), strict=True):
    for n, colour in ((50, "#b2abd2"), (5000, "#5e3c99")):
        average_ll = np.array([np.mean(q.logpdf(samples[n])) for q in models])
        ax.plot(grid, average_ll, color=colour, ls="--",
                label=rf"$\frac{{1}}{{n}}\sum_i \log q_\theta(x_i)$, $n = {n}$")
        ax.plot(grid[np.argmax(average_ll)], average_ll.max(), "v", color=colour)
    population = np.array([minus_h - kl(p, q).value for q in models])
    ax.plot(grid, population, color=plotting.GENERATOR, lw=2.2,
            label=r"$-H(p) - \mathrm{KL}(p\,\|\,q_\theta)$")
    ax.plot(grid[np.argmax(population)], population.max(), "o", color=plotting.GENERATOR)
    ax.axvline(best, color=plotting.DATA, lw=0.8, ls=":")
    ax.axhline(minus_h, color=plotting.DATA, lw=0.8, ls="--")
    ax.set_xlabel(xlabel)
    ax.set_ylim(minus_h - 2.0, minus_h + 0.3)
    print(f"{xlabel}: population maximiser {grid[np.argmax(population)]:.3f}, "
          f"moment {best:.3f}")
axes[0].set_ylabel("nats per sample")
axes[0].legend(loc="lower center", fontsize=7)
fig.suptitle(r"maximum likelihood is KL minimisation: $E_p[\log q_\theta] = -H(p) - "
             r"\mathrm{KL}(p\,\|\,q_\theta)$, markers at the maxima")
plt.show()
