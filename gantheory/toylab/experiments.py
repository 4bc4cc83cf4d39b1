r"""The toy-lab experiments behind ``gantheory toy``: each writes one table and its figures.

* :func:`mode_collapse` -- the ring of 8 or the grid of 25 (PacGAN's setup), every method of
  :data:`~gantheory.toylab.config.METHODS` over many seeds, the PacGAN/VEEGAN mode metrics as
  mean :math:`\pm` standard error, printed beside the published rows (:data:`PUBLISHED`).
* :func:`one_d` -- a 1-D bimodal target: the generator's histogram against the data density
  over training for a collapsing and a non-collapsing setting, the discriminator beside the
  optimal :math:`D^* = p_\text{data}/(p_\text{data} + p_g)` of the current generator (its
  density estimated by a KDE of its samples), :math:`\|D - D^*\|` and :math:`W_1` to the target.
* :func:`saturation` -- the saturating and the non-saturating generator gradients at the start
  of training as the discriminator improves (Goodfellow et al. 2014, Sec. 3).

Every function takes the sizes as arguments; the command line's defaults are CPU-scale and
say so in the tables they write.
"""

from __future__ import annotations

import csv
import dataclasses
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from scipy.stats import gaussian_kde

from gantheory import presets
from gantheory.distributions import GaussianMixture
from gantheory.toylab import metrics
from gantheory.toylab.config import METHODS, GANConfig, method_config
from gantheory.toylab.gan import GANRun, GANTrainer

#: Published rows to print beside ours: Lin et al. 2018 (PacGAN), Table 1, 10 trials, mean and
#: standard error, as quoted in ``shared/anchors.md``. Keys: our method names.
PUBLISHED: dict[str, dict[str, tuple[float, ...]]] = {
    # (modes, s.e., high quality %, s.e., reverse KL, s.e.)
    "ring": {
        "gan": (6.3, 0.5, 98.2, 0.2, 0.45, 0.09),
        "pacgan2": (7.9, 0.1, 95.6, 2.0, 0.07, 0.03),
        "pacgan3": (7.8, 0.1, 97.7, 0.3, 0.10, 0.02),
        "pacgan4": (7.8, 0.1, 95.9, 1.4, 0.07, 0.02),
    },
    "grid": {
        "gan": (17.3, 0.8, 94.8, 0.7, 0.70, 0.07),
        "pacgan2": (23.8, 0.7, 91.3, 0.8, 0.13, 0.04),
        "pacgan3": (24.6, 0.4, 94.2, 0.4, 0.06, 0.02),
        "pacgan4": (24.8, 0.2, 93.6, 0.6, 0.04, 0.01),
    },
}
PUBLISHED_SOURCE = ("Lin et al. 2018 (PacGAN), Table 1: 4x400 BN-ReLU generator, 3x200 maxout "
                    "discriminator, Adam 1e-4, ~400k steps, 10 trials")

TARGETS = {"ring": presets.ring, "grid": presets.grid}


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


def target_named(name: str) -> GaussianMixture:
    """The named 2-D target of the mode-collapse experiment (``ring`` or ``grid``)."""
    if name not in TARGETS:
        raise ValueError(f"target must be one of {sorted(TARGETS)}; got {name!r}")
    return TARGETS[name]()


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


def measure(run: GANRun, method: str, n_samples: int = 2500,
            sample_seed: int = 12345) -> MethodRow:
    """The mode metrics of a run's final generators (``n_samples`` per seed)."""
    samples = run.sample(n_samples, seed=sample_seed)  # (M, n, d)
    m = metrics.mode_metrics(samples, run.target)
    rows = {}
    for key, values in (("modes", m.modes_captured),
                        ("high_quality", 100.0 * np.asarray(m.high_quality_fraction)),
                        ("reverse_kl", m.reverse_kl)):
        s = metrics.summarize(np.asarray(values, dtype=float))
        rows[key], rows[key + "_se"] = float(s.mean), float(s.se)
    return MethodRow(method, run.n_seeds, run.config.steps, seconds=run.seconds, **rows)


