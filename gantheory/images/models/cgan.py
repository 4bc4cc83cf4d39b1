r"""The conditional GAN (Mirza and Osindero 2014): DCGAN's objectives with labels given to both
networks.

.. math::

    L_D = -\mathbb E_{(x, y) \sim p_\text{data}}[\log D(x, y)]
          - \mathbb E_{z, y}[\log(1 - D(G(z, y), y))], \qquad
    L_G = -\mathbb E_{z, y}[\log D(G(z, y), y)],

with the labels :math:`y` of the real batch for the fakes too (so the classes are drawn as
often as the data has them), on :class:`~gantheory.nets.ConditionalGenerator` and
:class:`~gantheory.nets.ConditionalDiscriminator`. It needs a labelled data set with at least
two classes.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import nn

from gantheory import nets
from gantheory.errors import UsageError
from gantheory.images.models.dcgan import DCGAN
from gantheory.images.models.gan import GANConfig


@dataclass(frozen=True)
class CGANConfig(GANConfig):
    """The settings of the conditional GAN: those of
    :class:`~gantheory.images.models.gan.GANConfig`.
    """


class CGAN(DCGAN):
    """The conditional GAN: DCGAN's losses, networks that take ``(input, labels)``."""

    config_class = CGANConfig
    conditional = True

    def make_networks(self, channels: int, n_classes: int) -> dict[str, nn.Module]:
        """:class:`~gantheory.nets.ConditionalGenerator` and
        :class:`~gantheory.nets.ConditionalDiscriminator` for ``n_classes`` classes.

        Raises
        ------
        UsageError
            If the data set has fewer than 2 classes.
        """
        if n_classes < 2:
            raise UsageError(f"model {self.name!r} needs a labelled data set (2 or more "
                             f"classes); this one has {n_classes}")
        cfg = self.config
        return {"generator": nets.ConditionalGenerator(n_classes, cfg.latent_dim,
                                                       cfg.image_size, channels, cfg.width),
                "discriminator": nets.ConditionalDiscriminator(n_classes, cfg.image_size,
                                                               channels, cfg.width)}
