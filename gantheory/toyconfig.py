r"""The toy lab's registries and configurations, without torch.

The command line reads its choices here (``gantheory toy --help`` does not import torch):
:data:`EXPERIMENTS`, the targets of :data:`TARGETS` and the methods of :data:`METHODS`.

A :class:`GANConfig` says everything a toy GAN run needs: the networks, the loss pair, the
regulariser, PacGAN packing, unrolling, instance noise, Goodfellow's ``k`` discriminator steps
and the optimiser. :data:`METHODS` names the configurations the experiments compare (the plain
GAN and each remedy), as overrides of one base configuration, so a row of a results table is
one name.

The defaults follow PacGAN's 2-D setup (Lin et al. 2018, Sec. 5.1: Adam with
:math:`\beta_1 = 0.8`, learning rate :math:`10^{-4}`, batch 100, a maxout discriminator with 5
pieces) at a smaller scale for a CPU: see the ``hidden`` defaults, and the experiment tables for
the number of steps (PacGAN trains for about 400k).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from gantheory import _validation as val
from gantheory import presets
from gantheory.distributions import GaussianMixture
from gantheory.errors import UsageError

#: The experiments of ``gantheory toy``, one subcommand each.
EXPERIMENTS: dict[str, str] = {
    "modes": "mode collapse on the ring or grid: every method over many seeds",
    "vae": "the toy VAE on the ring or grid, measured like a GAN",
    "one-d": "1-D GANs on two far-apart modes, without and with packing",
    "saturation": "saturating vs non-saturating generator gradients as D improves",
    "dirac": "Dirac-GAN: eigenvalues, predicted and simulated behaviour of each method",
}
#: The named 2-D targets of the mode-collapse experiments (PacGAN's ring of 8, grid of 25).
TARGETS = {"ring": presets.ring, "grid": presets.grid}

D_LOSSES = ("minimax", "non-saturating", "lsgan", "hinge", "wasserstein")
PENALTIES = (None, "gradient-penalty", "r1", "r2", "dragan")
OPTIMIZERS = ("adam", "sgd")
#: Learning-rate schedules over the run (:func:`lr_factor`).
LR_SCHEDULES = ("constant", "linear", "cosine")


def lr_factor(schedule: str, step: int, steps: int) -> float:
    r"""The factor on the learning rate at ``step`` (0-based) of a run of ``steps`` steps.

    ``"constant"``: 1. ``"linear"``: :math:`1 - t/T`. ``"cosine"``:
    :math:`\tfrac12(1 + \cos(\pi t/T))` (Loshchilov & Hutter 2017, without restarts). Both
    decays reach 0 only after the last step, so every step moves the networks.

    Examples
    --------
    >>> [round(lr_factor("cosine", t, 4), 3) for t in range(4)]
    [1.0, 0.854, 0.5, 0.146]
    >>> lr_factor("linear", 3, 4)
    0.25
    """
    if schedule == "constant":
        return 1.0
    fraction = step / steps
    if schedule == "linear":
        return 1.0 - fraction
    if schedule == "cosine":
        return 0.5 * (1.0 + math.cos(math.pi * fraction))
    raise ValueError(f"schedule must be one of {LR_SCHEDULES}; got {schedule!r}")


@dataclass(frozen=True)
class GANConfig:
    r"""One toy GAN run (the same for every seed of a batched run).

    Attributes
    ----------
    loss : str
        The loss pair: ``"minimax"`` (discriminator :math:`-\mathbb E\log D(x) -
        \mathbb E\log(1 - D(G(z)))`, generator :math:`\mathbb E \log(1 - D(G(z)))`, the
        saturating game of Goodfellow et al. 2014), ``"non-saturating"`` (same discriminator,
        generator :math:`-\mathbb E\log D(G(z))`), ``"lsgan"``, ``"hinge"``, ``"wasserstein"``.
    penalty : str or None
        ``"gradient-penalty"`` (Gulrajani et al. 2017: :math:`\lambda\,\mathbb E(\|\nabla
        D(\hat x)\| - 1)^2` at interpolates :math:`\hat x` of real and generated points, one
        per sample, :func:`gantheory.losses.gradient_penalty`), ``"r1"`` (at data), ``"r2"``
        (at samples), ``"dragan"``, or None. The method ``"wgan-gp"`` of :data:`METHODS` is
        the Wasserstein loss with this penalty.
    penalty_weight : float
        :math:`\lambda` of the gradient penalty and DRAGAN, :math:`\gamma` of R1/R2 (penalty
        :math:`\frac\gamma2 \mathbb E\|\nabla D\|^2`).
    weight_clip : float or None
        Clip every discriminator parameter to :math:`[-c, c]` after each step (WGAN).
    pack : int
        PacGAN degree :math:`m`: the discriminator judges :math:`m` samples concatenated.
    unroll : int
        Unrolled GAN (Metz et al. 2017): the generator's loss is taken at the discriminator
        after ``unroll`` differentiable steps of the discriminator's own optimiser (from its
        current state) on the current batch.
    instance_noise : float
        Initial standard deviation of Gaussian noise added to every discriminator input, real
        and generated, decaying linearly to 0 over the run (Sønderby et al. 2017).
    d_steps : int
        :math:`k`, discriminator steps per generator step (Goodfellow et al. 2014, Alg. 1).
    steps : int
        Generator steps.
    batch_size : int
        Discriminator inputs per seed and step (each of ``pack`` samples).
    latent_dim : int
        Latent size; :math:`z \sim N(0, I)`.
    g_hidden, d_hidden : tuple of int
        Hidden widths of the generator and discriminator MLPs.
    g_activation, d_activation : str
        Hidden activations (see :data:`gantheory.toylab.nets.ACTIVATIONS`).
    d_pieces : int
        Maxout pieces of the discriminator (1: plain layers).
    optimizer : {"adam", "sgd"}
        Both networks use it.
    lr_g, lr_d : float
        Learning rates (at the start, for a decaying ``lr_schedule``).
    lr_schedule : {"constant", "linear", "cosine"}
        How both learning rates change over the ``steps`` (:func:`lr_factor`). A decaying
        schedule is spread over the run, so a resumed run cannot change its ``steps``.
    betas : (float, float)
        Adam's :math:`(\beta_1, \beta_2)`.
    momentum : float
        SGD momentum.
    """

    loss: str = "non-saturating"
    penalty: str | None = None
    penalty_weight: float = 10.0
    weight_clip: float | None = None
    pack: int = 1
    unroll: int = 0
    instance_noise: float = 0.0
    d_steps: int = 1
    steps: int = 5000
    batch_size: int = 100
    latent_dim: int = 2
    g_hidden: tuple[int, ...] = (128, 128, 128)
    d_hidden: tuple[int, ...] = (128, 128)
    g_activation: str = "relu"
    d_activation: str = "relu"
    d_pieces: int = 5
    optimizer: str = "adam"
    lr_g: float = 1e-3
    lr_d: float = 1e-3
    lr_schedule: str = "constant"
    betas: tuple[float, float] = (0.8, 0.999)
    momentum: float = 0.0

    def __post_init__(self) -> None:
        if self.loss not in D_LOSSES:
            raise ValueError(f"loss must be one of {D_LOSSES}; got {self.loss!r}")
        if self.penalty not in PENALTIES:
            raise ValueError(f"penalty must be one of {PENALTIES}; got {self.penalty!r}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}; got {self.optimizer!r}")
        if self.lr_schedule not in LR_SCHEDULES:
            raise ValueError(f"lr_schedule must be one of {LR_SCHEDULES}; got "
                             f"{self.lr_schedule!r}")
        for name in ("pack", "d_steps", "steps", "batch_size", "latent_dim", "d_pieces"):
            val.check_int(getattr(self, name), name, minimum=1)
        val.check_int(self.unroll, "unroll", minimum=0)
        for name in ("penalty_weight", "instance_noise", "momentum"):
            if not float(getattr(self, name)) >= 0.0:
                raise ValueError(f"{name} must be >= 0; got {getattr(self, name)!r}")
        for name in ("lr_g", "lr_d"):
            val.check_positive(getattr(self, name), name)
        if self.weight_clip is not None:
            val.check_positive(self.weight_clip, "weight_clip")

    def describe(self) -> str:
        """The loss and the remedies in a few words, for figure titles.

        Examples
        --------
        >>> method_config("pacgan2").describe()
        'non-saturating loss, 2 samples packed'
        >>> method_config("wgan-gp").describe()
        'wasserstein loss, gradient-penalty 0.1, 5 D steps'
        """
        parts = [f"{self.loss} loss"]
        if self.penalty is not None:
            parts.append(f"{self.penalty} {self.penalty_weight:g}")
        if self.pack > 1:
            parts.append(f"{self.pack} samples packed")
        if self.unroll:
            parts.append(f"{self.unroll} unrolled steps")
        if self.instance_noise:
            parts.append(f"instance noise {self.instance_noise:g}")
        if self.weight_clip is not None:
            parts.append(f"weights clipped at {self.weight_clip:g}")
        if self.d_steps > 1:
            parts.append(f"{self.d_steps} D steps")
        if self.lr_schedule != "constant":
            parts.append(f"{self.lr_schedule} lr decay")
        return ", ".join(parts)

    def memory_estimate(self, seeds: int, data_dim: int = 2, *, snapshots: int = 6,
                        n_samples: int = 2500) -> int:
        r"""A rough upper estimate (bytes, float32) of what training ``seeds`` seeds holds.

        Per seed: the parameters of both networks five times over (the weights, their
        gradients, Adam's two moments, one working copy), the activations of one step (every
        hidden unit, maxout pieces counted, for the real and the generated batch, six times:
        kept for the backward pass, their gradients, and the generator step's own pass through
        the discriminator, times ``unroll + 1``), and the kept snapshots (``n_samples`` points
        and their discriminator outputs per snapshot).

        Examples
        --------
        >>> small, big = GANConfig().memory_estimate(10), GANConfig().memory_estimate(100_000)
        >>> small < 2**30 < big
        True
        """
        def n_params(d_in: int, hidden: tuple[int, ...], d_out: int, pieces: int) -> int:
            sizes = (d_in, *hidden)
            count = sum((a + 1) * b * pieces for a, b in zip(sizes[:-1], sizes[1:], strict=True))
            return count + (sizes[-1] + 1) * d_out

        params = (n_params(self.latent_dim, self.g_hidden, data_dim, 1)
                  + n_params(data_dim * self.pack, self.d_hidden, 1, self.d_pieces))
        units = sum(self.g_hidden) + self.d_pieces * sum(self.d_hidden)
        activations = 6 * 2 * self.batch_size * self.pack * units * (self.unroll + 1)
        kept = snapshots * n_samples * (data_dim + 1)
        return 4 * seeds * (5 * params + activations + kept)

    def replace(self, **changes: object) -> GANConfig:
        """A copy with some fields changed (checked again)."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ValueError(f"unknown GANConfig field(s): {', '.join(unknown)}")
        return dataclasses.replace(self, **changes)


