r"""Images: data sets kept on the training device, the image models, their training and metrics.

Import the submodules themselves (``from gantheory.images.data import shapes``); this package
imports none of them, so importing it is cheap.

Modules
-------
:mod:`~gantheory.images.data`
    :class:`~gantheory.images.data.ImageData` (uint8 images and int64 labels, batches drawn on
    the data's device); the loaders :func:`~gantheory.images.data.load_dataset`,
    :func:`~gantheory.images.data.load_mnist_npz`,
    :func:`~gantheory.images.data.load_torchvision`, :func:`~gantheory.images.data.load_folder`;
    :func:`~gantheory.images.data.stacked_mnist` (1000 modes) and the built-in
    :func:`~gantheory.images.data.shapes` data set (12 modes, no file and no network).
:mod:`~gantheory.images.registry`
    The models by name (no torch needed to read them) and
    :func:`~gantheory.images.registry.register_model` for one's own.
:mod:`~gantheory.images.models`
    One module per model (``dcgan``, ``cgan``, ``wgan_gp``, ``vae``, ``vaegan``), each a config
    dataclass and a model class with its networks, optimisers, training step, sampling and
    metrics; ``base`` and ``gan`` hold what they share.
:mod:`~gantheory.images.trainer`
    :class:`~gantheory.images.trainer.ImageTrainer`, the loop every model trains in (data,
    bf16, compile, checkpoints, logs, divergence stop, DistributedDataParallel, EMA).
:mod:`~gantheory.images.checkpoint`
    Atomic checkpoints, loaded with ``weights_only=True``.
:mod:`~gantheory.images.metrics` and :mod:`~gantheory.images.evaluation`
    Mode coverage, Fréchet distance and KID in a small classifier's features; a GAN's metrics
    and the VAE's importance-sampled test NLL.
:mod:`~gantheory.images.commands`
    ``gantheory train``, ``sample`` and ``eval`` as functions.
"""
