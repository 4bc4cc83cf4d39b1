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

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import torch

from gantheory.atomic import remove_stale_temporaries
from gantheory.errors import UsageError
from gantheory.images import checkpoint as ckpt
from gantheory.images import data as data_module
from gantheory.images.models.base import (
    RESUME_CHANGES,
    EvalSettings,
    ImageModel,
    create,
    model_from_record,
)
from gantheory.images.registry import SAMPLE_KINDS
from gantheory.images.trainer import ImageTrainer
from gantheory.provenance import provenance
from gantheory.resources import free_memory


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
    """The data set ``config.dataset`` at ``config.image_size`` (its training split): the
    first ``config.n_images`` (or ``n_images``) images, from ``config.data_root`` (or
    ``root``).
    """
    return data_module.load_dataset(config.dataset, root or config.data_root,
                                    image_size=config.image_size,
                                    n=n_images or config.n_images, seed=config.seed)


def _flag(field: str) -> str:
    """The command-line flag of a config field: ``d_steps`` -> ``--d-steps``."""
    return "--" + field.replace("_", "-")


def _saved_model(state: dict[str, Any], path: Path) -> ImageModel:
    """The model a loaded checkpoint's record describes (a record that names none, or an
    unknown model, is a :class:`~gantheory.images.checkpoint.CheckpointError`).
    """
    try:
        return model_from_record(state["config"])
    except KeyError as exc:
        raise ckpt.unfit(path, exc) from exc
    except UsageError as exc:
        raise ckpt.CheckpointError(f"{str(path)!r} does not describe a run this version can "
                                   f"resume ({exc})") from exc


def _resume_changes(model: str, state: dict[str, Any], path: Path,
                    given: dict[str, Any]) -> dict[str, Any]:
    """The config changes of a resumed run: ``steps`` (above the saved step), ``data_root``,
    and ``n_images`` where an older checkpoint did not record it; every other given setting
    must equal the saved one.
    """
    saved = _saved_model(state, path)
    if saved.name != model:
        raise UsageError(f"--resume: {str(path.parent)!r} holds a {saved.name!r} run, not "
                         f"{model!r}; resume it with 'gantheory train {saved.name} --out "
                         f"{path.parent} --resume'")
    step = int(state.get("step", 0))
    changes = {}
    for field, value in given.items():
        before = getattr(saved.config, field, None)
        if field in RESUME_CHANGES or (field == "n_images" and before is None):
            changes[field] = value
        elif value != before:
            raise UsageError(f"--resume: {_flag(field)} {value} contradicts the saved run's "
                             f"{_flag(field)} {before}; a resumed run keeps its settings "
                             "(only --steps may change; omit the others)")
    steps = changes.get("steps", saved.config.steps)
    if steps <= step:
        how = "--steps" if "steps" in changes else "the run's --steps"
        raise UsageError(f"--resume: {how} {steps} must be above the run's step {step} to "
                         f"continue it; pass --steps N with N > {step}")
    return changes