#: The methods the mode-collapse experiments compare, as changes to a base :class:`GANConfig`.
#: ``"wgan-gp"`` is WGAN-GP (Gulrajani et al. 2017): the Wasserstein loss with the gradient
#: penalty at interpolates.
METHODS: dict[str, dict[str, object]] = {
    "gan": {"loss": "minimax"},
    "non-saturating": {"loss": "non-saturating"},
    "wgan-gp": {"loss": "wasserstein", "penalty": "gradient-penalty", "penalty_weight": 0.1,
                "d_pieces": 1, "d_steps": 5, "betas": (0.5, 0.9)},
    "r1": {"loss": "non-saturating", "penalty": "r1", "penalty_weight": 0.1},
    "pacgan2": {"loss": "non-saturating", "pack": 2},
    "pacgan3": {"loss": "non-saturating", "pack": 3},
    "pacgan4": {"loss": "non-saturating", "pack": 4},
    "unrolled": {"loss": "non-saturating", "unroll": 5},
    "instance-noise": {"loss": "non-saturating", "instance_noise": 0.1},
}


def method_config(method: str, base: GANConfig | None = None, **changes: object) -> GANConfig:
    """The :class:`GANConfig` of a named method, on ``base`` (default: :class:`GANConfig()`).

    Examples
    --------
    >>> method_config("pacgan3").pack
    3
    >>> method_config("r1", steps=10).penalty
    'r1'
    """
    if method not in METHODS:
        raise UsageError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    base = GANConfig() if base is None else base
    return base.replace(**{**METHODS[method], **changes})


