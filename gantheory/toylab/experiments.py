r"""The toy-lab experiments behind ``gantheory toy``: they train and return data.

* :func:`mode_collapse` -- the ring of 8 or the grid of 25 (PacGAN's setup), every method of
  :data:`~gantheory.toyconfig.METHODS` over many seeds, the PacGAN/VEEGAN mode metrics as
  mean :math:`\pm` standard error (:class:`MethodRow`), and the runs.
* :func:`one_d` -- a 1-D bimodal target: the generator's histogram against the data density
  over training for a collapsing and a non-collapsing setting, the discriminator beside the
  optimal :math:`D^* = p_\text{data}/(p_\text{data} + p_g)` of the current generator (its
  density estimated by a KDE of its samples), :math:`\|D - D^*\|` and :math:`W_1` to the target.
* :func:`saturation` -- the saturating and the non-saturating generator gradients at the start
  of training as the discriminator improves (Goodfellow et al. 2014, Sec. 3).
* :func:`vae_modes` and :func:`vae_latent_sizes` -- toy VAEs, measured like the GANs and
  against latent size.

Every function takes the sizes as arguments. The tables are
:mod:`gantheory.toylab.reporting`'s, the figures :mod:`gantheory.toylab.plots`'; the Dirac-GAN
needs no training and is :func:`gantheory.dirac.behaviour_table`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from gantheory import presets
from gantheory.distributions import Gaussian, GaussianMixture
from gantheory.kde import GaussianKDE
from gantheory.sample_metrics import PROTOCOL_N_SAMPLES, mode_metrics, w1_to_target_1d
from gantheory.stats import mean_and_standard_error, summarize
from gantheory.toyconfig import METHODS, GANConfig, VAEConfig, method_config, target_named
from gantheory.toylab.gan import GANRun, GANTrainer
from gantheory.toylab.vae import VAERun, train_vae

#: The seed of the generator samples every measurement draws.
SAMPLE_SEED = 12345


@dataclass
class MethodRow:
    """One method's measured row: means and standard errors over seeds."""

    method: str
    seeds: int
    steps: int
    modes: float
    modes_se: float
    high_quality: float
    high_quality_se: float
    reverse_kl: float
    reverse_kl_se: float
    seconds: float


def method_row(method: str, samples: np.ndarray, target: GaussianMixture, steps: int,
               seconds: float) -> MethodRow:
    """The mode metrics of ``M`` seeds' samples ``(M, n, d)`` as mean and s.e. over seeds."""
    m = mode_metrics(samples, target)
    values = {}
    for key, per_seed in (("modes", m.modes_captured),
                          ("high_quality", 100.0 * np.asarray(m.high_quality_fraction)),
                          ("reverse_kl", m.reverse_kl)):
        s = summarize(np.asarray(per_seed, dtype=float))
        values[key], values[key + "_se"] = float(s.mean), float(s.se)
    return MethodRow(method, samples.shape[0], steps, seconds=seconds, **values)


def view_box(target: GaussianMixture, margin: float = 0.5) -> tuple[float, float, float, float]:
    """``(xmin, xmax, ymin, ymax)`` around the means of a 2-D target."""
    means = np.asarray(target.means)
    lo, hi = means.min(0) - margin, means.max(0) + margin
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def grid_points(box: tuple[float, float, float, float], n: int = 64) -> np.ndarray:
    """An ``n x n`` grid of points over ``box``, shape ``(n*n, 2)``, rows of constant y."""
    xs = np.linspace(box[0], box[1], n)
    ys = np.linspace(box[2], box[3], n)
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def measure(run: GANRun, method: str, n_samples: int = PROTOCOL_N_SAMPLES,
            sample_seed: int = SAMPLE_SEED) -> MethodRow:
    """The mode metrics of a run's final generators (``n_samples`` per seed)."""
    samples = run.sample(n_samples, seed=sample_seed)  # (M, n, d)
    return method_row(method, samples, run.target, run.config.steps, run.seconds)


