"""Toy-lab throughput: seed-steps per second of the ring GAN, against the old code and the peak.

The configuration is the issue's: ``M`` = 10 seeds (``--seeds``) of the default
:class:`~gantheory.toyconfig.GANConfig` (generator 3x128 ReLU, discriminator 2x128 maxout-5,
batch 100 per seed, Adam) with the non-saturating loss (the ``non-saturating`` method of
``gantheory toy modes``) on ``presets.ring()``, all seeds as one batched computation
(:class:`gantheory.toylab.GANTrainer`), one generator step and one discriminator step per
step, the noise drawn from the trainer's stream every step (``draw_noise``).

What it prints:

* seed-steps per second (``M`` x generator steps per wall-clock second) over ``--rounds``
  rounds of ``--steps`` steps each, after ``--warmup`` steps: median and range;
* with ``--baseline DIR`` (a checkout of the old code, e.g. ``git worktree add /tmp/base
  <commit>``), the old code on the same configuration, timed in a second process in
  alternating rounds (old, new, old, new, ...) so that both see the same load, and the ratio
  new / old of each pair of rounds: median and range;
* the FLOPs of one step (matrix products counted by ``torch.utils.flop_counter``; the
  element-wise work is not counted) and the fraction of the CPU's peak that the measured rate
  reaches. The peak is ``threads x GHz x FLOPs per cycle``: the clock is the ``cpu MHz`` of
  ``/proc/cpuinfo`` (the nominal clock; a core that boosts runs faster, so the fraction can be
  an overestimate), the FLOPs per cycle follow from the vendor, family and SIMD flags (see
  :func:`flops_per_cycle`) and can be set with ``--flops-per-cycle``.

``gantheory toy`` keeps freed memory in the process (:mod:`gantheory.toylab.cpu`); so does
this benchmark, for the new code, unless ``--no-keep-memory``; the old code runs as it ran
(without it) unless ``--baseline-keep-memory``.

With ``--loop-seeds K`` it also times ``K`` single-seed runs one after the other and scales
them to ``M`` (batching against a Python loop over seeds, the comparison of the first version
of this benchmark).

Run::

    python benchmarks/bench_toylab.py                                  # new code only
    python benchmarks/bench_toylab.py --baseline /tmp/toyspeed_base    # old vs new
    python benchmarks/bench_toylab.py --device cuda                    # GPU
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


# -- the worker: one process per code version -----------------------------------------------
def _keep_freed_memory() -> bool:
    """The new tree's allocator setting, loaded from its file (the old tree has none)."""
    spec = importlib.util.spec_from_file_location("_toylab_cpu",
                                                  ROOT / "gantheory" / "toylab" / "cpu.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.keep_freed_memory()


def _sync(device) -> None:
    import torch

    if device.type == "cuda":
        torch.cuda.synchronize(device)


def worker(args: argparse.Namespace) -> None:
    """Build the trainer, warm up, then run ``steps`` steps per line read from stdin."""
    kept = _keep_freed_memory() if args.worker_keeps_memory else False
    import torch

    torch.set_num_threads(args.threads)
    import gantheory
    from gantheory.presets import ring
    from gantheory.toyconfig import GANConfig
    from gantheory.toylab import GANTrainer

    device = torch.device(args.device)
    trainer = GANTrainer(GANConfig(steps=args.steps), ring(), list(range(args.seeds)),
                         device=device)
    for _ in range(args.warmup):
        trainer.step(trainer.draw_noise())
    _sync(device)
    print(json.dumps({"ready": True, "kept_memory": kept, "threads": torch.get_num_threads(),
                      "package": str(Path(gantheory.__file__).parent)}), flush=True)
    for line in sys.stdin:
        n = int(line)
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            trainer.step(trainer.draw_noise())
        _sync(device)
        print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}),
              flush=True)


