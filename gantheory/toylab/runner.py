"""What ``gantheory toy`` writes: each experiment's tables, snapshots and figures in one folder.

Each ``run_*`` function calls the experiment (:mod:`~gantheory.toylab.experiments`), its
tables (:mod:`~gantheory.toylab.reporting`, :mod:`gantheory.tables`) and its figures
(:mod:`~gantheory.toylab.plots`). Every table carries its provenance (command, commit,
device, torch version, seeds, steps) in ``provenance.json`` beside it, so each number can be
traced to the run that made it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from gantheory import dirac
from gantheory.atomic import remove_stale_temporaries
from gantheory.provenance import provenance
from gantheory.tables import write_csv
from gantheory.toyconfig import GANConfig
from gantheory.toylab import experiments, plots, reporting


def _write_json(data: object, path: Path) -> Path:
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


def snapshot_steps(steps: int, n: int) -> list[int]:
    """``n`` (at least 2) evenly spaced steps from 0 to ``steps``, without repeats."""
    return sorted(set(np.linspace(0, steps, max(n, 2)).astype(int).tolist()))


#: The file in which ``gantheory toy modes`` keeps a run's settings, for ``--resume``.
RUN_FILE = "toy_run.json"
#: The folder of a run's checkpoints (one file per method).
CHECKPOINTS = "checkpoints"


def read_run_settings(out: str | Path) -> dict[str, object] | None:
    """The settings a run in ``out`` was started with (:data:`RUN_FILE`), or None."""
    path = Path(out) / RUN_FILE
    if not path.exists():
        return None
    return json.loads(path.read_text())


def run_modes(target: str, methods: Sequence[str], *, seeds: int, steps: int, n_snapshots: int,
              out: str | Path, device: str = "cpu", progress: bool = True,
              checkpoint_every: int = 500, resume: bool = False, lr: float = GANConfig.lr_g,
              lr_schedule: str = GANConfig.lr_schedule) -> list[Path]:
    """The mode-collapse experiment: table (CSV, markdown), snapshots and figures.

    The settings go to ``out/toy_run.json`` and each method's trainer to
    ``out/checkpoints/<target>_<method>.pt`` every ``checkpoint_every`` steps (0: only at its
    end); with ``resume`` the methods continue from their checkpoints (the caller checks that
    the settings are the saved ones: :func:`gantheory.cli.toy.run` does). Temporary files of
    an interrupted checkpoint are removed first. ``lr`` and ``lr_schedule`` apply to both
    networks of every method.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    checkpoints = out / CHECKPOINTS
    remove_stale_temporaries(checkpoints)
    _write_json({"experiment": "modes", "target": target, "methods": list(methods),
                 "seeds": seeds, "steps": steps, "snapshots": n_snapshots, "device": device,
                 "checkpoint_every": checkpoint_every, "lr": lr, "lr_schedule": lr_schedule},
                out / RUN_FILE)
    info = provenance(device, target=target, seeds=list(range(seeds)), steps=steps,
                      methods=list(methods), resumed=resume, lr=lr, lr_schedule=lr_schedule)
    base = GANConfig(lr_g=lr, lr_d=lr, lr_schedule=lr_schedule)
    rows, runs = experiments.mode_collapse(
        target, methods, seeds, steps, base=base, device=device,
        snapshot_steps=snapshot_steps(steps, n_snapshots), progress=progress,
        checkpoint_dir=checkpoints, checkpoint_every=checkpoint_every, resume=resume)
    written = [write_csv([asdict(r) for r in rows], out / f"{target}_metrics.csv")]
    table = reporting.modes_table(rows, target, device=device, commit=str(info["commit"]))
    md = out / f"{target}_metrics.md"
    md.write_text(f"# Mode collapse on the {target}\n\n`{info['command']}`\n\n{table}")
    written.append(md)
    if progress:
        print(table)
    written.append(_write_json(info, out / f"{target}_provenance.json"))
    written.append(plots.plot_samples(runs, out / f"{target}_samples.png"))
    written.append(plots.plot_mode_bars(rows, target, out / f"{target}_modes.png"))
    for method, run in runs.items():
        snaps = out / f"{target}_{method}_snapshots.npz"
        np.savez_compressed(snaps, steps=np.array([s.step for s in run.snapshots]),
                            samples=np.stack([s.samples for s in run.snapshots]),
                            logits=np.stack([s.logits for s in run.snapshots]),
                            d_loss=run.d_loss, g_loss=run.g_loss, seeds=np.array(run.seeds))
        written.append(snaps)
        grid = experiments.grid_points(experiments.view_box(run.target), 48)
        records = experiments.snapshot_metrics(
            run.target, [s.step for s in run.snapshots],
            np.stack([s.samples for s in run.snapshots]),
            np.stack([s.logits for s in run.snapshots]), grid)
        written.append(write_csv(records, out / f"{target}_{method}_snapshots.csv"))
        written.append(plots.plot_evolution(run, out / f"{target}_{method}_evolution.png"))
        written.append(plots.animate_evolution(run, out / f"{target}_{method}.gif"))
    return written


