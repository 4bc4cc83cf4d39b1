r"""
C(G) = -log 4 + 2 JSD
=====================

Theorem 1 of Goodfellow et al. (2014): the virtual training criterion is

.. math::

    C(G) = \max_D V(G, D) = V(G, D^*) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data}\,\|\,p_g),

whose global minimum :math:`-\log 4` is reached only at :math:`p_g = p_\text{data}`, and which
tends to 0 as the two distributions separate. Left: :math:`C(G)` computed as the value
function at :math:`D^*` (markers) and :math:`2\,\mathrm{JSD} - \log 4` computed independently
(lines) along three families of Gaussian generators. Right: the same two numbers for random
mixture generators against bimodal data, on the identity line. Checked by
``gantheory verify --only criterion-jsd``.

Theory: :doc:`/theory/criterion_jsd`.
"""

# %%
# Two independent computations
# ----------------------------
# :func:`gantheory.training_criterion` integrates :math:`V(G, D^*)`;
# :func:`gantheory.jsd` integrates the JSD (or uses a closed form). Theorem 1 says they agree
# through :math:`C(G) = -\log 4 + 2\,\mathrm{JSD}`.
import matplotlib.pyplot as plt
import numpy as np

from gantheory import Gaussian, GaussianMixture, jsd, plotting, training_criterion
from gantheory.presets import bimodal

plotting.use_style()
LOG4 = np.log(4.0)


def both_sides(p_data, generators):
    """C(G) by quadrature of V at D*, and 2 JSD - log 4, for each generator."""
    c = np.array([training_criterion(p_data, p_g).value for p_g in generators])
    j = np.array([2.0 * jsd(p_data, p_g).value - LOG4 for p_g in generators])
    return c, j


p_data = Gaussian(0.0, 1.0)
locs = np.linspace(-6.0, 6.0, 49)
family = {s: both_sides(p_data, [Gaussian(m, s**2) for m in locs]) for s in (0.5, 1.0, 2.0)}

# %%
# Random two-component generators against the bimodal data.
rng = np.random.default_rng(0)
n_pairs = 25
generators = [GaussianMixture([w, 1 - w], [a, b], [sa**2, sb**2])
              for w, a, b, sa, sb in zip(rng.uniform(0.1, 0.9, n_pairs),
                                         rng.uniform(-5, 5, n_pairs), rng.uniform(-5, 5, n_pairs),
                                         rng.uniform(0.2, 2.0, n_pairs),
                                         rng.uniform(0.2, 2.0, n_pairs), strict=True)]
c, j = both_sides(bimodal(), generators)
print(f"largest |C(G) - (2 JSD - log 4)| over {n_pairs} random generators: "
      f"{np.max(np.abs(c - j)):.1e} nats")

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 3.2), layout="constrained")
for s, (c_s, j_s) in family.items():
    line, = left.plot(locs, j_s, lw=1.3, label=rf"$2\,\mathrm{{JSD}} - \log 4$, $s = {s:g}$")
    left.plot(locs[::4], c_s[::4], "o", color=line.get_color(), ms=3.5, mfc="none")
left.axhline(-LOG4, color=plotting.DATA, ls="--", lw=0.8)
left.axhline(0.0, color=plotting.DATA, ls=":", lw=0.8)
left.set_xlabel(r"generator mean $m$, $p_g = \mathcal{N}(m, s^2)$")
left.set_ylabel("nats")
left.set_title(r"$p_\mathrm{data} = \mathcal{N}(0, 1)$; markers: $C(G) = V(G, D^*)$")
left.legend(loc="center right", fontsize=7)
right.plot([-LOG4, 0], [-LOG4, 0], color=plotting.DATA, lw=0.8, ls="--", label="y = x")
right.plot(j, c, "o", color=plotting.GENERATOR, ms=4, mfc="none",
           label=f"{n_pairs} random generators")
right.set_xlabel(r"$2\,\mathrm{JSD}(p_\mathrm{data}\,\|\,p_g) - \log 4$ (nats)")
right.set_ylabel(r"$C(G) = V(G, D^*)$ (nats)")
right.set_title("bimodal data, random two-component generators")
right.legend(loc="upper left")
fig.suptitle(r"Theorem 1: $C(G) = \max_D V(G, D) = -\log 4 + "
             r"2\,\mathrm{JSD}(p_\mathrm{data}\,\|\,p_g)$")
plt.show()