def mode_collapse(target_name: str = "ring", methods: Sequence[str] = tuple(METHODS),
                  seeds: int = 10, steps: int = 3000, *, base: GANConfig | None = None,
                  device: str = "cpu", snapshot_steps: Sequence[int] = (),
                  progress: bool = True, checkpoint_dir: str | Path | None = None,
                  checkpoint_every: int = 0, resume: bool = False
                  ) -> tuple[list[MethodRow], dict[str, GANRun]]:
    """Train every method on the target over ``seeds`` seeds and measure mode collapse.

    Returns the rows (one per method) and the runs (for figures). With ``checkpoint_dir``,
    each method's trainer is saved to ``<dir>/<target>_<method>.pt`` every
    ``checkpoint_every`` steps and at its end; with ``resume``, a method whose checkpoint
    exists continues from it (a finished one is not trained again).
    """
    target = target_named(target_name)
    box = view_box(target)
    grid = grid_points(box, 48)
    rows, runs = [], {}
    for method in methods:
        config = method_config(method, base, steps=steps)
        trainer = GANTrainer(config, target, list(range(seeds)), device=device)
        path = None
        if checkpoint_dir is not None:
            path = Path(checkpoint_dir) / f"{target_name}_{method}.pt"
            if resume and path.exists():
                trainer.load_checkpoint(path)
        if progress:
            print(f"[{target_name}] {method}: {seeds} seeds x {steps} steps"
                  + (f", resumed at step {trainer.step_count}" if trainer.step_count else ""),
                  flush=True)
        run = trainer.run(snapshot_steps=snapshot_steps, grid=grid, progress=progress,
                          checkpoint=path, checkpoint_every=checkpoint_every)
        rows.append(measure(run, method))
        runs[method] = run
    return rows, runs


def _densities(target: GaussianMixture, samples: np.ndarray,
               points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r""":math:`p_\text{data}` and the KDE of the generator's ``samples`` at ``points``."""
    return target.pdf(points), GaussianKDE(samples).pdf(points)


def _ratio(p_data: np.ndarray, p_g: np.ndarray) -> np.ndarray:
    total = p_data + p_g
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 1e-300, p_data / total, np.nan)


def kde_optimal_discriminator(target: GaussianMixture, samples: np.ndarray,
                              points: np.ndarray) -> np.ndarray:
    r""":math:`\hat D^*(x) = p_\text{data}(x) / (p_\text{data}(x) + \hat p_g(x))` at ``points``.

    :math:`\hat p_g` is the :class:`~gantheory.kde.GaussianKDE` (Scott's rule) of the
    generator's ``samples``; where both densities vanish in floating point (their sum is
    below 1e-300) the value is NaN (undefined, drawn blank).
    """
    return _ratio(*_densities(target, samples, points))


def weighted_distance(d: np.ndarray, d_star: np.ndarray, weight: np.ndarray) -> float:
    r""":math:`\|D - D^*\|` as the RMS over the points weighted by ``weight`` (NaN skipped).

    With ``weight`` :math:`= (p_\text{data} + p_g)/2` on an even grid this is the
    :math:`L^2` distance under the mixture the discriminator is trained on.
    """
    ok = np.isfinite(d_star)
    w = weight[ok] / weight[ok].sum()
    return float(np.sqrt(np.sum(w * (d[ok] - d_star[ok]) ** 2)))


def d_minus_d_star(target: GaussianMixture, samples: np.ndarray, logits: np.ndarray,
                   points: np.ndarray) -> float:
    r""":math:`\|D - D^*\|` of one seed at ``points``: :func:`weighted_distance` of
    :math:`D = \sigma(\text{logit})` to the KDE-estimated :math:`D^*`
    (:func:`kde_optimal_discriminator`), weighted by :math:`(p_\text{data} + \hat p_g)/2`.
    """
    p_data, p_g = _densities(target, samples, points)
    d_star = _ratio(p_data, p_g)
    d = 1.0 / (1.0 + np.exp(-logits))
    return weighted_distance(d, d_star, 0.5 * (p_data + p_g))


ONE_D_RANGE = (-9.0, 9.0)


def one_d_target() -> GaussianMixture:
    r"""Two Gaussians of std 0.5 at :math:`\pm 5`: 20 standard deviations apart."""
    return presets.bimodal(separation=10.0)


def minority_share(samples: np.ndarray) -> np.ndarray:
    """Share of samples on the less visited side of 0, per seed (0.5 balanced, 0 collapsed).

    ``samples`` has shape ``(M, n)`` or ``(M, n, 1)``.
    """
    x = np.asarray(samples).reshape(len(samples), -1)
    right = (x > 0).mean(1)
    return np.minimum(right, 1.0 - right)


