"""The GPU goals in one call: one table, measured on one device in about ten minutes.

What it measures, in order (each row of the table says what it is):

1. **DCGAN-64 throughput** (``bench_dcgan.py``): our re-implementation of the pytorch/examples
   loop, then our trainer with channels-last off/on and ``torch.compile`` off/on; the best
   ratio against the reference (goal >= 4x) and its fraction of the dense bf16 peak.
2. **Toy lab, 256 seeds batched against a loop** (``bench_toylab.py``; goal >= 30x).
3. **The ring at PacGAN's scale**: PacGAN2 on the ring of 8 for as many steps as the time
   budget allows (PacGAN trained about 400k; the published PacGAN2 row is 7.9 modes, 95.6 %
   high quality, reverse KL 0.07, Lin et al. 2018, Table 1), 10 seeds, through
   ``gantheory toy modes``.
4. **Stacked MNIST**: ``gantheory train dcgan`` on Stacked MNIST (32 pixels) for as many steps
   as the budget allows, then ``gantheory eval`` (26,000 samples; the published rows are
   DCGAN 99 modes / KL 3.4 and PacDCGAN2 1000 / 0.06, Lin et al. 2018, Table 3).

Budgets: the number of steps of 3. and 4. is chosen from a short timed run so that each takes
about ``--budget`` seconds. ``--dry-run`` runs every code path but ``torch.compile`` (minutes
to compile on a CPU) at tiny sizes on the CPU (a test runs it, so that the suite cannot rot);
it needs no MNIST (a small stand-in data file is written) and no GPU.

Run (see ``gpu_suite.sh``, which the device is given)::

    python benchmarks/gpu_suite.py --device cuda --mnist data/mnist.npz --out results/
    python benchmarks/gpu_suite.py --dry-run
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_dcgan  # noqa: E402
import bench_toylab  # noqa: E402

from gantheory import cli  # noqa: E402
from gantheory.provenance import provenance  # noqa: E402
from gantheory.toyconfig import GANConfig, method_config  # noqa: E402


class Table:
    """Rows of (section, measurement, value, goal or published), printed at the end."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, section: str, what: str, value: str, goal: str = "") -> None:
        """Record a row and echo it at once (a killed run still shows what it measured)."""
        self.rows.append((section, what, value, goal))
        print(f"  {section:14s} {what:44s} {value:>22s}  {goal}", flush=True)

    def text(self) -> str:
        """The table as aligned text."""
        head = ("section", "measurement", "value", "goal / published")
        widths = [max(len(r[i]) for r in [head, *self.rows]) for i in range(4)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(head, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))
                  for r in self.rows]
        return "\n".join(lines)


def dcgan_throughput(table: Table, device: torch.device, iters: int, warmup: int,
                     n_images: int, work: Path, compile_options: tuple[bool, ...]) -> None:
    """Section 1: the reference loop against our trainer, channels-last and compile on/off."""
    folder = work / "pngs"
    bench_dcgan._write_pngs(folder, n_images)
    ref = bench_dcgan.reference_images_per_second(folder, device, iters, warmup)
    table.add("dcgan-64", "pytorch/examples loop (our re-impl.), img/s", f"{ref:.0f}")
    best, best_flops = 0.0, 0.0
    for compile_ in compile_options:
        for channels_last in (False, True):
            rate, flops = bench_dcgan.ours(folder, device, iters, warmup,
                                           work / f"run-{compile_}-{channels_last}",
                                           compile_, channels_last)
            table.add("dcgan-64", f"ours, compile={compile_}, channels_last={channels_last}",
                      f"{rate:.0f} img/s ({rate / ref:.1f}x)", ">= 4x (aim 10x)")
            if rate > best:
                best, best_flops = rate, flops
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    peak = next((v for k, v in bench_dcgan.BF16_PEAK_TFLOPS.items() if k in name), None)
    achieved = best / 64 * best_flops / 1e12
    table.add("dcgan-64", "best: TFLOP/s (fraction of dense bf16 peak)",
              f"{achieved:.1f}" + (f" ({achieved / peak:.1%})" if peak else " (peak unknown)"))


