r"""Evaluating image models: a GAN's samples against the data, a VAE's test log-likelihood.

:func:`gan_metrics`
    The metrics of a model that is measured by its samples (the GANs, VAE-GAN): the modes its
    samples cover and the KL of their mode histogram to uniform (classes of the built-in
    shapes or of MNIST digits; the 1000 digit triples of Stacked MNIST, the VEEGAN/PacGAN
    protocol), the Fréchet distance and KID in the features of the package's own classifier
    (:mod:`gantheory.images.metrics`), and a conditional model's label accuracy.
:func:`vae_nll`
    The importance-sampled test NLL of a Bernoulli VAE.

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
from typing import Any

import numpy as np
import torch

from gantheory import losses
from gantheory.errors import UsageError
from gantheory.images import data as data_module
from gantheory.images import metrics
from gantheory.stats import mean_and_standard_error


@dataclass(frozen=True)
class NLLResult:
    r"""Test negative log-likelihood in nats per image, with its two uncertainties.

    Attributes
    ----------
    nll : float
        :math:`-\frac1N \sum_n \hat{\mathcal L}_K(x_n)`.
    se : float
        The spread over images: the standard error of the mean over the :math:`N` test images
        (what another draw of test images would change; NaN for one image).
    mc_se : float
        The estimator's Monte Carlo error: the standard error of ``nll`` over the importance
        samples for these images, by the delta method on the importance weights,
        :math:`\operatorname{Var}\hat{\mathcal L}_K(x) \approx \frac1K
        \operatorname{Var}(w)/\bar w^2` (what another draw of the :math:`K` samples would
        change; it understates the error when the weights are heavy-tailed).
    k, n_images : int
    """

    nll: float
    se: float
    mc_se: float
    k: int
    n_images: int


@torch.no_grad()
def vae_nll(vae, images: torch.Tensor, *, k: int = 5000, batch_size: int = 16,
            chunk: int = 500, binarize: bool = True, seed: int = 0,
            progress: bool = False) -> NLLResult:
    r"""Importance-sampled NLL of ``images`` under a Bernoulli VAE.

    Each decoder pass takes ``batch_size`` images with ``chunk`` latent samples each (one
    batched pass of ``batch_size * chunk`` rows, no loop per sample).

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
    progress : bool
        A progress bar over the batches of images.

    Returns
    -------
    NLLResult
        The NLL, its standard error over images and its Monte Carlo error.
    """
    from tqdm.auto import tqdm

    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be an integer >= 1; got {k!r}")
    if images.ndim != 4:
        raise ValueError(f"images must have shape (N, C, H, W); got {tuple(images.shape)}")
    device = images.device
    g = torch.Generator(device=device).manual_seed(seed)
    dtype = torch.promote_types(images.dtype, torch.float32)  # float32, or float64 if given
    x = images.to(dtype)
    x = torch.bernoulli(x, generator=g) if binarize else x
    bounds, mc_vars = [], []
    starts = tqdm(range(0, len(x), batch_size), disable=not progress, desc="test NLL",
                  unit="batch", leave=False)
    for start in starts:
        xb = x[start:start + batch_size]  # (B, C, H, W)
        mu, logvar = (t.to(dtype) for t in vae.encode(xb * 2.0 - 1.0))  # (B, J)
        log_w = torch.cat([_log_weights(vae, xb, mu, logvar, min(chunk, k - s), g)
                           for s in range(0, k, chunk)])  # (K, B)
        bounds.append(losses.iwae_bound(*_split(log_w), reduction="none"))
        w = torch.exp(log_w - log_w.max(0).values)  # (K, B), scaled per image
        relative = w / w.mean(0)  # w_k / mean(w): mean 1
        mc_vars.append(relative.var(0, correction=0) / k)  # (B,) delta-method variance
    per_image = torch.cat(bounds)  # (N,)
    n = len(per_image)
    mean, se = mean_and_standard_error(per_image.double().cpu().numpy())  # spread over images
    mc_se = float(torch.cat(mc_vars).sum().sqrt() / n)
    return NLLResult(-float(mean), float(se), mc_se, k, n)


def _log_weights(vae, xb: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor, m: int,
                 g: torch.Generator) -> torch.Tensor:
    """``log p(x|z) + log p(z) - log q(z|x)`` for ``m`` samples of each image, (m, B)."""
    eps = torch.randn(m, *mu.shape, generator=g, device=mu.device, dtype=mu.dtype)  # (m,B,J)
    z = mu + torch.exp(0.5 * logvar) * eps
    logits = vae.decode(z.reshape(-1, mu.shape[1])).to(mu.dtype)  # (m B, C, H, W)
    target = xb.expand(m, *xb.shape).reshape(-1, *xb.shape[1:])
    ll = losses.bernoulli_log_likelihood(logits, target, reduction="none")
    return (ll.reshape(m, -1) + losses.gaussian_log_density(z, torch.zeros_like(mu))
            - losses.gaussian_log_density(z, mu, logvar))


def _split(log_w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``iwae_bound`` takes the three log terms; pass the weights as one of them."""
    zeros = torch.zeros_like(log_w)
    return log_w, zeros, zeros


