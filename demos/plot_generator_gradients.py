r"""
Saturating and non-saturating generator gradients
=================================================

With the discriminator's logit :math:`\ell` at a generated sample, :math:`D = \sigma(\ell)`,
the two generator losses of Goodfellow et al. (2014, Sec. 3) have the logit gradients

.. math::

    \frac{\partial}{\partial\ell}\log(1 - \sigma(\ell)) = -\sigma(\ell) = -D,
    \qquad
    \frac{\partial}{\partial\ell}\bigl(-\log\sigma(\ell)\bigr) = -(1 - \sigma(\ell)) = -(1 - D).

Early in training the discriminator rejects the samples, :math:`D(G(z)) \to 0`: the saturating
loss's gradient vanishes with :math:`D`, the non-saturating one's stays near 1. Right: at the
optimal discriminator, for :math:`p_\text{data} = \mathcal N(0, 1)` and
:math:`p_\theta = \mathcal N(\theta, 1)` (Arjovsky and Bottou 2017),

.. math::

    \theta\,\Phi(-\theta/2) \le \nabla_\theta\,\mathbb E[\log(1 - D^*)]
    \le 2\theta\,\Phi(-\theta/2) \to 0,

while the :math:`-\log D^*` gradient tends to :math:`\theta`. Checked by
``gantheory verify --only vanishing-gradient ns-gradient``.

Theory: :doc:`/theory/non_saturating`.
"""

# %%
# In the logit
# ------------
# With :math:`D = \sigma(\ell)`, :math:`|\partial_\ell \log(1 - D)| = D` and
# :math:`|\partial_\ell(-\log D)| = 1 - D`: where the discriminator rejects the samples
# (:math:`D \to 0`) the saturating loss has no gradient and the non-saturating one has all of it.
# The torch losses :func:`gantheory.losses.minimax_g_loss` and
# :func:`gantheory.losses.non_saturating_g_loss` give the same numbers by autograd.
import matplotlib.pyplot as plt
import numpy as np
import torch
from scipy import stats

from gantheory import Gaussian, plotting
from gantheory.generator_gradients import pathwise_gradients
from gantheory.losses import minimax_g_loss, non_saturating_g_loss

plotting.use_style()
d = np.logspace(-4, np.log10(0.999), 400)
logits = torch.tensor(np.log(d / (1 - d)), requires_grad=True)
saturating = torch.autograd.grad(minimax_g_loss(logits, reduction="sum"), logits)[0].abs()
non_saturating = torch.autograd.grad(non_saturating_g_loss(logits, reduction="sum"),
                                     logits)[0].abs()
print("autograd = D:", np.allclose(saturating.numpy(), d),
      "| autograd = 1 - D:", np.allclose(non_saturating.numpy(), 1 - d))

# %%
# At :math:`D^*`, as two Gaussians separate
# -----------------------------------------
# For :math:`p_\text{data} = \mathcal N(0, 1)` and :math:`p_\theta = \mathcal N(\theta, 1)`,
# :func:`gantheory.generator_gradients.pathwise_gradients` integrates both gradients in
# :math:`\theta` at :math:`D^*`. The saturating one lies between :math:`\theta\Phi(-\theta/2)`
# and :math:`2\theta\Phi(-\theta/2)` and vanishes; the non-saturating one grows.
thetas = np.linspace(0.25, 12.0, 24)
grads = np.array([pathwise_gradients(Gaussian(0.0, 1.0), t, 1.0,
                                     minimax_atol=1e-10 * stats.norm.cdf(-t / 2.0))
                  for t in thetas])  # columns: non-saturating, minimax
tail = stats.norm.cdf(-thetas / 2.0)
print(f"theta = 12: minimax {grads[-1, 1]:.2e}, non-saturating {grads[-1, 0]:.2f}")

# %%
fig, (a, b, c) = plt.subplots(1, 3, figsize=(9.0, 2.8), layout="constrained")
sat_colour, ns_colour = plotting.CYCLE[1], plotting.GENERATOR
a.plot(d, np.log1p(-d), color=sat_colour, label=r"saturating $\log(1 - D)$")
a.plot(d, -np.log(d), color=ns_colour, label=r"non-saturating $-\log D$")
a.set_xlabel(r"$D(G(z))$")
a.set_ylabel("generator loss (minimised)")
a.legend(fontsize=7)
b.loglog(d, saturating.numpy(), color=sat_colour, label=r"$|\partial_\ell \log(1 - D)| = D$")
b.loglog(d, non_saturating.numpy(), color=ns_colour,
         label=r"$|\partial_\ell (-\log D)| = 1 - D$")
b.axvspan(1e-4, 1e-2, color="#eeeeee", lw=0)
b.set_xlabel(r"$D(G(z)) = \sigma(\ell)$")
b.set_ylabel(r"gradient in the logit $\ell$ (autograd)")
b.legend(loc="lower right", fontsize=7)
c.semilogy(thetas, np.abs(grads[:, 0]), color=ns_colour, label=r"$-\log D^*$")
c.semilogy(thetas, np.abs(grads[:, 1]), color=sat_colour, label=r"$\log(1 - D^*)$")
c.fill_between(thetas, thetas * tail, 2 * thetas * tail, color=sat_colour, alpha=0.2, lw=0,
               label=r"$[\theta\Phi(-\theta/2),\ 2\theta\Phi(-\theta/2)]$")
c.set_xlabel(r"generator mean $\theta$")
c.set_ylabel(r"$|\nabla_\theta|$ at $D^*$")
c.legend(loc="lower left", fontsize=7)
fig.suptitle("saturating vs non-saturating generator gradients (Goodfellow et al. 2014, "
             "Sec. 3; Arjovsky and Bottou 2017)")
plt.show()
