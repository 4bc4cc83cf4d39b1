r"""
Dirac-GAN: which training methods converge
==========================================

Mescheder, Geiger and Nowozin (2018): data :math:`\delta_0`, generator :math:`\delta_\theta`,
discriminator :math:`D_\psi(x) = \psi x`, objective :math:`L(\theta, \psi) = f(\psi\theta) +
f(0)`. At the equilibrium :math:`(0, 0)` the gradient field's Jacobian

.. math::

    J = \begin{pmatrix} 0 & -f'(0) \\ f'(0) & 0 \end{pmatrix},
    \qquad \lambda = \pm i f'(0),

has purely imaginary eigenvalues: simultaneous gradient steps spiral out, alternating steps
cycle. Instance noise, the R1 penalty :math:`\tfrac\gamma2\psi^2` and consensus optimisation
move the eigenvalues into the left half-plane, and the steps converge. Each panel shows the
directions of the field and the two kinds of steps from :math:`(1, 1)`, classified by what
the trajectory does. Checked by ``gantheory verify --only dirac-eigenvalues dirac-dynamics``.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["dirac-gan"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
