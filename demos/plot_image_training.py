r"""
DCGAN on shapes: samples over training and the losses
=====================================================

A DCGAN (Radford et al. 2016) trained on the built-in ``shapes`` data set (4 shapes x 3
colours) with the minimax discriminator loss and the non-saturating generator loss,

.. math::

    L_D = -\mathbb E_x[\log D(x)] - \mathbb E_z[\log(1 - D(G(z)))],
    \qquad
    L_G = -\mathbb E_z[\log D(G(z))].

Top: real images, then the generator's images for one fixed batch of latents every
:math:`N` steps; bottom: both losses (batch means, smoothed). At the equilibrium of Theorem 1,
:math:`D = 1/2` and :math:`L_D = \log 4` (dotted). The gallery runs the fast mode: narrow
networks and a few hundred steps on a CPU; ``fast=False`` uses the trainer's defaults.

Theory: :doc:`/theory/practice`.
"""

# %%
# Data and networks
# -----------------
# :func:`gantheory.images.data.shapes` draws the data set from a seed (no download);
# :mod:`gantheory.nets` has the DCGAN generator and discriminator. The gallery trains narrow
# networks (width 8) for 160 steps of batch 32 on a CPU: the samples are coloured blobs finding
# their shapes. ``GANTHEORY_FULL=1`` trains width 64 for 3,000 steps (a GPU is advised).
import os

import matplotlib.pyplot as plt
import numpy as np
import torch
from torchvision.utils import make_grid

from gantheory import plotting
from gantheory.images.data import as_float, shapes
from gantheory.losses import minimax_d_loss, non_saturating_g_loss
from gantheory.nets import DCGANDiscriminator, DCGANGenerator, dcgan_init

FULL = os.environ.get("GANTHEORY_FULL") == "1"
STEPS, WIDTH, BATCH, LATENT = (3000, 64, 64, 100) if FULL else (160, 8, 32, 32)
plotting.use_style()
torch.manual_seed(0)
images = as_float(shapes(2000, image_size=32, seed=0).images)  # (2000, 3, 32, 32) in [-1, 1]
G = dcgan_init(DCGANGenerator(latent_dim=LATENT, image_size=32, channels=3, width=WIDTH))
D = dcgan_init(DCGANDiscriminator(image_size=32, channels=3, width=WIDTH))
opt_g = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))

# %%
# The loop
# --------
# One discriminator step and one generator step per iteration; every ``STEPS // 4`` steps the
# generator draws the same fixed latents.
fixed_z = torch.randn(16, LATENT)
losses, grids = [], []
for step in range(1, STEPS + 1):
    real = images[torch.randint(len(images), (BATCH,))]
    fake = G(torch.randn(BATCH, LATENT))
    d_loss = minimax_d_loss(D(real), D(fake.detach()))
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()
    g_loss = non_saturating_g_loss(D(fake))
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    losses.append((d_loss.item(), g_loss.item()))
    if step % (STEPS // 4) == 0:
        with torch.no_grad():
            G.eval()
            grids.append((step, make_grid((G(fixed_z) + 1) / 2, nrow=4).permute(1, 2, 0)))
            G.train()
losses = np.array(losses)
print(f"mean losses over the last 50 steps: D {losses[-50:, 0].mean():.3f} "
      f"(log 4 = {np.log(4):.3f}), G {losses[-50:, 1].mean():.3f}")

# %%
fig = plt.figure(figsize=(9.0, 4.4), layout="constrained")
top = fig.subfigures(2, 1, height_ratios=(1.0, 0.8))
axes = top[0].subplots(1, len(grids) + 1)
axes[0].imshow(make_grid((images[:16] + 1) / 2, nrow=4).permute(1, 2, 0))
axes[0].set_title("data")
for ax, (step, grid) in zip(axes[1:], grids, strict=True):
    ax.imshow(grid.clamp(0, 1))
    ax.set_title(f"step {step}")
for ax in axes:
    ax.set_axis_off()
ax = top[1].subplots()
for k, (label, colour) in enumerate((("discriminator loss", plotting.DISCRIMINATOR),
                                     (r"generator loss $-\log D(G(z))$", plotting.GENERATOR))):
    ax.plot(losses[:, k], color=colour, alpha=0.3, lw=0.7)
    smooth = np.convolve(losses[:, k], np.ones(20) / 20, mode="valid")
    ax.plot(np.arange(19, len(losses)), smooth, color=colour, label=label)
ax.axhline(np.log(4.0), color=plotting.OPTIMAL, ls=":", label=r"$\log 4$")
ax.set(xlabel="step", ylabel="nats")
ax.legend(fontsize=7)
plt.show()
