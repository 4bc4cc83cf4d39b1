r"""DCGAN (Radford, Metz and Chintala 2016): the minimax game with the non-saturating generator.

The discriminator :math:`D = \sigma(\ell)` minimises the minimax loss on its logits
:math:`\ell`, the generator the non-saturating loss (Goodfellow et al. 2014, Sec. 3):

.. math::

    L_D = -\mathbb E_{x \sim p_\text{data}}[\log D(x)]
          - \mathbb E_{z \sim N(0, I)}[\log(1 - D(G(z)))], \qquad
    L_G = -\mathbb E_{z \sim N(0, I)}[\log D(G(z))],

one discriminator step per generator step, Adam 2e-4 with betas (0.5, 0.999), on
:class:`~gantheory.nets.DCGANGenerator` and :class:`~gantheory.nets.DCGANDiscriminator`.

Examples
--------
>>> from gantheory.images.data import shapes
>>> model = DCGAN(DCGANConfig(latent_dim=8, width=4)).build(shapes(16, image_size=32))
>>> sorted(model.networks)
['discriminator', 'generator']
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from gantheory import losses, nets
from gantheory.images.models.gan import GANConfig, GANModel


@dataclass(frozen=True)
class DCGANConfig(GANConfig):
    """The settings of DCGAN: those of :class:`~gantheory.images.models.gan.GANConfig`."""


class DCGAN(GANModel):
    """DCGAN: minimax discriminator loss, non-saturating generator loss (module docstring)."""

    config_class = DCGANConfig
    discriminator_class = nets.DCGANDiscriminator

    def discriminator_loss(self, real_logits: torch.Tensor, fake_logits: torch.Tensor,
                           real: torch.Tensor, fake: torch.Tensor, rng: torch.Generator
                           ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        """:func:`gantheory.losses.minimax_d_loss`, no penalty."""
        return losses.minimax_d_loss(real_logits, fake_logits, check_finite=False), {}

    def generator_loss(self, fake_logits: torch.Tensor) -> torch.Tensor:
        """:func:`gantheory.losses.non_saturating_g_loss`."""
        return losses.non_saturating_g_loss(fake_logits, check_finite=False)
