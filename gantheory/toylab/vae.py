r"""A small VAE on toy targets, ``M`` seeds as one batched computation.

Encoder :math:`q_\phi(z|x) = N(\mu_\phi(x), \operatorname{diag} e^{s_\phi(x)})`, decoder
:math:`p_\theta(x|z) = N(m_\theta(z), \operatorname{diag} e^{t_\theta(z)})` (learned variance),
prior :math:`N(0, I)`, trained by Adam on the negative (beta-)ELBO

.. math::

    -\mathcal L = -\mathbb E_{q}[\log p_\theta(x|z)] + \beta\,\mathrm{KL}(q_\phi(z|x)\|p(z)),

each term **summed over dimensions and averaged over the batch** of a seed, from
:mod:`gantheory.losses` (Kingma and Welling 2013). On a 2-D mixture with tiny components the
decoder's log-variance would run to :math:`-\infty`; it is clamped below at
``VAEConfig.min_logvar`` (the one documented clamp).

A VAE covers the modes (its objective is a bound on the forward KL, mean seeking) where a GAN
may drop them; its samples :math:`x \sim p_\theta(x|z)`, :math:`z \sim N(0, I)`, are blurred by
the decoder's variance and by the prior's mass between the modes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from tqdm.auto import tqdm

from gantheory import losses
from gantheory.distributions import GaussianMixture
from gantheory.toyconfig import VAEConfig
from gantheory.toylab.data import MixtureSampler
from gantheory.toylab.nets import StackedMLP
from gantheory.toylab.optim import StackedAdam


@dataclass
class VAERun:
    """A trained batch of toy VAEs.

    Attributes
    ----------
    config : VAEConfig
    seeds : list of int
    encoder, decoder : StackedMLP
    enc_params, dec_params : list of torch.Tensor
    log_likelihood, kl : numpy.ndarray, shape (steps, M)
        Per-seed batch means of the two ELBO terms at every step.
    seconds : float
    """

    config: VAEConfig
    seeds: list[int]
    target: GaussianMixture
    encoder: StackedMLP
    decoder: StackedMLP
    enc_params: list[torch.Tensor]
    dec_params: list[torch.Tensor]
    log_likelihood: np.ndarray
    kl: np.ndarray
    seconds: float

    def decode(self, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Decoder means and (clamped) log-variances of latents ``z`` ``(M, P, J)``."""
        out = self.decoder.apply(self.dec_params, z)
        mean, logvar = out.chunk(2, dim=-1)
        return mean, logvar.clamp(min=self.config.min_logvar)

    @torch.no_grad()
    def decoded_means(self, z: np.ndarray) -> np.ndarray:
        """Decoder means of latents ``z`` ``(P, J)`` under every seed's decoder: ``(M, P, d)``."""
        p0 = self.dec_params[0]
        zz = torch.as_tensor(np.asarray(z), dtype=p0.dtype, device=p0.device)
        return self.decode(zz.expand(len(self.seeds), -1, -1))[0].cpu().numpy()

    @torch.no_grad()
    def sample(self, n: int, seed: int = 0, *, noisy: bool = True) -> np.ndarray:
        r"""``n`` samples per seed, shape ``(M, n, d)``: :math:`z \sim N(0, I)`, then
        :math:`x \sim p(x|z)` (``noisy``) or the decoder mean.
        """
        p0 = self.dec_params[0]
        g = torch.Generator(device=p0.device).manual_seed(seed)
        z = torch.randn(len(self.seeds), n, self.config.latent_dim, generator=g,
                        device=p0.device)
        mean, logvar = self.decode(z)
        if not noisy:
            return mean.cpu().numpy()
        eps = torch.randn(mean.shape, generator=g, device=p0.device)
        return (mean + torch.exp(0.5 * logvar) * eps).cpu().numpy()

    @torch.no_grad()
    def encode(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Posterior means and log-variances of points ``x`` ``(P, d)``: two ``(M, P, J)``."""
        p0 = self.enc_params[0]
        pts = torch.as_tensor(np.asarray(x), dtype=p0.dtype, device=p0.device)
        out = self.encoder.apply(self.enc_params, pts.expand(len(self.seeds), -1, -1))
        mu, logvar = out.chunk(2, dim=-1)
        return mu.cpu().numpy(), logvar.cpu().numpy()


def train_vae(config: VAEConfig, target: GaussianMixture, seeds: Sequence[int] | int = 5, *,
              device: str | torch.device = "cpu", progress: bool = True,
              noise_seed: int = 0) -> VAERun:
    """Train ``M`` VAEs on ``target``.

    Examples
    --------
    >>> from gantheory.presets import ring
    >>> run = train_vae(VAEConfig(steps=3, hidden=(8,)), ring(), seeds=2, progress=False)
    >>> run.kl.shape, run.sample(4).shape
    ((3, 2), (2, 4, 2))
    """
    if not isinstance(config, VAEConfig):
        raise TypeError(f"config must be a VAEConfig; got {type(config).__name__}")
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        if seeds < 1:
            raise ValueError(f"seeds must be >= 1; got {seeds}")
        seeds = list(range(seeds))
    seeds = list(seeds)
    m, device = len(seeds), torch.device(device)
    sampler = MixtureSampler(target, device)
    d, j = target.dim, config.latent_dim
    encoder = StackedMLP(d, 2 * j, config.hidden)
    decoder = StackedMLP(j, 2 * d, config.hidden)
    enc = encoder.init(seeds, device=device)
    dec = decoder.init([s + 1_000_003 for s in seeds], device=device)
    opt = StackedAdam(enc + dec, config.lr, betas=(0.9, 0.999))
    rng = torch.Generator(device=device).manual_seed(noise_seed)
    ll_hist = torch.empty(config.steps, m, device=device)
    kl_hist = torch.empty(config.steps, m, device=device)
    start = time.perf_counter()
    for i in tqdm(range(config.steps), disable=not progress, desc=f"toy VAE x{m} seeds",
                  unit="step", mininterval=1.0):
        x = sampler.sample((m, config.batch_size), rng)  # (M, N, d)
        mu, logvar = encoder.apply(enc, x).chunk(2, dim=-1)  # (M, N, J) each
        # check_finite=False: one diverging seed must not stop the batch of seeds
        z = losses.reparameterize(mu.reshape(-1, j), logvar.reshape(-1, j), generator=rng,
                                  check_finite=False)
        out = decoder.apply(dec, z.reshape(m, -1, j))
        mean, dec_logvar = out.chunk(2, dim=-1)
        dec_logvar = dec_logvar.clamp(min=config.min_logvar)
        ll = losses.gaussian_log_likelihood(mean.reshape(-1, d), x.reshape(-1, d),
                                            dec_logvar.reshape(-1, d), reduction="none",
                                            check_finite=False)
        kl = losses.gaussian_kl_standard(mu.reshape(-1, j), logvar.reshape(-1, j),
                                         reduction="none", check_finite=False)
        ll_seed, kl_seed = ll.reshape(m, -1).mean(1), kl.reshape(m, -1).mean(1)  # (M,)
        loss = -losses.elbo(ll_seed, kl_seed, beta=config.beta, check_finite=False).sum()
        grads = torch.autograd.grad(loss, enc + dec)
        for p, g in zip(enc + dec, grads, strict=True):
            p.grad = g
        opt.step()
        ll_hist[i], kl_hist[i] = ll_seed.detach(), kl_seed.detach()
    return VAERun(config, seeds, target, encoder, decoder, enc, dec, ll_hist.cpu().numpy(),
                  kl_hist.cpu().numpy(), time.perf_counter() - start)
