r"""
V(G, D) is maximal at the optimal discriminator
===============================================

Perturb the optimal discriminator's logit in a direction :math:`h`,
:math:`D_t = \sigma(\log p_\text{data} - \log p_g + t\,h)`. Whatever :math:`h`,

.. math::

    \max_t V(G, D_t) = V(G, D_0) = V(G, D^*)
    = C(G) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data}\,\|\,p_g),

because :math:`a \log y + b \log(1 - y)` has its only maximum on :math:`(0, 1)` at
:math:`y = a/(a + b)` (Goodfellow et al. 2014, Proposition 1 and Theorem 1). Every curve on
the right is computed by quadrature of :math:`V` for that :math:`D_t`; they all peak at
:math:`t = 0` at the height :math:`C(G)` (dotted). Checked by
``gantheory verify --only optimal-discriminator criterion-jsd``.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["value-function"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