class Worker:
    """A worker process running the code of ``tree``."""

    def __init__(self, tree: Path, args: argparse.Namespace, keep_memory: bool) -> None:
        env = dict(os.environ, PYTHONPATH=str(tree), OMP_NUM_THREADS=str(args.threads))
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker",
               "--seeds", str(args.seeds), "--steps", str(args.steps),
               "--warmup", str(args.warmup), "--threads", str(args.threads),
               "--device", args.device] + (["--worker-keeps-memory"] if keep_memory else [])
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env=env, cwd=tree)
        self.info = self._read()

    def _read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"worker exited with {self.proc.wait()}")
        return json.loads(line)

    def run(self, steps: int) -> dict:
        self.proc.stdin.write(f"{steps}\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


# -- peak and FLOPs ------------------------------------------------------------------------
def _cpuinfo() -> dict[str, str]:
    info: dict[str, str] = {}
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return info
    for line in text.splitlines():
        if not line.strip():
            break  # the first processor is enough
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def flops_per_cycle(info: dict[str, str]) -> tuple[int, str]:
    """FP32 FLOPs per cycle and core from the vendor, family and SIMD flags, and the reason.

    An FMA is two FLOPs. AMD Zen 1 (family 23 before model 0x30) has two 128-bit FMA pipes
    (16); Zen 2, 3 and 4 (family 23 from 0x30, 25) two 256-bit ones (32; Zen 4 runs AVX-512
    on them in two halves, so no more); Zen 5 (family 26) two 512-bit ones (64). Intel with
    AVX-512 is counted with two 512-bit FMA units (64, the server parts), with AVX2 and FMA
    two 256-bit ones (32). Anything else: 8.
    """
    flags = set(info.get("flags", "").split())
    vendor = info.get("vendor_id", "")
    family = int(info.get("cpu family", "0") or 0)
    model = int(info.get("model", "0") or 0)
    if vendor == "AuthenticAMD":
        if family >= 26:
            return 64, "AMD Zen 5: 2 x 512-bit FMA"
        if family == 25 and "avx512f" in flags:
            return 32, "AMD Zen 4: 2 x 256-bit FMA pipes (AVX-512 runs in two halves)"
        if family == 25 or (family == 23 and model >= 0x30):
            return 32, "AMD Zen 2/3: 2 x 256-bit FMA"
        if family == 23:
            return 16, "AMD Zen 1: 2 x 128-bit FMA"
    if "avx512f" in flags:
        return 64, "AVX-512: 2 x 512-bit FMA assumed"
    if "avx2" in flags and "fma" in flags:
        return 32, "AVX2: 2 x 256-bit FMA"
    return 8, "no FMA SIMD flags found"


def cpu_peak(threads: int, fpc: int | None, ghz: float | None) -> tuple[float, str]:
    """Peak FP32 FLOP/s on ``threads`` cores and how it was found."""
    info = _cpuinfo()
    auto_fpc, why = flops_per_cycle(info)
    fpc = auto_fpc if fpc is None else fpc
    why = why if fpc == auto_fpc else "--flops-per-cycle"
    if ghz is None:
        ghz = float(info.get("cpu MHz", "0") or 0) / 1000
    text = (f"{info.get('model name', platform.processor())} (family "
            f"{info.get('cpu family', '?')}, model {info.get('model', '?')}): {threads} cores x "
            f"{ghz:.2f} GHz x {fpc} FP32 FLOPs/cycle ({why})")
    return threads * ghz * 1e9 * fpc, text


def step_flops(seeds: int, device: str) -> int:
    """Matrix-product FLOPs of one training step (forward and backward), counted by torch."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    from gantheory.presets import ring
    from gantheory.toyconfig import GANConfig
    from gantheory.toylab import GANTrainer

    trainer = GANTrainer(GANConfig(), ring(), list(range(seeds)), device=torch.device(device))
    noise = trainer.draw_noise()
    with FlopCounterMode(display=False) as counter:
        trainer.step(noise)
    return counter.get_total_flops()


# -- the main program -------------------------------------------------------------------------
def _spread(values: list[float]) -> str:
    return (f"{statistics.median(values):8.1f}  (range {min(values):.1f} - {max(values):.1f}, "
            f"{len(values)} rounds)")


def _commit(tree: Path) -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                         text=True, cwd=tree)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, cwd=tree).stdout.strip()
    return out.stdout.strip() + (" + uncommitted changes" if dirty else "")


def seconds_per_step(config, seeds: list[int], device, steps: int, warmup: int) -> float:
    """Wall-clock seconds of one step of ``seeds`` trained as one batch (after ``warmup``)."""
    import torch

    from gantheory.presets import ring
    from gantheory.toylab import GANTrainer

    device = torch.device(device)
    trainer = GANTrainer(config, ring(), seeds, device=device)
    for _ in range(warmup):
        trainer.step(trainer.draw_noise())
    _sync(device)
    start = time.perf_counter()
    for _ in range(steps):
        trainer.step(trainer.draw_noise())
    _sync(device)
    return (time.perf_counter() - start) / steps


def loop_over_seeds(args: argparse.Namespace) -> float:
    """Seconds per step of ``--loop-seeds`` single-seed runs, scaled to ``M`` seeds."""
    from gantheory.toyconfig import GANConfig

    total = sum(seconds_per_step(GANConfig(), [seed], args.device, args.steps, args.warmup)
                for seed in range(args.loop_seeds))
    return total * args.seeds / args.loop_seeds


def main() -> None:
    """Parse the arguments, time the rounds, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="M (default 10)")
    parser.add_argument("--steps", type=int, default=20, help="generator steps per round")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None,
                        help="torch threads (default: torch's, the number of cores)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a checkout of the old code to compare with, round by round")
    parser.add_argument("--no-keep-memory", dest="keep_memory", action="store_false",
                        help="leave glibc's allocator settings alone for the new code")
    parser.add_argument("--baseline-keep-memory", action="store_true",
                        help="give the old code the new code's allocator setting too")
    parser.add_argument("--flops-per-cycle", type=int, default=None)
    parser.add_argument("--ghz", type=float, default=None, help="clock for the peak")
    parser.add_argument("--loop-seeds", type=int, default=0,
                        help="also time this many single-seed runs, scaled to M (default 0)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker-keeps-memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    import torch

    args.threads = args.threads or torch.get_num_threads()
    torch.set_num_threads(args.threads)
    name = (torch.cuda.get_device_name(args.device) if args.device.startswith("cuda")
            else "CPU")
    print(f"device {args.device} ({name}), torch {torch.__version__}, {args.threads} threads, "
          f"commit {_commit(ROOT)}, python {platform.python_version()}")
    print(f"ring GAN, non-saturating, G (128, 128, 128), D (128, 128) maxout 5, batch 100 per "
          f"seed, M = {args.seeds} seeds (0-{args.seeds - 1}), noise seed 0; {args.rounds} rounds "
          f"x {args.steps} steps after {args.warmup} warm-up steps")
    new = Worker(ROOT, args, args.keep_memory)
    old = None
    if args.baseline is not None:
        old = Worker(args.baseline.resolve(), args, args.baseline_keep_memory)
        print(f"old code: {old.info['package']} at commit {_commit(args.baseline)}, "
              f"freed memory kept: {old.info['kept_memory']}")
    print(f"new code: {new.info['package']}, freed memory kept: {new.info['kept_memory']}")
    rates: dict[str, list[float]] = {"new": [], "old": []}
    cpu_rates: dict[str, list[float]] = {"new": [], "old": []}
    ratios = []
    seed_steps = args.seeds * args.steps
    for r in range(args.rounds):
        order = [("old", old), ("new", new)] if r % 2 == 0 else [("new", new), ("old", old)]
        for label, w in order:
            if w is None:
                continue
            t = w.run(args.steps)
            rates[label].append(seed_steps / t["wall"])
            cpu_rates[label].append(seed_steps / t["cpu"])
        if old is not None:
            ratios.append(rates["new"][-1] / rates["old"][-1])
    new.close()
    if old is not None:
        old.close()
    print()
    print(f"new: seed-steps/s {_spread(rates['new'])}")
    print(f"     per CPU-second {_spread(cpu_rates['new'])}")
    if old is not None:
        print(f"old: seed-steps/s {_spread(rates['old'])}")
        print(f"     per CPU-second {_spread(cpu_rates['old'])}")
        print(f"speed-up new/old (wall, round by round): {statistics.median(ratios):.2f}x "
              f"(range {min(ratios):.2f} - {max(ratios):.2f})")
        cpu_ratios = [a / b for a, b in zip(cpu_rates["new"], cpu_rates["old"], strict=True)]
        print(f"speed-up new/old (CPU time):             {statistics.median(cpu_ratios):.2f}x "
              f"(range {min(cpu_ratios):.2f} - {max(cpu_ratios):.2f})")
    flops = step_flops(args.seeds, args.device)
    rate = statistics.median(rates["new"])
    achieved = rate / args.seeds * flops
    print(f"\nFLOPs per step (matrix products, forward and backward): {flops / 1e9:.3f} G "
          f"= {flops / args.seeds / 1e6:.1f} M per seed-step")
    print(f"achieved: {achieved / 1e9:.1f} GFLOP/s (new code, median round)")
    if args.device == "cpu":
        peak, how = cpu_peak(args.threads, args.flops_per_cycle, args.ghz)
        print(f"peak: {peak / 1e9:.1f} GFLOP/s = {how}")
        print(f"fraction of peak: {achieved / peak:.1%}")
    if args.loop_seeds:
        per_step = loop_over_seeds(args)
        print(f"loop over seeds: {args.seeds / per_step:.1f} seed-steps/s (timed "
              f"{args.loop_seeds} single-seed runs, scaled to {args.seeds})")


if __name__ == "__main__":
    main()
