r"""What ``gantheory train``, ``gantheory sample`` and ``gantheory eval`` do, as functions.

:func:`train`
    Load a data set by name, make a model by its registered name
    (:mod:`gantheory.images.registry`, :mod:`gantheory.images.models`), train it with
    :class:`~gantheory.images.trainer.ImageTrainer` into a run folder, or resume the run in
    that folder. Under ``torchrun`` it joins the process group first.
:func:`sample`
    From a run's checkpoint: a grid of one of the
    :data:`~gantheory.images.registry.SAMPLE_KINDS`: random samples, a conditional model's
    class grid (a row per class, a column per latent), the four-corner latent interpolation
    grid (:func:`corner_interpolation`), or test images and their reconstructions (models
    with an encoder).
:func:`evaluate`
    The numbers of a run, as its model measures itself
    (:meth:`~gantheory.images.models.base.ImageModel.evaluate`): a GAN's or VAE-GAN's samples
    against the data (:func:`gantheory.images.evaluation.gan_metrics`), the VAE's
    importance-sampled test NLL.

Every run folder holds ``checkpoint.pt``, ``run.json`` (the command's settings, the commit,
the device), ``losses.csv``, ``losses.png`` and ``samples/``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import torch

from gantheory.errors import UsageError
from gantheory.images import checkpoint as ckpt
from gantheory.images import data as data_module
from gantheory.images.models.base import EvalSettings, ImageModel, create, model_from_record
from gantheory.images.registry import SAMPLE_KINDS
from gantheory.images.trainer import ImageTrainer
from gantheory.provenance import provenance


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


def load_training_data(config, root: str | None = None,
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
        A name of :func:`gantheory.images.registry.model_names`.
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
        Fields of the model's config over its defaults.

    Raises
    ------
    UsageError
        For an unknown model, a field its config does not have, a bad value, a folder that
        already holds a run (without ``resume``) or a change other than ``steps`` on resume.
    """
    out = Path(out)
    device = _init_distributed(device)
    path = out / "checkpoint.pt"
    if resume:
        if set(changes) - {"steps"}:
            raise UsageError("--resume continues a run with its own settings; only --steps "
                             f"may change (got {', '.join(sorted(changes))})")
        state = ckpt.load(path, map_location=device)
        config = model_from_record(state["config"]).config
        data = load_training_data(config, root, n_images)
        trainer = ImageTrainer.from_state(state, data, out, device=device,
                                          steps=changes.get("steps"))
    else:
        if path.exists():
            raise UsageError(f"{str(out)!r} already holds a run (checkpoint.pt); pass "
                             "--resume to continue it or choose another --out")
        image_model = create(model, dataset=dataset, **changes)
        data = load_training_data(image_model.config, root, n_images)
        trainer = ImageTrainer(image_model.build(data), data, out, device=device)
    if trainer.is_main:
        out.mkdir(parents=True, exist_ok=True)
        record = provenance(device, config=trainer.model.record(),
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
             ) -> tuple[ImageModel, dict[str, Any]]:
    """(model with its trained networks in eval mode, checkpoint state) of a run folder or
    checkpoint file.

    The model's EMA weights replace its trained ones when the run kept an EMA. Checkpoints
    written before each model had its own config are read too.

    Raises
    ------
    gantheory.images.checkpoint.CheckpointError
        If the file is missing, unreadable or does not hold a gantheory run's networks.
    """
    state = ckpt.load(_checkpoint_path(checkpoint), map_location=device)
    try:
        model = model_from_record(state["config"])
        model.build_for(int(state["data_shape"][0]), int(state["n_classes"]))
        for key, net in model.networks.items():
            weights = state["ema"] if key == model.ema_network and "ema" in state else \
                state["models"][key]
            net.load_state_dict(weights)
    except (KeyError, RuntimeError, UsageError) as exc:
        raise ckpt.CheckpointError(f"{str(checkpoint)!r} does not hold the networks of a "
                                   f"gantheory run ({type(exc).__name__}: {exc})") from exc
    model.networks = {k: n.to(device).eval() for k, n in model.networks.items()}
    return model, state


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


