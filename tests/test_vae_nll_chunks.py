"""benchmarks/vae_nll_chunks.py: the full-test-set NLL in resumable chunks, merged exactly."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from gantheory import cli
from gantheory.images import commands
from gantheory.images import data as data_module
from gantheory.images.evaluation import vae_nll
from gantheory.stats import mean_and_standard_error

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("vae_nll_chunks",
                                              ROOT / "benchmarks" / "vae_nll_chunks.py")
chunks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(chunks)


def test_merging_chunk_summaries_equals_the_summary_of_all_values():
    rng = np.random.default_rng(0)
    values = rng.gamma(3.0, 10.0, size=103)
    mc = rng.uniform(0.01, 0.1, size=103)  # per-image Monte Carlo variances
    parts = np.split(values, [10, 50, 51]), np.split(mc, [10, 50, 51])
    results = []
    for v, m in zip(*parts, strict=True):
        mean, se = mean_and_standard_error(v) if len(v) > 1 else (v[0], 0.0)
        results.append({"nll": float(mean), "se": float(se), "n": len(v),
                        "mc_se": float(np.sqrt(m.sum()) / len(v))})
    merged = chunks.merge(results)
    mean, se = mean_and_standard_error(values)
    assert merged["n_images"] == 103
    assert merged["nll"] == pytest.approx(mean, rel=1e-14)
    assert merged["se_over_images"] == pytest.approx(se, rel=1e-12)
    assert merged["mc_se"] == pytest.approx(np.sqrt(mc.sum()) / 103, rel=1e-12)


def test_two_parts_then_merge_on_a_tiny_run(tmp_path, capsys):
    run = tmp_path / "run"
    assert cli.main(["train", "vae", "--out", str(run), "--steps", "2", "--n-images", "64",
                     "--width", "8", "--latent-dim", "2", "--batch-size", "8", "--quiet"]) == 0
    out = tmp_path / "nll"
    common = ["--checkpoint", str(run), "--k", "3", "--chunk", "4", "--stop", "10",
              "--out", str(out)]
    assert chunks.main([*common, "--merge"]) == 1  # nothing evaluated yet
    assert chunks.main([*common, "--part", "0/2"]) == 0
    assert chunks.main([*common, "--merge"]) == 1  # chunk 1 is missing
    capsys.readouterr()
    assert chunks.main([*common, "--merge", "--partial"]) == 0
    partial = json.loads(capsys.readouterr().out)
    assert partial["ranges"] == [[0, 4], [8, 10]] and partial["n_images"] == 6
    assert (out / "nll_k3_first10_partial.json").exists()
    assert chunks.main([*common, "--part", "1/2"]) == 0
    files = sorted(out.glob("nll_k3_*-*.json"))
    assert [f.name for f in files] == ["nll_k3_00000-00004.json", "nll_k3_00004-00008.json",
                                       "nll_k3_00008-00010.json"]
    capsys.readouterr()
    assert chunks.main([*common, "--merge"]) == 0
    merged = json.loads(capsys.readouterr().out)
    records = [json.loads(f.read_text()) for f in files]
    assert merged["n_images"] == 10
    assert merged["nll"] == pytest.approx(sum(r["n"] * r["nll"] for r in records) / 10)
    # chunk 1 is vae_nll of images 4..7 with seed 1, as the docstring says
    model, _ = commands.load_run(run)
    test = data_module.load_dataset("shapes", image_size=model.config.image_size, train=False,
                                    seed=model.config.seed + 1)
    images = (data_module.as_float(test.subset(slice(4, 8)).images) + 1.0) / 2.0
    direct = vae_nll(model.networks["vae"], images, k=3, seed=1)
    assert records[1]["nll"] == pytest.approx(direct.nll, rel=1e-6)
