r"""The figure gallery: every figure of the project, by name, with the theorems it shows.

>>> from gantheory import figures
>>> figures.FIGURES["jsd-separation"].theorems
('jsd-bounds',)
>>> figures.FIGURES["jsd-separation"].demo
'plot_jsd_separation.py'
>>> paths = figures.make("out", ["jsd-separation"], progress=False)  # doctest: +SKIP

Each entry of :data:`FIGURES` is a :class:`FigureSpec`: ``name``, ``title``, ``topic``,
``theorems`` (keys of ``gantheory verify``) and ``needs_torch``. The code of a figure is one
gallery example, ``demos/plot_<name>.py``: it computes in view with the public API and draws
with matplotlib. :func:`make` (``gantheory figures``) runs the examples with a
non-interactive backend and saves the figures they draw, ``<name>.png`` (``<name>-2.png``, ...
for a second figure). Every example runs at a small size stated in its text (seconds on a
CPU); ``fast=False`` sets the environment variable ``GANTHEORY_FULL=1``, which the examples
read for the experiment's real size.

=====================  ===============================================================
topic                  figures
=====================  ===============================================================
``gan-theory``         optimal-discriminator, value-function, jsd-separation,
                       criterion-jsd, generator-gradients, dirac-gan
``divergences``        kl-mle, gaussian-kl-surface, forward-reverse-kl, divergence-zoo
``toy-lab``            algorithm-1, toy-gan-1d, toy-gan-ring, mode-collapse,
                       saturation-toy, wgan-vs-gan, wgan-clipping, discriminator-losses,
                       label-smoothing, discriminator-overfitting
``vae``                vae-loss-curve, toy-vae-latent, vae-latent-size, conv-vae-latent-size
``images``             dcgan-architecture, image-training, gan-latent-size,
                       latent-interpolation, cgan-class-grid, gan-evaluation
=====================  ===============================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gantheory.figures.registry import (
    FULL_ENV,
    TOPICS,
    FigureSpec,
    Registry,
    demos_folder,
    make_figures,
    run_example,
)

__all__ = ["FIGURES", "FULL_ENV", "TOPICS", "FigureSpec", "demos_folder", "make",
           "run_example"]

#: Every figure, by name, in gallery order.
FIGURES = Registry()
_add = FIGURES.add
TORCH = {"needs_torch": True}

# -- the GAN game --------------------------------------------------------------------------
_add(FigureSpec("optimal-discriminator", "The optimal discriminator against the two densities",
                "gan-theory", ("optimal-discriminator",)))
_add(FigureSpec("value-function", "V(G, D) along paths through D*: a maximum at D*",
                "gan-theory", ("optimal-discriminator", "criterion-jsd")))
_add(FigureSpec("jsd-separation", "The JSD against the separation of two distributions",
                "gan-theory", ("jsd-bounds",)))
_add(FigureSpec("criterion-jsd", "C(G) against 2 JSD - log 4", "gan-theory",
                ("criterion-jsd",)))
_add(FigureSpec("generator-gradients", "Saturating vs non-saturating generator gradients",
                "gan-theory", ("vanishing-gradient", "ns-gradient"), **TORCH))
_add(FigureSpec("dirac-gan", "Dirac-GAN trajectories of every training method",
                "gan-theory", ("dirac-eigenvalues", "dirac-dynamics")))
# -- divergences ---------------------------------------------------------------------------
_add(FigureSpec("kl-mle", "Maximum likelihood is KL minimisation", "divergences",
                ("kl-mle", "gibbs")))
_add(FigureSpec("gaussian-kl-surface", "The Gaussian KL surface and its gradient field",
                "divergences", ("gaussian-kl", "vae-kl")))
_add(FigureSpec("forward-reverse-kl", "Forward vs reverse KL fits to two modes",
                "divergences", ("mode-seeking",)))
_add(FigureSpec("divergence-zoo", "Every divergence of the core as two Gaussians separate",
                "divergences", ("f-gan",)))
# -- the toy lab ---------------------------------------------------------------------------
_add(FigureSpec("algorithm-1", "Algorithm 1 in torch: a 1-D GAN, its D beside the exact D*",
                "toy-lab", ("optimal-discriminator",), **TORCH))
_add(FigureSpec("toy-gan-1d", "1-D GANs on two modes: collapse, and packing against it",
                "toy-lab", ("mode-seeking",), **TORCH))
_add(FigureSpec("toy-gan-ring", "Toy GANs on the ring and the grid: samples, D and D*",
                "toy-lab", (), **TORCH))
_add(FigureSpec("mode-collapse", "Mode collapse on the ring beside PacGAN's published rows",
                "toy-lab", ("mode-seeking",), **TORCH))
_add(FigureSpec("saturation-toy", "The saturating generator gradient while D trains",
                "toy-lab", ("vanishing-gradient",), **TORCH))
_add(FigureSpec("wgan-vs-gan", "WGAN-GP vs GAN training curves on the ring", "toy-lab", (),
                **TORCH))
_add(FigureSpec("wgan-clipping", "WGAN with weight clipping beside WGAN-GP: the critics' "
                "weights", "toy-lab", (), **TORCH))
_add(FigureSpec("discriminator-losses", "Every discriminator loss and the function it learns",
                "toy-lab", (), **TORCH))
_add(FigureSpec("label-smoothing", "Label smoothing, flipping and instance noise move D*",
                "toy-lab", ("optimal-discriminator",), **TORCH))
_add(FigureSpec("discriminator-overfitting", "A discriminator overfits a finite training sample",
                "toy-lab", ("optimal-discriminator",), **TORCH))
# -- VAEs ----------------------------------------------------------------------------------
_add(FigureSpec("vae-loss-curve", "A VAE's loss: reconstruction and KL over training", "vae",
                ("vae-kl",), **TORCH))
_add(FigureSpec("toy-vae-latent", "A 2-D VAE's latent space on the ring", "vae", (),
                **TORCH))
_add(FigureSpec("vae-latent-size", "KL and reconstruction against latent size", "vae", (),
                **TORCH))
_add(FigureSpec("conv-vae-latent-size", "A convolutional VAE on shapes: latent size 20 against "
                "60", "vae", ("vae-kl",), **TORCH))
# -- images --------------------------------------------------------------------------------
_add(FigureSpec("dcgan-architecture", "DCGAN's architecture, layer by layer, with its shapes",
                "images", (), **TORCH))
_add(FigureSpec("image-training", "DCGAN on shapes: samples every N steps and loss curves",
                "images", (), **TORCH))
_add(FigureSpec("gan-latent-size", "A DCGAN on shapes with latent size 10 against 256",
                "images", (), **TORCH))
_add(FigureSpec("latent-interpolation", "The four-corner latent interpolation grid (8 x 8)",
                "images", (), **TORCH))
_add(FigureSpec("cgan-class-grid", "The conditional GAN's class grid", "images", (),
                **TORCH))
_add(FigureSpec("gan-evaluation", "Fréchet distance, KID and mode counts of known sample sets",
                "images", (), **TORCH))


def make(out: str | Path, names: Sequence[str] | str | None = None, fast: bool = True,
         progress: bool = True) -> list[Path]:
    """Run the gallery examples and write their figures into ``out``.

    Parameters
    ----------
    out : str or Path
        Output folder (made if missing).
    names : sequence of str, optional
        Names of :data:`FIGURES` (all by default, in gallery order).
    fast : bool
        The examples' default sizes (seconds each on a CPU); ``False`` for the experiments'
        real sizes (``GANTHEORY_FULL=1``).
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
