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

Theory: :doc:`/theory/non_saturating`.
"""

# %%
# The experiment
# --------------
# :func:`gantheory.toylab.experiments.saturation` trains the discriminator against a fixed,
# poor generator and measures both generator gradients after 0, 10, 30, ... steps. The gallery
# uses 2 seeds up to 300 steps; ``GANTHEORY_FULL=1`` 5 seeds up to 1,000.
import os

import matplotlib.pyplot as plt
import torch

from gantheory import plotting
from gantheory.toylab import experiments, plots

FULL = os.environ.get("GANTHEORY_FULL") == "1"
plotting.use_style()
torch.manual_seed(0)
records = experiments.saturation(
    d_steps=(0, 10, 30, 100, 300, 1000) if FULL else (0, 10, 30, 100, 300),
    seeds=5 if FULL else 2)
for r in records:
    print(f"{r['d_steps']:5d} D steps: |grad| saturating {r['minimax']:.2e}, "
          f"non-saturating {r['non-saturating']:.2e}, D(G(z)) {r['D(G(z))']:.3f}")

# %%
# :func:`gantheory.toylab.plots.plot_saturation` draws the records.
plots.plot_saturation(records)
plt.show()
