r"""
The Jensen-Shannon divergence saturates at log 2
================================================

.. math::

    \mathrm{JSD}(P\,\|\,Q) = \tfrac12 \mathrm{KL}(P\,\|\,M) + \tfrac12 \mathrm{KL}(Q\,\|\,M),
    \qquad M = \tfrac12(P + Q), \qquad 0 \le \mathrm{JSD} \le \log 2,

with :math:`\log 2` exactly when :math:`P` and :math:`Q` are mutually singular. Two Gaussians
moving apart (left) approach :math:`\log 2` but never reach it; two intervals (right) reach it
as soon as their supports are disjoint, and from there on the JSD no longer depends on the
shift :math:`\delta`: its gradient is zero, which is why a GAN generator trained against an
optimal discriminator can stall (Arjovsky and Bottou 2017). Checked by
``gantheory verify --only jsd-bounds``.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["jsd-separation"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
