"""How closely the torch losses agree with the numpy core: the numbers behind the loss library.

Prints, for toy pairs whose densities are known exactly:

* the minimax discriminator loss at D*'s logits, its expectation taken by the core's
  quadrature, against log 4 - 2 JSD (Goodfellow et al. 2014, Theorem 1);
* every f-GAN row's variational objective at T* = f'(p/q) against the core's D_f;
* the VAE KL and its autograd gradients against the closed form, torch.distributions and the
  derivatives mu and sigma - 1/sigma.

Run::

    python benchmarks/measure_losses.py
"""

from __future__ import annotations

import math

import numpy as np
import torch

import gantheory as g
from gantheory import losses
from gantheory.discriminator import optimal_discriminator
from gantheory.divergences.fdiv import TABLE
from gantheory.divergences.numerical import integrate
from gantheory.presets import bimodal


def _t(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float64))


def minimax_at_d_star(p, q) -> float:
    """|E_p[-log D*] + E_q[-log(1 - D*)] - (log 4 - 2 JSD)| by quadrature."""
    d_star = optimal_discriminator(p, q)

    def integrand(x, lp, lq):
        v = _t(d_star.logit(x))
        terms = losses.minimax_d_loss(v, v, reduction="none")
        return np.exp(lp) * terms.real.numpy() + np.exp(lq) * terms.fake.numpy()

    value = integrate(p, q, integrand, method="quadrature").value
    return abs(value - (math.log(4.0) - 2.0 * g.jsd(p, q).value))


def fgan_at_t_star(p, q, name: str) -> float:
    """|E_p[T*] - E_q[f*(T*)] - D_f(P||Q)| with T* = f'(p/q), by quadrature."""
    row = TABLE[name]

    def integrand(x, lp, lq):
        ratio = np.exp(lp - lq)
        t = _t(row.f_prime(ratio))
        return np.exp(lp) * t.numpy() - np.exp(lq) * losses.fgan_conjugate(t, name).numpy()

    value = integrate(p, q, integrand, method="quadrature").value
    return abs(value - g.f_divergence(p, q, name).value)


def vae_kl_errors() -> tuple[float, float]:
    """Max |KL - closed form / torch.distributions| and max gradient error, float64."""
    gen = torch.Generator().manual_seed(0)
    mu = torch.randn(64, 16, dtype=torch.float64, generator=gen).requires_grad_()
    sigma = (0.2 + torch.rand(64, 16, dtype=torch.float64, generator=gen)).requires_grad_()
    kl = losses.gaussian_kl_standard(mu, 2 * torch.log(sigma), reduction="none")  # (N,)
    normal = torch.distributions.Normal
    ref = torch.distributions.kl_divergence(normal(mu, sigma), normal(0.0, 1.0)).sum(1)
    value_error = float((kl - ref).detach().abs().max())
    d_mu, d_sigma = torch.autograd.grad(kl.sum(), (mu, sigma))
    grad_error = max(float((d_mu - mu).abs().max()),
                     float((d_sigma - (sigma - 1 / sigma)).abs().max()))
    return value_error, grad_error


def main() -> None:
    """Print the table."""
    pairs = {
        "N(0,1) vs N(1.5,0.64)": (g.Gaussian(0.0, 1.0), g.Gaussian(1.5, 0.64)),
        "bimodal vs N(0.5,1)": (bimodal(), g.Gaussian(0.5, 1.0)),
    }
    print(f"torch {torch.__version__}, float64, CPU")
    for label, (p, q) in pairs.items():
        print(f"minimax D loss at D* vs log4 - 2JSD   [{label}]: {minimax_at_d_star(p, q):.1e}")
    p, q = g.Gaussian(0.0, 1.0), g.Gaussian(0.8, 1.69)
    worst = max((fgan_at_t_star(p, q, name), name) for name in TABLE)
    print(f"f-GAN objective at T* vs D_f, worst of {len(TABLE)} rows: {worst[0]:.1e} ({worst[1]})")
    value_error, grad_error = vae_kl_errors()
    print(f"VAE KL vs torch.distributions: {value_error:.1e}; gradients vs mu, sigma - 1/sigma: "
          f"{grad_error:.1e}")


if __name__ == "__main__":
    main()
