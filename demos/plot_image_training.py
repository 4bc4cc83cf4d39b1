r"""
DCGAN on shapes: samples over training and the losses
=====================================================

A DCGAN (Radford et al. 2016) trained on the built-in ``shapes`` data set (4 shapes x 3
colours) with the minimax discriminator loss and the non-saturating generator loss,

.. math::

    L_D = -\mathbb E_x[\log D(x)] - \mathbb E_z[\log(1 - D(G(z)))],
    \qquad
    L_G = -\mathbb E_z[\log D(G(z))].

Top: real images, then the generator's images for one fixed batch of latents every
:math:`N` steps; bottom: both losses (batch means, smoothed). At the equilibrium of Theorem 1,
:math:`D = 1/2` and :math:`L_D = \log 4` (dotted). The gallery runs the fast mode: narrow
networks and a few hundred steps on a CPU; ``fast=False`` uses the trainer's defaults.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["image-training"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
