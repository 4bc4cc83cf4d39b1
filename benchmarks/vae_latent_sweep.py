"""The VAE's two ELBO terms against the latent size, on real images.

Trains the convolutional VAE of :mod:`gantheory.nets` (Bernoulli decoder, dynamically
binarised pixels) once per latent size with ``gantheory train vae`` and measures, on held-out
test images binarised once with a fixed seed, the two terms of the negative ELBO and the
latent dimensions in use:

* the rate :math:`\\mathrm{KL}(q(z|x)\\,\\|\\,p(z))` (closed form, nats per image),
* the distortion :math:`-\\mathbb E_q[\\log p(x|z)]` (one reparameterised sample per image), and
* the active units (Burda et al. 2016, Sec. 5.2): the latent dimensions :math:`u` whose
  encoder mean varies over the test images, :math:`\\operatorname{Cov}_x(\\mathbb E_q[u]) >
  0.01`; the others sit at the prior and carry no information.

Writes ``latent_sweep.csv`` and ``latent_sweep.png`` into ``--out`` and prints the table.

Run::

    python benchmarks/vae_latent_sweep.py --dataset mnist-npz:../shared/data/mnist.npz \\
        --latents 2 8 32 128 --steps 3000 --out vae_sweep
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from gantheory import losses, plotting
from gantheory.images import commands
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


def main() -> None:
    """Train one VAE per latent size, measure, print and plot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="shapes")
    parser.add_argument("--latents", type=int, nargs="+", default=[2, 8, 32, 128])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--width", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--n-test", type=int, default=2000)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--out", default="vae_sweep")
    args = parser.parse_args()
    out = Path(args.out)
    rows = []
    for latent in args.latents:
        run = out / f"latent-{latent}"
        if not (run / "checkpoint.pt").exists():
            commands.train("vae", run, dataset=args.dataset, device=args.device,
                           steps=args.steps, latent_dim=latent, width=args.width,
                           batch_size=args.batch_size, sample_every=args.steps,
                           checkpoint_every=args.steps, progress=False)
        rows.append({"latent": latent, **elbo_terms(run, args.dataset, args.n_test)})
        print(f"latent {latent:4d}: KL {rows[-1]['kl']:7.2f}  recon {rows[-1]['recon']:7.2f}  "
              f"-ELBO {rows[-1]['neg_elbo']:7.2f} nats  active units {rows[-1]['active_units']}",
              flush=True)
    write_csv(rows, out / "latent_sweep.csv")
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
    fig.suptitle(f"conv VAE on {args.dataset.split(':')[0]}, {args.steps} steps each, "
                 f"{args.n_test} test images")
    plotting.save(fig, out / "latent_sweep.png")
    print(f"wrote {out / 'latent_sweep.csv'} and {out / 'latent_sweep.png'}")


if __name__ == "__main__":
    main()
