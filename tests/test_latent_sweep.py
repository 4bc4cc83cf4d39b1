"""benchmarks/latent_sweep.py: one run per latent size, measured, tabled and pictured."""

import csv
import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("latent_sweep",
                                              ROOT / "benchmarks" / "latent_sweep.py")
sweep = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sweep)

TINY = ["--latents", "3", "5", "--steps", "4", "--batch-size", "8", "--width", "8",
        "--n-test", "64", "--quiet"]


def _rows(out: Path) -> list[dict[str, str]]:
    with (out / "latent_sweep.csv").open() as fh:
        return list(csv.DictReader(fh))


def test_vae_sweep_measures_each_size_and_does_not_retrain(tmp_path):
    out = tmp_path / "vae"
    sweep.main(["--model", "vae", *TINY, "--out", str(out)])
    rows = _rows(out)
    assert [int(r["latent"]) for r in rows] == [3, 5]
    for r in rows:
        assert float(r["neg_elbo"]) == pytest.approx(float(r["kl"]) + float(r["recon"]),
                                                     rel=1e-12)
        assert float(r["kl"]) >= 0.0
        assert 0 <= int(r["active_units"]) <= int(r["latent"])
    for name in ("latent_comparison.png", "latent_sweep.png"):
        assert (out / name).stat().st_size > 10_000
    stamp = (out / "latent-3" / "checkpoint.pt").stat().st_mtime_ns
    sweep.main(["--model", "vae", *TINY, "--out", str(out)])
    assert (out / "latent-3" / "checkpoint.pt").stat().st_mtime_ns == stamp
    assert _rows(out) == rows  # same runs, same fixed test binarisation and noise


def test_gan_sweep_reports_the_eval_metrics(tmp_path):
    out = tmp_path / "gan"
    sweep.main(["--model", "dcgan", *TINY, "--samples", "100", "--classifier-steps", "5",
                "--out", str(out)])
    rows = _rows(out)
    assert [int(r["latent"]) for r in rows] == [3, 5]
    for r in rows:
        assert 1 <= int(r["modes"]) <= int(r["n_modes"])
        assert 0.0 <= float(r["kl_to_uniform"]) <= math.log(int(r["n_modes"])) + 1e-12
        assert math.isfinite(float(r["frechet_distance_classifier"]))
    assert (out / "latent_comparison.png").stat().st_size > 10_000
    assert not (out / "latent_sweep.png").exists()  # the rate-distortion plot is the VAE's


def test_running_mean_averages_whole_windows():
    assert np.array_equal(sweep.running_mean(np.arange(7.0), 3), [1.0, 4.0])
    assert np.array_equal(sweep.running_mean(np.arange(2.0), 3), [0.0, 1.0])


def test_a_size_that_stopped_short_is_resumed_to_the_steps(tmp_path):
    from gantheory.images import checkpoint as ckpt
    from gantheory.images import commands

    out = tmp_path / "vae"
    # what an interrupted sweep leaves: the size's run at step 2 of the 4 asked for
    commands.train("vae", out / "latent-3", steps=2, latent_dim=3, width=8, batch_size=8,
                   image_size=32, sample_every=1, checkpoint_every=1, progress=False)
    sweep.main(["--model", "vae", *TINY[:1], "3", *TINY[3:], "--out", str(out)])
    assert ckpt.load(out / "latent-3" / "checkpoint.pt")["step"] == 4
    assert [int(r["latent"]) for r in _rows(out)] == [3]
