r"""
Every discriminator loss and the discriminator it learns
========================================================

Against a fixed generator, each GAN loss has its own optimal discriminator, a function of the
density ratio :math:`r = p_\text{data}/p_g`:

.. math::

    \text{minimax: } \ell^* = \log r, \qquad
    \text{LSGAN: } D^* = \frac{r}{1 + r}, \qquad
    \text{hinge: } \ell^* = \operatorname{sign}(\log r), \qquad
    \text{f-GAN (KL): } T^* = f'(r) = 1 + \log r

(Goodfellow et al. 2014; Mao et al. 2017; Lim and Ye 2017; Nowozin et al. 2016, with
:math:`T^*` bounded as in the f-GAN bound :math:`\mathbb E_P[T] - \mathbb E_Q[f^*(T)] \le
D_f(P\|Q)`). A Wasserstein critic has no such ratio: it is a 1-Lipschitz function, enforced
by weight clipping (Arjovsky et al. 2017) or by a gradient penalty (Gulrajani et al. 2017),
whose slope :math:`\|\nabla f\|` the penalty pulls to 1. Here each loss trains a small
network against :math:`p_g = \mathcal N(0.5, 1.5^2)`, with the data two modes at
:math:`\pm 2`, and the learnt function is drawn beside its optimum, computed exactly from
:func:`gantheory.optimal_discriminator`.

Theory: :doc:`/theory/fgan`.
"""

# %%
# The losses, one training loop
# -----------------------------
# The gallery trains each discriminator for 300 steps; ``GANTHEORY_FULL=1`` for 2,000.
# Regularisers ride along where they belong: R1 (at data) on the minimax loss, R2 (at
# samples) on LSGAN, DRAGAN (near the data) on the hinge loss, one-sided label smoothing with
# label flipping and annealed instance noise on the cross-entropy loss.
import os

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from gantheory import Gaussian, optimal_discriminator, plotting
from gantheory.losses import (
    add_instance_noise,
    bce_d_loss,
    clip_weights,
    dragan_penalty,
    fgan_activation,
    fgan_conjugate,
    fgan_d_loss,
    fgan_minimax_g_loss,
    fgan_non_saturating_g_loss,
    flip_labels,
    gradient_penalty,
    hinge_d_loss,
    hinge_g_loss,
    instance_noise_std,
    lsgan_d_loss,
    lsgan_g_loss,
    minimax_d_loss,
    per_sample_grad_norm,
    r1_penalty,
    r2_penalty,
    smooth_labels,
    wasserstein_critic_loss,
    wasserstein_g_loss,
)
from gantheory.presets import bimodal

FULL = os.environ.get("GANTHEORY_FULL") == "1"
STEPS, BATCH = (2000 if FULL else 300), 256
plotting.use_style()
torch.manual_seed(0)
p_data, p_g = bimodal(), Gaussian(0.5, 1.5**2)
pool = torch.tensor(p_data.sample(50_000, seed=0), dtype=torch.float32)


def d_loss(name, net, real, fake, step):
    """The discriminator loss ``name`` on one minibatch (with its regulariser)."""
    if name == "minimax + R1":  # the penalties differentiate D in its input
        real = real.requires_grad_()
        return minimax_d_loss(net(real), net(fake)) + r1_penalty(net, real, gamma=1.0)
    if name == "smoothed, flipped, noisy BCE":
        sigma = instance_noise_std(step, STEPS, start=0.5)
        real, fake = add_instance_noise(real, sigma), add_instance_noise(fake, sigma)
        targets = flip_labels(smooth_labels(len(real), 0.9, like=real), 0.05)
        return bce_d_loss(net(real), net(fake), real_targets=targets)
    if name == "LSGAN + R2":
        fake = fake.requires_grad_()
        return lsgan_d_loss(net(real), net(fake)) + r2_penalty(net, fake, gamma=1.0)
    if name == "hinge + DRAGAN":
        return hinge_d_loss(net(real), net(fake)) + dragan_penalty(net, real, weight=1.0)
    if name == "f-GAN (KL)":
        return fgan_d_loss(net(real), net(fake), "kl")
    if name == "WGAN, clipped":
        return wasserstein_critic_loss(net(real), net(fake))
    return wasserstein_critic_loss(net(real), net(fake)) + gradient_penalty(net, real, fake)


