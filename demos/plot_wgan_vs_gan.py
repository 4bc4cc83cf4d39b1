r"""
WGAN-GP against GAN: what the training curves say
=================================================

The WGAN critic estimates the Wasserstein-1 distance through the Kantorovich-Rubinstein
duality,

.. math::

    W_1(p_\text{data}, p_g) = \sup_{\|f\|_L \le 1}
    \mathbb E_{x \sim p_\text{data}}[f(x)] - \mathbb E_{x \sim p_g}[f(x)],

with the Lipschitz constraint imposed softly by the gradient penalty
:math:`\lambda\,\mathbb E_{\hat x}(\|\nabla_{\hat x} D(\hat x)\|_2 - 1)^2` at random
interpolates :math:`\hat x` of real and generated images, one per sample (Gulrajani et al.
2017). Its estimate, :math:`\mathbb E[D(x)] - \mathbb E[D(G(z))]`, is meant to track sample
quality and to fall as the generator improves, while a GAN's losses mostly reflect the
balance of the two players. Top: the curves of both runs; bottom: their final samples.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["wgan-vs-gan"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
