"""Differentiable GAN objectives and regularisers in PyTorch, checked against the numeric core.

Modules: :mod:`.gan` (losses on logits), :mod:`.penalties` (gradient penalties, weight
clipping, instance noise, label smoothing and flipping, conditional negatives), :mod:`.vae`
(reparameterisation, Gaussian KLs, likelihoods, ELBO; sum over dimensions, mean over batch).

All GAN losses take discriminator **logits** (never probabilities), compute with softplus so
they stay finite for any logit, and return the mean over the batch.

This package imports torch; the numeric core (``import gantheory``) does not import it.
"""

from gantheory.losses.gan import (
    hinge_d_loss,
    hinge_g_loss,
    lsgan_d_loss,
    lsgan_g_loss,
    minimax_d_loss,
    minimax_g_loss,
    non_saturating_g_loss,
    wasserstein_critic_loss,
    wasserstein_g_loss,
)

__all__ = [
    "hinge_d_loss",
    "hinge_g_loss",
    "lsgan_d_loss",
    "lsgan_g_loss",
    "minimax_d_loss",
    "minimax_g_loss",
    "non_saturating_g_loss",
    "wasserstein_critic_loss",
    "wasserstein_g_loss",
]
