#!/bin/bash
# the latent-256 half of the DCGAN latent sweep, beside the latent-10 half (same flags, own folder)
export OMP_NUM_THREADS=1 PYTHONPATH=src2
date
cd src2 && /work/main/.venv/bin/python benchmarks/latent_sweep.py --model dcgan \
  --dataset mnist-npz:../shared/data/mnist.npz --latents 256 --steps 2500 --batch-size 64 \
  --quiet --out gan_latent_256
date
