r"""The toy lab: GANs and VAEs trained on toy targets with known densities, many seeds at once.

Modules
-------
:mod:`~gantheory.toylab.config`
    :class:`GANConfig`, :class:`VAEConfig` and the named methods of the experiments.
:mod:`~gantheory.toylab.nets`
    Stacked MLPs (``M`` seeds in one set of tensors), maxout layers.
:mod:`~gantheory.toylab.optim`
    Element-wise Adam and SGD with a learning rate per seed.
:mod:`~gantheory.toylab.data`
    Drawing the targets in torch on the training device.
:mod:`~gantheory.toylab.gan`, :mod:`~gantheory.toylab.vae`
    Goodfellow's Algorithm 1 and a small VAE for ``M`` seeds as one batched computation.
:mod:`~gantheory.toylab.metrics`
    Mode coverage (the PacGAN/VEEGAN protocol) and exact-density metrics (numpy only).
:mod:`~gantheory.toylab.dirac`
    Dirac-GAN dynamics (numpy only).
:mod:`~gantheory.toylab.experiments`
    The experiments of ``gantheory toy``: results tables beside published rows, figures.

Importing this package imports torch; ``metrics`` and ``dirac`` alone do not need it.
"""

from gantheory.toylab.config import METHODS, GANConfig, VAEConfig, method_config
from gantheory.toylab.gan import GANRun, GANTrainer, StepNoise, train_gan

__all__ = [
    "METHODS",
    "GANConfig",
    "GANRun",
    "GANTrainer",
    "StepNoise",
    "VAEConfig",
    "method_config",
    "train_gan",
]