NAMES = ("minimax + R1", "smoothed, flipped, noisy BCE", "LSGAN + R2", "hinge + DRAGAN",
         "f-GAN (KL)", "WGAN, clipped", "WGAN-GP")
nets = {}
for name in NAMES:
    net = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(),
                        nn.Linear(32, 1), nn.Flatten(0))  # (N, 1) -> (N,)
    opt = torch.optim.Adam(net.parameters(), lr=1e-4 if name == "WGAN, clipped" else 3e-3)
    for step in range(STEPS):
        real = pool[torch.randint(len(pool), (BATCH,))]
        fake = 0.5 + 1.5 * torch.randn(BATCH, 1)
        loss = d_loss(name, net, real, fake, step)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if name == "WGAN, clipped":
            clip_weights(net, 0.05)
    nets[name] = net

# %%
# What each learnt and its generator losses
# -----------------------------------------
# The generator's losses at the learnt discriminators; the f-GAN's output passes through the
# table's activation :math:`g_f` and conjugate :math:`f^*`; the critics' slopes come from
# :func:`gantheory.losses.per_sample_grad_norm`.
x = torch.linspace(-5, 6, 400)[:, None]
fake = 0.5 + 1.5 * torch.randn(4000, 1)
with torch.no_grad():
    out = {name: net(x).numpy() for name, net in nets.items()}
    v = nets["f-GAN (KL)"](fake)
    print(f"f-GAN: E_g[f*(g_f(v))] = {fgan_conjugate(fgan_activation(v, 'kl'), 'kl').mean():.3f}"
          f", minimax G loss {fgan_minimax_g_loss(v, 'kl'):.3f}, "
          f"non-saturating G loss {fgan_non_saturating_g_loss(v, 'kl'):.3f}")
    print(f"LSGAN G loss {lsgan_g_loss(nets['LSGAN + R2'](fake)):.3f}, "
          f"hinge G loss {hinge_g_loss(nets['hinge + DRAGAN'](fake)):.3f}, "
          f"WGAN-GP G loss {wasserstein_g_loss(nets['WGAN-GP'](fake)):.3f}")
slopes = {name: per_sample_grad_norm(nets[name], x.clone().requires_grad_()).detach().numpy()
          for name in ("WGAN, clipped", "WGAN-GP")}
for name, s in slopes.items():
    print(f"{name}: critic slope |f'(x)| from {s.min():.2f} to {s.max():.2f}")
log_r = optimal_discriminator(p_data, p_g).logit(x.numpy())  # log p_data - log p_g

# %%
# Each panel: the learnt function (blue) and its optimum (green).
optimum = {"minimax + R1": log_r, "smoothed, flipped, noisy BCE": None,
           "LSGAN + R2": 1 / (1 + np.exp(-log_r)), "hinge + DRAGAN": np.sign(log_r),
           "f-GAN (KL)": 1 + log_r}
fig, axes = plt.subplots(2, 4, figsize=(10.0, 4.8), layout="constrained")
xs = x[:, 0].numpy()
for ax, name in zip(axes.ravel(), NAMES, strict=False):
    learnt = fgan_activation(torch.tensor(out[name]), "kl").numpy() if name == "f-GAN (KL)" \
        else out[name]
    ax.plot(xs, learnt, color=plotting.DISCRIMINATOR, label="learnt")
    if optimum.get(name) is not None:
        ax.plot(xs, optimum[name], color=plotting.OPTIMAL, ls="--", label="optimum")
    ax.set_ylim(-4, 4) if name != "LSGAN + R2" else ax.set_ylim(-0.2, 1.2)
    ax.set_title(name, fontsize=8)
ax = axes[1, 3]
ax.plot(xs, p_data.pdf(xs), color=plotting.DATA, label=r"$p_\mathrm{data}$")
ax.plot(xs, p_g.pdf(xs), color=plotting.GENERATOR, label=r"$p_g$")
for name, s in slopes.items():
    ax.plot(xs, s / 4, ls=":", label=f"{name} slope / 4")
ax.set_title("densities, and the critics' slopes", fontsize=8)
ax.legend(fontsize=6)
axes[0, 0].legend(fontsize=7)
fig.suptitle(f"each discriminator loss after {STEPS} steps against a fixed generator")
plt.show()