# -- sample-based metrics -------------------------------------------------------------------------
@torch.no_grad()
def generate_many(model, n: int, seed: int, device: str, batch_size: int = 500, *,
                  progress: bool = False) -> tuple[torch.Tensor, torch.Tensor | None]:
    """``n`` images of a built model from seeded latents (labels cycling through the classes
    for a conditional model), and those labels (None otherwise).
    """
    from tqdm.auto import tqdm

    g = torch.Generator(device=device).manual_seed(seed)
    labels = (torch.arange(n, device=device) % max(int(model.n_classes or 0), 1)
              if model.conditional else None)
    chunks = []
    for start in tqdm(range(0, n, batch_size), disable=not progress, desc="generating",
                      unit="batch", leave=False):
        z = torch.randn(min(batch_size, n - start), model.config.latent_dim, generator=g,
                        device=device)
        chunks.append(model.generate(z, None if labels is None
                                     else labels[start:start + len(z)]))
    return torch.cat(chunks), labels


def _data_key(dataset: str, image_size: int, channels: int, seed: int) -> str:
    """The part of a cached classifier's name that identifies its training data: the data
    set (a path after the colon as a short hash), image size, channels and the data's seed.
    """
    import hashlib

    kind, sep, path = dataset.partition(":")
    where = f"-{hashlib.sha1(path.encode()).hexdigest()[:10]}" if sep else ""
    return f"{data_module._canonical(kind)}{where}-{image_size}px-{channels}ch-data{seed}"


def gan_metrics(model, settings) -> dict[str, Any]:
    """The sample-based metrics of a built model (see the module docstring).

    Parameters
    ----------
    model : gantheory.images.models.base.ImageModel
        Built, with trained weights, in eval mode.
    settings : gantheory.images.models.base.EvalSettings
        ``n_samples`` generated images (default 26,000 for Stacked MNIST as in VEEGAN/PacGAN,
        else 10,000), ``n_test`` real ones, the classifier's ``classifier_steps``.

    Returns
    -------
    dict
        ``classifier_accuracy_held_out``, ``n_samples``, ``modes``, ``n_modes``,
        ``kl_to_uniform``, ``frechet_distance_classifier``, ``kid_classifier``,
        ``kid_classifier_sd``, ``inception_fid``, and ``label_accuracy`` for a conditional
        model.

    Raises
    ------
    UsageError
        If the data set compared with has no labels.
    """
    config, name, device = model.config, settings.dataset, settings.device
    root, n_test, size = settings.root, settings.n_test, config.image_size
    kind = data_module._canonical(name.partition(":")[0])
    stacked = kind == "stacked-mnist"
    n = settings.n_samples or (26_000 if stacked else 10_000)
    bar = settings.progress
    images, labels = generate_many(model, n, seed=config.seed + 7, device=device,
                                   progress=bar)
    options = {"device": device, "steps": settings.classifier_steps, "progress": bar}
    if stacked:
        path = name.partition(":")[2]

        def digits(train: bool = True):
            source = (data_module.load_mnist_npz(path, train=train) if path else
                      data_module.load_torchvision("mnist", root, train=train))
            return data_module.pad_or_resize(source, size)

        clf = metrics.cached_classifier(_data_key(f"mnist:{path}" if path else "mnist",
                                                  size, 1, 0), digits, **options)
        held_out = digits(train=False)
        classifier_accuracy = metrics.accuracy(
            clf, data_module.as_float(held_out.images.to(device)), held_out.labels)
        modes = metrics.stacked_mnist_modes(clf, images)
        real = data_module.load_dataset(name, root, image_size=size, n=min(n_test, 26_000),
                                        train=False, seed=config.seed + 1)
        real_images = data_module.as_float(real.images.to(device))

        def channel_features(x):  # the digit classifier's features of each channel, joined
            return np.concatenate([metrics.features(clf, x[:, c:c + 1], progress=bar)
                                   for c in range(3)], 1)

        fake_features, real_features = channel_features(images), channel_features(real_images)
    else:
        # the classifier learns the training split; the real images compared with are held out
        train_data = data_module.load_dataset(name, root, image_size=size, seed=config.seed)
        if not train_data.n_classes:
            raise UsageError(f"the GAN metrics need a labelled data set; {name!r} is not")
        clf = metrics.cached_classifier(_data_key(name, size, train_data.channels,
                                                  config.seed), lambda: train_data, **options)
        real = data_module.load_dataset(name, root, image_size=size, train=False,
                                        seed=config.seed + 1)
        real = real.subset(slice(0, min(n_test, len(real))))
        real_images = data_module.as_float(real.images.to(device))
        classifier_accuracy = metrics.accuracy(clf, real_images, real.labels)
        modes = metrics.mode_histogram_metrics(metrics.predict(clf, images).cpu().numpy(),
                                               real.n_classes)
        fake_features = metrics.features(clf, images, progress=bar)
        real_features = metrics.features(clf, real_images, progress=bar, desc="real features")
    kid, kid_sd = metrics.kernel_inception_distance(fake_features, real_features)
    out = {"classifier_accuracy_held_out": classifier_accuracy,
           "classifier_steps": settings.classifier_steps, "n_samples": n,
           "modes": modes.modes, "n_modes": modes.n_modes,
           "kl_to_uniform": modes.kl_to_uniform,
           "frechet_distance_classifier": metrics.frechet_distance(fake_features,
                                                                   real_features),
           "kid_classifier": kid,
           # None where fewer than two disjoint subsets fit: a spread would mean nothing
           "kid_classifier_sd": None if np.isnan(kid_sd) else kid_sd,
           "inception_fid": metrics.inception_fid(images, real_images)}
    if labels is not None:
        out["label_accuracy"] = metrics.accuracy(clf, images, labels)
    return out
