r"""
Mode collapse on the ring, beside the published rows
====================================================

The protocol of PacGAN (Lin et al. 2018, Table 1) and VEEGAN: 2,500 generator samples per
seed; a sample is *high quality* if it lies within three standard deviations of a mode; a mode
is *captured* if it has at least one high-quality sample; and the reverse KL
:math:`\mathrm{KL}(\hat q\,\|\,p)` compares the share of high-quality samples per mode,
:math:`\hat q_k`, with the uniform weights :math:`p_k = 1/K`,

.. math::

    \mathrm{KL}(\hat q\,\|\,p) = \sum_k \hat q_k \log\frac{\hat q_k}{1/K}.

Bars: mean and standard error over seeds (orange), and the published rows (hatched grey).
The gallery runs the fast mode, a few seeds and a few hundred steps against PacGAN's 10
trials of about 400k steps, so the orange bars are far from converged there; ``fast=False``
runs every method of ``gantheory.toyconfig.METHODS`` on the ring and the grid with 10 seeds.
Related check: ``gantheory verify --only mode-seeking``.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["mode-collapse"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
