"""``gantheory figures``: regenerate the figures of the gallery."""

from __future__ import annotations

import argparse

from gantheory.cli._common import check_names, check_out_folder, refuse_together


def add_parser(sub) -> None:
    """Add the ``figures`` subcommand to ``sub``."""
    figures = sub.add_parser("figures", help="regenerate the figures of the gallery")
    figures.add_argument("--out", default="figures", help="output folder (default figures)")
    figures.add_argument("--full", action="store_true",
                         help="the real experiment sizes (default: the fast mode, minutes)")
    figures.add_argument("--only", nargs="+", metavar="NAME", help="only these figures")
    figures.add_argument("--list", action="store_true", help="list the figures and exit")
    figures.add_argument("--quiet", action="store_true", help="no progress bar")
    figures.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write (or list) the gallery's figures."""
    from gantheory import figures

    refuse_together(args, "--list", "--only")
    check_names(args.only, [entry.name for entry in figures.FIGURES.select()], "--only",
                what="figure")
    if args.list:
        for entry in figures.FIGURES.select():
            print(f"{entry.name:28s} {entry.title}")
        return 0
    check_out_folder(args.out)
    written = figures.make(args.out, names=args.only, fast=not args.full,
                           progress=not args.quiet)
    for path in written:
        print(f"wrote {path}")
    return 0