def train(model: str, out: str | Path, *, dataset: str | None = None,
          root: str | None = None, device: str = "cpu", resume: bool = False,
          n_images: int | None = None, progress: bool = True, **changes: Any) -> ImageTrainer:
    """Train ``model`` on ``dataset`` into the folder ``out``; returns the finished trainer.

    Parameters
    ----------
    model : str
        A name of :func:`gantheory.images.registry.model_names`.
    out : str or Path
        The run folder. A folder that already holds a checkpoint is refused unless ``resume``.
    dataset, root : str
        A name for :func:`gantheory.images.data.load_dataset` (default ``"shapes"``; on resume
        the run's own) and the torchvision folder.
    device : str
    resume : bool
        Continue the run in ``out`` with the settings saved in its checkpoint (data set, its
        folder, ``n_images``, every config field); a setting given again must equal the
        saved one, except ``steps``, which must be above the saved step, and ``root``.
    n_images : int, optional
        Use only this many training images (recorded in the config).
    progress : bool
    **changes
        Fields of the model's config over its defaults.

    Raises
    ------
    UsageError
        For an unknown model, a field its config does not have, a bad value, a folder that
        already holds a run (without ``resume``), a resume of another model or with a setting
        that contradicts the saved run, a batch larger than the data set, or a run whose
        estimated memory exceeds what the device has free.
    """
    out = Path(out)
    device = _init_distributed(device)
    path = out / "checkpoint.pt"
    given = {**changes, **{k: v for k, v in (("dataset", dataset), ("n_images", n_images),
                                             ("data_root", root)) if v is not None}}
    if resume:
        state = ckpt.load(path, map_location=device)
        changes = _resume_changes(model, state, path, given)
        resumed = model_from_record(state["config"], **changes)
        data = load_training_data(resumed.config)
        _check_resources(resumed.build_for(*_network_shape(state, path)), data, device)
        trainer = ImageTrainer.from_state(state, data, out, device=device, changes=changes)
    else:
        if path.exists():
            raise UsageError(f"{str(out)!r} already holds a run (checkpoint.pt); pass "
                             "--resume to continue it or choose another --out")
        image_model = create(model, **given)
        data = load_training_data(image_model.config)
        image_model.config = dataclasses.replace(image_model.config, n_images=len(data))
        _check_resources(image_model.build(data), data, device)
        trainer = ImageTrainer(image_model, data, out, device=device)
    if trainer.is_main:
        out.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(path)
        record = provenance(device, config=trainer.model.record(),
                            resumed_at=trainer.step if resume else None, n_images=len(data),
                            processes=trainer.world_size)
        (out / ("run-resumed.json" if resume else "run.json")).write_text(
            json.dumps(record, indent=2) + "\n")
    return trainer.train(progress=progress)


def _network_shape(state: dict[str, Any], path: Path) -> tuple[int, int]:
    """(channels, classes) of a checkpoint's networks."""
    try:
        return int(state["data_shape"][0]), int(state["n_classes"])
    except KeyError as exc:
        raise ckpt.unfit(path, exc) from exc


def estimate_memory(model: ImageModel, data: data_module.ImageData) -> int:
    """A rough estimate (bytes) of what training ``model`` (built) on ``data`` holds on its
    device: the weights with their gradients and Adam's two moments (4 copies in float32),
    the data set as uint8, and the activations of one batch, taken as 6 times the outputs of
    every layer in one generation (real and generated passes through the networks, kept for
    the backward pass, and their gradients).
    """
    params = sum(p.numel() for net in model.networks.values() for p in net.parameters())
    outputs = [0]

    def count(module, inputs, output):
        if isinstance(output, torch.Tensor) and not list(module.children()):
            outputs[0] += output[0].numel()  # one image's share

    modes = {m: m.training for net in model.networks.values() for m in net.modules()}
    hooks = [m.register_forward_hook(count) for m in modes]
    try:
        for m in modes:
            m.eval()  # no batch-norm statistics updated by this probe
        with torch.no_grad():
            z = torch.zeros(1, model.config.latent_dim)
            model.generate(z, torch.zeros(1, dtype=torch.long) if model.conditional else None)
    finally:
        for hook in hooks:
            hook.remove()
        for m, training in modes.items():
            m.train(training)
    activations = 6 * outputs[0] * model.config.batch_size
    return 4 * (4 * params + activations) + data.images.numel()


def _check_resources(model: ImageModel, data: data_module.ImageData, device: str) -> None:
    """Refuse a batch larger than the data set, and a run whose estimated memory
    (:func:`estimate_memory`) exceeds what the device has free.
    """
    batch = model.config.batch_size
    if batch > len(data):
        raise UsageError(f"--batch-size {batch} is larger than the data set ({len(data)} "
                         f"images of {data.name!r}); use at most {len(data)} or more "
                         "--n-images")
    need, free = estimate_memory(model, data), free_memory(str(device))
    if free is not None and need > free:
        raise UsageError(f"the run needs about {need / 2**30:.1f} GiB on {device} (weights, "
                         f"optimiser state, one batch's activations, the data) but "
                         f"{free / 2**30:.1f} GiB is free; lower --batch-size, --width or "
                         "--n-images")


# -- loading a finished run ----------------------------------------------------------------------
def _checkpoint_path(checkpoint: str | Path) -> Path:
    path = Path(checkpoint)
    return path / "checkpoint.pt" if path.is_dir() else path


