r"""
Evaluating samples: Fréchet distance, KID and mode counts
=========================================================

A GAN has no likelihood to report, so its samples are compared with the data in the feature
space :math:`\phi` of a classifier. The Fréchet distance (Heusel et al. 2017) fits a Gaussian
to each feature set,

.. math::

    d_F^2 = \|\mu_r - \mu_g\|^2 + \operatorname{tr}\bigl(\Sigma_r + \Sigma_g
    - 2 (\Sigma_r^{1/2}\Sigma_g\Sigma_r^{1/2})^{1/2}\bigr),

KID (Bińkowski et al. 2018) is the unbiased squared MMD with the kernel
:math:`k(x, y) = (x^\top y / d + 1)^3`, and the mode count classifies each sample and counts
the classes hit, with :math:`\mathrm{KL}(\hat h \,\|\, U)` of the class histogram
(:math:`\log 12 = 2.48` nats when one class of twelve is all there is). Three "generators"
whose quality we know stand in for trained ones: fresh real images, real images with noise,
and real images of a single class. A good metric orders them in that order.

Theory: no page derives these metrics; the closest is :doc:`/theory/practice` (its image models).
"""

# %%
# The classifier
# --------------
# :func:`gantheory.images.metrics.train_classifier` trains the package's small CNN on the
# labelled shapes data (12 classes: 4 shapes x 3 colours); its 128-d penultimate layer is
# :math:`\phi`. These are *not* the Inception features of the published FID, so the numbers
# compare the three sets with each other, not with papers. The gallery draws the shapes at
# 16 x 16 pixels, trains 300 steps on 3,000 images and compares sets of 1,000 (KID on 5
# subsets of 500); ``GANTHEORY_FULL=1`` uses 32 x 32 pixels, 1,500 steps on 12,000 images and
# sets of 5,000 (KID on 10 subsets of 1,000).
import os

import matplotlib.pyplot as plt
import torch
from torchvision.utils import make_grid

from gantheory import plotting
from gantheory.images.data import as_float, shapes
from gantheory.images.metrics import (
    accuracy,
    features,
    frechet_distance,
    kernel_inception_distance,
    mode_histogram_metrics,
    predict,
    train_classifier,
)

plotting.use_style()
if os.environ.get("GANTHEORY_FULL") == "1":
    SIZE, N_TRAIN, STEPS, N, SUBSETS, SUBSET_SIZE = 32, 12_000, 1500, 5000, 10, 1000
else:
    SIZE, N_TRAIN, STEPS, N, SUBSETS, SUBSET_SIZE = 16, 3000, 300, 1000, 5, 500
torch.manual_seed(0)
classifier = train_classifier(shapes(N_TRAIN, SIZE, seed=0), steps=STEPS, batch_size=64,
                              lr=3e-3)
test = shapes(2 * N, SIZE, seed=1)  # images the classifier never saw
print(f"classifier accuracy on held-out shapes: "
      f"{accuracy(classifier, as_float(test.images), test.labels):.3f}")

# %%
# Three sets of "samples" against the same real set
# -------------------------------------------------
# The reference is the first half of the held-out images; every set has ``N`` images in
# [-1, 1].
real = as_float(test.images[:N])
fresh = as_float(test.images[N:])  # the same distribution: the best a generator can do
noisy = (fresh + 0.15 * torch.randn_like(fresh)).clamp(-1, 1)  # every class, degraded images
one_class = shapes(12 * N, SIZE, seed=2)
one_class = as_float(one_class.images[one_class.labels == 0][:N])  # red circles only
sets = {"real": fresh, "real + noise": noisy, "one class": one_class}
phi_real = features(classifier, real)
rows = {}
for name, images in sets.items():
    phi = features(classifier, images)
    kid, kid_std = kernel_inception_distance(phi_real, phi, subsets=SUBSETS,
                                             subset_size=SUBSET_SIZE)
    modes = mode_histogram_metrics(predict(classifier, images).numpy(), n_modes=12)
    rows[name] = (frechet_distance(phi_real, phi), kid, kid_std, modes.modes,
                  modes.kl_to_uniform)
    print(f"{name:13s} FD {rows[name][0]:8.3f}   KID {kid:8.4f} +- {kid_std:.4f}   "
          f"classes hit {modes.modes:2d}/12   KL(h || U) {modes.kl_to_uniform:.3f} nats")

# %%
# The sets and their scores (KID with its standard deviation over the subsets). FD and KID
# are distances: the fresh real images score near 0 (not exactly: two finite samples differ,
# and the unbiased KID estimate of a zero MMD can come out negative), the noisy ones more, and
# the single class most. The mode count sees little wrong with the noisy images (every
# class is still recognised, the histogram nearly uniform) and nearly all of what is wrong
# with the single class; the classifier is not perfect, so a few red circles are called
# something else.
fig = plt.figure(figsize=(9.0, 4.0), layout="constrained")
top, bottom = fig.subfigures(2, 1, height_ratios=(0.6, 1.0))
for ax, (name, images) in zip(top.subplots(1, 3), sets.items(), strict=True):
    ax.imshow(make_grid((images[:16] + 1) / 2, nrow=8, padding=1).permute(1, 2, 0))
    ax.set_title(name, fontsize=9)
    ax.set_axis_off()
names = list(sets)
for ax, (k, label) in zip(bottom.subplots(1, 3),
                          ((0, "Fréchet distance"), (1, "KID"), (3, "classes hit (of 12)")),
                          strict=True):
    bars = ax.bar(names, [rows[n][k] for n in names], color=plotting.CYCLE[:3],
                  yerr=[rows[n][2] for n in names] if k == 1 else None)
    ax.bar_label(bars, fmt="%.1f" if k < 3 else "%d", fontsize=7)
    ax.set_title(label, fontsize=9)
    ax.tick_params(axis="x", labelsize=7)
plt.show()
