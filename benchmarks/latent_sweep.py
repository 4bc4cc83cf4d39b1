"""A VAE's or a GAN's results against the latent size, on real images.

Trains one model per latent size with :func:`gantheory.images.commands.train` (same data,
width, batch, steps and seed; only ``--latent-dim`` changes), then measures each run and draws
its samples beside its training curves.

``--model vae`` (the convolutional VAE of :mod:`gantheory.nets`, Bernoulli decoder, dynamically
binarised pixels) measures, on held-out test images binarised once with a fixed seed:

* the rate :math:`\\mathrm{KL}(q(z|x)\\,\\|\\,p(z))` (closed form, nats per image),
* the distortion :math:`-\\mathbb E_q[\\log p(x|z)]` (one reparameterised sample per image),
  and their sum, the negative ELBO,
* the active units (Burda et al. 2016, Sec. 5.2): the latent dimensions :math:`u` whose
  encoder mean varies over the test images, :math:`\\operatorname{Cov}_x(\\mathbb E_q[u]) >
  0.01`; the others sit at the prior and carry no information.

``--model dcgan`` (or any registered GAN) reports what ``gantheory eval`` reports for it:
the classes found among ``--samples`` generated images by the package's digit classifier,
the KL of their histogram to uniform, and the Fréchet distance and KID in that classifier's
features against real test images.

Writes into ``--out``: one run folder per size (``latent-J/``), ``latent_sweep.csv``, and
``latent_comparison.png`` (each size's last sample grid from the same fixed latents above its
loss curves); for the VAE also ``latent_sweep.png`` (rate and distortion against the size).
A size whose run folder already holds a checkpoint at ``--steps`` is measured again, not
retrained; one that stopped short (an interrupted run) is resumed to ``--steps`` first.

Run::

    python benchmarks/latent_sweep.py --model vae --dataset mnist-npz:../shared/data/mnist.npz \\
        --latents 20 60 --steps 5000 --out vae_sweep
    python benchmarks/latent_sweep.py --model dcgan --dataset mnist-npz:../shared/data/mnist.npz \\
        --latents 10 256 --steps 3000 --batch-size 64 --out gan_sweep
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
import torch

from gantheory import losses, plotting
from gantheory.images import checkpoint as ckpt
from gantheory.images import commands, registry
from gantheory.images.data import as_float, load_dataset
from gantheory.tables import write_csv


@torch.no_grad()
def elbo_terms(checkpoint: Path, dataset: str, n_test: int, seed: int = 0) -> dict[str, float]:
    """Mean KL and reconstruction (nats per image) of a trained VAE on test images."""
    model, _ = commands.load_run(checkpoint)
    vae = model.networks["vae"]
    test = load_dataset(dataset, image_size=model.config.image_size, train=False)
    test = test.subset(slice(0, min(n_test, len(test))))
    g = torch.Generator().manual_seed(seed)
    x01 = torch.bernoulli((as_float(test.images) + 1.0) / 2.0, generator=g)
    kl_sum = recon_sum = 0.0
    means = []
    for i in range(0, len(x01), 500):
        xb = x01[i:i + 500]
        mu, logvar = vae.encode(xb * 2.0 - 1.0)
        means.append(mu)
        z = losses.reparameterize(mu, logvar, generator=g)
        kl_sum += float(losses.gaussian_kl_standard(mu, logvar, reduction="none").sum())
        ll = losses.bernoulli_log_likelihood(vae.decode(z), xb, reduction="none")  # (B,)
        recon_sum -= float(ll.sum())
    n = len(x01)
    active = int((torch.cat(means).var(0) > 0.01).sum())
    return {"kl": kl_sum / n, "recon": recon_sum / n, "neg_elbo": (kl_sum + recon_sum) / n,
            "active_units": active}


def gan_terms(checkpoint: Path, n_samples: int, n_test: int,
              classifier_steps: int) -> dict[str, float | int]:
    """What ``gantheory eval`` reports for a GAN: classes found (``modes`` of ``n_modes``),
    the KL of their histogram to uniform, the Fréchet distance and KID in the classifier's
    features, and the classifier's held-out accuracy."""
    result = commands.evaluate(checkpoint, n_samples=n_samples, n_test=n_test,
                               classifier_steps=classifier_steps)
    keys = ("modes", "n_modes", "kl_to_uniform", "frechet_distance_classifier", "kid_classifier",
            "classifier_accuracy_held_out")
    return {k: result[k] for k in keys}


