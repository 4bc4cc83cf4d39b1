r"""Evaluating image models: the VAE's test log-likelihood by importance sampling.

For a VAE with encoder :math:`q(z|x)`, decoder :math:`p(x|z)` (Bernoulli on pixels) and prior
:math:`N(0, I)`, the marginal likelihood is estimated with :math:`K` importance samples from
the encoder (Burda, Grosse and Salakhutdinov 2016, eq. (8)):

.. math::

    \log p(x) \ge \mathcal L_K(x) = \mathbb E\Bigl[\log \frac1K \sum_{k=1}^K
    \frac{p(x|z_k)\,p(z_k)}{q(z_k|x)}\Bigr],\qquad z_k \sim q(z|x),

which increases with :math:`K` and tends to :math:`\log p(x)`; the reported test NLL is
:math:`-\frac1N\sum_n \mathcal L_K(x_n)` in nats, :math:`K = 5000` for the published numbers
(Burda et al., Table 1: VAE 86.76, IWAE 84.78 on dynamically binarised MNIST).

Test images are binarised once with a fixed seed (a stochastic binarisation of the test set,
the usual protocol for "dynamically binarised MNIST"); pass ``binarize=False`` for data that
are already binary.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from gantheory import losses


@dataclass(frozen=True)
class NLLResult:
    """Test negative log-likelihood in nats per image, with its standard error over images."""

    nll: float
    se: float
    k: int
    n_images: int


@torch.no_grad()
def vae_nll(vae, images: torch.Tensor, *, k: int = 5000, batch_size: int = 16,
            chunk: int = 500, binarize: bool = True, seed: int = 0) -> NLLResult:
    r"""Importance-sampled NLL of ``images`` under a Bernoulli VAE.

    Parameters
    ----------
    vae : module
        With ``encode(x) -> (mu, logvar)`` taking images in [-1, 1] and ``decode(z) ->
        logits`` of shape (N, C, H, W).
    images : torch.Tensor, shape (N, C, H, W)
        Float intensities in [0, 1].
    k : int
        Importance samples per image.
    batch_size, chunk : int
        Images per forward pass and samples per pass (memory).
    binarize : bool
        Draw a Bernoulli sample of each pixel once (seeded), else use ``images`` as they are.
    seed : int
        Seed of the binarisation and the importance samples.

    Returns
    -------
    NLLResult
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be an integer >= 1; got {k!r}")
    if images.ndim != 4:
        raise ValueError(f"images must have shape (N, C, H, W); got {tuple(images.shape)}")
    device = images.device
    g = torch.Generator(device=device).manual_seed(seed)
    dtype = torch.promote_types(images.dtype, torch.float32)  # float32, or float64 if given
    x = images.to(dtype)
    x = torch.bernoulli(x, generator=g) if binarize else x
    bounds = []
    for start in range(0, len(x), batch_size):
        xb = x[start:start + batch_size]  # (B, C, H, W)
        mu, logvar = (t.to(dtype) for t in vae.encode(xb * 2.0 - 1.0))  # (B, J)
        log_w = []
        for s in range(0, k, chunk):
            m = min(chunk, k - s)
            eps = torch.randn(m, *mu.shape, generator=g, device=device, dtype=dtype)  # (m,B,J)
            z = mu + torch.exp(0.5 * logvar) * eps
            logits = vae.decode(z.reshape(-1, mu.shape[1])).to(dtype)  # (m B, C, H, W)
            target = xb.expand(m, *xb.shape).reshape(-1, *xb.shape[1:])
            ll = losses.bernoulli_log_likelihood(logits, target, reduction="none")
            log_w.append(ll.reshape(m, -1)
                         + losses.gaussian_log_density(z, torch.zeros_like(mu))
                         - losses.gaussian_log_density(z, mu, logvar))  # (m, B)
        bounds.append(losses.iwae_bound(*_split(torch.cat(log_w)), reduction="none"))
    per_image = torch.cat(bounds)  # (N,)
    n = len(per_image)
    se = float(per_image.std() / n**0.5) if n > 1 else float("nan")
    return NLLResult(-float(per_image.mean()), se, k, n)


def _split(log_w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``iwae_bound`` takes the three log terms; pass the weights as one of them."""
    zeros = torch.zeros_like(log_w)
    return log_w, zeros, zeros
