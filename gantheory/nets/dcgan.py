r"""DCGAN generators, discriminators and the WGAN critic, for 32, 64 and 128 pixel images.

The architecture of Radford, Metz and Chintala 2016 (and of pytorch/examples' ``dcgan``):
transposed convolutions with BatchNorm and ReLU up to a ``tanh`` image in [-1, 1];
strided convolutions with LeakyReLU 0.2 down to a 4 x 4 map and a 4 x 4 convolution to **one
logit per image** (no sigmoid anywhere: the losses of :mod:`gantheory.losses` take logits).

=====  ===================================  =====================================
size   generator (channels at 4 ... S/2)    discriminator (channels at S/2 ... 4)
=====  ===================================  =====================================
32     256-128-64                           64-128-256
64     512-256-128-64                       64-128-256-512
128    1024-512-256-128-64                  64-128-256-512-1024
=====  ===================================  =====================================

(with the default ``width = 64``; the 128-pixel generator's stride-2 blocks are
512-256-128-64 after its 4 x 4 projection to 1024 channels).
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


class DCGANGenerator(nn.Module):
    """z of shape (N, latent_dim) -> images of shape (N, channels, S, S) in [-1, 1].

    Parameters
    ----------
    latent_dim : int
        Size of :math:`z` (100 in DCGAN, 128 for the 128-pixel pair).
    image_size : {32, 64, 128}
    channels : int
        Image channels (1 for MNIST, 3 for colour).
    width : int
        Channels of the last hidden block (64 in DCGAN); the others are multiples.

    Examples
    --------
    >>> import torch
    >>> g = DCGANGenerator(latent_dim=16, image_size=32, channels=3, width=8)
    >>> tuple(g(torch.randn(2, 16)).shape)
    (2, 3, 32, 32)
    """

    def __init__(self, latent_dim: int = 100, image_size: int = 64, channels: int = 3,
                 width: int = 64) -> None:
        super().__init__()
        self.latent_dim = positive_int(latent_dim, "latent_dim")
        self.image_size = image_size
        n_blocks(image_size)
        positive_int(channels, "channels")
        positive_int(width, "width")
        self.net = up_stack(latent_dim, channels, image_size, width)
        dcgan_init(self)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Images in [-1, 1]; ``z`` has shape (N, latent_dim)."""
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"z must have shape (N, {self.latent_dim}); got {tuple(z.shape)}")
        return torch.tanh(self.net(z[:, :, None, None]))  # (N, C, S, S)


class DCGANDiscriminator(nn.Module):
    r"""Images of shape (N, channels, S, S) -> one logit per image, shape (N,).

    Parameters
    ----------
    image_size : {32, 64, 128}
    channels : int
    width : int
        Channels of the first block (64 in DCGAN).
    norm : {"batch", "layer", "none"}
        BatchNorm as in DCGAN; "layer" (per-sample, over C, H, W) or "none" where a per-sample
        penalty is used (see :class:`WGANCritic`).

    Notes
    -----
    :meth:`features_and_logits` also returns the last hidden layer's activations, flattened:
    the feature space :math:`\mathrm{Dis}_l` in which VAE-GAN measures reconstructions
    (Larsen et al. 2016).

    Examples
    --------
    >>> import torch
    >>> d = DCGANDiscriminator(image_size=32, channels=3, width=8)
    >>> tuple(d(torch.zeros(2, 3, 32, 32)).shape)
    (2,)
    """

    head_bias = True

    def __init__(self, image_size: int = 64, channels: int = 3, width: int = 64,
                 norm: str = "batch") -> None:
        super().__init__()
        positive_int(channels, "channels")
        positive_int(width, "width")
        self.image_size, self.channels, self.norm = image_size, channels, norm
        self.body = down_stack(channels, image_size, width, norm)
        self.head = nn.Conv2d(stack_channels(image_size, width), 1, 4, 1, 0,
                              bias=self.head_bias)
        dcgan_init(self)

    def _check(self, x: torch.Tensor) -> None:
        want = (self.channels, self.image_size, self.image_size)
        if x.ndim != 4 or tuple(x.shape[1:]) != want:
            raise ValueError(f"x must have shape (N, {', '.join(map(str, want))}); "
                             f"got {tuple(x.shape)}")

    def features_and_logits(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The flattened last hidden layer (N, F) and the logits (N,)."""
        self._check(x)
        h = self.body(x)  # (N, F_c, 4, 4)
        return h.flatten(1), self.head(h).flatten()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits, shape (N,)."""
        self._check(x)
        return self.head(self.body(x)).flatten()


class WGANCritic(DCGANDiscriminator):
    r"""The DCGAN discriminator as a Wasserstein critic: a score, no sigmoid, no BatchNorm.

    A gradient penalty is a per-sample quantity, :math:`(\|\nabla_x f(\hat x_i)\| - 1)^2`;
    BatchNorm makes each score depend on the whole batch, so Gulrajani et al. 2017 (section 4)
    drop it from the critic and suggest layer normalisation instead, the default here.
    ``norm="batch"`` is refused for that reason. The score has no bias: a constant shifts
    :math:`E_{P_r}[f] - E_{P_g}[f]` by nothing, so its gradient would always be zero.
    """

    head_bias = False

    def __init__(self, image_size: int = 64, channels: int = 3, width: int = 64,
                 norm: str = "layer") -> None:
        if norm == "batch":
            raise ValueError("norm='batch' couples the samples of a batch and breaks the "
                             "per-sample gradient penalty; use 'layer' or 'none'")
        super().__init__(image_size, channels, width, norm)
