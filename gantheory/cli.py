"""The ``gantheory`` command line.

``gantheory verify``
    Runs the theorem catalogue and prints one row per theorem (``--json`` for JSON). The exit
    status is 1 if any theorem fails.
``gantheory toy``
    Runs a toy-lab experiment (mode collapse on the ring or grid, the 1-D experiment, the
    saturation experiment, Dirac-GAN dynamics) and writes its tables and figures to ``--out``.

Bad arguments print one line on standard error and exit with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

EXIT_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A bad command line; reported in one line with exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # noqa: D102  (argparse prints usage on 2 lines)
        raise UsageError(message)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gantheory", description="The theory of GANs and VAEs, run and checked.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    verify = sub.add_parser("verify", help="run the theorem catalogue and print the results")
    verify.add_argument("--json", action="store_true", help="print the results as JSON")
    verify.add_argument(
        "--only", nargs="+", metavar="KEY", help="run only these theorems (see --list)"
    )
    verify.add_argument("--list", action="store_true", help="list the theorem keys and exit")
    verify.add_argument(
        "--details", action="store_true", help="print every comparison under its theorem"
    )
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
    return parser


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
    if args.device != "cpu":
        import torch

        try:
            device = torch.device(args.device)
        except RuntimeError as exc:
            raise UsageError(f"--device {args.device!r} is not a torch device") from exc
        if device.type == "cuda" and not torch.cuda.is_available():
            raise UsageError(f"--device {args.device!r}: CUDA is not available here")


def _toy(args: argparse.Namespace) -> int:
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


def _format_row(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def _verify(args: argparse.Namespace) -> int:
    from gantheory.theorems import catalogue

    if args.list:
        for theorem in catalogue.CATALOGUE:
            print(f"{theorem.key:24s} {theorem.title}")
        return 0
    theorems = catalogue.select(args.only)  # every key is checked before anything runs
    start = time.perf_counter()
    headers = ("theorem", "source", "configs", "max error", "tolerance", "pass")
    widths = (22, 44, 7, 9, 9, 4)
    results = []
    errors: dict[str, str] = {}
    if not args.json:
        print(_format_row(headers, widths))
        print(_format_row(["-" * w for w in widths], widths))
    for t in theorems:
        try:
            result = t.run()
        except Exception as exc:  # a crashing check is a failed theorem, reported in one line
            errors[t.key] = f"{type(exc).__name__}: {exc}"
            if not args.json:
                print(_format_row((t.key, "ERROR", "", "", "", "NO"), widths))
                print(f"    {errors[t.key]}")
            continue
        results.append(result)
        if args.json:
            continue
        source = t.source if len(t.source) <= widths[1] else t.source[: widths[1] - 3] + "..."
        print(
            _format_row(
                (
                    t.key,
                    source,
                    str(len(result.results)),
                    f"{result.max_error:.1e}",
                    f"{t.tolerance:.0e}",
                    "yes" if result.passed else "NO",
                ),
                widths,
            ),
            flush=True,
        )
        if args.details or not result.passed:
            for config in result.results:
                for c in config.comparisons:
                    mark = "ok " if c.error <= t.tolerance else "BAD"
                    print(f"    {mark} [{config.configuration}] {c.label}: {c.lhs:.12g} "
                          f"{c.relation} {c.rhs:.12g} (error {c.error:.2e})")
    elapsed = time.perf_counter() - start
    n_failed = sum(not r.passed for r in results) + len(errors)
    n_total = len(results) + len(errors)
    if args.json:
        payload = {
            "passed": n_failed == 0,
            "seconds": elapsed,
            "theorems": [r.as_dict() for r in results],
            "errors": errors,
        }
        print(json.dumps(payload, indent=2))
    else:
        print(f"\n{n_total - n_failed}/{n_total} theorems pass in {elapsed:.1f} s")
    return EXIT_FAILED if n_failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gantheory`` command; returns the exit status."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            raise UsageError("a command is required: verify or toy")
        if args.command == "verify":
            return _verify(args)
        if args.command == "toy":
            return _toy(args)
        raise UsageError(f"unknown command {args.command!r}")
    except (UsageError, ValueError, TypeError, OSError) as exc:
        print(f"gantheory: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("gantheory: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