def mode_collapse(target_name: str = "ring", methods: Sequence[str] = tuple(METHODS),
                  seeds: int = 10, steps: int = 3000, *, base: GANConfig | None = None,
                  device: str = "cpu", snapshot_steps: Sequence[int] = (),
                  progress: bool = True) -> tuple[list[MethodRow], dict[str, GANRun]]:
    """Train every method on the target over ``seeds`` seeds and measure mode collapse.

    Returns the rows (one per method) and the runs (for figures).
    """
    target = target_named(target_name)
    box = view_box(target)
    grid = grid_points(box, 48)
    rows, runs = [], {}
    for method in methods:
        config = method_config(method, base, steps=steps)
        trainer = GANTrainer(config, target, list(range(seeds)), device=device)
        if progress:
            print(f"[{target_name}] {method}: {seeds} seeds x {steps} steps", flush=True)
        run = trainer.run(snapshot_steps=snapshot_steps, grid=grid, progress=progress)
        rows.append(measure(run, method))
        runs[method] = run
    return rows, runs


def _fmt(mean: float, se: float, digits: int) -> str:
    if math.isnan(se):
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} ± {se:.{digits}f}"


def markdown_table(rows: Sequence[MethodRow], target_name: str, *, device: str = "cpu",
                   commit: str = "") -> str:
    """Our rows and the published rows of the same target, as a markdown table."""
    n_modes = target_named(target_name).n_components
    lines = [
        f"| method | source | seeds | steps | modes /{n_modes} | high quality % | reverse KL |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.method} | gantheory ({device}{', ' + commit if commit else ''}) | {r.seeds} "
            f"| {r.steps} | {_fmt(r.modes, r.modes_se, 1)} | "
            f"{_fmt(r.high_quality, r.high_quality_se, 1)} | "
            f"{_fmt(r.reverse_kl, r.reverse_kl_se, 2)} |"
        )
        pub = PUBLISHED.get(target_name, {}).get(r.method)
        if pub is not None:
            lines.append(
                f"| {r.method} | PacGAN Table 1 | 10 | ~400k | {_fmt(pub[0], pub[1], 1)} | "
                f"{_fmt(pub[2], pub[3], 1)} | {_fmt(pub[4], pub[5], 2)} |"
            )
    lines.append("")
    lines.append(f"Published rows: {PUBLISHED_SOURCE}. Mean ± standard error over seeds.")
    return "\n".join(lines) + "\n"


def write_rows_csv(rows: Sequence[MethodRow], path: Path) -> Path:
    """Our rows as CSV (one line per method, published rows not included)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(asdict(rows[0])))
        writer.writeheader()
        for r in rows:
            writer.writerow(asdict(r))
    return path


# -- figures of the mode-collapse experiment ---------------------------------------------------
def plot_samples(runs: dict[str, GANRun], path: Path, n_seeds: int = 3) -> Path:
    """Final samples of the first seeds of every method over the target's means."""
    from gantheory import plotting

    methods = list(runs)
    n_cols = min(n_seeds, min(r.n_seeds for r in runs.values()))
    fig, axes = plotting.figure(len(methods), n_cols, size=(2.1, 2.1), layout="constrained")
    for i, method in enumerate(methods):
        run = runs[method]
        samples = run.sample(2500, seed=12345)
        means = np.asarray(run.target.means)
        box = view_box(run.target)
        for j in range(n_cols):
            ax = axes[i][j]
            ax.scatter(samples[j, :, 0], samples[j, :, 1], s=1, color=plotting.GENERATOR,
                       alpha=0.4, rasterized=True)
            ax.scatter(means[:, 0], means[:, 1], s=12, color=plotting.DATA, marker="x")
            ax.set_xlim(box[0], box[1])
            ax.set_ylim(box[2], box[3])
            ax.set_aspect("equal")
            ax.set_xticks([])
            ax.set_yticks([])
            if j == 0:
                ax.set_ylabel(method)
            if i == 0:
                ax.set_title(f"seed {run.seeds[j]}")
    fig.suptitle("generator samples (orange) and data means (x)")
    return plotting.save(fig, path)


