r"""The toy lab: GANs and VAEs trained on toy targets with known densities, many seeds at once.

This package is the torch part; it imports the numeric core plainly. The configurations and
registries (:mod:`gantheory.toyconfig`), the mode metrics (:mod:`gantheory.sample_metrics`),
the kernel density estimate (:mod:`gantheory.kde`) and the Dirac-GAN (:mod:`gantheory.dirac`)
need no torch and live in the core.

Modules
-------
:mod:`~gantheory.toylab.nets`
    Stacked MLPs (``M`` seeds in one set of tensors), maxout layers.
:mod:`~gantheory.toylab.optim`
    Element-wise Adam and SGD with a learning rate per seed.
:mod:`~gantheory.toylab.data`
    Drawing the targets in torch on the training device.
:mod:`~gantheory.toylab.gan`, :mod:`~gantheory.toylab.vae`
    Goodfellow's Algorithm 1 and a small VAE for ``M`` seeds as one batched computation.
:mod:`~gantheory.toylab.experiments`
    The experiments of ``gantheory toy``: they train and return data (rows, records, runs).
:mod:`~gantheory.toylab.reporting`
    Their tables: markdown beside the published rows, CSV.
:mod:`~gantheory.toylab.plots`
    One plot function per figure (the only module here that imports matplotlib).
:mod:`~gantheory.toylab.runner`
    What each ``gantheory toy`` subcommand writes: tables, snapshots, figures, provenance.
"""

from gantheory.toylab.gan import GANRun, GANTrainer, StepNoise, train_gan
from gantheory.toylab.vae import VAERun, train_vae

__all__ = ["GANRun", "GANTrainer", "StepNoise", "VAERun", "train_gan", "train_vae"]