def one_d(settings: dict[str, GANConfig] | None = None, *, seeds: int = 8, steps: int = 1500,
          n_snapshots: int = 6, device: str = "cpu", progress: bool = True
          ) -> tuple[dict[str, GANRun], list[dict[str, float]]]:
    r"""Train 1-D GANs on two far-apart modes (:func:`one_d_target`): collapse or not.

    The default settings are the non-saturating GAN (small MLPs, Adam) and the same GAN with
    PacGAN-3 packing. Measured on this machine (``gantheory toy one-d``), most
    seeds of the first end on one mode and every seed of the second covers both.
    Returns the runs and, per setting and snapshot, means over seeds of: :math:`W_1` to the
    target (exact CDF), :math:`\|D - D^*\|` (:func:`weighted_distance`, with the generator's
    density a KDE of its samples), the share of the less visited mode
    (:func:`minority_share`) and the number of seeds with under 10 % there ("collapsed").
    """
    target = one_d_target()
    if settings is None:
        base = GANConfig(latent_dim=1, batch_size=128, g_hidden=(32, 32), d_hidden=(32, 32),
                         d_pieces=1, lr_g=2e-3, lr_d=2e-3, betas=(0.5, 0.999))
        settings = {"non-saturating GAN": base, "PacGAN-3": base.replace(pack=3)}
    xs = np.linspace(*ONE_D_RANGE, 361)[:, None]
    runs, records = {}, []
    snapshot_steps = np.linspace(0, steps, n_snapshots).astype(int).tolist()
    for name, config in settings.items():
        config = config.replace(steps=steps)
        trainer = GANTrainer(config, target, list(range(seeds)), device=device)
        run = trainer.run(snapshot_steps=snapshot_steps, grid=xs, progress=progress)
        runs[name] = run
        for snap in run.snapshots:
            w1s, dists = [], []
            for i in range(seeds):
                w1s.append(w1_to_target_1d(snap.samples[i, :, 0], target))
                dists.append(d_minus_d_star(target, snap.samples[i], snap.logits[i], xs))
            share = minority_share(snap.samples)
            records.append({"setting": name, "step": snap.step, "w1": float(np.mean(w1s)),
                            "d_minus_d_star": float(np.mean(dists)),
                            "minority_share": float(share.mean()),
                            "collapsed_seeds": int((share < 0.1).sum()), "seeds": seeds})
    return runs, records


def saturation(*, d_steps: Sequence[int] = (0, 10, 30, 100, 300, 1000), seeds: int = 5,
               device: str = "cpu") -> list[dict[str, float]]:
    r"""Generator gradient norms of both objectives while D trains against a fixed generator.

    At the start of training the generator is poor and an improving discriminator rejects its
    samples with confidence, :math:`D(G(z)) \to 0`; the saturating objective
    :math:`\log(1 - D(G(z)))` then has gradient :math:`-\sigma(\ell)\,\nabla\ell \to 0` in the
    logit :math:`\ell`, while the non-saturating :math:`-\log D(G(z))` keeps
    :math:`-(1 - \sigma(\ell))\,\nabla\ell` (Goodfellow et al. 2014, Sec. 3). Returns, for each
    number of discriminator steps, the mean over seeds of both gradient norms and of
    :math:`D(G(z))`.
    """
    target = presets.bimodal(separation=6.0)
    config = GANConfig(latent_dim=1, batch_size=256, g_hidden=(32, 32), d_hidden=(32, 32),
                       d_pieces=1, lr_d=2e-3, betas=(0.5, 0.999), steps=1)
    trainer = GANTrainer(config, target, list(range(seeds)), device=device)
    out = []
    done = 0
    for k in sorted(set(d_steps)):
        while done < k:
            noise = trainer.draw_noise()
            with torch.no_grad():
                fake = trainer.generator.apply(trainer.g_params, noise.z_d[0])
            _, total = trainer.d_objective(trainer.d_params, noise.real[0], fake)
            grads = torch.autograd.grad(total, trainer.d_params)
            for p, g in zip(trainer.d_params, grads, strict=True):
                p.grad = g
            trainer.d_opt.step()
            done += 1
        z = trainer.draw_noise().z_g
        row = {"d_steps": k}
        for loss in ("minimax", "non-saturating"):
            trainer.config = config.replace(loss=loss)
            _, total = trainer.g_objective(trainer.g_params, trainer.d_params, z, None)
            grads = torch.autograd.grad(total, trainer.g_params)
            norm = torch.sqrt(sum((g**2).sum() for g in grads) / seeds)
            row[loss] = float(norm)
        with torch.no_grad():
            fake = trainer.generator.apply(trainer.g_params, z)
            row["D(G(z))"] = float(torch.sigmoid(
                trainer.discriminator.apply(trainer.d_params, fake)).mean())
        out.append(row)
    trainer.config = config
    return out


