r"""The toy lab's figures: one plot function per figure.

=================================  ==========================================================
:func:`plot_samples`               final samples of every method over the target's means
:func:`plot_mode_bars`             modes, high quality, reverse KL beside PacGAN's rows
:func:`plot_evolution`             one seed's samples, D and the KDE-estimated D* over training
:func:`animate_evolution`          the same as an animated GIF
:func:`plot_one_d`                 1-D histograms over training with D and D*
:func:`plot_saturation`            both generator gradients while D trains
:func:`plot_dirac`                 Dirac-GAN vector fields and trajectories
:func:`plot_vae`                   the toy VAE's samples, encoder means and decoded grid
:func:`plot_vae_latent_size`       the ELBO terms of toy VAEs against latent size
=================================  ==========================================================

They draw what the experiments of :mod:`gantheory.toylab.experiments` return. Given a
``path`` they save the figure there, close it and return the path (what ``gantheory toy``
does); without one they return the open figure (what a gallery example or a notebook
does). This is the only toy-lab module that imports matplotlib.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from gantheory import dirac, plotting
from gantheory.toyconfig import target_named
from gantheory.toylab.experiments import (
    ONE_D_RANGE,
    SAMPLE_SEED,
    MethodRow,
    grid_points,
    kde_optimal_discriminator,
    minority_share,
    view_box,
)
from gantheory.toylab.gan import GANRun, Snapshot
from gantheory.toylab.reporting import PUBLISHED
from gantheory.toylab.vae import VAERun


def _finish(fig: Figure, path: Path | None) -> Path | Figure:
    """Save ``fig`` to ``path`` and close it, returning the path; or return ``fig`` open."""
    return fig if path is None else plotting.save(fig, path)


def plot_samples(runs: dict[str, GANRun], path: Path | None = None,
                 n_seeds: int = 3) -> Path | Figure:
    """Final samples of the first seeds of every method over the target's means."""
    methods = list(runs)
    n_cols = min(n_seeds, min(r.n_seeds for r in runs.values()))
    fig, axes = plotting.figure(len(methods), n_cols, size=(2.1, 2.1), layout="constrained")
    for i, method in enumerate(methods):
        run = runs[method]
        samples = run.sample(2500, seed=SAMPLE_SEED)
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
    return _finish(fig, path)


def plot_mode_bars(rows: Sequence[MethodRow], target_name: str,
                   path: Path | None = None) -> Path | Figure:
    """Bar charts of modes, high quality and reverse KL with error bars and published rows."""
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
    return _finish(fig, path)


def _evolution_frames(run: GANRun, seed_index: int
                      ) -> Iterator[tuple[Snapshot, np.ndarray, np.ndarray, np.ndarray]]:
    r"""Per snapshot with discriminator outputs: the snapshot, seed ``seed_index``'s samples,
    :math:`D = \sigma(\text{logit})` and the KDE-estimated :math:`D^*` on the snapshot grid.
    """
    snaps = [s for s in run.snapshots if s.logits is not None]
    n_grid = _grid_size(snaps[0])
    points = grid_points(view_box(run.target), n_grid)
    for snap in snaps:
        samples = snap.samples[seed_index]
        d = 1.0 / (1.0 + np.exp(-snap.logits[seed_index]))
        yield snap, samples, d, kde_optimal_discriminator(run.target, samples, points)


def _grid_size(snapshot: Snapshot) -> int:
    """Points per side of the square grid the discriminator was evaluated on."""
    return int(round(math.sqrt(snapshot.logits.shape[1])))


def _square_axes(ax, box: tuple[float, float, float, float]) -> None:
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_aspect("equal")


def plot_evolution(run: GANRun, path: Path | None = None,
                   seed_index: int = 0) -> Path | Figure:
    """Snapshots of one seed: samples over the data, D on a grid, and the KDE-estimated D*."""
    frames = list(_evolution_frames(run, seed_index))
    box = view_box(run.target)
    n_grid = _grid_size(frames[0][0])
    means = np.asarray(run.target.means)
    fig, axes = plotting.figure(3, len(frames), size=(2.0, 2.0), layout="constrained")
    for j, (snap, samples, d, d_star) in enumerate(frames):
        ax = axes[0][j]
        ax.scatter(samples[:, 0], samples[:, 1], s=1, color=plotting.GENERATOR, alpha=0.4,
                   rasterized=True)
        ax.scatter(means[:, 0], means[:, 1], s=10, color=plotting.DATA, marker="x")
        ax.set_title(f"step {snap.step}")
        for row, field, label in ((1, d, "D(x)"), (2, d_star, "D*(x), KDE")):
            im = axes[row][j].imshow(field.reshape(n_grid, n_grid), origin="lower",
                                     extent=box, vmin=0, vmax=1, cmap="RdBu_r")
            if j == 0:
                axes[row][j].set_ylabel(label)
        for row in range(3):
            _square_axes(axes[row][j], box)
    axes[0][0].set_ylabel("samples")
    fig.colorbar(im, ax=axes[1:, -1].tolist(), shrink=0.8)
    fig.suptitle(f"{run.config.describe()}, seed {run.seeds[seed_index]}")
    return _finish(fig, path)


