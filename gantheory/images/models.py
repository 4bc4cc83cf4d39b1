r"""The networks of each image model, built from a :class:`~gantheory.images.trainer.TrainConfig`.

=========  ===========================================================================
model      networks (:mod:`gantheory.nets`)
=========  ===========================================================================
dcgan      :class:`~gantheory.nets.DCGANGenerator`, :class:`~gantheory.nets.DCGANDiscriminator`
cgan       :class:`~gantheory.nets.ConditionalGenerator`,
           :class:`~gantheory.nets.ConditionalDiscriminator`
wgan-gp    :class:`~gantheory.nets.DCGANGenerator`, :class:`~gantheory.nets.WGANCritic`
vae        :class:`~gantheory.nets.ConvVAE`
vaegan     :class:`~gantheory.nets.ConvVAE` (Gaussian decoder, its mean is the image) and
           :class:`~gantheory.nets.DCGANDiscriminator` (its last hidden layer is
           :math:`\mathrm{Dis}_l`)
=========  ===========================================================================

The image shape and the number of classes come from the data set (:func:`build`) or from a
checkpoint (:func:`build_for`), so that ``gantheory sample`` and ``gantheory eval`` rebuild
exactly the networks a run trained.
"""

from __future__ import annotations

import torch
from torch import nn

from gantheory import nets


def build_for(config, channels: int, n_classes: int = 0) -> dict[str, nn.Module]:
    """The networks of ``config.model`` for images with ``channels`` channels.

    Parameters
    ----------
    config : gantheory.images.trainer.TrainConfig
        ``model``, ``image_size``, ``latent_dim``, ``width``, ``likelihood`` and ``seed`` (the
        initialisation is drawn from ``torch.manual_seed(config.seed)``).
    channels : int
    n_classes : int
        Classes of the data set (the conditional GAN needs at least 2).

    Returns
    -------
    dict of str to torch.nn.Module
        ``generator`` and ``discriminator``, or ``vae`` (and ``discriminator`` for vaegan).
    """
    size, latent, width = config.image_size, config.latent_dim, config.width
    torch.manual_seed(config.seed)
    if config.model == "dcgan":
        return {"generator": nets.DCGANGenerator(latent, size, channels, width),
                "discriminator": nets.DCGANDiscriminator(size, channels, width)}
    if config.model == "cgan":
        if n_classes < 2:
            raise ValueError("model 'cgan' needs a labelled data set (2 or more classes); "
                             f"this one has {n_classes}")
        return {"generator": nets.ConditionalGenerator(n_classes, latent, size, channels, width),
                "discriminator": nets.ConditionalDiscriminator(n_classes, size, channels,
                                                               width)}
    if config.model == "wgan-gp":
        return {"generator": nets.DCGANGenerator(latent, size, channels, width),
                "discriminator": nets.WGANCritic(size, channels, width)}
    if config.model == "vae":
        return {"vae": nets.ConvVAE(latent, size, channels, width, config.likelihood)}
    if config.model == "vaegan":
        vae = nets.ConvVAE(latent, size, channels, width, "gaussian")
        # VAE-GAN replaces the pixel likelihood by one in Dis_l's features: no pixel variance.
        vae.decoder_logvar.requires_grad_(False)
        return {"vae": vae, "discriminator": nets.DCGANDiscriminator(size, channels, width)}
    raise ValueError(f"unknown model {config.model!r}")


def build(config, data) -> dict[str, nn.Module]:
    """The networks of ``config.model`` for the images of ``data`` (an ImageData).

    Examples
    --------
    >>> from gantheory.images.data import shapes
    >>> from gantheory.images.trainer import TrainConfig
    >>> data = shapes(16, image_size=32)
    >>> sorted(build(TrainConfig(model="dcgan", width=8), data))
    ['discriminator', 'generator']
    """
    if data.image_size != config.image_size:
        raise ValueError(f"the data set's images are {data.image_size} pixels but image_size "
                         f"is {config.image_size}; resize the data or change image_size")
    return build_for(config, data.channels, int(data.n_classes or 0))
