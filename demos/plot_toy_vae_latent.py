r"""
A VAE with a two-dimensional latent on the ring
===============================================

A VAE maximises the evidence lower bound (Kingma and Welling 2013)

.. math::

    \log p_\theta(x) \ge \mathcal L(x)
    = \mathbb E_{q_\phi(z|x)}[\log p_\theta(x|z)] - \mathrm{KL}(q_\phi(z|x)\,\|\,p(z)),
    \qquad p(z) = \mathcal N(0, I),

a bound on the forward KL to the data, so it covers every mode. Left: samples
:math:`x \sim p_\theta(x|z)`, :math:`z \sim \mathcal N(0, I)`: all modes, blurred between
them by the prior's mass there. Middle: the encoder's means of data, one cluster per mode.
Right: decoder means on a grid of :math:`z`. Related check: ``gantheory verify --only vae-kl``.

Theory: :doc:`/theory/vae`.
"""

# %%
# Training
# --------
# :func:`gantheory.toylab.experiments.vae_modes` trains the toy VAE
# (:func:`gantheory.toylab.train_vae`) and measures its samples like a GAN's. The gallery
# trains one seed for 800 steps; ``GANTHEORY_FULL=1`` 10 seeds for 3,000.
import os

import matplotlib.pyplot as plt
import torch

from gantheory import plotting
from gantheory.toyconfig import VAEConfig
from gantheory.toylab import experiments, plots

FULL = os.environ.get("GANTHEORY_FULL") == "1"
STEPS = 3000 if FULL else 800
plotting.use_style()
torch.manual_seed(0)
run, row = experiments.vae_modes("ring", seeds=10 if FULL else 1, steps=STEPS,
                                 config=VAEConfig(latent_dim=2, steps=STEPS), progress=False)
print(f"modes {row.modes:.1f} of 8, high quality {row.high_quality:.0f} %, "
      f"final KL {run.kl[-1].mean():.2f} nats")

# %%
# :func:`gantheory.toylab.plots.plot_vae`: samples, the encoder's means, the decoded grid.
plots.plot_vae(run)
plt.show()
