r"""
Every divergence of the core as two Gaussians separate
======================================================

The f-divergences of the f-GAN table (Nowozin, Cseke and Tomioka 2016, Table 1),

.. math::

    D_f(P\|Q) = \int q(x)\, f\!\left(\frac{p(x)}{q(x)}\right) dx,

include KL (:math:`f(u) = u\log u`), reverse KL (:math:`-\log u`), Jensen-Shannon, squared
Hellinger (:math:`(\sqrt u - 1)^2`) and total variation (:math:`\tfrac12|u - 1|`). The bounded
ones (JSD :math:`\le \log 2`, TV :math:`\le 1`, :math:`H^2 \le 1`) saturate as the supports
separate; KL grows as :math:`\delta^2/2`; the Wasserstein distances grow as :math:`\delta`,
which is why a WGAN's critic still has a slope where the JSD is flat. Here
:math:`P = \mathcal N(0, 1)` and :math:`Q = \mathcal N(\delta, 1)`. Related check:
``gantheory verify --only f-gan``.

Theory: :doc:`/theory/fgan`.
"""

# %%
# One call per divergence
# -----------------------
# Each function of the core returns a :class:`~gantheory.DivergenceResult`: the value, an
# error estimate and the method (closed form, quadrature or Monte Carlo).
import matplotlib.pyplot as plt
import numpy as np

from gantheory import (
    Gaussian,
    f_divergence,
    hellinger2,
    jsd,
    kl,
    plotting,
    tv,
    w2_gaussian,
    wasserstein1,
)

plotting.use_style()
p = Gaussian(0.0, 1.0)
result = kl(p, Gaussian(1.0, 1.0))
print(result)
divergences = {
    "KL": lambda q: kl(p, q).value,
    "reverse KL": lambda q: f_divergence(p, q, "reverse_kl").value,
    "JSD": lambda q: jsd(p, q).value,
    "squared Hellinger": lambda q: hellinger2(p, q).value,
    "total variation": lambda q: tv(p, q).value,
    "W1": lambda q: wasserstein1(p, q).value,
    "W2": lambda q: w2_gaussian(p, q).value,
}
deltas = np.linspace(0.0, 8.0, 33)
values = {name: np.array([d(Gaussian(delta, 1.0)) for delta in deltas])
          for name, d in divergences.items()}

# %%
# Checks in view: KL is :math:`\delta^2/2` in closed form and equals the f-divergence with
# :math:`f(u) = u \log u`; for equal widths :math:`W_1 = W_2 = \delta`; and
# :func:`gantheory.wasserstein1` also takes samples.
kl_f = np.array([f_divergence(p, Gaussian(d, 1.0), "kl").value for d in deltas])
print("KL = delta^2 / 2:", np.allclose(values["KL"], deltas**2 / 2, atol=1e-8),
      "| KL = D_f with f = u log u:", np.allclose(values["KL"], kl_f, atol=1e-6))
print("W1 = W2 = delta:", np.allclose(values["W1"], deltas, atol=1e-6),
      np.allclose(values["W2"], deltas, atol=1e-9))
x, y = p.sample(4000, seed=0)[:, 0], Gaussian(3.0, 1.0).sample(4000, seed=1)[:, 0]
print(f"W1 of 4000 samples each at delta = 3: {wasserstein1(x, y).value:.3f}")
for name, v in values.items():
    print(f"{name:18s} at delta = 8: {v[-1]:.4f}")

# %%
fig, (bounded, unbounded) = plt.subplots(1, 2, figsize=(7.4, 2.9), layout="constrained")
for name in ("JSD", "squared Hellinger", "total variation"):
    bounded.plot(deltas, values[name], label=name)
bounded.axhline(np.log(2.0), color=plotting.DATA, ls=":", lw=0.8, label=r"$\log 2$")
bounded.set(xlabel=r"separation $\delta$", ylabel="value", title="bounded: they saturate")
bounded.legend(fontsize=7)
for name in ("KL", "reverse KL", "W1", "W2"):
    unbounded.plot(deltas, values[name], ls="--" if name in ("reverse KL", "W2") else "-",
                   label=name)
unbounded.set(xlabel=r"separation $\delta$", yscale="log", ylim=(1e-2, 100),
              title=r"unbounded: KL $\sim \delta^2/2$, $W \sim \delta$")
unbounded.legend(fontsize=7)
fig.suptitle(r"divergences between $\mathcal{N}(0, 1)$ and $\mathcal{N}(\delta, 1)$")
plt.show()
