r"""
The ELBO's two terms against the latent size
============================================

.. math::

    -\mathcal L(x) = \underbrace{-\mathbb E_{q(z|x)}[\log p(x|z)]}_{\text{reconstruction
    (distortion)}} + \underbrace{\mathrm{KL}(q(z|x)\,\|\,\mathcal N(0, I))}_{\text{rate}},

each summed over dimensions and averaged over the batch. Toy VAEs with latent sizes
:math:`J` are trained on a correlated Gaussian in 8 dimensions whose standard deviations fall
by a factor 1.6 per principal direction. Each extra latent dimension lets the encoder spend
more nats of KL to reconstruct one more direction, until the remaining directions are smaller
than what the decoder's own noise absorbs: then the extra dimensions stay at the prior (zero
KL) and both terms level off. Related check: ``gantheory verify --only vae-kl``.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["vae-latent-size"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
