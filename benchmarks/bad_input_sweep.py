"""Bad inputs across the command line and the Python API: does each give one clear line?

Runs at least 150 bad inputs:

* the command line (``gantheory verify | toy | train | sample | eval | figures``) with bad
  flags, bad files, bad checkpoints and bad data sets: in-process through
  :func:`gantheory.cli.main` with standard error captured, and a few as real processes. A case
  passes when it exits with status 2 and prints exactly one line that names the argument (its
  flag, or the value it was given);
* the Python API (distributions, divergences, losses, the image functions): a case passes when
  it raises ValueError or TypeError whose message names the argument.

Prints the count that passed and lists the others, with what they printed.

Usage::

    PYTHONPATH=. python benchmarks/bad_input_sweep.py [--verbose]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

BAD_COUNTS = ("0", "-3", "x", "1.5")
BAD_RATES = ("0", "-1", "nan", "inf", "x")
# the flags of train that the base run below sets: a bad value is appended after them (argparse
# keeps the last), so that a case that is wrongly accepted still trains for one tiny step
TRAIN_BASE = ["--width", "4", "--batch-size", "8", "--latent-dim", "4", "--n-images", "32",
              "--steps", "1", "--quiet"]


@dataclass
class Case:
    """One bad input: ``argv`` for the command line, or ``call`` for the API; ``names``: what
    the message must name (any one of them)."""

    label: str
    names: tuple[str, ...]
    argv: list[str] | None = None
    call: Callable[[], object] | None = None
    process: bool = False  # run as a real process


@dataclass
class Outcome:
    case: Case
    ok: bool
    detail: str


# -- fixtures --------------------------------------------------------------------------------------
def make_fixtures(root: Path) -> dict[str, Path]:
    """Tiny runs, broken checkpoints and bad data files under ``root``."""
    import numpy as np

    from gantheory import cli
    from gantheory.images import checkpoint as ckpt

    f = {}
    for model in ("dcgan", "vae", "cgan"):
        f[model] = root / model
        with contextlib.redirect_stdout(io.StringIO()):
            assert cli.main(["train", model, "--out", str(f[model]), *TRAIN_BASE,
                             "--steps", "2"]) == 0
    state = ckpt.load(f["dcgan"] / "checkpoint.pt")
    del state["format"]

    def broken(name, change):
        copy = {k: (dict(v) if isinstance(v, dict) else v) for k, v in state.items()}
        change(copy)
        ckpt.save(copy, root / name / "checkpoint.pt")
        f[name] = root / name

    broken("width", lambda s: s.update(config={**s["config"], "width": 8}))
    broken("no-rng", lambda s: s.pop("rng"))
    broken("no-generator", lambda s: s.update(models={"discriminator":
                                                      s["models"]["discriminator"]}))
    broken("no-config", lambda s: s.pop("config"))
    broken("unknown-model", lambda s: s.update(config={**s["config"], "model": "stylegan"}))
    f["corrupt"] = root / "corrupt.pt"
    f["corrupt"].write_bytes(b"not a checkpoint")
    f["empty-file"] = root / "empty.pt"
    f["empty-file"].write_bytes(b"")
    f["text"] = root / "notes.txt"
    f["text"].write_text("a text file\n")
    f["wrong-keys"] = root / "wrong.npz"
    np.savez(f["wrong-keys"], images=np.zeros((2, 28, 28), np.uint8))
    f["float-npz"] = root / "float.npz"
    np.savez(f["float-npz"], x_train=np.zeros((2, 28, 28)) + 0.5, y_train=np.zeros(2, int),
             x_test=np.zeros((2, 28, 28)) + 0.5, y_test=np.zeros(2, int))
    f["mnist-npz"] = root / "mnist.npz"
    digits = np.zeros((20, 28, 28), np.uint8)
    np.savez(f["mnist-npz"], x_train=digits, y_train=np.arange(20) % 10, x_test=digits,
             y_test=np.arange(20) % 10)
    f["empty-folder"] = root / "empty-folder"
    f["empty-folder"].mkdir()
    f["broken-images"] = root / "broken-images" / "a"
    f["broken-images"].mkdir(parents=True)
    (f["broken-images"] / "x.png").write_bytes(b"not a png")
    f["existing-png"] = root / "existing.png"
    f["existing-png"].write_bytes(b"")
    return f


# -- the cases -------------------------------------------------------------------------------------
def cli_cases(f: dict[str, Path], tmp: Path) -> list[Case]:
    cases: list[Case] = []
    n = iter(range(10_000))

    def out() -> str:
        return str(tmp / f"out{next(n)}")

    def add(label, argv, *names, process=False):
        cases.append(Case(label, names or (label.split()[0],), argv=argv, process=process))

    # train: numbers
    for flag in ("--steps", "--batch-size", "--latent-dim", "--width", "--sample-every",
                 "--checkpoint-every", "--n-images"):
        for value in BAD_COUNTS:
            add(f"{flag} {value}", ["train", "dcgan", "--out", out(), *TRAIN_BASE, flag, value])
    for flag in ("--lr-g", "--lr-d"):
        for value in BAD_RATES:
            add(f"{flag} {value}", ["train", "dcgan", "--out", out(), *TRAIN_BASE, flag, value])
    for value in ("0", "1", "2", "-0.5", "x"):
        add(f"--ema {value}", ["train", "dcgan", "--out", out(), *TRAIN_BASE, "--ema", value])
    for value in ("-1", "nan", "inf", "x"):
        add(f"--penalty-weight {value}", ["train", "wgan-gp", "--out", out(), *TRAIN_BASE,
                                          "--penalty-weight", value])
    for value in ("0", "-1", "x"):
        add(f"--d-steps {value}", ["train", "dcgan", "--out", out(), *TRAIN_BASE,
                                   "--d-steps", value])
    for value in ("x", "1.5"):
        add(f"--seed {value}", ["train", "dcgan", "--out", out(), *TRAIN_BASE, "--seed", value])
    for value in ("30", "x", "0"):
        add(f"--image-size {value}", ["train", "dcgan", "--out", out(), *TRAIN_BASE,
                                      "--image-size", value])
    add("--likelihood poisson", ["train", "vae", "--out", out(), *TRAIN_BASE,
                                 "--likelihood", "poisson"])
    add("--latent-dim 300 (vae)", ["train", "vae", "--out", out(), *TRAIN_BASE,
                                   "--latent-dim", "300"], "--latent-dim")
    # train: flags the model does not take
    for model, flag, value in (("vae", "--d-steps", "2"), ("vae", "--lr-d", "1e-4"),
                               ("vae", "--ema", "0.9"), ("dcgan", "--likelihood", "gaussian"),
                               ("dcgan", "--penalty-weight", "1"),
                               ("vaegan", "--penalty-weight", "1"), ("vaegan", "--ema", "0.9")):
        add(f"{flag} for {model}", ["train", model, "--out", out(), *TRAIN_BASE, flag, value],
            flag)
    # train: models, devices, folders
    add("model stylegan", ["train", "stylegan"], "stylegan")
    add("model missing", ["train"], "model")
    for device in ("cuda:7", "tpu", "cpu:x"):
        add(f"--device {device}", ["train", "dcgan", "--out", out(), *TRAIN_BASE,
                                   "--device", device], device)
    add("--out empty", ["train", "dcgan", "--out", "", *TRAIN_BASE], "--out")
    add("--out a file", ["train", "dcgan", "--out", str(f["text"]), *TRAIN_BASE], "--out")
    add("--out an existing run", ["train", "dcgan", "--out", str(f["dcgan"]), *TRAIN_BASE],
        "--out", "--resume")
    add("unknown flag", ["train", "dcgan", "--stepz", "3"], "--stepz")
    # train: data sets
    for name, names in (("imagenet", ("imagenet",)), ("folder:", ("folder",)),
                        ("folder:/no/such/folder", ("/no/such/folder",)),
                        (f"folder:{f['empty-folder']}", (str(f["empty-folder"]),)),
                        (f"folder:{f['broken-images'].parent}", ("x.png",)),
                        ("mnist-npz:/no/such.npz", ("/no/such.npz",)),
                        (f"mnist-npz:{f['text']}", (str(f["text"]),)),
                        (f"mnist-npz:{f['wrong-keys']}", (str(f["wrong-keys"]),)),
                        (f"mnist-npz:{f['float-npz']}", (str(f["float-npz"]),)),
                        (f"mnist-npz:{f['mnist-npz']}", ("--n-images", "32", "20")),
                        ("stacked-mnist:/no/such.npz", ("/no/such.npz",)),
                        ("shapes:x", ("shapes:x",))):
        add(f"--dataset {name}", ["train", "dcgan", "--out", out(), *TRAIN_BASE,
                                  "--dataset", name], *names)
    add("cgan on unlabelled folder", ["train", "cgan", "--out", out(), *TRAIN_BASE,
                                      "--dataset", f"folder:{f['empty-folder']}"],
        str(f["empty-folder"]))
    add("batch larger than the data", ["train", "dcgan", "--out", out(), *TRAIN_BASE,
                                       "--batch-size", "100000", "--n-images", "100"],
        "--batch-size")
    # train --resume
    resume = ["train", "dcgan", "--out", str(f["dcgan"]), "--resume"]
    add("--resume nothing there", ["train", "dcgan", "--out", out(), "--resume"], "checkpoint")
    add("--resume other model", ["train", "vae", "--out", str(f["dcgan"]), "--resume",
                                 "--steps", "9"], "'vae'")
    add("--resume --steps equal", [*resume, "--steps", "2"], "--steps")
    add("--resume --steps lower", [*resume, "--steps", "1"], "--steps")
    add("--resume no --steps", resume, "--steps")
    for flag, value in (("--n-images", "64"), ("--lr-g", "0.1"), ("--width", "8"),
                        ("--seed", "3"), ("--dataset", "mnist"), ("--batch-size", "4")):
        add(f"--resume {flag} {value}", [*resume, "--steps", "9", flag, value], flag)
    for name in ("width", "no-rng", "no-generator", "no-config", "unknown-model"):
        add(f"--resume checkpoint {name}", ["train", "dcgan", "--out", str(f[name]), "--resume",
                                            "--steps", "9"], str(f[name]))
    add("--resume corrupt", ["train", "dcgan", "--out", str(f["corrupt"].parent / "c"),
                             "--resume"], "checkpoint")
    # sample
    for value in ("0", "-1", "x"):
        add(f"sample --n {value}", ["sample", "--checkpoint", str(f["dcgan"]), "--n", value,
                                    "--out", out() + ".png"], "--n")
    add("sample --kind bogus", ["sample", "--checkpoint", str(f["dcgan"]), "--kind", "bogus"],
        "--kind")
    add("sample --seed x", ["sample", "--checkpoint", str(f["dcgan"]), "--seed", "x"], "--seed")
    add("sample no --checkpoint", ["sample"], "--checkpoint")
    for label, path in (("missing", "/no/such/run"), ("corrupt", f["corrupt"]),
                        ("empty file", f["empty-file"]), ("text", f["text"]),
                        ("width", f["width"]), ("no-generator", f["no-generator"]),
                        ("no-config", f["no-config"]), ("unknown-model", f["unknown-model"])):
        add(f"sample checkpoint {label}", ["sample", "--checkpoint", str(path), "--out",
                                           out() + ".png"], str(path))
    for label, target in (("/dev/null/x.png", "/dev/null/x.png"), ("a folder", str(tmp)),
                          ("a .jpg", out() + ".jpg"), ("empty", ""),
                          ("existing", str(f["existing-png"]))):
        add(f"sample --out {label}", ["sample", "--checkpoint", str(f["dcgan"]), "--out",
                                      target], "--out")
    add("sample classes of a vae", ["sample", "--checkpoint", str(f["vae"]), "--kind",
                                    "classes", "--out", out() + ".png"], "classes")
    add("sample reconstructions of a dcgan", ["sample", "--checkpoint", str(f["dcgan"]),
                                              "--kind", "reconstructions", "--out",
                                              out() + ".png"], "reconstructions")
    add("sample --device cuda:7", ["sample", "--checkpoint", str(f["dcgan"]), "--device",
                                   "cuda:7", "--out", out() + ".png"], "cuda:7")
    # eval
    for flag in ("--samples", "--k", "--test-images", "--classifier-steps"):
        for value in ("0", "-1", "x"):
            add(f"eval {flag} {value}", ["eval", "--checkpoint", str(f["dcgan"]), flag, value],
                flag)
    for label, path in (("missing", "/no/such/run"), ("corrupt", f["corrupt"]),
                        ("width", f["width"]), ("no-generator", f["no-generator"])):
        add(f"eval checkpoint {label}", ["eval", "--checkpoint", str(path), "--quiet"],
            str(path))
    for name, names in ((f"mnist-npz:{f['mnist-npz']}", ("--dataset",)),
                        ("imagenet", ("imagenet",)), ("folder:/no/such", ("/no/such",)),
                        (f"mnist-npz:{f['text']}", (str(f["text"]),))):
        add(f"eval --dataset {name}", ["eval", "--checkpoint", str(f["dcgan"]), "--dataset",
                                       name, "--quiet"], *names)
    add("eval --device tpu", ["eval", "--checkpoint", str(f["dcgan"]), "--device", "tpu"], "tpu")
    # verify
    add("verify --only bogus", ["verify", "--only", "bogus"], "bogus")
    add("verify --only twice", ["verify", "--only", "gibbs", "gibbs"], "gibbs")
    add("verify --json --list", ["verify", "--json", "--list"], "--json", "--list")
    add("verify --bogus", ["verify", "--bogus"], "--bogus")
    # toy
    add("toy bogus", ["toy", "bogus"], "bogus")
    add("toy nothing", ["toy"], "experiment", "EXPERIMENT")
    for flag in ("--seeds", "--steps", "--snapshots"):
        for value in ("0", "x"):
            add(f"toy modes {flag} {value}", ["toy", "modes", flag, value, "--out", out()],
                flag)
    add("toy modes --target bogus", ["toy", "modes", "--target", "bogus"], "--target")
    add("toy modes --out a file", ["toy", "modes", "--out", str(f["text"]), "--steps", "1",
                                   "--seeds", "1", "--quiet"], "--out")
    add("toy modes --device cuda:7", ["toy", "modes", "--device", "cuda:7", "--out", out(),
                                      "--steps", "1", "--seeds", "1", "--quiet"], "cuda:7")
    # figures
    add("figures --only bogus", ["figures", "--only", "bogus", "--out", out()], "bogus")
    add("figures --out a file", ["figures", "--only", "jsd-separation", "--out", str(f["text"]),
                                 "--quiet"], "--out")
    add("figures --list --only", ["figures", "--list", "--only", "jsd-separation"], "--list",
        "--only")
    add("figures --out empty", ["figures", "--out", "", "--only", "jsd-separation"], "--out")
    # none at all
    add("no command", [], "command")
    add("bogus command", ["bogus"], "bogus")
    # a few as real processes
    for argv, names in ((["train", "dcgan", "--d-steps", "0"], ("--d-steps",)),
                        (["sample", "--checkpoint", str(f["corrupt"])], (str(f["corrupt"]),)),
                        (["eval", "--checkpoint", str(f["width"]), "--quiet"], (str(f["width"]),)),
                        (["train", "vae", "--out", str(f["dcgan"]), "--resume", "--steps", "9"],
                         ("'vae'",)),
                        (["verify", "--only", "bogus"], ("bogus",))):
        add("process: " + " ".join(argv[:4]), argv, *names, process=True)
    return cases


def api_cases(f: dict[str, Path]) -> list[Case]:
    import numpy as np
    import torch

    import gantheory as g
    from gantheory import losses
    from gantheory.images import checkpoint as ckpt
    from gantheory.images import commands, data, metrics, registry
    from gantheory.images.evaluation import vae_nll
    from gantheory.images.models.base import create, model_from_record

    p1, q1 = g.Gaussian([0.0], [[1.0]]), g.Gaussian([1.0], [[2.0]])
    ones = torch.ones(4)
    cases = []

    def add(label, call, *names):
        cases.append(Case(label, names, call=call))

    # distributions
    add("Gaussian cov not PSD", lambda: g.Gaussian([0.0], [[-1.0]]), "cov")
    add("Gaussian shapes", lambda: g.Gaussian([0.0, 0.0], [[1.0]]), "cov", "mean")
    add("Gaussian nan mean", lambda: g.Gaussian([float("nan")], [[1.0]]), "mean")
    add("Gaussian string mean", lambda: g.Gaussian("a", [[1.0]]), "mean")
    add("GaussianMixture weights", lambda: g.GaussianMixture([0.5, 0.6], [[0.0], [1.0]],
                                                             [[[1.0]], [[1.0]]]), "weights")
    add("GaussianMixture negative weight", lambda: g.GaussianMixture(
        [-0.5, 1.5], [[0.0], [1.0]], [[[1.0]], [[1.0]]]), "weights")
    add("GaussianMixture means shape", lambda: g.GaussianMixture(
        [0.5, 0.5], [[0.0]], [[[1.0]], [[1.0]]]), "means")
    add("Uniform low > high", lambda: g.Uniform(1.0, 0.0), "low", "high")
    add("Uniform nan", lambda: g.Uniform(0.0, float("nan")), "high")
    add("LineUniform same ends", lambda: g.LineUniform([0.0, 0.0], [0.0, 0.0]), "start", "end")
    add("sample n=-1", lambda: p1.sample(-1), "n")
    add("logpdf wrong dim", lambda: g.Gaussian([0.0, 0.0], np.eye(2)).logpdf(np.zeros((3, 3))),
        "x")
    # divergences
    add("kl of a string", lambda: g.kl(p1, "q"), "q")
    add("kl method bogus", lambda: g.kl(p1, q1, method="bogus"), "method")
    add("jsd dims", lambda: g.jsd(p1, g.Gaussian([0.0, 0.0], np.eye(2))), "dim", "p", "q")
    add("f_divergence bogus", lambda: g.f_divergence(p1, q1, "bogus"), "bogus", "f")
    add("tv method bogus", lambda: g.tv(p1, q1, method="bogus"), "method")
    add("w2_gaussian of a mixture", lambda: g.w2_gaussian(p1, "x"), "q")
    add("wasserstein1 2-D", lambda: g.wasserstein1(g.Gaussian([0, 0], np.eye(2)),
                                                   g.Gaussian([0, 0], np.eye(2))), "1-D", "dim")
    add("optimal_discriminator string", lambda: g.optimal_discriminator("p", q1), "p")
    # losses
    add("minimax_d_loss shapes", lambda: losses.minimax_d_loss(ones, torch.ones(3)),
        "real_logits", "fake_logits")
    add("minimax_d_loss reduction", lambda: losses.minimax_d_loss(ones, ones,
                                                                 reduction="bogus"),
        "reduction")
    add("non_saturating nan", lambda: losses.non_saturating_g_loss(torch.tensor([float("nan")])),
        "fake_logits")
    add("non_saturating list", lambda: losses.non_saturating_g_loss([1.0, 2.0]), "fake_logits")
    add("wasserstein_critic_loss shapes", lambda: losses.wasserstein_critic_loss(
        ones, torch.ones(2)), "real_scores", "fake_scores")
    add("gaussian_kl_standard shapes", lambda: losses.gaussian_kl_standard(
        torch.zeros(2, 3), torch.zeros(2, 4)), "logvar", "mu")
    add("bernoulli_log_likelihood shapes", lambda: losses.bernoulli_log_likelihood(
        torch.zeros(2, 3), torch.zeros(2, 4)), "x", "logits")
    add("bernoulli_log_likelihood x out of [0,1]", lambda: losses.bernoulli_log_likelihood(
        torch.zeros(2, 3), torch.full((2, 3), 2.0)), "x")
    add("elbo beta -1", lambda: losses.elbo(torch.zeros(2), torch.zeros(2), beta=-1.0), "beta")
    add("reparameterize shapes", lambda: losses.reparameterize(torch.zeros(2, 3),
                                                               torch.zeros(2, 4)),
        "logvar", "mu")
    add("gradient_penalty weight", lambda: losses.gradient_penalty(
        torch.nn.Linear(3, 1), torch.zeros(2, 3), torch.zeros(2, 3), weight=-1.0), "weight")
    add("fgan_d_loss divergence", lambda: losses.fgan_d_loss(ones, ones, "bogus"), "divergence")
    # images
    add("load_dataset bogus", lambda: data.load_dataset("bogus"), "name")
    add("load_dataset n=0", lambda: data.load_dataset("shapes", n=0), "n")
    add("load_dataset name int", lambda: data.load_dataset(3), "name")
    add("load_dataset image_size 0", lambda: data.load_dataset("shapes", n=4, image_size=0),
        "image_size")
    add("shapes n=-1", lambda: data.shapes(-1), "n")
    add("load_mnist_npz text", lambda: data.load_mnist_npz(f["text"]), "path")
    add("load_folder missing", lambda: data.load_folder("/no/such", 32), "root", "/no/such")
    add("pad_or_resize 0", lambda: data.pad_or_resize(data.shapes(4), 0), "image_size")
    add("corner_interpolation shape", lambda: commands.corner_interpolation(torch.zeros(3, 2)),
        "corners")
    add("frechet_distance shapes", lambda: metrics.frechet_distance(np.zeros((4, 2)),
                                                                   np.zeros((4, 3))), "a", "b")
    add("kernel_inception_distance shapes", lambda: metrics.kernel_inception_distance(
        np.zeros((4, 2)), np.zeros((4, 3))), "a", "b")
    add("mode_histogram_metrics empty", lambda: metrics.mode_histogram_metrics(
        np.array([], int), 10), "labels")
    add("vae_nll k=0", lambda: vae_nll(None, torch.zeros(1, 1, 2, 2), k=0), "k")
    add("vae_nll images 2-D", lambda: vae_nll(None, torch.zeros(2, 2)), "images")
    add("create width 0", lambda: create("dcgan", width=0), "width")
    add("create d_steps vae", lambda: create("vae", d_steps=2), "d_steps")
    add("create n_images 0", lambda: create("dcgan", n_images=0), "n_images")
    add("create bogus model", lambda: create("stylegan"), "model")
    add("model_from_record empty", lambda: model_from_record({}), "model")
    add("register_model empty name", lambda: registry.register_model("", "a:b"), "name")
    add("register_model bad path", lambda: registry.register_model("x-model", "nocolon"),
        "model")
    add("sample kind bogus", lambda: commands.sample(f["dcgan"], "x.png", kind="bogus"), "kind")
    add("sample n 0", lambda: commands.sample(f["dcgan"], "x.png", n=0), "n")
    add("checkpoint load missing", lambda: ckpt.load("/no/such.pt"), "/no/such.pt")
    add("train resume of a vae run as dcgan", lambda: commands.train(
        "dcgan", f["vae"], resume=True, steps=9, progress=False), "'dcgan'")
    return cases


# -- running ---------------------------------------------------------------------------------------
def run_cli(case: Case) -> Outcome:
    from gantheory import cli

    names = case.names
    if case.process:
        done = subprocess.run([sys.executable, "-m", "gantheory", *case.argv],
                              capture_output=True, text=True, timeout=600)
        status, err = done.returncode, done.stderr
    else:
        stderr = io.StringIO()
        try:
            with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
                status = cli.main(case.argv)
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
        except BaseException as exc:  # noqa: BLE001  (a bug: what the command would print)
            status = 1
            stderr.write("".join(traceback.format_exception(exc))[-600:])
        err = stderr.getvalue()
    lines = err.strip().splitlines()
    named = any(name in err for name in names)
    ok = status == 2 and len(lines) == 1 and named
    why = [] if ok else [f"status {status}", f"{len(lines)} lines",
                         "names it" if named else f"does not name {' or '.join(names)}"]
    last = lines[-1] if lines else "(nothing on stderr)"
    return Outcome(case, ok, f"{'; '.join(why)}: {last[:300]}" if why else last[:300])


def run_api(case: Case) -> Outcome:
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            case.call()
    except (ValueError, TypeError) as exc:
        message = str(exc)
        named = any(name in message for name in case.names)
        first = message.splitlines()[0] if message else ""
        ok = named and "\n" not in message.strip()
        naming = "names it" if named else "does not name " + " or ".join(case.names)
        detail = first if ok else (f"{type(exc).__name__}, {naming}, "
                                   f"{len(message.splitlines())} lines: {first[:300]}")
        return Outcome(case, ok, detail[:300])
    except BaseException as exc:  # noqa: BLE001
        return Outcome(case, False, f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
                       if str(exc) else type(exc).__name__)
    return Outcome(case, False, "accepted: no error")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every case")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        cwd = os.getcwd()
        os.environ["GANTHEORY_CACHE"] = str(tmp / "cache")
        fixtures = make_fixtures(tmp)
        os.chdir(tmp)  # default output names land in the temporary folder
        try:
            outcomes = [run_cli(c) for c in cli_cases(fixtures, tmp)]
            outcomes += [run_api(c) for c in api_cases(fixtures)]
        finally:
            os.chdir(cwd)
    good = [o for o in outcomes if o.ok]
    bad = [o for o in outcomes if not o.ok]
    if args.verbose:
        for o in good:
            print(f"ok    {o.case.label}: {o.detail}")
    for o in bad:
        print(f"FAIL  {o.case.label}: {o.detail}")
    kinds = sum(1 for o in outcomes if o.case.argv is not None)
    print(f"{len(good)} of {len(outcomes)} bad inputs gave one clear line naming the argument "
          f"({kinds} command-line cases, {len(outcomes) - kinds} API cases; "
          f"{time.perf_counter() - start:.0f} s)")
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
