#!/bin/bash
# Stacked MNIST DCGAN + EMA 0.999, evaluated every 2,000 steps (commit bb8da77, frozen worktree)
export OMP_NUM_THREADS=1 PYTHONPATH=src
PY=/work/main/.venv/bin/python
OUT=stacked_ema
for S in 2000 4000 6000 8000 10000 12000 14000 16000; do
  if [ ! -f $OUT/eval-$S.json ]; then
    if [ -f $OUT/checkpoint.pt ]; then R=--resume; else R=; fi
    $PY -m gantheory train dcgan --dataset stacked-mnist:../shared/data/mnist.npz --image-size 32 \
      --width 32 --batch-size 64 --ema 0.999 --steps $S --sample-every 2000 --checkpoint-every 500 \
      --quiet --out $OUT $R || exit 1
    $PY -m gantheory eval --checkpoint $OUT --json > $OUT/eval-$S.json.tmp && mv $OUT/eval-$S.json.tmp $OUT/eval-$S.json
    date; cat $OUT/eval-$S.json | head -c 600; echo
  fi
done
