"""The ``gantheory`` command line.

``gantheory verify``
    Runs the theorem catalogue and prints one row per theorem (``--json`` for JSON). The exit
    status is 1 if any theorem fails.
``gantheory toy``
    Runs a toy-lab experiment (mode collapse on the ring or grid, the 1-D experiment, the
    saturation experiment, Dirac-GAN dynamics) and writes its tables and figures to ``--out``.
``gantheory train MODEL``
    Trains an image GAN or VAE (dcgan, cgan, wgan-gp, vae, vaegan) into a run folder;
    ``--resume`` continues it. Under ``torchrun`` it trains with DistributedDataParallel.
``gantheory sample`` and ``gantheory eval``
    A sample grid (random, per class, or the four-corner interpolation) and the metrics of a
    run (modes, KL to uniform, Fréchet distance and KID in classifier features, label
    accuracy; the VAE's test NLL).
``gantheory figures``
    Regenerates every figure of the gallery into ``--out`` (``--full`` for the real sizes).

Bad arguments print one line on standard error and exit with status 2, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from gantheory.cli import figures, images, toy, verify
from gantheory.cli._common import EXIT_FAILED, EXIT_USAGE, Parser
from gantheory.errors import UsageError

__all__ = ["EXIT_FAILED", "EXIT_USAGE", "UsageError", "main"]


def _build_parser() -> Parser:
    parser = Parser(prog="gantheory", description="The theory of GANs and VAEs, run and checked.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    verify.add_parser(sub)
    toy.add_parser(sub)
    images.add_parser(sub)
    figures.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gantheory`` command; returns the exit status."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            raise UsageError("a command is required: verify, toy, train, sample, eval or "
                             "figures")
        return args.run(args)
    except (UsageError, ValueError, TypeError, OSError) as exc:
        print(f"gantheory: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("gantheory: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
