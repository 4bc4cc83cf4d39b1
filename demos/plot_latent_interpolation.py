r"""
Four-corner latent interpolation
================================

Given four latents :math:`z_{00}, z_{01}, z_{10}, z_{11}`, the image in row :math:`i` and
column :math:`j` of an :math:`8 \times 8` grid decodes

.. math::

    z = (1 - v)\bigl[(1 - u) z_{00} + u z_{01}\bigr] + v\bigl[(1 - u) z_{10} + u z_{11}\bigr],
    \qquad u = \frac{j}{7}, \quad v = \frac{i}{7}.

Middle: a VAE's decoder, with the corners the encoder means of four data images (left) of
four classes. Right: a DCGAN generator, with four random latents as corners. A smooth grid
means the model maps nearby latents to similar images.

Theory: :doc:`/theory/practice`.
"""

# %%
# A small convolutional VAE
# -------------------------
# :class:`gantheory.nets.ConvVAE` with a Bernoulli decoder on ``shapes`` scaled to [0, 1];
# the loss is minus the ELBO (:func:`gantheory.losses.elbo`) from
# :func:`~gantheory.losses.bernoulli_log_likelihood` (sum over pixels, mean over the batch) and
# :func:`~gantheory.losses.gaussian_kl_standard`, with :math:`z` drawn by
# :func:`~gantheory.losses.reparameterize`. The gallery trains width 8 for 200 steps on a CPU
# (blurred corners); ``GANTHEORY_FULL=1`` width 64 for 3,000 steps. The DCGAN generator's
# latent space interpolates the same way.
import os

import matplotlib.pyplot as plt
import torch
from torchvision.utils import make_grid

from gantheory import plotting
from gantheory.images.data import shapes
from gantheory.losses import bernoulli_log_likelihood, elbo, gaussian_kl_standard, reparameterize
from gantheory.nets import ConvVAE

FULL = os.environ.get("GANTHEORY_FULL") == "1"
STEPS, WIDTH = (3000, 64) if FULL else (200, 8)
plotting.use_style()
torch.manual_seed(0)
data = shapes(2000, image_size=32, seed=0)
x01 = data.images.float() / 255.0  # (2000, 3, 32, 32) in [0, 1]
vae = ConvVAE(latent_dim=16, image_size=32, channels=3, width=WIDTH, likelihood="bernoulli")
opt = torch.optim.Adam(vae.parameters(), lr=2e-3)
for _ in range(STEPS):
    x = x01[torch.randint(len(x01), (64,))]
    mu, logvar = vae.encode(x)
    z = reparameterize(mu, logvar)
    loss = -elbo(bernoulli_log_likelihood(vae.decode(z), x), gaussian_kl_standard(mu, logvar))
    opt.zero_grad()
    loss.backward()
    opt.step()
print(f"-ELBO after {STEPS} steps: {loss.item():.1f} nats per image")

# %%
# The four corners are the encoder means of one image of each of four classes; the grid is
# the bilinear interpolation of the docstring, decoded.
vae.eval()
corners = torch.stack([x01[(data.labels == c).nonzero()[0, 0]] for c in (0, 4, 8, 11)])
with torch.no_grad():
    z00, z01, z10, z11 = vae.encode(corners)[0]
    u = torch.linspace(0, 1, 8)[None, :, None]  # columns
    v = torch.linspace(0, 1, 8)[:, None, None]  # rows
    z = (1 - v) * ((1 - u) * z00 + u * z01) + v * ((1 - u) * z10 + u * z11)  # (8, 8, 16)
    decoded = (vae.decode_image(z.reshape(64, -1)) + 1) / 2
fig, (left, right) = plt.subplots(1, 2, figsize=(6.4, 3.4), layout="constrained",
                                  gridspec_kw={"width_ratios": (0.5, 1.0)})
left.imshow(make_grid(corners, nrow=2, padding=2, pad_value=1).permute(1, 2, 0))
left.set_title("corner images (data)")
right.imshow(make_grid(decoded, nrow=8, pad_value=1).permute(1, 2, 0))
right.set_title("VAE decoder on the interpolated latents")
for ax in (left, right):
    ax.set_axis_off()
plt.show()
