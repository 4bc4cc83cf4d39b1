r"""
The optimal discriminator
=========================

For a fixed generator with density :math:`p_g`, the discriminator that maximises the value
function

.. math::

    V(G, D) = \mathbb E_{x \sim p_\text{data}}[\log D(x)]
            + \mathbb E_{x \sim p_g}[\log(1 - D(x))]

is, pointwise (Goodfellow et al. 2014, Proposition 1),

.. math::

    D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}
           = \sigma\bigl(\log p_\text{data}(x) - \log p_g(x)\bigr).

Where only the data has mass :math:`D^* \to 1`, where only the generator has mass
:math:`D^* \to 0`, and once :math:`p_g = p_\text{data}` it is :math:`1/2` everywhere. The data
(dark grey) is a mixture of two Gaussians; the three generators (orange) are far from it,
overlapping it, and equal to it. Checked by ``gantheory verify --only optimal-discriminator``.

Theory: :doc:`/theory/optimal_discriminator`.
"""

# %%
# The densities and :math:`D^*`
# -----------------------------
# :func:`gantheory.optimal_discriminator` returns :math:`D^*` as a function of :math:`x`,
# computed from the two log-densities. The data is :func:`gantheory.presets.bimodal`: modes at
# :math:`\pm 2` with standard deviation 0.5.
import matplotlib.pyplot as plt
import numpy as np

from gantheory import Gaussian, optimal_discriminator, plotting
from gantheory.presets import bimodal

plotting.use_style()
p_data = bimodal()
generators = {"generator far away": Gaussian(4.5, 0.6**2),
              "generator overlapping": Gaussian(0.5, 1.5**2),
              "generator = data": p_data}
x = np.linspace(-5.0, 7.0, 601)
d_star = {title: optimal_discriminator(p_data, p_g)(x) for title, p_g in generators.items()}
for title, d in d_star.items():
    print(f"{title:22s} D* ranges over [{d.min():.3f}, {d.max():.3f}]")

# %%
# Where both have no mass :math:`D^*` is still defined: it is computed as
# :math:`\sigma(\log p_\text{data} - \log p_g)`, never as a ratio of two underflowing numbers.
# Once the generator equals the data it is exactly one half.
assert np.allclose(d_star["generator = data"], 0.5)

# %%
# The figure: densities on top, :math:`D^*` below.
fig, axes = plt.subplots(2, 3, figsize=(8.7, 4.6), sharex=True, layout="constrained",
                         gridspec_kw={"height_ratios": (1.3, 1.0)})
for j, (title, p_g) in enumerate(generators.items()):
    top, bottom = axes[0, j], axes[1, j]
    top.fill_between(x, p_data.pdf(x), color=plotting.DATA, alpha=0.15, lw=0)
    top.plot(x, p_data.pdf(x), color=plotting.DATA, lw=1.4, label=r"$p_\mathrm{data}$")
    top.plot(x, p_g.pdf(x), color=plotting.GENERATOR, lw=1.4, ls="--" if j == 2 else "-",
             label=r"$p_g$")
    top.set_title(title)
    top.set_ylim(0, 0.95)
    bottom.plot(x, d_star[title], color=plotting.OPTIMAL, lw=1.6)
    bottom.axhline(0.5, color="#888888", lw=0.7, ls=":")
    bottom.set_ylim(-0.03, 1.03)
    bottom.set_xlabel("x")
axes[0, 0].set_ylabel("density")
axes[1, 0].set_ylabel(r"$D^*(x)$")
axes[0, 0].legend(loc="upper left")
fig.suptitle(r"the optimal discriminator $D^*(x) = p_\mathrm{data}(x) / "
             r"(p_\mathrm{data}(x) + p_g(x))$")
plt.show()
