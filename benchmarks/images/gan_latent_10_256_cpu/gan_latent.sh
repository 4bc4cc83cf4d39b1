#!/bin/bash
# DCGAN latent 10 vs 256 on MNIST; starts when the ring run has finished (frozen worktree src2)
while pgrep -f "toy modes --target ring" > /dev/null; do sleep 20; done
date
export OMP_NUM_THREADS=1 PYTHONPATH=src2
cd src2 && /work/main/.venv/bin/python benchmarks/latent_sweep.py --model dcgan \
  --dataset mnist-npz:../shared/data/mnist.npz --latents 10 256 --steps 2500 --batch-size 64 \
  --quiet --out gan_latent
date
