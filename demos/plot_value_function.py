r"""
V(G, D) is maximal at the optimal discriminator
===============================================

Perturb the optimal discriminator's logit in a direction :math:`h`,
:math:`D_t = \sigma(\log p_\text{data} - \log p_g + t\,h)`. Whatever :math:`h`,

.. math::

    \max_t V(G, D_t) = V(G, D_0) = V(G, D^*)
    = C(G) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data}\,\|\,p_g),

because :math:`a \log y + b \log(1 - y)` has its only maximum on :math:`(0, 1)` at
:math:`y = a/(a + b)` (Goodfellow et al. 2014, Proposition 1 and Theorem 1). Every curve on
the right is computed by quadrature of :math:`V` for that :math:`D_t`; they all peak at
:math:`t = 0` at the height :math:`C(G)` (dotted). Checked by
``gantheory verify --only optimal-discriminator criterion-jsd``.

Theory: :doc:`/theory/minimax`.
"""

# %%
# Paths through :math:`D^*`
# -------------------------
# Perturb the logit of :math:`D^*` along a direction :math:`h`:
# :math:`D_t = \sigma(\operatorname{logit} D^* + t\,h)`. Proposition 1 says that
# :math:`t \mapsto V(G, D_t)` peaks at :math:`t = 0`, with height
# :math:`C(G) = -\log 4 + 2\,\mathrm{JSD}`. :func:`gantheory.value_function` integrates
# :math:`V` by quadrature for any callable discriminator; ours carries a ``logit`` method,
# which keeps :math:`\log D` exact in the tails.
import matplotlib.pyplot as plt
import numpy as np
from scipy.special import expit

from gantheory import Gaussian, jsd, optimal_discriminator, plotting, value_function
from gantheory.presets import bimodal

plotting.use_style()
p_data, p_g = bimodal(), Gaussian(0.5, 1.5**2)
d_star = optimal_discriminator(p_data, p_g)


class Perturbed:
    r""":math:`D_t(x) = \sigma(\operatorname{logit} D^*(x) + t\,h(x))` for 1-D inputs."""

    def __init__(self, t, h):
        self.t, self.h = t, h

    def logit(self, x):
        """The logit of D_t at x."""
        x = np.asarray(x, dtype=float)
        return d_star.logit(x) + self.t * self.h(x.reshape(len(x), -1)[:, 0])

    def __call__(self, x):
        """D_t(x)."""
        return expit(self.logit(x))


directions = {"h(x) = 1 (shift)": np.ones_like, "h(x) = x (tilt)": lambda x: x,
              "h(x) = sin 2x": lambda x: np.sin(2.0 * x)}
ts = np.linspace(-2.0, 2.0, 41)  # t = 0 is ts[20]
values = {name: np.array([value_function(p_data, p_g, Perturbed(t, h)).value for t in ts])
          for name, h in directions.items()}
c_of_g = -np.log(4.0) + 2.0 * jsd(p_data, p_g).value
for name, v in values.items():
    print(f"{name:18s} argmax t = {ts[np.argmax(v)]:+.2f}, max V = {v.max():.6f}")
print(f"C(G) = -log 4 + 2 JSD = {c_of_g:.6f}")

# %%
# Every path peaks at :math:`t = 0` with the height :math:`C(G)`.
fig, (left, right) = plt.subplots(1, 2, figsize=(7.6, 3.0), layout="constrained")
x = np.linspace(-5.0, 5.0, 501)
left.plot(x, p_data.pdf(x), color=plotting.DATA, label=r"$p_\mathrm{data}$")
left.plot(x, p_g.pdf(x), color=plotting.GENERATOR, label=r"$p_g$")
twin = left.twinx()
twin.plot(x, d_star(x), color=plotting.OPTIMAL, lw=1.6, label=r"$D^*$")
for t in (-1.0, 1.0):
    twin.plot(x, Perturbed(t, directions["h(x) = x (tilt)"])(x), color=plotting.DISCRIMINATOR,
              ls="--", alpha=0.9 if t < 0 else 0.5, label=rf"$D_t$, $h = x$, $t = {t:+g}$")
twin.set_ylim(0, 1.6)
twin.set_ylabel("D(x)")
left.legend(*[a + b for a, b in zip(left.get_legend_handles_labels(),
                                    twin.get_legend_handles_labels(), strict=True)],
            loc="upper left", fontsize=7, ncol=2)
left.set_ylim(0, 0.95)
left.set_xlabel("x")
left.set_ylabel("density")
left.set_title("data, generator and discriminators")
for name, v in values.items():
    right.plot(ts, v, lw=1.4, label=name)
right.axhline(c_of_g, color=plotting.OPTIMAL, ls=":", label=r"$C(G) = -\log 4 + 2\,\mathrm{JSD}$")
right.plot([0.0], [c_of_g], "o", color=plotting.OPTIMAL)
right.set_ylim(c_of_g - 1.6, c_of_g + 0.25)
right.set_xlabel(r"$t$ in $D_t = \sigma(\mathrm{logit}\,D^* + t\,h)$")
right.set_ylabel(r"$V(G, D_t)$ (nats)")
right.legend(loc="lower center", fontsize=7)
right.set_title(r"every path through $D^*$ peaks there")
plt.show()
