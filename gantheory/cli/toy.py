"""``gantheory toy EXPERIMENT``: a toy-lab experiment, its tables and figures.

One subcommand per experiment of :data:`gantheory.toyconfig.EXPERIMENTS`, each with only the
flags that apply to it (argparse refuses the others in one line). The choices of ``--target``
and ``--method`` come from :data:`~gantheory.toyconfig.TARGETS` and
:data:`~gantheory.toyconfig.METHODS`; building the parser does not import torch.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gantheory.cli._common import Parser, check_device, positive
from gantheory.errors import UsageError
from gantheory.toyconfig import EXPERIMENTS, METHODS, TARGETS

#: Every method of the mode-collapse experiment.
ALL_METHODS = "all"


def add_parser(sub) -> None:
    """Add the ``toy`` command and its experiment subcommands to ``sub``."""
    toy = sub.add_parser("toy", help="train toy GANs on known densities; tables and figures",
                         description="Run one toy-lab experiment and write its tables and "
                                     "figures.")
    experiments = toy.add_subparsers(dest="experiment", metavar="EXPERIMENT",
                                     parser_class=Parser, required=True)
    parsers = {name: experiments.add_parser(name, help=text, description=text)
               for name, text in EXPERIMENTS.items()}
    for name in ("modes", "vae"):
        parsers[name].add_argument("--target", default="ring", choices=tuple(TARGETS),
                                   help="the 2-D target (default ring)")
    parsers["modes"].add_argument(
        "--method", nargs="+", default=[ALL_METHODS], metavar="NAME",
        choices=(*METHODS, ALL_METHODS),
        help=f"methods to compare, or {ALL_METHODS} (default): {', '.join(METHODS)}")
    for name in ("modes", "vae", "one-d", "saturation"):
        parsers[name].add_argument("--seeds", type=positive, default=10,
                                   help="seeds per method (default 10)")
    for name in ("modes", "vae", "one-d"):
        parsers[name].add_argument("--steps", type=positive, default=3000,
                                   help="generator steps (default 3000, a CPU-scale run)")
    for name in ("modes", "one-d"):
        parsers[name].add_argument("--snapshots", type=positive, default=6,
                                   help="snapshots kept over training, incl. the start "
                                        "(default 6)")
    for name, parser in parsers.items():
        parser.add_argument("--out", default="toy-results",
                            help="output folder (default toy-results)")
        if name != "dirac":
            parser.add_argument("--device", default="cpu", help="torch device (default cpu)")
        if name in ("modes", "vae", "one-d"):
            parser.add_argument("--quiet", action="store_true", help="no progress bars")
        parser.set_defaults(run=run)


def _methods(chosen: list[str]) -> list[str]:
    if ALL_METHODS not in chosen:
        return chosen
    if len(chosen) > 1:
        raise UsageError(f"--method {ALL_METHODS} cannot be combined with other methods")
    return list(METHODS)


def _check_out(out: str) -> None:
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise UsageError(f"--out {out!r} exists and is not a folder")


def run(args: argparse.Namespace) -> int:
    """Run the chosen toy-lab experiment and list what it wrote."""
    _check_out(args.out)
    if args.experiment == "dirac":
        from gantheory.toylab import runner

        written = runner.run_dirac(out=args.out)
    else:
        methods = _methods(args.method) if args.experiment == "modes" else []
        check_device(args.device)
        from gantheory.toylab import runner

        if args.experiment == "modes":
            written = runner.run_modes(args.target, methods, seeds=args.seeds,
                                       steps=args.steps, n_snapshots=args.snapshots,
                                       out=args.out, device=args.device,
                                       progress=not args.quiet)
        elif args.experiment == "vae":
            written = runner.run_vae(args.target, seeds=args.seeds, steps=args.steps,
                                     out=args.out, device=args.device, progress=not args.quiet)
        elif args.experiment == "one-d":
            written = runner.run_one_d(seeds=args.seeds, steps=args.steps,
                                       n_snapshots=args.snapshots, out=args.out,
                                       device=args.device, progress=not args.quiet)
        else:
            written = runner.run_saturation(seeds=args.seeds, out=args.out, device=args.device)
    for path in written:
        print(f"wrote {path}")
    return 0
