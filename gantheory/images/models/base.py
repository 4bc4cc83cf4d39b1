r"""What every image model shares: its configuration's common fields and the model interface.

:class:`ImageConfig` holds the settings every model has (data set, sizes, optimiser, seed,
intervals, device options); each model's config subclasses it with only the fields it uses.
:class:`ImageModel` is the interface that :class:`~gantheory.images.trainer.ImageTrainer` and
the commands call: ``make_networks`` and ``make_optimizers`` (with :meth:`ImageModel.build`),
``step`` (one training step, its losses as 0-d tensors), ``generate`` and ``evaluate``
(the numbers ``gantheory eval`` reports for the model), ``reconstruct`` where the model has an
encoder (:class:`Autoencoder`). The trainer lends each step a :class:`TrainingContext`: the
run's random stream and the batches and latents drawn from it.

A run's configuration is saved with the model's registered name as the *record*
(:meth:`ImageModel.record`, :func:`model_from_record`); records written before each model had
its own config (one ``TrainConfig`` with every field of every model, ``gp_weight`` for the
penalty weight) are read as well.
"""

from __future__ import annotations

import abc
import dataclasses
import math
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import nn

from gantheory.errors import UsageError
from gantheory.images import registry
from gantheory.nets import IMAGE_SIZES

#: The config fields a resumed run may change: how long it runs and where its data are.
RESUME_CHANGES = ("steps", "data_root")


def _check_count(config, name: str, low: int = 1, high: int | None = None) -> None:
    value = getattr(config, name)
    if (isinstance(value, bool) or not isinstance(value, int) or value < low
            or (high is not None and value > high)):
        bound = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise UsageError(f"{name} must be an integer {bound}; got {value!r}")


def _check_rate(config, name: str) -> None:
    value = getattr(config, name)
    if not (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and value > 0):
        raise UsageError(f"{name} must be a positive number; got {value!r}")


@dataclass(frozen=True)
class ImageConfig:
    r"""The settings every image model has (saved in every checkpoint).

    Attributes
    ----------
    dataset : str
        A name for :func:`gantheory.images.data.load_dataset` (recorded; the trainer is given
        the data).
    n_images : int or None
        Images of the data set the run trains on (None: all; a new run of ``gantheory train``
        records the number it used, so that ``--resume`` trains on the same images).
    data_root : str or None
        torchvision's data folder the run read (recorded so that ``--resume`` finds the data;
        the only field besides ``steps`` that may change on resume: it says where the data
        are, not what they are).
    image_size : int
        32, 64 or 128.
    latent_dim : int
        Size of :math:`z` (GANs) or of the VAE's latent.
    width : int
        Channel width of the networks (64 in DCGAN; small values make fast CPU runs).
    batch_size, steps : int
        Images per step; generator (or VAE) steps.
    lr_g : float
        Adam's learning rate for the generator, or the VAE.
    betas : (float, float)
        Adam's betas (DCGAN: 0.5, 0.999).
    sample_every, checkpoint_every : int
        Intervals in steps.
    seed : int
        Seeds the networks' initialisation and the run's random stream.
    bf16 : bool or None
        Autocast to bfloat16; None means "on CUDA only".
    channels_last : bool
        Use the channels-last memory format for images and convolutions.
    compile : bool
        ``torch.compile`` the forward passes.
    max_loss : float
        A loss above this magnitude counts as an explosion.

    Raises
    ------
    UsageError
        For a value out of its range, naming the field.
    """

    #: The latent sizes the model's networks accept, ``(low, high)``; None: no upper bound.
    latent_dim_range: ClassVar[tuple[int, int | None]] = (1, None)

    dataset: str = "shapes"
    n_images: int | None = None
    data_root: str | None = None
    image_size: int = 32
    latent_dim: int = 100
    width: int = 64
    batch_size: int = 64
    steps: int = 2000
    lr_g: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    sample_every: int = 200
    checkpoint_every: int = 200
    seed: int = 0
    bf16: bool | None = None
    channels_last: bool = False
    compile: bool = False
    max_loss: float = 1e4

    def __post_init__(self) -> None:
        if self.image_size not in IMAGE_SIZES or isinstance(self.image_size, bool):
            raise UsageError(f"image_size must be 32, 64 or 128; got {self.image_size!r}")
        _check_count(self, "latent_dim", *self.latent_dim_range)
        for name in ("width", "batch_size", "steps", "sample_every", "checkpoint_every"):
            _check_count(self, name)
        if self.n_images is not None:
            _check_count(self, "n_images")
        if self.data_root is not None and not (isinstance(self.data_root, str)
                                               and self.data_root.strip()):
            raise UsageError(f"data_root must be a folder's path or None; got "
                             f"{self.data_root!r}")
        for name in ("lr_g", "max_loss"):
            _check_rate(self, name)

    def as_dict(self) -> dict[str, Any]:
        """Plain values only (what a ``weights_only`` checkpoint may hold)."""
        out = dataclasses.asdict(self)
        out["betas"] = list(self.betas)
        return out

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """The names of the config's fields (the settings a run of the model takes)."""
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> ImageConfig:
        """Inverse of :meth:`as_dict` (also: the defaults with some fields changed).

        Raises
        ------
        UsageError
            For a field this config does not have, naming it.
        """
        unknown = sorted(set(values) - set(cls.field_names()))
        if unknown:
            raise UsageError(f"{cls.__name__} has no field(s) {', '.join(unknown)}; its fields "
                             f"are {', '.join(cls.field_names())}")
        values = dict(values)
        if "betas" in values:
            values["betas"] = tuple(values["betas"])
        return cls(**values)

    @classmethod
    def from_record(cls, values: Mapping[str, Any]) -> ImageConfig:
        """The config a checkpoint's record holds (the model's name taken out).

        A record of the former ``TrainConfig`` (recognised by its ``gp_weight``) held every
        field of every model: ``gp_weight`` becomes ``penalty_weight`` and the fields this
        model does not use are dropped.
        """
        values = dict(values)
        if "gp_weight" in values:
            values["penalty_weight"] = values.pop("gp_weight")
            values = {k: v for k, v in values.items() if k in cls.field_names()}
        return cls.from_dict(values)


