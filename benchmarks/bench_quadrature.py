"""Benchmark: gantheory's vectorized Gauss-Kronrod quadrature against plain scipy quad/dblquad.

For each case and each divergence (KL and JSD) gantheory's default path (``g.kl(p, q)``,
``g.jsd(p, q)``: adaptive Gauss-Kronrod with an error bound) is timed against plain
``scipy.integrate.quad`` (1-D: ``epsabs=1e-10, epsrel=0, limit=1000``, ``points`` at the
component means) and ``scipy.integrate.dblquad`` (2-D: ``epsabs=1e-8, epsrel=0``) of the same
integrand, evaluated pointwise through the same ``logpdf`` methods:

* KL:  p (log p - log q)
* JSD: 1/2 [p (log p - log m) + q (log q - log m)],  log m = logaddexp(log p, log q) - log 2

scipy runs in a forked worker so that a slow ``dblquad`` can be cut off after ``--timeout``
seconds ("timed out after N s"). Prints the time per call, the ratio scipy/gantheory, the
absolute difference of the two values and whether they agree to twice the tolerance (each
aims at an absolute error below it). Usage::

    python benchmarks/bench_quadrature.py [--repeat 3] [--timeout 120] [--only kl|jsd]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import subprocess
import time
from pathlib import Path

import numpy as np
import scipy
from scipy import integrate

import gantheory as g
from gantheory import presets

_LOG2 = np.log(2.0)
_TOL = {1: 1e-10, 2: 1e-8}


def _cases():
    # Two moderately narrow 2-D mixtures: standard deviations 0.25-0.35, full covariances,
    # modes about 2 apart.
    narrow_p = g.GaussianMixture(
        [0.5, 0.5], [[-1.0, 0.0], [1.0, 0.5]],
        [[[0.10, 0.03], [0.03, 0.08]], [[0.09, -0.02], [-0.02, 0.12]]],
    )
    narrow_q = g.GaussianMixture(
        [0.3, 0.7], [[-0.8, 0.3], [0.9, -0.2]],
        [[[0.12, 0.0], [0.0, 0.07]], [[0.08, 0.02], [0.02, 0.10]]],
    )
    ring = presets.ring()
    return [
        ("1-D bimodal vs N(0, 4)", presets.bimodal(), g.Gaussian(0.0, 4.0)),
        ("2-D two narrow mixtures", narrow_p, narrow_q),
        ("2-D ring(8, std .01) vs matched N", ring, g.Gaussian(ring.mean, ring.cov)),
    ]


def _pointwise(divergence: str, p, q):
    """The integrand at one point, through the distributions' logpdf methods."""

    def kl(x) -> float:
        lp = float(p.logpdf(x))
        if lp == -np.inf:
            return 0.0
        return float(np.exp(lp) * (lp - float(q.logpdf(x))))

    def jsd(x) -> float:
        lp, lq = float(p.logpdf(x)), float(q.logpdf(x))
        lm = np.logaddexp(lp, lq) - _LOG2
        out = 0.0
        if lp > -np.inf:
            out += np.exp(lp) * (lp - lm)
        if lq > -np.inf:
            out += np.exp(lq) * (lq - lm)
        return 0.5 * float(out)

    return {"kl": kl, "jsd": jsd}[divergence]


def _box(divergence: str, p, q) -> tuple[np.ndarray, np.ndarray]:
    """20 standard deviations of the widest component around every component mean.

    The KL integrand is a multiple of p, so p's box suffices (and is what a careful user would
    give); the JSD integrand also lives where q does, so it needs the union of both boxes.
    """
    dists = [p] if divergence == "kl" else [p, q]
    means = np.concatenate([d.means for d in dists])
    spread = 20.0 * float(np.sqrt(max(d.covs.max() for d in dists)))
    return means.min(axis=0) - spread, means.max(axis=0) + spread


def _scipy_value(index: int, divergence: str) -> float:
    _, p, q = _cases()[index]
    f = _pointwise(divergence, p, q)
    lo, hi = _box(divergence, p, q)
    if p.dim == 1:
        points = sorted(set(np.concatenate([p.means[:, 0], q.means[:, 0]]).tolist()))
        return integrate.quad(
            lambda x: f(x), lo[0], hi[0], epsabs=_TOL[1], epsrel=0, limit=1000, points=points
        )[0]
    return integrate.dblquad(
        lambda y, x: f([x, y]), lo[0], hi[0], lo[1], hi[1], epsabs=_TOL[2], epsrel=0
    )[0]


def _timed_scipy(index: int, divergence: str, timeout: float) -> tuple[float | None, float]:
    with mp.get_context("fork").Pool(1) as pool:
        start = time.perf_counter()
        job = pool.apply_async(_scipy_value, (index, divergence))
        try:
            value = job.get(timeout=timeout)
        except mp.TimeoutError:
            return None, time.perf_counter() - start
        return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="gantheory calls to average")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed to scipy")
    parser.add_argument("--only", choices=["kl", "jsd"], help="run one divergence only")
    args = parser.parse_args()
    repo = Path(__file__).resolve().parents[1]
    commit = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    print(
        f"commit {commit}; python {platform.python_version()}, numpy {np.__version__}, "
        f"scipy {scipy.__version__}; tolerances 1e-10 (1-D), 1e-8 (2-D)\n"
    )
    header = (
        f"{'div':4s} {'case':34s} {'gantheory s':>11s} {'+- bound':>8s} {'scipy s':>9s} "
        f"{'ratio':>6s} {'|difference|':>12s} {'agree':>5s}"
    )
    print(header)
    print("-" * len(header))
    divergences = [args.only] if args.only else ["kl", "jsd"]
    functions = {"kl": g.kl, "jsd": g.jsd}
    for divergence in divergences:
        for index, (name, p, q) in enumerate(_cases()):
            start = time.perf_counter()
            for _ in range(args.repeat):
                ours = functions[divergence](p, q)
            t_ours = (time.perf_counter() - start) / args.repeat
            value, t_scipy = _timed_scipy(index, divergence, args.timeout)
            lead = f"{divergence:4s} {name:34s} {t_ours:11.4f} {ours.error:8.1e}"
            if value is None:
                print(f"{lead} timed out after {args.timeout:.0f} s (ours: {ours.value:.12f})")
                continue
            # Both aim at |error| <= tol, so they must agree to 2 tol.
            difference = abs(value - ours.value)
            agree = "yes" if difference <= 2 * _TOL[p.dim] else "NO"
            print(
                f"{lead} {t_scipy:9.3f} {t_scipy / t_ours:6.0f} {difference:12.2e} {agree:>5s}",
                flush=True,
            )


if __name__ == "__main__":
    main()
