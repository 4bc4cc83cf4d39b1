"""Benchmark: gantheory's vectorized Gauss-Kronrod quadrature against plain scipy quad/dblquad.

Both integrate the same KL integrand p log(p/q), evaluated through the same ``logpdf`` methods,
to the same absolute tolerance (1e-10 in 1-D, 1e-8 in 2-D). Prints the value difference, the
time per call and the ratio. Usage::

    python benchmarks/bench_quadrature.py [--repeat 3] [--timeout 120]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import subprocess
import time

import numpy as np
from scipy import integrate

import gantheory as g
from gantheory import presets


def _cases():
    two = g.GaussianMixture([0.4, 0.6], [[-1.0, 0.0], [1.0, 0.5]], [[0.5, 0.3], [0.4, 0.6]])
    ring = presets.ring()
    return [
        ("1-D bimodal vs N(0, 4)", presets.bimodal(), g.Gaussian(0.0, 4.0)),
        ("2-D two-component mixture vs N", two, g.Gaussian([0.2, 0.1], [[1.2, 0.3], [0.3, 0.8]])),
        ("2-D ring(8, std 0.01) vs moment-matched N", ring, g.Gaussian(ring.mean, ring.cov)),
    ]


def _scipy_kl(index: int) -> float:
    _, p, q = _cases()[index]
    if p.dim == 1:
        def f(x):
            lp, lq = float(p.logpdf(x)), float(q.logpdf(x))
            return np.exp(lp) * (lp - lq)

        lo = float(p.means.min()) - 20 * float(np.sqrt(p.covs.max()))
        hi = float(p.means.max()) + 20 * float(np.sqrt(p.covs.max()))
        return integrate.quad(f, lo, hi, epsabs=1e-10, epsrel=0, limit=1000,
                              points=p.means[:, 0].tolist())[0]

    def f2(y, x):
        lp, lq = float(p.logpdf([x, y])), float(q.logpdf([x, y]))
        return np.exp(lp) * (lp - lq)

    lo = p.means.min(axis=0) - 20 * np.sqrt(p.covs.max())
    hi = p.means.max(axis=0) + 20 * np.sqrt(p.covs.max())
    return integrate.dblquad(f2, lo[0], hi[0], lo[1], hi[1], epsabs=1e-8, epsrel=0)[0]


def _timed_scipy(index: int, timeout: float) -> tuple[float | None, float]:
    with mp.get_context("fork").Pool(1) as pool:
        start = time.perf_counter()
        job = pool.apply_async(_scipy_kl, (index,))
        try:
            value = job.get(timeout=timeout)
        except mp.TimeoutError:
            return None, time.perf_counter() - start
        return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="gantheory calls to average")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed to scipy")
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print(f"commit {commit}; KL(p || q); tolerances 1e-10 (1-D), 1e-8 (2-D)\n")
    print(f"{'case':44s} {'gantheory s':>11s} {'scipy s':>9s} {'ratio':>7s} {'|difference|':>12s}")
    for index, (name, p, q) in enumerate(_cases()):
        start = time.perf_counter()
        for _ in range(args.repeat):
            ours = g.kl(p, q)
        t_ours = (time.perf_counter() - start) / args.repeat
        value, t_scipy = _timed_scipy(index, args.timeout)
        if value is None:
            print(f"{name:44s} {t_ours:11.4f} {'timed out after':>9s} {args.timeout:.0f} s "
                  f"(ours: {ours.value:.12f} +- {ours.error:.1e})")
            continue
        print(f"{name:44s} {t_ours:11.4f} {t_scipy:9.3f} {t_scipy / t_ours:7.0f} "
              f"{abs(value - ours.value):12.2e}")


if __name__ == "__main__":
    main()
