r"""Image networks: DCGAN, conditional GAN, WGAN critic, convolutional VAE, VAE-GAN's parts.

Every discriminator returns **logits** (one per image, shape (N,)) for the losses of
:mod:`gantheory.losses`; every generator returns images in [-1, 1].

=================================  ===========================================================
:class:`DCGANGenerator`            z -> image (Radford et al. 2016), 32, 64 or 128 pixels
:class:`DCGANDiscriminator`        image -> logit; ``features_and_logits`` for VAE-GAN
:class:`WGANCritic`                the discriminator without BatchNorm, for gradient penalties
:class:`ConditionalGenerator`      (z, y) -> image, label embedding joined to z
:class:`ConditionalDiscriminator`  (image, y) -> logit, label map joined to the image
:class:`ConvVAE`                   encoder and Bernoulli or Gaussian decoder, latent 2 to 256
=================================  ===========================================================

VAE-GAN (Larsen et al. 2016) is a :class:`ConvVAE` and a :class:`DCGANDiscriminator`; the
toy lab's MLPs live in :mod:`gantheory.toylab.nets`. :func:`dcgan_init` is DCGAN's
initialisation, applied by every constructor here.
"""

from gantheory.nets._blocks import IMAGE_SIZES, dcgan_init
from gantheory.nets.conditional import ConditionalDiscriminator, ConditionalGenerator
from gantheory.nets.dcgan import DCGANDiscriminator, DCGANGenerator, WGANCritic
from gantheory.nets.vae import LIKELIHOODS, ConvVAE

__all__ = [
    "IMAGE_SIZES",
    "LIKELIHOODS",
    "ConditionalDiscriminator",
    "ConditionalGenerator",
    "ConvVAE",
    "DCGANDiscriminator",
    "DCGANGenerator",
    "WGANCritic",
    "dcgan_init",
]
