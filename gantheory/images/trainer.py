r"""Training image GANs and VAEs with the loss library: one loop for every model.

:class:`ImageTrainer` trains one of :data:`MODELS` on an :class:`~gantheory.images.data.ImageData`
with the objectives of :mod:`gantheory.losses`:

=========  =================================================================================
model      objective
=========  =================================================================================
dcgan      minimax discriminator loss, non-saturating generator loss (Radford et al. 2016)
cgan       the same with labels given to both networks (Mirza and Osindero 2014)
wgan-gp    Wasserstein critic with the per-sample gradient penalty, ``d_steps = 5``
           (Gulrajani et al. 2017, Algorithm 1)
vae        negative ELBO, Bernoulli decoder on (dynamically binarised) pixels in [0, 1]
vaegan     L_prior + L_llike^Dis_l + L_GAN (Larsen et al. 2016)
=========  =================================================================================

What the loop does, every step: ``d_steps`` discriminator updates and one generator update
(Goodfellow et al. 2014, Algorithm 1), all randomness drawn from one ``torch.Generator`` on
the device (latents, batches, penalty coefficients, reparameterisation noise), so that a run
resumed from a checkpoint continues exactly as the uninterrupted run would have (on the CPU;
CUDA kernels may be nondeterministic). On CUDA, forward passes run under bf16 autocast (the
losses compute in float32), Adam is fused, and ``compile=True`` compiles the networks'
forward passes (the gradient-penalty step stays eager). An optional EMA copy of the generator
is kept for sampling.

Every ``sample_every`` steps: a grid of samples from a fixed latent
(``samples/generated-images-0001.png``, ...), the losses appended to ``losses.csv`` and
``losses.png`` redrawn. Every ``checkpoint_every`` steps: ``checkpoint.pt`` written atomically.
A non-finite or exploding loss stops the run with :class:`TrainingDiverged` *before* the next
checkpoint, so the last good one stays on disk.

Several processes (``torchrun --nproc_per_node N -m gantheory train ...``): when a
``torch.distributed`` process group is initialised, each network is wrapped in
``DistributedDataParallel`` (gradients averaged over processes), each process draws its own
batches and latents, and only rank 0 writes files. Each process takes ``batch_size`` images
per step, so the effective batch is ``N * batch_size``. Exact resume holds for one process; a
resumed multi-process run restores rank 0's random stream and reseeds the others. VAE-GAN
trains in one process only.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from gantheory import losses
from gantheory.images import checkpoint as ckpt

MODELS = ("dcgan", "cgan", "wgan-gp", "vae", "vaegan")


def _process_group() -> tuple[int, int]:
    """(rank, world size) of an initialised torch.distributed group, else (0, 1)."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


class TrainingDiverged(RuntimeError):
    """A loss became NaN or infinite, or exceeded ``max_loss``; the run was stopped."""


