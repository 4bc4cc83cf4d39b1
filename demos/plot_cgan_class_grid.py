r"""
The conditional GAN's class grid
================================

A conditional GAN (Mirza and Osindero 2014) gives the label :math:`y` to both players,

.. math::

    \min_G \max_D\ \mathbb E_{x, y}[\log D(x, y)] + \mathbb E_{z, y}[\log(1 - D(G(z, y), y))],

so the generator can be asked for a class. One row per class of ``shapes``, one column per
latent :math:`z`, the same :math:`z` down each column: the label should fix the shape and the
colour, the latent the rest (position, size, brightness).

Theory: :doc:`/theory/conditional`.
"""

# %%
# Training a conditional DCGAN
# ----------------------------
# :class:`gantheory.nets.ConditionalGenerator` and
# :class:`~gantheory.nets.ConditionalDiscriminator` take the labels beside the images. As in
# the matching-aware discriminator of Reed et al. (2016), real images with a *wrong* label
# (:func:`gantheory.losses.mismatched_labels`) count as fakes too, so that D must check the
# label. The gallery trains width 8 for 160 steps of batch 36 on a CPU: the colours come
# first; ``GANTHEORY_FULL=1`` trains width 64 for 3,000 steps.
import os

import matplotlib.pyplot as plt
import torch
from torchvision.utils import make_grid

from gantheory import plotting
from gantheory.images.data import as_float, shapes
from gantheory.losses import (
    bce_d_loss,
    mismatched_conditions,
    mismatched_labels,
    non_saturating_g_loss,
)
from gantheory.nets import ConditionalDiscriminator, ConditionalGenerator

FULL = os.environ.get("GANTHEORY_FULL") == "1"
STEPS, WIDTH, BATCH, LATENT = (3000, 64, 64, 100) if FULL else (160, 8, 36, 32)
plotting.use_style()
torch.manual_seed(0)
data = shapes(2400, image_size=32, seed=0)
images, labels = as_float(data.images), data.labels
C = data.n_classes
G = ConditionalGenerator(C, latent_dim=LATENT, image_size=32, channels=3, width=WIDTH)
D = ConditionalDiscriminator(C, image_size=32, channels=3, width=WIDTH)
opt_g = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
for _ in range(STEPS):
    idx = torch.randint(len(images), (BATCH,))
    real, y = images[idx], labels[idx]
    fake = G(torch.randn(BATCH, LATENT), y)
    wrong = D(real, mismatched_labels(y, C))  # real image, wrong label: a fake
    real_logits = D(real, y)
    d_loss = 0.5 * (bce_d_loss(real_logits, D(fake.detach(), y))
                    + bce_d_loss(real_logits, wrong))
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()
    g_loss = non_saturating_g_loss(D(fake, y))
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
print(f"final losses: D {d_loss.item():.3f}, G {g_loss.item():.3f}")

# %%
# Does D check the label? Its mean output on real images with their own labels, with wrong
# labels, and with the labels of other images of the batch
# (:func:`gantheory.losses.mismatched_conditions`, the derangement used for continuous
# conditions such as text embeddings; about one in twelve is right by chance).
D.eval()
with torch.no_grad():
    real, y = images[:480], labels[:480]
    for name, given in (("own labels", y), ("wrong labels", mismatched_labels(y, C)),
                        ("other images' labels", mismatched_conditions(y))):
        print(f"mean D(x, y) with {name:21s}: {torch.sigmoid(D(real, given)).mean():.3f}")

# %%
# One row per class, one latent per column, shared down the column.
N_COLS = 8
G.eval()
with torch.no_grad():
    z = torch.randn(N_COLS, LATENT).repeat(C, 1)  # row c uses the same N_COLS latents
    grid = G(z, torch.arange(C).repeat_interleave(N_COLS))
fig, ax = plt.subplots(figsize=(4.4, 6.0), layout="constrained")
ax.imshow(make_grid((grid + 1) / 2, nrow=N_COLS, pad_value=1).permute(1, 2, 0).clamp(0, 1))
ax.set_yticks([1 + 33 * (c + 0.5) for c in range(C)], list(data.classes or range(C)),
              fontsize=7)
ax.set_xticks([])
ax.set(xlabel="latent z (the same down each column)", ylabel="class label given to G",
       title=f"conditional GAN G(z, y), width {WIDTH}, {STEPS} steps")
plt.show()
