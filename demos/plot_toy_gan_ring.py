r"""
Toy GANs on the ring and the grid: samples, D and D*
====================================================

Goodfellow et al. (2014), Algorithm 1, with the non-saturating generator loss, on the
ring of 8 Gaussians of standard deviation 0.01 and the 5 x 5 grid of standard deviation 0.05
of PacGAN and VEEGAN.
Beside the trained discriminator :math:`D(x) = \sigma(\ell(x))`, the optimal discriminator of
the *current* generator,

.. math::

    \hat D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + \hat p_g(x)},

with the exact data density and a Gaussian kernel density estimate :math:`\hat p_g` of the
generator's samples (blank where both vanish). The figure shows a few snapshots; the same
function writes every snapshot as an animated GIF (``toy-gan-ring.gif``) beside the PNG.
Related check: ``gantheory verify --only optimal-discriminator``.

Theory: :doc:`/theory/mode_collapse`.
"""

# %%
# Training
# --------
# :class:`gantheory.toylab.GANTrainer` runs Algorithm 1 for a batch of seeds as one computation;
# :meth:`~gantheory.toylab.GANTrainer.run` keeps snapshots of the samples and of the
# discriminator's logits on a grid. The gallery trains one seed per target for 800 steps
# with networks of width 64; ``GANTHEORY_FULL=1`` trains 3,000 steps with the toy lab's width
# 128.
import os

import matplotlib.pyplot as plt
import numpy as np
import torch

from gantheory import plotting
from gantheory.toyconfig import GANConfig, target_named
from gantheory.toylab import GANTrainer, experiments, plots

FULL = os.environ.get("GANTHEORY_FULL") == "1"
STEPS = 3000 if FULL else 800
WIDTH = 128 if FULL else 64
plotting.use_style()
config = GANConfig(loss="non-saturating", steps=STEPS, g_hidden=(WIDTH,) * 3,
                   d_hidden=(WIDTH,) * 2)
runs = {}
for name in ("ring", "grid"):
    torch.manual_seed(0)
    target = target_named(name)
    grid = experiments.grid_points(experiments.view_box(target), 40)  # (1600, 2)
    trainer = GANTrainer(config, target, seeds=[0])
    runs[name] = trainer.run(snapshot_steps=np.linspace(0, STEPS, 4).astype(int).tolist(),
                             grid=grid, n_snapshot=1500, progress=False)

# %%
# What came back: per snapshot, samples of shape (seeds, n, 2) and logits on the grid.
for name, run in runs.items():
    grid = experiments.grid_points(experiments.view_box(run.target), 40)
    for snap in run.snapshots:
        d = 1.0 / (1.0 + np.exp(-snap.logits[0]))
        d_star = experiments.kde_optimal_discriminator(run.target, snap.samples[0], grid)
        print(f"{name} step {snap.step:5d}: samples {snap.samples.shape}, mean D on the grid "
              f"{d.mean():.2f}, mean KDE D* {np.nanmean(d_star):.2f}")

# %%
# The figures: :func:`gantheory.toylab.plots.plot_evolution` (the same function draws the
# ``gantheory toy modes`` snapshots), the ring first, then the grid.
for run in runs.values():
    plots.plot_evolution(run)
plt.show()