def snapshot_metrics(target: GaussianMixture, steps: Sequence[int], samples: np.ndarray,
                     logits: np.ndarray, grid: np.ndarray) -> list[dict[str, float]]:
    r"""Per snapshot, means over seeds of the mode metrics and of :math:`\|D - D^*\|`.

    Parameters
    ----------
    target : GaussianMixture
        The 2-D target.
    steps : sequence of int
        The snapshots' steps, ``S`` of them.
    samples : numpy.ndarray, shape (S, M, n, 2)
        Generator samples.
    logits : numpy.ndarray, shape (S, M, P)
        Discriminator outputs on ``grid``.
    grid : numpy.ndarray, shape (P, 2)
        An even grid over the view box.

    Returns
    -------
    list of dict
        ``step``, ``modes``, ``high_quality`` (%), ``reverse_kl`` (mean over seeds; ``inf``
        if a seed has no high-quality sample) and ``d_minus_d_star`` (:func:`d_minus_d_star`
        on the grid; only meaningful for losses whose
        optimal discriminator is :math:`D^*`: minimax, non-saturating).
    """
    out = []
    for k, step in enumerate(steps):
        m = mode_metrics(samples[k], target)
        dists = [d_minus_d_star(target, samples[k, i], logits[k, i], grid)
                 for i in range(samples.shape[1])]
        out.append({"step": int(step), "modes": float(np.mean(m.modes_captured)),
                    "high_quality": float(100 * np.mean(m.high_quality_fraction)),
                    "reverse_kl": float(np.mean(m.reverse_kl)),
                    "d_minus_d_star": float(np.mean(dists))})
    return out


def vae_modes(target_name: str = "ring", seeds: int = 10, steps: int = 3000, *,
              config: VAEConfig | None = None, device: str = "cpu",
              progress: bool = True) -> tuple[VAERun, MethodRow]:
    r"""Train the toy VAE on the ring or grid and measure its samples like a GAN's.

    Returns the :class:`~gantheory.toylab.vae.VAERun` and a :class:`MethodRow` named
    ``"vae"`` (samples :math:`x \sim p(x|z)`, :math:`z \sim N(0, I)`). The VAE covers every
    mode (its bound is on the forward KL) but its samples are blurred by the decoder variance
    and by the prior mass between the modes' latent clusters, so few are high quality.
    """
    target = target_named(target_name)
    config = VAEConfig() if config is None else config
    run = train_vae(dataclasses.replace(config, steps=steps), target, seeds, device=device,
                    progress=progress)
    samples = run.sample(PROTOCOL_N_SAMPLES, seed=SAMPLE_SEED)
    return run, method_row("vae", samples, target, steps, run.seconds)


def latent_size_target(dim: int = 8, decay: float = 1.6, seed: int = 0):
    r"""A correlated Gaussian in ``dim`` dimensions with standard deviations
    :math:`\sigma_k = \text{decay}^{-k}`, :math:`k = 0, \dots, d-1`, along random orthogonal
    directions: :math:`\Sigma = R \operatorname{diag}(\sigma^2) R^\top`.

    The rotation matters: a VAE's decoder has a diagonal covariance, so an axis-aligned
    Gaussian needs no latent at all (the posterior collapses, KL = 0); rotated, each latent
    dimension buys reconstruction along one more principal direction, and the directions whose
    variance is below what the decoder's noise absorbs stay unused (probabilistic PCA).

    Examples
    --------
    >>> t = latent_size_target()
    >>> t.dim, bool(np.allclose(np.linalg.eigvalsh(t.cov)[::-1], 1.6 ** (-2.0 * np.arange(8))))
    (8, True)
    """
    rotation, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(dim, dim)))
    variances = float(decay) ** (-2.0 * np.arange(dim))
    return Gaussian(np.zeros(dim), rotation @ np.diag(variances) @ rotation.T)


def vae_latent_sizes(latent_dims: Sequence[int], *, seeds: int, steps: int,
                     hidden: tuple[int, ...], device: str = "cpu") -> dict[str, np.ndarray]:
    r"""Train toy VAEs on :func:`latent_size_target` with each latent size; the ELBO terms.

    Returns arrays over ``latent_dims``: ``kl`` and ``reconstruction`` (:math:`-\mathbb
    E_q[\log p(x|z)]`), means over the seeds of each seed's mean over the last tenth of the
    steps, with their standard errors ``kl_se`` and ``reconstruction_se`` (NaN for one seed;
    :func:`gantheory.stats.mean_and_standard_error`).
    """
    target = latent_size_target()
    out: dict[str, list[float]] = {k: [] for k in ("kl", "kl_se", "reconstruction",
                                                   "reconstruction_se")}
    for j in latent_dims:
        config = VAEConfig(latent_dim=int(j), steps=steps, hidden=hidden)
        run = train_vae(config, target, seeds, device=device, progress=False)
        tail = max(1, len(run.kl) // 10)
        for key, values in (("kl", run.kl[-tail:].mean(0)),
                            ("reconstruction", -run.log_likelihood[-tail:].mean(0))):
            mean, se = mean_and_standard_error(values)
            out[key].append(mean)
            out[key + "_se"].append(se)
    return {k: np.asarray(v) for k, v in out.items()}
