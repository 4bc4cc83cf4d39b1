r"""WGAN-GP (Gulrajani et al. 2017): the Wasserstein critic loss plus the gradient penalty.

The critic :math:`f` (no sigmoid; :class:`~gantheory.nets.WGANCritic`, which has no BatchNorm
so that each sample's gradient is its own) and the generator minimise

.. math::

    L_f = \mathbb E_{z}[f(G(z))] - \mathbb E_{x}[f(x)]
          + \lambda\, \mathbb E_{\hat x}\bigl[(\|\nabla_{\hat x} f(\hat x)\|_2 - 1)^2\bigr],
    \qquad L_G = -\mathbb E_{z}[f(G(z))],

where :math:`\hat x = \epsilon x + (1 - \epsilon) G(z)` is a random interpolate with one
:math:`\epsilon \sim U[0, 1]` *per sample* and the norm is taken per sample
(:func:`gantheory.losses.gradient_penalty`); :math:`\lambda` is ``penalty_weight`` (10).
Algorithm 1 of the paper: 5 critic steps per generator step, Adam with rate 1e-4 and betas
(0, 0.9): the defaults of :class:`WGANGPConfig`. The losses logged are ``gp`` (the penalty
term), ``d_loss`` (the critic's loss without it) and ``g_loss``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from gantheory import losses, nets
from gantheory.errors import UsageError
from gantheory.images.models.gan import GANConfig, GANModel


@dataclass(frozen=True)
class WGANGPConfig(GANConfig):
    r"""The settings of WGAN-GP: :class:`~gantheory.images.models.gan.GANConfig` with the
    paper's defaults (``d_steps`` 5, ``lr_g`` = ``lr_d`` = 1e-4, ``betas`` (0, 0.9)), and the
    field below.

    Attributes
    ----------
    penalty_weight : float
        :math:`\lambda \ge 0`, the weight of the gradient penalty (10).
    """

    lr_g: float = 1e-4
    betas: tuple[float, float] = (0.0, 0.9)
    lr_d: float = 1e-4
    d_steps: int = 5
    penalty_weight: float = 10.0

    def __post_init__(self) -> None:
        super().__post_init__()
        w = self.penalty_weight
        if not (isinstance(w, (int, float)) and not isinstance(w, bool) and math.isfinite(w)
                and w >= 0):
            raise UsageError(f"penalty_weight must be a finite number >= 0; got {w!r}")


class WGANGP(GANModel):
    """WGAN-GP: Wasserstein critic loss and per-sample gradient penalty at random
    interpolates, 5 critic steps, Adam 1e-4 with betas (0, 0.9) (module docstring).
    """

    config_class = WGANGPConfig
    discriminator_class = nets.WGANCritic  # no BatchNorm: each sample's gradient is its own

    def discriminator_loss(self, real_logits: torch.Tensor, fake_logits: torch.Tensor,
                           real: torch.Tensor, fake: torch.Tensor, rng: torch.Generator
                           ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        """:func:`gantheory.losses.wasserstein_critic_loss` and the penalty ``gp`` of
        :func:`gantheory.losses.gradient_penalty`, taken through the plain (never compiled)
        critic with ``rng`` drawing the interpolation coefficients.
        """
        d_loss = losses.wasserstein_critic_loss(real_logits, fake_logits,
                                                check_finite=False)
        penalty = losses.gradient_penalty(self.networks["discriminator"], real, fake.float(),
                                          weight=self.config.penalty_weight, generator=rng,
                                          check_finite=False)
        return d_loss, {"gp": penalty}

    def generator_loss(self, fake_logits: torch.Tensor) -> torch.Tensor:
        """:func:`gantheory.losses.wasserstein_g_loss`."""
        return losses.wasserstein_g_loss(fake_logits, check_finite=False)
