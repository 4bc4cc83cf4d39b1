r"""
A VAE with a two-dimensional latent on the ring
===============================================

A VAE maximises the evidence lower bound (Kingma and Welling 2013)

.. math::

    \log p_\theta(x) \ge \mathcal L(x)
    = \mathbb E_{q_\phi(z|x)}[\log p_\theta(x|z)] - \mathrm{KL}(q_\phi(z|x)\,\|\,p(z)),
    \qquad p(z) = \mathcal N(0, I),

a bound on the forward KL to the data, so it covers every mode. Left: samples
:math:`x \sim p_\theta(x|z)`, :math:`z \sim \mathcal N(0, I)`: all modes, blurred between
them by the prior's mass there. Middle: the encoder's means of data, one cluster per mode.
Right: decoder means on a grid of :math:`z`. Related check: ``gantheory verify --only vae-kl``.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["toy-vae-latent"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
