r"""
Saturating and non-saturating generator gradients
=================================================

With the discriminator's logit :math:`\ell` at a generated sample, :math:`D = \sigma(\ell)`,
the two generator losses of Goodfellow et al. (2014, Sec. 3) have the logit gradients

.. math::

    \frac{\partial}{\partial\ell}\log(1 - \sigma(\ell)) = -\sigma(\ell) = -D,
    \qquad
    \frac{\partial}{\partial\ell}\bigl(-\log\sigma(\ell)\bigr) = -(1 - \sigma(\ell)) = -(1 - D).

Early in training the discriminator rejects the samples, :math:`D(G(z)) \to 0`: the saturating
loss's gradient vanishes with :math:`D`, the non-saturating one's stays near 1. Right: at the
optimal discriminator, for :math:`p_\text{data} = \mathcal N(0, 1)` and
:math:`p_\theta = \mathcal N(\theta, 1)` (Arjovsky and Bottou 2017),

.. math::

    \theta\,\Phi(-\theta/2) \le \nabla_\theta\,\mathbb E[\log(1 - D^*)]
    \le 2\theta\,\Phi(-\theta/2) \to 0,

while the :math:`-\log D^*` gradient tends to :math:`\theta`. Checked by
``gantheory verify --only vanishing-gradient ns-gradient``.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["generator-gradients"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
