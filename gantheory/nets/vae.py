r"""A convolutional VAE (Kingma and Welling 2013) on the DCGAN stacks.

Encoder: the DCGAN discriminator's convolutions (no norm) and a linear map to
:math:`(\mu, \log\sigma^2)` of :math:`q(z|x) = N(\mu, \mathrm{diag}\,\sigma^2)`. Decoder: the
DCGAN generator's transposed convolutions from :math:`z` to the parameters of :math:`p(x|z)`
on pixel intensities in [0, 1]:

* ``likelihood="bernoulli"``: :meth:`ConvVAE.decode` returns the logits :math:`\ell`,
  :math:`p(x|z) = \prod_d \sigma(\ell_d)^{x_d}(1 - \sigma(\ell_d))^{1 - x_d}`, for binarised
  images (the MNIST likelihood benchmarks);
* ``likelihood="gaussian"``: :meth:`ConvVAE.decode` returns the means :math:`m`,
  :math:`p(x|z) = \prod_d N(x_d; m_d, e^{s})` with one learned log-variance :math:`s`
  (:attr:`ConvVAE.decoder_logvar`).

:meth:`ConvVAE.decode_image` maps either to an image in [-1, 1] (the mean of :math:`p(x|z)`).
The encoder takes images in [-1, 1] like every network in :mod:`gantheory.nets`.
"""

from __future__ import annotations

import torch
from torch import nn

from gantheory.nets._blocks import (
    dcgan_init,
    down_stack,
    n_blocks,
    positive_int,
    stack_channels,
    up_stack,
)

LIKELIHOODS = ("bernoulli", "gaussian")


class ConvVAE(nn.Module):
    """Encoder and decoder of a VAE for (N, channels, S, S) images.

    Parameters
    ----------
    latent_dim : int
        2 to 256.
    image_size : {32, 64, 128}
    channels : int
    width : int
        Channels of the encoder's first and the decoder's last hidden block.
    likelihood : {"bernoulli", "gaussian"}

    Attributes
    ----------
    encoder, decoder : torch.nn.Module
        The two halves (VAE-GAN updates them with different losses).

    Examples
    --------
    >>> import torch
    >>> vae = ConvVAE(latent_dim=4, image_size=32, channels=1, width=8)
    >>> mu, logvar = vae.encode(torch.zeros(2, 1, 32, 32))
    >>> tuple(mu.shape), tuple(vae.decode(mu).shape), float(vae.decode_image(mu).abs().max()) <= 1
    ((2, 4), (2, 1, 32, 32), True)
    """

    #: The latent sizes the encoder and decoder are built for, (low, high).
    LATENT_DIM_RANGE = (2, 256)

    def __init__(self, latent_dim: int = 32, image_size: int = 32, channels: int = 1,
                 width: int = 64, likelihood: str = "bernoulli") -> None:
        super().__init__()
        self.latent_dim = positive_int(latent_dim, "latent_dim", *self.LATENT_DIM_RANGE)
        n_blocks(image_size)
        positive_int(channels, "channels")
        positive_int(width, "width")
        if likelihood not in LIKELIHOODS:
            raise ValueError(f"likelihood must be one of {LIKELIHOODS}; got {likelihood!r}")
        self.likelihood = likelihood
        self.image_shape = (channels, image_size, image_size)
        features = stack_channels(image_size, width) * 4 * 4
        self.encoder = nn.Sequential(down_stack(channels, image_size, width, "none"),
                                     nn.Flatten(), nn.Linear(features, 2 * latent_dim))
        self.decoder = up_stack(latent_dim, channels, image_size, width)
        dcgan_init(self)
        # Start the encoder near q = N(0, I) with small variances: log sigma^2 = -2.
        nn.init.zeros_(self.encoder[-1].weight)
        with torch.no_grad():
            self.encoder[-1].bias[latent_dim:] = -2.0
        self.decoder_logvar = nn.Parameter(torch.zeros(1), requires_grad=likelihood == "gaussian")

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Images in [-1, 1] -> (mu, logvar), each (N, latent_dim)."""
        if x.ndim != 4 or tuple(x.shape[1:]) != self.image_shape:
            raise ValueError(f"x must have shape (N, {', '.join(map(str, self.image_shape))});"
                             f" got {tuple(x.shape)}")
        mu, logvar = self.encoder(x).chunk(2, dim=1)
        return mu, logvar

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Parameters of p(x|z): logits (Bernoulli) or means in intensity units (Gaussian)."""
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"z must have shape (N, {self.latent_dim}); got {tuple(z.shape)}")
        return self.decoder(z[:, :, None, None])  # (N, C, S, S)

    def decode_image(self, z: torch.Tensor) -> torch.Tensor:
        """The mean of p(x|z) as an image in [-1, 1]."""
        out = self.decode(z)
        mean01 = torch.sigmoid(out) if self.likelihood == "bernoulli" else out.clamp(0.0, 1.0)
        return mean01 * 2.0 - 1.0

    def forward(self, x: torch.Tensor, eps: torch.Tensor) -> tuple[torch.Tensor, ...]:
        r"""One pass with given noise: (mu, logvar, z, decode(z)), :math:`z = \mu + \sigma\epsilon`.

        The noise is an argument so that the caller's random stream decides it (and so that a
        DistributedDataParallel wrapper sees a single forward).
        """
        mu, logvar = self.encode(x)
        z = mu + torch.exp(0.5 * logvar) * eps.to(mu.dtype)
        return mu, logvar, z, self.decode(z)
