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

Importing this package is cheap; ``metrics`` and ``dirac`` never import torch, the
training modules do.
"""

import importlib

# Lazy exports (PEP 562): ``gantheory.toylab.metrics`` and ``.dirac`` are numpy-only and
# ``gantheory verify`` imports ``dirac`` without paying for torch; the names below load
# their (torch) modules on first use.
_EXPORTS = {
    "METHODS": "config",
    "GANConfig": "config",
    "VAEConfig": "config",
    "method_config": "config",
    "GANRun": "gan",
    "GANTrainer": "gan",
    "StepNoise": "gan",
    "train_gan": "gan",
    "VAERun": "vae",
    "train_vae": "vae",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"gantheory.toylab.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'gantheory.toylab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
