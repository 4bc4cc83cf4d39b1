"""Train an image model in stages and evaluate it after each: the metric's curve against steps.

Runs ``gantheory train MODEL ... --steps S --out OUT`` for S = every, 2 every, ..., steps
(``--resume`` from the second stage on, so the run is one uninterrupted training run with pauses
for measurement), and after each stage what ``gantheory eval`` reports, saved as
``OUT/eval-STEP.json``; with ``--trained-too``, a run kept with ``--ema`` is also evaluated
through its trained generator (``gantheory eval --no-ema``), saved as
``OUT/eval-STEP-trained.json``. A stage whose evaluations exist is skipped, so an interrupted
job is continued by the same command. After every stage it rewrites ``OUT/eval_curve.csv``
(one row per evaluation) and ``OUT/eval_curve.png`` (each metric against the step, with the
goal or published values given by ``--line``).

Run (everything after ``--`` goes to ``gantheory train``)::

    python benchmarks/staged_eval.py --every 2000 --steps 16000 --out stacked_ema \\
        --line kl_to_uniform=0.06=PacDCGAN2 --line kl_to_uniform=0.05=goal -- \\
        dcgan --dataset stacked-mnist:../shared/data/mnist.npz --image-size 32 --width 32 \\
        --batch-size 64 --ema 0.999 --sample-every 2000 --checkpoint-every 500
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gantheory import plotting
from gantheory.tables import write_csv

#: the metrics drawn, when the evaluation reports them (a GAN's or a VAE's)
CURVES = ("modes", "kl_to_uniform", "frechet_distance_classifier", "kid_classifier", "test_nll")


def evaluations(out: Path) -> list[dict]:
    """Every ``eval-STEP[-trained].json`` of the run folder, in step order, each with its
    ``weights`` ("ema" or "trained"; a record without the field is the run's default)."""
    found = []
    for path in out.glob("eval-*.json"):
        record = json.loads(path.read_text())
        record.setdefault("weights", "trained" if path.stem.endswith("-trained") else "ema")
        found.append(record)
    return sorted(found, key=lambda r: (r["step"], r["weights"]))


def stage_files(out: Path, stage: int, trained_too: bool) -> dict[bool, Path]:
    """The evaluation files a stage writes, keyed by ``ema`` (True: the run's default)."""
    files = {True: out / f"eval-{stage}.json"}
    if trained_too:
        files[False] = out / f"eval-{stage}-trained.json"
    return files


def saved_step(out: Path) -> int:
    """The step of the run's checkpoint (0 when there is none yet)."""
    from gantheory.images import checkpoint

    path = out / "checkpoint.pt"
    return int(checkpoint.load(path)["step"]) if path.exists() else 0


def parse_line(text: str) -> tuple[str, float, str]:
    """``KEY=VALUE=LABEL`` (a horizontal line on the panel of KEY) as a tuple."""
    key, value, label = text.split("=", 2)
    return key, float(value), label


def curve_figure(rows: list[dict], lines: list[tuple[str, float, str]], title: str,
                 path: Path) -> Path:
    """One panel per metric in :data:`CURVES` that the rows report, against the step."""
    keys = [k for k in CURVES if isinstance(rows[0].get(k), (int, float))]
    fig, axes = plotting.figure(1, len(keys), size=(3.2, 2.8), layout="constrained")
    series = {w: [r for r in rows if r["weights"] == w] for w in ("ema", "trained")}
    labels = {"ema": "ours, EMA generator", "trained": "ours, trained generator"}
    if not all(series.values()):
        labels = dict.fromkeys(labels, "ours")
    for ax, key in zip(axes[0], keys, strict=True):
        for (weights, part), marker in zip(series.items(), ("o-", "s:"), strict=True):
            if part:
                ax.plot([r["step"] for r in part], [r[key] for r in part], marker,
                        color=plotting.GENERATOR, label=labels[weights])
        for i, (_key, value, label) in enumerate(line for line in lines if line[0] == key):
            ax.axhline(value, ls="--", color=plotting.CYCLE[(i + 1) % len(plotting.CYCLE)],
                       label=label)
        if key == "modes" and "n_modes" in rows[0]:
            ax.set_ylim(0, rows[0]["n_modes"] * 1.05)
            key = f"modes (of {rows[0]['n_modes']})"
        if key == "kl_to_uniform":
            ax.set_yscale("log")
        ax.set_xlabel("generator step")
        ax.set_title(key)
        ax.legend()
    fig.suptitle(title)
    return plotting.save(fig, path)


def main(argv: list[str] | None = None) -> int:
    """Train and evaluate stage by stage; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    split = argv.index("--") if "--" in argv else len(argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, required=True, help="steps between evaluations")
    parser.add_argument("--steps", type=int, required=True, help="the last stage's step")
    parser.add_argument("--out", required=True, help="the run folder")
    parser.add_argument("--eval-samples", type=int, help="generated images per evaluation")
    parser.add_argument("--trained-too", action="store_true",
                        help="also evaluate the trained generator of a run kept with --ema")
    parser.add_argument("--line", action="append", default=[], type=parse_line,
                        help="KEY=VALUE=LABEL: a goal or published value on KEY's panel")
    args = parser.parse_args(argv[:split])
    train_args = argv[split + 1:]
    if not train_args:
        parser.error("give the model and its training flags after --")
    from gantheory import cli
    from gantheory.images import commands

    out = Path(args.out)
    for stage in range(args.every, args.steps + 1, args.every):
        files = stage_files(out, stage, args.trained_too)
        if all(path.exists() for path in files.values()):
            continue
        saved = saved_step(out)
        if saved > stage:
            print(f"no evaluation at step {stage}: the run is already at step {saved}")
            continue
        if saved < stage:
            resume = ["--resume"] if saved else []
            status = cli.main(["train", *train_args, "--steps", str(stage), "--out", str(out),
                               "--quiet", *resume])
            if status:
                return status
        for ema, path in ((e, p) for e, p in files.items() if not p.exists()):
            result = commands.evaluate(out, n_samples=args.eval_samples, ema=ema)
            path.write_text(json.dumps(result, indent=2) + "\n")
        rows = evaluations(out)
        write_csv([{"step": r["step"], "weights": r["weights"],
                    **{k: r[k] for k in CURVES if k in r}} for r in rows],
                  out / "eval_curve.csv")
        curve_figure(rows, args.line, f"{result['model']} on {result['dataset'].split(':')[0]}",
                     out / "eval_curve.png")
        for record in (r for r in rows if r["step"] == result["step"]):
            print(f"step {record['step']} ({record['weights']} weights): " + ", ".join(
                f"{k} {record[k]:.4g}" for k in CURVES
                if isinstance(record.get(k), (int, float))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
