r"""Named toy targets used across the theory checks, the toy lab and the figures.

=========================  ====================================================================
:func:`ring`               8 (or ``n_modes``) Gaussians on a circle, PacGAN/VEEGAN setup
:func:`grid`               a ``side x side`` grid of Gaussians, PacGAN/VEEGAN setup
:func:`bimodal`            a 1-D mixture of two well separated Gaussians
:func:`disjoint_uniforms`  two intervals with disjoint supports
:func:`line_and_gaussian`  a segment in 2-D (no density) and a 2-D Gaussian
:func:`parallel_lines`     Arjovsky et al.'s two parallel segments {0} x [0,1], {theta} x [0,1]
=========================  ====================================================================
"""

from __future__ import annotations

import numpy as np

from gantheory import _validation as val
from gantheory.distributions import Gaussian, GaussianMixture, LineUniform, Uniform


def ring(n_modes: int = 8, radius: float = 1.0, std: float = 0.01) -> GaussianMixture:
    r"""Equal mixture of ``n_modes`` isotropic Gaussians on a circle.

    Means :math:`r(\cos 2\pi i/n, \sin 2\pi i/n)`, covariance :math:`\sigma^2 I`. The defaults
    are the ring of PacGAN (Lin et al. 2018) and VEEGAN (Srivastava et al. 2017).

    Examples
    --------
    >>> from gantheory.presets import ring
    >>> r = ring()
    >>> r.n_components
    8
    >>> [round(float(v), 12) for v in r.means[2]]
    [0.0, 1.0]
    """
    n_modes = val.check_int(n_modes, "n_modes", minimum=1)
    radius = float(val.check_positive(radius, "radius"))
    std = float(val.check_positive(std, "std"))
    angles = 2.0 * np.pi * np.arange(n_modes) / n_modes
    means = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return GaussianMixture(np.full(n_modes, 1.0 / n_modes), means, np.full(n_modes, std**2))


def grid(side: int = 5, spacing: float = 2.0, std: float = 0.05) -> GaussianMixture:
    r"""Equal mixture of ``side**2`` isotropic Gaussians on a square grid centred at 0.

    The defaults give means :math:`\{-4, -2, 0, 2, 4\}^2` and standard deviation 0.05, the
    grid of PacGAN and VEEGAN.

    Examples
    --------
    >>> from gantheory.presets import grid
    >>> g = grid()
    >>> g.n_components, float(g.means.min()), float(g.means.max())
    (25, -4.0, 4.0)
    """
    side = val.check_int(side, "side", minimum=1)
    spacing = float(val.check_positive(spacing, "spacing"))
    std = float(val.check_positive(std, "std"))
    ticks = spacing * (np.arange(side) - (side - 1) / 2.0)
    xx, yy = np.meshgrid(ticks, ticks, indexing="ij")
    means = np.stack([xx.ravel(), yy.ravel()], axis=1)
    k = side * side
    return GaussianMixture(np.full(k, 1.0 / k), means, np.full(k, std**2))


def bimodal(separation: float = 4.0, std: float = 0.5, weight: float = 0.5) -> GaussianMixture:
    r"""1-D mixture :math:`w\,\mathcal N(-s/2, \sigma^2) + (1 - w)\,\mathcal N(s/2, \sigma^2)`.

    With the defaults the modes at :math:`\pm 2` are 8 standard deviations apart: fitting one
    Gaussian by forward KL covers both, by reverse KL picks one.

    Examples
    --------
    >>> from gantheory.presets import bimodal
    >>> float(bimodal().cov[0, 0])  # 0.25 + 4
    4.25
    """
    separation = float(val.check_positive(separation, "separation"))
    std = float(val.check_positive(std, "std"))
    weight = float(val.as_float_array(weight, "weight"))
    if not 0.0 < weight < 1.0:
        raise ValueError(f"weight must lie strictly between 0 and 1; got {weight}")
    half = separation / 2.0
    return GaussianMixture([weight, 1.0 - weight], [-half, half], [std**2, std**2])


def disjoint_uniforms(gap: float = 1.0) -> tuple[Uniform, Uniform]:
    """Two unit intervals ``[0, 1]`` and ``[1 + gap, 2 + gap]`` with disjoint supports.

    Examples
    --------
    >>> from gantheory.presets import disjoint_uniforms
    >>> p, q = disjoint_uniforms()
    >>> p, q
    (Uniform(low=[0.0], high=[1.0]), Uniform(low=[2.0], high=[3.0]))
    """
    gap = float(val.check_positive(gap, "gap"))
    return Uniform(0.0, 1.0), Uniform(1.0 + gap, 2.0 + gap)


def line_and_gaussian(length: float = 2.0, std: float = 1.0) -> tuple[LineUniform, Gaussian]:
    r"""A segment of the x-axis, centred at 0, and the isotropic Gaussian :math:`\mathcal
    N(0, \sigma^2 I)` in 2-D.

    The segment is a one-dimensional manifold: the pair is mutually singular, so
    :math:`\mathrm{JSD} = \log 2` and both KLs are infinite however close they look.

    Examples
    --------
    >>> from gantheory import jsd, kl
    >>> from gantheory.presets import line_and_gaussian
    >>> line, gauss = line_and_gaussian()
    >>> jsd(line, gauss).value, kl(line, gauss).value
    (0.6931471805599453, inf)
    """
    length = float(val.check_positive(length, "length"))
    std = float(val.check_positive(std, "std"))
    return LineUniform([-length / 2, 0.0], [length / 2, 0.0]), Gaussian([0.0, 0.0], std**2)


def parallel_lines(theta: float = 0.5) -> tuple[LineUniform, LineUniform]:
    r"""Arjovsky, Chintala and Bottou (2017), Example 1: :math:`P_0 = \{0\}\times[0,1]`,
    :math:`P_\theta = \{\theta\}\times[0,1]`.

    For :math:`\theta \ne 0`: JSD = log 2, KL = infinity, TV = 1, but
    :math:`W_1 = |\theta|`.

    Examples
    --------
    >>> from gantheory import jsd
    >>> from gantheory.presets import parallel_lines
    >>> jsd(*parallel_lines(0.1)).value
    0.6931471805599453
    >>> jsd(*parallel_lines(0.0)).value
    0.0
    """
    theta = float(val.as_float_array(theta, "theta"))
    return LineUniform([0.0, 0.0], [0.0, 1.0]), LineUniform([theta, 0.0], [theta, 1.0])
