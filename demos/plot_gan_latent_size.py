r"""
The latent size of a GAN: 10 against 256
========================================

A generator maps a latent :math:`z \in \mathbb R^k` to an image in
:math:`\mathbb R^{3 \times 32 \times 32}`,

.. math::

    G: \mathbb R^k \to \mathbb R^{3072}, \qquad \dim G(\mathbb R^k) \le k,

so its samples lie on a set of dimension at most :math:`k` (Arjovsky and Bottou 2017,
Lemma 1, for the networks used in practice). The shapes data have few factors of variation
(shape, colour, position, size, brightness: six numbers), so a small :math:`k` can in
principle cover them; a large :math:`k` gives the generator many directions it must learn to
ignore or use. Here the same small DCGAN is trained twice on shapes, with :math:`k = 10` and
:math:`k = 256`, everything else equal.

Theory: :doc:`/theory/practice`.
"""

# %%
# Two runs, one loop
# :class:`gantheory.nets.DCGANGenerator` and :class:`~gantheory.nets.DCGANDiscriminator` of
# width 8 (DCGAN's is 64) on 32 x 32 shapes, the minimax discriminator loss and the
# non-saturating generator loss, Adam (:math:`2 \cdot 10^{-3}`, :math:`\beta_1 = 0.5`). The
# gallery trains 150 steps of batch 32 per latent size on a CPU; ``GANTHEORY_FULL=1`` trains
# width 32 for 2,000 steps of batch 64.
import os

import matplotlib.pyplot as plt
import numpy as np
import torch
from torchvision.utils import make_grid

from gantheory import plotting
from gantheory.images.data import as_float, shapes
from gantheory.losses import minimax_d_loss, non_saturating_g_loss
from gantheory.nets import DCGANDiscriminator, DCGANGenerator

FULL = os.environ.get("GANTHEORY_FULL") == "1"
STEPS, WIDTH, BATCH = (2000, 32, 64) if FULL else (150, 8, 32)
LATENTS = (10, 256)
plotting.use_style()
data = as_float(shapes(2000, image_size=32, seed=0).images)  # (2000, 3, 32, 32) in [-1, 1]


def train(latent_dim, seed=0):
    """Train G and D from ``seed``; returns G and the (d_loss, g_loss) of every step."""
    torch.manual_seed(seed)
    G = DCGANGenerator(latent_dim=latent_dim, image_size=32, channels=3, width=WIDTH)
    D = DCGANDiscriminator(image_size=32, channels=3, width=WIDTH)
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
    history = np.zeros((STEPS, 2))
    for step in range(STEPS):
        fake = G(torch.randn(BATCH, latent_dim))  # (BATCH, 3, 32, 32)
        d_loss = minimax_d_loss(D(data[torch.randint(len(data), (BATCH,))]), D(fake.detach()))
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        g_loss = non_saturating_g_loss(D(fake))  # D was just updated: its new verdict
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        history[step] = d_loss.item(), g_loss.item()
    return G.eval(), history


runs = {k: train(k) for k in LATENTS}

# %%
# What the samples vary in
# One summary that needs no classifier: the standard deviation of each pixel across 256
# samples, averaged over the pixels (the data's spread of positions, colours and shapes makes
# it large; a generator that draws one blob everywhere scores low), and the mean distance
# between two samples.
with torch.no_grad():
    samples = {k: G(torch.randn(256, k)) for k, (G, _) in runs.items()}


def spread(images):
    """Mean per-pixel std and mean pairwise distance of (N, 3, 32, 32) images."""
    flat = images.flatten(1)
    return flat.std(0).mean().item(), torch.pdist(flat).mean().item()


print(f"data:       pixel std {spread(data[:256])[0]:.3f}, pairwise distance "
      f"{spread(data[:256])[1]:.1f}")
for k, (_, history) in runs.items():
    std, dist = spread(samples[k])
    print(f"latent {k:3d}: pixel std {std:.3f}, pairwise distance {dist:.1f}; mean losses over "
          f"the last 30 steps: D {history[-30:, 0].mean():.3f}, G {history[-30:, 1].mean():.3f}")

# %%
# Top: 16 samples of each generator beside 16 data images. Bottom: the losses (20-step running
# means). What a run this small can show is limited: one seed per latent size, 150 steps of a
# width-8 DCGAN, after which both generators draw rough coloured blobs on a grey, textured
# background, far from the data and less varied than it. The printed spreads say which generator is
# more varied in this run; one seed cannot say whether that difference comes from the latent size or
# from chance. The claim that holds regardless is the one above: a latent of 10 dimensions cannot
# fill more than a 10-dimensional set of images, and the six factors of shapes fit in it.
fig = plt.figure(figsize=(9.0, 4.6), layout="constrained")
top, bottom = fig.subfigures(2, 1, height_ratios=(1.0, 0.8))
panels = {"data": data[:16], **{f"latent {k}": samples[k][:16] for k in LATENTS}}
for ax, (title, images) in zip(top.subplots(1, 3), panels.items(), strict=True):
    ax.imshow(make_grid((images + 1) / 2, nrow=4).permute(1, 2, 0).clamp(0, 1))
    ax.set_title(title)
    ax.set_axis_off()
axes = bottom.subplots(1, 2, sharey=True)
for ax, (k, (_, history)) in zip(axes, runs.items(), strict=True):
    for column, label, colour in ((0, "D loss", plotting.DISCRIMINATOR),
                                  (1, "G loss", plotting.GENERATOR)):
        ax.plot(np.convolve(history[:, column], np.ones(20) / 20, mode="valid"), color=colour,
                label=label)
    ax.axhline(np.log(4.0), color=plotting.OPTIMAL, ls=":", label=r"$\log 4$")
    ax.set(xlabel="step", title=f"latent {k}")
axes[0].set_ylabel("nats")
axes[0].legend(fontsize=7)
plt.show()
