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
    _add_image_commands(sub)
    figures = sub.add_parser("figures", help="regenerate the figures of the gallery")
    figures.add_argument("--out", default="figures", help="output folder (default figures)")
    figures.add_argument("--full", action="store_true",
                         help="the real experiment sizes (default: the fast mode, minutes)")
    figures.add_argument("--only", nargs="+", metavar="NAME", help="only these figures")
    figures.add_argument("--list", action="store_true", help="list the figures and exit")
    figures.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer; got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1; got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number; got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number; got {text}")
    return value


# The models of gantheory.images.trainer.MODELS (kept here so that building the parser does
# not import torch; a test checks that the two agree).
IMAGE_MODELS = ("dcgan", "cgan", "wgan-gp", "vae", "vaegan")


def _add_image_commands(sub) -> None:
    train = sub.add_parser("train", help="train an image GAN or VAE into a run folder")
    train.add_argument("model", choices=IMAGE_MODELS, help="which model")
    train.add_argument("--dataset", default="shapes",
                       help="shapes (built in, default), mnist, fashion-mnist, cifar10, "
                            "mnist-npz:PATH, stacked-mnist[:PATH], folder:PATH")
    train.add_argument("--data-root", help="torchvision's data folder")
    train.add_argument("--out", help="run folder (default runs/MODEL)")
    train.add_argument("--resume", action="store_true", help="continue the run in --out")
    train.add_argument("--steps", type=_positive, help="generator steps")
    train.add_argument("--batch-size", type=_positive)
    train.add_argument("--image-size", type=int, choices=(32, 64, 128))
    train.add_argument("--latent-dim", type=_positive)
    train.add_argument("--width", type=_positive, help="network width (64 in DCGAN)")
    train.add_argument("--likelihood", choices=("bernoulli", "gaussian"), help="VAE decoder")
    train.add_argument("--lr-g", type=_positive_float)
    train.add_argument("--lr-d", type=_positive_float)
    train.add_argument("--d-steps", type=int, help="discriminator steps per generator step")
    train.add_argument("--ema", type=float, help="EMA decay of the generator, e.g. 0.999")
    train.add_argument("--seed", type=int)
    train.add_argument("--sample-every", type=_positive)
    train.add_argument("--checkpoint-every", type=_positive)
    train.add_argument("--n-images", type=_positive, help="use only this many images")
    train.add_argument("--compile", action="store_true", help="torch.compile the networks")
    train.add_argument("--channels-last", action="store_true")
    train.add_argument("--device", default="cpu", help="torch device (default cpu)")
    train.add_argument("--quiet", action="store_true", help="no progress bar")

    sample = sub.add_parser("sample", help="a grid of samples from a trained run")
    sample.add_argument("--checkpoint", required=True, help="run folder or checkpoint.pt")
    sample.add_argument("--out", default="samples.png", help="PNG to write")
    sample.add_argument("--kind", default="random",
                        choices=("random", "classes", "interpolate", "reconstructions"))
    sample.add_argument("--data-root", help="torchvision's data folder (reconstructions)")
    sample.add_argument("--n", type=_positive, default=64, help="images (kind random)")
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--device", default="cpu")

    ev = sub.add_parser("eval", help="the metrics of a trained run (also to eval.json)")
    ev.add_argument("--checkpoint", required=True, help="run folder or checkpoint.pt")
    ev.add_argument("--dataset", help="compare with this data set (default: the run's)")
    ev.add_argument("--data-root", help="torchvision's data folder")
    ev.add_argument("--samples", type=_positive,
                    help="generated images (default 26000 for stacked-mnist, else 10000)")
    ev.add_argument("--k", type=_positive, default=5000,
                    help="importance samples per image for the VAE NLL (default 5000)")
    ev.add_argument("--test-images", type=_positive, default=10_000)
    ev.add_argument("--classifier-steps", type=_positive, default=1500)
    ev.add_argument("--device", default="cpu")
    ev.add_argument("--json", action="store_true", help="print JSON")


_TRAIN_FIELDS = ("steps", "batch_size", "image_size", "latent_dim", "width", "likelihood",
                 "lr_g", "lr_d", "d_steps", "ema", "seed", "sample_every", "checkpoint_every")


def _check_device(device: str) -> None:
    if device == "cpu":
        return
    import torch

    try:
        parsed = torch.device(device)
    except RuntimeError as exc:
        raise UsageError(f"--device {device!r} is not a torch device") from exc
    if parsed.type == "cuda" and not torch.cuda.is_available():
        raise UsageError(f"--device {device!r}: CUDA is not available here")


def _train(args: argparse.Namespace) -> int:
    from gantheory.images import commands

    _check_device(args.device)
    changes = {f: getattr(args, f) for f in _TRAIN_FIELDS if getattr(args, f) is not None}
    changes.update({k: True for k in ("compile", "channels_last") if getattr(args, k)})
    from gantheory.images.trainer import TrainingDiverged

    out = args.out or f"runs/{args.model}"
    try:
        trainer = commands.train(args.model, out, dataset=args.dataset, root=args.data_root,
                                 device=args.device, resume=args.resume,
                                 n_images=args.n_images, progress=not args.quiet, **changes)
    except TrainingDiverged as exc:
        print(f"gantheory: training diverged: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if trainer.is_main:
        print(f"trained {args.model} to step {trainer.step}; wrote {out}/checkpoint.pt, "
              f"{out}/losses.csv, {out}/losses.png, {out}/samples/")
    return 0


def _sample(args: argparse.Namespace) -> int:
    from gantheory.images import commands

    _check_device(args.device)
    path = commands.sample(args.checkpoint, args.out, kind=args.kind, n=args.n, seed=args.seed,
                           device=args.device, root=args.data_root)
    print(f"wrote {path}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    from gantheory.images import commands

    _check_device(args.device)
    result = commands.evaluate(args.checkpoint, dataset=args.dataset, root=args.data_root,
                               n_samples=args.samples, k=args.k, n_test=args.test_images,
                               classifier_steps=args.classifier_steps, device=args.device)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print("\n".join(commands.summary_lines(result)))
    return 0


def _figures(args: argparse.Namespace) -> int:
    from gantheory import figures

    if args.list:
        for entry in figures.FIGURES.select():
            print(f"{entry.name:28s} {entry.title}")
        return 0
    written = figures.make(args.out, names=args.only, fast=not args.full,
                           progress=not args.quiet)
    for path in written:
        print(f"wrote {path}")
    return 0


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
    _check_device(args.device)


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
            raise UsageError("a command is required: verify, toy, train, sample, eval or "
                             "figures")
        commands = {"verify": _verify, "toy": _toy, "train": _train, "sample": _sample,
                    "eval": _eval, "figures": _figures}
        if args.command in commands:
            return commands[args.command](args)
        raise UsageError(f"unknown command {args.command!r}")
    except (UsageError, ValueError, TypeError, OSError) as exc:
        print(f"gantheory: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("gantheory: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
