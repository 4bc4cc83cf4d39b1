"""Many seeds at once vs a Python loop over seeds: steps per second of the ring GAN.

Trains ``M`` seeds of the ring GAN (the toy lab's default networks and the non-saturating loss)
for a fixed number of generator steps twice on one device: as one batched run
(:class:`gantheory.toylab.GANTrainer` with ``M`` seeds), and as ``M`` single-seed runs one after
the other. The loop's time is measured on ``--loop-seeds`` of the seeds and scaled to ``M``
(every single-seed run does the same work), which the output says. Prints seed-steps per
second of both and their ratio, with the device, commit and torch version.

Run::

    python benchmarks/bench_toylab.py                       # CPU, M = 256
    python benchmarks/bench_toylab.py --device cuda         # GPU
"""

from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

import torch

from gantheory.presets import ring
from gantheory.toyconfig import GANConfig
from gantheory.toylab import GANTrainer


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_run(config: GANConfig, seeds: list[int], device: torch.device, warmup: int) -> float:
    """Seconds for ``config.steps`` steps of ``seeds`` as one batch (after ``warmup`` steps)."""
    trainer = GANTrainer(config, ring(), seeds, device=device)
    for _ in range(warmup):
        trainer.step(trainer.draw_noise())
    _sync(device)
    start = time.perf_counter()
    for _ in range(config.steps):
        trainer.step(trainer.draw_noise())
    _sync(device)
    return time.perf_counter() - start


def main() -> None:
    """Parse the arguments, time both ways, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=256, help="M (default 256)")
    parser.add_argument("--steps", type=int, default=50, help="generator steps timed")
    parser.add_argument("--loop-seeds", type=int, default=8,
                        help="single-seed runs actually timed for the loop (scaled to M)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    device = torch.device(args.device)
    config = GANConfig(steps=args.steps)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=Path(__file__).parent).stdout.strip()
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
    print(f"device {device} ({name}), torch {torch.__version__}, threads "
          f"{torch.get_num_threads()}, commit {commit}")
    print(f"ring GAN, G {config.g_hidden}, D {config.d_hidden} maxout {config.d_pieces}, "
          f"batch {config.batch_size} per seed, {args.steps} steps")
    batched = time_run(config, list(range(args.seeds)), device, args.warmup)
    n_loop = min(args.loop_seeds, args.seeds)
    loop_measured = sum(time_run(config, [s], device, args.warmup) for s in range(n_loop))
    loop = loop_measured * args.seeds / n_loop
    seed_steps = args.seeds * args.steps
    print(f"batched, M={args.seeds}: {seed_steps / batched:10.0f} seed-steps/s "
          f"({args.steps / batched:.1f} steps/s)")
    print(f"loop over seeds:     {seed_steps / loop:10.0f} seed-steps/s "
          f"(timed {n_loop} of {args.seeds} single-seed runs, scaled)")
    print(f"speed-up: {loop / batched:.1f}x")


if __name__ == "__main__":
    main()
