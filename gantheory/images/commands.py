r"""What ``gantheory train``, ``gantheory sample`` and ``gantheory eval`` do, as functions.

:func:`train`
    Load a data set by name, build the networks of a model (:mod:`gantheory.images.models`),
    train them with :class:`~gantheory.images.trainer.ImageTrainer` into a run folder, or
    resume the run in that folder. Under ``torchrun`` it joins the process group first.
:func:`sample`
    From a run's checkpoint: a grid of random samples, the conditional GAN's class grid
    (a row per class, a column per latent), or the four-corner latent interpolation grid
    (:func:`corner_interpolation`).
:func:`evaluate`
    The numbers of a run: for a GAN, the modes its samples cover and the KL of their mode
    histogram to uniform (classes of the built-in shapes or of MNIST digits; the 1000 digit
    triples of Stacked MNIST, the VEEGAN/PacGAN protocol), the Fréchet distance and KID in
    the features of the package's own classifier, and a conditional GAN's label accuracy;
    for a Bernoulli VAE, the importance-sampled test NLL.

Every run folder holds ``checkpoint.pt``, ``run.json`` (the command's settings, the commit,
the device), ``losses.csv``, ``losses.png`` and ``samples/``.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import torch

from gantheory.images import checkpoint as ckpt
from gantheory.images import data as data_module
from gantheory.images import metrics, models
from gantheory.images.trainer import ImageTrainer, TrainConfig
from gantheory.provenance import provenance

SAMPLE_KINDS = ("random", "classes", "interpolate", "reconstructions")


# -- train --------------------------------------------------------------------------------------
def _init_distributed(device: str) -> str:
    """Join the torchrun process group if there is one; the device of this process."""
    if int(os.environ.get("WORLD_SIZE", "1")) <= 1:
        return device
    import torch.distributed as dist

    if not dist.is_initialized():
        backend = "nccl" if device.startswith("cuda") else "gloo"
        dist.init_process_group(backend)
    if device.startswith("cuda"):
        local = int(os.environ.get("LOCAL_RANK", "0"))
        torch.cuda.set_device(local)
        return f"cuda:{local}"
    return device


def load_training_data(config: TrainConfig, root: str | None = None,
                       n_images: int | None = None) -> data_module.ImageData:
    """The data set ``config.dataset`` at ``config.image_size`` (its training split)."""
    return data_module.load_dataset(config.dataset, root, image_size=config.image_size,
                                    n=n_images, seed=config.seed)


def train(model: str, out: str | Path, *, dataset: str = "shapes", root: str | None = None,
          device: str = "cpu", resume: bool = False, n_images: int | None = None,
          progress: bool = True, **changes: Any) -> ImageTrainer:
    """Train ``model`` on ``dataset`` into the folder ``out``; returns the finished trainer.

    Parameters
    ----------
    model : str
        One of :data:`gantheory.images.trainer.MODELS`.
    out : str or Path
        The run folder. A folder that already holds a checkpoint is refused unless ``resume``.
    dataset, root : str
        A name for :func:`gantheory.images.data.load_dataset` and the torchvision folder.
    device : str
    resume : bool
        Continue the run in ``out`` (only ``steps`` may change, via ``changes``).
    n_images : int, optional
        Use only this many training images.
    progress : bool
    **changes
        :class:`~gantheory.images.trainer.TrainConfig` fields over the model's defaults.
    """
    out = Path(out)
    device = _init_distributed(device)
    path = out / "checkpoint.pt"
    if resume:
        state = ckpt.load(path, map_location=device)
        config = TrainConfig.from_dict(state["config"])
        if set(changes) - {"steps"}:
            raise ValueError("--resume continues a run with its own settings; only --steps "
                             f"may change (got {', '.join(sorted(changes))})")
        if "steps" in changes:
            config = replace(config, steps=changes["steps"])
        data = load_training_data(config, root, n_images)
        nets = models.build_for(config, state["data_shape"][0], state["n_classes"])
        trainer = ImageTrainer(config, data, out, device=device, models=nets)
        trainer.load_state_dict(state)
    else:
        if path.exists():
            raise ValueError(f"{str(out)!r} already holds a run (checkpoint.pt); pass --resume "
                             "to continue it or choose another --out")
        config = TrainConfig.for_model(model, dataset=dataset, **changes)
        data = load_training_data(config, root, n_images)
        trainer = ImageTrainer(config, data, out, device=device,
                               models=models.build(config, data))
    if trainer.is_main:
        out.mkdir(parents=True, exist_ok=True)
        record = provenance(device, config=config.as_dict(),
                            resumed_at=trainer.step if resume else None, n_images=len(data),
                            processes=trainer.world_size)
        (out / ("run-resumed.json" if resume else "run.json")).write_text(
            json.dumps(record, indent=2) + "\n")
    return trainer.train(progress=progress)


# -- loading a finished run ----------------------------------------------------------------------
def _checkpoint_path(checkpoint: str | Path) -> Path:
    path = Path(checkpoint)
    return path / "checkpoint.pt" if path.is_dir() else path


def load_run(checkpoint: str | Path, device: str = "cpu"
             ) -> tuple[TrainConfig, dict[str, torch.nn.Module], dict[str, Any]]:
    """(config, networks in eval mode, checkpoint state) of a run folder or checkpoint file.

    A generator's EMA weights replace its trained ones when the run kept an EMA.
    """
    state = ckpt.load(_checkpoint_path(checkpoint), map_location=device)
    try:
        config = TrainConfig.from_dict(state["config"])
        nets = models.build_for(config, state["data_shape"][0], state["n_classes"])
        for key, net in nets.items():
            weights = state["ema"] if key == "generator" and "ema" in state else \
                state["models"][key]
            net.load_state_dict(weights)
    except (KeyError, RuntimeError) as exc:
        raise ckpt.CheckpointError(f"{str(checkpoint)!r} does not hold the networks of a "
                                   f"gantheory run ({type(exc).__name__}: {exc})") from exc
    return config, {k: n.to(device).eval() for k, n in nets.items()}, state


@torch.no_grad()
def generate(config: TrainConfig, nets: dict[str, torch.nn.Module], z: torch.Tensor,
             labels: torch.Tensor | None = None) -> torch.Tensor:
    """Images in [-1, 1] from latents ``z`` (and labels for the conditional GAN)."""
    if "vae" in nets:
        return nets["vae"].decode_image(z).float()
    if config.model == "cgan":
        if labels is None:
            raise ValueError("the conditional GAN needs labels")
        return nets["generator"](z, labels).float()
    return nets["generator"](z).float()


def _generate_many(config, nets, n: int, n_classes: int, seed: int, device: str,
                   batch_size: int = 500) -> tuple[torch.Tensor, torch.Tensor | None]:
    g = torch.Generator(device=device).manual_seed(seed)
    labels = (torch.arange(n, device=device) % n_classes) if config.model == "cgan" else None
    chunks = []
    for start in range(0, n, batch_size):
        z = torch.randn(min(batch_size, n - start), config.latent_dim, generator=g,
                        device=device)
        chunks.append(generate(config, nets, z, None if labels is None
                               else labels[start:start + len(z)]))
    return torch.cat(chunks), labels


def corner_interpolation(corners: torch.Tensor, n: int = 8) -> torch.Tensor:
    r"""An ``n x n`` grid of latents, bilinear between four corner latents (4, d) -> (n*n, d).

    Row :math:`i` and column :math:`j` hold :math:`(1-u)(1-v) z_0 + (1-u) v z_1 + u(1-v) z_2 +
    u v z_3` with :math:`u = i/(n-1)`, :math:`v = j/(n-1)`: the corners are
    ``corners[0]`` (top left), ``[1]`` (top right), ``[2]`` (bottom left), ``[3]``.

    Examples
    --------
    >>> grid = corner_interpolation(torch.eye(4), n=3)
    >>> grid[[0, 2, 6, 8]].tolist() == torch.eye(4).tolist()
    True
    >>> grid[4].tolist()  # the centre: the mean of the corners
    [0.25, 0.25, 0.25, 0.25]
    """
    if corners.ndim != 2 or len(corners) != 4:
        raise ValueError(f"corners must have shape (4, d); got {tuple(corners.shape)}")
    t = torch.linspace(0.0, 1.0, n, dtype=corners.dtype, device=corners.device)
    u, v = t[:, None, None], t[None, :, None]  # rows, columns
    grid = ((1 - u) * (1 - v) * corners[0] + (1 - u) * v * corners[1]
            + u * (1 - v) * corners[2] + u * v * corners[3])  # (n, n, d)
    return grid.reshape(n * n, -1)


def sample(checkpoint: str | Path, out: str | Path, *, kind: str = "random", n: int = 64,
           seed: int = 0, device: str = "cpu", root: str | None = None) -> Path:
    r"""Write a PNG grid of a run's samples to ``out``; returns its path.

    ``kind``: ``"random"`` (``n`` samples, 8 per row), ``"classes"`` (conditional GAN: a row
    per class, 10 latents shared by the rows), ``"interpolate"`` (8 x 8, bilinear between
    four random corner latents, :func:`corner_interpolation`) or ``"reconstructions"`` (VAE
    and VAE-GAN: rows of 8 test images of the run's data set, each followed by a row of their
    reconstructions, the decoder's mean at :math:`z = \mu(x)`; ``root`` is torchvision's
    folder).
    """
    from torchvision.utils import save_image

    if kind not in SAMPLE_KINDS:
        raise ValueError(f"kind must be one of {SAMPLE_KINDS}; got {kind!r}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be an integer >= 1; got {n!r}")
    config, nets, state = load_run(checkpoint, device)
    g = torch.Generator(device=device).manual_seed(seed)
    d = config.latent_dim
    if kind == "reconstructions":
        return _reconstructions(config, nets, out, n, seed, device, root)
    if kind == "classes":
        if config.model != "cgan":
            raise ValueError(f"kind 'classes' needs a conditional GAN; this run is "
                             f"{config.model!r}")
        n_classes, columns = int(state["n_classes"]), 10
        z = torch.randn(columns, d, generator=g, device=device).repeat(n_classes, 1)
        labels = torch.arange(n_classes, device=device).repeat_interleave(columns)
        images, nrow = generate(config, nets, z, labels), columns
    else:
        z = (corner_interpolation(torch.randn(4, d, generator=g, device=device))
             if kind == "interpolate" else torch.randn(n, d, generator=g, device=device))
        labels = None
        if config.model == "cgan":
            labels = torch.randint(int(state["n_classes"]), (len(z),), generator=g,
                                   device=device)
        images, nrow = generate(config, nets, z, labels), 8
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    save_image((images + 1.0) / 2.0, out, nrow=nrow, padding=2, pad_value=1.0)
    return out


@torch.no_grad()
def _reconstructions(config, nets, out, n, seed, device, root) -> Path:
    from torchvision.utils import save_image

    if "vae" not in nets:
        raise ValueError(f"kind 'reconstructions' needs a VAE or VAE-GAN; this run is "
                         f"{config.model!r}")
    test = data_module.load_dataset(config.dataset, root, image_size=config.image_size,
                                    train=False, seed=config.seed + 1)
    n = min(8 * max(1, n // 16), len(test))  # n images in all: n/2 originals, n/2 copies
    pick = torch.randperm(len(test), generator=torch.Generator().manual_seed(seed))[:n]
    x = data_module.as_float(test.images[pick].to(device))  # (n, C, H, W) in [-1, 1]
    mu, _ = nets["vae"].encode(x)
    recon = nets["vae"].decode_image(mu).float()
    rows = [t for i in range(0, n, 8) for t in (x[i:i + 8], recon[i:i + 8])]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    save_image((torch.cat(rows) + 1.0) / 2.0, out, nrow=8, padding=2, pad_value=1.0)
    return out


# -- evaluate ------------------------------------------------------------------------------------
def evaluate(checkpoint: str | Path, *, dataset: str | None = None, root: str | None = None,
             n_samples: int | None = None, k: int = 5000, n_test: int = 10_000,
             classifier_steps: int = 1500, device: str = "cpu") -> dict[str, Any]:
    """The metrics of a run (see the module docstring); also written to ``eval.json``.

    Parameters
    ----------
    checkpoint : str or Path
        A run folder or its ``checkpoint.pt``.
    dataset : str, optional
        The data set to compare with (default: the run's own).
    n_samples : int, optional
        Generated images for the GAN metrics (default 26,000 for Stacked MNIST as in
        VEEGAN/PacGAN, else 10,000).
    k : int
        Importance samples per test image for the VAE's NLL (5000 for reported numbers).
    n_test : int
        Test images (VAE NLL) and real images (Fréchet distance, KID).
    classifier_steps : int
        Training steps of the cached classifier when it has to be trained.
    """
    config, nets, state = load_run(checkpoint, device)
    name = dataset or config.dataset
    kind = data_module._canonical(name.partition(":")[0])
    result: dict[str, Any] = provenance(device, checkpoint=str(_checkpoint_path(checkpoint)),
                                        model=config.model, dataset=name,
                                        step=int(state["step"]))
    if config.model == "vae":
        if config.likelihood != "bernoulli":
            raise ValueError("the test NLL is defined here for the Bernoulli VAE; this run "
                             "has a Gaussian decoder")
        test = data_module.load_dataset(name, root, image_size=config.image_size, train=False,
                                        seed=config.seed + 1)
        test = test.subset(slice(0, min(n_test, len(test))))
        images = (data_module.as_float(test.images.to(device)) + 1.0) / 2.0  # in [0, 1]
        from gantheory.images.evaluation import vae_nll

        nll = vae_nll(nets["vae"], images, k=k)
        result.update({"test_nll": nll.nll, "test_nll_se": nll.se, "k": nll.k,
                       "n_test": nll.n_images})
    else:
        result.update(_gan_metrics(config, nets, state, name, kind, root, n_samples, n_test,
                                   classifier_steps, device))
    out = _checkpoint_path(checkpoint).parent / "eval.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    result["written"] = str(out)
    return result


def _gan_metrics(config, nets, state, name, kind, root, n_samples, n_test, classifier_steps,
                 device) -> dict[str, Any]:
    size = config.image_size
    stacked = kind == "stacked-mnist"
    n = n_samples or (26_000 if stacked else 10_000)
    images, labels = _generate_many(config, nets, n, max(int(state["n_classes"]), 1),
                                    seed=config.seed + 7, device=device)
    if stacked:
        path = name.partition(":")[2]

        def digits(train: bool = True):
            source = (data_module.load_mnist_npz(path, train=train) if path else
                      data_module.load_torchvision("mnist", root, train=train))
            return data_module.pad_or_resize(source, size)

        clf = metrics.cached_classifier(f"mnist-{size}", digits, device=device,
                                        steps=classifier_steps)
        held_out = digits(train=False)
        classifier_accuracy = metrics.accuracy(
            clf, data_module.as_float(held_out.images.to(device)), held_out.labels)
        modes = metrics.stacked_mnist_modes(clf, images)
        real = data_module.load_dataset(name, root, image_size=size, n=min(n_test, 26_000),
                                        train=False, seed=config.seed + 1)
        real_images = data_module.as_float(real.images.to(device))

        def channel_features(x):  # the digit classifier's features of each channel, joined
            return np.concatenate([metrics.features(clf, x[:, c:c + 1]) for c in range(3)], 1)

        fake_features, real_features = channel_features(images), channel_features(real_images)
    else:
        # the classifier learns the training split; the real images compared with are held out
        train_data = data_module.load_dataset(name, root, image_size=size, seed=config.seed)
        if not train_data.n_classes:
            raise ValueError(f"the GAN metrics need a labelled data set; {name!r} is not")
        clf = metrics.cached_classifier(f"{kind}-{size}-{train_data.channels}",
                                        lambda: train_data, device=device,
                                        steps=classifier_steps)
        real = data_module.load_dataset(name, root, image_size=size, train=False,
                                        seed=config.seed + 1)
        real = real.subset(slice(0, min(n_test, len(real))))
        real_images = data_module.as_float(real.images.to(device))
        classifier_accuracy = metrics.accuracy(clf, real_images, real.labels)
        modes = metrics.mode_histogram_metrics(metrics.predict(clf, images).cpu().numpy(),
                                               real.n_classes)
        fake_features = metrics.features(clf, images)
        real_features = metrics.features(clf, real_images)
    kid, kid_sd = metrics.kernel_inception_distance(fake_features, real_features)
    out = {"classifier_accuracy_held_out": classifier_accuracy, "n_samples": n,
           "modes": modes.modes, "n_modes": modes.n_modes,
           "kl_to_uniform": modes.kl_to_uniform,
           "frechet_distance_classifier": metrics.frechet_distance(fake_features,
                                                                   real_features),
           "kid_classifier": kid, "kid_classifier_sd": kid_sd,
           "inception_fid": metrics.inception_fid(images, real_images)}
    if labels is not None:
        out["label_accuracy"] = metrics.accuracy(clf, images, labels)
    return out


def summary_lines(result: dict[str, Any]) -> list[str]:
    """The result of :func:`evaluate` as aligned ``name  value`` lines."""
    lines = []
    for key, value in result.items():
        text = f"{value:.6g}" if isinstance(value, float) and np.isfinite(value) else str(value)
        lines.append(f"{key:28s} {text}")
    return lines
