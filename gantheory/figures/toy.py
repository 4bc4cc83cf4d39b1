r"""Figures of the toy lab: toy GANs on the ring and the grid, mode collapse, Dirac-GAN, the
saturation experiment, toy VAEs.

The experiments are :mod:`gantheory.toylab.experiments`', the drawing
:mod:`gantheory.toylab.plots`' (one plot function per figure); these functions choose the
run sizes (:func:`gantheory.figures.sizes.pick`) and call the two. Torch is imported inside
them (the Dirac-GAN needs none).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from gantheory.figures.sizes import pick


def toy_gan_run(target_name: str, fast: bool):
    """One non-saturating toy GAN (seed 0) on the ring or the grid, with snapshots of its
    samples and of its discriminator on a 48 x 48 grid.

    Returns the run and the steps of the snapshots for the still figure (a subset of all,
    which the GIF shows).
    """
    import torch

    from gantheory.toyconfig import GANConfig, target_named
    from gantheory.toylab import experiments
    from gantheory.toylab.gan import GANTrainer
    from gantheory.toylab.runner import snapshot_steps

    torch.manual_seed(0)
    target = target_named(target_name)
    steps = pick(fast, 3000, 1200, 6)
    n_frames = pick(fast, 31, 13, 3)
    n_still = pick(fast, 6, 4, 3)
    n_grid = pick(fast, 48, 40, 12)
    grid = experiments.grid_points(experiments.view_box(target), n_grid)
    config = GANConfig(steps=steps, batch_size=pick(fast, 100, 100, 16),
                       g_hidden=pick(fast, (128, 128, 128), (128, 128, 128), (8,)),
                       d_hidden=pick(fast, (128, 128), (128, 128), (8,)))
    trainer = GANTrainer(config, target, [0])
    run = trainer.run(snapshot_steps=snapshot_steps(steps, n_frames), grid=grid,
                      n_snapshot=pick(fast, 2500, 1500, 200), progress=False)
    still = snapshot_steps(steps, n_still)
    # the still steps must be snapshots: round each to the nearest frame
    frames = [s.step for s in run.snapshots]
    still = sorted({min(frames, key=lambda f, s=s: abs(f - s)) for s in still})
    return run, still


def draw_toy_gan(target_name: str):
    """The draw function of ``toy-gan-<target>``: snapshot grid (PNG) and animation (GIF)."""

    def draw(out_dir: Path, fast: bool) -> list:
        from gantheory.toylab import plots

        run, still = toy_gan_run(target_name, fast)
        subset = dataclasses.replace(run, snapshots=[s for s in run.snapshots
                                                     if s.step in still])
        name = f"toy-gan-{target_name}"
        return [plots.plot_evolution(subset, out_dir / f"{name}.png"),
                plots.animate_evolution(run, out_dir / f"{name}.gif")]

    draw.__doc__ = (f"A toy GAN on the {target_name}: samples, D and the KDE-estimated D* "
                    "over training, as a grid of snapshots and an animated GIF.")
    return draw


def draw_mode_collapse(out_dir: Path, fast: bool) -> list:
    """The mode-collapse table as bar charts beside PacGAN's published rows, and samples.

    Fast: the ring, the four methods with published rows, 3 seeds, 600 steps, networks of
    width 64 (the toy lab's are 128). Full: the ring and the grid, every method of
    :data:`gantheory.toyconfig.METHODS`, 10 seeds, 3000 steps, the toy lab's networks
    (the defaults of ``gantheory toy``).
    """
    import torch

    from gantheory.toyconfig import METHODS, GANConfig
    from gantheory.toylab import experiments, plots

    torch.manual_seed(0)
    targets = pick(fast, ("ring", "grid"), ("ring",))
    methods = pick(fast, tuple(METHODS), ("gan", "pacgan2", "pacgan3", "pacgan4"),
                   ("gan", "pacgan2"))
    seeds = pick(fast, 10, 3, 2)
    steps = pick(fast, 3000, 600, 4)
    base = pick(fast, None, GANConfig(g_hidden=(64, 64, 64), d_hidden=(64, 64)),
                GANConfig(batch_size=16, g_hidden=(8,), d_hidden=(8,)))
    out = []
    for target in targets:
        rows, runs = experiments.mode_collapse(target, methods, seeds, steps, base=base,
                                               progress=False)
        out.append(plots.plot_mode_bars(rows, target, out_dir / f"mode-collapse-{target}.png"))
        out.append(plots.plot_samples(runs, out_dir / f"mode-collapse-{target}-samples.png"))
    return out


def draw_toy_gan_1d(out_dir: Path, fast: bool) -> list:
    """1-D GANs on two far-apart modes, without and with packing: histograms, D and D*."""
    import torch

    from gantheory.toylab import experiments, plots

    torch.manual_seed(0)
    runs, _ = experiments.one_d(seeds=pick(fast, 8, 4, 2), steps=pick(fast, 1500, 600, 4),
                                n_snapshots=pick(fast, 6, 4, 2), progress=False)
    return [plots.plot_one_d(runs, out_dir / "toy-gan-1d.png")]


def draw_saturation(out_dir: Path, fast: bool) -> list:
    """Generator gradient norms of both losses while the discriminator trains (toy lab)."""
    import torch

    from gantheory.toylab import experiments, plots

    torch.manual_seed(0)
    records = experiments.saturation(
        d_steps=pick(fast, (0, 10, 30, 100, 300, 1000), (0, 10, 30, 100, 300), (0, 3)),
        seeds=pick(fast, 5, 2, 1))
    return [plots.plot_saturation(records, out_dir / "saturation-toy.png")]


def draw_dirac(out_dir: Path, fast: bool) -> list:
    """Dirac-GAN vector fields and trajectories of every method (cheap in every mode)."""
    from gantheory.toylab import plots

    return [plots.plot_dirac(out_dir / "dirac-gan.png", n_steps=pick(fast, 600, 600, 60))]


def _toy_vae_config(fast: bool, latent_dim: int = 2):
    from gantheory.toyconfig import VAEConfig

    return VAEConfig(latent_dim=latent_dim, steps=pick(fast, 3000, 1500, 4),
                     hidden=pick(fast, (128, 128), (128, 128), (8,)))


def draw_toy_vae(out_dir: Path, fast: bool) -> list:
    """A VAE with a 2-D latent on the ring: samples, encoder means, decoded latent grid."""
    import torch

    from gantheory.toylab import experiments, plots

    torch.manual_seed(0)
    config = _toy_vae_config(fast)
    run, _ = experiments.vae_modes("ring", seeds=pick(fast, 10, 1), steps=config.steps,
                                   config=config, progress=False)
    return [plots.plot_vae(run, out_dir / "toy-vae-latent.png")]


def draw_vae_latent_size(out_dir: Path, fast: bool) -> list:
    r"""The KL term and the reconstruction term of toy VAEs against latent size."""
    import torch

    from gantheory.toylab import experiments, plots

    torch.manual_seed(0)
    dims = pick(fast, (1, 2, 3, 4, 5, 6, 8), (1, 2, 4, 8), (1, 2))
    seeds = pick(fast, 5, 2, 1)
    terms = experiments.vae_latent_sizes(dims, seeds=seeds, steps=pick(fast, 5000, 1000, 4),
                                         hidden=pick(fast, (128, 128), (64, 64), (8,)))
    return [plots.plot_vae_latent_size(dims, terms, seeds)]