def plot_mode_bars(rows: Sequence[MethodRow], target_name: str, path: Path) -> Path:
    """Bar charts of modes, high quality and reverse KL with error bars and published rows."""
    from gantheory import plotting

    fig, axes = plotting.figure(1, 3, size=(3.6, 3.0), layout="constrained")
    names = [r.method for r in rows]
    x = np.arange(len(rows))
    pub = PUBLISHED.get(target_name, {})
    specs = [("modes", "modes captured", 0), ("high_quality", "high quality (%)", 2),
             ("reverse_kl", "reverse KL (nats)", 4)]
    for ax, (key, label, k) in zip(axes[0], specs, strict=True):
        ours = [getattr(r, key) if math.isfinite(getattr(r, key)) else np.nan for r in rows]
        err = [0.0 if math.isnan(getattr(r, key + "_se")) else getattr(r, key + "_se")
               for r in rows]
        ax.bar(x - 0.2, ours, 0.4, yerr=err, color=plotting.GENERATOR, label="gantheory")
        pv = [pub[n][k] if n in pub else np.nan for n in names]
        pe = [pub[n][k + 1] if n in pub else 0.0 for n in names]
        ax.bar(x + 0.2, pv, 0.4, yerr=pe, color=plotting.PUBLISHED, hatch="//",
               label="PacGAN Table 1")
        ax.set_xticks(x, names, rotation=60, ha="right")
        ax.set_ylabel(label)
    axes[0][0].axhline(target_named(target_name).n_components, color=plotting.DATA, lw=0.8,
                       ls=":")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)
    seeds = sorted({r.seeds for r in rows})
    steps = sorted({r.steps for r in rows})
    fig.suptitle(f"mode collapse on the {target_name}: mean ± s.e. over "
                 f"{'/'.join(map(str, seeds))} seeds, {'/'.join(map(str, steps))} steps "
                 "(PacGAN: 10 trials, ~400k steps)")
    return plotting.save(fig, path)


def kde_optimal_discriminator(target: GaussianMixture, samples: np.ndarray,
                              points: np.ndarray) -> np.ndarray:
    r""":math:`\hat D^*(x) = p_\text{data}(x) / (p_\text{data}(x) + \hat p_g(x))` at ``points``.

    :math:`\hat p_g` is a Gaussian KDE (Scott's rule) of the generator's ``samples``; where both
    densities vanish in floating point the value is NaN (undefined, drawn blank).
    """
    p_data = target.pdf(points)
    p_g = gaussian_kde(samples.T)(points.T)
    total = p_data + p_g
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 1e-300, p_data / total, np.nan)


def plot_evolution(run: GANRun, path: Path, seed_index: int = 0) -> Path:
    """Snapshots of one seed: samples over the data, D on a grid, and the KDE-estimated D*."""
    from gantheory import plotting

    snaps = [s for s in run.snapshots if s.logits is not None]
    box = view_box(run.target)
    n_grid = int(round(math.sqrt(snaps[0].logits.shape[1])))
    points = grid_points(box, n_grid)
    means = np.asarray(run.target.means)
    fig, axes = plotting.figure(3, len(snaps), size=(2.0, 2.0), layout="constrained")
    extent = box
    for j, snap in enumerate(snaps):
        samples = snap.samples[seed_index]
        d = 1.0 / (1.0 + np.exp(-snap.logits[seed_index]))
        d_star = kde_optimal_discriminator(run.target, samples, points)
        ax = axes[0][j]
        ax.scatter(samples[:, 0], samples[:, 1], s=1, color=plotting.GENERATOR, alpha=0.4,
                   rasterized=True)
        ax.scatter(means[:, 0], means[:, 1], s=10, color=plotting.DATA, marker="x")
        ax.set_title(f"step {snap.step}")
        for row, field, label in ((1, d, "D(x)"), (2, d_star, "D*(x), KDE")):
            im = axes[row][j].imshow(field.reshape(n_grid, n_grid), origin="lower",
                                     extent=extent, vmin=0, vmax=1, cmap="RdBu_r")
            if j == 0:
                axes[row][j].set_ylabel(label)
        for row in range(3):
            axes[row][j].set_xlim(box[0], box[1])
            axes[row][j].set_ylim(box[2], box[3])
            axes[row][j].set_xticks([])
            axes[row][j].set_yticks([])
            axes[row][j].set_aspect("equal")
    axes[0][0].set_ylabel("samples")
    fig.colorbar(im, ax=axes[1:, -1].tolist(), shrink=0.8)
    fig.suptitle(f"{run.config.loss} GAN, seed {run.seeds[seed_index]}")
    return plotting.save(fig, path)


