r"""Image metrics in a classifier's feature space: modes, label accuracy, Fréchet distance, KID.

The package trains its own small classifier (:class:`SmallClassifier`, :func:`train_classifier`)
on a labelled data set and caches it (:func:`cached_classifier`); it serves

* **mode counting** on Stacked MNIST (VEEGAN, Srivastava et al. 2017, Sec. 5.2; PacGAN, Lin
  et al. 2018, Sec. 5.2): each of the three channels is classified as a digit, the triple is the
  mode (1000 of them); on 26,000 samples, the number of modes hit and
  :math:`\mathrm{KL}(\hat h \| U_{1000})` (:func:`mode_histogram_metrics`);
* the **label accuracy** of a conditional GAN's samples (:func:`accuracy`);
* the **Fréchet distance** (Heusel et al. 2017) and **KID** (Bińkowski et al. 2018) in its
  penultimate feature space (:func:`frechet_distance`, :func:`kernel_inception_distance`).
  These are *not* the Inception FID of the literature; :func:`inception_fid_status` says whether
  an Inception FID implementation with its weights is present (it is reported as unavailable
  otherwise, never silently replaced).

The Fréchet distance between the Gaussians fitted to two feature sets is the squared
2-Wasserstein distance between those Gaussians,

.. math::

    d_F^2 = \|\mu_1 - \mu_2\|^2 + \operatorname{tr}\bigl(\Sigma_1 + \Sigma_2
    - 2 (\Sigma_1^{1/2}\Sigma_2\Sigma_1^{1/2})^{1/2}\bigr),

the core's :func:`gantheory.divergences.w2_gaussian` squared (a test checks that identity).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn


class SmallClassifier(nn.Module):
    """A small CNN for 28-32 pixel images: two conv blocks, a 128-d feature layer, logits.

    Parameters
    ----------
    channels : int
        Input channels (1 or 3).
    n_classes : int
        Output classes.
    """

    def __init__(self, channels: int = 1, n_classes: int = 10) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.AdaptiveAvgPool2d(4), nn.Flatten(), nn.Linear(64 * 16, 128), nn.ReLU(),
        )
        self.head = nn.Linear(128, n_classes)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The 128-d penultimate features of images in [-1, 1], shape (N, 128)."""
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits, shape (N, n_classes)."""
        return self.head(self.body(x))


def train_classifier(data, *, steps: int = 1500, batch_size: int = 128, lr: float = 1e-3,
                     seed: int = 0, device: str | torch.device = "cpu",
                     progress: bool = False) -> SmallClassifier:
    """Train :class:`SmallClassifier` on a labelled :class:`~gantheory.images.data.ImageData`."""
    from tqdm.auto import tqdm

    if not data.n_classes:
        raise ValueError(f"data must be labelled to train a classifier; {data.name!r} is not")
    torch.manual_seed(seed)
    data = data.to(device)
    model = SmallClassifier(data.channels, data.n_classes).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    rng = torch.Generator(device=torch.device(device)).manual_seed(seed)
    for _ in tqdm(range(steps), disable=not progress, desc="classifier", unit="step"):
        x, y = data.sample_batch(batch_size, rng)
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return model.eval()


def cached_classifier(name: str, make_data, *, cache_dir: str | Path | None = None,
                      device: str | torch.device = "cpu", steps: int = 1500,
                      batch_size: int = 128, lr: float = 1e-3, seed: int = 0,
                      progress: bool = False) -> SmallClassifier:
    """A classifier trained once per data set and training settings, kept in ``cache_dir``
    (weights only).

    ``name`` identifies the data (data set, image size, channels, its seed); the file's name
    adds every training setting (``steps``, ``batch_size``, ``lr``, ``seed``), so that a
    request for another classifier never reuses this one. ``make_data()`` is called only
    when no cached copy exists. The default folder is ``$GANTHEORY_CACHE`` or
    ``~/.cache/gantheory``, under ``classifiers/``.
    """
    import os

    root = Path(cache_dir or os.environ.get("GANTHEORY_CACHE", Path.home() / ".cache" /
                                            "gantheory")) / "classifiers"
    path = root / f"{name}-steps{steps}-batch{batch_size}-lr{lr:g}-seed{seed}.pt"
    if path.exists():
        state = torch.load(path, map_location=device, weights_only=True)
        model = SmallClassifier(state["channels"], state["n_classes"])
        model.load_state_dict(state["weights"])
        return model.to(device).eval()
    data = make_data()
    model = train_classifier(data, steps=steps, batch_size=batch_size, lr=lr, seed=seed,
                             device=device, progress=progress)
    root.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save({"channels": data.channels, "n_classes": data.n_classes,
                "weights": model.state_dict()}, tmp)
    tmp.replace(path)
    return model


@torch.no_grad()
def predict(model: SmallClassifier, images: torch.Tensor, batch_size: int = 512) -> torch.Tensor:
    """Predicted classes of images in [-1, 1], shape (N,)."""
    model.eval()
    return torch.cat([model(images[i:i + batch_size]).argmax(1)
                      for i in range(0, len(images), batch_size)])


@torch.no_grad()
def features(model: SmallClassifier, images: torch.Tensor, batch_size: int = 512, *,
             progress: bool = False, desc: str = "features") -> np.ndarray:
    """Penultimate features of images in [-1, 1], float64 array (N, 128)."""
    from tqdm.auto import tqdm

    model.eval()
    starts = tqdm(range(0, len(images), batch_size), disable=not progress, desc=desc,
                  unit="batch", leave=False)
    return torch.cat([model.features(images[i:i + batch_size]).double().cpu()
                      for i in starts]).numpy()


def accuracy(model: SmallClassifier, images: torch.Tensor, labels: torch.Tensor) -> float:
    """Fraction of ``images`` classified as ``labels`` (a conditional GAN's label accuracy)."""
    return float((predict(model, images).cpu() == labels.cpu()).double().mean())


@dataclass(frozen=True)
class ModeHistogram:
    """Modes hit and the KL of the mode histogram to the uniform distribution (nats)."""

    modes: int
    n_modes: int
    kl_to_uniform: float
    n_samples: int


def mode_histogram_metrics(labels: np.ndarray, n_modes: int) -> ModeHistogram:
    r"""Modes with at least one sample, and :math:`\mathrm{KL}(\hat h\|U) = \sum_m \hat h_m
    \log(n \hat h_m)` (:math:`0 \log 0 = 0`).

    Examples
    --------
    >>> m = mode_histogram_metrics(np.array([0, 0, 1, 1]), n_modes=4)  # half the modes
    >>> m.modes, round(m.kl_to_uniform, 12) == round(float(np.log(2)), 12)
    (2, True)
    """
    labels = np.asarray(labels).ravel()
    if labels.size == 0:
        raise ValueError("labels must not be empty")
    counts = np.bincount(labels, minlength=n_modes).astype(float)
    h = counts / counts.sum()
    nz = h > 0
    return ModeHistogram(int(nz.sum()), n_modes, float(np.sum(h[nz] * np.log(n_modes * h[nz]))),
                         int(labels.size))


def stacked_mnist_modes(model: SmallClassifier, images: torch.Tensor) -> ModeHistogram:
    """Classify each channel of (N, 3, H, W) images in [-1, 1] as a digit; mode = the triple."""
    if images.ndim != 4 or images.shape[1] != 3:
        raise ValueError(f"images must have shape (N, 3, H, W); got {tuple(images.shape)}")
    digits = [predict(model, images[:, c:c + 1]).cpu().numpy() for c in range(3)]
    return mode_histogram_metrics(100 * digits[0] + 10 * digits[1] + digits[2], 1000)


def _psd_sqrt(s: np.ndarray) -> np.ndarray:
    """The symmetric square root of a covariance matrix (eigenvalues clipped at 0)."""
    w, v = np.linalg.eigh((s + s.T) / 2.0)
    return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    r"""Fréchet distance between Gaussians fitted to feature sets ``a`` (N, d) and ``b`` (M, d).

    .. math:: \|\mu_a - \mu_b\|^2 + \operatorname{tr}\bigl(\Sigma_a + \Sigma_b
              - 2 (\Sigma_a^{1/2} \Sigma_b \Sigma_a^{1/2})^{1/2}\bigr),

    the squared 2-Wasserstein distance of the two Gaussians. The trace of the root is the
    sum of the square roots of the eigenvalues of the symmetric positive semi-definite
    :math:`\Sigma_a^{1/2} \Sigma_b \Sigma_a^{1/2}`, so singular covariances (fewer samples
    than features, a collapsed generator) need no regularisation.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(f"a and b must be (N, d) and (M, d); got {a.shape} and {b.shape}")
    if len(a) < 2 or len(b) < 2:
        raise ValueError("a and b need at least 2 samples each to fit a covariance")
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.atleast_2d(np.cov(a, rowvar=False)), np.atleast_2d(np.cov(b, rowvar=False))
    root1 = _psd_sqrt(s1)
    middle = np.linalg.eigvalsh(root1 @ s2 @ root1)
    trace_root = float(np.sum(np.sqrt(np.clip(middle, 0.0, None))))
    value = float(np.sum((mu1 - mu2) ** 2) + np.trace(s1) + np.trace(s2) - 2.0 * trace_root)
    return max(value, 0.0)  # a negative value is rounding of a zero distance


def kernel_inception_distance(a: np.ndarray, b: np.ndarray, *, subsets: int = 10,
                              subset_size: int = 1000, seed: int = 0) -> tuple[float, float]:
    r"""Unbiased squared MMD with the kernel :math:`k(x, y) = (x^\top y / d + 1)^3`.

    Averaged over disjoint subsets (Bińkowski et al. 2018 average over ``subsets`` subsets of
    ``subset_size``): both sets are shuffled and cut into :math:`s` disjoint blocks of
    :math:`m` rows, :math:`m` = ``subset_size`` or less so that at least two blocks fit,
    :math:`s` = ``subsets`` or as many as fit. Returns (mean, standard deviation over the
    blocks). The blocks hold different samples, so the standard deviation is the spread of
    independent estimates; it is NaN when fewer than two blocks of two rows fit (fewer than 4
    samples in a set): it would mean nothing.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> mean, sd = kernel_inception_distance(rng.normal(size=(400, 4)),
    ...                                      rng.normal(size=(400, 4)))
    >>> bool(sd > 0)  # 10 disjoint blocks of 40: a real spread
    True
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(f"a and b must be (N, d) and (M, d); got {a.shape} and {b.shape}")
    d, n = a.shape[1], min(len(a), len(b))
    if n < 2:
        raise ValueError(f"a and b need at least 2 samples each; got {len(a)} and {len(b)}")
    m = max(2, min(subset_size, n // 2))  # rows per block: at least two blocks where n >= 4
    blocks = max(1, min(subsets, n // m))
    rng = np.random.default_rng(seed)
    pa, pb = rng.permutation(len(a)), rng.permutation(len(b))
    values = []
    for i in range(blocks):
        x, y = a[pa[i * m:(i + 1) * m]], b[pb[i * m:(i + 1) * m]]
        kxx, kyy, kxy = ((x @ x.T / d + 1) ** 3, (y @ y.T / d + 1) ** 3, (x @ y.T / d + 1) ** 3)
        mmd = ((kxx.sum() - np.trace(kxx)) / (m * (m - 1))
               + (kyy.sum() - np.trace(kyy)) / (m * (m - 1)) - 2 * kxy.mean())
        values.append(mmd)
    sd = float(np.std(values, ddof=1)) if blocks > 1 else float("nan")
    return float(np.mean(values)), sd


def inception_fid_status() -> str:
    """Whether an Inception FID can be computed here: ``"available (...)"`` or why not."""
    try:
        import torchmetrics.image.fid  # noqa: F401
    except ImportError:
        pass
    else:
        return "available (torchmetrics; its Inception weights must be on disk or downloadable)"
    try:
        import torch_fidelity  # noqa: F401
    except ImportError:
        return "unavailable: neither torchmetrics[image] nor torch-fidelity is installed"
    return "available (torch-fidelity; its Inception weights must be on disk or downloadable)"



def inception_fid(fake: torch.Tensor, real: torch.Tensor, batch_size: int = 250
                  ) -> float | str:
    """The Inception FID of images in [-1, 1] through torchmetrics, or why it is unavailable.

    Uses ``torchmetrics.image.fid.FrechetInceptionDistance`` (2048-d pool features) when the
    package and its Inception weights are there; returns the reason as a string otherwise
    (no package, or weights that cannot be loaded on a machine with no network), so that a
    report says "unavailable" instead of failing.
    """
    try:
        from torchmetrics.image.fid import FrechetInceptionDistance
    except ImportError:
        return inception_fid_status()
    try:
        fid = FrechetInceptionDistance(feature=2048, normalize=True).to(fake.device)
        for images, is_real in ((real, True), (fake, False)):
            for i in range(0, len(images), batch_size):
                x = (images[i:i + batch_size].float() + 1.0) / 2.0  # [0, 1]
                if x.shape[1] == 1:
                    x = x.repeat(1, 3, 1, 1)
                fid.update(x, real=is_real)
        return float(fid.compute())
    except Exception as exc:  # weights missing or not downloadable: report, do not fail
        return f"unavailable: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
