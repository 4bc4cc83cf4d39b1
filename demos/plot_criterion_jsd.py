r"""
C(G) = -log 4 + 2 JSD
=====================

Theorem 1 of Goodfellow et al. (2014): the virtual training criterion is

.. math::

    C(G) = \max_D V(G, D) = V(G, D^*) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data}\,\|\,p_g),

whose global minimum :math:`-\log 4` is reached only at :math:`p_g = p_\text{data}`, and which
tends to 0 as the two distributions separate. Left: :math:`C(G)` computed as the value
function at :math:`D^*` (markers) and :math:`2\,\mathrm{JSD} - \log 4` computed independently
(lines) along three families of Gaussian generators. Right: the same two numbers for random
mixture generators against bimodal data, on the identity line. Checked by
``gantheory verify --only criterion-jsd``.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["criterion-jsd"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