def animate_evolution(run: GANRun, path: Path, seed_index: int = 0) -> Path:
    """An animated GIF of the snapshots: samples beside D and the KDE-estimated D*."""
    from matplotlib.animation import FuncAnimation, PillowWriter

    from gantheory import plotting

    snaps = [s for s in run.snapshots if s.logits is not None]
    box = view_box(run.target)
    n_grid = int(round(math.sqrt(snaps[0].logits.shape[1])))
    points = grid_points(box, n_grid)
    means = np.asarray(run.target.means)
    fig, axes = plotting.figure(1, 3, size=(2.4, 2.4))
    axes = axes[0]

    def draw(k: int):
        snap = snaps[k]
        samples = snap.samples[seed_index]
        d = 1.0 / (1.0 + np.exp(-snap.logits[seed_index]))
        d_star = kde_optimal_discriminator(run.target, samples, points)
        for ax in axes:
            ax.clear()
            ax.set_xlim(box[0], box[1])
            ax.set_ylim(box[2], box[3])
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_aspect("equal")
        axes[0].scatter(samples[:, 0], samples[:, 1], s=1, color=plotting.GENERATOR,
                        alpha=0.4)
        axes[0].scatter(means[:, 0], means[:, 1], s=10, color=plotting.DATA, marker="x")
        axes[0].set_title(f"samples, step {snap.step}")
        axes[1].imshow(d.reshape(n_grid, n_grid), origin="lower", extent=box, vmin=0, vmax=1)
        axes[1].set_title("D(x)")
        axes[2].imshow(d_star.reshape(n_grid, n_grid), origin="lower", extent=box, vmin=0,
                       vmax=1)
        axes[2].set_title("D*(x) (KDE of samples)")
        return []

    anim = FuncAnimation(fig, draw, frames=len(snaps), blit=False)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    anim.save(path, writer=PillowWriter(fps=2))
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


