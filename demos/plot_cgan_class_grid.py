r"""
The conditional GAN's class grid
================================

A conditional GAN (Mirza and Osindero 2014) gives the label :math:`y` to both players,

.. math::

    \min_G \max_D\ \mathbb E_{x, y}[\log D(x, y)] + \mathbb E_{z, y}[\log(1 - D(G(z, y), y))],

so the generator can be asked for a class. One row per class of ``shapes``, one column per
latent :math:`z`, the same :math:`z` down each column: the label should fix the shape and the
colour, the latent the rest (position, size, brightness).
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["cgan-class-grid"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
