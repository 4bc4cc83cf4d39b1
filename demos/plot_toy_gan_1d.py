r"""
A 1-D GAN on two far-apart modes
================================

Two Gaussians of standard deviation 0.5 at :math:`\pm 5`, twenty standard deviations apart. A
generator that lands on one mode sees a discriminator that is nearly constant in the gap, so
little pulls it across: it collapses. PacGAN (Lin et al. 2018) shows the discriminator
:math:`m` samples at once; a collapsed generator's packs differ from the data's packs, which
mix both modes, and packing keeps both. Each panel: the generator's histogram against the data
density (left axis), and the discriminator against the optimal one of the current generator
(right axis),

.. math::

    \hat D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + \hat p_g(x)},

with :math:`\hat p_g` a kernel density estimate of the generator's samples. Related checks:
``gantheory verify --only optimal-discriminator mode-seeking``.

Theory: :doc:`/theory/mode_collapse`.
"""

# %%
# The experiment
# --------------
# :func:`gantheory.toylab.experiments.one_d` trains both settings for a batch of seeds and
# returns the runs and per-snapshot records. The gallery runs 3 seeds for 500 steps;
# ``GANTHEORY_FULL=1`` runs 8 seeds for 1,500 steps (the ``gantheory toy one-d`` default).
import os

import matplotlib.pyplot as plt
import torch

from gantheory import plotting
from gantheory.toylab import experiments, plots

FULL = os.environ.get("GANTHEORY_FULL") == "1"
plotting.use_style()
torch.manual_seed(0)
runs, records = experiments.one_d(seeds=8 if FULL else 3, steps=1500 if FULL else 500,
                                  n_snapshots=4, progress=False)
for r in records:
    print(f"{r['setting']:20s} step {r['step']:5d}: W1 {r['w1']:.2f}, "
          f"||D - D*|| {r['d_minus_d_star']:.2f}, minority share {r['minority_share']:.2f}, "
          f"collapsed seeds {r['collapsed_seeds']}/{r['seeds']}")

# %%
# The figure: :func:`gantheory.toylab.plots.plot_one_d`, for the seed that collapses most.
plots.plot_one_d(runs)
plt.show()
