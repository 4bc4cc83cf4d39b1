r"""The figure gallery: every figure of the project, by name, with the theorems it shows.

>>> from gantheory import figures
>>> figures.FIGURES["jsd-separation"].theorems
('jsd-bounds',)
>>> paths = figures.make("out", ["jsd-separation"], progress=False)  # doctest: +SKIP

Each entry of :data:`FIGURES` is a :class:`FigureSpec`: ``name``, ``title``, ``topic``,
``theorems`` (keys of ``gantheory verify``), and the function ``spec.write(out_dir, fast)
-> list[Path]`` that writes its PNG(s) (and a GIF for the toy GANs). ``fast=True`` runs in
seconds; ``fast=False`` uses the experiments' real sizes (10 seeds, thousands of steps).
:func:`make` writes several; :func:`draw` returns the figures open, for a gallery script
(``demos/plot_<name>.py``) or a notebook.

The theory and divergence figures need only numpy and scipy; the toy-lab and image figures
import torch when they run.

=====================  ===============================================================
topic                  figures
=====================  ===============================================================
``gan-theory``         optimal-discriminator, value-function, jsd-separation,
                       criterion-jsd, generator-gradients, dirac-gan
``divergences``        kl-mle, gaussian-kl-surface, forward-reverse-kl
``toy-lab``            toy-gan-ring, toy-gan-grid, toy-gan-1d, mode-collapse,
                       saturation-toy
``vae``                toy-vae-latent, vae-latent-size
``images``             image-training, latent-interpolation, cgan-class-grid,
                       wgan-vs-gan
=====================  ===============================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gantheory.figures import divergence, gan_theory, images, toy
from gantheory.figures.registry import TOPICS, FigureSpec, Registry, make_figures

__all__ = ["FIGURES", "TOPICS", "FigureSpec", "draw", "make"]

#: Every figure, by name, in gallery order.
FIGURES = Registry()
_add = FIGURES.add

# -- the GAN game --------------------------------------------------------------------------
_add(FigureSpec("optimal-discriminator", "The optimal discriminator against the two densities",
                "gan-theory", ("optimal-discriminator",),
                gan_theory.draw_optimal_discriminator))
_add(FigureSpec("value-function", "V(G, D) along paths through D*: a maximum at D*",
                "gan-theory", ("optimal-discriminator", "criterion-jsd"),
                gan_theory.draw_value_function))
_add(FigureSpec("jsd-separation", "The JSD against the separation of two distributions",
                "gan-theory", ("jsd-bounds",), gan_theory.draw_jsd_separation))
_add(FigureSpec("criterion-jsd", "C(G) against 2 JSD - log 4", "gan-theory",
                ("criterion-jsd",), gan_theory.draw_criterion_jsd))
_add(FigureSpec("generator-gradients", "Saturating vs non-saturating generator gradients",
                "gan-theory", ("vanishing-gradient", "ns-gradient"),
                gan_theory.draw_generator_gradients))
_add(FigureSpec("dirac-gan", "Dirac-GAN trajectories of every training method",
                "gan-theory", ("dirac-eigenvalues", "dirac-dynamics"), toy.draw_dirac,
                needs_torch=True))
# -- divergences ---------------------------------------------------------------------------
_add(FigureSpec("kl-mle", "Maximum likelihood is KL minimisation", "divergences",
                ("kl-mle", "gibbs"), divergence.draw_kl_mle))
_add(FigureSpec("gaussian-kl-surface", "The Gaussian KL surface and its gradient field",
                "divergences", ("gaussian-kl", "vae-kl"), divergence.draw_gaussian_kl_surface))
_add(FigureSpec("forward-reverse-kl", "Forward vs reverse KL fits to two modes",
                "divergences", ("mode-seeking",), divergence.draw_forward_reverse_kl))
# -- the toy lab ---------------------------------------------------------------------------
_add(FigureSpec("toy-gan-ring", "A toy GAN on the ring: samples, D and D* over training",
                "toy-lab", ("optimal-discriminator",), toy.draw_toy_gan("ring"),
                needs_torch=True))
_add(FigureSpec("toy-gan-grid", "A toy GAN on the grid: samples, D and D* over training",
                "toy-lab", ("optimal-discriminator",), toy.draw_toy_gan("grid"),
                needs_torch=True))
_add(FigureSpec("toy-gan-1d", "1-D GANs on two modes: collapse, and packing against it",
                "toy-lab", ("optimal-discriminator", "mode-seeking"), toy.draw_toy_gan_1d,
                needs_torch=True))
_add(FigureSpec("mode-collapse", "Mode collapse on the ring beside PacGAN's published rows",
                "toy-lab", ("mode-seeking",), toy.draw_mode_collapse, needs_torch=True))
_add(FigureSpec("saturation-toy", "The saturating generator gradient while D trains",
                "toy-lab", ("vanishing-gradient",), toy.draw_saturation, needs_torch=True))
# -- VAEs ----------------------------------------------------------------------------------
_add(FigureSpec("toy-vae-latent", "A 2-D VAE's latent space on the ring", "vae",
                ("vae-kl",), toy.draw_toy_vae, needs_torch=True))
_add(FigureSpec("vae-latent-size", "KL and reconstruction against latent size", "vae",
                ("vae-kl",), toy.draw_vae_latent_size, needs_torch=True))
# -- images --------------------------------------------------------------------------------
_add(FigureSpec("image-training", "DCGAN on shapes: samples every N steps and loss curves",
                "images", (), images.draw_image_training, needs_torch=True))
_add(FigureSpec("latent-interpolation", "The four-corner latent interpolation grid (8 x 8)",
                "images", (), images.draw_latent_interpolation, needs_torch=True))
_add(FigureSpec("cgan-class-grid", "The conditional GAN's class grid", "images", (),
                images.draw_cgan_class_grid, needs_torch=True))
_add(FigureSpec("wgan-vs-gan", "WGAN-GP vs GAN training curves", "images", (),
                images.draw_wgan_vs_gan, needs_torch=True))


def make(out: str | Path, names: Sequence[str] | str | None = None, fast: bool = True,
         progress: bool = True) -> list[Path]:
    """Write figures into ``out``.

    Parameters
    ----------
    out : str or Path
        Output folder (made if missing).
    names : sequence of str, optional
        Names of :data:`FIGURES` (all by default, in gallery order).
    fast : bool
        Small runs (the whole set in a few minutes on a CPU); ``False`` for the experiments'
        real sizes.
    progress : bool
        Print one line per figure with its time.

    Returns
    -------
    list of Path
        Every file written.

    Raises
    ------
    ValueError
        If a name is not in :data:`FIGURES`; the message names it and lists the valid ones.

    Examples
    --------
    >>> make("out", ["no-such-figure"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    ValueError: unknown figure(s): no-such-figure; the figures are: optimal-discriminator, ...
    """
    return make_figures(FIGURES, out, names, fast=fast, progress=progress)


def draw(name: str, out: str | Path, fast: bool = True) -> list[Any]:
    """Write one figure's files into ``out`` and return its matplotlib figures, open.

    For a gallery script or a notebook: sphinx-gallery shows the figures left open. Plots
    saved by the toy lab come back as figures showing their PNG; a GIF is written, not
    shown.

    Parameters
    ----------
    name : str
        A name of :data:`FIGURES`.
    out : str or Path
        Output folder.
    fast : bool
        As in :func:`make`.

    Returns
    -------
    list of matplotlib.figure.Figure
    """
    (spec,) = FIGURES.select([name])
    return spec.figures(out, fast)
