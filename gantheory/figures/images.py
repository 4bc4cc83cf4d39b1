r"""Figures of the image models, trained on the built-in ``shapes`` data set (12 classes).

Every figure trains its models (:mod:`gantheory.images.models`) with
:class:`gantheory.images.trainer.ImageTrainer`; a run is trained once per process and
size and shared by the figures that need it (DCGAN serves ``image-training``,
``latent-interpolation`` and ``wgan-vs-gan``). Fast mode: narrow networks (width 16), a few
hundred steps on 2,000 images, on the CPU in under half a minute per model; full mode: the
trainer's defaults (width 64, 2,000 steps, 10,000 images) on the GPU if there is one. What a
run writes (checkpoint, sample grids, ``losses.csv``) goes to a temporary folder, is read
into memory and deleted. Fast mode's settings are :data:`FAST_CHANGES`.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gantheory.figures.sizes import pick

#: Trained runs of this process, by (config, number of images).
_RUNS: dict[tuple, ImageRun] = {}


@dataclass
class ImageRun:
    """A trained image model and what its trainer wrote.

    Attributes
    ----------
    trainer : gantheory.images.trainer.ImageTrainer
    data : gantheory.images.data.ImageData
    samples : list of numpy.ndarray
        The trainer's sample grids (``samples/generated-images-*.png``), in order, as RGB(A)
        arrays in [0, 1].
    losses : dict of str to numpy.ndarray
        ``losses.csv`` by column (``step`` included).
    """

    trainer: object
    data: object
    samples: list[np.ndarray]
    losses: dict[str, np.ndarray]


def _device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _read_losses(path: Path) -> dict[str, np.ndarray]:
    with path.open() as fh:
        rows = list(csv.DictReader(fh))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


#: Fast-mode changes to the trainer's defaults, per model: narrow networks, small batches and
#: larger learning rates, so that a few hundred CPU steps already draw coloured shapes.
FAST_CHANGES: dict[str, dict[str, object]] = {
    "dcgan": {"steps": 600, "lr_g": 1e-3, "lr_d": 1e-3},
    "cgan": {"steps": 600, "lr_g": 1e-3, "lr_d": 1e-3},
    "wgan-gp": {"steps": 150, "lr_g": 5e-4, "lr_d": 5e-4, "betas": (0.5, 0.9)},
    "vae": {"steps": 800, "lr_g": 2e-3, "latent_dim": 16},
}


#: Changes in every mode: the VAE figures use the Gaussian decoder, which learns the shapes'
#: colours within a few hundred steps (the Bernoulli decoder's samples stay grey for longer).
MODEL_CHANGES: dict[str, dict[str, object]] = {"vae": {"likelihood": "gaussian"}}


def image_config(model: str, fast: bool):
    """The config (the model's ``config_class``) of a figure's run of ``model``.

    Full: the defaults of the model's config with
    :data:`MODEL_CHANGES`. Fast: also width 16, batch 32 and :data:`FAST_CHANGES`.

    Examples
    --------
    >>> image_config("wgan-gp", fast=True).d_steps  # the model's defaults stay
    5
    """
    from gantheory.images.registry import model_class

    config_class = model_class(model).config_class
    changes = pick(fast, {}, {"width": 16, "batch_size": 32, **FAST_CHANGES.get(model, {})},
                   {"width": 8, "batch_size": 8, "steps": 2})
    steps = int(changes.get("steps", config_class().steps))
    n_grids = 5  # sample grids over training
    return config_class(**{**MODEL_CHANGES.get(model, {}), **changes, "steps": steps,
                           "sample_every": max(1, steps // n_grids),
                           "checkpoint_every": steps, "seed": 0})


def image_run(model: str, fast: bool) -> ImageRun:
    """Train ``model`` (``dcgan``, ``cgan``, ``wgan-gp`` or ``vae``) on shapes, or reuse the run
    this process already trained with the same configuration.
    """
    from gantheory.images.data import shapes
    from gantheory.images.registry import model_class
    from gantheory.images.trainer import ImageTrainer

    config = image_config(model, fast)
    n_images = pick(fast, 10_000, 2000, 64)
    key = (config, n_images)
    if key in _RUNS:
        return _RUNS[key]
    import matplotlib.image as mpimg

    folder = Path(tempfile.mkdtemp(prefix=f"gantheory-figures-{model}-"))
    data = shapes(n_images, image_size=config.image_size, seed=0)
    trainer = ImageTrainer(model_class(model)(config), data, folder, device=_device())
    try:
        trainer.train(progress=False)
        files = sorted((folder / "samples").glob("generated-images-*.png"))
        run = ImageRun(trainer, data, [mpimg.imread(str(f)) for f in files],
                       _read_losses(folder / "losses.csv"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    _RUNS[key] = run
    return run


def _grid(images, nrow: int, pad: int = 1) -> np.ndarray:
    """Images in [-1, 1], shape (n, C, H, W), as one (H', W', C) array in [0, 1]."""
    import torch
    from torchvision.utils import make_grid

    x = ((images.detach().float().cpu() + 1.0) / 2.0).clamp(0.0, 1.0)
    grid = make_grid(x, nrow=nrow, padding=pad, pad_value=1.0)
    return torch.movedim(grid, 0, -1).numpy()


def _image_axes(ax, title: str | None = None) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title)


def _data_images(data, n: int):
    import torch

    x, _ = data.sample_batch(n, torch.Generator(device=data.device).manual_seed(0))
    return x


def _describe(run: ImageRun) -> str:
    cfg = run.trainer.config
    return (f"{run.trainer.model.name}, width {cfg.width}, batch {cfg.batch_size}, "
            f"{cfg.steps} steps on {len(run.data)} shapes images")


# -- samples over training and losses ---------------------------------------------------------
def draw_image_training(out_dir: Path, fast: bool) -> list:
    """DCGAN on shapes: the fixed-latent sample grid every N steps, and the loss curves."""
    from matplotlib.gridspec import GridSpec

    from gantheory import plotting

    run = image_run("dcgan", fast)
    every = run.trainer.config.sample_every
    steps = [min(every * (i + 1), run.trainer.config.steps) for i in range(len(run.samples))]
    n = len(run.samples) + 1
    plotting.use_style()
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(1.9 * n, 4.3), layout="constrained")
    gs = GridSpec(2, n, figure=fig, height_ratios=(1.0, 0.9))
    ax = fig.add_subplot(gs[0, 0])
    ax.imshow(_grid(_data_images(run.data, 64), 8))
    _image_axes(ax, "data")
    for j, (grid, step) in enumerate(zip(run.samples, steps, strict=True)):
        ax = fig.add_subplot(gs[0, j + 1])
        ax.imshow(grid)
        _image_axes(ax, f"step {step}")
    ax = fig.add_subplot(gs[1, :])
    labels = {"d_loss": "discriminator loss (minimax)",
              "g_loss": r"generator loss ($-\log D(G(z))$)"}
    colours = {"d_loss": plotting.DISCRIMINATOR, "g_loss": plotting.GENERATOR}
    for key in ("d_loss", "g_loss"):
        ax.plot(run.losses["step"], run.losses[key], color=colours[key], lw=0.8, alpha=0.35)
        ax.plot(run.losses["step"], _smooth(run.losses[key]), color=colours[key], lw=1.6,
                label=labels[key] + " (smoothed)")
    ax.axhline(np.log(4.0), color=plotting.OPTIMAL, lw=0.8, ls=":",
               label=r"$\log 4$: D loss at equilibrium ($D = 1/2$)")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (batch mean, nats)")
    ax.legend(loc="upper right", fontsize=7)
    fig.suptitle(f"DCGAN samples from one fixed latent batch every {every} steps, and the "
                 f"losses ({_describe(run)})")
    fig.set_label("image-training")
    return [fig]


def _smooth(values: np.ndarray, window: int | None = None) -> np.ndarray:
    """A centred moving average (the window shrinks at the ends)."""
    values = np.asarray(values, dtype=float)
    window = window or max(1, len(values) // 25)
    kernel = np.ones(window)
    num = np.convolve(values, kernel, mode="same")
    den = np.convolve(np.ones_like(values), kernel, mode="same")
    return num / den


# -- four-corner interpolation ----------------------------------------------------------------
def draw_latent_interpolation(out_dir: Path, fast: bool) -> list:
    """8 x 8 grids interpolating between four latents: the VAE's codes of four data images,
    and four random latents of the DCGAN generator.
    """
    import torch

    from gantheory import plotting
    from gantheory.images.commands import corner_interpolation
    from gantheory.images.data import as_float

    vae_run, gan_run = image_run("vae", fast), image_run("dcgan", fast)
    data = vae_run.data
    labels = data.labels
    # four images of four different classes (the first of classes 0, 4, 8 and 11)
    picks = [int((labels == c).nonzero()[0, 0]) for c in (0, 4, 8, 11)]
    real = as_float(data.images[picks])
    vae = vae_run.trainer.model.networks["vae"].eval()
    with torch.no_grad():
        mu, _ = vae.encode(real.to(next(vae.parameters()).device))
        vae_images = vae.decode_image(corner_interpolation(mu))
    gen = gan_run.trainer.model.networks["generator"].eval()
    g = torch.Generator().manual_seed(3)
    z = torch.randn(4, gan_run.trainer.config.latent_dim, generator=g)
    with torch.no_grad():
        gan_images = gen(corner_interpolation(z).to(next(gen.parameters()).device))
    fig, axes = plotting.figure(1, 3, size=(3.3, 3.5), layout="constrained",
                                gridspec_kw={"width_ratios": (0.55, 1.0, 1.0)})
    corners_ax, vae_ax, gan_ax = axes[0]
    corners_ax.imshow(_grid(real, 2, pad=2))
    _image_axes(corners_ax, "corner images\n(data)")
    vae_ax.imshow(_grid(vae_images, 8))
    _image_axes(vae_ax, "VAE: decoded, corners = encoder means\nof the data images")
    gan_ax.imshow(_grid(gan_images, 8))
    _image_axes(gan_ax, "DCGAN: G(z), corners = four random z")
    fig.suptitle(r"four-corner latent interpolation, "
                 r"$z = (1-u)(1-v) z_0 + (1-u) v z_1 + u(1-v) z_2 + u v z_3$")
    fig.set_label("latent-interpolation")
    return [fig]


# -- the conditional GAN's class grid -------------------------------------------------------
def draw_cgan_class_grid(out_dir: Path, fast: bool) -> list:
    """The conditional GAN: one row per class, one column per latent (shared down a column)."""
    import torch

    from gantheory import plotting

    run = image_run("cgan", fast)
    gen = run.trainer.model.networks["generator"].eval()
    n_classes, n_cols = int(run.data.n_classes), 10
    g = torch.Generator().manual_seed(1)
    z = torch.randn(n_cols, run.trainer.config.latent_dim, generator=g)
    device = next(gen.parameters()).device
    z = z.repeat(n_classes, 1).to(device)  # (classes * cols, J): row c uses z[0..cols)
    labels = torch.arange(n_classes).repeat_interleave(n_cols).to(device)
    with torch.no_grad():
        images = gen(z, labels)
    fig, axes = plotting.figure(1, 1, size=(5.2, 5.6), layout="constrained")
    ax = axes[0][0]
    ax.imshow(_grid(images, n_cols))
    _image_axes(ax)
    side = run.data.image_size + 1  # the grid's padding is one pixel
    ax.set_yticks([1 + side * (c + 0.5) for c in range(n_classes)],
                  list(run.data.classes or range(n_classes)), fontsize=7)
    ax.set_xticks([1 + side * (j + 0.5) for j in range(n_cols)], [str(j) for j in range(n_cols)],
                  fontsize=7)
    ax.set_xlabel("latent z (the same down each column)")
    ax.set_ylabel("class label given to G")
    ax.set_title(f"conditional GAN G(z, y) ({_describe(run)})")
    fig.set_label("cgan-class-grid")
    return [fig]


# -- WGAN-GP vs GAN ----------------------------------------------------------------------------
def draw_wgan_vs_gan(out_dir: Path, fast: bool) -> list:
    r"""Training curves of the GAN (minimax D, non-saturating G) and of WGAN-GP, with their
    final samples: the critic's :math:`E[D(x)] - E[D(G(z))]` estimates :math:`W_1`.
    """
    from gantheory import plotting

    gan, wgan = image_run("dcgan", fast), image_run("wgan-gp", fast)
    fig, axes = plotting.figure(2, 2, size=(3.6, 2.8), layout="constrained",
                                gridspec_kw={"height_ratios": (1.0, 1.15)})
    ax = axes[0][0]
    for key, colour, label in (("d_loss", plotting.DISCRIMINATOR, "D loss (minimax)"),
                               ("g_loss", plotting.GENERATOR, r"G loss ($-\log D$)")):
        ax.plot(gan.losses["step"], gan.losses[key], color=colour, lw=0.7, alpha=0.3)
        ax.plot(gan.losses["step"], _smooth(gan.losses[key]), color=colour, lw=1.5,
                label=label)
    ax.axhline(np.log(4.0), color=plotting.OPTIMAL, lw=0.8, ls=":", label=r"$\log 4$")
    ax.set_xlabel("discriminator updates (= generator steps)")
    ax.set_ylabel("loss (nats)")
    ax.set_title("GAN (DCGAN): discriminator and generator losses")
    ax.legend(loc="upper right", fontsize=7)
    ax = axes[0][1]
    k = wgan.trainer.config.d_steps
    updates = wgan.losses["step"] * k  # critic updates: d_steps per generator step
    w_estimate = -wgan.losses["d_loss"]  # critic loss = E[D(G(z))] - E[D(x)]
    ax.plot(updates, w_estimate, color=plotting.DISCRIMINATOR, lw=0.7, alpha=0.3)
    ax.plot(updates, _smooth(w_estimate), color=plotting.DISCRIMINATOR, lw=1.5,
            label=r"$E[D(x)] - E[D(G(z))]$ ($W_1$ estimate)")
    if "gp" in wgan.losses:
        ax.plot(updates, _smooth(wgan.losses["gp"]), color=plotting.CYCLE[1],
                lw=1.2, ls="--", label=r"gradient penalty $\lambda E(\|\nabla D\| - 1)^2$")
    ax.set_xlabel(f"critic updates ({k} per generator step)")
    ax.set_ylabel("critic units")
    ax.set_title("WGAN-GP: the critic's estimate of $W_1$")
    ax.legend(loc="upper right", fontsize=7)
    for ax, run, title in ((axes[1][0], gan, "GAN samples"),
                           (axes[1][1], wgan, "WGAN-GP samples")):
        ax.imshow(_grid(run.trainer.sample()[:32], 8))
        _image_axes(ax, f"{title}, step {run.trainer.step}")
    fig.suptitle(f"WGAN-GP vs GAN on shapes (width {gan.trainer.config.width}, batch "
                 f"{gan.trainer.config.batch_size}, {len(gan.data)} images; "
                 f"{gan.trainer.step} and {wgan.trainer.step} generator steps)")
    fig.set_label("wgan-vs-gan")
    return [fig]
