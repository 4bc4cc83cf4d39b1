"""The ``gantheory`` command line.

``gantheory verify``
    Runs the theorem catalogue and prints one row per theorem (``--json`` for JSON). The exit
    status is 1 if any theorem fails.
``gantheory toy EXPERIMENT``
    Runs a toy-lab experiment (``modes``: mode collapse on the ring or grid; ``vae``; ``one-d``;
    ``saturation``; ``dirac``: Dirac-GAN dynamics) and writes its tables and figures to
    ``--out`` (:mod:`gantheory.cli.toy`).
``gantheory train MODEL``
    Trains an image GAN or VAE (the models of :mod:`gantheory.images.registry`) into a run
    folder;
    ``--resume`` continues it. Under ``torchrun`` it trains with DistributedDataParallel.
``gantheory sample`` and ``gantheory eval``
    A sample grid (random, per class, or the four-corner interpolation) and the metrics of a
    run (modes, KL to uniform, Fréchet distance and KID in classifier features, label
    accuracy; the VAE's test NLL).
``gantheory figures``
    Regenerates every figure of the gallery into ``--out`` (``--full`` for the real sizes).

One module per command: :mod:`~gantheory.cli.verify`, :mod:`~gantheory.cli.toy`,
:mod:`~gantheory.cli.images` (train, sample, eval), :mod:`~gantheory.cli.figures`; what they
share is in ``gantheory.cli._common``.

Bad input (an argument, a file or folder it names, a checkpoint) prints one line on standard
error and exits with status 2, never a traceback: the commands validate what the user gave and
raise :class:`gantheory.errors.UsageError`. Anything else that goes wrong is a bug in
gantheory and exits with status 1 and its traceback. ``gantheory --debug COMMAND ...`` (or
the environment variable ``GANTHEORY_DEBUG=1``) shows the traceback of a usage error too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from gantheory.cli import figures, images, toy, verify
from gantheory.cli._common import EXIT_FAILED, EXIT_USAGE, Parser
from gantheory.errors import UsageError

__all__ = ["EXIT_FAILED", "EXIT_USAGE", "UsageError", "main"]


def _build_parser() -> Parser:
    parser = Parser(prog="gantheory", description="The theory of GANs and VAEs, run and checked.")
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of every error (also GANTHEORY_DEBUG=1)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    verify.add_parser(sub)
    toy.add_parser(sub)
    images.add_parser(sub)
    figures.add_parser(sub)
    return parser


def _debug(argv: Sequence[str] | None) -> bool:
    """``--debug`` before the command, or ``GANTHEORY_DEBUG`` set to a true value."""
    words = sys.argv[1:] if argv is None else list(argv)
    flag = "--debug" in words[: next((i for i, w in enumerate(words) if not w.startswith("-")),
                                     len(words))]
    return flag or os.environ.get("GANTHEORY_DEBUG", "").lower() in ("1", "true", "yes")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gantheory`` command; returns the exit status.

    A :class:`~gantheory.errors.UsageError` becomes one line on standard error and status 2;
    any other exception propagates (status 1 with its traceback when run as a command).
    """
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            raise UsageError("a command is required: verify, toy, train, sample, eval or "
                             "figures")
        return args.run(args)
    except UsageError as exc:
        if _debug(argv):
            raise
        print(f"gantheory: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("gantheory: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
