r"""
The Gaussian KL surface and its gradient
========================================

The KL term of a VAE with encoder :math:`q(z|x) = \mathcal N(\mu, \sigma^2)` (one latent
dimension) and prior :math:`\mathcal N(0, 1)` is (Kingma and Welling 2013, Appendix B)

.. math::

    \mathrm{KL}(\mathcal N(\mu, \sigma^2)\,\|\,\mathcal N(0, 1))
    = \tfrac12\bigl(\mu^2 + \sigma^2 - 1 - \log\sigma^2\bigr),
    \qquad
    \nabla = \Bigl(\mu,\ \sigma - \frac1\sigma\Bigr).

Its only minimum is the prior itself, :math:`(\mu, \sigma) = (0, 1)`, and the negative
gradient (arrows, directions only) points there from everywhere. Right: a slice at
:math:`\mu = 1/2`, where the closed forms (lines) agree with the KL by quadrature and with
central differences of it (markers). Checked by
``gantheory verify --only gaussian-kl vae-kl``.

Theory: :doc:`/theory/vae`.
"""

# %%
# The surface and its gradient
# ----------------------------
# :func:`gantheory.vae_kl.gaussian_kl_standard` is the closed form (summed over the latent
# axis) and :func:`gantheory.vae_kl.gaussian_kl_standard_sigma_grad` its gradient in
# :math:`(\mu, \sigma)`: :math:`(\mu,\ \sigma - 1/\sigma)`.
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import colors

from gantheory import Gaussian, kl, plotting
from gantheory.vae_kl import gaussian_kl_standard, gaussian_kl_standard_sigma_grad

plotting.use_style()
mus, sigmas = np.linspace(-2.5, 2.5, 121), np.linspace(0.15, 3.0, 121)
mu, sigma = np.meshgrid(mus, sigmas)
surface = gaussian_kl_standard(mu[..., None], np.log(sigma**2)[..., None])
i, j = np.unravel_index(np.argmin(surface), surface.shape)
print(f"minimum {surface.min():.2e} at mu = {mus[j]:.2f}, sigma = {sigmas[i]:.3f}")

# %%
# A slice at :math:`\mu = 1/2`, checked against :func:`gantheory.kl` by quadrature and a
# central difference of it.
mu0, h = 0.5, 1e-3
s_line = np.linspace(0.2, 3.0, 300)
closed = gaussian_kl_standard(np.full((300, 1), mu0), np.log(s_line**2)[:, None])
_, d_closed = gaussian_kl_standard_sigma_grad(np.full(300, mu0), s_line)
s_pts = np.linspace(0.3, 2.9, 8)


def kl_quadrature(s):
    """KL(N(mu0, s^2) || N(0, 1)) by quadrature."""
    return kl(Gaussian(mu0, s**2), Gaussian(0.0, 1.0), method="quadrature").value


quad = np.array([kl_quadrature(s) for s in s_pts])
central = np.array([(kl_quadrature(s + h) - kl_quadrature(s - h)) / (2 * h) for s in s_pts])
print("largest |closed form - quadrature|:",
      f"{np.max(np.abs(np.interp(s_pts, s_line, closed) - quad)):.1e}")

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(7.8, 3.0), layout="constrained")
levels = np.concatenate([[0.0], np.geomspace(0.01, surface.max(), 14)])
cs = left.contourf(mus, sigmas, surface, levels=levels, cmap="viridis",
                   norm=colors.PowerNorm(0.35, vmin=0.0, vmax=surface.max()))
fig.colorbar(cs, ax=left, label="KL (nats)", format="%.2g")
qm, qs = np.meshgrid(np.linspace(-2.25, 2.25, 11), np.linspace(0.3, 2.85, 10))
g_mu, g_sigma = gaussian_kl_standard_sigma_grad(qm, qs)
norm = np.hypot(g_mu, g_sigma) + 1e-12
left.quiver(qm, qs, -g_mu / norm, -g_sigma / norm, color="white", angles="xy", scale=22)
left.plot([0.0], [1.0], "*", color=plotting.OPTIMAL, ms=11, mec="white",
          label=r"minimum: $\mathcal{N}(0, 1)$")
left.set(xlabel=r"$\mu$", ylabel=r"$\sigma$", title=r"KL and $-\nabla$KL (directions)")
left.legend(loc="lower left", fontsize=7)
right.plot(s_line, closed, color=plotting.GENERATOR, label="KL, closed form")
right.plot(s_line, d_closed, color="#5e3c99", label=r"$\partial KL/\partial\sigma = "
           r"\sigma - 1/\sigma$")
right.plot(s_pts, quad, "o", color=plotting.GENERATOR, mfc="none", label="KL by quadrature")
right.plot(s_pts, central, "s", color="#5e3c99", mfc="none",
           label="central difference of quadrature")
right.set(ylim=(-3.0, 3.5), xlabel=r"$\sigma$", title=rf"slice at $\mu = {mu0}$")
right.legend(loc="lower right", fontsize=6.5)
fig.suptitle(r"$\mathrm{KL}(\mathcal{N}(\mu, \sigma^2)\,\|\,\mathcal{N}(0, 1)) = "
             r"\frac{1}{2}(\mu^2 + \sigma^2 - 1 - \log\sigma^2)$ and its gradient")
plt.show()
