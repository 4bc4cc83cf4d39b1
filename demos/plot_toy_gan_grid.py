r"""
A toy GAN on the grid: samples, D and D*
=========================================

Goodfellow et al. (2014), Algorithm 1, with the non-saturating generator loss, on the
5 x 5 grid of Gaussians of standard deviation 0.05 of PacGAN and VEEGAN.
Beside the trained discriminator :math:`D(x) = \sigma(\ell(x))`, the optimal discriminator of
the *current* generator,

.. math::

    \hat D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + \hat p_g(x)},

with the exact data density and a Gaussian kernel density estimate :math:`\hat p_g` of the
generator's samples (blank where both vanish). The figure shows a few snapshots; the same
function writes every snapshot as an animated GIF (``toy-gan-grid.gif``) beside the PNG.
Related check: ``gantheory verify --only optimal-discriminator``.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["toy-gan-grid"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
