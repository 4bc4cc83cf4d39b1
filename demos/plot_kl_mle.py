r"""
Maximum likelihood is KL minimisation
=====================================

For data :math:`p` and a model :math:`q_\theta`,

.. math::

    \mathbb E_{x \sim p}[\log q_\theta(x)] = -H(p) - \mathrm{KL}(p\,\|\,q_\theta),

and :math:`H(p)` does not depend on :math:`\theta`: the parameter that maximises the expected
log-likelihood minimises the forward KL. Here a Gaussian :math:`q_\theta` is fitted to a
two-mode mixture, varying its mean (left) and its standard deviation (right). The average
log-likelihood of :math:`n` samples estimates the left side, and its maximum approaches the
population maximiser (the moments :math:`\mathbb E_p[x]`, :math:`\sqrt{\mathrm{Var}_p[x]}`)
as :math:`n` grows; the orange curve is the right side by quadrature. :math:`-H(p)` bounds
both, since :math:`\mathrm{KL} \ge 0`. Checked by ``gantheory verify --only kl-mle gibbs``.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["kl-mle"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
