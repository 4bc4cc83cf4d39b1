"""``gantheory toy``: a toy-lab experiment, its tables and figures."""

from __future__ import annotations

import argparse

from gantheory.cli._common import check_device
from gantheory.errors import UsageError


def add_parser(sub) -> None:
    """Add the ``toy`` subcommand to ``sub``."""
    toy = sub.add_parser("toy", help="train toy GANs on known densities; tables and figures")
    toy.add_argument("--experiment", default="modes",
                     choices=("modes", "vae", "one-d", "saturation", "dirac"),
                     help="which experiment (default: modes)")
    toy.add_argument("--target", default="ring", help="ring or grid (modes and vae)")
    toy.add_argument("--method", nargs="+", default=["all"], metavar="NAME",
                     help="methods to compare, or 'all' (see gantheory.toylab.METHODS)")
    toy.add_argument("--seeds", type=int, default=10, help="seeds per method (default 10)")
    toy.add_argument("--steps", type=int, default=3000,
                     help="generator steps (default 3000, a CPU-scale run)")
    toy.add_argument("--snapshots", type=int, default=6,
                     help="snapshots kept over training, incl. the start (default 6)")
    toy.add_argument("--out", default="toy-results", help="output folder (default toy-results)")
    toy.add_argument("--device", default="cpu", help="torch device (default cpu)")
    toy.add_argument("--quiet", action="store_true", help="no progress bars")
    toy.set_defaults(run=run)


def _check_toy_args(args: argparse.Namespace) -> None:
    from pathlib import Path

    for name in ("seeds", "steps", "snapshots"):
        if getattr(args, name) < 1:
            raise UsageError(f"--{name} must be >= 1; got {getattr(args, name)}")
    if args.experiment in ("modes", "vae") and args.target not in ("ring", "grid"):
        raise UsageError(f"--target must be 'ring' or 'grid'; got {args.target!r}")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {args.out!r} exists and is not a folder")
    check_device(args.device)


def run(args: argparse.Namespace) -> int:
    """Run the chosen toy-lab experiment and list what it wrote."""
    _check_toy_args(args)
    from gantheory.toylab import runner

    if args.experiment == "modes":
        from gantheory.toylab.config import METHODS

        methods = list(METHODS) if args.method == ["all"] else args.method
        unknown = [m for m in methods if m not in METHODS]
        if unknown:
            raise UsageError(f"--method {unknown[0]!r} is unknown; choose from "
                             f"{', '.join(METHODS)} or all")
        written = runner.run_modes(args.target, methods, seeds=args.seeds, steps=args.steps,
                                   n_snapshots=args.snapshots, out=args.out,
                                   device=args.device, progress=not args.quiet)
    elif args.experiment == "vae":
        written = runner.run_vae(args.target, seeds=args.seeds, steps=args.steps, out=args.out,
                                 device=args.device, progress=not args.quiet)
    elif args.experiment == "one-d":
        written = runner.run_one_d(seeds=args.seeds, steps=args.steps,
                                   n_snapshots=args.snapshots, out=args.out,
                                   device=args.device, progress=not args.quiet)
    elif args.experiment == "saturation":
        written = runner.run_saturation(seeds=args.seeds, out=args.out, device=args.device)
    else:
        written = runner.run_dirac(out=args.out)
    for path in written:
        print(f"wrote {path}")
    return 0