def toy_batched(table: Table, device: torch.device, seeds: int, steps: int,
                loop_seeds: int) -> None:
    """Section 2: M seeds as one batch against a Python loop over single-seed runs."""
    config = GANConfig()
    batched = steps * bench_toylab.seconds_per_step(config, list(range(seeds)), device, steps, 2)
    n_loop = min(loop_seeds, seeds)
    loop = steps * sum(bench_toylab.seconds_per_step(config, [s], device, steps, 2)
                       for s in range(n_loop)) * seeds / n_loop
    table.add("toy lab", f"{seeds} seeds batched, seed-steps/s", f"{seeds * steps / batched:.0f}")
    table.add("toy lab", f"loop over seeds (timed {n_loop}, scaled), seed-steps/s",
              f"{seeds * steps / loop:.0f}")
    table.add("toy lab", "batched / loop", f"{loop / batched:.1f}x", ">= 30x")


def _steps_for(budget: float, seconds_per_step: float, low: int, high: int) -> int:
    return int(min(high, max(low, budget / max(seconds_per_step, 1e-9))))


def ring_at_scale(table: Table, device: torch.device, budget: float, seeds: int,
                  max_steps: int, work: Path) -> None:
    """Section 3: PacGAN2 on the ring for as many steps as ``budget`` seconds allow."""
    seconds = bench_toylab.seconds_per_step(method_config("pacgan2"), list(range(seeds)), device,
                                            steps=20, warmup=2)
    steps = _steps_for(budget, seconds, 2, max_steps)
    out = work / "ring"
    argv = ["toy", "modes", "--target", "ring", "--method", "pacgan2", "--seeds", str(seeds),
            "--steps", str(steps), "--snapshots", "2", "--out", str(out), "--device",
            str(device), "--quiet"]
    start = time.perf_counter()
    status = cli.main(argv)
    elapsed = time.perf_counter() - start
    if status != 0:
        table.add("ring", "gantheory toy modes", f"exit status {status}")
        return
    with (out / "ring_metrics.csv").open() as fh:
        row = next(csv.DictReader(fh))
    table.add("ring", f"pacgan2, {seeds} seeds, {steps} steps ({elapsed:.0f} s): modes",
              f"{float(row['modes']):.2f} +- {float(row['modes_se']):.2f}", "7.9 (goal 8.0)")
    table.add("ring", "pacgan2: high quality %",
              f"{100 * float(row['high_quality']):.1f} +- "
              f"{100 * float(row['high_quality_se']):.1f}", "95.6 (goal >= 98)")
    table.add("ring", "pacgan2: reverse KL",
              f"{float(row['reverse_kl']):.3f} +- {float(row['reverse_kl_se']):.3f}",
              "0.07 (goal <= 0.02)")


