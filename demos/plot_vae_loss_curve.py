r"""
A VAE's loss: reconstruction and KL over training
=================================================

A VAE maximises the evidence lower bound (Kingma and Welling 2014)

.. math::

    \log p(x) \ \ge\ \mathrm{ELBO} = \mathbb E_{q(z|x)}[\log p(x|z)]
    - \mathrm{KL}\bigl(q(z|x)\,\|\,\mathcal N(0, I)\bigr),

whose two parts pull apart: the reconstruction term wants informative codes, the KL term
wants codes that look like the prior. The importance weighted bound with :math:`K` samples
(Burda et al. 2016),
:math:`\mathcal L_K = \mathbb E\log\frac1K\sum_k p(x, z_k)/q(z_k|x)`, is tighter:
:math:`\mathrm{ELBO} = \mathcal L_1 \le \mathcal L_K \le \log p(x)`. A small MLP VAE with a
2-D latent on the ring of eight Gaussians, trained in the script.

Theory: :doc:`/theory/vae`.
"""

# %%
# The model and the loss in view
# ------------------------------
# The gallery trains 600 steps; ``GANTHEORY_FULL=1`` 3,000. The KL is
# :func:`gantheory.losses.gaussian_kl_standard` (sum over latent dimensions, mean over the
# batch); the reconstruction term is :func:`~gantheory.losses.gaussian_log_likelihood` with a
# learnt decoder variance.
import os

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from gantheory import plotting
from gantheory.losses import (
    elbo,
    gaussian_kl,
    gaussian_kl_standard,
    gaussian_log_density,
    gaussian_log_likelihood,
    iwae_bound,
    reparameterize,
)
from gantheory.toyconfig import target_named

FULL = os.environ.get("GANTHEORY_FULL") == "1"
STEPS = 3000 if FULL else 600
plotting.use_style()
torch.manual_seed(0)
ring = target_named("ring")
data = torch.tensor(ring.sample(20_000, seed=0), dtype=torch.float32)  # (20000, 2)
encoder = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                        nn.Linear(64, 4))  # -> mu (2), logvar (2)
decoder = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                        nn.Linear(64, 2))
log_sigma2 = nn.Parameter(torch.tensor(0.0))  # decoder log-variance, shared
params = [*encoder.parameters(), *decoder.parameters(), log_sigma2]
opt = torch.optim.Adam(params, lr=2e-3)
history = []
for _ in range(STEPS):
    x = data[torch.randint(len(data), (256,))]
    mu, logvar = encoder(x).chunk(2, dim=1)
    z = reparameterize(mu, logvar)
    reconstruction = gaussian_log_likelihood(decoder(z), x, log_sigma2)
    kl = gaussian_kl_standard(mu, logvar)
    loss = -elbo(reconstruction, kl)
    opt.zero_grad()
    loss.backward()
    opt.step()
    history.append((reconstruction.item(), kl.item()))
history = np.array(history)

# %%
# Checks in view: the KL to :math:`\mathcal N(0, I)` is the general diagonal-Gaussian KL with
# :math:`\mu_p = 0`, :math:`\log\sigma_p^2 = 0`; and the importance weighted bound grows with
# :math:`K` above the ELBO (log-densities from :func:`~gantheory.losses.gaussian_log_density`).
with torch.no_grad():
    x = data[:2000]
    mu, logvar = encoder(x).chunk(2, dim=1)
    zeros = torch.zeros_like(mu)
    print("gaussian_kl(q, N(0, I)) = gaussian_kl_standard:",
          torch.allclose(gaussian_kl(mu, logvar, zeros, zeros), gaussian_kl_standard(mu, logvar)))
    for k in (1, 5, 50):
        z = mu + (0.5 * logvar).exp() * torch.randn(k, *mu.shape)  # (K, N, 2)
        bound = iwae_bound(gaussian_log_density(x.expand_as(z), decoder(z), log_sigma2),
                           gaussian_log_density(z, 0.0),
                           gaussian_log_density(z, mu.expand_as(z), logvar.expand_as(z)))
        print(f"K = {k:2d}: importance weighted bound {bound.item():.3f} nats")

# %%
fig, (ax, right) = plt.subplots(1, 2, figsize=(7.6, 2.9), layout="constrained")
steps = np.arange(1, STEPS + 1)
ax.plot(steps, -history[:, 0], color=plotting.GENERATOR,
        label=r"reconstruction $-E_q\log p(x|z)$")
ax.plot(steps, history[:, 1], color=plotting.CYCLE[1], label=r"KL$(q(z|x)\,\|\,p(z))$")
ax.plot(steps, history[:, 1] - history[:, 0], color=plotting.DATA, ls="--",
        label="-ELBO = sum")
ax.set(xlabel="step", ylabel="nats per sample", title="the loss and its two parts")
ax.legend(fontsize=7)
with torch.no_grad():
    samples = decoder(torch.randn(2000, 2)).numpy()
right.scatter(samples[:, 0], samples[:, 1], s=2, color=plotting.GENERATOR, alpha=0.4,
              label="decoder means, z ~ N(0, I)")
right.scatter(*np.asarray(ring.means).T, marker="x", color=plotting.DATA, label="modes")
right.set(aspect="equal", title="the VAE's samples (means)")
right.legend(fontsize=7, loc="lower left")
plt.show()
