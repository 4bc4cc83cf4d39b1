r"""
Four-corner latent interpolation
================================

Given four latents :math:`z_{00}, z_{01}, z_{10}, z_{11}`, the image in row :math:`i` and
column :math:`j` of an :math:`8 \times 8` grid decodes

.. math::

    z = (1 - v)\bigl[(1 - u) z_{00} + u z_{01}\bigr] + v\bigl[(1 - u) z_{10} + u z_{11}\bigr],
    \qquad u = \frac{j}{7}, \quad v = \frac{i}{7}.

Middle: a VAE's decoder, with the corners the encoder means of four data images (left) of
four classes. Right: a DCGAN generator, with four random latents as corners. A smooth grid
means the model maps nearby latents to similar images.
"""

import tempfile
from pathlib import Path

from gantheory import figures

spec = figures.FIGURES["latent-interpolation"]
out = tempfile.mkdtemp(prefix="gantheory-gallery-")
figs = figures.draw(spec.name, out, fast=True)
print(f"{spec.title} (theorems: {', '.join(spec.theorems) or 'none'})")
for path in sorted(Path(out).iterdir()):
    print("wrote", path)