def stacked_mnist(table: Table, device: torch.device, budget: float, mnist: Path,
                  max_steps: int, eval_samples: int | None, classifier_steps: int,
                  width: int, work: Path) -> None:
    """Section 4: DCGAN on Stacked MNIST for ``budget`` seconds of training, then eval."""
    data = f"stacked-mnist:{mnist}"
    common = ["--dataset", data, "--image-size", "32", "--width", str(width),
              "--batch-size", "64", "--device", str(device), "--quiet"]
    probe_dir, probe = work / "stacked-probe", 10
    start = time.perf_counter()
    cli.main(["train", "dcgan", "--out", str(probe_dir), "--steps", str(probe),
              "--sample-every", str(probe), "--checkpoint-every", str(probe), *common])
    seconds = (time.perf_counter() - start) / probe  # includes loading: an upper bound
    steps = _steps_for(budget, seconds, 2, max_steps)
    run = work / "stacked"
    every = max(steps // 4, 1)
    start = time.perf_counter()
    status = cli.main(["train", "dcgan", "--out", str(run), "--steps", str(steps),
                       "--sample-every", str(every), "--checkpoint-every", str(every),
                       *common])
    trained = time.perf_counter() - start
    if status != 0:
        table.add("stacked-mnist", "gantheory train dcgan", f"exit status {status}")
        return
    argv = ["eval", "--checkpoint", str(run), "--classifier-steps", str(classifier_steps),
            "--device", str(device)]
    if eval_samples is not None:
        argv += ["--samples", str(eval_samples)]
    status = cli.main(argv)
    if status != 0:
        table.add("stacked-mnist", "gantheory eval", f"exit status {status}")
        return
    result = json.loads((run / "eval.json").read_text())
    table.add("stacked-mnist", f"dcgan width {width}, {steps} steps ({trained:.0f} s): modes",
              f"{result['n_modes']} / 1000", "DCGAN 99, PacDCGAN2 1000")
    table.add("stacked-mnist", f"KL to uniform ({result['n_samples']} samples)",
              f"{result['kl_to_uniform']:.3f}", "DCGAN 3.4, PacDCGAN2 0.06 (goal <= 0.05)")
    table.add("stacked-mnist", "classifier held-out accuracy",
              f"{result['classifier_accuracy_held_out']:.3f}")


def _stand_in_mnist(path: Path, n_train: int = 256, n_test: int = 64) -> Path:
    """A small file shaped like mnist.npz (random strokes, labels 0-9) for the dry run."""
    rng = np.random.default_rng(0)

    def images(n: int) -> np.ndarray:
        x = np.zeros((n, 28, 28), np.uint8)
        for i in range(n):
            r, c = rng.integers(4, 20, size=2)
            x[i, r:r + 8, c:c + 3] = 255
        return x

    np.savez(path, x_train=images(n_train), y_train=rng.integers(0, 10, n_train),
             x_test=images(n_test), y_test=rng.integers(0, 10, n_test))
    return path


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run the four sections, print the table; 0 when all ran."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--mnist", type=Path, help="mnist.npz (x_train, y_train, x_test, y_test)")
    parser.add_argument("--out", type=Path, help="folder for the table and the runs' records")
    parser.add_argument("--budget", type=float, default=150.0,
                        help="seconds of training for each of the ring and Stacked MNIST runs")
    parser.add_argument("--only", nargs="+", choices=("dcgan", "toy", "ring", "stacked"),
                        help="run only these sections")
    parser.add_argument("--dry-run", action="store_true",
                        help="every code path at tiny sizes on the CPU (a test runs this)")
    args = parser.parse_args(argv)
    dry = args.dry_run
    device = torch.device("cpu" if dry else args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        print("gpu_suite: error: CUDA is not available here (use --dry-run on a CPU)",
              file=sys.stderr)
        return 2
    sections = set(args.only or ("dcgan", "toy", "ring", "stacked"))
    info = provenance(str(device), dry_run=dry, budget_s=args.budget)
    print(f"device {info['device']}; commit {info['commit']}; torch {torch.__version__}; "
          f"dry run {dry}", flush=True)
    table = Table()
    if args.mnist is None and not dry:
        print("gpu_suite: error: --mnist is required outside --dry-run", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        mnist = args.mnist or _stand_in_mnist(work / "mnist-stand-in.npz")
        start = time.perf_counter()
        if "dcgan" in sections:
            dcgan_throughput(table, device, iters=1 if dry else 200, warmup=1 if dry else 20,
                             n_images=64 if dry else 6400, work=work,
                             # compiling takes minutes on a CPU: the dry run leaves it out
                             compile_options=(False,) if dry else (False, True))
        if "toy" in sections:
            toy_batched(table, device, seeds=4 if dry else 256, steps=2 if dry else 50,
                        loop_seeds=2 if dry else 8)
        if "ring" in sections:
            ring_at_scale(table, device, budget=1.0 if dry else args.budget, seeds=2 if dry else 10,
                          max_steps=4 if dry else 400_000, work=work)
        if "stacked" in sections:
            stacked_mnist(table, device, budget=1.0 if dry else args.budget, mnist=mnist,
                          max_steps=4 if dry else 100_000, eval_samples=200 if dry else None,
                          classifier_steps=5 if dry else 1500, width=4 if dry else 64,
                          work=work)
        elapsed = time.perf_counter() - start
    text = table.text()
    print(f"\n{text}\n\nwall time {elapsed:.0f} s")
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "gpu_suite.md").write_text(f"```\n{text}\n```\n\nwall time {elapsed:.0f} s\n")
        (args.out / "gpu_suite_provenance.json").write_text(json.dumps(info, indent=2) + "\n")
    failed = [r for r in table.rows if r[2].startswith("exit status")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
