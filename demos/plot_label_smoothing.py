r"""
Label smoothing, label flipping and instance noise move D*
==========================================================

Train the discriminator by cross-entropy with target :math:`a` on data and :math:`b` on
samples. At each :math:`x` it maximises
:math:`p(x)[a\log D + (1 - a)\log(1 - D)] + q(x)[b\log D + (1 - b)\log(1 - D)]`, with
:math:`p = p_\text{data}` and :math:`q = p_g`: a function :math:`A\log D + B\log(1 - D)`
with :math:`A = a p + b q` and :math:`B = (1 - a) p + (1 - b) q`, whose maximum is at
:math:`D = A/(A + B)` (the derivation of Proposition 1, Goodfellow et al. 2014). So

.. math::

    D^*_{a,b}(x) = \frac{a\,p(x) + b\,q(x)}{p(x) + q(x)} = b + (a - b)\,D^*(x).

One-sided smoothing (Salimans et al. 2016, Sec. 3.4) is :math:`a = 0.9, b = 0`. Flipping each
label with probability :math:`f` leaves the loss linear in the target, so in expectation it
is smoothing with :math:`a = 1 - f`, :math:`b = f`. Instance noise (Sønderby et al. 2017;
Arjovsky and Bottou 2017, Sec. 3) adds :math:`\mathcal N(0, \sigma^2)` to data and samples
alike: :math:`D^*` becomes :math:`p_\sigma/(p_\sigma + q_\sigma)` for the blurred densities
:math:`p_\sigma = p * \mathcal N(0, \sigma^2)`, flatter the larger :math:`\sigma`, and
:math:`\sigma` is annealed to 0 so that the game ends on the real densities.

Theory: :doc:`/theory/practice`.
"""

# %%
# One training loop, four sets of targets
# Data: two modes at :math:`\pm 2` (standard deviation 0.5); a fixed generator
# :math:`p_g = \mathcal N(0.5, 1.5^2)`. Each discriminator trains on
# :func:`gantheory.losses.bce_d_loss` with its targets from
# :func:`gantheory.losses.smooth_labels` and :func:`gantheory.losses.flip_labels`. The gallery
# trains 400 steps of batch 256 per setting; ``GANTHEORY_FULL=1`` 3,000.
import os

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from gantheory import Gaussian, GaussianMixture, optimal_discriminator, plotting
from gantheory.losses import (
    add_instance_noise,
    bce_d_loss,
    flip_labels,
    instance_noise_std,
    smooth_labels,
)
from gantheory.presets import bimodal

STEPS = 3000 if os.environ.get("GANTHEORY_FULL") == "1" else 400
BATCH = 256
p_data, p_g = bimodal(), Gaussian(0.5, 1.5**2)
plotting.use_style()
torch.manual_seed(0)
pool = torch.tensor(p_data.sample(50_000, seed=0), dtype=torch.float32)  # (50000, 1)
x = np.linspace(-5.0, 6.0, 400)
xt = torch.tensor(x, dtype=torch.float32)[:, None]
mass = (p_data.pdf(x) + p_g.pdf(x)) / 2  # where D is trained; the errors are weighted by it
d_star = optimal_discriminator(p_data, p_g)(x)


def new_discriminator():
    """A 1 -> 32 -> 32 -> 1 network with its optimiser; logits of shape (N,)."""
    net = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(),
                        nn.Linear(32, 1), nn.Flatten(0))
    return net, torch.optim.Adam(net.parameters(), lr=3e-3)


def batches():
    """A minibatch of data and one of the fixed generator's samples, (BATCH, 1) each."""
    return pool[torch.randint(len(pool), (BATCH,))], 0.5 + 1.5 * torch.randn(BATCH, 1)


def d_of_x(net):
    """The trained D = sigmoid(logit) on the grid."""
    with torch.no_grad():
        return torch.sigmoid(net(xt)).numpy()


SETTINGS = {"plain (a = 1, b = 0)": (1.0, 0.0, 0.0), "one-sided, a = 0.9": (0.9, 0.0, 0.0),
            "two-sided, a = 0.9, b = 0.1": (0.9, 0.1, 0.0), "flipped, f = 0.1": (1.0, 0.0, 0.1)}