@dataclass(frozen=True)
class AdversarialConfig(ImageConfig):
    """An :class:`ImageConfig` with a discriminator's learning rate ``lr_d`` (Adam)."""

    lr_d: float = 2e-4

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_rate(self, "lr_d")


@dataclass(frozen=True)
class TrainingContext:
    """What the trainer lends a model's :meth:`~ImageModel.step`.

    A step draws its own batches and latents (a GAN takes a fresh batch for each critic
    step), all from the run's one random stream, so that a resumed run draws what the
    uninterrupted run would have drawn.

    Attributes
    ----------
    forward : mapping of str to torch.nn.Module
        The networks as the forward passes call them (compiled, wrapped in
        DistributedDataParallel); the model's own ``networks`` are the plain modules.
    rng : torch.Generator
        The run's random stream, on the device.
    draw_batch : callable
        ``() -> (images, labels)``: ``batch_size`` training images in [-1, 1] and their labels
        (None for an unlabelled data set).
    draw_latents : callable
        ``() -> z``, shape ``(batch_size, latent_dim)``, :math:`N(0, I)`.
    autocast : callable
        ``() -> context manager``: bf16 autocast where the run uses it.
    """

    forward: Mapping[str, nn.Module]
    rng: torch.Generator
    draw_batch: Callable[[], tuple[torch.Tensor, torch.Tensor | None]]
    draw_latents: Callable[[], torch.Tensor]
    autocast: Callable[[], AbstractContextManager]


@dataclass(frozen=True)
class EvalSettings:
    """The arguments of ``gantheory eval`` that a model's :meth:`~ImageModel.evaluate` reads.

    Attributes
    ----------
    dataset : str
        The data set to compare with (a name for
        :func:`~gantheory.images.data.load_dataset`).
    root : str or None
        torchvision's data folder.
    n_samples : int or None
        Generated images for sample-based metrics (None: the metric's default).
    k : int
        Importance samples per test image (likelihood-based metrics).
    n_test : int
        Test (or real) images compared with.
    classifier_steps : int
        Training steps of the feature classifier when it is not cached.
    device : str
    progress : bool
        Progress bars for the long phases (classifier, generating, features, NLL).
    """

    dataset: str
    root: str | None = None
    n_samples: int | None = None
    k: int = 5000
    n_test: int = 10_000
    classifier_steps: int = 1500
    device: str = "cpu"
    progress: bool = False


