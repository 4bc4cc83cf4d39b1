"""The importance-sampled test NLL of a trained VAE over the whole test set, in resumable chunks.

``gantheory eval`` measures the NLL of the first ``--test-images`` test images in one process.
On a CPU the full 10,000-image MNIST test set at K = 1,000 takes hours, so this script splits
it into chunks of ``--chunk`` images, writes each chunk's result to its own JSON file as soon
as it is done (an interrupted run continues where it stopped), lets several processes share the
chunks (``--part i/n`` takes every n-th chunk), and merges the chunk files into one estimate:

* the NLL, the mean over images of :math:`-\\log \\hat p_K(x)`, where
  :math:`\\hat p_K(x) = \\frac1K \\sum_k p(x|z_k) p(z_k)/q(z_k|x)` (Burda et al. 2016, eq. 8);
* its standard error over images, pooled exactly from the chunks' means and standard errors
  (the sum of squares within and between chunks);
* the Monte Carlo error of the K-sample estimates (the chunks' delta-method variances summed).

Chunk ``c`` binarises its images and draws its importance samples from seed ``c``
(:func:`gantheory.images.evaluation.vae_nll`), so a chunk evaluated at two values of K sees the
same binarised images: ``--compare-k 5000 --stop 1000`` shows how the estimate moves with K.

Run (two processes, one thread each)::

    python benchmarks/vae_nll_chunks.py --checkpoint RUN --k 1000 --part 0/2 --out NLL &
    python benchmarks/vae_nll_chunks.py --checkpoint RUN --k 1000 --part 1/2 --out NLL &
    python benchmarks/vae_nll_chunks.py --checkpoint RUN --k 1000 --merge --out NLL
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def chunk_path(out: Path, k: int, start: int, stop: int) -> Path:
    return out / f"nll_k{k}_{start:05d}-{stop:05d}.json"


def merge(results: list[dict]) -> dict:
    """One estimate from chunk results (each with ``nll``, ``se``, ``mc_se``, ``n``).

    With chunk means :math:`m_c`, sizes :math:`n_c` and standard errors :math:`s_c`
    (sample standard deviation over :math:`\\sqrt{n_c}`), the pooled sum of squares is
    :math:`\\sum_c (n_c - 1) n_c s_c^2 + n_c (m_c - m)^2`.
    """
    n = sum(r["n"] for r in results)
    mean = sum(r["n"] * r["nll"] for r in results) / n
    squares = sum((r["n"] - 1) * r["n"] * r["se"] ** 2 + r["n"] * (r["nll"] - mean) ** 2
                  for r in results)
    se = math.sqrt(squares / (n - 1) / n) if n > 1 else float("nan")
    mc_se = math.sqrt(sum((r["mc_se"] * r["n"]) ** 2 for r in results)) / n
    return {"nll": mean, "se_over_images": se, "mc_se": mc_se, "n_images": n,
            "chunks": len(results)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkpoint", required=True, help="run folder or checkpoint.pt")
    parser.add_argument("--out", required=True, help="folder of the chunk files")
    parser.add_argument("--k", type=int, default=1000, help="importance samples per image")
    parser.add_argument("--chunk", type=int, default=250, help="images per chunk file")
    parser.add_argument("--stop", type=int, default=None,
                        help="use the first STOP test images (default all)")
    parser.add_argument("--part", default="0/1", help="i/n: this process takes chunks c with "
                                                      "c %% n == i (default 0/1)")
    parser.add_argument("--merge", action="store_true",
                        help="merge the chunk files of --k and print the estimate")
    parser.add_argument("--partial", action="store_true",
                        help="with --merge: merge the chunks evaluated so far (their image "
                             "ranges are listed), not only a complete set")
    args = parser.parse_args(argv)
    try:
        part, parts = (int(v) for v in args.part.split("/"))
        if not 0 <= part < parts:
            raise ValueError
    except ValueError:
        parser.error(f"--part must be i/n with 0 <= i < n; got {args.part!r}")
    if args.k < 1 or args.chunk < 1:
        parser.error("--k and --chunk must be >= 1")

    import torch

    from gantheory.images import commands
    from gantheory.images import data as data_module
    from gantheory.images.evaluation import vae_nll
    from gantheory.provenance import provenance

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model, state = commands.load_run(args.checkpoint)
    cfg = model.config
    folder = Path(args.checkpoint)
    folder = folder if folder.is_dir() else folder.parent
    dataset = json.loads((folder / "run.json").read_text())["config"]["dataset"]
    test = data_module.load_dataset(dataset, image_size=cfg.image_size, train=False,
                                    seed=cfg.seed + 1)
    stop = len(test) if args.stop is None else min(args.stop, len(test))
    bounds = [(s, min(s + args.chunk, stop)) for s in range(0, stop, args.chunk)]
    if args.merge:
        files = [chunk_path(out, args.k, a, b) for a, b in bounds]
        missing = [f.name for f in files if not f.exists()]
        if missing and not args.partial:
            print(f"{len(missing)} of {len(files)} chunks missing, e.g. {missing[0]}")
            return 1
        records = [json.loads(f.read_text()) for f in files if f.exists()]
        if not records:
            print("no chunk evaluated yet")
            return 1
        merged = merge(records)
        merged.update(k=args.k, step=int(state.get("step", -1)),
                      ranges=[[r["start"], r["stop"]] for r in records],
                      **provenance("cpu", checkpoint=str(args.checkpoint)))
        print(json.dumps(merged, indent=2))
        name = f"nll_k{args.k}_first{stop}" + ("_partial" if missing else "") + ".json"
        (out / name).write_text(json.dumps(merged, indent=2))
        return 0
    vae = model.networks["vae"]
    for c, (a, b) in enumerate(bounds):
        path = chunk_path(out, args.k, a, b)
        if c % parts != part or path.exists():
            continue
        images = (data_module.as_float(test.subset(slice(a, b)).images) + 1.0) / 2.0
        start = time.perf_counter()
        r = vae_nll(vae, images, k=args.k, seed=c)
        seconds = time.perf_counter() - start
        record = {"start": a, "stop": b, "n": r.n_images, "k": r.k, "nll": r.nll,
                  "se": r.se, "mc_se": r.mc_se, "seed": c, "seconds": seconds,
                  "threads": torch.get_num_threads()}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record))
        tmp.replace(path)
        print(f"chunk {a}-{b}: NLL {r.nll:.3f} ± {r.se:.3f} (mc {r.mc_se:.4f}), "
              f"{seconds:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
