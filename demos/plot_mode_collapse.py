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

Theory: :doc:`/theory/mode_collapse`.
"""

# %%
# The experiment
# --------------
# :func:`gantheory.toylab.experiments.mode_collapse` trains each method over several seeds
# and measures the modes captured, the share of high-quality samples and the reverse KL of the
# mode histogram (PacGAN's protocol). The gallery runs the GAN and PacGAN-2 for 2 seeds and
# 400 steps with networks of width 64; ``GANTHEORY_FULL=1`` runs every method with published
# rows, 10 seeds, 3,000 steps and the toy lab's networks.
import os

import matplotlib.pyplot as plt
import torch

from gantheory import plotting
from gantheory.toyconfig import GANConfig
from gantheory.toylab import experiments, plots

FULL = os.environ.get("GANTHEORY_FULL") == "1"
plotting.use_style()
torch.manual_seed(0)
rows, runs = experiments.mode_collapse(
    "ring", methods=("gan", "pacgan2", "pacgan3", "pacgan4") if FULL else ("gan", "pacgan2"),
    seeds=10 if FULL else 2, steps=3000 if FULL else 400,
    base=None if FULL else GANConfig(g_hidden=(64, 64, 64), d_hidden=(64, 64)),
    progress=False)
for row in rows:
    print(f"{row.method:8s} modes {row.modes:.1f} ± {row.modes_se:.1f}, high quality "
          f"{row.high_quality:.0f} %, reverse KL {row.reverse_kl:.2f}")

# %%
# The bars beside PacGAN's Table 1 (:func:`gantheory.toylab.plots.plot_mode_bars`), then the
# samples (:func:`gantheory.toylab.plots.plot_samples`). At a few hundred steps the generators
# have not yet reached the modes: the full size is what compares with the paper.
plots.plot_mode_bars(rows, "ring")
plots.plot_samples(runs, n_seeds=2)
plt.show()
