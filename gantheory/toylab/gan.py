r"""Goodfellow's Algorithm 1 on toy targets, for many seeds as one batched computation.

For every generator step, :math:`k` discriminator steps on fresh batches, then one generator
step (Goodfellow et al. 2014, Algorithm 1), with any loss pair and regulariser of
:mod:`gantheory.losses`, PacGAN packing, unrolled discriminator steps and instance noise
(:class:`~gantheory.toyconfig.GANConfig`).

**Many seeds at once.** ``M`` generators and ``M`` discriminators live in stacked parameters
(:mod:`gantheory.toylab.nets`). The objective that is differentiated is the *sum over seeds of
each seed's batch mean*, so seed :math:`i` gets the gradient of its own loss and nothing else;
the optimisers are element-wise. All randomness of a step (latents, data, instance noise) is
drawn *outside* the step function (:class:`StepNoise`): seed :math:`i` of a batch given
``noise.seeds(i)`` follows the trajectory it follows alone, to float rounding. (The gradient
penalty's interpolation coefficients and DRAGAN perturbations are drawn inside the penalty, from the
run's generator; those runs are reproducible but not seed-separable.)

Shapes: ``M`` seeds, ``N`` = ``batch_size`` discriminator inputs per seed, ``m`` = ``pack``,
``d`` the data dimension; the discriminator sees ``(M, N, m d)``.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from tqdm.auto import tqdm

from gantheory import losses
from gantheory.atomic import save_atomic
from gantheory.distributions import GaussianMixture
from gantheory.toyconfig import GANConfig, lr_factor
from gantheory.toylab.data import MixtureSampler
from gantheory.toylab.nets import StackedMLP, flatten
from gantheory.toylab.optim import StackedAdam, StackedSGD

#: Version of the checkpoint layout of :meth:`GANTrainer.state_dict`.
CHECKPOINT_FORMAT = 1
_D_LOSS = {
    "minimax": losses.minimax_d_loss,
    "non-saturating": losses.minimax_d_loss,
    "lsgan": losses.lsgan_d_loss,
    "hinge": losses.hinge_d_loss,
    "wasserstein": losses.wasserstein_critic_loss,
}
_G_LOSS = {
    "minimax": losses.minimax_g_loss,
    "non-saturating": losses.non_saturating_g_loss,
    "lsgan": losses.lsgan_g_loss,
    "hinge": losses.hinge_g_loss,
    "wasserstein": losses.wasserstein_g_loss,
}


@dataclass
class StepNoise:
    """All the randomness of one training step, drawn before the step.

    Attributes
    ----------
    z_d : torch.Tensor, shape (k, M, N m, latent_dim)
        Latents of the ``k`` discriminator steps.
    real : torch.Tensor, shape (k, M, N m, d)
        Data of the discriminator steps.
    z_g : torch.Tensor, shape (M, N m, latent_dim)
        Latents of the generator step.
    real_g : torch.Tensor, shape (M, N m, d)
        Data of the generator step (used by unrolled steps only).
    noise_d : torch.Tensor or None, shape (k, 2, M, N m, d)
        Standard normal instance noise for the real and generated inputs of each D step.
    noise_g : torch.Tensor or None, shape (2, M, N m, d)
        The same for the generator step.
    """

    z_d: torch.Tensor
    real: torch.Tensor
    z_g: torch.Tensor
    real_g: torch.Tensor
    noise_d: torch.Tensor | None = None
    noise_g: torch.Tensor | None = None

    def seeds(self, index: int | slice) -> StepNoise:
        """The noise of some seeds only (seed axis kept)."""
        index = slice(index, index + 1) if isinstance(index, int) else index

        def pick(t, axis):
            if t is None:
                return None
            return t[(slice(None),) * axis + (index,)]

        return StepNoise(pick(self.z_d, 1), pick(self.real, 1), pick(self.z_g, 0),
                         pick(self.real_g, 0), pick(self.noise_d, 2), pick(self.noise_g, 1))


@dataclass
class Snapshot:
    """The state of a run at one step, on the CPU.

    Attributes
    ----------
    step : int
        Generator steps taken.
    samples : numpy.ndarray, shape (M, n, d)
        Generator samples of every seed.
    logits : numpy.ndarray or None, shape (M, P)
        Discriminator outputs at the run's ``grid`` points, if one was given.
    """

    step: int
    samples: np.ndarray
    logits: np.ndarray | None = None


@dataclass
class GANRun:
    """A trained batch of toy GANs and its history.

    Attributes
    ----------
    config : GANConfig
    seeds : list of int
    target : GaussianMixture
    generator, discriminator : StackedMLP
    g_params, d_params : list of torch.Tensor
        Stacked parameters (seed axis first).
    d_loss, g_loss : numpy.ndarray, shape (steps, M)
        Per-seed losses at every step (the discriminator's at its last of ``k`` steps, before
        the penalty; the generator's before its step).
    snapshots : list of Snapshot
    seconds : float
        Wall-clock training time.
    """

    config: GANConfig
    seeds: list[int]
    target: GaussianMixture
    generator: StackedMLP
    discriminator: StackedMLP
    g_params: list[torch.Tensor]
    d_params: list[torch.Tensor]
    d_loss: np.ndarray
    g_loss: np.ndarray
    snapshots: list[Snapshot] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def n_seeds(self) -> int:
        """``M``."""
        return len(self.seeds)

    @torch.no_grad()
    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """``n`` generator samples per seed, shape ``(M, n, d)``, from latents of ``seed``."""
        return sample_generator(self.generator, self.g_params, n, self.config.latent_dim, seed)

    @torch.no_grad()
    def discriminator_logits(self, x: np.ndarray) -> np.ndarray:
        """The discriminator's outputs at points ``x`` of shape ``(P, d)``, shape ``(M, P)``.

        A packed discriminator (``pack = m``) is evaluated on ``m`` copies of each point.
        """
        return discriminator_outputs(self.discriminator, self.d_params, x, self.config.pack)


@torch.no_grad()
def discriminator_outputs(discriminator: StackedMLP, d_params: Sequence[torch.Tensor],
                          x: np.ndarray, pack: int = 1) -> np.ndarray:
    """Outputs ``(M, P)`` at points ``x`` ``(P, d)``; a packed one sees ``pack`` copies."""
    p0 = d_params[0]
    pts = torch.as_tensor(np.asarray(x), dtype=p0.dtype, device=p0.device)
    pts = pts.repeat(1, pack).expand(p0.shape[0], -1, -1)
    return discriminator.apply(d_params, pts)[..., 0].cpu().numpy()


def sample_generator(generator: StackedMLP, g_params: Sequence[torch.Tensor], n: int,
                     latent_dim: int, seed: int = 0) -> np.ndarray:
    """``n`` samples of every seed's generator from one shared set of latents."""
    p0 = g_params[0]
    g = torch.Generator(device=p0.device).manual_seed(seed)
    z = torch.randn(1, n, latent_dim, generator=g, device=p0.device, dtype=p0.dtype)
    with torch.no_grad():
        return generator.apply(g_params, z.expand(p0.shape[0], -1, -1)).cpu().numpy()


class GANTrainer:
    """Algorithm 1 for ``M`` seeds: build with a config, a target and the seeds, then :meth:`run`.

    Parameters
    ----------
    config : GANConfig
    target : GaussianMixture
        The data distribution (exact pdf known).
    seeds : sequence of int
        One network pair per seed, initialised from that seed alone.
    device : str or torch.device
    lr_g, lr_d : float or sequence of float, optional
        Per-seed learning rates (default: the config's, for all seeds).
    noise_seed : int
        Seed of the shared random stream from which :meth:`draw_noise` draws every step's noise.
    dtype : torch.dtype
        Floating-point type of the networks, optimiser states and noise (default float32;
        float64 for the tests that compare trajectories to rounding).

    Notes
    -----
    The parameters of each network are the views of one ``(M, P)`` buffer
    (:func:`~gantheory.toylab.nets.flatten`), so an optimiser step is a few operations on two
    buffers whatever the depth; the discriminator judges real and generated inputs in one pass
    (one matrix product per layer for both).

    Examples
    --------
    >>> from gantheory.presets import ring
    >>> from gantheory.toyconfig import GANConfig
    >>> cfg = GANConfig(steps=3, batch_size=8, g_hidden=(8,), d_hidden=(8,))
    >>> run = GANTrainer(cfg, ring(), seeds=[0, 1]).run(progress=False)
    >>> run.d_loss.shape, run.sample(5).shape
    ((3, 2), (2, 5, 2))
    """

    def __init__(self, config: GANConfig, target: GaussianMixture, seeds: Sequence[int], *,
                 device: str | torch.device = "cpu", lr_g=None, lr_d=None,
                 noise_seed: int = 0, dtype: torch.dtype = torch.float32) -> None:
        if not isinstance(config, GANConfig):
            raise TypeError(f"config must be a GANConfig; got {type(config).__name__}")
        self.config = config
        self.device = torch.device(device)
        if dtype not in (torch.float32, torch.float64):
            raise ValueError(f"dtype must be torch.float32 or torch.float64; got {dtype!r}")
        self.dtype = dtype
        self.sampler = MixtureSampler(target, self.device, dtype)
        self.target = target
        self.seeds = list(seeds)
        dim = target.dim
        self.dim = dim
        self.generator = StackedMLP(config.latent_dim, dim, config.g_hidden,
                                    config.g_activation)
        self.discriminator = StackedMLP(dim * config.pack, 1, config.d_hidden,
                                        config.d_activation, config.d_pieces)
        # The generator's seed stream is the seed; the discriminator's is offset so the two
        # networks of one seed are not drawn from one stream.
        self.g_flat, self.g_params = flatten(
            self.generator.init(self.seeds, device=self.device, dtype=dtype))
        self.d_flat, self.d_params = flatten(
            self.discriminator.init([s + 1_000_003 for s in self.seeds], device=self.device,
                                    dtype=dtype))
        lr_g = config.lr_g if lr_g is None else lr_g
        lr_d = config.lr_d if lr_d is None else lr_d
        if config.optimizer == "adam":
            self.g_opt = StackedAdam(self.g_params, lr_g, config.betas)
            self.d_opt = StackedAdam(self.d_params, lr_d, config.betas)
        else:
            self.g_opt = StackedSGD(self.g_params, lr_g, config.momentum)
            self.d_opt = StackedSGD(self.d_params, lr_d, config.momentum)
        self.noise_seed = int(noise_seed)
        self.rng = torch.Generator(device=self.device).manual_seed(self.noise_seed)
        self.step_count = 0
        self.d_hist: torch.Tensor | None = None  # (steps, M) losses, filled up to step_count
        self.g_hist: torch.Tensor | None = None
        self.snapshots: list[Snapshot] = []
        self.seconds = 0.0  # training time so far, over all sessions

    # -- noise -------------------------------------------------------------------------------
    def draw_noise(self) -> StepNoise:
        """The randomness of the next step, for all seeds, from the shared stream."""
        cfg, m = self.config, len(self.seeds)
        n = cfg.batch_size * cfg.pack
        kw = {"generator": self.rng, "device": self.device, "dtype": self.dtype}
        z_d = torch.randn(cfg.d_steps, m, n, cfg.latent_dim, **kw)
        real = self.sampler.sample((cfg.d_steps, m, n), self.rng)
        z_g = torch.randn(m, n, cfg.latent_dim, **kw)
        real_g = self.sampler.sample((m, n), self.rng) if cfg.unroll else real[-1]
        noise_d = noise_g = None
        if cfg.instance_noise > 0:
            noise_d = torch.randn(cfg.d_steps, 2, m, n, self.dim, **kw)
            noise_g = torch.randn(2, m, n, self.dim, **kw)
        return StepNoise(z_d, real, z_g, real_g, noise_d, noise_g)

    # -- the objectives ----------------------------------------------------------------------
    def _pack(self, x: torch.Tensor) -> torch.Tensor:
        m, n, d = x.shape
        return x.reshape(m, n // self.config.pack, self.config.pack * d)  # (M, N, m d)

    def _noise_std(self) -> float:
        cfg = self.config
        if cfg.instance_noise == 0:
            return 0.0
        return losses.instance_noise_std(self.step_count, cfg.steps, cfg.instance_noise)

    def _critic(self, d_params: Sequence[torch.Tensor]) -> Callable[[torch.Tensor], torch.Tensor]:
        m = len(self.seeds)
        width = self.discriminator.d_in

        def critic(x_flat: torch.Tensor) -> torch.Tensor:  # (M N, m d) -> (M N,)
            return self.discriminator.apply(d_params, x_flat.reshape(m, -1, width)).reshape(-1)

        return critic

    def d_objective(self, d_params, real: torch.Tensor, fake: torch.Tensor,
                    noise: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Per-seed discriminator losses ``(M,)`` and the total to differentiate.

        The total is the sum over seeds of each seed's loss plus its penalty; every term is
        a batch mean per seed.
        """
        cfg, m = self.config, len(self.seeds)
        std = self._noise_std()
        if noise is not None and std > 0:
            real, fake = real + std * noise[0], fake + std * noise[1]
        real_in, fake_in = self._pack(real), self._pack(fake)  # (M, N, m d)
        n = real_in.shape[1]
        # one pass for both halves: per seed, rows of a matrix product do not mix
        logits = self.discriminator.apply(d_params, torch.cat([real_in, fake_in], 1))[..., 0]
        real_logits, fake_logits = logits[:, :n], logits[:, n:]  # (M, N) each
        # check_finite=False: a diverging seed must not stop the others (its losses are kept
        # per seed and reported), and a check per loss would synchronise a GPU every step.
        terms = _D_LOSS[cfg.loss](real_logits.reshape(-1), fake_logits.reshape(-1),
                                  reduction="none", check_finite=False)
        per_seed = terms.real.reshape(m, -1).mean(1) + terms.fake.reshape(m, -1).mean(1)
        total = per_seed.sum()
        if cfg.penalty is not None:
            critic = self._critic(d_params)
            flat_real = real_in.reshape(-1, real_in.shape[-1]).detach()
            flat_fake = fake_in.reshape(-1, fake_in.shape[-1]).detach()
            w = cfg.penalty_weight
            if cfg.penalty == "gradient-penalty":
                pen = losses.gradient_penalty(critic, flat_real, flat_fake, weight=w,
                                              generator=self.rng, check_finite=False)
            elif cfg.penalty == "r1":
                pen = losses.r1_penalty(critic, flat_real.requires_grad_(), gamma=w,
                                        check_finite=False)
            elif cfg.penalty == "r2":
                pen = losses.r2_penalty(critic, flat_fake.requires_grad_(), gamma=w,
                                        check_finite=False)
            else:
                pen = losses.dragan_penalty(critic, flat_real, weight=w, generator=self.rng,
                                            check_finite=False)
            # Each penalty is a mean over all M N points: M times it is the sum of seed means.
            total = total + m * pen
        return per_seed.detach(), total

    def g_objective(self, g_params, d_params, z: torch.Tensor, real: torch.Tensor,
                    noise: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Per-seed generator losses ``(M,)`` and their sum (with unrolling if configured)."""
        cfg, m = self.config, len(self.seeds)
        fake = self.generator.apply(g_params, z)  # (M, N m, d)
        if cfg.unroll:
            d_params = self._unrolled(d_params, real, fake, noise)
        std = self._noise_std()
        fake_in = fake + std * noise[1] if (noise is not None and std > 0) else fake
        logits = self.discriminator.apply(d_params, self._pack(fake_in))[..., 0]  # (M, N)
        per_seed = _G_LOSS[cfg.loss](logits.reshape(-1), reduction="none",
                                     check_finite=False).reshape(m, -1).mean(1)
        return per_seed.detach(), per_seed.sum()

    def _unrolled(self, d_params, real, fake, noise):
        r"""Discriminator parameters after ``unroll`` steps, differentiable in the generator.

        Metz et al. 2017, eq. (6)-(8): the surrogate generator loss
        :math:`f(\theta_G, \theta_D^K(\theta_G, \theta_D))`, where :math:`\theta_D^K` is
        the discriminator after :math:`K` steps of *its own optimiser* (Adam with its current
        moments, or SGD with its momentum) on the current batch; the real discriminator is
        not changed.
        """
        params, state = list(d_params), self.d_opt.state()
        for _ in range(self.config.unroll):
            _, total = self.d_objective(params, real, fake, noise)
            grads = torch.autograd.grad(total, params, create_graph=True)
            params, state = self.d_opt.lookahead(params, grads, state)
        return params

    # -- one step ----------------------------------------------------------------------------
    def step(self, noise: StepNoise) -> tuple[torch.Tensor, torch.Tensor]:
        """``k`` discriminator steps and one generator step; returns per-seed (d, g) losses."""
        cfg = self.config
        if cfg.lr_schedule != "constant":
            factor = lr_factor(cfg.lr_schedule, self.step_count, cfg.steps)
            self.d_opt.set_rate_factor(factor)
            self.g_opt.set_rate_factor(factor)
        d_seed = None
        for j in range(cfg.d_steps):
            with torch.no_grad():
                fake = self.generator.apply(self.g_params, noise.z_d[j])
            nd = None if noise.noise_d is None else noise.noise_d[j]
            d_seed, total = self.d_objective(self.d_params, noise.real[j], fake, nd)
            self.d_opt.step(torch.autograd.grad(total, self.d_params))
            if cfg.weight_clip is not None:
                with torch.no_grad():
                    self.d_flat.clamp_(-cfg.weight_clip, cfg.weight_clip)
        g_seed, total = self.g_objective(self.g_params, self.d_params, noise.z_g, noise.real_g,
                                         noise.noise_g)
        self.g_opt.step(torch.autograd.grad(total, self.g_params))
        self.step_count += 1
        return d_seed, g_seed

    def run(self, *, snapshot_steps: Sequence[int] = (), n_snapshot: int = 2500,
            grid: np.ndarray | None = None, progress: bool = True,
            noise: Callable[[int], StepNoise] | None = None,
            callback: Callable[[GANTrainer, int], None] | None = None,
            checkpoint: str | Path | None = None, checkpoint_every: int = 0) -> GANRun:
        """Train until ``config.steps`` generator steps are done (from the start, or from
        where a restored checkpoint left off).

        Parameters
        ----------
        snapshot_steps : sequence of int
            Steps (0 = before training) after which generator samples are kept.
        n_snapshot : int
            Samples per seed in a snapshot (2,500: the mode-coverage protocol's size).
        grid : numpy.ndarray, shape (P, d), optional
            Points at which snapshots also record the discriminator's outputs.
        progress : bool
            Show a progress bar (seed-steps per second and the time left).
        noise : callable, optional
            ``noise(step) -> StepNoise``; default :meth:`draw_noise`. Pass one to replay the
            same randomness, e.g. for one seed of a batch.
        callback : callable, optional
            Called as ``callback(trainer, step)`` after each step.
        checkpoint : path, optional
            Where :meth:`save_checkpoint` writes, every ``checkpoint_every`` steps (if > 0)
            and at the end.
        checkpoint_every : int
            Steps between checkpoints (0: only at the end, if ``checkpoint`` is given).
        """
        cfg, m = self.config, len(self.seeds)
        wanted = sorted(set(int(s) for s in snapshot_steps))
        if any(s < 0 or s > cfg.steps for s in wanted):
            raise ValueError(f"snapshot_steps must lie in [0, {cfg.steps}]; got {wanted}")
        if checkpoint_every < 0:
            raise ValueError(f"checkpoint_every must be >= 0; got {checkpoint_every}")
        self._grow_history()
        start = self.step_count
        taken = {s.step for s in self.snapshots}
        if start == 0 and 0 in wanted and 0 not in taken:
            self.snapshots.append(self.snapshot(0, n_snapshot, grid))
        mark = time.perf_counter()
        bar = tqdm(total=cfg.steps * m, initial=start * m, disable=not progress,
                   desc=f"toy GAN x{m} seeds", unit=" seed-steps", mininterval=1.0)
        for i in range(start, cfg.steps):
            step_noise = self.draw_noise() if noise is None else noise(i)
            d_seed, g_seed = self.step(step_noise)
            self.d_hist[i], self.g_hist[i] = d_seed, g_seed
            if (i + 1) in wanted and (i + 1) not in taken:
                self.snapshots.append(self.snapshot(i + 1, n_snapshot, grid))
                if progress:
                    bar.set_postfix(d=f"{float(d_seed.mean()):.3f}",
                                    g=f"{float(g_seed.mean()):.3f}")
            bar.update(m)
            if callback is not None:
                callback(self, i + 1)
            if (checkpoint is not None and checkpoint_every and (i + 1) % checkpoint_every == 0
                    and i + 1 < cfg.steps):
                now = time.perf_counter()
                self.seconds, mark = self.seconds + now - mark, now
                self.save_checkpoint(checkpoint)
        bar.close()
        self.seconds += time.perf_counter() - mark
        if checkpoint is not None:
            self.save_checkpoint(checkpoint)
        return self.result()

    def result(self) -> GANRun:
        """The run as it stands: parameters, losses of the steps taken, snapshots."""
        n = self.step_count
        d_loss = self.d_hist[:n].cpu().numpy() if self.d_hist is not None else np.empty((0,))
        g_loss = self.g_hist[:n].cpu().numpy() if self.g_hist is not None else np.empty((0,))
        return GANRun(self.config, self.seeds, self.target, self.generator, self.discriminator,
                      self.g_params, self.d_params, d_loss, g_loss,
                      sorted(self.snapshots, key=lambda s: s.step), self.seconds)

    def _grow_history(self) -> None:
        """Loss histories with room for ``config.steps`` steps, keeping the steps taken."""
        steps, m = self.config.steps, len(self.seeds)
        if self.d_hist is not None and self.d_hist.shape[0] == steps:
            return
        d_hist = torch.empty(steps, m, device=self.device)
        g_hist = torch.empty(steps, m, device=self.device)
        if self.d_hist is not None:
            d_hist[:self.step_count] = self.d_hist[:self.step_count]
            g_hist[:self.step_count] = self.g_hist[:self.step_count]
        self.d_hist, self.g_hist = d_hist, g_hist

    # -- checkpoints -------------------------------------------------------------------------
    def state_dict(self) -> dict[str, object]:
        """Everything that decides the rest of the run, and the run so far (copies, CPU).

        Settings: the configuration, seeds, learning rates, noise seed, dtype and target.
        State: parameters, optimiser states, the noise generator's state, the step count.
        The run so far: loss histories, snapshots, seconds. Only tensors, numbers, strings,
        lists and dicts, so :func:`torch.load` reads it with ``weights_only=True``.
        """
        n = self.step_count
        hist = (self.d_hist[:n].cpu() if self.d_hist is not None else torch.empty(0, 0),
                self.g_hist[:n].cpu() if self.g_hist is not None else torch.empty(0, 0))
        return {
            "format": CHECKPOINT_FORMAT,
            "config": dataclasses.asdict(self.config),
            "seeds": list(self.seeds),
            "noise_seed": self.noise_seed,
            "dtype": str(self.dtype),
            "device": str(self.device),
            "target": {"weights": torch.as_tensor(np.asarray(self.target.weights)),
                       "means": torch.as_tensor(np.asarray(self.target.means)),
                       "covs": torch.as_tensor(np.asarray(self.target.covs))},
            "lr_g": self.g_opt.lr.cpu().clone(), "lr_d": self.d_opt.lr.cpu().clone(),
            "step_count": n,
            "g_flat": self.g_flat.detach().cpu().clone(),
            "d_flat": self.d_flat.detach().cpu().clone(),
            "g_opt": {k: v.cpu() if torch.is_tensor(v) else v
                      for k, v in self.g_opt.state_dict().items()},
            "d_opt": {k: v.cpu() if torch.is_tensor(v) else v
                      for k, v in self.d_opt.state_dict().items()},
            "rng": self.rng.get_state(),
            "d_hist": hist[0], "g_hist": hist[1],
            "snapshots": [{"step": s.step, "samples": torch.from_numpy(s.samples),
                           "logits": None if s.logits is None else torch.from_numpy(s.logits)}
                          for s in self.snapshots],
            "seconds": self.seconds,
        }

    def load_state_dict(self, state: dict[str, object]) -> None:
        """Continue from :meth:`state_dict`'s record of a run with the same settings.

        Every setting must be this trainer's, except ``config.steps``, which may only grow
        (and not for instance noise, whose schedule is spread over the steps); a difference
        is an error that names both values.
        """
        if state.get("format") != CHECKPOINT_FORMAT:
            raise ValueError(f"not a toy GAN checkpoint of format {CHECKPOINT_FORMAT}")
        saved = GANConfig(**state["config"])
        mine = dataclasses.asdict(self.config)
        for name, value in dataclasses.asdict(saved).items():
            if name != "steps" and mine[name] != value:
                raise ValueError(f"{name} = {mine[name]!r} contradicts the checkpoint's "
                                 f"{value!r}")
        if self.config.steps < saved.steps:
            raise ValueError(f"steps = {self.config.steps} is fewer than the checkpoint's "
                             f"{saved.steps}: steps may only grow")
        if self.config.steps != saved.steps and saved.instance_noise > 0:
            raise ValueError(f"steps = {self.config.steps} contradicts the checkpoint's "
                             f"{saved.steps}: the instance noise decays over the steps, so "
                             f"they cannot change")
        if self.config.steps != saved.steps and saved.lr_schedule != "constant":
            raise ValueError(f"steps = {self.config.steps} contradicts the checkpoint's "
                             f"{saved.steps}: the {saved.lr_schedule} learning-rate decay is "
                             f"spread over the steps, so they cannot change")
        for name, mine_value, value in (
                ("seeds", list(self.seeds), state["seeds"]),
                ("noise_seed", self.noise_seed, state["noise_seed"]),
                ("dtype", str(self.dtype), state["dtype"]),
                ("device", str(self.device), state["device"])):
            if mine_value != value:
                raise ValueError(f"{name} = {mine_value!r} contradicts the checkpoint's "
                                 f"{value!r}")
        for name, opt in (("lr_g", self.g_opt), ("lr_d", self.d_opt)):
            if not torch.equal(opt.lr.cpu(), state[name].to(opt.lr.dtype)):
                raise ValueError(f"{name} = {opt.lr.tolist()} contradicts the checkpoint's "
                                 f"{state[name].tolist()}")
        for name, value in state["target"].items():
            if not np.array_equal(np.asarray(getattr(self.target, name)), value.numpy()):
                raise ValueError(f"the target's {name} differ from the checkpoint's")
        with torch.no_grad():
            self.g_flat.copy_(state["g_flat"])
            self.d_flat.copy_(state["d_flat"])
        self.g_opt.load_state_dict(state["g_opt"])
        self.d_opt.load_state_dict(state["d_opt"])
        self.rng.set_state(state["rng"])
        self.step_count = int(state["step_count"])
        self.d_hist = state["d_hist"].to(self.device)
        self.g_hist = state["g_hist"].to(self.device)
        self.snapshots = [Snapshot(int(s["step"]), s["samples"].numpy(),
                                   None if s["logits"] is None else s["logits"].numpy())
                          for s in state["snapshots"]]
        self.seconds = float(state["seconds"])

    def save_checkpoint(self, path: str | Path) -> Path:
        """Write :meth:`state_dict` to ``path`` atomically (a temporary file in the same
        folder, then :func:`os.replace`), so a crash leaves the old checkpoint or the new.
        """
        return save_atomic(self.state_dict(), path)

    def load_checkpoint(self, path: str | Path) -> None:
        """:meth:`load_state_dict` from a file written by :meth:`save_checkpoint`."""
        self.load_state_dict(torch.load(path, weights_only=True))

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """``n`` samples per seed from the current generators, shape ``(M, n, d)``."""
        return sample_generator(self.generator, self.g_params, n, self.config.latent_dim, seed)

    def snapshot(self, step: int, n: int, grid: np.ndarray | None = None) -> Snapshot:
        """Samples of the current generators and, on ``grid``, the discriminators' outputs."""
        logits = None
        if grid is not None:
            logits = discriminator_outputs(self.discriminator, self.d_params, grid,
                                           self.config.pack)
        return Snapshot(step, self.sample(n), logits)


def train_gan(config: GANConfig, target: GaussianMixture, seeds: Sequence[int] | int = 10, *,
              device: str | torch.device = "cpu", snapshot_steps: Sequence[int] = (),
              progress: bool = True, **kwargs) -> GANRun:
    """Train ``M`` toy GANs (``seeds``: a list, or a count meaning ``range(count)``).

    Examples
    --------
    >>> from gantheory.presets import bimodal
    >>> from gantheory.toyconfig import GANConfig
    >>> cfg = GANConfig(steps=2, batch_size=4, g_hidden=(4,), d_hidden=(4,), latent_dim=1)
    >>> train_gan(cfg, bimodal(), seeds=3, progress=False).g_loss.shape
    (2, 3)
    """
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        if seeds < 1:
            raise ValueError(f"seeds must be >= 1; got {seeds}")
        seeds = list(range(seeds))
    trainer = GANTrainer(config, target, seeds, device=device, **kwargs)
    return trainer.run(snapshot_steps=snapshot_steps, progress=progress)

