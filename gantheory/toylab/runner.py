"""What ``gantheory toy`` writes: each experiment's tables, snapshots and figures in one folder.

Every table carries its provenance (command, commit, device, torch version, seeds, steps) in
``provenance.json`` beside it, so each number can be traced to the run that made it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from gantheory.provenance import provenance
from gantheory.toylab import experiments


def _write_json(data: object, path: Path) -> Path:
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


def _write_csv(records: list[dict[str, object]], path: Path) -> Path:
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return path


def snapshot_steps(steps: int, n: int) -> list[int]:
    """``n`` (at least 2) evenly spaced steps from 0 to ``steps``, without repeats."""
    return sorted(set(np.linspace(0, steps, max(n, 2)).astype(int).tolist()))


def run_modes(target: str, methods: Sequence[str], *, seeds: int, steps: int, n_snapshots: int,
              out: str | Path, device: str = "cpu", progress: bool = True) -> list[Path]:
    """The mode-collapse experiment: table (CSV, markdown), snapshots and figures."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    info = provenance(device, target=target, seeds=list(range(seeds)), steps=steps,
                      methods=list(methods))
    rows, runs = experiments.mode_collapse(
        target, methods, seeds, steps, device=device,
        snapshot_steps=snapshot_steps(steps, n_snapshots), progress=progress)
    written = [experiments.write_rows_csv(rows, out / f"{target}_metrics.csv")]
    table = experiments.markdown_table(rows, target, device=device, commit=str(info["commit"]))
    md = out / f"{target}_metrics.md"
    md.write_text(f"# Mode collapse on the {target}\n\n`{info['command']}`\n\n{table}")
    written.append(md)
    if progress:
        print(table)
    written.append(_write_json(info, out / f"{target}_provenance.json"))
    written.append(experiments.plot_samples(runs, out / f"{target}_samples.png"))
    written.append(experiments.plot_mode_bars(rows, target, out / f"{target}_modes.png"))
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
        written.append(_write_csv(records, out / f"{target}_{method}_snapshots.csv"))
        written.append(experiments.plot_evolution(run, out / f"{target}_{method}_evolution.png"))
        written.append(experiments.animate_evolution(run, out / f"{target}_{method}.gif"))
    return written


def run_one_d(*, seeds: int, steps: int, n_snapshots: int, out: str | Path, device: str = "cpu",
              progress: bool = True) -> list[Path]:
    """The 1-D experiment: histogram figure and the W1 / ||D - D*|| table over training."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    info = provenance(device, seeds=list(range(seeds)), steps=steps)  # the code that runs
    runs, records = experiments.one_d(seeds=seeds, steps=steps, n_snapshots=n_snapshots,
                                      device=device, progress=progress)
    path = out / "one_d.csv"
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    info["settings"] = {k: repr(r.config) for k, r in runs.items()}
    final = [r for r in records if r["step"] == steps]
    lines = ["| setting | seeds | steps | collapsed seeds (< 10 % on one mode) | "
             "share of the smaller mode | W1 to target | ‖D − D*‖ |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['setting']} | {r['seeds']} | {steps} | {r['collapsed_seeds']} | "
              f"{r['minority_share']:.3f} | {r['w1']:.3f} | {r['d_minus_d_star']:.3f} |"
              for r in final]
    md = out / "one_d.md"
    md.write_text(f"# 1-D GAN on two modes 20 std apart\n\n`{info['command']}` (commit "
                  f"{info['commit']}, {info['device']})\n\n" + "\n".join(lines) + "\n\n"
                  "Means over seeds at the last step; the share of the smaller mode is 0.5 "
                  "for a generator that covers both, 0 for one that collapsed.\n")
    return [path, md, _write_json(info, out / "one_d_provenance.json"),
            experiments.plot_one_d(runs, out / "one_d.png")]


def run_saturation(*, seeds: int, out: str | Path, device: str = "cpu") -> list[Path]:
    """Saturating vs non-saturating generator gradients: CSV and figure."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    info = provenance(device, seeds=list(range(seeds)))
    records = experiments.saturation(seeds=seeds, device=device)
    path = out / "saturation.csv"
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return [path, _write_json(info, out / "saturation_provenance.json"),
            experiments.plot_saturation(records, out / "saturation.png")]


def run_dirac(*, out: str | Path) -> list[Path]:
    """Dirac-GAN: eigenvalue / behaviour table (CSV, markdown) and the trajectory figure."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rows = experiments.dirac_table()
    keys = sorted({k for r in rows for k in r}, key=lambda k: list(rows[0]).index(k)
                  if k in rows[0] else len(rows[0]))
    path = out / "dirac.csv"
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)
    md = out / "dirac.md"
    header = ["method", "eigenvalues", "simultaneous_predicted", "simultaneous_simulated",
              "alternating_predicted", "alternating_simulated"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(r.get(h, "")) for h in header) + " |" for r in rows]
    md.write_text(
        "# Dirac-GAN (Mescheder et al. 2018)\n\n" + "\n".join(lines) + "\n\n"
        "Gradient steps of size 0.1 from (theta, psi) = (0.1, 0.1), 4000 steps, the methods' "
        "default parameters (gantheory.toylab.dirac.DEFAULTS). The prediction is local (the "
        "spectral radius of the update map at the equilibrium); WGAN's clipping (c = 1) keeps "
        "the orbit bounded, so a predicted divergence shows as a cycle.\n")
    return [path, md, experiments.plot_dirac(out / "dirac.png")]


def run_vae(target: str, *, seeds: int, steps: int, out: str | Path, device: str = "cpu",
            progress: bool = True) -> list[Path]:
    """The toy VAE on the ring or grid: its mode-metrics row (markdown, CSV) and figure."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    info = provenance(device, target=target, seeds=list(range(seeds)), steps=steps)
    run, row = experiments.vae_modes(target, seeds, steps, device=device, progress=progress)
    info["config"] = repr(run.config)
    table = experiments.markdown_table([row], target, device=device,
                                       commit=str(info["commit"]))
    md = out / f"{target}_vae_metrics.md"
    md.write_text(f"# Toy VAE on the {target}\n\n`{info['command']}`\n\n{table}")
    return [md, experiments.write_rows_csv([row], out / f"{target}_vae_metrics.csv"),
            _write_json(info, out / f"{target}_vae_provenance.json"),
            experiments.plot_vae(run, out / f"{target}_vae.png")]
