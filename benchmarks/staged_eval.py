"""Train an image model in stages and evaluate it after each: the metric's curve against steps.

Runs ``gantheory train MODEL ... --steps S --out OUT`` for S = every, 2 every, ..., steps
(``--resume`` from the second stage on, so the run is one uninterrupted training run with pauses
for measurement), and after each stage what ``gantheory eval`` reports, saved as
``OUT/eval-STEP.json``. A stage whose ``eval-STEP.json`` exists is skipped, so an interrupted
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
    """Every ``eval-STEP.json`` of the run folder, in step order."""
    found = [json.loads(p.read_text()) for p in out.glob("eval-*.json")]
    return sorted(found, key=lambda r: r["step"])


def parse_line(text: str) -> tuple[str, float, str]:
    """``KEY=VALUE=LABEL`` (a horizontal line on the panel of KEY) as a tuple."""
    key, value, label = text.split("=", 2)
    return key, float(value), label


def curve_figure(rows: list[dict], lines: list[tuple[str, float, str]], title: str,
                 path: Path) -> Path:
    """One panel per metric in :data:`CURVES` that the rows report, against the step."""
    keys = [k for k in CURVES if isinstance(rows[0].get(k), (int, float))]
    fig, axes = plotting.figure(1, len(keys), size=(3.2, 2.8), layout="constrained")
    steps = [r["step"] for r in rows]
    for ax, key in zip(axes[0], keys, strict=True):
        ax.plot(steps, [r[key] for r in rows], "o-", color=plotting.GENERATOR, label="ours")
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
        if any(r["step"] == stage for r in evaluations(out)):
            continue
        resume = ["--resume"] if (out / "checkpoint.pt").exists() else []
        status = cli.main(["train", *train_args, "--steps", str(stage), "--out", str(out),
                           "--quiet", *resume])
        if status:
            return status
        result = commands.evaluate(out, n_samples=args.eval_samples)
        (out / f"eval-{result['step']}.json").write_text(json.dumps(result, indent=2) + "\n")
        rows = evaluations(out)
        write_csv([{"step": r["step"], **{k: r[k] for k in CURVES if k in r}} for r in rows],
                  out / "eval_curve.csv")
        curve_figure(rows, args.line, f"{result['model']} on {result['dataset'].split(':')[0]}",
                     out / "eval_curve.png")
        print(f"step {result['step']}: " + ", ".join(f"{k} {result[k]:.4g}" for k in CURVES
                                                      if isinstance(result.get(k), (int, float))),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
