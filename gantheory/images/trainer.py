r"""Training an image model: one loop for every model, which knows none of them by name.

:class:`ImageTrainer` trains an :class:`~gantheory.images.models.base.ImageModel` (one of the
models of :mod:`gantheory.images.models`, or any registered one) on an
:class:`~gantheory.images.data.ImageData`. The model makes its networks and optimisers and
takes its own training step (its losses, its number of discriminator updates); the loop does
what every model shares.

Every step: one ``step`` of the model, with all randomness drawn from one
``torch.Generator`` on the device (latents, batches, penalty coefficients,
reparameterisation noise; :class:`~gantheory.images.models.base.TrainingContext`), so that a
run resumed from a checkpoint continues exactly as the uninterrupted run would have (on the
CPU; CUDA kernels may be nondeterministic). On CUDA, forward passes run under bf16 autocast
(the losses compute in float32), Adam is fused, and ``compile=True`` compiles the networks'
forward passes (a gradient penalty goes through the plain network). An optional EMA copy of
the model's :attr:`~gantheory.images.models.base.ImageModel.ema_network` (a GAN's generator)
is kept for sampling.

Every ``sample_every`` steps: a grid of samples from a fixed latent, named by its step
(``samples/step-000200.png``, ...), the losses appended to ``losses.csv`` and ``losses.png``
redrawn (one panel per loss). Every ``checkpoint_every`` steps: ``checkpoint.pt`` written
atomically. A non-finite or exploding loss stops the run with :class:`TrainingDiverged`
*before* the next checkpoint, so the last good one stays on disk; its message says which
checkpoint that is (or that none was written yet) and which flags to lower.

Several processes (``torchrun --nproc_per_node N -m gantheory train ...``): when a
``torch.distributed`` process group is initialised, each network is wrapped in
``DistributedDataParallel`` (gradients averaged over processes), each process draws its own
batches and latents, and only rank 0 writes files. Each process takes ``batch_size`` images
per step, so the effective batch is ``N * batch_size``. Exact resume holds for one process; a
resumed multi-process run restores rank 0's random stream and reseeds the others. A model
with a ``single_process_reason`` (VAE-GAN) trains in one process only.
"""

from __future__ import annotations

import copy
import csv
import time
from pathlib import Path
from typing import Any

import torch

from gantheory.errors import UsageError
from gantheory.images import checkpoint as ckpt
from gantheory.images.models.base import (
    RESUME_CHANGES,
    ImageModel,
    TrainingContext,
    model_from_record,
)
from gantheory.tables import append_csv