@dataclass(frozen=True)
class TrainConfig:
    r"""Everything an image run needs (saved in every checkpoint).

    Attributes
    ----------
    model : str
        One of :data:`MODELS`.
    dataset : str
        A name for :func:`gantheory.images.data.load_dataset` (recorded; the trainer is given
        the data).
    image_size : int
        32, 64 or 128.
    latent_dim : int
        Size of :math:`z` (GANs) or of the VAE's latent.
    width : int
        Channel width of the networks built by :func:`gantheory.images.models.build` (64 in
        DCGAN; small values make fast CPU runs).
    likelihood : {"bernoulli", "gaussian"}
        The VAE's decoder: Bernoulli on (binarised) intensities, or Gaussian with a learned
        variance.
    batch_size, steps : int
        Images per step; generator steps.
    lr_g, lr_d : float
        Adam learning rates of the generator (or VAE) and the discriminator.
    betas : (float, float)
        Adam's betas (DCGAN: 0.5, 0.999).
    d_steps : int
        Discriminator steps per generator step (0 for the VAE).
    gp_weight : float
        :math:`\lambda` of WGAN-GP.
    beta : float
        KL weight of the VAE's ELBO.
    binarize : bool
        Dynamic binarisation of pixels for the Bernoulli VAE (a fresh Bernoulli draw per use).
    ema : float or None
        Decay of an exponential moving average of the generator's weights.
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
    """

    model: str = "dcgan"
    dataset: str = "shapes"
    image_size: int = 32
    latent_dim: int = 100
    width: int = 64
    likelihood: str = "bernoulli"
    batch_size: int = 64
    steps: int = 2000
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    d_steps: int = 1
    gp_weight: float = 10.0
    beta: float = 1.0
    binarize: bool = True
    ema: float | None = None
    sample_every: int = 200
    checkpoint_every: int = 200
    seed: int = 0
    bf16: bool | None = None
    channels_last: bool = False
    compile: bool = False
    max_loss: float = 1e4

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise ValueError(f"model must be one of {MODELS}; got {self.model!r}")
        if self.image_size not in (32, 64, 128):
            raise ValueError(f"image_size must be 32, 64 or 128; got {self.image_size!r}")
        if self.likelihood not in ("bernoulli", "gaussian"):
            raise ValueError(f"likelihood must be 'bernoulli' or 'gaussian'; "
                             f"got {self.likelihood!r}")
        for name in ("latent_dim", "width", "batch_size", "steps", "sample_every",
                     "checkpoint_every"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an integer >= 1; got {value!r}")
        if isinstance(self.d_steps, bool) or not isinstance(self.d_steps, int) or self.d_steps < 0:
            raise ValueError(f"d_steps must be an integer >= 0; got {self.d_steps!r}")
        for name in ("lr_g", "lr_d", "max_loss"):
            if not (isinstance(getattr(self, name), (int, float))
                    and math.isfinite(getattr(self, name)) and getattr(self, name) > 0):
                raise ValueError(f"{name} must be a positive number; got {getattr(self, name)!r}")
        if self.ema is not None and not 0.0 < self.ema < 1.0:
            raise ValueError(f"ema must lie in (0, 1) or be None; got {self.ema!r}")

    @classmethod
    def for_model(cls, model: str, **changes: Any) -> TrainConfig:
        """The defaults of a model, with ``changes`` on top.

        WGAN-GP: 5 critic steps, Adam 1e-4, betas (0, 0.9); VAE: no discriminator, Adam 1e-3.
        """
        defaults: dict[str, Any] = {
            "wgan-gp": {"d_steps": 5, "lr_g": 1e-4, "lr_d": 1e-4, "betas": (0.0, 0.9)},
            "vae": {"d_steps": 0, "lr_g": 1e-3, "betas": (0.9, 0.999), "latent_dim": 32},
            "vaegan": {"latent_dim": 64},
        }.get(model, {})
        return cls(model=model, **{**defaults, **changes})

    def as_dict(self) -> dict[str, Any]:
        """Plain values only (what a ``weights_only`` checkpoint may hold)."""
        out = dataclasses.asdict(self)
        out["betas"] = list(self.betas)
        return out

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> TrainConfig:
        """Inverse of :meth:`as_dict`; unknown keys are an error naming them."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ValueError(f"unknown TrainConfig field(s): {', '.join(unknown)}")
        values = dict(values)
        if "betas" in values:
            values["betas"] = tuple(values["betas"])
        return cls(**values)


@dataclass
class StepLosses:
    """The losses of one step as 0-d tensors on the device (read only when logged)."""

    values: dict[str, torch.Tensor]


class ImageTrainer:
    """Train one image model; :meth:`train` runs to ``config.steps``, resumable.

    Parameters
    ----------
    config : TrainConfig
    data : gantheory.images.data.ImageData
        The training images (moved to ``device`` as uint8).
    out : str or Path
        Folder for samples, losses and the checkpoint.
    device : str or torch.device
    models : dict of torch.nn.Module
        The networks: ``generator`` and ``discriminator`` for the GANs (a ``cgan`` generator
        and discriminator take ``(input, labels)``; discriminators return one logit per
        sample), ``vae`` (with ``encode``, ``decode``, ``decode_image`` and ``forward(x, eps)
        -> (mu, logvar, z, decode(z))``, as :class:`gantheory.nets.ConvVAE`) and, for
        ``vaegan``, a ``discriminator`` with ``features_and_logits``.
        :func:`gantheory.images.models.build` makes them.
    """

    def __init__(self, config: TrainConfig, data, out: str | Path, *,
                 device: str | torch.device = "cpu",
                 models: dict[str, torch.nn.Module]) -> None:
        if not isinstance(config, TrainConfig):
            raise TypeError(f"config must be a TrainConfig; got {type(config).__name__}")
        self.config = config
        self.device = torch.device(device)
        self.out = Path(out)
        self.data = data.to(self.device)
        if config.model == "cgan" and not self.data.n_classes:
            raise ValueError(f"model 'cgan' needs a labelled data set; {data.name!r} has none")
        torch.manual_seed(config.seed)
        needed = {"vae": ("vae",), "vaegan": ("vae", "discriminator")}.get(
            config.model, ("generator", "discriminator"))
        missing = [k for k in needed if k not in models]
        if missing:
            raise ValueError(f"models must hold {', '.join(needed)} for {config.model!r}; "
                             f"missing {', '.join(missing)}")
        self.models = models
        for m in self.models.values():
            m.to(self.device)
            if config.channels_last:
                m.to(memory_format=torch.channels_last)
        self.use_bf16 = (self.device.type == "cuda") if config.bf16 is None else config.bf16
        fused = self.device.type == "cuda"
        gen_params = self._generator_side_params()
        self.opt_g = torch.optim.Adam(gen_params, lr=config.lr_g, betas=config.betas,
                                      fused=fused)
        self.opt_d = None
        if "discriminator" in self.models:
            self.opt_d = torch.optim.Adam(self.models["discriminator"].parameters(),
                                          lr=config.lr_d, betas=config.betas, fused=fused)
        self.ema = None
        if config.ema is not None and "generator" in self.models:
            self.ema = copy.deepcopy(self.models["generator"]).requires_grad_(False)
        self.rank, self.world_size = _process_group()
        self.rng = torch.Generator(device=self.device).manual_seed(self._stream_seed(0))
        fixed = torch.Generator(device=self.device).manual_seed(12345)
        self.fixed_z = torch.randn(64, config.latent_dim, generator=fixed, device=self.device)
        n_classes = self.data.n_classes or 1
        self.fixed_labels = torch.arange(64, device=self.device) % n_classes
        self.step = 0
        self.n_samples_written = 0
        self.forward = {k: (torch.compile(m) if config.compile else m)
                        for k, m in self.models.items()}
        if self.world_size > 1:
            self.forward = self._wrap_distributed(self.forward)

    def _wrap_distributed(self, forward: dict[str, torch.nn.Module]
                          ) -> dict[str, torch.nn.Module]:
        """DistributedDataParallel around each network: gradients averaged over processes."""
        from torch.nn.parallel import DistributedDataParallel

        if self.config.model == "vaegan":
            raise ValueError("model 'vaegan' trains in one process only: its encoder and "
                             "decoder take separate gradients (torch.autograd.grad), which "
                             "DistributedDataParallel does not synchronise")
        ids = [self.device.index] if self.device.type == "cuda" else None
        return {k: DistributedDataParallel(m, device_ids=ids) for k, m in forward.items()}

    def _stream_seed(self, step: int) -> int:
        """Seed of this process's random stream (batches, latents) when it starts at ``step``.

        Each process of a multi-process run has its own stream.
        """
        return self.config.seed + 1 + 1_000_003 * self.rank + step

    @property
    def is_main(self) -> bool:
        """True in the process that writes samples, logs and checkpoints (rank 0)."""
        return self.rank == 0

    # -- parameters and state --------------------------------------------------------------
    def _generator_side_params(self) -> list[torch.nn.Parameter]:
        if "vae" in self.models:
            return list(self.models["vae"].parameters())
        return list(self.models["generator"].parameters())

    def state_dict(self) -> dict[str, Any]:
        """Models, optimisers, EMA, RNG states, step and config."""
        state = {
            "config": self.config.as_dict(),
            "data_shape": list(self.data.images.shape[1:]),  # (C, H, W): to rebuild the nets
            "n_classes": int(self.data.n_classes or 0),
            "step": self.step,
            "n_samples_written": self.n_samples_written,
            "models": {k: m.state_dict() for k, m in self.models.items()},
            "opt_g": self.opt_g.state_dict(),
            "rng": self.rng.get_state(),
            "global_rng": ckpt.rng_state(),
        }
        if self.opt_d is not None:
            state["opt_d"] = self.opt_d.state_dict()
        if self.ema is not None:
            state["ema"] = self.ema.state_dict()
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore :meth:`state_dict`'s output (the config must match this trainer's)."""
        saved = TrainConfig.from_dict(state["config"])
        if dataclasses.replace(saved, steps=self.config.steps) != self.config:
            raise ValueError("the checkpoint was written with another configuration; resume "
                             "with the same settings (only --steps may change)")
        for k, m in self.models.items():
            m.load_state_dict(state["models"][k])
        self.opt_g.load_state_dict(state["opt_g"])
        if self.opt_d is not None:
            self.opt_d.load_state_dict(state["opt_d"])
        if self.ema is not None:
            self.ema.load_state_dict(state["ema"])
        self.rng.set_state(state["rng"].to("cpu") if self.device.type == "cpu"
                           else state["rng"])
        ckpt.set_rng_state(state["global_rng"])
        self.step = int(state["step"])
        if self.rank > 0:  # the checkpoint holds rank 0's stream; the others start afresh
            self.rng.manual_seed(self._stream_seed(self.step))
        self.n_samples_written = int(state["n_samples_written"])

    def save_checkpoint(self) -> Path:
        """Write ``out/checkpoint.pt`` atomically."""
        return ckpt.save(self.state_dict(), self.out / "checkpoint.pt")

    @classmethod
    def resume(cls, out: str | Path, data, *, device: str | torch.device = "cpu",
               steps: int | None = None,
               models: dict[str, torch.nn.Module] | None = None) -> ImageTrainer:
        """A trainer restored from ``out/checkpoint.pt`` (optionally with more ``steps``;
        ``models``: the same pre-built networks as the original run, if it had any).
        """
        state = ckpt.load(Path(out) / "checkpoint.pt", map_location=device)
        config = TrainConfig.from_dict(state["config"])
        if steps is not None:
            config = dataclasses.replace(config, steps=steps)
        trainer = cls(config, data, out, device=device, models=models)
        trainer.load_state_dict(state)
        return trainer

    # -- the steps ---------------------------------------------------------------------------
    def _autocast(self):
        return torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.use_bf16)

    def _batch(self) -> tuple[torch.Tensor, torch.Tensor | None]:
        x, y = self.data.sample_batch(self.config.batch_size, self.rng)
        if self.config.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        return x, y

    def _z(self) -> torch.Tensor:
        return torch.randn(self.config.batch_size, self.config.latent_dim, generator=self.rng,
                           device=self.device)

    def _gan_step(self) -> dict[str, torch.Tensor]:
        cfg, f = self.config, self.forward
        conditional = cfg.model == "cgan"
        G, D = f["generator"], f["discriminator"]

        def disc(x, y):
            return D(x, y) if conditional else D(x)

        def gen(z, y):
            return G(z, y) if conditional else G(z)

        out = {}
        for _ in range(cfg.d_steps):
            real, labels = self._batch()
            with torch.no_grad(), self._autocast():
                fake = gen(self._z(), labels)
            with self._autocast():
                real_logits, fake_logits = disc(real, labels), disc(fake, labels)
            if cfg.model == "wgan-gp":
                d_loss = losses.wasserstein_critic_loss(real_logits, fake_logits)
                critic = self.models["discriminator"]  # eager, never compiled
                penalty = losses.gradient_penalty(critic, real, fake.float(),
                                                  weight=cfg.gp_weight, generator=self.rng)
                out["gp"] = penalty.detach()
                total = d_loss + penalty
            else:
                d_loss = losses.minimax_d_loss(real_logits, fake_logits)
                total = d_loss
            self.opt_d.zero_grad(set_to_none=True)
            total.backward()
            self.opt_d.step()
            out["d_loss"] = d_loss.detach()
        _, labels = self._batch() if conditional else (None, None)
        with self._autocast():
            fake_logits = disc(gen(self._z(), labels), labels)
        if cfg.model == "wgan-gp":
            g_loss = losses.wasserstein_g_loss(fake_logits)
        else:
            g_loss = losses.non_saturating_g_loss(fake_logits)
        self.opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        self.opt_g.step()
        out["g_loss"] = g_loss.detach()
        return out

    def _pixels01(self, x: torch.Tensor) -> torch.Tensor:
        x01 = (x + 1.0) / 2.0  # data in [-1, 1] -> intensities in [0, 1]
        if self.config.binarize:
            x01 = torch.bernoulli(x01, generator=self.rng)
        return x01

    def _vae_step(self) -> dict[str, torch.Tensor]:
        cfg = self.config
        vae_model = self.models["vae"]
        real, _ = self._batch()
        if cfg.likelihood == "bernoulli":
            target = self._pixels01(real)  # (B, C, H, W) in {0, 1} (or [0, 1])
        else:
            target = (real + 1.0) / 2.0  # intensities in [0, 1]
        eps = torch.randn(len(real), cfg.latent_dim, generator=self.rng, device=self.device)
        with self._autocast():
            # one forward (mu, logvar, z = mu + sigma eps, decoder output): one DDP pass
            mu, logvar, _, out = self.forward["vae"](target * 2.0 - 1.0, eps)
        if cfg.likelihood == "bernoulli":
            ll = losses.bernoulli_log_likelihood(out.float(), target)
        else:
            ll = losses.gaussian_log_likelihood(out.float(), target,
                                                logvar=vae_model.decoder_logvar)
        kl = losses.gaussian_kl_standard(mu.float(), logvar.float())
        loss = -losses.elbo(ll, kl, beta=cfg.beta)
        self.opt_g.zero_grad(set_to_none=True)
        loss.backward()
        self.opt_g.step()
        return {"neg_elbo": loss.detach(), "kl": kl.detach(), "recon": -ll.detach()}

    def _vaegan_step(self) -> dict[str, torch.Tensor]:
        vae, D = self.forward["vae"], self.forward["discriminator"]
        real, _ = self._batch()
        with self._autocast():
            mu, logvar = vae.encode(real)
        z = losses.reparameterize(mu.float(), logvar.float(), generator=self.rng)
        with self._autocast():
            recon = vae.decode_image(z)
            prior = vae.decode_image(self._z())
            real_features, real_logits = D.features_and_logits(real)
            recon_features, recon_logits = D.features_and_logits(recon)
            _, prior_logits = D.features_and_logits(prior)
        terms = losses.vaegan_terms(mu.float(), logvar.float(), real_features.detach().float(),
                                    recon_features.float(), real_logits.float(),
                                    recon_logits.float(), prior_logits.float())
        # Larsen et al., Algorithm 1: the encoder descends L_prior + L_llike, the decoder
        # gamma L_llike + L_GAN (playing against the discriminator); gamma = 1 here.
        vae_model = self.models["vae"]
        enc, dec = list(vae_model.encoder.parameters()), list(vae_model.decoder.parameters())
        g_enc = torch.autograd.grad(terms.encoder_loss(), enc, retain_graph=True)
        g_dec = torch.autograd.grad(terms.decoder_loss(), dec, allow_unused=True)
        self.opt_g.zero_grad(set_to_none=True)
        for p, g in zip(enc + dec, g_enc + g_dec, strict=True):
            p.grad = g
        self.opt_g.step()
        vae_loss = terms.encoder_loss() + terms.decoder_loss()
        with self._autocast():
            d_real = D(real)
            d_recon = D(recon.detach())
            d_prior = D(prior.detach())
        d_terms = losses.vaegan_terms(mu.detach().float(), logvar.detach().float(),
                                      real_features.detach().float(),
                                      recon_features.detach().float(), d_real.float(),
                                      d_recon.float(), d_prior.float())
        d_loss = d_terms.discriminator_loss()
        self.opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        self.opt_d.step()
        return {"vae_loss": vae_loss.detach(), "d_loss": d_loss.detach(),
                "prior": terms.prior.detach(), "llike": terms.llike.detach()}

    def train_step(self) -> dict[str, torch.Tensor]:
        """One step of the configured model; returns its losses (0-d tensors)."""
        for m in self.models.values():
            m.train()
        if self.config.model in ("dcgan", "cgan", "wgan-gp"):
            out = self._gan_step()
        elif self.config.model == "vae":
            out = self._vae_step()
        else:
            out = self._vaegan_step()
        if self.ema is not None:
            with torch.no_grad():
                for e, p in zip(self.ema.parameters(), self.models["generator"].parameters(),
                                strict=True):
                    e.lerp_(p, 1.0 - self.config.ema)
                for e, b in zip(self.ema.buffers(), self.models["generator"].buffers(),
                                strict=True):
                    e.copy_(b)
        self.step += 1
        return out

    # -- samples and logs --------------------------------------------------------------------
    @torch.no_grad()
    def sample(self, z: torch.Tensor | None = None, labels: torch.Tensor | None = None
               ) -> torch.Tensor:
        """Images in [-1, 1] from latents ``z`` (default: the fixed 64), shape (n, C, H, W)."""
        z = self.fixed_z if z is None else z
        if "vae" in self.models:
            vae = self.models["vae"].eval()
            out = vae.decode_image(z)
            vae.train()
            return out.float()
        g = self.ema if self.ema is not None else self.models["generator"]
        g.eval()
        if self.config.model == "cgan":
            labels = self.fixed_labels[: len(z)] if labels is None else labels
            out = g(z, labels)
        else:
            out = g(z)
        g.train()
        return out.float()

    def write_samples(self) -> Path:
        """``samples/generated-images-NNNN.png``: an 8 x 8 grid from the fixed latent."""
        from torchvision.utils import save_image

        self.n_samples_written += 1
        path = self.out / "samples" / f"generated-images-{self.n_samples_written:04d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        save_image((self.sample() + 1.0) / 2.0, path, nrow=8)
        return path

    def _log(self, rows: list[dict[str, float]]) -> None:
        path = self.out / "losses.csv"
        new = not path.exists()
        with path.open("a", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            if new:
                writer.writeheader()
            writer.writerows(rows)
        self._plot_losses(path)

    def _plot_losses(self, path: Path) -> None:
        from gantheory import plotting

        with path.open() as fh:
            rows = list(csv.DictReader(fh))
        keys = [k for k in rows[0] if k not in ("step", "images_per_s")]
        fig, axes = plotting.figure(1, 1, size=(5.0, 3.0))
        ax = axes[0][0]
        steps = [int(r["step"]) for r in rows]
        for k in keys:
            ax.plot(steps, [float(r[k]) for r in rows], label=k)
        ax.set_xlabel("step")
        ax.set_ylabel("loss (batch mean)")
        ax.legend()
        ax.set_title(f"{self.config.model} on {self.config.dataset}")
        plotting.save(fig, self.out / "losses.png")

    def _first_bad_loss(self, stacked: dict[str, torch.Tensor], steps: list[int]) -> str:
        """'name = value at step s' for the first bad loss of any process, else ''."""
        message = ""
        for k, v in stacked.items():
            bad = ~torch.isfinite(v) | (v.abs() > self.config.max_loss)
            if bool(bad.any()):
                i = int(bad.nonzero()[0, 0])
                message = f"{k} = {float(v[i]):.4g} at step {steps[i]}"
                break
        if self.world_size > 1:  # every process stops together
            import torch.distributed as dist

            flag = torch.tensor([float(bool(message))], device=self.device)
            dist.all_reduce(flag, op=dist.ReduceOp.MAX)
            if float(flag) > 0 and not message:
                message = f"a loss of another process at or before step {steps[-1]}"
        return message

    # -- the loop ----------------------------------------------------------------------------
    def train(self, *, progress: bool = True) -> ImageTrainer:
        """Run to ``config.steps``; checkpoints, samples and logs on the way."""
        from tqdm.auto import tqdm

        cfg = self.config
        self.out.mkdir(parents=True, exist_ok=True)
        pending: list[dict[str, torch.Tensor]] = []
        pending_steps: list[int] = []
        bar = tqdm(total=cfg.steps, initial=self.step, disable=not (progress and self.is_main),
                   unit="step",
                   desc=f"{cfg.model} on {cfg.dataset}", mininterval=1.0)
        tick, tick_step = time.perf_counter(), self.step
        while self.step < cfg.steps:
            out = self.train_step()
            pending.append(out)
            pending_steps.append(self.step)
            bar.update(1)
            at_sample = self.step % cfg.sample_every == 0 or self.step == cfg.steps
            at_checkpoint = self.step % cfg.checkpoint_every == 0 or self.step == cfg.steps
            if not (at_sample or at_checkpoint):
                continue
            # One synchronisation per interval: all losses since the last one, checked.
            stacked = {k: torch.stack([o[k] for o in pending]).float().cpu()
                       for k in pending[0]}
            problem = self._first_bad_loss(stacked, pending_steps)
            if problem:
                bar.close()
                raise TrainingDiverged(
                    f"{problem} (non-finite or above max_loss={cfg.max_loss:g}); stopped, the "
                    f"last good checkpoint ({self.out / 'checkpoint.pt'}) is kept")
            now = time.perf_counter()
            rate = (self.step - tick_step) * cfg.batch_size / max(now - tick, 1e-9)
            tick, tick_step = now, self.step
            rows = [{"step": s, **{k: float(v[j]) for k, v in stacked.items()},
                     "images_per_s": rate} for j, s in enumerate(pending_steps)]
            bar.set_postfix({k: f"{float(v[-1]):.3f}" for k, v in stacked.items()}
                            | {"img/s": f"{rate:.0f}"})
            pending, pending_steps = [], []
            if not self.is_main:
                continue
            self._log(rows)
            if at_sample:
                self.write_samples()
            if at_checkpoint:
                self.save_checkpoint()
        bar.close()
        return self