# -- 1-D ----------------------------------------------------------------------------------------
def weighted_distance(d: np.ndarray, d_star: np.ndarray, weight: np.ndarray) -> float:
    r""":math:`\|D - D^*\|` as the RMS over the points weighted by ``weight`` (NaN skipped).

    With ``weight`` :math:`= (p_\text{data} + p_g)/2` on an even grid this is the
    :math:`L^2` distance under the mixture the discriminator is trained on.
    """
    ok = np.isfinite(d_star)
    w = weight[ok] / weight[ok].sum()
    return float(np.sqrt(np.sum(w * (d[ok] - d_star[ok]) ** 2)))


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
    PacGAN-3 packing. Measured on this machine (``gantheory toy --experiment one-d``), most
    seeds of the first end on one mode and every seed of the second covers both.
    Returns the runs and, per setting and snapshot, means over seeds of: :math:`W_1` to the
    target (exact CDF), :math:`\|D - D^*\|` (:func:`weighted_distance`, with the generator's
    density a KDE of its samples), the share of the less visited mode
    (:func:`minority_share`) and the number of seeds with under 10 % there ("collapsed").
    """
    target = one_d_target()
    if settings is None:
        base = GANConfig(z_dim=1, batch_size=128, g_hidden=(32, 32), d_hidden=(32, 32),
                         d_pieces=1, lr_g=2e-3, lr_d=2e-3, betas=(0.5, 0.999))
        settings = {"non-saturating GAN": base, "PacGAN-3": base.replace(pack=3)}
    xs = np.linspace(*ONE_D_RANGE, 361)[:, None]
    p_data = target.pdf(xs)
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
                w1s.append(metrics.w1_to_target_1d(snap.samples[i, :, 0], target))
                p_g = gaussian_kde(snap.samples[i, :, 0])(xs[:, 0])
                with np.errstate(invalid="ignore", divide="ignore"):
                    d_star = np.where(p_data + p_g > 0, p_data / (p_data + p_g), np.nan)
                d = 1.0 / (1.0 + np.exp(-snap.logits[i]))
                dists.append(weighted_distance(d, d_star, 0.5 * (p_data + p_g)))
            share = minority_share(snap.samples)
            records.append({"setting": name, "step": snap.step, "w1": float(np.mean(w1s)),
                            "d_minus_d_star": float(np.mean(dists)),
                            "minority_share": float(share.mean()),
                            "collapsed_seeds": int((share < 0.1).sum()), "seeds": seeds})
    return runs, records


def plot_one_d(runs: dict[str, GANRun], path: Path, seed_index: int | None = None) -> Path:
    """Histograms of one seed's generator over training against the data density, with D
    and the KDE-estimated D*; by default the seed that collapses most in the first setting.
    """
    from gantheory import plotting

    names = list(runs)
    if seed_index is None:
        seed_index = int(np.argmin(minority_share(runs[names[0]].snapshots[-1].samples)))
    n_snap = len(runs[names[0]].snapshots)
    fig, axes = plotting.figure(len(names), n_snap, size=(2.2, 2.0), layout="constrained")
    xs = np.linspace(*ONE_D_RANGE, 361)
    for i, name in enumerate(names):
        run = runs[name]
        p_data = run.target.pdf(xs[:, None])
        for j, snap in enumerate(run.snapshots):
            ax = axes[i][j]
            samples = snap.samples[seed_index, :, 0]
            ax.hist(samples, bins=90, range=ONE_D_RANGE, density=True,
                    color=plotting.GENERATOR, alpha=0.6, label="generator")
            ax.plot(xs, p_data, color=plotting.DATA, lw=1.2, label="data")
            ax.set_ylim(0, 2.5 * p_data.max())
            twin = ax.twinx()
            d = 1.0 / (1.0 + np.exp(-snap.logits[seed_index]))
            p_g = gaussian_kde(samples)(xs)
            with np.errstate(invalid="ignore", divide="ignore"):
                d_star = np.where(p_data + p_g > 0, p_data / (p_data + p_g), np.nan)
            twin.plot(xs, d, color=plotting.DISCRIMINATOR, lw=1, label="D")
            twin.plot(xs, d_star, color=plotting.OPTIMAL, lw=1, ls="--", label="D* (KDE)")
            twin.set_ylim(0, 1)
            if j < n_snap - 1:
                twin.set_yticks([])
            ax.set_title(f"{name}, step {snap.step}", fontsize=7)
            if j > 0:
                ax.set_yticks([])
        if i == 0:
            h1, l1 = axes[0][0].get_legend_handles_labels()
            h2, l2 = twin.get_legend_handles_labels()
            axes[0][-1].legend(h1 + h2, l1 + l2, loc="upper center", fontsize=6)
    for ax in axes[-1]:
        ax.set_xlabel("x")
    fig.suptitle(f"1-D GAN, seed {runs[names[0]].seeds[seed_index]}: generator histogram and "
                 "data density (left axis), D and D* (right axis)")
    return plotting.save(fig, path)


# -- saturation ------------------------------------------------------------------------------
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
    config = GANConfig(z_dim=1, batch_size=256, g_hidden=(32, 32), d_hidden=(32, 32),
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


def plot_saturation(records: list[dict[str, float]], path: Path) -> Path:
    """Gradient norms of both generator objectives against discriminator steps."""
    from gantheory import plotting

    fig, axes = plotting.figure(1, 2, size=(3.4, 2.6))
    k = [max(r["d_steps"], 0.5) for r in records]
    axes[0][0].loglog(k, [r["minimax"] for r in records], "o-", label="saturating log(1 - D)")
    axes[0][0].loglog(k, [r["non-saturating"] for r in records], "s-",
                      label="non-saturating -log D")
    axes[0][0].set_xlabel("discriminator steps, generator fixed (0 drawn at 0.5)")
    axes[0][0].set_ylabel("generator gradient norm")
    axes[0][0].legend()
    axes[0][1].semilogx(k, [r["D(G(z))"] for r in records], "o-",
                        color=plotting.DISCRIMINATOR)
    axes[0][1].set_xlabel("discriminator steps")
    axes[0][1].set_ylabel("mean D(G(z))")
    fig.suptitle("vanishing generator gradient at the start of training")
    return plotting.save(fig, path)


# -- Dirac-GAN ---------------------------------------------------------------------------------
def dirac_table(step: float = 0.1, n_steps: int = 4000, start: tuple[float, float] = (0.1, 0.1)
                ) -> list[dict[str, object]]:
    """Per Dirac-GAN method: Jacobian eigenvalues (closed form and numerical) at the
    equilibrium, and for both update rules the predicted and the simulated behaviour.
    """
    from gantheory.toylab import dirac

    rows = []
    for method in dirac.METHODS:
        row: dict[str, object] = {"method": method}
        if method == "wgan-gp":
            row["eigenvalues"] = "none (penalty not differentiable at psi = 0)"
            row["numerical"] = ""
        else:
            closed = dirac.eigenvalues(method)
            numeric = dirac.eigenvalues(method, numerical=True)
            row["eigenvalues"] = " ".join(f"{e:.6g}" for e in closed)
            row["numerical"] = " ".join(f"{e:.6g}" for e in numeric)
            row["max_difference"] = float(np.max(np.abs(closed - numeric)))
        for update in dirac.UPDATES:
            traj = dirac.simulate(method, start[0], start[1], step, n_steps, update)
            row[f"{update}_simulated"] = dirac.classify(traj)
            row[f"{update}_predicted"] = ("n/a" if method == "wgan-gp"
                                          else dirac.predict(method, step, update))
        rows.append(row)
    return rows


def plot_dirac(path: Path, step: float = 0.1, n_steps: int = 600,
               start: tuple[float, float] = (1.0, 1.0)) -> Path:
    """The vector field of every method with its simultaneous and alternating trajectories.

    ``n_steps`` steps from ``start`` are drawn (far enough out to be seen). Each legend gives
    the verdict (converges, cycles, diverges) of the local theory's test, the simulated
    column of :func:`dirac_table` at the same step size (4,000 steps from (0.1, 0.1)). From
    a distant start the GAN's saturating :math:`f'` slows the outward spiral of simultaneous
    steps so much that a few hundred steps of it look like a cycle.
    """
    from gantheory import plotting
    from gantheory.toylab import dirac

    methods = dirac.METHODS
    verdicts = {row["method"]: row for row in dirac_table(step)}
    fig, axes = plotting.figure(2, 3, size=(2.8, 3.0), layout="constrained")
    lim = 2.0
    th, ps = np.meshgrid(np.linspace(-lim, lim, 17), np.linspace(-lim, lim, 17))
    for ax, method in zip(axes.ravel(), methods, strict=True):
        v_theta, v_psi = dirac.vector_field(method, th, ps)
        norm = np.hypot(v_theta, v_psi) + 1e-12  # directions only; speeds differ by method
        ax.quiver(th, ps, v_theta / norm, v_psi / norm, color="#bbbbbb", angles="xy")
        for update, colour in (("simultaneous", plotting.GENERATOR),
                               ("alternating", plotting.DISCRIMINATOR)):
            traj = dirac.simulate(method, start[0], start[1], step, n_steps, update)
            ax.plot(traj[:, 0], traj[:, 1], color=colour, lw=0.9,
                    label=f"{update}: {verdicts[method][f'{update}_simulated']}")
        ax.plot([0], [0], "o", color=plotting.OPTIMAL, ms=4)
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_title(method)
        ax.set_xlabel("θ (generator)")
        ax.set_ylabel("ψ (discriminator)")
        ax.legend(loc="lower left", fontsize=6)
    fig.suptitle(f"Dirac-GAN: gradient fields and {n_steps} steps of size {step} from {start}; "
                 "legends: the verdict near the equilibrium (4,000 steps from (0.1, 0.1))")
    return plotting.save(fig, path)


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
        if a seed has no high-quality sample) and ``d_minus_d_star`` (:func:`weighted_distance`
        of :math:`\sigma(\text{logit})` to the KDE-estimated :math:`D^*`, weighted by
        :math:`(p_\text{data} + \hat p_g)/2` on the grid; only meaningful for losses whose
        optimal discriminator is :math:`D^*`: minimax, non-saturating).
    """
    p_data = target.pdf(grid)
    out = []
    for k, step in enumerate(steps):
        m = metrics.mode_metrics(samples[k], target)
        dists = []
        for i in range(samples.shape[1]):
            p_g = gaussian_kde(samples[k, i].T)(grid.T)
            with np.errstate(invalid="ignore", divide="ignore"):
                d_star = np.where(p_data + p_g > 1e-300, p_data / (p_data + p_g), np.nan)
            d = 1.0 / (1.0 + np.exp(-logits[k, i]))
            dists.append(weighted_distance(d, d_star, 0.5 * (p_data + p_g)))
        out.append({"step": int(step), "modes": float(np.mean(m.modes_captured)),
                    "high_quality": float(100 * np.mean(m.high_quality_fraction)),
                    "reverse_kl": float(np.mean(m.reverse_kl)),
                    "d_minus_d_star": float(np.mean(dists))})
    return out


# -- the toy VAE --------------------------------------------------------------------------------
def vae_modes(target_name: str = "ring", seeds: int = 10, steps: int = 3000, *,
              config=None, device: str = "cpu", progress: bool = True):
    r"""Train the toy VAE on the ring or grid and measure its samples like a GAN's.

    Returns the :class:`~gantheory.toylab.vae.VAERun` and a :class:`MethodRow` named
    ``"vae"`` (samples :math:`x \sim p(x|z)`, :math:`z \sim N(0, I)`). The VAE covers every
    mode (its bound is on the forward KL) but its samples are blurred by the decoder variance
    and by the prior mass between the modes' latent clusters, so few are high quality.
    """
    from gantheory.toylab.config import VAEConfig
    from gantheory.toylab.vae import train_vae

    target = target_named(target_name)
    config = VAEConfig() if config is None else config
    run = train_vae(dataclasses.replace(config, steps=steps), target, seeds, device=device,
                    progress=progress)
    samples = run.sample(2500, seed=12345)
    m = metrics.mode_metrics(samples, target)
    values = {}
    for key, v in (("modes", m.modes_captured),
                   ("high_quality", 100.0 * np.asarray(m.high_quality_fraction)),
                   ("reverse_kl", m.reverse_kl)):
        s = metrics.summarize(np.asarray(v, dtype=float))
        values[key], values[key + "_se"] = float(s.mean), float(s.se)
    return run, MethodRow("vae", seeds, steps, seconds=run.seconds, **values)


def plot_vae(run, path: Path, seed_index: int = 0) -> Path:
    """Data vs VAE samples, the encoder's means of data coloured by mode, decoded latent grid."""
    from gantheory import plotting

    target = run.target
    box = view_box(target)
    data = target.sample(2000, seed=3)
    means = np.asarray(target.means)
    mode = np.linalg.norm(data[:, None] - means[None], axis=-1).argmin(1)
    fig, axes = plotting.figure(1, 3, size=(3.0, 3.0), layout="constrained")
    ax = axes[0][0]
    samples = run.sample(2500, seed=12345)[seed_index]
    ax.scatter(samples[:, 0], samples[:, 1], s=1, color=plotting.GENERATOR, alpha=0.4,
               label="VAE samples", rasterized=True)
    ax.scatter(means[:, 0], means[:, 1], s=12, color=plotting.DATA, marker="x",
               label="data means")
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_title("x ~ p(x|z), z ~ N(0, I)")
    ax.legend(loc="lower left", fontsize=6)
    mu, _ = run.encode(data)
    ax = axes[0][1]
    ax.scatter(mu[seed_index, :, 0], mu[seed_index, :, 1], c=mode, s=2, cmap="tab20")
    ax.set_title("encoder means of data (colour: mode)")
    ax.set_xlabel("z1")
    ax.set_ylabel("z2")
    ax = axes[0][2]
    z1, z2 = np.meshgrid(np.linspace(-3, 3, 25), np.linspace(-3, 3, 25))
    z = np.stack([z1.ravel(), z2.ravel()], 1)
    with torch.no_grad():
        p0 = run.dec_params[0]
        zz = torch.as_tensor(z, dtype=p0.dtype, device=p0.device).expand(len(run.seeds), -1, -1)
        decoded = run.decode(zz)[0][seed_index].cpu().numpy()
    ax.scatter(decoded[:, 0], decoded[:, 1], c=np.hypot(z[:, 0], z[:, 1]), s=4, cmap="viridis")
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_title("decoder means on a z grid (colour: |z|)")
    for a in (axes[0][0], axes[0][2]):  # data space; the latent panel keeps its own scale
        a.set_aspect("equal")
    fig.suptitle(f"toy VAE (2-D latent), seed {run.seeds[seed_index]}")
    return plotting.save(fig, path)
