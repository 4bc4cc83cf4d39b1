r"""
Forward KL covers the modes, reverse KL seeks one
=================================================

Fit one Gaussian :math:`q = \mathcal N(m, s^2)` to a mixture :math:`p` of two well separated
modes. The forward KL

.. math::

    \mathrm{KL}(p\,\|\,q) = \int p \log\frac{p}{q}

is large wherever :math:`p` has mass and :math:`q` has none, so its minimiser covers both
modes (it matches the moments); the reverse KL :math:`\mathrm{KL}(q\,\|\,p)` is large wherever
:math:`q` puts mass that :math:`p` lacks, so its minimisers sit on one mode,
:math:`(m, s) \approx (\mu_k, \sigma)`, with :math:`\min \mathrm{KL}(q\,\|\,p) \approx -\log
w_k`. The JSD lies in between. Right: each divergence minimised over :math:`s` for every
:math:`m`: one minimum against two. Checked by ``gantheory verify --only mode-seeking``.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["forward-reverse-kl"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