class ImageModel(abc.ABC):
    """An image model: its config, networks and optimisers, its training step and metrics.

    Subclasses set :attr:`config_class` and :attr:`network_names` and implement the abstract
    methods; registering the class (:mod:`gantheory.images.registry`) makes it a choice of
    ``gantheory train``.

    Parameters
    ----------
    config : ImageConfig, optional
        An instance of :attr:`config_class` (default: its defaults).
    networks : dict of str to torch.nn.Module, optional
        Networks built elsewhere, one per :attr:`network_names`; omitted, :meth:`build` (which
        the trainer calls) makes them with :meth:`make_networks`.

    Attributes
    ----------
    config : ImageConfig
    networks : dict of str to torch.nn.Module or None
    optimizers : dict of str to torch.optim.Optimizer
        Made by :meth:`make_optimizers` (the trainer calls it once the networks are on their
        device); the names are the checkpoint's keys.
    n_classes : int or None
        Classes of the data set the networks were built for.
    """

    #: The config dataclass of the model.
    config_class: ClassVar[type[ImageConfig]] = ImageConfig
    #: The names of the model's networks (keys of ``networks`` and of the checkpoint).
    network_names: ClassVar[tuple[str, ...]] = ()
    #: Whether the networks take class labels (training needs a labelled data set).
    conditional: ClassVar[bool] = False
    #: Why the model cannot train under DistributedDataParallel (None: it can).
    single_process_reason: ClassVar[str | None] = None
    #: The network whose exponential moving average the trainer keeps, if the config asks.
    ema_network: ClassVar[str | None] = None

    def __init__(self, config: ImageConfig | None = None, *,
                 networks: dict[str, nn.Module] | None = None) -> None:
        config = self.config_class() if config is None else config
        if type(config) is not self.config_class:
            raise TypeError(f"config must be a {self.config_class.__name__}; got "
                            f"{type(config).__name__}")
        self.config = config
        self.networks = networks
        self.optimizers: dict[str, torch.optim.Optimizer] = {}
        self.n_classes: int | None = None

    @property
    def name(self) -> str:
        """The name the model's class is registered under."""
        return registry.name_of(type(self))

    @property
    def ema_decay(self) -> float | None:
        """Decay of the EMA of :attr:`ema_network` the trainer keeps (None: no EMA)."""
        return None

    def record(self) -> dict[str, Any]:
        """The registered name and the config as plain values (checkpoints, ``run.json``)."""
        return {"model": self.name, **self.config.as_dict()}

    # -- building ----------------------------------------------------------------------------
    def build(self, data) -> ImageModel:
        """Make the networks for the images of ``data`` (an ImageData); returns the model.

        Raises
        ------
        UsageError
            If the data's image size is not the config's.
        """
        if data.image_size != self.config.image_size:
            raise UsageError(f"the data set's images are {data.image_size} pixels but "
                             f"image_size is {self.config.image_size}; resize the data or "
                             "change image_size")
        return self.build_for(data.channels, int(data.n_classes or 0))

    def build_for(self, channels: int, n_classes: int = 0) -> ImageModel:
        """Make the networks for images of ``channels`` channels and ``n_classes`` classes.

        The initialisation is drawn after ``torch.manual_seed(config.seed)``, so that a
        checkpoint's networks are rebuilt exactly (``gantheory sample``, ``eval``, resume).
        """
        torch.manual_seed(self.config.seed)
        self.networks = self.make_networks(channels, n_classes)
        self.n_classes = n_classes
        return self

    @abc.abstractmethod
    def make_networks(self, channels: int, n_classes: int) -> dict[str, nn.Module]:
        """The model's networks (keys :attr:`network_names`), initialised from torch's
        global random state.
        """

    @abc.abstractmethod
    def make_optimizers(self, fused: bool) -> dict[str, torch.optim.Optimizer]:
        """The optimisers of :attr:`networks` (``fused``: fused Adam, on CUDA)."""

    # -- training ----------------------------------------------------------------------------
    @abc.abstractmethod
    def step(self, context: TrainingContext) -> dict[str, torch.Tensor]:
        """One training step: update the networks, return the losses (0-d tensors)."""

    # -- using a trained model ---------------------------------------------------------------
    @abc.abstractmethod
    def generate(self, z: torch.Tensor, labels: torch.Tensor | None = None, *,
                 overrides: Mapping[str, nn.Module] | None = None) -> torch.Tensor:
        """Images in [-1, 1], shape (n, C, H, W) (float32), from latents ``z`` (n, latent_dim).

        ``labels`` (n,) for a conditional model; ``overrides`` replace networks by name (the
        trainer's EMA copy of the generator).
        """

    @abc.abstractmethod
    def evaluate(self, settings: EvalSettings) -> dict[str, Any]:
        """The metrics of the trained model (what ``gantheory eval`` reports)."""

    def _network(self, name: str, overrides: Mapping[str, nn.Module] | None) -> nn.Module:
        return (overrides or {}).get(name, self.networks[name])

    def _adam(self, network: str, lr: float, fused: bool) -> torch.optim.Adam:
        """Adam on the parameters of ``networks[network]`` with the config's betas."""
        return torch.optim.Adam(list(self.networks[network].parameters()), lr=lr,
                                betas=self.config.betas, fused=fused)


