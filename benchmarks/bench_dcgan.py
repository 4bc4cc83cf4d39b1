"""DCGAN images per second: the pytorch/examples training loop against gantheory's trainer.

The reference is our own re-implementation of the loop of pytorch/examples ``dcgan/main.py``
(Radford et al. 2016's 64 x 64 networks, ``nz = 100``, ``ngf = ndf = 64``, batch 64, Adam
2e-4 with betas (0.5, 0.999)), with the habits that set its speed: images decoded from PNG
files by ``torchvision.datasets.ImageFolder`` with ``Resize``/``CenterCrop``/``ToTensor``/
``Normalize`` in a ``DataLoader`` (2 workers, shuffled), a discriminator that ends in a
``Sigmoid`` trained with ``BCELoss``, and five ``.item()`` calls per iteration. Ours is
``gantheory train dcgan`` with the same networks, batch and optimiser: the images kept on the
device as uint8, logits with the loss library's softplus losses, bf16 autocast and fused Adam
on CUDA, optional ``torch.compile`` and channels-last, one synchronisation per logging interval.

Both run on the same device, in one process, on the same images (``--n-images`` of the
built-in shapes data set written to PNG files for the reference, loaded as ``folder:`` for
ours). Prints images per second of each, the ratio, and, from the floating-point operations of
one training step counted by ``torch.utils.flop_counter``, our fraction of the device's dense
bf16 peak (when the device is in :data:`BF16_PEAK_TFLOPS`).

Run::

    python benchmarks/bench_dcgan.py --device cuda --compile --channels-last
    python benchmarks/bench_dcgan.py --iters 5 --warmup 1 --n-images 512   # a CPU smoke run
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import torch
from torch import nn

from gantheory.images.data import load_dataset, shapes
from gantheory.images.models.dcgan import DCGAN, DCGANConfig
from gantheory.images.trainer import ImageTrainer
from gantheory.provenance import provenance

# Dense bf16 tensor-core peaks from NVIDIA's data sheets (SXM parts), in TFLOP/s.
BF16_PEAK_TFLOPS = {"H100": 989.0, "H200": 989.0, "A100": 312.0}


# -- the reference loop (pytorch/examples dcgan, re-implemented) -----------------------------
class ReferenceGenerator(nn.Module):
    """pytorch/examples' netG: 100 -> 512x4x4 -> 256x8x8 -> 128x16x16 -> 64x32x32 -> 3x64x64."""

    def __init__(self, nz: int = 100, ngf: int = 64, nc: int = 3) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        channels = [nz, ngf * 8, ngf * 4, ngf * 2, ngf]
        for i, (a, b) in enumerate(zip(channels[:-1], channels[1:], strict=True)):
            layers += [nn.ConvTranspose2d(a, b, 4, 1 if i == 0 else 2, 0 if i == 0 else 1,
                                          bias=False), nn.BatchNorm2d(b), nn.ReLU(True)]
        layers += [nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False), nn.Tanh()]
        self.main = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:  # noqa: D102
        return self.main(z)


class ReferenceDiscriminator(nn.Module):
    """pytorch/examples' netD: 3x64x64 -> 64 -> 128 -> 256 -> 512 -> a probability (Sigmoid)."""

    def __init__(self, ndf: int = 64, nc: int = 3) -> None:
        super().__init__()
        layers: list[nn.Module] = [nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
                                   nn.LeakyReLU(0.2, inplace=True)]
        for a in (ndf, ndf * 2, ndf * 4):
            layers += [nn.Conv2d(a, a * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(a * 2),
                       nn.LeakyReLU(0.2, inplace=True)]
        layers += [nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False), nn.Sigmoid()]
        self.main = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # noqa: D102
        return self.main(x).view(-1, 1).squeeze(1)


