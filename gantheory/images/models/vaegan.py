r"""VAE-GAN (Larsen et al. 2016): a VAE whose reconstruction likelihood is measured in the
features of a GAN discriminator.

With encoder :math:`q(z|x)`, decoder :math:`\mathrm{Dec}` (the mean of a
:class:`~gantheory.nets.ConvVAE` with Gaussian decoder; its pixel variance is not trained) and
a :class:`~gantheory.nets.DCGANDiscriminator` whose last hidden layer is
:math:`\mathrm{Dis}_l`, each step computes (:func:`gantheory.losses.vaegan_terms`)

.. math::

    \mathcal L_\text{prior} = \mathrm{KL}(q(z|x)\,\|\,N(0, I)), \quad
    \mathcal L_\text{llike}^{\mathrm{Dis}_l} = -\mathbb E_{q(z|x)}\bigl[\log
        N(\mathrm{Dis}_l(x);\, \mathrm{Dis}_l(\mathrm{Dec}(z)), I)\bigr], \quad
    \mathcal L_\text{GAN} = \log \mathrm{Dis}(x) + \log(1 - \mathrm{Dis}(\tilde x))
        + \log(1 - \mathrm{Dis}(x_p)),

with :math:`\tilde x` the reconstruction and :math:`x_p = \mathrm{Dec}(z_p)`,
:math:`z_p \sim N(0, I)`. Algorithm 1 of the paper: the encoder descends
:math:`\mathcal L_\text{prior} + \mathcal L_\text{llike}`, the decoder
:math:`\gamma \mathcal L_\text{llike} + \mathcal L_\text{GAN}` (:math:`\gamma = 1`), the
discriminator ascends :math:`\mathcal L_\text{GAN}`; one Adam step each. The losses logged are
``vae_loss`` (encoder's plus decoder's), ``d_loss``, ``prior`` and ``llike``. It trains in one
process only, and ``gantheory eval`` measures it like a GAN, by its samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import nn

from gantheory import losses, nets
from gantheory.images import evaluation
from gantheory.images.models.base import (
    AdversarialConfig,
    Autoencoder,
    EvalSettings,
    TrainingContext,
)


@dataclass(frozen=True)
class VAEGANConfig(AdversarialConfig):
    """The settings of VAE-GAN: an :class:`~gantheory.images.models.base.ImageConfig` with a
    latent of 64 and the discriminator's ``lr_d``.
    """

    latent_dim_range: ClassVar[tuple[int, int | None]] = nets.ConvVAE.LATENT_DIM_RANGE

    latent_dim: int = 64


class VAEGAN(Autoencoder):
    """VAE-GAN: the encoder, decoder and discriminator of Larsen et al. (module docstring)."""

    config_class = VAEGANConfig
    network_names = ("vae", "discriminator")
    single_process_reason = ("its encoder and decoder take separate gradients "
                             "(torch.autograd.grad), which DistributedDataParallel does not "
                             "synchronise")

    def make_networks(self, channels: int, n_classes: int) -> dict[str, nn.Module]:
        """A Gaussian :class:`~gantheory.nets.ConvVAE` (pixel variance frozen) and a
        :class:`~gantheory.nets.DCGANDiscriminator`.
        """
        cfg = self.config
        vae = nets.ConvVAE(cfg.latent_dim, cfg.image_size, channels, cfg.width, "gaussian")
        # VAE-GAN replaces the pixel likelihood by one in Dis_l's features: no pixel variance.
        vae.decoder_logvar.requires_grad_(False)
        return {"vae": vae,
                "discriminator": nets.DCGANDiscriminator(cfg.image_size, channels, cfg.width)}

    def make_optimizers(self, fused: bool) -> dict[str, torch.optim.Optimizer]:
        """Adam on the VAE (``opt_g``, ``lr_g``) and the discriminator (``opt_d``, ``lr_d``)."""
        return {**super().make_optimizers(fused),
                "opt_d": self._adam("discriminator", self.config.lr_d, fused)}

    def step(self, context: TrainingContext) -> dict[str, torch.Tensor]:
        """One update of the encoder, the decoder and the discriminator (Algorithm 1)."""
        vae, D = context.forward["vae"], context.forward["discriminator"]
        real, _ = context.draw_batch()
        with context.autocast():
            mu, logvar = vae.encode(real)
        z = losses.reparameterize(mu.float(), logvar.float(), generator=context.rng,
                                 check_finite=False)
        with context.autocast():
            recon = vae.decode_image(z)
            prior = vae.decode_image(context.draw_latents())
            real_features, real_logits = D.features_and_logits(real)
            recon_features, recon_logits = D.features_and_logits(recon)
            _, prior_logits = D.features_and_logits(prior)
        terms = losses.vaegan_terms(mu.float(), logvar.float(), real_features.detach().float(),
                                    recon_features.float(), real_logits.float(),
                                    recon_logits.float(), prior_logits.float(),
                                    check_finite=False)
        # Larsen et al., Algorithm 1: the encoder descends L_prior + L_llike, the decoder
        # gamma L_llike + L_GAN (playing against the discriminator); gamma = 1 here.
        vae_model = self.networks["vae"]
        enc, dec = list(vae_model.encoder.parameters()), list(vae_model.decoder.parameters())
        g_enc = torch.autograd.grad(terms.encoder_loss(), enc, retain_graph=True)
        g_dec = torch.autograd.grad(terms.decoder_loss(), dec, allow_unused=True)
        opt_g, opt_d = self.optimizers["opt_g"], self.optimizers["opt_d"]
        opt_g.zero_grad(set_to_none=True)
        for p, g in zip(enc + dec, g_enc + g_dec, strict=True):
            p.grad = g
        opt_g.step()
        vae_loss = terms.encoder_loss() + terms.decoder_loss()
        with context.autocast():
            d_real = D(real)
            d_recon = D(recon.detach())
            d_prior = D(prior.detach())
        d_terms = losses.vaegan_terms(mu.detach().float(), logvar.detach().float(),
                                      real_features.detach().float(),
                                      recon_features.detach().float(), d_real.float(),
                                      d_recon.float(), d_prior.float(), check_finite=False)
        d_loss = d_terms.discriminator_loss()
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        return {"vae_loss": vae_loss.detach(), "d_loss": d_loss.detach(),
                "prior": terms.prior.detach(), "llike": terms.llike.detach()}

    def evaluate(self, settings: EvalSettings) -> dict[str, Any]:
        """The sample-based metrics of :func:`gantheory.images.evaluation.gan_metrics`."""
        return evaluation.gan_metrics(self, settings)
