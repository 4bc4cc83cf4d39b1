r"""Differentiable GAN and VAE objectives in PyTorch, verified against the numeric core.

Modules: :mod:`.gan` (losses on logits, f-GAN losses for every row of the core's table),
:mod:`.penalties` (per-sample gradient penalties, weight clipping, instance noise, label
smoothing and flipping, conditional negatives), :mod:`.vae` (reparameterisation, Gaussian KLs,
likelihoods, ELBO, IWAE, VAE-GAN).

Conventions, stated in every docstring and checked by the tests:

* GAN losses take discriminator **logits** (never probabilities), compute with softplus /
  log-sigmoid so they stay finite for any logit, and return the **mean over the batch**;
* VAE losses **sum over data and latent dimensions and average over the batch**;
* gradient penalties take **one gradient norm (and one interpolation coefficient) per sample**;
* half-precision inputs (bfloat16 autocast) are computed in float32; tensors stay on their
  device (CPU or CUDA).

This package imports torch; the numeric core (``import gantheory``) does not import it, and
:mod:`gantheory.testing.conformance` checks other projects' losses against these.
"""

from gantheory.losses.gan import (
    F_DIVERGENCES,
    LossTerms,
    bce_d_loss,
    fgan_activation,
    fgan_conjugate,
    fgan_d_loss,
    fgan_minimax_g_loss,
    fgan_non_saturating_g_loss,
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
from gantheory.losses.penalties import (
    add_instance_noise,
    clip_weights,
    dragan_penalty,
    flip_labels,
    gradient_penalty,
    instance_noise_std,
    mismatched_conditions,
    mismatched_labels,
    per_sample_grad_norm,
    r1_penalty,
    r2_penalty,
    smooth_labels,
)
from gantheory.losses.vae import (
    VAEGANTerms,
    bernoulli_log_likelihood,
    elbo,
    gaussian_kl,
    gaussian_kl_standard,
    gaussian_log_density,
    gaussian_log_likelihood,
    iwae_bound,
    reparameterize,
    vaegan_terms,
)

__all__ = [
    "F_DIVERGENCES",
    "LossTerms",
    "VAEGANTerms",
    "add_instance_noise",
    "bce_d_loss",
    "bernoulli_log_likelihood",
    "clip_weights",
    "dragan_penalty",
    "elbo",
    "fgan_activation",
    "fgan_conjugate",
    "fgan_d_loss",
    "fgan_minimax_g_loss",
    "fgan_non_saturating_g_loss",
    "flip_labels",
    "gaussian_kl",
    "gaussian_kl_standard",
    "gaussian_log_density",
    "gaussian_log_likelihood",
    "gradient_penalty",
    "hinge_d_loss",
    "hinge_g_loss",
    "instance_noise_std",
    "iwae_bound",
    "lsgan_d_loss",
    "lsgan_g_loss",
    "minimax_d_loss",
    "minimax_g_loss",
    "mismatched_conditions",
    "mismatched_labels",
    "non_saturating_g_loss",
    "per_sample_grad_norm",
    "r1_penalty",
    "r2_penalty",
    "reparameterize",
    "smooth_labels",
    "vaegan_terms",
    "wasserstein_critic_loss",
    "wasserstein_g_loss",
]
