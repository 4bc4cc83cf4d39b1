r"""
The optimal discriminator
=========================

For a fixed generator with density :math:`p_g`, the discriminator that maximises the value
function

.. math::

    V(G, D) = \mathbb E_{x \sim p_\text{data}}[\log D(x)]
            + \mathbb E_{x \sim p_g}[\log(1 - D(x))]

is, pointwise (Goodfellow et al. 2014, Proposition 1),

.. math::

    D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}
           = \sigma\bigl(\log p_\text{data}(x) - \log p_g(x)\bigr).

Where only the data has mass :math:`D^* \to 1`, where only the generator has mass
:math:`D^* \to 0`, and once :math:`p_g = p_\text{data}` it is :math:`1/2` everywhere. The data
(dark grey) is a mixture of two Gaussians; the three generators (orange) are far from it,
overlapping it, and equal to it. Checked by ``gantheory verify --only optimal-discriminator``.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["optimal-discriminator"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