def run_one_d(*, seeds: int, steps: int, n_snapshots: int, out: str | Path, device: str = "cpu",
              progress: bool = True) -> list[Path]:
    """The 1-D experiment: histogram figure and the W1 / ||D - D*|| table over training."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    info = provenance(device, seeds=list(range(seeds)), steps=steps)  # the code that runs
    runs, records = experiments.one_d(seeds=seeds, steps=steps, n_snapshots=n_snapshots,
                                      device=device, progress=progress)
    path = write_csv(records, out / "one_d.csv")
    info["settings"] = {k: repr(r.config) for k, r in runs.items()}
    md = out / "one_d.md"
    md.write_text(f"# 1-D GAN on two modes 20 std apart\n\n`{info['command']}` (commit "
                  f"{info['commit']}, {info['device']})\n\n"
                  + reporting.one_d_table(records, steps) + "\n\n"
                  "Means over seeds at the last step; the share of the smaller mode is 0.5 "
                  "for a generator that covers both, 0 for one that collapsed.\n")
    return [path, md, _write_json(info, out / "one_d_provenance.json"),
            plots.plot_one_d(runs, out / "one_d.png")]


def run_saturation(*, seeds: int, out: str | Path, device: str = "cpu") -> list[Path]:
    """Saturating vs non-saturating generator gradients: CSV and figure."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    info = provenance(device, seeds=list(range(seeds)))
    records = experiments.saturation(seeds=seeds, device=device)
    md = out / "saturation.md"
    md.write_text(f"# Saturation while D trains (Arjovsky & Bottou 2017, Fig. 2)\n\n"
                  f"`{info['command']}`\n\n{reporting.saturation_table(records)}\n")
    return [write_csv(records, out / "saturation.csv"), md,
            _write_json(info, out / "saturation_provenance.json"),
            plots.plot_saturation(records, out / "saturation.png")]


def run_dirac(*, out: str | Path) -> list[Path]:
    """Dirac-GAN: eigenvalue / behaviour table (CSV, markdown) and the trajectory figure."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    info = provenance("cpu")  # numpy only: the device is the CPU
    rows = dirac.behaviour_table()
    path = write_csv(rows, out / "dirac.csv")
    md = out / "dirac.md"
    md.write_text(
        "# Dirac-GAN (Mescheder et al. 2018)\n\n" + reporting.dirac_table(rows) + "\n\n"
        "Gradient steps of size 0.1 from (theta, psi) = (0.1, 0.1), 4000 steps, the methods' "
        "default parameters (gantheory.dirac.DEFAULTS). The prediction is local (the "
        "spectral radius of the update map at the equilibrium); WGAN's clipping (c = 1) keeps "
        "the orbit bounded, so a predicted divergence shows as a cycle.\n")
    return [path, md, _write_json(info, out / "dirac_provenance.json"),
            plots.plot_dirac(out / "dirac.png")]


def run_vae(target: str, *, seeds: int, steps: int, out: str | Path, device: str = "cpu",
            progress: bool = True) -> list[Path]:
    """The toy VAE on the ring or grid: its mode-metrics row (markdown, CSV) and figure."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    info = provenance(device, target=target, seeds=list(range(seeds)), steps=steps)
    run, row = experiments.vae_modes(target, seeds, steps, device=device, progress=progress)
    info["config"] = repr(run.config)
    table = reporting.modes_table([row], target, device=device, commit=str(info["commit"]))
    md = out / f"{target}_vae_metrics.md"
    md.write_text(f"# Toy VAE on the {target}\n\n`{info['command']}`\n\n{table}")
    return [md, write_csv([asdict(row)], out / f"{target}_vae_metrics.csv"),
            _write_json(info, out / f"{target}_vae_provenance.json"),
            plots.plot_vae(run, out / f"{target}_vae.png")]
