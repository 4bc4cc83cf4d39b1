r"""
Algorithm 1 in torch: a 1-D GAN, its D beside the exact D*
==========================================================

Goodfellow et al. (2014), Algorithm 1: for each training iteration, :math:`k` steps of the
discriminator on a minibatch of data and a minibatch of noise, ascending

.. math::

    \frac1m \sum_{i=1}^m \bigl[\log D(x_i) + \log(1 - D(G(z_i)))\bigr],

then one step of the generator (here on the non-saturating loss
:math:`-\log D(G(z))`, Sec. 3 of the paper). Proposition 1: for a fixed generator the
discriminator's best response is :math:`D^* = p_\text{data}/(p_\text{data} + p_g)`. First the
inner loop alone, against a generator whose density we know, so that :math:`D^*` is exact
(:func:`gantheory.optimal_discriminator`); then the whole algorithm on two modes.

Theory: :doc:`/theory/minimax`.
"""

# %%
# Sizes
# -----
# The gallery runs 300 discriminator steps and 600 GAN iterations (seconds on a CPU);
# ``GANTHEORY_FULL=1`` runs 3,000 and 6,000.
import os

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from gantheory import Gaussian, optimal_discriminator, plotting, wasserstein1
from gantheory.losses import minimax_d_loss, non_saturating_g_loss
from gantheory.presets import bimodal

FULL = os.environ.get("GANTHEORY_FULL") == "1"
D_STEPS = 3000 if FULL else 300
GAN_STEPS = 6000 if FULL else 600
BATCH = 128
plotting.use_style()
torch.manual_seed(0)
p_data = bimodal()  # modes at -2 and 2, std 0.5
data = torch.tensor(p_data.sample(50_000, seed=0), dtype=torch.float32)  # (50000, 1)


def mlp(activation):
    """A 1 -> 32 -> 32 -> 1 network."""
    return nn.Sequential(nn.Linear(1, 32), activation, nn.Linear(32, 32), activation,
                         nn.Linear(32, 1))


def minibatch():
    """BATCH data points, drawn with replacement from the pool."""
    return data[torch.randint(len(data), (BATCH,))]


# %%
# The inner loop: D against a fixed generator
# -------------------------------------------
# :math:`G(z) = 0.5 + 1.5 z` makes :math:`p_g = \mathcal N(0.5, 1.5^2)`. The losses take
# logits: :func:`gantheory.losses.minimax_d_loss` is :math:`-V` on one minibatch.
p_g = Gaussian(0.5, 1.5**2)
D = mlp(nn.LeakyReLU(0.2))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-3)
for _ in range(D_STEPS):
    fake = 0.5 + 1.5 * torch.randn(BATCH, 1)
    d_loss = minimax_d_loss(D(minibatch()).squeeze(1), D(fake).squeeze(1))
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()
x = np.linspace(-5.0, 6.0, 400)
with torch.no_grad():
    d_fixed = torch.sigmoid(D(torch.tensor(x, dtype=torch.float32)[:, None])).squeeze(1).numpy()
d_star = optimal_discriminator(p_data, p_g)(x)
mass = (p_data.pdf(x) + p_g.pdf(x)) / 2  # where D is trained
print(f"after {D_STEPS} steps, mean |D - D*| under (p_data + p_g)/2: "
      f"{np.sum(mass * np.abs(d_fixed - d_star)) / mass.sum():.3f}")

# %%
# The whole algorithm
# -------------------
# :math:`k = 1` discriminator step per generator step, both with Adam.
G, D = mlp(nn.ReLU()), mlp(nn.LeakyReLU(0.2))
opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
history = []
for _ in range(GAN_STEPS):
    fake = G(torch.randn(BATCH, 1))
    d_loss = minimax_d_loss(D(minibatch()).squeeze(1), D(fake.detach()).squeeze(1))
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()
    g_loss = non_saturating_g_loss(D(fake).squeeze(1))
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    history.append((d_loss.item(), g_loss.item()))
with torch.no_grad():
    samples = G(torch.randn(20_000, 1)).squeeze(1).numpy()
    d_final = torch.sigmoid(D(torch.tensor(x, dtype=torch.float32)[:, None])).squeeze(1).numpy()
print(f"W1(generator samples, data) = {wasserstein1(samples, p_data).value:.3f}; "
      f"final D loss {history[-1][0]:.3f} (log 4 = {np.log(4):.3f} at the equilibrium)")

# %%
# Left: after the inner loop, D lies on :math:`D^*` where there is mass to learn from. Right:
# after training, the generator's histogram against the data, and D, which tends to
# :math:`1/2` as :math:`p_g \to p_\text{data}`.
fig, (left, right) = plt.subplots(1, 2, figsize=(7.6, 2.9), layout="constrained")
left.plot(x, p_data.pdf(x), color=plotting.DATA, label=r"$p_\mathrm{data}$")
left.plot(x, p_g.pdf(x), color=plotting.GENERATOR, label=r"$p_g = \mathcal{N}(0.5, 1.5^2)$")
left.plot(x, d_star, color=plotting.OPTIMAL, lw=2, label=r"$D^*$ (exact)")
left.plot(x, d_fixed, color=plotting.DISCRIMINATOR, ls="--", label=f"D after {D_STEPS} steps")
left.set(xlabel="x", title="the inner loop: G fixed")
left.legend(fontsize=7)
right.hist(samples, bins=120, range=(-5, 6), density=True, color=plotting.GENERATOR,
           alpha=0.6, label="G(z)")
right.plot(x, p_data.pdf(x), color=plotting.DATA, label=r"$p_\mathrm{data}$")
right.plot(x, d_final, color=plotting.DISCRIMINATOR, label="D")
right.axhline(0.5, color=plotting.OPTIMAL, ls=":", label=r"$D^* = 1/2$ at $p_g = p_\mathrm{data}$")
right.set(xlabel="x", title=f"Algorithm 1 after {GAN_STEPS} iterations")
right.legend(fontsize=7)
plt.show()