def load_run(checkpoint: str | Path, device: str = "cpu", *, ema: bool = True
             ) -> tuple[ImageModel, dict[str, Any]]:
    """(model with its trained networks in eval mode, checkpoint state) of a run folder or
    checkpoint file.

    The model's EMA weights replace its trained ones when the run kept an EMA, unless ``ema``
    is False. Checkpoints written before each model had its own config are read too.

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
            weights = state["ema"] if ema and key == model.ema_network and "ema" in state \
                else state["models"][key]
            net.load_state_dict(weights)
    except (KeyError, RuntimeError) as exc:
        raise ckpt.unfit(checkpoint, exc) from exc
    except UsageError as exc:
        raise ckpt.CheckpointError(f"{str(checkpoint)!r} does not hold the networks of a "
                                   f"gantheory run ({exc})") from exc
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
    decoder's mean at :math:`z = \mu(x)`; ``root`` is torchvision's folder). The class grid
    has each row's class written to its left, the reconstructions each row's role
    ("original", "reconstruction").

    Raises
    ------
    UsageError
        For an unknown kind, a kind the run's model cannot draw, or a bad ``n``.
    """
    if kind not in SAMPLE_KINDS:
        raise UsageError(f"kind must be one of {SAMPLE_KINDS}; got {kind!r}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise UsageError(f"n must be an integer >= 1; got {n!r}")
    model, state = load_run(checkpoint, device)
    g = torch.Generator(device=device).manual_seed(seed)
    d = model.config.latent_dim
    row_labels = None
    if kind == "reconstructions":
        images, nrow = _reconstructions(model, n, seed, device, root), 8
        row_labels = ["original", "reconstruction"] * (len(images) // 16)
    elif kind == "classes":
        if not model.conditional:
            raise UsageError(f"kind 'classes' needs a conditional model; this run is "
                             f"{model.name!r}")
        n_classes, columns = int(model.n_classes), 10
        z = torch.randn(columns, d, generator=g, device=device).repeat(n_classes, 1)
        labels = torch.arange(n_classes, device=device).repeat_interleave(columns)
        images, nrow = model.generate(z, labels), columns
        names = list(state.get("classes") or [])
        row_labels = [f"{c}: {names[c]}" if len(names) == n_classes else f"class {c}"
                      for c in range(n_classes)]
    else:
        z = (corner_interpolation(torch.randn(4, d, generator=g, device=device))
             if kind == "interpolate" else torch.randn(n, d, generator=g, device=device))
        labels = None
        if model.conditional:
            labels = torch.randint(int(model.n_classes), (len(z),), generator=g,
                                   device=device)
        images, nrow = model.generate(z, labels), 8
    return save_grid(images, out, nrow, row_labels)


def save_grid(images: torch.Tensor, out: str | Path, nrow: int,
              row_labels: list[str] | None = None) -> Path:
    """Write images in [-1, 1], ``nrow`` per row (2-pixel white padding), to the PNG ``out``;
    with ``row_labels``, each row's label is written to its left (matplotlib).
    """
    from torchvision.utils import make_grid, save_image

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    images = ((images.float().cpu() + 1.0) / 2.0).clamp(0.0, 1.0)
    if row_labels is None:
        save_image(images, out, nrow=nrow, padding=2, pad_value=1.0)
        return out
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    grid = make_grid(images, nrow=nrow, padding=2, pad_value=1.0).permute(1, 2, 0).numpy()
    height, width = grid.shape[:2]
    margin = 12 + 6 * max(len(label) for label in row_labels)  # pixels for the labels
    dpi = 100
    fig = Figure(figsize=((width + margin) / dpi, height / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((margin / (width + margin), 0.0, width / (width + margin), 1.0))
    ax.imshow(grid, interpolation="nearest")
    cell = (height - 2) / len(row_labels)
    ax.set_yticks([2 + cell * (i + 0.5) for i in range(len(row_labels))], row_labels,
                  fontsize=7)
    ax.set_xticks([])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    import matplotlib

    with matplotlib.rc_context({"savefig.bbox": "standard", "savefig.pad_inches": 0.0}):
        fig.savefig(out, dpi=dpi, facecolor="white")  # the exact size: grid and labels
    return out


def _reconstructions(model: ImageModel, n: int, seed: int, device: str,
                     root: str | None) -> torch.Tensor:
    """Rows of 8 test images, each followed by a row of their reconstructions."""
    if not hasattr(model, "reconstruct"):
        raise UsageError(f"kind 'reconstructions' needs a model with an encoder (a VAE or "
                         f"VAE-GAN); this run is {model.name!r}")
    config = model.config
    test = data_module.load_dataset(config.dataset, root or config.data_root,
                                    image_size=config.image_size, train=False,
                                    seed=config.seed + 1)
    n = min(8 * max(1, n // 16), len(test))  # n images in all: n/2 originals, n/2 copies
    pick = torch.randperm(len(test), generator=torch.Generator().manual_seed(seed))[:n]
    x = data_module.as_float(test.images[pick].to(device))  # (n, C, H, W) in [-1, 1]
    recon = model.reconstruct(x)
    return torch.cat([t for i in range(0, n, 8) for t in (x[i:i + 8], recon[i:i + 8])])


# -- evaluate ------------------------------------------------------------------------------------
def evaluate(checkpoint: str | Path, *, dataset: str | None = None, root: str | None = None,
             n_samples: int | None = None, k: int = 5000, n_test: int = 10_000,
             classifier_steps: int = 1500, device: str = "cpu", ema: bool = True,
             progress: bool = False) -> dict[str, Any]:
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
    ema : bool
        Evaluate the moving average of a run trained with one (the default), else the
        trained weights; the result's ``weights`` says which ("ema" or "trained").
    progress : bool
        Progress bars for the long phases.

    Returns
    -------
    dict
        Provenance (device, commit, ...), ``checkpoint``, ``model``, ``dataset``, ``step``,
        the model's metrics (:meth:`~gantheory.images.models.base.ImageModel.evaluate`) and
        ``written``, the path of ``eval.json``.

    Raises
    ------
    UsageError
        If the data set's images or classes differ from the run's (checked before any work).
    """
    model, state = load_run(checkpoint, device, ema=ema)
    name = dataset or model.config.dataset
    root = root or model.config.data_root
    _check_eval_data(model, state, name, root)
    result: dict[str, Any] = provenance(device, checkpoint=str(_checkpoint_path(checkpoint)),
                                        model=model.name, dataset=name,
                                        step=int(state["step"]),
                                        weights="ema" if ema and "ema" in state else "trained")
    result.update(model.evaluate(EvalSettings(name, root=root, n_samples=n_samples, k=k,
                                              n_test=n_test,
                                              classifier_steps=classifier_steps,
                                              device=device, progress=progress)))
    out = _checkpoint_path(checkpoint).parent / "eval.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    result["written"] = str(out)
    return result


def _check_eval_data(model: ImageModel, state: dict[str, Any], name: str,
                     root: str | None) -> None:
    """Refuse, before any work, a data set whose images (channels, size) or classes differ
    from those the run was trained on.
    """
    size = model.config.image_size
    probe = data_module.load_dataset(name, root, image_size=size, train=False, n=1)
    trained = tuple(int(v) for v in state["data_shape"])
    if probe.shape != trained:
        shape = "x".join(map(str, probe.shape))
        raise UsageError(f"--dataset {name!r} has {shape} images but the run was trained on "
                         f"{'x'.join(map(str, trained))} images ({model.config.dataset!r}); "
                         "evaluate it on a data set of that shape (the default: its own)")
    if model.conditional and int(probe.n_classes or 0) != int(state["n_classes"]):
        raise UsageError(f"--dataset {name!r} has {probe.n_classes or 0} classes but the "
                         f"conditional run was trained on {state['n_classes']}")


def summary_lines(result: dict[str, Any]) -> list[str]:
    """The result of :func:`evaluate` as aligned ``name  value`` lines."""
    lines = []
    for key, value in result.items():
        text = f"{value:.6g}" if isinstance(value, float) and np.isfinite(value) else str(value)
        lines.append(f"{key:28s} {text}")
    return lines