def target_named(name: str) -> GaussianMixture:
    """The named 2-D target of the mode-collapse experiments (see :data:`TARGETS`).

    Examples
    --------
    >>> target_named("grid").n_components
    25
    """
    if name not in TARGETS:
        raise UsageError(f"target must be one of {', '.join(TARGETS)}; got {name!r}")
    return TARGETS[name]()


@dataclass(frozen=True)
class VAEConfig:
    r"""A small VAE on a toy target: Gaussian encoder and decoder (learned variance) MLPs.

    Attributes
    ----------
    latent_dim : int
        Size of :math:`z`; the prior is :math:`N(0, I)`.
    hidden : tuple of int
        Hidden widths of encoder and decoder.
    steps, batch_size, lr : int, int, float
        Adam steps, samples per seed and step, learning rate.
    beta : float
        Weight of the KL term (1: the ELBO).
    min_logvar : float
        The decoder's log-variance is clamped below at this value (documented clamp: a 2-D
        mixture with tiny components otherwise drives it to :math:`-\infty`).
    """

    latent_dim: int = 2
    hidden: tuple[int, ...] = (128, 128)
    steps: int = 5000
    batch_size: int = 100
    lr: float = 1e-3
    beta: float = 1.0
    min_logvar: float = -12.0

    def __post_init__(self) -> None:
        for name in ("latent_dim", "steps", "batch_size"):
            val.check_int(getattr(self, name), name, minimum=1)
        val.check_positive(self.lr, "lr")
        if not float(self.beta) >= 0.0:
            raise ValueError(f"beta must be >= 0; got {self.beta!r}")
