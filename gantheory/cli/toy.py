"""``gantheory toy EXPERIMENT``: a toy-lab experiment, its tables and figures.

One subcommand per experiment of :data:`gantheory.toyconfig.EXPERIMENTS`, each with only the
flags that apply to it (argparse refuses the others in one line). The choices of ``--target``
and ``--method`` come from :data:`~gantheory.toyconfig.TARGETS` and
:data:`~gantheory.toyconfig.METHODS`; building the parser does not import torch.
"""

from __future__ import annotations

import argparse

from gantheory.cli._common import Parser, check_device, check_out_folder, positive, positive_float
from gantheory.errors import UsageError
from gantheory.toyconfig import EXPERIMENTS, LR_SCHEDULES, METHODS, TARGETS, GANConfig

#: Every method of the mode-collapse experiment.
ALL_METHODS = "all"
#: Default steps between checkpoints of ``gantheory toy modes``.
CHECKPOINT_EVERY = 500
#: The defaults of the ``modes`` flags that a resumed run takes from its saved settings.
MODES_DEFAULTS = {"target": "ring", "seeds": 10, "steps": 3000, "snapshots": 6,
                  "device": "cpu", "checkpoint_every": CHECKPOINT_EVERY,
                  "lr": GANConfig.lr_g, "lr_schedule": GANConfig.lr_schedule}


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
        "--resume", action="store_true",
        help="continue the run in --out from its checkpoints, with its saved settings (a flag "
             "given again must agree with them; --steps may grow)")
    parsers["modes"].add_argument(
        "--checkpoint-every", type=positive, default=None, metavar="N",
        help=f"save each method's state every N steps (default {CHECKPOINT_EVERY})")
    parsers["modes"].add_argument(
        "--lr", type=positive_float, default=None,
        help=f"learning rate of both networks, every method (default {GANConfig.lr_g:g})")
    parsers["modes"].add_argument(
        "--lr-schedule", choices=LR_SCHEDULES, default=None,
        help="the learning rate over the run, every method: constant (default), or a linear "
             "or cosine decay to 0 at --steps")
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
    # modes: a flag not given is None, so that --resume can tell it from a default
    parsers["modes"].set_defaults(target=None, seeds=None, steps=None, snapshots=None,
                                  method=None)
    for name, parser in parsers.items():
        parser.add_argument("--out", default="toy-results",
                            help="output folder (default toy-results)")
        if name != "dirac":
            parser.add_argument("--device", default="cpu", help="torch device (default cpu)")
        if name in ("modes", "vae", "one-d"):
            parser.add_argument("--quiet", action="store_true", help="no progress bars")
        parser.set_defaults(run=run)
    parsers["modes"].set_defaults(device=None)


def _methods(chosen: list[str]) -> list[str]:
    repeated = sorted({m for m in chosen if chosen.count(m) > 1})
    if repeated:
        raise UsageError(f"--method {repeated[0]!r} is given twice")
    if ALL_METHODS not in chosen:
        return chosen
    if len(chosen) > 1:
        raise UsageError(f"--method {ALL_METHODS} cannot be combined with other methods")
    return list(METHODS)


