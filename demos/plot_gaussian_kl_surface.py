r"""
The Gaussian KL surface and its gradient
========================================

The KL term of a VAE with encoder :math:`q(z|x) = \mathcal N(\mu, \sigma^2)` (one latent
dimension) and prior :math:`\mathcal N(0, 1)` is (Kingma and Welling 2013, Appendix B)

.. math::

    \mathrm{KL}(\mathcal N(\mu, \sigma^2)\,\|\,\mathcal N(0, 1))
    = \tfrac12\bigl(\mu^2 + \sigma^2 - 1 - \log\sigma^2\bigr),
    \qquad
    \nabla = \Bigl(\mu,\ \sigma - \frac1\sigma\Bigr).

Its only minimum is the prior itself, :math:`(\mu, \sigma) = (0, 1)`, and the negative
gradient (arrows, directions only) points there from everywhere. Right: a slice at
:math:`\mu = 1/2`, where the closed forms (lines) agree with the KL by quadrature and with
central differences of it (markers). Checked by
``gantheory verify --only gaussian-kl vae-kl``.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["gaussian-kl-surface"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
