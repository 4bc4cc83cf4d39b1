r"""
A 1-D GAN on two far-apart modes
================================

Two Gaussians of standard deviation 0.5 at :math:`\pm 5`, twenty standard deviations apart. A
generator that lands on one mode sees a discriminator that is nearly constant in the gap, so
little pulls it across: it collapses. PacGAN (Lin et al. 2018) shows the discriminator
:math:`m` samples at once; a collapsed generator's packs differ from the data's packs, which
mix both modes, and packing keeps both. Each panel: the generator's histogram against the data
density (left axis), and the discriminator against the optimal one of the current generator
(right axis),

.. math::

    \hat D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + \hat p_g(x)},

with :math:`\hat p_g` a kernel density estimate of the generator's samples. Related checks:
``gantheory verify --only optimal-discriminator mode-seeking``.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["toy-gan-1d"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
