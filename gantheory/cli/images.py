"""``gantheory train``, ``sample`` and ``eval``: image GANs and VAEs."""

from __future__ import annotations

import argparse
import json
import sys

from gantheory.cli._common import (
    EXIT_FAILED,
    check_device,
    check_out_file,
    check_out_folder,
    non_negative_float,
    open_unit_float,
    positive,
    positive_float,
)
from gantheory.errors import UsageError
from gantheory.images import registry  # torch-free: the parser is built without torch


def add_parser(sub) -> None:
    """Add the ``train``, ``sample`` and ``eval`` subcommands to ``sub``."""
    train = sub.add_parser("train", help="train an image GAN or VAE into a run folder")
    train.add_argument("model", choices=registry.model_names(), help="which model")
    train.add_argument("--dataset",
                       help="shapes (built in, default), mnist, fashion-mnist, cifar10, "
                            "mnist-npz:PATH, stacked-mnist[:PATH], folder:PATH")
    train.add_argument("--data-root", help="torchvision's data folder")
    train.add_argument("--out", help="run folder (default runs/MODEL)")
    train.add_argument("--resume", action="store_true",
                       help="continue the run in --out with its saved settings (give --steps "
                            "above its step)")
    train.add_argument("--steps", type=positive, help="generator steps")
    train.add_argument("--batch-size", type=positive)
    train.add_argument("--image-size", type=int, choices=(32, 64, 128))
    train.add_argument("--latent-dim", type=positive)
    train.add_argument("--width", type=positive, help="network width (64 in DCGAN)")
    train.add_argument("--likelihood", choices=("bernoulli", "gaussian"), help="VAE decoder")
    train.add_argument("--lr-g", type=positive_float)
    train.add_argument("--lr-d", type=positive_float)
    train.add_argument("--d-steps", type=positive,
                       help="discriminator steps per generator step")
    train.add_argument("--penalty-weight", type=non_negative_float,
                       help="WGAN-GP's gradient penalty weight")
    train.add_argument("--ema", type=open_unit_float,
                       help="EMA decay of the generator, e.g. 0.999")
    train.add_argument("--seed", type=int)
    train.add_argument("--sample-every", type=positive)
    train.add_argument("--checkpoint-every", type=positive)
    train.add_argument("--n-images", type=positive, help="use only this many images")
    train.add_argument("--compile", action="store_true", help="torch.compile the networks")
    train.add_argument("--channels-last", action="store_true")
    train.add_argument("--device", default="cpu", help="torch device (default cpu)")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.set_defaults(run=_train)

    sample = sub.add_parser("sample", help="a grid of samples from a trained run")
    sample.add_argument("--checkpoint", required=True, help="run folder or checkpoint.pt")
    sample.add_argument("--out", help="PNG to write (default samples-KIND.png)")
    sample.add_argument("--overwrite", action="store_true", help="replace an existing --out")
    sample.add_argument("--kind", default="random",
                        choices=registry.SAMPLE_KINDS)
    sample.add_argument("--data-root", help="torchvision's data folder (reconstructions)")
    sample.add_argument("--n", type=positive, default=64, help="images (kind random)")
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--device", default="cpu")
    sample.set_defaults(run=_sample)

    ev = sub.add_parser("eval", help="the metrics of a trained run (also to eval.json)")
    ev.add_argument("--checkpoint", required=True, help="run folder or checkpoint.pt")
    ev.add_argument("--dataset", help="compare with this data set (default: the run's)")
    ev.add_argument("--data-root", help="torchvision's data folder")
    ev.add_argument("--samples", type=positive,
                    help="generated images (default 26000 for stacked-mnist, else 10000)")
    ev.add_argument("--k", type=positive, default=5000,
                    help="importance samples per image for the VAE NLL (default 5000)")
    ev.add_argument("--test-images", type=positive, default=10_000)
    ev.add_argument("--classifier-steps", type=positive, default=1500)
    ev.add_argument("--device", default="cpu")
    ev.add_argument("--no-ema", action="store_true",
                    help="evaluate the trained generator, not its moving average (runs "
                         "trained with --ema)")
    ev.add_argument("--json", action="store_true", help="print JSON")
    ev.add_argument("--quiet", action="store_true", help="no progress bars")
    ev.set_defaults(run=_eval)


# The train flags that set a field of the model's config (the field's name with "-" for "_").
_TRAIN_FIELDS = ("steps", "batch_size", "image_size", "latent_dim", "width", "likelihood",
                 "lr_g", "lr_d", "d_steps", "penalty_weight", "ema", "seed", "sample_every",
                 "checkpoint_every", "compile", "channels_last")


def _config_changes(args: argparse.Namespace) -> dict:
    """The config fields the train flags set; a flag the model does not have is an error."""
    changes = {f: getattr(args, f) for f in _TRAIN_FIELDS
               if getattr(args, f) is not None and getattr(args, f) is not False}
    fields = registry.model_class(args.model).config_class.field_names()
    for field in changes:
        if field not in fields:
            raise UsageError(f"--{field.replace('_', '-')} does not apply to model "
                             f"{args.model!r}")
    return changes


def _by_flag(exc: UsageError, dataset: str | None) -> UsageError:
    """``exc`` with a leading config field name (``latent_dim must be ...``) written as the
    flag that sets it (``--latent-dim must be ...``), and a data set that cannot be loaded
    named by ``--dataset``.
    """
    from gantheory.images.data import DataSetError

    field, _, rest = str(exc).partition(" ")
    flags = {f: f"--{f.replace('_', '-')}" for f in (*_TRAIN_FIELDS, "n_images")} | {
        "n": "--n-images"}
    if field in flags and rest:
        return UsageError(f"{flags[field]} {rest}")
    if isinstance(exc, DataSetError):
        return UsageError(f"--dataset {dataset or 'shapes'}: {exc}")
    return exc


def _train(args: argparse.Namespace) -> int:
    if args.out is not None:
        check_out_folder(args.out)
    check_device(args.device)
    changes = _config_changes(args)

    from gantheory.images import commands
    from gantheory.images.trainer import TrainingDiverged

    out = args.out or f"runs/{args.model}"
    try:
        trainer = commands.train(args.model, out, dataset=args.dataset, root=args.data_root,
                                 device=args.device, resume=args.resume,
                                 n_images=args.n_images, progress=not args.quiet, **changes)
    except UsageError as exc:
        raise _by_flag(exc, args.dataset) from exc
    except TrainingDiverged as exc:
        print(f"gantheory: training diverged: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if trainer.is_main:
        print(f"trained {args.model} to step {trainer.step}; wrote {out}/checkpoint.pt, "
              f"{out}/losses.csv, {out}/losses.png, {out}/samples/")
    return 0


def _sample(args: argparse.Namespace) -> int:
    out = args.out if args.out is not None else f"samples-{args.kind}.png"
    check_out_file(out, ".png", overwrite=args.overwrite)
    check_device(args.device)

    from gantheory.images import commands

    path = commands.sample(args.checkpoint, out, kind=args.kind, n=args.n, seed=args.seed,
                           device=args.device, root=args.data_root)
    print(f"wrote {path}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    check_device(args.device)

    from gantheory.images import commands

    try:
        result = commands.evaluate(args.checkpoint, dataset=args.dataset, root=args.data_root,
                                   n_samples=args.samples, k=args.k, n_test=args.test_images,
                                   classifier_steps=args.classifier_steps, device=args.device,
                                   ema=not args.no_ema, progress=not args.quiet)
    except UsageError as exc:
        raise _by_flag(exc, args.dataset) from exc
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print("\n".join(commands.summary_lines(result)))
    return 0
