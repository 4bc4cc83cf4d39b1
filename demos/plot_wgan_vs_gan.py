r"""
WGAN-GP against GAN: what the training curves say
=================================================

The WGAN critic estimates the Wasserstein-1 distance through the Kantorovich-Rubinstein
duality,

.. math::

    W_1(p_\text{data}, p_g) = \sup_{\|f\|_L \le 1}
    \mathbb E_{x \sim p_\text{data}}[f(x)] - \mathbb E_{x \sim p_g}[f(x)],

with the Lipschitz constraint imposed softly by the gradient penalty
:math:`\lambda\,\mathbb E_{\hat x}(\|\nabla_{\hat x} D(\hat x)\|_2 - 1)^2` at random
interpolates :math:`\hat x` of real and generated images, one per sample (Gulrajani et al.
2017). Its estimate, :math:`\mathbb E[D(x)] - \mathbb E[D(G(z))]`, is meant to track sample
quality and to fall as the generator improves, while a GAN's losses mostly reflect the
balance of the two players. Top: the curves of both runs; bottom: their final samples.

Theory: :doc:`/theory/wgan`.
"""

# %%
# Two runs of the toy lab
# -----------------------
# :class:`gantheory.toylab.GANTrainer` trains the GAN (minimax D, non-saturating G) and WGAN-GP
# (Wasserstein critic, :func:`gantheory.losses.gradient_penalty`, 5 critic steps per generator
# step) on the ring of eight Gaussians; each run returns its loss curves. The gallery runs
# 400 generator steps with networks of width 64; ``GANTHEORY_FULL=1`` 3,000 with width 128.
import os

import matplotlib.pyplot as plt
import numpy as np
import torch

from gantheory import plotting
from gantheory.toyconfig import GANConfig, target_named
from gantheory.toylab import GANTrainer

FULL = os.environ.get("GANTHEORY_FULL") == "1"
STEPS, WIDTH = (3000, 128) if FULL else (400, 64)
plotting.use_style()
torch.manual_seed(0)
ring = target_named("ring")
base = GANConfig(steps=STEPS, g_hidden=(WIDTH,) * 3, d_hidden=(WIDTH,) * 2)
configs = {"GAN": base.replace(loss="non-saturating"),
           "WGAN-GP": base.replace(loss="wasserstein", penalty="gradient-penalty",
                                   penalty_weight=10.0, d_steps=5, lr_d=1e-4, lr_g=1e-4,
                                   betas=(0.5, 0.9))}
runs = {name: GANTrainer(config, ring, seeds=[0]).run(progress=False)
        for name, config in configs.items()}
for name, run in runs.items():
    print(f"{name}: d_loss {run.d_loss.shape}, last D loss {run.d_loss[-1].mean():.3f}")

# %%
# The critic's loss is :math:`E[D(G(z))] - E[D(x)]` plus the penalty: minus it estimates
# :math:`W_1`, which falls as the generator improves; the GAN's losses hover near their
# balance point.
fig, axes = plt.subplots(1, 3, figsize=(9.0, 2.8), layout="constrained")
gan = runs["GAN"]
axes[0].plot(gan.d_loss.mean(axis=-1) if gan.d_loss.ndim > 1 else gan.d_loss,
             color=plotting.DISCRIMINATOR, lw=0.8, label="D loss")
axes[0].plot(gan.g_loss.mean(axis=-1) if gan.g_loss.ndim > 1 else gan.g_loss,
             color=plotting.GENERATOR, lw=0.8, label="G loss")
axes[0].axhline(np.log(4.0), color=plotting.OPTIMAL, ls=":", label=r"$\log 4$")
axes[0].set(xlabel="generator step", title="GAN losses")
axes[0].legend(fontsize=7)
wgan = runs["WGAN-GP"]
axes[1].plot(-(wgan.d_loss.mean(axis=-1) if wgan.d_loss.ndim > 1 else wgan.d_loss),
             color=plotting.DISCRIMINATOR, lw=0.8)
axes[1].set(xlabel="generator step", title=r"WGAN-GP: $-$critic loss ($\approx W_1$)")
for name, run in runs.items():
    s = run.sample(1500, seed=1)[0]
    axes[2].scatter(s[:, 0], s[:, 1], s=2, alpha=0.4, label=name)
axes[2].scatter(*np.asarray(ring.means).T, marker="x", color=plotting.DATA)
axes[2].set(aspect="equal", title=f"samples after {STEPS} steps")
axes[2].legend(fontsize=7, markerscale=4)
plt.show()
