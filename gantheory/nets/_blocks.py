r"""The two convolution stacks every image network here is made of (DCGAN's, Radford et al. 2016).

An ``image_size`` of :math:`S \in \{32, 64, 128\}` takes :math:`n = \log_2 S - 2` stride-2
blocks between :math:`4 \times 4` and :math:`S \times S`; channels double at each block on
the way down and halve on the way up, with ``width`` channels at the largest resolution that
has any.
"""

from __future__ import annotations

import math

from torch import nn

IMAGE_SIZES = (32, 64, 128)
NORMS = ("batch", "layer", "none")


def n_blocks(image_size: int) -> int:
    """Stride-2 blocks between 4 x 4 and ``image_size`` (3, 4 or 5)."""
    if isinstance(image_size, bool) or image_size not in IMAGE_SIZES:
        raise ValueError(f"image_size must be one of {IMAGE_SIZES}; got {image_size!r}")
    return int(math.log2(image_size)) - 2


def positive_int(value: object, name: str, low: int = 1, high: int | None = None) -> int:
    """``value`` as an int in ``[low, high]``, else a ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (
            high is not None and value > high):
        bound = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{name} must be an integer {bound}; got {value!r}")
    return value


def norm_layer(norm: str, channels: int) -> nn.Module:
    """BatchNorm, a per-sample layer norm over (C, H, W) (GroupNorm with one group), or none."""
    if norm == "batch":
        return nn.BatchNorm2d(channels)
    if norm == "layer":
        return nn.GroupNorm(1, channels)
    if norm == "none":
        return nn.Identity()
    raise ValueError(f"norm must be one of {NORMS}; got {norm!r}")


def up_stack(in_features: int, out_channels: int, image_size: int, width: int) -> nn.Sequential:
    """(N, in_features, 1, 1) -> (N, out_channels, S, S), no output activation.

    A 4 x 4 transposed convolution to ``width * 2**(n-1)`` channels at 4 x 4, then ``n - 1``
    blocks (ConvTranspose 4x4 stride 2, BatchNorm, ReLU) halving the channels, then a last
    ConvTranspose 4x4 stride 2 to ``out_channels``. For S = 64 and width 64 this is the
    generator of pytorch/examples' DCGAN (512-256-128-64); for S = 128, 1024-512-256-128-64.
    """
    n = n_blocks(image_size)
    channels = width * 2 ** (n - 1)
    layers: list[nn.Module] = [nn.ConvTranspose2d(in_features, channels, 4, 1, 0, bias=False),
                               nn.BatchNorm2d(channels), nn.ReLU(inplace=True)]
    for _ in range(n - 1):
        layers += [nn.ConvTranspose2d(channels, channels // 2, 4, 2, 1, bias=False),
                   nn.BatchNorm2d(channels // 2), nn.ReLU(inplace=True)]
        channels //= 2
    layers.append(nn.ConvTranspose2d(channels, out_channels, 4, 2, 1, bias=False))
    return nn.Sequential(*layers)


def down_stack(in_channels: int, image_size: int, width: int, norm: str) -> nn.Sequential:
    """(N, in_channels, S, S) -> (N, width * 2**(n-1), 4, 4).

    ``n`` blocks (Conv 4x4 stride 2, ``norm``, LeakyReLU 0.2), the first without a norm as in
    DCGAN. For S = 64 and width 64: 64-128-256-512; for S = 128: 64-128-256-512-1024.
    """
    n = n_blocks(image_size)
    layers: list[nn.Module] = [nn.Conv2d(in_channels, width, 4, 2, 1, bias=False),
                               nn.LeakyReLU(0.2, inplace=True)]
    channels = width
    for _ in range(n - 1):
        layers += [nn.Conv2d(channels, channels * 2, 4, 2, 1, bias=norm != "batch"),
                   norm_layer(norm, channels * 2), nn.LeakyReLU(0.2, inplace=True)]
        channels *= 2
    return nn.Sequential(*layers)


def stack_channels(image_size: int, width: int) -> int:
    """Channels at 4 x 4: the output of :func:`down_stack`, the input of :func:`up_stack`."""
    return width * 2 ** (n_blocks(image_size) - 1)


def dcgan_init(module: nn.Module) -> nn.Module:
    r"""DCGAN initialisation (Radford et al. 2016, section 4), in place; returns ``module``.

    Convolution weights :math:`\sim N(0, 0.02^2)`, norm scales :math:`\sim N(1, 0.02^2)`,
    biases zero; linear and embedding layers :math:`\sim N(0, 0.02^2)` too.
    """
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if getattr(m, "bias", None) is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)
    return module
