r"""The training step every GAN here shares (Goodfellow et al. 2014, Algorithm 1).

Each step: ``d_steps`` discriminator (critic) updates, each on a fresh batch of real images and
of generated ones, then one generator update on fresh latents. A model names its two
objectives, :meth:`GANModel.discriminator_loss` (with any penalty terms added to it for the
update) and :meth:`GANModel.generator_loss`, and its networks. A conditional model
(``conditional = True``) gives both networks the labels of the real batch; the generator's
update then draws a batch for its labels.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import nn

from gantheory import nets
from gantheory.errors import UsageError
from gantheory.images import evaluation
from gantheory.images.models.base import (
    AdversarialConfig,
    EvalSettings,
    ImageModel,
    TrainingContext,
    _check_count,
)


@dataclass(frozen=True)
class GANConfig(AdversarialConfig):
    """The settings of a GAN: those of :class:`~gantheory.images.models.base.ImageConfig`, the
    discriminator's ``lr_d``, and the fields below.

    Attributes
    ----------
    d_steps : int
        Discriminator (critic) steps per generator step, >= 1.
    ema : float or None
        Decay of an exponential moving average of the generator's weights, in (0, 1); the
        average is what the run samples from.
    """

    d_steps: int = 1
    ema: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_count(self, "d_steps")
        if self.ema is not None and not (isinstance(self.ema, (int, float))
                                         and 0.0 < self.ema < 1.0):
            raise UsageError(f"ema must lie in (0, 1) or be None; got {self.ema!r}")


class GANModel(ImageModel):
    """A generator (``networks["generator"]``) against a discriminator or critic
    (``networks["discriminator"]``, one logit per image).

    The networks are a :class:`~gantheory.nets.DCGANGenerator` and a
    :attr:`discriminator_class` unless a model makes others.
    """

    config_class = GANConfig
    network_names = ("generator", "discriminator")
    ema_network = "generator"
    #: The discriminator (or critic) network: ``(image_size, channels, width) -> module``.
    discriminator_class: ClassVar[type[nn.Module]] = nets.DCGANDiscriminator

    @property
    def ema_decay(self) -> float | None:  # noqa: D102
        return self.config.ema

    def make_networks(self, channels: int, n_classes: int) -> dict[str, nn.Module]:
        """A :class:`~gantheory.nets.DCGANGenerator` and a :attr:`discriminator_class`."""
        cfg = self.config
        return {"generator": nets.DCGANGenerator(cfg.latent_dim, cfg.image_size, channels,
                                                 cfg.width),
                "discriminator": self.discriminator_class(cfg.image_size, channels, cfg.width)}

    def make_optimizers(self, fused: bool) -> dict[str, torch.optim.Optimizer]:
        """Adam on the generator (``opt_g``, ``lr_g``) and the discriminator (``opt_d``,
        ``lr_d``).
        """
        return {"opt_g": self._adam("generator", self.config.lr_g, fused),
                "opt_d": self._adam("discriminator", self.config.lr_d, fused)}

    @abc.abstractmethod
    def discriminator_loss(self, real_logits: torch.Tensor, fake_logits: torch.Tensor,
                           real: torch.Tensor, fake: torch.Tensor, rng: torch.Generator
                           ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        """The discriminator's loss and the penalty terms added to it for its update.

        ``real`` and ``fake`` are the images the logits are of (for a penalty on them).
        """

    @abc.abstractmethod
    def generator_loss(self, fake_logits: torch.Tensor) -> torch.Tensor:
        """The generator's loss on the discriminator's logits of generated images."""

    def step(self, context: TrainingContext) -> dict[str, torch.Tensor]:
        """``d_steps`` discriminator updates, then one generator update.

        Returns the penalty terms, ``d_loss`` (of the last discriminator update) and
        ``g_loss``.
        """
        G, D = context.forward["generator"], context.forward["discriminator"]
        opt_g, opt_d = self.optimizers["opt_g"], self.optimizers["opt_d"]

        def disc(x, y):
            return D(x, y) if self.conditional else D(x)

        def gen(z, y):
            return G(z, y) if self.conditional else G(z)

        out = {}
        for _ in range(self.config.d_steps):
            real, labels = context.draw_batch()
            with torch.no_grad(), context.autocast():
                fake = gen(context.draw_latents(), labels)
            with context.autocast():
                real_logits, fake_logits = disc(real, labels), disc(fake, labels)
            d_loss, penalties = self.discriminator_loss(real_logits, fake_logits, real, fake,
                                                        context.rng)
            total = d_loss
            for name, penalty in penalties.items():
                out[name] = penalty.detach()
                total = total + penalty
            opt_d.zero_grad(set_to_none=True)
            total.backward()
            opt_d.step()
            out["d_loss"] = d_loss.detach()
        _, labels = context.draw_batch() if self.conditional else (None, None)
        with context.autocast():
            fake_logits = disc(gen(context.draw_latents(), labels), labels)
        g_loss = self.generator_loss(fake_logits)
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        out["g_loss"] = g_loss.detach()
        return out

    @torch.no_grad()
    def generate(self, z: torch.Tensor, labels: torch.Tensor | None = None, *,
                 overrides: Mapping[str, nn.Module] | None = None) -> torch.Tensor:
        """The generator's images at ``z`` (and ``labels``, which a conditional model needs).

        Raises
        ------
        UsageError
            If a conditional model is given no labels.
        """
        generator = self._network("generator", overrides)
        if not self.conditional:
            return generator(z).float()
        if labels is None:
            raise UsageError(f"model {self.name!r} is conditional: it needs labels")
        return generator(z, labels).float()

    def evaluate(self, settings: EvalSettings) -> dict[str, Any]:
        """The sample-based metrics of :func:`gantheory.images.evaluation.gan_metrics`."""
        return evaluation.gan_metrics(self, settings)
