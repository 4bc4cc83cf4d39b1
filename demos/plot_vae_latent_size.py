r"""
The ELBO's two terms against the latent size
============================================

.. math::

    -\mathcal L(x) = \underbrace{-\mathbb E_{q(z|x)}[\log p(x|z)]}_{\text{reconstruction
    (distortion)}} + \underbrace{\mathrm{KL}(q(z|x)\,\|\,\mathcal N(0, I))}_{\text{rate}},

each summed over dimensions and averaged over the batch. Toy VAEs with latent sizes
:math:`J` are trained on a correlated Gaussian in 8 dimensions whose standard deviations fall
by a factor 1.6 per principal direction. Each extra latent dimension lets the encoder spend
more nats of KL to reconstruct one more direction, until the remaining directions are smaller
than what the decoder's own noise absorbs: then the extra dimensions stay at the prior (zero
KL) and both terms level off. Related check: ``gantheory verify --only vae-kl``.

Theory: :doc:`/theory/vae`.
"""

# %%
# The sweep
# ---------
# :func:`gantheory.toylab.experiments.vae_latent_sizes` trains toy VAEs on a correlated 8-D
# Gaussian (:func:`~gantheory.toylab.experiments.latent_size_target`) for each latent size
# and returns the two ELBO terms. The gallery runs latent sizes 1, 2, 4, 8 with one seed and
# 600 steps; ``GANTHEORY_FULL=1`` runs 1-8 with 5 seeds and 5,000 steps.
import os

import matplotlib.pyplot as plt
import torch

from gantheory import plotting
from gantheory.toylab import experiments, plots

FULL = os.environ.get("GANTHEORY_FULL") == "1"
DIMS = (1, 2, 3, 4, 5, 6, 8) if FULL else (1, 2, 4, 8)
SEEDS = 5 if FULL else 1
plotting.use_style()
torch.manual_seed(0)
terms = experiments.vae_latent_sizes(DIMS, seeds=SEEDS, steps=5000 if FULL else 600,
                                     hidden=(128, 128) if FULL else (64, 64))
for j, kl, rec in zip(DIMS, terms["kl"], terms["reconstruction"], strict=True):
    print(f"latent size {j}: KL {kl:.2f} nats, reconstruction {rec:.2f} nats")

# %%
# :func:`gantheory.toylab.plots.plot_vae_latent_size` draws the terms.
plots.plot_vae_latent_size(DIMS, terms, SEEDS)
plt.show()