def _modes_settings(args: argparse.Namespace) -> None:
    """Fill the ``modes`` flags not given: from the saved run with --resume, else defaults.

    With --resume a flag given again must agree with the saved value (``--steps`` may grow);
    otherwise it is an error that names both.
    """
    given = {"target": args.target, "seeds": args.seeds, "steps": args.steps,
             "snapshots": args.snapshots, "device": args.device,
             "checkpoint_every": args.checkpoint_every, "lr": args.lr,
             "lr_schedule": args.lr_schedule,
             "methods": None if args.method is None else _methods(args.method)}
    if not args.resume:
        for name, default in MODES_DEFAULTS.items():
            if given[name] is None:
                setattr(args, name, default)
        args.methods = given["methods"] or list(METHODS)
        return
    from gantheory.toylab.runner import RUN_FILE, read_run_settings

    saved = read_run_settings(args.out)
    if saved is None:
        raise UsageError(f"--resume: {args.out!r} holds no run to resume ({RUN_FILE} is "
                         f"missing)")
    if saved.get("experiment") != "modes":
        raise UsageError(f"--resume: the run in {args.out!r} is not a modes run")
    # runs saved before --lr and --lr-schedule existed used the defaults
    saved = {"lr": MODES_DEFAULTS["lr"], "lr_schedule": MODES_DEFAULTS["lr_schedule"],
             **saved}
    for name in ("target", "seeds", "steps", "snapshots", "device", "checkpoint_every",
                 "lr", "lr_schedule", "methods"):
        value = given[name]
        flag = "--method" if name == "methods" else "--" + name.replace("_", "-")
        if value is None:
            value = saved[name]
        elif name == "steps" and value < saved[name]:
            raise UsageError(f"--steps {value} is fewer than the saved run's {saved[name]}: "
                             f"steps may only grow")
        elif (name == "steps" and value != saved[name]
              and saved["lr_schedule"] != "constant"):
            raise UsageError(f"--steps {value} contradicts the saved run's {saved[name]}: its "
                             f"{saved['lr_schedule']} learning-rate decay is spread over the "
                             f"steps, so they cannot change")
        elif name not in ("steps", "checkpoint_every") and value != saved[name]:
            shown = " ".join(value) if name == "methods" else value
            was = " ".join(saved[name]) if name == "methods" else saved[name]
            raise UsageError(f"{flag} {shown} contradicts the saved run's {was} "
                             f"(in {args.out})")
        setattr(args, name, value)


def _check_memory(args: argparse.Namespace) -> None:
    """Refuse a run whose estimated memory (:meth:`GANConfig.memory_estimate` of its largest
    method, or of the default network for the other experiments) exceeds what is free.
    """
    from gantheory.resources import format_bytes, free_memory
    from gantheory.toyconfig import GANConfig, method_config

    methods = getattr(args, "methods", None) or [None]
    snapshots = getattr(args, "snapshots", None) or 6
    need = max((method_config(m) if m else GANConfig()).memory_estimate(
        args.seeds, snapshots=snapshots) for m in methods)
    free = free_memory(args.device)
    if free is not None and need > free:
        raise UsageError(f"--seeds {args.seeds} needs about {format_bytes(need)} on "
                         f"{args.device} (networks, optimiser state, one step's activations, "
                         f"snapshots) but {format_bytes(free)} is free; use fewer --seeds")


def _fast_cpu_settings() -> None:
    """Before torch loads: idle OpenMP threads sleep instead of spinning, unless the user
    chose (OMP_WAIT_POLICY); freed memory stays in the process (:mod:`gantheory.toylab.cpu`).

    Spinning threads are the OpenMP default; on a machine whose cores are shared with other
    work, a spinning thread takes a core from the thread that has the work (measured: the
    ring GAN at 2 threads ran 3.5 times slower spinning than sleeping with 5 other processes
    on 2 cores, ``benchmarks/README.md``).
    """
    import os
    import sys

    if "torch" not in sys.modules:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from gantheory.toylab.cpu import keep_freed_memory

    keep_freed_memory()


def run(args: argparse.Namespace) -> int:
    """Run the chosen toy-lab experiment and list what it wrote."""
    check_out_folder(args.out)
    if args.experiment != "dirac":
        _fast_cpu_settings()
    if args.experiment == "modes":
        _modes_settings(args)
    if args.experiment == "dirac":
        from gantheory.toylab import runner

        written = runner.run_dirac(out=args.out)
    else:
        check_device(args.device)
        _check_memory(args)
        from gantheory.toylab import runner

        if args.experiment == "modes":
            written = runner.run_modes(args.target, args.methods, seeds=args.seeds,
                                       steps=args.steps, n_snapshots=args.snapshots,
                                       out=args.out, device=args.device,
                                       progress=not args.quiet,
                                       checkpoint_every=args.checkpoint_every,
                                       resume=args.resume, lr=args.lr,
                                       lr_schedule=args.lr_schedule)
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