class Autoencoder(ImageModel):
    r"""A model whose ``networks["vae"]`` (a :class:`~gantheory.nets.ConvVAE`) encodes images
    and decodes latents: it samples by decoding :math:`z \sim N(0, I)` and reconstructs.
    """

    @torch.no_grad()
    def generate(self, z: torch.Tensor, labels: torch.Tensor | None = None, *,
                 overrides: Mapping[str, nn.Module] | None = None) -> torch.Tensor:
        """The decoder's mean at ``z`` as images in [-1, 1] (``labels`` are not used)."""
        return self._network("vae", overrides).decode_image(z).float()

    @torch.no_grad()
    def reconstruct(self, x: torch.Tensor) -> torch.Tensor:
        r"""The decoder's mean at :math:`z = \mu(x)`, for images ``x`` in [-1, 1]."""
        mu, _ = self.networks["vae"].encode(x)
        return self.networks["vae"].decode_image(mu).float()

    def make_optimizers(self, fused: bool) -> dict[str, torch.optim.Optimizer]:
        """Adam on the whole VAE (``opt_g``, rate ``lr_g``)."""
        return {"opt_g": self._adam("vae", self.config.lr_g, fused)}


def model_from_record(record: Mapping[str, Any], **changes: Any) -> ImageModel:
    """The (unbuilt) model a checkpoint's record describes, with ``changes`` to its config.

    Examples
    --------
    >>> record = {"model": "wgan-gp", "penalty_weight": 5.0, "steps": 3}
    >>> model = model_from_record(record, steps=10)
    >>> type(model).__name__, model.config.penalty_weight, model.config.steps
    ('WGANGP', 5.0, 10)
    """
    values = dict(record)
    if "model" not in values:
        raise UsageError("the run's config names no model (no 'model' field)")
    cls = registry.model_class(values.pop("model"))
    config = cls.config_class.from_record(values)
    return cls(cls.config_class.from_dict({**config.as_dict(), **changes}))


def create(name: str, **changes: Any) -> ImageModel:
    """The (unbuilt) model ``name`` with its config's defaults and ``changes`` on top.

    Examples
    --------
    >>> create("vae", latent_dim=8).config.latent_dim
    8
    >>> create("vae", d_steps=2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gantheory.errors.UsageError: VAEConfig has no field(s) d_steps; its fields are ...
    """
    cls = registry.model_class(name)
    return cls(cls.config_class.from_dict(changes))