@torch.no_grad()
def sample(checkpoint: str | Path, out: str | Path, *, kind: str = "random", n: int = 64,
           seed: int = 0, device: str = "cpu", root: str | None = None) -> Path:
    r"""Write a PNG grid of a run's samples to ``out``; returns its path.

    ``kind`` (one of :data:`~gantheory.images.registry.SAMPLE_KINDS`): ``"random"`` (``n``
    samples, 8 per row), ``"classes"`` (conditional model: a row per class, 10 latents shared
    by the rows), ``"interpolate"`` (8 x 8, bilinear between four random corner latents,
    :func:`corner_interpolation`) or ``"reconstructions"`` (models with an encoder: rows of 8
    test images of the run's data set, each followed by a row of their reconstructions, the
    decoder's mean at :math:`z = \mu(x)`; ``root`` is torchvision's folder).

    Raises
    ------
    UsageError
        For an unknown kind, a kind the run's model cannot draw, or a bad ``n``.
    """
    from torchvision.utils import save_image

    if kind not in SAMPLE_KINDS:
        raise UsageError(f"kind must be one of {SAMPLE_KINDS}; got {kind!r}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise UsageError(f"n must be an integer >= 1; got {n!r}")
    model, _ = load_run(checkpoint, device)
    g = torch.Generator(device=device).manual_seed(seed)
    d = model.config.latent_dim
    if kind == "reconstructions":
        images, nrow = _reconstructions(model, n, seed, device, root), 8
    elif kind == "classes":
        if not model.conditional:
            raise UsageError(f"kind 'classes' needs a conditional model; this run is "
                             f"{model.name!r}")
        n_classes, columns = int(model.n_classes), 10
        z = torch.randn(columns, d, generator=g, device=device).repeat(n_classes, 1)
        labels = torch.arange(n_classes, device=device).repeat_interleave(columns)
        images, nrow = model.generate(z, labels), columns
    else:
        z = (corner_interpolation(torch.randn(4, d, generator=g, device=device))
             if kind == "interpolate" else torch.randn(n, d, generator=g, device=device))
        labels = None
        if model.conditional:
            labels = torch.randint(int(model.n_classes), (len(z),), generator=g,
                                   device=device)
        images, nrow = model.generate(z, labels), 8
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    save_image((images + 1.0) / 2.0, out, nrow=nrow, padding=2, pad_value=1.0)
    return out


def _reconstructions(model: ImageModel, n: int, seed: int, device: str,
                     root: str | None) -> torch.Tensor:
    """Rows of 8 test images, each followed by a row of their reconstructions."""
    if not hasattr(model, "reconstruct"):
        raise UsageError(f"kind 'reconstructions' needs a model with an encoder (a VAE or "
                         f"VAE-GAN); this run is {model.name!r}")
    config = model.config
    test = data_module.load_dataset(config.dataset, root, image_size=config.image_size,
                                    train=False, seed=config.seed + 1)
    n = min(8 * max(1, n // 16), len(test))  # n images in all: n/2 originals, n/2 copies
    pick = torch.randperm(len(test), generator=torch.Generator().manual_seed(seed))[:n]
    x = data_module.as_float(test.images[pick].to(device))  # (n, C, H, W) in [-1, 1]
    recon = model.reconstruct(x)
    return torch.cat([t for i in range(0, n, 8) for t in (x[i:i + 8], recon[i:i + 8])])


# -- evaluate ------------------------------------------------------------------------------------
def evaluate(checkpoint: str | Path, *, dataset: str | None = None, root: str | None = None,
             n_samples: int | None = None, k: int = 5000, n_test: int = 10_000,
             classifier_steps: int = 1500, device: str = "cpu") -> dict[str, Any]:
    """The metrics of a run, as its model computes them; also written to ``eval.json``.

    Parameters
    ----------
    checkpoint : str or Path
        A run folder or its ``checkpoint.pt``.
    dataset : str, optional
        The data set to compare with (default: the run's own).
    n_samples : int, optional
        Generated images for sample-based metrics (default 26,000 for Stacked MNIST as in
        VEEGAN/PacGAN, else 10,000).
    k : int
        Importance samples per test image for the VAE's NLL (5000 for reported numbers).
    n_test : int
        Test images (VAE NLL) and real images (Fréchet distance, KID).
    classifier_steps : int
        Training steps of the cached classifier when it has to be trained.

    Returns
    -------
    dict
        Provenance (device, commit, ...), ``checkpoint``, ``model``, ``dataset``, ``step``,
        the model's metrics (:meth:`~gantheory.images.models.base.ImageModel.evaluate`) and
        ``written``, the path of ``eval.json``.
    """
    model, state = load_run(checkpoint, device)
    name = dataset or model.config.dataset
    result: dict[str, Any] = provenance(device, checkpoint=str(_checkpoint_path(checkpoint)),
                                        model=model.name, dataset=name,
                                        step=int(state["step"]))
    result.update(model.evaluate(EvalSettings(name, root=root, n_samples=n_samples, k=k,
                                              n_test=n_test,
                                              classifier_steps=classifier_steps,
                                              device=device)))
    out = _checkpoint_path(checkpoint).parent / "eval.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    result["written"] = str(out)
    return result


def summary_lines(result: dict[str, Any]) -> list[str]:
    """The result of :func:`evaluate` as aligned ``name  value`` lines."""
    lines = []
    for key, value in result.items():
        text = f"{value:.6g}" if isinstance(value, float) and np.isfinite(value) else str(value)
        lines.append(f"{key:28s} {text}")
    return lines
