r"""The conditional GAN (Mirza and Osindero 2014) on the DCGAN networks.

The label :math:`y` is given to both players: a learned embedding of :math:`y` is concatenated
to the latent of the generator, :math:`G(z, y) = G_0([z, e_G(y)])`, and, as one extra image
channel, to the input of the discriminator, :math:`D(x, y) = D_0([x, e_D(y)])`, where
:math:`e_D(y)` is an embedding of size :math:`S^2` reshaped to an :math:`S \times S` map.
"""

from __future__ import annotations

import torch
from torch import nn

from gantheory.nets._blocks import dcgan_init, positive_int
from gantheory.nets.dcgan import DCGANDiscriminator, DCGANGenerator


def _labels(labels: torch.Tensor, n: int, n_classes: int) -> torch.Tensor:
    if labels.ndim != 1 or len(labels) != n or labels.dtype not in (torch.int64, torch.int32):
        raise ValueError(f"labels must be integers of shape ({n},); got {labels.dtype} "
                         f"{tuple(labels.shape)}")
    return labels


class ConditionalGenerator(nn.Module):
    """(z, labels) -> images; ``z`` (N, latent_dim), ``labels`` (N,) in ``[0, n_classes)``.

    Examples
    --------
    >>> import torch
    >>> g = ConditionalGenerator(10, latent_dim=16, image_size=32, channels=1, width=8)
    >>> tuple(g(torch.randn(4, 16), torch.arange(4)).shape)
    (4, 1, 32, 32)
    """

    def __init__(self, n_classes: int, latent_dim: int = 100, image_size: int = 64,
                 channels: int = 3, width: int = 64, embed_dim: int = 50) -> None:
        super().__init__()
        self.n_classes = positive_int(n_classes, "n_classes", low=2)
        self.latent_dim = positive_int(latent_dim, "latent_dim")
        self.embed = nn.Embedding(n_classes, positive_int(embed_dim, "embed_dim"))
        self.generator = DCGANGenerator(latent_dim + embed_dim, image_size, channels, width)
        dcgan_init(self.embed)

    def forward(self, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """Images in [-1, 1] of the given classes."""
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"z must have shape (N, {self.latent_dim}); got {tuple(z.shape)}")
        labels = _labels(labels, len(z), self.n_classes)
        return self.generator(torch.cat([z, self.embed(labels)], dim=1))


class ConditionalDiscriminator(nn.Module):
    """(images, labels) -> one logit per image, shape (N,).

    Examples
    --------
    >>> import torch
    >>> d = ConditionalDiscriminator(10, image_size=32, channels=1, width=8)
    >>> tuple(d(torch.zeros(4, 1, 32, 32), torch.arange(4)).shape)
    (4,)
    """

    def __init__(self, n_classes: int, image_size: int = 64, channels: int = 3,
                 width: int = 64, norm: str = "batch") -> None:
        super().__init__()
        self.n_classes = positive_int(n_classes, "n_classes", low=2)
        self.image_size = image_size
        self.embed = nn.Embedding(n_classes, image_size * image_size)
        self.discriminator = DCGANDiscriminator(image_size, channels + 1, width, norm)
        dcgan_init(self.embed)

    def forward(self, x: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """Logits, shape (N,)."""
        labels = _labels(labels, len(x), self.n_classes)
        s = self.image_size
        label_map = self.embed(labels).view(len(x), 1, s, s).to(x.dtype)  # (N, 1, S, S)
        return self.discriminator(torch.cat([x, label_map], dim=1))
