r"""Differentiable GAN and VAE objectives in PyTorch, verified against the numeric core.

Modules: :mod:`.gan` (losses on logits, f-GAN losses for every row of the core's table),
:mod:`.penalties` (per-sample gradient penalties, weight clipping, instance noise, label
smoothing and flipping, conditional negatives), :mod:`.vae` (reparameterisation, Gaussian KLs,
likelihoods, ELBO, IWAE, VAE-GAN).

Conventions, stated in every docstring and checked by the tests:

* GAN losses take discriminator **logits** (never probabilities), compute with softplus /
  log-sigmoid so they stay finite for any logit, and return the **mean over the batch**;
* VAE losses **sum over data and latent dimensions and average over the batch**;
* ``reduction`` is ``"mean"`` (the default just described), ``"sum"`` (the same per-sample
  terms summed over the batch instead of averaged, as in torch's losses) or ``"none"`` (the
  per-sample terms), wherever a function takes it;
* gradient penalties take **one gradient norm (and one interpolation coefficient) per sample**,
  of a critic that must be **differentiable in its input** (one that detaches it raises
  ValueError naming the critic);
* half-precision inputs (bfloat16 autocast) are computed in float32; tensors stay on their
  device (CPU or CUDA);
* bad arguments raise TypeError (a wrong type, an integer or complex tensor) or ValueError (a
  wrong shape, an empty batch, another device, a number out of range) with a message that
  names the argument.

**Non-finite values.** Non-finite inputs raise ValueError unless ``check_finite=False``: the one
policy of every loss, penalty, VAE term and f-GAN activation here, each of which takes the
keyword ``check_finite=True``. Each input tensor is checked once, by
``torch.isfinite(x).all()``, and the message names the tensor, the kind and the first index
(``fake_logits is not finite: it contains NaN at index 3``). Infinities are refused like NaN: an
infinite logit is a limit, not a network's output; evaluate a loss at such a limit on purpose
(the total-variation f-GAN row's optimum :math:`v^* = \pm\infty`) with ``check_finite=False``.
The VAE terms also check their result: one computed from finite inputs that overflows raises
ValueError saying that exp of a log-variance overflowed. Each check reads a boolean off the
tensor, a **synchronisation on CUDA**; a training loop that calls the losses every step passes
``check_finite=False``, which skips all of them (a NaN then propagates as in torch: check the
loss where the loop logs it). Range checks (targets and Bernoulli data in [0, 1]) are made
either way. Functions with no floating-point values of their own to check take no
``check_finite``: :func:`clip_weights` (a module), :func:`instance_noise_std` and
:func:`smooth_labels` (numbers), :func:`mismatched_labels` (integer labels) and
:func:`mismatched_conditions` (a permutation of the rows).

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
