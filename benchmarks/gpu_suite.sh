#!/usr/bin/env bash
# The GPU goals in one call (see benchmarks/gpu_suite.py): DCGAN-64 throughput against the
# pytorch/examples loop, the toy lab batched against a loop, the ring at PacGAN's scale and
# Stacked MNIST, printed as one table. Needs no network: the device's own torch, and
# mnist.npz carried in (e.g. copied to data/mnist.npz, an ignored folder, and named in carry).
#
#   bash benchmarks/gpu_suite.sh --mnist data/mnist.npz --out "$OUT"   # on the GPU machine
#   bash benchmarks/gpu_suite.sh --dry-run                              # CPU, tiny, all paths
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
python="${PYTHON:-python3}"
exec "$python" "$root/benchmarks/gpu_suite.py" "$@"