def _weights_init(m: nn.Module) -> None:
    name = m.__class__.__name__
    if "Conv" in name:
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif "BatchNorm" in name:
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def reference_images_per_second(folder: Path, device: torch.device, iters: int, warmup: int,
                                batch_size: int = 64, workers: int = 2) -> float:
    """The example's loop for ``warmup + iters`` iterations; images per second of the last."""
    import torchvision.datasets as dset
    import torchvision.transforms as T

    dataset = dset.ImageFolder(str(folder), transform=T.Compose([
        T.Resize(64), T.CenterCrop(64), T.ToTensor(),
        T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))]))
    loader = torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=True,
                                         num_workers=workers, drop_last=True)
    net_g, net_d = ReferenceGenerator().to(device), ReferenceDiscriminator().to(device)
    net_g.apply(_weights_init)
    net_d.apply(_weights_init)
    criterion = nn.BCELoss()
    opt_d = torch.optim.Adam(net_d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(net_g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    done, start = 0, None
    while done < warmup + iters:
        for data, _ in loader:
            if done == warmup:
                _sync(device)
                start = time.perf_counter()
            # (1) update D: maximise log D(x) + log(1 - D(G(z)))
            net_d.zero_grad()
            real = data.to(device)
            label = torch.full((real.size(0),), 1.0, device=device)
            output = net_d(real)
            err_d_real = criterion(output, label)
            err_d_real.backward()
            d_x = output.mean().item()
            noise = torch.randn(real.size(0), 100, 1, 1, device=device)
            fake = net_g(noise)
            label.fill_(0.0)
            output = net_d(fake.detach())
            err_d_fake = criterion(output, label)
            err_d_fake.backward()
            d_g_z1 = output.mean().item()
            err_d = err_d_real + err_d_fake
            opt_d.step()
            # (2) update G: maximise log D(G(z))
            net_g.zero_grad()
            label.fill_(1.0)
            output = net_d(fake)
            err_g = criterion(output, label)
            err_g.backward()
            d_g_z2 = output.mean().item()
            opt_g.step()
            _ = (err_d.item(), err_g.item(), d_x, d_g_z1, d_g_z2)  # the example prints these
            done += 1
            if done == warmup + iters:
                break
    _sync(device)
    return iters * batch_size / (time.perf_counter() - start)


# -- ours -----------------------------------------------------------------------------------------
def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def ours(folder: Path, device: torch.device, iters: int, warmup: int, out: Path,
         compile_: bool, channels_last: bool) -> tuple[float, float]:
    """(images per second, FLOPs of one training step) of gantheory's DCGAN trainer."""
    data = load_dataset(f"folder:{folder}", image_size=64)
    config = DCGANConfig(image_size=64, latent_dim=100, width=64, batch_size=64,
                         steps=warmup + iters, sample_every=10**9, checkpoint_every=10**9,
                         compile=compile_, channels_last=channels_last)
    trainer = ImageTrainer(DCGAN(config), data, out, device=device)
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter:
        trainer.train_step()
    flops = float(counter.get_total_flops())
    for _ in range(max(warmup - 1, 0)):
        trainer.train_step()
    _sync(device)
    start = time.perf_counter()
    pending = [trainer.train_step() for _ in range(iters)]
    torch.stack([p["g_loss"] for p in pending]).cpu()  # one synchronisation, as in train()
    _sync(device)
    return iters * config.batch_size / (time.perf_counter() - start), flops


def main() -> None:
    """Write the PNGs, time both loops, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--iters", type=int, default=300, help="timed iterations of each")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--n-images", type=int, default=6400, help="PNG files for both")
    parser.add_argument("--compile", action="store_true", help="torch.compile ours")
    parser.add_argument("--channels-last", action="store_true", help="channels-last for ours")
    parser.add_argument("--workers", type=int, default=2, help="the reference's DataLoader")
    args = parser.parse_args()
    device = torch.device(args.device)
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "images"
        _write_pngs(folder, args.n_images)
        ref = reference_images_per_second(folder, device, args.iters, args.warmup,
                                          workers=args.workers)
        ours_rate, flops = ours(folder, device, args.iters, args.warmup, Path(tmp) / "run",
                                args.compile, args.channels_last)
    record = provenance(str(device))
    name, commit = str(record["device"]), record["commit"]
    peak = next((v for k, v in BF16_PEAK_TFLOPS.items() if k in name), None)
    achieved = ours_rate / 64 * flops / 1e12  # TFLOP/s
    print(f"device {name}; commit {commit}; torch {torch.__version__}; batch 64, 64x64 DCGAN; "
          f"{args.iters} timed iterations after {args.warmup}; compile={args.compile}, "
          f"channels_last={args.channels_last}")
    print(f"{'loop':34s} {'images/s':>10s}")
    print(f"{'pytorch/examples loop (re-impl.)':34s} {ref:10.1f}")
    print(f"{'gantheory trainer':34s} {ours_rate:10.1f}")
    print(f"ratio {ours_rate / ref:.2f}x; one training step = {flops / 1e9:.2f} GFLOP; "
          f"achieved {achieved:.2f} TFLOP/s"
          + (f" = {achieved / peak:.1%} of the {peak:.0f} TFLOP/s dense bf16 peak"
             if peak and device.type == "cuda" else ""))


def _write_pngs(folder: Path, n: int) -> None:
    from torchvision.utils import save_image

    data = shapes(n, image_size=64, seed=0)
    (folder / "all").mkdir(parents=True)
    images = data.images.float() / 255.0
    for i, image in enumerate(images):
        save_image(image, folder / "all" / f"{i:06d}.png")


if __name__ == "__main__":
    main()