def _process_group() -> tuple[int, int]:
    """(rank, world size) of an initialised torch.distributed group, else (0, 1)."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


class TrainingDiverged(RuntimeError):
    """A loss became NaN or infinite, or exceeded ``max_loss``; the run was stopped."""


class ImageTrainer:
    """Train one image model; :meth:`train` runs to ``config.steps``, resumable.

    Parameters
    ----------
    model : gantheory.images.models.base.ImageModel
        The model with its config; its networks are made here for ``data`` (``model.build``)
        unless it was given them, and its optimisers once they are on ``device``.
    data : gantheory.images.data.ImageData
        The training images (moved to ``device`` as uint8).
    out : str or Path
        Folder for samples, losses and the checkpoint.
    device : str or torch.device

    Attributes
    ----------
    model : gantheory.images.models.base.ImageModel
    config : gantheory.images.models.base.ImageConfig
        The model's config.
    step : int
        Steps taken.
    ema : torch.nn.Module or None
        The moving average of ``model.networks[model.ema_network]``.
    """

    def __init__(self, model: ImageModel, data, out: str | Path, *,
                 device: str | torch.device = "cpu") -> None:
        if not isinstance(model, ImageModel):
            raise TypeError(f"model must be an ImageModel; got {type(model).__name__}")
        self.model = model
        self.config = config = model.config
        self.device = torch.device(device)
        self.out = Path(out)
        self.data = data.to(self.device)
        if model.conditional and not self.data.n_classes:
            raise UsageError(f"model {model.name!r} needs a labelled data set; {data.name!r} "
                             "has none")
        if model.networks is None:
            model.build(self.data)
        torch.manual_seed(config.seed)
        missing = [k for k in model.network_names if k not in model.networks]
        if missing:
            raise ValueError(f"the networks must be {', '.join(model.network_names)} for "
                             f"{model.name!r}; missing {', '.join(missing)}")
        for m in model.networks.values():
            m.to(self.device)
            if config.channels_last:
                m.to(memory_format=torch.channels_last)
        self.use_bf16 = (self.device.type == "cuda") if config.bf16 is None else config.bf16
        model.optimizers = model.make_optimizers(fused=self.device.type == "cuda")
        self.ema = None
        if model.ema_decay is not None:
            self.ema = copy.deepcopy(model.networks[model.ema_network]).requires_grad_(False)
        self.rank, self.world_size = _process_group()
        self.rng = torch.Generator(device=self.device).manual_seed(self._stream_seed(0))
        fixed = torch.Generator(device=self.device).manual_seed(12345)
        self.fixed_z = torch.randn(64, config.latent_dim, generator=fixed, device=self.device)
        n_classes = self.data.n_classes or 1
        self.fixed_labels = torch.arange(64, device=self.device) % n_classes
        self.step = 0
        self._saved_step: int | None = None  # the step of the checkpoint on disk, if known
        self.n_samples_written = 0
        forward = {k: (torch.compile(m) if config.compile else m)
                   for k, m in model.networks.items()}
        if self.world_size > 1:
            forward = self._wrap_distributed(forward)
        self.context = TrainingContext(forward=forward, rng=self.rng,
                                       draw_batch=self._batch, draw_latents=self._z,
                                       autocast=self._autocast)

    def _wrap_distributed(self, forward: dict[str, torch.nn.Module]
                          ) -> dict[str, torch.nn.Module]:
        """DistributedDataParallel around each network: gradients averaged over processes."""
        from torch.nn.parallel import DistributedDataParallel

        if self.model.single_process_reason is not None:
            raise UsageError(f"model {self.model.name!r} trains in one process only: "
                             f"{self.model.single_process_reason}")
        ids = [self.device.index] if self.device.type == "cuda" else None
        return {k: DistributedDataParallel(m, device_ids=ids) for k, m in forward.items()}

    def _stream_seed(self, step: int) -> int:
        """Seed of this process's random stream (batches, latents) when it starts at ``step``.

        Each process of a multi-process run has its own stream.
        """
        return self.config.seed + 1 + 1_000_003 * self.rank + step

    @property
    def is_main(self) -> bool:
        """True in the process that writes samples, logs and checkpoints (rank 0)."""
        return self.rank == 0

    # -- state -------------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """Networks, optimisers, EMA, RNG states, step and the model's record."""
        state = {
            "config": self.model.record(),
            "data_shape": list(self.data.images.shape[1:]),  # (C, H, W): to rebuild the nets
            "n_classes": int(self.data.n_classes or 0),
            "classes": list(self.data.classes or ()),  # the names, for the class grid
            "step": self.step,
            "n_samples_written": self.n_samples_written,
            "models": {k: m.state_dict() for k, m in self.model.networks.items()},
            "rng": self.rng.get_state(),
            "global_rng": ckpt.rng_state(),
        }
        for key, optimizer in self.model.optimizers.items():
            state[key] = optimizer.state_dict()
        if self.ema is not None:
            state["ema"] = self.ema.state_dict()
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore :meth:`state_dict`'s output (of this model, with this config up to
        ``steps``).

        Raises
        ------
        UsageError
            If the checkpoint is of another model or configuration;
            :class:`~gantheory.images.checkpoint.CheckpointError` if it lacks an entry or its
            weights do not fit the networks.
        """
        try:
            self._load_state_dict(state)
        except (KeyError, RuntimeError) as exc:
            raise ckpt.unfit(self.out / "checkpoint.pt", exc) from exc

    def _load_state_dict(self, state: dict[str, Any]) -> None:
        # what may change on resume, and n_images where an older checkpoint did not record it
        kept = [*RESUME_CHANGES, *(["n_images"] if "n_images" not in state["config"] else [])]
        saved = model_from_record(state["config"], **{f: getattr(self.config, f) for f in kept})
        if type(saved) is not type(self.model) or saved.config != self.config:
            raise UsageError("the checkpoint was written with another configuration; resume "
                             "with the same settings (only --steps may change)")
        for k, m in self.model.networks.items():
            m.load_state_dict(state["models"][k])
        for key, optimizer in self.model.optimizers.items():
            optimizer.load_state_dict(state[key])
        if self.ema is not None:
            self.ema.load_state_dict(state["ema"])
        self.rng.set_state(state["rng"].to("cpu") if self.device.type == "cpu"
                           else state["rng"])
        ckpt.set_rng_state(state["global_rng"])
        self.step = self._saved_step = int(state["step"])
        if self.rank > 0:  # the checkpoint holds rank 0's stream; the others start afresh
            self.rng.manual_seed(self._stream_seed(self.step))
        self.n_samples_written = int(state["n_samples_written"])

    def save_checkpoint(self) -> Path:
        """Write ``out/checkpoint.pt`` atomically."""
        path = ckpt.save(self.state_dict(), self.out / "checkpoint.pt")
        self._saved_step = self.step
        return path

    @classmethod
    def from_state(cls, state: dict[str, Any], data, out: str | Path, *,
                   device: str | torch.device = "cpu", steps: int | None = None,
                   networks: dict[str, torch.nn.Module] | None = None,
                   changes: dict[str, Any] | None = None) -> ImageTrainer:
        """A trainer restored from a loaded checkpoint ``state`` (optionally with more
        ``steps``, or other ``changes`` of the config that a resume allows). ``networks``: the
        same networks the run was given, if it was given its own; omitted, the model's are
        rebuilt for the checkpoint's image shape and classes.
        """
        changes = {**(changes or {}), **({} if steps is None else {"steps": steps})}
        try:
            model = model_from_record(state["config"], **changes)
        except KeyError as exc:
            raise ckpt.unfit(Path(out) / "checkpoint.pt", exc) from exc
        if networks is None:
            try:
                model.build_for(int(state["data_shape"][0]), int(state["n_classes"]))
            except KeyError as exc:
                raise ckpt.unfit(Path(out) / "checkpoint.pt", exc) from exc
        else:
            model.networks = networks
        trainer = cls(model, data, out, device=device)
        trainer.load_state_dict(state)
        return trainer

    @classmethod
    def resume(cls, out: str | Path, data, *, device: str | torch.device = "cpu",
               steps: int | None = None,
               networks: dict[str, torch.nn.Module] | None = None) -> ImageTrainer:
        """A trainer restored from ``out/checkpoint.pt`` (:meth:`from_state`)."""
        state = ckpt.load(Path(out) / "checkpoint.pt", map_location=device)
        return cls.from_state(state, data, out, device=device, steps=steps, networks=networks)

    # -- what the model's step draws ---------------------------------------------------------
    def _autocast(self):
        return torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.use_bf16)

    def _batch(self) -> tuple[torch.Tensor, torch.Tensor | None]:
        x, y = self.data.sample_batch(self.config.batch_size, self.rng)
        if self.config.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        return x, y

    def _z(self) -> torch.Tensor:
        return torch.randn(self.config.batch_size, self.config.latent_dim, generator=self.rng,
                           device=self.device)

    def train_step(self) -> dict[str, torch.Tensor]:
        """One step of the model; returns its losses (0-d tensors)."""
        for m in self.model.networks.values():
            m.train()
        out = self.model.step(self.context)
        if self.ema is not None:
            trained = self.model.networks[self.model.ema_network]
            with torch.no_grad():
                for e, p in zip(self.ema.parameters(), trained.parameters(), strict=True):
                    e.lerp_(p, 1.0 - self.model.ema_decay)
                for e, b in zip(self.ema.buffers(), trained.buffers(), strict=True):
                    e.copy_(b)
        self.step += 1
        return out

    # -- samples and logs --------------------------------------------------------------------
    @torch.no_grad()
    def sample(self, z: torch.Tensor | None = None, labels: torch.Tensor | None = None
               ) -> torch.Tensor:
        """Images in [-1, 1] from latents ``z`` (default: the fixed 64), shape (n, C, H, W).

        A conditional model is given ``labels`` (default: the classes in turn); a run with an
        EMA samples from it.
        """
        z = self.fixed_z if z is None else z
        if self.model.conditional and labels is None:
            labels = self.fixed_labels[: len(z)]
        overrides = {self.model.ema_network: self.ema} if self.ema is not None else None
        used = [*self.model.networks.values(), *([self.ema] if self.ema is not None else [])]
        for m in used:
            m.eval()
        out = self.model.generate(z, labels, overrides=overrides)
        for m in used:
            m.train()
        return out

    def write_samples(self) -> Path:
        """``samples/step-NNNNNN.png`` (the step): an 8 x 8 grid from the fixed latent."""
        from torchvision.utils import save_image

        self.n_samples_written += 1
        path = self.out / "samples" / f"step-{self.step:06d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        save_image((self.sample() + 1.0) / 2.0, path, nrow=8)
        return path

    def _log(self, rows: list[dict[str, float]]) -> None:
        self._plot_losses(append_csv(rows, self.out / "losses.csv"))

    def _plot_losses(self, path: Path) -> None:
        from gantheory import plotting

        with path.open() as fh:
            rows = list(csv.DictReader(fh))
        keys = [k for k in rows[0] if k not in ("step", "images_per_s")]
        # one panel per loss, each on its own scale: a small term (a penalty, the KL) is not
        # flattened against a large one
        fig, axes = plotting.figure(len(keys), 1, size=(5.0, 1.6), sharex=True)
        steps = [int(r["step"]) for r in rows]
        for ax, k in zip((row[0] for row in axes), keys, strict=True):
            ax.plot(steps, [float(r[k]) for r in rows])
            ax.set_ylabel(k)
        axes[-1][0].set_xlabel("step")
        axes[0][0].set_title(f"{self.model.name} on {self.config.dataset} (batch means)")
        plotting.save(fig, self.out / "losses.png")

    def _first_bad_loss(self, stacked: dict[str, torch.Tensor], steps: list[int]) -> str:
        """'name = value at step s' for the first bad loss of any process, else ''."""
        message = ""
        for k, v in stacked.items():
            bad = ~torch.isfinite(v) | (v.abs() > self.config.max_loss)
            if bool(bad.any()):
                i = int(bad.nonzero()[0, 0])
                message = f"{k} = {float(v[i]):.4g} at step {steps[i]}"
                break
        if self.world_size > 1:  # every process stops together
            import torch.distributed as dist

            flag = torch.tensor([float(bool(message))], device=self.device)
            dist.all_reduce(flag, op=dist.ReduceOp.MAX)
            if float(flag) > 0 and not message:
                message = f"a loss of another process at or before step {steps[-1]}"
        return message

    def _on_disk(self) -> str:
        """What a stopped run leaves: its last checkpoint, or that it wrote none."""
        path = self.out / "checkpoint.pt"
        if not path.exists():
            first = (self.step // self.config.checkpoint_every + 1) * \
                self.config.checkpoint_every
            return (f"No checkpoint was written (the first was due at step "
                    f"{min(first, self.config.steps)})")
        at = "" if self._saved_step is None else f" (step {self._saved_step})"
        return f"The last good checkpoint, {path}{at}, is kept"

    def _advice(self) -> str:
        """The flags that lower the learning rates, with their values."""
        rates = [f"--{f.replace('_', '-')} (now {getattr(self.config, f):g})"
                 for f in ("lr_g", "lr_d") if hasattr(self.config, f)]
        return f"try a lower {' or '.join(rates)}"

    # -- the loop ----------------------------------------------------------------------------
    def train(self, *, progress: bool = True) -> ImageTrainer:
        """Run to ``config.steps``; checkpoints, samples and logs on the way."""
        from tqdm.auto import tqdm

        cfg = self.config
        self.out.mkdir(parents=True, exist_ok=True)
        pending: list[dict[str, torch.Tensor]] = []
        pending_steps: list[int] = []
        bar = tqdm(total=cfg.steps, initial=self.step, disable=not (progress and self.is_main),
                   unit="step",
                   desc=f"{self.model.name} on {cfg.dataset}", mininterval=1.0)
        tick, tick_step = time.perf_counter(), self.step
        while self.step < cfg.steps:
            out = self.train_step()
            pending.append(out)
            pending_steps.append(self.step)
            bar.update(1)
            at_sample = self.step % cfg.sample_every == 0 or self.step == cfg.steps
            at_checkpoint = self.step % cfg.checkpoint_every == 0 or self.step == cfg.steps
            if not (at_sample or at_checkpoint):
                continue
            # One synchronisation per interval: all losses since the last one, checked.
            stacked = {k: torch.stack([o[k] for o in pending]).float().cpu()
                       for k in pending[0]}
            problem = self._first_bad_loss(stacked, pending_steps)
            if problem:
                bar.close()
                raise TrainingDiverged(f"{problem} (non-finite or above max_loss="
                                       f"{cfg.max_loss:g}); stopped. {self._on_disk()}; "
                                       f"{self._advice()}")
            now = time.perf_counter()
            rate = (self.step - tick_step) * cfg.batch_size / max(now - tick, 1e-9)
            tick, tick_step = now, self.step
            rows = [{"step": s, **{k: float(v[j]) for k, v in stacked.items()},
                     "images_per_s": rate} for j, s in enumerate(pending_steps)]
            bar.set_postfix({k: f"{float(v[-1]):.3f}" for k, v in stacked.items()}
                            | {"img/s": f"{rate:.0f}"})
            pending, pending_steps = [], []
            if not self.is_main:
                continue
            self._log(rows)
            if at_sample:
                self.write_samples()
            if at_checkpoint:
                self.save_checkpoint()
        bar.close()
        return self
