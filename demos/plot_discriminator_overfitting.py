r"""
A discriminator overfits a finite training sample
=================================================

The discriminator never sees :math:`p_\text{data}`, only :math:`n` training points
:math:`x_1, \dots, x_n`, so what it maximises is the value against the empirical distribution
:math:`\hat p = \frac1n\sum_i \delta_{x_i}`,

.. math::

    \hat V(D) = \frac1n\sum_{i=1}^n \log D(x_i) + \mathbb E_{x \sim p_g}[\log(1 - D(x))],
    \qquad \hat D^* = \frac{\hat p}{\hat p + p_g} = \begin{cases} 1 & \text{at the } x_i \\
    0 & \text{elsewhere,} \end{cases}

with :math:`\hat V(\hat D^*) = 0` whatever :math:`p_g` is: a discriminator flexible enough
memorises the training points, its training loss goes to 0, and it no longer says anything
about :math:`p_\text{data}` or about the generator (Arora et al. 2017 make this point about the
generalisation of GAN objectives). Here the generator is fixed, a Gaussian, and one
discriminator trains on :math:`n = 128` points in 16 dimensions.

Theory: :doc:`/theory/practice`.
"""

# %%
# The setting
# :math:`p_\text{data} = \mathcal N(0, I_{16})`. Two fixed generators: a perfect one,
# :math:`p_g = p_\text{data}`, and a biased one, :math:`p_g = \mathcal N(\mu, I)` with
# :math:`\|\mu\| = 1`. For the biased one the best possible accuracy is that of the exact
# :math:`D^* = p_\text{data}/(p_\text{data} + p_g)` (:func:`gantheory.optimal_discriminator`),
# :math:`\Phi(\|\mu\|/2)`; for the perfect one it is 1/2. Each step draws fresh samples from
# the generator, as GAN training does, but the real minibatch comes from the same 128 points.
# The gallery trains 600 steps; ``GANTHEORY_FULL=1`` 3,000. A third run, the biased generator
# against a fresh real minibatch every step, shows what the discriminator learns without the
# finite sample.
import os

import matplotlib.pyplot as plt
import numpy as np
import torch
from scipy.stats import norm
from torch import nn

from gantheory import Gaussian, optimal_discriminator, plotting
from gantheory.losses import minimax_d_loss

FULL = os.environ.get("GANTHEORY_FULL") == "1"
STEPS, DIM, N_TRAIN, BATCH = (3000 if FULL else 600), 16, 128, 64
plotting.use_style()
torch.manual_seed(0)
p_data = Gaussian(np.zeros(DIM), 1.0)
mu = np.full(DIM, 1.0 / np.sqrt(DIM))  # |mu| = 1
generators = {"perfect G": Gaussian(np.zeros(DIM), 1.0), "biased G": Gaussian(mu, 1.0)}
train = torch.tensor(p_data.sample(N_TRAIN, seed=0), dtype=torch.float32)  # (128, 16)
held_out = torch.tensor(p_data.sample(2000, seed=1), dtype=torch.float32)  # never trained on


def accuracy(logits_real, logits_fake):
    """Mean of the two accuracies: real called real (logit > 0), fake called fake.

    A tie (logit 0, D = 1/2) counts as half right.
    """
    right_real = (logits_real.sign() + 1) / 2  # 1, 1/2 or 0
    right_fake = (1 - logits_fake.sign()) / 2
    return 0.5 * float(right_real.mean() + right_fake.mean())


for name, p_g in generators.items():
    fake = p_g.sample(2000, seed=2)
    exact = optimal_discriminator(p_data, p_g)
    best = accuracy(torch.tensor(exact.logit(held_out.numpy())), torch.tensor(exact.logit(fake)))
    print(f"{name}: the exact D* scores accuracy {best:.3f} on held-out data "
          f"(Phi(|mean of p_g| / 2) = {norm.cdf(np.linalg.norm(p_g.mean) / 2):.3f})")

# %%
# The loop, with the accuracies and losses on the training points and on held-out data
# Every 25 steps: accuracy and loss on the 128 points and on 2,000 held-out points, each
# against 2,000 fresh samples of the generator. (For the fresh-data run the 128 points are
# just more held-out data.)
RUNS = {"perfect G, 128 points": ("perfect G", True), "biased G, 128 points": ("biased G", True),
        "biased G, fresh data": ("biased G", False)}
curves = {}
for run, (g_name, finite) in RUNS.items():
    p_g = generators[g_name]
    shift = torch.tensor(p_g.mean, dtype=torch.float32)  # G(z) = shift + z, z ~ N(0, I)
    D = nn.Sequential(nn.Linear(DIM, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                      nn.Linear(256, 1), nn.Flatten(0))  # (N, 16) -> (N,) logits
    opt = torch.optim.Adam(D.parameters(), lr=1e-3)
    rows = []
    for step in range(STEPS + 1):
        if step % 25 == 0:
            with torch.no_grad():
                fake = shift + torch.randn(2000, DIM)
                lf, lt, lh = D(fake), D(train), D(held_out)
                rows.append((step, accuracy(lt, lf), accuracy(lh, lf),
                             minimax_d_loss(lt, lf[:N_TRAIN]).item(),
                             minimax_d_loss(lh, lf).item()))
        real = train[torch.randint(N_TRAIN, (BATCH,))] if finite else torch.randn(BATCH, DIM)
        fake = shift + torch.randn(BATCH, DIM)
        loss = minimax_d_loss(D(real), D(fake))
        opt.zero_grad()
        loss.backward()
        opt.step()
    curves[run] = np.array(rows)
    best = curves[run][np.argmax(curves[run][:, 2])]
    print(f"{run:22s} end: training accuracy {rows[-1][1]:.3f}, held-out {rows[-1][2]:.3f} "
          f"(best {best[2]:.3f} at step {best[0]:.0f}); D loss on the training points "
          f"{rows[-1][3]:.3f}, on held-out data {rows[-1][4]:.3f} (log 4 = {np.log(4):.3f})")

# %%
# Left: accuracy on the training points (solid) and on held-out data (dashed); dotted, the exact
# :math:`D^*`'s. Right: the discriminator's loss. On the 128 points the training accuracy climbs to
# 1 and the training loss falls towards 0 for the perfect generator just as for the biased one,
# while the held-out accuracy of the biased run falls back towards 1/2 and the held-out loss climbs
# far above :math:`\log 4`: the memorised points say nothing about the data, and the small training
# loss nothing about the generator. With fresh data the discriminator learns the real difference
# instead.
fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 3.2), layout="constrained")
for colour, (run, c) in zip(plotting.CYCLE, curves.items(), strict=False):
    left.plot(c[:, 0], c[:, 1], color=colour, label=f"{run}: training")
    left.plot(c[:, 0], c[:, 2], color=colour, ls="--", label=f"{run}: held out")
    right.plot(c[:, 0], c[:, 3], color=colour, label=f"{run}: training")
    right.plot(c[:, 0], c[:, 4], color=colour, ls="--", label=f"{run}: held out")
left.axhline(norm.cdf(0.5), color=plotting.OPTIMAL, ls=":", label=r"exact $D^*$, biased G")
left.axhline(0.5, color=plotting.DATA, ls=":", lw=0.8, label="chance (= D*, perfect G)")
left.set(xlabel="discriminator step", ylabel="accuracy", title="accuracy")
left.legend(fontsize=6)
right.axhline(np.log(4.0), color=plotting.DATA, ls=":", lw=0.8, label=r"$\log 4$")
right.set(xlabel="discriminator step", ylabel="nats", title="D loss", yscale="log")
plt.show()
