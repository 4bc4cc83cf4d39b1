r"""The VAE (Kingma and Welling 2014): the negative ELBO on pixel intensities in [0, 1].

With encoder :math:`q(z|x) = N(\mu(x), \mathrm{diag}\,\sigma^2(x))`, prior :math:`N(0, I)` and
decoder :math:`p(x|z)` (:class:`~gantheory.nets.ConvVAE`), each step descends

.. math::

    -\mathrm{ELBO}_\beta(x) = -\mathbb E_{q(z|x)}[\log p(x|z)]
                              + \beta\, \mathrm{KL}(q(z|x)\,\|\,N(0, I)),

one reparameterised sample :math:`z = \mu + \sigma \epsilon` per image, the log-likelihood
summed over pixels and the KL over latent dimensions, both averaged over the batch. The
decoder is Bernoulli on (dynamically binarised: a fresh Bernoulli draw of each pixel per use)
intensities, or Gaussian with one learned variance (``likelihood="gaussian"``). Adam 1e-3.
The losses logged are ``neg_elbo``, ``kl`` and ``recon`` (:math:`-\log p(x|z)`).
``gantheory eval`` reports the importance-sampled test NLL of the Bernoulli VAE
(:func:`gantheory.images.evaluation.vae_nll`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import nn

from gantheory import losses, nets
from gantheory.errors import UsageError
from gantheory.images import data as data_module
from gantheory.images.evaluation import vae_nll
from gantheory.images.models.base import (
    Autoencoder,
    EvalSettings,
    ImageConfig,
    TrainingContext,
)


@dataclass(frozen=True)
class VAEConfig(ImageConfig):
    r"""The settings of the VAE: an :class:`~gantheory.images.models.base.ImageConfig`
    (latent 32, Adam 1e-3 with betas (0.9, 0.999)), and the fields below.

    Attributes
    ----------
    likelihood : {"bernoulli", "gaussian"}
        The decoder: Bernoulli on (binarised) intensities, or Gaussian with a learned
        variance.
    beta : float
        :math:`\beta`, the KL weight of the ELBO (1).
    binarize : bool
        Dynamic binarisation of pixels for the Bernoulli decoder.
    """

    latent_dim_range: ClassVar[tuple[int, int | None]] = nets.ConvVAE.LATENT_DIM_RANGE

    latent_dim: int = 32
    lr_g: float = 1e-3
    betas: tuple[float, float] = (0.9, 0.999)
    likelihood: str = "bernoulli"
    beta: float = 1.0
    binarize: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.likelihood not in nets.LIKELIHOODS:
            raise UsageError(f"likelihood must be 'bernoulli' or 'gaussian'; "
                             f"got {self.likelihood!r}")


class VAE(Autoencoder):
    """The VAE: negative ELBO, Bernoulli or Gaussian decoder (module docstring)."""

    config_class = VAEConfig
    network_names = ("vae",)

    def make_networks(self, channels: int, n_classes: int) -> dict[str, nn.Module]:
        """A :class:`~gantheory.nets.ConvVAE` with the config's likelihood."""
        cfg = self.config
        return {"vae": nets.ConvVAE(cfg.latent_dim, cfg.image_size, channels, cfg.width,
                                    cfg.likelihood)}

    def step(self, context: TrainingContext) -> dict[str, torch.Tensor]:
        """One Adam step on the negative ELBO of a batch."""
        cfg = self.config
        real, _ = context.draw_batch()
        target = (real + 1.0) / 2.0  # (B, C, H, W): data in [-1, 1] -> intensities in [0, 1]
        if cfg.likelihood == "bernoulli" and cfg.binarize:
            target = torch.bernoulli(target, generator=context.rng)  # in {0, 1}
        eps = torch.randn(len(real), cfg.latent_dim, generator=context.rng, device=real.device)
        with context.autocast():
            # one forward (mu, logvar, z = mu + sigma eps, decoder output): one DDP pass
            mu, logvar, _, out = context.forward["vae"](target * 2.0 - 1.0, eps)
        if cfg.likelihood == "bernoulli":
            ll = losses.bernoulli_log_likelihood(out.float(), target, check_finite=False)
        else:
            ll = losses.gaussian_log_likelihood(out.float(), target,
                                                logvar=self.networks["vae"].decoder_logvar,
                                                check_finite=False)
        kl = losses.gaussian_kl_standard(mu.float(), logvar.float(), check_finite=False)
        loss = -losses.elbo(ll, kl, beta=cfg.beta, check_finite=False)
        opt = self.optimizers["opt_g"]
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return {"neg_elbo": loss.detach(), "kl": kl.detach(), "recon": -ll.detach()}

    def evaluate(self, settings: EvalSettings) -> dict[str, Any]:
        """The importance-sampled test NLL (nats per image) of the Bernoulli VAE.

        Raises
        ------
        UsageError
            For a Gaussian decoder.

        The result holds the NLL with its two uncertainties, named: the spread over test
        images and the Monte Carlo error of the estimator
        (:class:`~gantheory.images.evaluation.NLLResult`).
        """
        cfg = self.config
        if cfg.likelihood != "bernoulli":
            raise UsageError("the test NLL is defined here for the Bernoulli VAE; this run "
                             "has a Gaussian decoder")
        test = data_module.load_dataset(settings.dataset, settings.root,
                                        image_size=cfg.image_size, train=False,
                                        seed=cfg.seed + 1)
        test = test.subset(slice(0, min(settings.n_test, len(test))))
        images = (data_module.as_float(test.images.to(settings.device)) + 1.0) / 2.0  # [0, 1]
        nll = vae_nll(self.networks["vae"], images, k=settings.k, progress=settings.progress)
        return {"test_nll": nll.nll,
                "test_nll_se_over_images": nll.se,
                "test_nll_mc_se": nll.mc_se,
                "test_nll_errors": "se_over_images: standard error of the mean over the test "
                                   "images; mc_se: Monte Carlo error of the K-sample "
                                   "estimate (delta method on the importance weights)",
                "k": nll.k, "n_test": nll.n_images}