learnt = {}
for name, (a, b, f) in SETTINGS.items():
    net, opt = new_discriminator()
    for _ in range(STEPS):
        real, fake = batches()
        real_targets = smooth_labels(BATCH, a, like=real)  # a = 1: plain targets
        fake_targets = torch.full((BATCH,), b)
        if f > 0:
            real_targets, fake_targets = flip_labels(real_targets, f), flip_labels(fake_targets, f)
        loss = bce_d_loss(net(real), net(fake), real_targets=real_targets,
                          fake_targets=fake_targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
    learnt[name] = d_of_x(net)
    a_eff, b_eff = (1 - f, f) if f > 0 else (a, b)
    predicted = b_eff + (a_eff - b_eff) * d_star  # the formula above
    error = np.sum(mass * abs(learnt[name] - predicted)) / mass.sum()
    print(f"{name:28s} mean |D - D*_ab| {error:.3f}"
          f"   mean |D - D*| {np.sum(mass * abs(learnt[name] - d_star)) / mass.sum():.3f}"
          f"   max D {learnt[name].max():.3f} (formula {predicted.max():.3f})")

# %%
# Instance noise, annealed
# :func:`gantheory.losses.instance_noise_std` lowers :math:`\sigma_t` linearly from 1 to 0
# over the run, and :func:`gantheory.losses.add_instance_noise` adds it to both batches. The
# blurred densities are exact: a Gaussian mixture convolved with :math:`\mathcal N(0,
# \sigma^2)` is the same mixture with :math:`\sigma^2` added to every variance. D is recorded
# when :math:`\sigma_t` reaches 1/2 and at the end.


def blurred(mixture, sigma):
    """The mixture convolved with N(0, sigma^2)."""
    return GaussianMixture(mixture.weights, mixture.means, mixture.covs + sigma**2)


net, opt = new_discriminator()
snapshots = {}
for step in range(STEPS + 1):
    sigma = instance_noise_std(step, STEPS, start=1.0)
    if step in (STEPS // 2, STEPS):
        snapshots[sigma] = d_of_x(net)
    real, fake = batches()
    loss = bce_d_loss(net(add_instance_noise(real, sigma)), net(add_instance_noise(fake, sigma)))
    opt.zero_grad()
    loss.backward()
    opt.step()
for sigma, d in snapshots.items():
    d_sigma = optimal_discriminator(blurred(p_data, sigma), blurred(p_g, sigma))(x)
    print(f"sigma = {sigma:.2f}: mean |D - D*_sigma| "
          f"{np.sum(mass * abs(d - d_sigma)) / mass.sum():.3f}; D*_sigma ranges over "
          f"[{d_sigma.min():.2f}, {d_sigma.max():.2f}]")

# %%
# Left: each trained D (solid) on its predicted optimum :math:`b + (a - b)D^*` (dashed): the
# smoothed ones peak lower than the plain one (:math:`a` times its peak when :math:`b = 0`), the
# optima of the two-sided and flipped ones never fall below :math:`b` (the trained ones come close
# to it between the modes). The printed errors against :math:`D^*_{a,b}` are smaller than against
# the plain :math:`D^*`, except for the plain targets, where the two are the same. Right: the
# optimum for the blurred densities at three noise levels, the trained D at :math:`\sigma = 1/2` and
# at the end, and the annealing schedule.
fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 3.2), layout="constrained")
for colour, (name, (a, b, f)) in zip(plotting.CYCLE, SETTINGS.items(), strict=False):
    a_eff, b_eff = (1 - f, f) if f > 0 else (a, b)
    left.plot(x, learnt[name], color=colour, label=name)
    left.plot(x, b_eff + (a_eff - b_eff) * d_star, color=colour, ls="--", lw=0.9)
left.plot(x, p_data.pdf(x), color=plotting.DATA, lw=0.8, label=r"$p_\mathrm{data}$")
left.plot(x, p_g.pdf(x), color=plotting.PUBLISHED, lw=0.8, label=r"$p_g$")
left.set(xlabel="x", ylabel="D(x)", title=f"targets a, b: trained D and its optimum "
         f"({STEPS} steps)")
left.legend(fontsize=6)
for colour, sigma in zip(plotting.CYCLE[1:4], (1.0, 0.5, 0.0), strict=True):
    right.plot(x, optimal_discriminator(blurred(p_data, sigma), blurred(p_g, sigma))(x),
               color=colour, ls="--", label=rf"$D^*_\sigma$, $\sigma = {sigma:g}$")
    if sigma in snapshots:
        right.plot(x, snapshots[sigma], color=colour,
                   label=rf"D trained, at $\sigma_t = {sigma:g}$")
inset = right.inset_axes((0.68, 0.62, 0.3, 0.3))
steps = np.arange(STEPS + 1)
inset.plot(steps, [instance_noise_std(t, STEPS, 1.0) for t in steps], label="linear")
inset.plot(steps, [instance_noise_std(t, STEPS, 1.0, schedule="cosine") for t in steps],
           label="cosine")
inset.set_title(r"$\sigma_t$", fontsize=7)
inset.tick_params(labelsize=6)
inset.legend(fontsize=5)
right.set(xlabel="x", title="instance noise: the optimum of the blurred densities")
right.legend(fontsize=6, loc="lower left")
plt.show()
