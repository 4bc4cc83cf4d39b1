r"""
A convolutional VAE's latent size: 20 against 60
================================================

The negative ELBO of a VAE splits into a reconstruction term (distortion) and a KL term (rate),

.. math::

    -\mathrm{ELBO}(x) = -\mathbb E_{q(z|x)}[\log p(x|z)]
    + \sum_{j=1}^{J} \mathrm{KL}\bigl(q(z_j|x)\,\|\,\mathcal N(0, 1)\bigr),

the KL a sum over the :math:`J` latent dimensions (the encoder's :math:`q` is a diagonal
Gaussian, so the KL is one closed-form term per dimension). A dimension the decoder does not
use costs nothing if the encoder leaves it at the prior, :math:`q(z_j|x) = \mathcal N(0, 1)`;
one that carries information costs nats. A larger latent lets the encoder buy a better
reconstruction with more KL, once the model is trained long enough to use it. Here the same
convolutional VAE is trained on the shapes images with :math:`J = 20` and :math:`J = 60`, and
the KL is read per dimension.

Theory: :doc:`/theory/vae`.
"""

# %%
# The two runs
# ------------
# :class:`gantheory.nets.ConvVAE` (width 8) with a Bernoulli decoder on pixel intensities in
# [0, 1] (:func:`gantheory.losses.bernoulli_log_likelihood`: continuous values give the
# usual unnormalised likelihood), :func:`gantheory.losses.gaussian_kl_standard` (sum over the
# latent dimensions, mean over the batch) and :func:`gantheory.losses.elbo`. The gallery trains
# 160 steps of batch 64 per latent size; ``GANTHEORY_FULL=1`` trains width 32 for 3,000.
import os

import matplotlib.pyplot as plt
import numpy as np
import torch

from gantheory import plotting
from gantheory.images.data import as_float, shapes
from gantheory.losses import bernoulli_log_likelihood, elbo, gaussian_kl_standard
from gantheory.nets import ConvVAE

FULL = os.environ.get("GANTHEORY_FULL") == "1"
(STEPS, WIDTH), BATCH = ((3000, 32) if FULL else (160, 8)), 64
LATENTS = (20, 60)
plotting.use_style()
images = as_float(shapes(3000, image_size=32, seed=0).images)  # (3000, 3, 32, 32) in [-1, 1]
held_out = as_float(shapes(500, image_size=32, seed=1).images)


def terms(vae, x, reduction="mean"):
    """(reconstruction log-likelihood, KL) of a batch x in [-1, 1], one noise draw."""
    mu, logvar, _, logits = vae(x, torch.randn(len(x), vae.latent_dim))
    return (bernoulli_log_likelihood(logits, (x + 1) / 2, reduction=reduction),
            gaussian_kl_standard(mu, logvar, reduction=reduction))


runs = {}
for j in LATENTS:
    torch.manual_seed(0)
    vae = ConvVAE(latent_dim=j, image_size=32, channels=3, width=WIDTH)
    opt = torch.optim.Adam(vae.parameters(), lr=2e-3)
    history = np.zeros((STEPS, 2))
    for step in range(STEPS):
        log_likelihood, kl = terms(vae, images[torch.randint(len(images), (BATCH,))])
        loss = -elbo(log_likelihood, kl)
        opt.zero_grad()
        loss.backward()
        opt.step()
        history[step] = -log_likelihood.item(), kl.item()
    runs[j] = (vae.eval(), history)

# %%
# The terms on held-out images, and the KL of each latent dimension
# -----------------------------------------------------------------
# The per-dimension KL is the closed form
# :math:`\tfrac12(\mu_j^2 + \sigma_j^2 - 1 - \log\sigma_j^2)` averaged over the images; a
# dimension is counted as *active* when it carries more than 0.05 nats.
per_dim = {}
with torch.no_grad():
    for j, (vae, _) in runs.items():
        log_likelihood, kl = terms(vae, held_out)
        mu, logvar = vae.encode(held_out)
        per_dim[j] = (0.5 * (mu**2 + logvar.exp() - 1 - logvar)).mean(0).numpy()  # (j,)
        print(f"J = {j}: reconstruction {-log_likelihood:.1f} nats, KL {kl:.2f} nats "
              f"(sum of the per-dimension KLs {per_dim[j].sum():.2f}), -ELBO "
              f"{kl - log_likelihood:.1f}; {int((per_dim[j] > 0.05).sum())} of {j} dimensions "
              f"active")

# %%
# Left: the two terms over training (20-step running means). Right: each dimension's KL,
# sorted. In the run shown (160 steps of a width-8 network) the wider latent spends more KL
# and keeps more dimensions away from the prior, but it does *not* reconstruct better: at this
# length the 60-dimensional model is still further from its optimum, and the shapes vary in
# about six factors (shape, colour, position, size, brightness), which 20 dimensions already
# hold. So this run shows the rate side of the statement, the KL rising with :math:`J`, and
# not the distortion side. The counts of active dimensions are this run's.
fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 3.2), layout="constrained")
for colour, (j, (_, history)) in zip(plotting.CYCLE, runs.items(), strict=False):
    smooth = np.array([np.convolve(h, np.ones(20) / 20, mode="valid") for h in history.T])
    left.plot(smooth[0], color=colour, label=f"J = {j}: reconstruction")
    left.plot(smooth[1], color=colour, ls="--", label=f"J = {j}: KL")
    right.plot(np.sort(per_dim[j])[::-1], "o-", ms=3, color=colour, label=f"J = {j}")
left.set(xlabel="step", ylabel="nats per image", yscale="log", title="the two terms")
left.legend(fontsize=7)
right.axhline(0.05, color=plotting.DATA, ls=":", lw=0.8, label="0.05 nats")
right.set(xlabel="latent dimension (sorted)", ylabel="KL (nats)",
          title="KL per dimension, held-out images")
right.legend(fontsize=7)
plt.show()
