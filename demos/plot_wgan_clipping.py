r"""
WGAN with weight clipping beside WGAN-GP
========================================

The WGAN critic :math:`f` should be 1-Lipschitz, so that by the Kantorovich-Rubinstein duality

.. math::

    W_1(p_\text{data}, p_g) = \sup_{\|f\|_L \le 1}
    \mathbb E_{p_\text{data}}[f] - \mathbb E_{p_g}[f].

The original WGAN (Arjovsky et al. 2017, Algorithm 1) clamps every weight to :math:`[-c, c]`
after each critic step, which bounds the Lipschitz constant by some :math:`K(c)` and
estimates :math:`K \cdot W_1` at best. WGAN-GP (Gulrajani et al. 2017) instead adds
:math:`\lambda\,\mathbb E_{\hat x}(\|\nabla f(\hat x)\| - 1)^2` at random interpolates of real
and generated points. Gulrajani et al. (Fig. 1b) observe that under clipping the critic's
weights pile up at the two bounds :math:`\pm c`: the critic wants to be steeper than the box
allows. Here both train the same networks on the ring of eight Gaussians, in one visible
loop.

Theory: :doc:`/theory/wgan`.
"""

# %%
# The loop
# --------
# Data: the ring of eight Gaussians (radius 1, standard deviation 0.01), sampled from
# :func:`gantheory.toyconfig.target_named`. Five critic steps per generator step in both
# runs. Clipping: :func:`gantheory.losses.clip_weights` with
# :math:`c = 0.01` after every critic step and RMSProp, as in Algorithm 1 of Arjovsky et al.,
# but with a learning rate of :math:`5 \cdot 10^{-4}` (ten times theirs) so that the short run
# moves. Gradient penalty: :func:`gantheory.losses.gradient_penalty` with :math:`\lambda = 10`
# and Adam with :math:`\beta = (0.5, 0.9)` (Gulrajani et al., Algorithm 1), at the same
# learning rate, :math:`5 \cdot 10^{-4}` (theirs is :math:`10^{-4}`). The gallery runs 300
# generator steps; ``GANTHEORY_FULL=1`` 3,000.
import os

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from gantheory import plotting
from gantheory.losses import (
    clip_weights,
    gradient_penalty,
    per_sample_grad_norm,
    wasserstein_critic_loss,
    wasserstein_g_loss,
)
from gantheory.sample_metrics import mode_metrics
from gantheory.toyconfig import target_named

FULL = os.environ.get("GANTHEORY_FULL") == "1"
STEPS, N_CRITIC, BATCH, CLIP = (3000 if FULL else 300), 5, 128, 0.01
plotting.use_style()
torch.manual_seed(0)
ring = target_named("ring")
pool = torch.tensor(ring.sample(50_000, seed=0), dtype=torch.float32)  # (50000, 2)


def mlp(n_out):
    """2 -> 64 -> 64 -> n_out."""
    return nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, n_out))


runs = {}
for name in ("clipped, c = 0.01", "gradient penalty"):
    G, f = mlp(2), mlp(1)  # G: z in R^2 -> x in R^2; f: x -> score
    if name.startswith("clipped"):
        opt_g = torch.optim.RMSprop(G.parameters(), lr=5e-4)
        opt_f = torch.optim.RMSprop(f.parameters(), lr=5e-4)
    else:
        opt_g = torch.optim.Adam(G.parameters(), lr=5e-4, betas=(0.5, 0.9))
        opt_f = torch.optim.Adam(f.parameters(), lr=5e-4, betas=(0.5, 0.9))
    estimates = []
    for _ in range(STEPS):
        for _ in range(N_CRITIC):
            real = pool[torch.randint(len(pool), (BATCH,))]
            with torch.no_grad():
                fake = G(torch.randn(BATCH, 2))
            loss = wasserstein_critic_loss(f(real), f(fake))  # E f(fake) - E f(real)
            if name == "gradient penalty":
                loss = loss + gradient_penalty(f, real, fake, weight=10.0)
            opt_f.zero_grad()
            loss.backward()
            opt_f.step()
            if name.startswith("clipped"):
                clip_weights(f, CLIP)
        g_loss = wasserstein_g_loss(f(G(torch.randn(BATCH, 2))))  # -E f(G(z))
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        with torch.no_grad():
            estimates.append((f(real).mean() - f(fake).mean()).item())
    runs[name] = (G, f, np.array(estimates))

# %%
# What each critic became
# -----------------------
# The share of weights (not biases) within 1% of the bounds :math:`\pm c`; the critic's slope
# :math:`\|\nabla f(x)\|` at data and generated points
# (:func:`gantheory.losses.per_sample_grad_norm`); the critic's own estimate
# :math:`\mathbb E f(\text{real}) - \mathbb E f(\text{fake})` over the last 20 steps; the
# modes the samples reach (:func:`gantheory.sample_metrics.mode_metrics`, within 3 standard
# deviations).
weights, samples, slopes = {}, {}, {}
for name, (G, f, estimates) in runs.items():
    weights[name] = torch.cat([m.weight.detach().flatten() for m in f
                               if isinstance(m, nn.Linear)]).numpy()
    with torch.no_grad():
        fake = G(torch.randn(2000, 2))
    samples[name] = fake.numpy()
    points = torch.cat([pool[:2000], fake]).requires_grad_()
    slopes[name] = per_sample_grad_norm(f, points).detach().numpy()
    modes = mode_metrics(samples[name], ring)
    at_bound = np.mean(np.abs(weights[name]) >= 0.99 * CLIP)
    print(f"{name:18s} weights with |w| >= 0.99 c: {at_bound:4.0%};"
          f"  slope from {slopes[name].min():.4f} to {slopes[name].max():.4f};  critic's "
          f"estimate {estimates[-20:].mean():.4f};  {modes.modes_captured} of 8 modes reached, "
          f"{modes.high_quality_fraction:.0%} of the samples near one")

# %%
# Top: the critics' weights. The clipped critic's crowd the two bounds; the penalised
# critic's spread freely over a range many times wider (shaded: :math:`[-c, c]`). Bottom: the
# samples, coloured by the critic's slope there: the penalised critic's is of order 1, the
# clipped critic's thousands of times smaller, so its estimate is :math:`W_1` times a small,
# unknown :math:`K` at best. At this size neither generator has converged; the printed mode
# counts say how far each got in the run shown.
fig, axes = plt.subplots(2, 2, figsize=(9.0, 6.0), layout="constrained")
for (top, bottom), (name, colour) in zip(axes.T, (("clipped, c = 0.01", plotting.GENERATOR),
                                                  ("gradient penalty", plotting.DISCRIMINATOR)),
                                         strict=True):
    top.hist(weights[name], bins=60, color=colour)
    top.axvspan(-CLIP, CLIP, color=plotting.PUBLISHED, alpha=0.3, label=r"$[-c, c]$")
    top.set(title=f"{name}: the critic's {len(weights[name])} weights", xlabel="weight",
            ylabel="count")
    top.legend(fontsize=7)
    shown = bottom.scatter(*samples[name].T, s=3, c=slopes[name][2000:], cmap="viridis")
    bottom.scatter(*np.asarray(ring.means).T, marker="x", color=plotting.DATA, label="modes")
    bottom.set(aspect="equal", title=f"{name}: samples after {STEPS} steps")
    fig.colorbar(shown, ax=bottom, label=r"critic slope $\|\nabla f\|$", shrink=0.8)
    bottom.legend(fontsize=7, loc="lower left")
plt.show()