def read_losses(run: Path) -> dict[str, np.ndarray]:
    """The columns of a run's ``losses.csv`` (one row per logged step) as arrays."""
    with (run / "losses.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0] if k != "images_per_s"}


def running_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Mean of each ``window`` consecutive values (the last partial window dropped)."""
    n = len(values) // window * window
    return values[:n].reshape(-1, window).mean(1) if n else values


def comparison_figure(runs: dict[int, Path], title: str, path: Path) -> Path:
    """One column per latent size: the last sample grid above the smoothed loss curves."""
    import matplotlib.image as mpimg

    curves = {latent: read_losses(run) for latent, run in runs.items()}
    keys = [k for k in next(iter(curves.values())) if k != "step"]
    fig, axes = plotting.figure(1 + len(keys), len(runs), size=(3.4, 2.0),
                                layout="constrained",
                                gridspec_kw={"height_ratios": [1.7] + [1.0] * len(keys)})
    for col, (latent, run) in enumerate(runs.items()):
        grid = sorted((run / "samples").glob("step-*.png"))[-1]
        axes[0][col].imshow(mpimg.imread(grid), cmap="gray")
        axes[0][col].set_axis_off()
        axes[0][col].set_title(f"latent {latent}: samples at step {int(grid.stem[5:])}")
        c = curves[latent]
        window = max(1, len(c["step"]) // 100)
        for row, key in enumerate(keys, start=1):
            ax = axes[row][col]
            ax.plot(running_mean(c["step"], window), running_mean(c[key], window),
                    color=plotting.CYCLE[row - 1])
            ax.set_ylabel(key)
            if row == len(keys):
                ax.set_xlabel(f"step (mean of {window} steps)")
    for row in range(1, 1 + len(keys)):  # one scale per loss across the sizes
        lo = min(ax.get_ylim()[0] for ax in axes[row])
        hi = max(ax.get_ylim()[1] for ax in axes[row])
        for ax in axes[row]:
            ax.set_ylim(lo, hi)
    fig.suptitle(title)
    return plotting.save(fig, path)


def vae_figure(rows: list[dict], title: str, path: Path) -> Path:
    """Rate, distortion and the bound against the latent size (log axis)."""
    fig, axes = plotting.figure(1, 2, size=(3.6, 3.0), layout="constrained")
    latents = [r["latent"] for r in rows]
    axes[0][0].plot(latents, [r["kl"] for r in rows], "o-", color=plotting.DISCRIMINATOR)
    axes[0][0].set_ylabel("KL(q(z|x) || p(z)) (nats per image)")
    axes[0][0].set_title("rate")
    axes[0][1].plot(latents, [r["recon"] for r in rows], "s-", color=plotting.GENERATOR,
                    label="reconstruction")
    axes[0][1].plot(latents, [r["neg_elbo"] for r in rows], "^--", color=plotting.DATA,
                    label="-ELBO = reconstruction + KL")
    axes[0][1].set_ylabel("nats per image")
    axes[0][1].set_title("distortion and the bound")
    axes[0][1].legend()
    for ax in axes[0]:
        ax.set_xscale("log", base=2)
        ax.set_xticks(latents, [str(j) for j in latents])
        ax.set_xlabel("latent size J")
    fig.suptitle(title)
    return plotting.save(fig, path)


def main(argv: list[str] | None = None) -> None:
    """Train one model per latent size, measure, print and plot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="vae", choices=registry.model_names(),
                        help="vae (the ELBO's terms), or a GAN (what gantheory eval reports)")
    parser.add_argument("--dataset", default="shapes")
    parser.add_argument("--latents", type=int, nargs="+", default=[2, 8, 32, 128])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--width", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--image-size", type=int, default=32)
    parser.add_argument("--n-test", type=int, default=2000,
                        help="test images (VAE terms; the GAN's real images for FD and KID)")
    parser.add_argument("--samples", type=int, default=10_000, help="generated images (GAN)")
    parser.add_argument("--classifier-steps", type=int, default=1500,
                        help="training steps of the cached digit classifier (GAN)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument("--out", default="latent_sweep")
    args = parser.parse_args(argv)
    out = Path(args.out)
    rows, runs = [], {}
    every = max(1, args.steps // 4)
    for latent in args.latents:
        run = runs[latent] = out / f"latent-{latent}"
        saved = (ckpt.load(run / "checkpoint.pt")["step"]
                 if (run / "checkpoint.pt").exists() else 0)
        if saved < args.steps:
            commands.train(args.model, run, dataset=args.dataset, device=args.device,
                           resume=saved > 0, steps=args.steps, latent_dim=latent,
                           width=args.width, image_size=args.image_size,
                           batch_size=args.batch_size, sample_every=every,
                           checkpoint_every=every, progress=not args.quiet)
        if args.model == "vae":
            terms = elbo_terms(run, args.dataset, args.n_test)
        else:
            terms = gan_terms(run, args.samples, args.n_test, args.classifier_steps)
        rows.append({"latent": latent, **terms})
        print(f"latent {latent:4d}: " + "  ".join(
            f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in terms.items()),
            flush=True)
    data = args.dataset.split(":")[0]
    written = [write_csv(rows, out / "latent_sweep.csv")]
    title = f"{args.model} on {data}, {args.steps} steps each, latent sizes {args.latents}"
    written.append(comparison_figure(runs, title, out / "latent_comparison.png"))
    if args.model == "vae":
        written.append(vae_figure(rows, f"conv VAE on {data}, {args.steps} steps each, "
                                        f"{args.n_test} test images", out / "latent_sweep.png"))
    print("wrote " + ", ".join(str(p) for p in written))


if __name__ == "__main__":
    main()
