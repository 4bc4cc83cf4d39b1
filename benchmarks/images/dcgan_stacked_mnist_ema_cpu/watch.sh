#!/bin/bash
# copy the stacked run's checkpoint at each stage end (while its eval runs), for a raw-weights eval
cd stacked_ema
while true; do
  for S in 4000 6000 8000 10000 12000 14000 16000; do
    if [ ! -f ckpt-$S.pt ] && grep -q "trained dcgan to step $S;" stacked.log; then
      cp checkpoint.pt ckpt-$S.pt.tmp && mv ckpt-$S.pt.tmp ckpt-$S.pt; date; echo copied $S
    fi
  done
  sleep 15
done
