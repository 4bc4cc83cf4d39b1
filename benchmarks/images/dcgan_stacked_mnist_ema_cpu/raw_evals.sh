#!/bin/bash
# gantheory eval --no-ema of each stage checkpoint the watcher copied (code: /work/main at its HEAD)
export OMP_NUM_THREADS=1 PYTHONPATH=/work/main
for S in "$@"; do
  f=ckpt-$S.pt
  [ -f raw-$S.json ] && continue
  /work/main/.venv/bin/python -m gantheory eval --checkpoint $f --no-ema --json --quiet > raw-$S.json.tmp && mv raw-$S.json.tmp raw-$S.json
done