def animate_evolution(run: GANRun, path: Path, seed_index: int = 0) -> Path:
    """An animated GIF of the snapshots: samples beside D and the KDE-estimated D*."""
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation, PillowWriter

    frames = list(_evolution_frames(run, seed_index))
    box = view_box(run.target)
    n_grid = _grid_size(frames[0][0])
    means = np.asarray(run.target.means)
    fig, axes = plotting.figure(1, 3, size=(2.4, 2.4))
    axes = axes[0]

    def draw(k: int):
        snap, samples, d, d_star = frames[k]
        for ax in axes:
            ax.clear()
            _square_axes(ax, box)
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

    anim = FuncAnimation(fig, draw, frames=len(frames), blit=False)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    anim.save(path, writer=PillowWriter(fps=2))
    plt.close(fig)
    return path


def plot_one_d(runs: dict[str, GANRun], path: Path | None = None,
               seed_index: int | None = None) -> Path | Figure:
    """Histograms of one seed's generator over training against the data density, with D
    and the KDE-estimated D*; by default the seed that collapses most in the first setting.
    """
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
            d_star = kde_optimal_discriminator(run.target, samples[:, None], xs[:, None])
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
    return _finish(fig, path)


def plot_saturation(records: list[dict[str, float]],
                    path: Path | None = None) -> Path | Figure:
    """Gradient norms of both generator objectives against discriminator steps."""
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
    return _finish(fig, path)


def plot_dirac(path: Path | None = None, step: float = 0.1, n_steps: int = 600,
               start: tuple[float, float] = (1.0, 1.0)) -> Path | Figure:
    """The vector field of every method with its simultaneous and alternating trajectories.

    ``n_steps`` steps from ``start`` are drawn (far enough out to be seen). Each legend gives
    the verdict (converges, cycles, diverges) of the local theory's test, the simulated
    column of :func:`gantheory.dirac.behaviour_table` at the same step size (4,000 steps from
    (0.1, 0.1)). From a distant start the GAN's saturating :math:`f'` slows the outward
    spiral of simultaneous steps so much that a few hundred steps of it look like a cycle.
    """
    methods = dirac.METHODS
    verdicts = {row["method"]: row for row in dirac.behaviour_table(step)}
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
    return _finish(fig, path)


def plot_vae(run: VAERun, path: Path | None = None,
             seed_index: int = 0) -> Path | Figure:
    """Data vs VAE samples, the encoder's means of data coloured by mode, decoded latent grid."""
    target = run.target
    box = view_box(target)
    data = target.sample(2000, seed=3)
    means = np.asarray(target.means)
    mode = np.linalg.norm(data[:, None] - means[None], axis=-1).argmin(1)
    fig, axes = plotting.figure(1, 3, size=(3.0, 3.0), layout="constrained")
    ax = axes[0][0]
    samples = run.sample(2500, seed=SAMPLE_SEED)[seed_index]
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
    decoded = run.decoded_means(z)[seed_index]
    ax.scatter(decoded[:, 0], decoded[:, 1], c=np.hypot(z[:, 0], z[:, 1]), s=4, cmap="viridis")
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_title("decoder means on a z grid (colour: |z|)")
    for a in (axes[0][0], axes[0][2]):  # data space; the latent panel keeps its own scale
        a.set_aspect("equal")
    fig.suptitle(f"toy VAE (2-D latent), seed {run.seeds[seed_index]}")
    return _finish(fig, path)


def plot_vae_latent_size(latent_dims: Sequence[int], terms: dict[str, np.ndarray],
                         seeds: int) -> Figure:
    r"""The KL term and the reconstruction term of toy VAEs against latent size.

    ``terms`` is what :func:`gantheory.toylab.experiments.vae_latent_sizes` returns for
    ``latent_dims`` with ``seeds`` seeds. Returns the open figure (label ``vae-latent-size``).
    """
    dims = np.asarray(latent_dims)
    m = terms
    fig, axes = plotting.figure(1, 2, size=(3.3, 2.8), layout="constrained")
    left, right = axes[0]
    err = {k: np.nan_to_num(m[k + "_se"]) for k in ("kl", "reconstruction")}
    left.errorbar(dims, m["kl"], yerr=err["kl"], fmt="o-", color=plotting.CYCLE[1],
                  capsize=3)
    left.set_xlabel("latent size J")
    left.set_ylabel(r"KL$(q(z|x)\,\|\,p(z))$ (nats)")
    left.set_title("rate: the KL term grows, then saturates")
    right.errorbar(dims, m["reconstruction"], yerr=err["reconstruction"], fmt="s-",
                   color=plotting.GENERATOR, capsize=3, label=r"reconstruction $-E_q[\log p(x|z)]$")
    right.plot(dims, m["reconstruction"] + m["kl"], "^--", color=plotting.DATA,
               label=r"$-$ELBO = reconstruction + KL")
    right.set_xlabel("latent size J")
    right.set_ylabel("nats per sample")
    right.set_title("distortion: reconstruction falls, then saturates")
    right.legend(loc="upper right", fontsize=7)
    for ax in (left, right):
        ax.set_xticks(dims)
    fig.suptitle("toy VAEs on a correlated 8-D Gaussian (std $1.6^{-k}$ along random axes): "
                 f"ELBO terms after training,\nmean ± s.e. over {seeds} "
                 f"seed{'s' if seeds > 1 else ''} (error bars may be smaller than the markers)")
    fig.set_label("vae-latent-size")
    return fig
