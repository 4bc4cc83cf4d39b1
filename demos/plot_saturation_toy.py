r"""
The saturating gradient while the discriminator trains
======================================================

Fix a poor generator and train only the discriminator. As it learns to reject the samples,
:math:`D(G(z)) \to 0` (right), and the generator's gradients through the logit :math:`\ell`,

.. math::

    \nabla \log(1 - D(G(z))) = -\sigma(\ell)\,\nabla\ell,
    \qquad
    \nabla\bigl(-\log D(G(z))\bigr) = -(1 - \sigma(\ell))\,\nabla\ell,

part ways (left): the saturating one shrinks with :math:`D`, the non-saturating one grows with
:math:`\|\nabla\ell\|` (Goodfellow et al. 2014, Sec. 3). A toy-lab run on a 1-D bimodal
target, mean over seeds. Related check: ``gantheory verify --only vanishing-gradient``.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["saturation-toy"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
