"""The image commands with bad input and long runs: one line and the right status, and a run
that resumes exactly what was interrupted (issue "Every bad input a clear line, every long run
honest")."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import torch

from gantheory import cli
from gantheory.atomic import remove_stale_temporaries
from gantheory.images import checkpoint as ckpt
from gantheory.images import commands, metrics
from gantheory.images.evaluation import vae_nll

SMALL = ["--width", "4", "--batch-size", "8", "--latent-dim", "4", "--quiet"]
TINY = [*SMALL, "--n-images", "64", "--sample-every", "1", "--checkpoint-every", "1"]


def one_line(capsys, status, argv, *parts):
    """Run ``argv``; it must exit with ``status`` and print one line holding every part."""
    assert cli.main(argv) == status
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for part in parts:
        assert part in err, err
    return err


def all_tensors(state):
    """Every tensor of a checkpoint's networks, optimisers, EMA and random stream, by path."""
    out = {}

    def walk(prefix, value):
        if isinstance(value, torch.Tensor):
            out[prefix] = value
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}/{k}", v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(f"{prefix}/{i}", v)

    for key in ("models", "opt_g", "opt_d", "ema", "rng"):
        if key in state:
            walk(key, state[key])
    return out


def assert_identical(a, b):
    ta, tb = all_tensors(a), all_tensors(b)
    assert ta.keys() == tb.keys() and len(ta) > 30
    different = [k for k in ta if not torch.equal(ta[k], tb[k])]
    assert not different, f"{len(different)} of {len(ta)} tensors differ: {different[:5]}"


@pytest.fixture(scope="module")
def dcgan_run(tmp_path_factory):
    run = tmp_path_factory.mktemp("runs") / "dcgan"
    assert cli.main(["train", "dcgan", "--out", str(run), "--steps", "2", *TINY]) == 0
    return run


# -- resume ---------------------------------------------------------------------------------------
def test_resume_needs_no_repeated_flag_and_is_bit_identical(tmp_path):
    whole, parts = tmp_path / "whole", tmp_path / "parts"
    assert cli.main(["train", "dcgan", "--out", str(whole), "--steps", "4", *TINY]) == 0
    assert cli.main(["train", "dcgan", "--out", str(parts), "--steps", "2", *TINY]) == 0
    assert cli.main(["train", "dcgan", "--out", str(parts), "--resume", "--steps", "4",
                     "--quiet"]) == 0
    a, b = ckpt.load(whole / "checkpoint.pt"), ckpt.load(parts / "checkpoint.pt")
    assert b["step"] == 4 and b["config"]["n_images"] == 64
    assert json.loads((parts / "run-resumed.json").read_text())["n_images"] == 64
    assert_identical(a, b)


def test_a_contradicting_resume_flag_names_both_values(dcgan_run, capsys):
    before = (dcgan_run / "checkpoint.pt").read_bytes()
    base = ["train", "dcgan", "--out", str(dcgan_run), "--resume", "--steps", "5", "--quiet"]
    one_line(capsys, 2, [*base, "--n-images", "100"],
             "--n-images 100 contradicts the saved run's --n-images 64")
    one_line(capsys, 2, [*base, "--dataset", "mnist"],
             "--dataset mnist contradicts the saved run's --dataset shapes")
    one_line(capsys, 2, [*base, "--seed", "3"], "--seed 3 contradicts the saved run's --seed 0")
    one_line(capsys, 2, [*base, "--width", "8"], "--width 8 contradicts the saved run's --width 4")
    assert (dcgan_run / "checkpoint.pt").read_bytes() == before


@pytest.mark.parametrize(("steps", "message"), [
    (["--steps", "1"], "--steps 1 must be above the run's step 2"),
    (["--steps", "2"], "--steps 2 must be above the run's step 2"),
    ([], "the run's --steps 2 must be above the run's step 2"),
])
def test_resume_steps_must_be_above_the_saved_step(dcgan_run, capsys, steps, message):
    one_line(capsys, 2, ["train", "dcgan", "--out", str(dcgan_run), "--resume", *steps],
             message)
    assert ckpt.load(dcgan_run / "checkpoint.pt")["step"] == 2


def test_resume_of_another_model_is_refused(dcgan_run, capsys):
    one_line(capsys, 2, ["train", "vae", "--out", str(dcgan_run), "--resume", "--steps", "9"],
             "holds a 'dcgan' run, not 'vae'")
    assert ckpt.load(dcgan_run / "checkpoint.pt")["step"] == 2


def _broken_copy(dcgan_run, tmp_path, change):
    run = tmp_path / "broken"
    run.mkdir()
    state = ckpt.load(dcgan_run / "checkpoint.pt")
    change(state)
    del state["format"]
    ckpt.save(state, run / "checkpoint.pt")
    return run


@pytest.mark.parametrize(("change", "message"), [
    (lambda s: s["config"].update(width=8), "size mismatch for"),
    (lambda s: s.pop("rng"), "it lacks the entry 'rng'"),
    (lambda s: s["models"].pop("generator"), "it lacks the entry 'generator'"),
    (lambda s: s.pop("data_shape"), "it lacks the entry 'data_shape'"),
])
def test_a_checkpoint_that_does_not_fit_is_one_line_everywhere(dcgan_run, tmp_path, capsys,
                                                               change, message):
    run = _broken_copy(dcgan_run, tmp_path, change)
    one_line(capsys, 2, ["train", "dcgan", "--out", str(run), "--resume", "--steps", "5"],
             message)
    if message != "it lacks the entry 'rng'":  # sample and eval need no random stream
        one_line(capsys, 2, ["sample", "--checkpoint", str(run), "--out",
                             str(tmp_path / "x.png")], message)
        one_line(capsys, 2, ["eval", "--checkpoint", str(run), "--quiet"], message)
    assert ckpt.load(run / "checkpoint.pt")["step"] == 2


def test_interrupted_writes_leave_no_temporary_files(dcgan_run, tmp_path):
    path = tmp_path / "checkpoint.pt"
    for i in range(3):  # what a kill during torch.save leaves
        (tmp_path / f"checkpoint.pt.abc{i}.tmp").write_bytes(b"half a checkpoint")
    ckpt.save({"step": 1}, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint.pt"]
    run = tmp_path / "run"
    run.mkdir()
    (run / "checkpoint.pt.xyz.tmp").write_bytes(b"half")
    (run / "other.tmp").write_bytes(b"not ours")
    remove_stale_temporaries(run / "checkpoint.pt")
    assert sorted(p.name for p in run.iterdir()) == ["other.tmp"]
    # and on start: a resumed run cleans its folder before its first write
    (dcgan_run / "checkpoint.pt.orphan.tmp").write_bytes(b"half")
    assert cli.main(["train", "dcgan", "--out", str(dcgan_run), "--resume", "--steps", "3",
                     "--quiet"]) == 0
    assert not list(dcgan_run.glob("*.tmp"))


KILL_FLAGS = ["--width", "4", "--batch-size", "8", "--latent-dim", "4", "--n-images", "64",
              "--checkpoint-every", "1", "--sample-every", "1000", "--steps", "40", "--quiet"]


def test_a_run_killed_with_sigkill_resumes_bit_identically(tmp_path):
    """A real ``gantheory train`` process, killed with SIGKILL once it has checkpointed,
    resumed with no flag repeated, equals an uninterrupted run tensor for tensor (CPU)."""
    env = {**os.environ, "OMP_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")])}
    killed = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-m", "gantheory", "train", "dcgan", "--out",
                             str(killed), *KILL_FLAGS], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while not (killed / "checkpoint.pt").exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(60) == -signal.SIGKILL
    at_kill = ckpt.load(killed / "checkpoint.pt")["step"]
    assert 1 <= at_kill < 40  # killed mid-run
    done = subprocess.run([sys.executable, "-m", "gantheory", "train", "dcgan", "--out",
                           str(killed), "--resume"], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    assert not list(killed.glob("*.tmp"))
    # the uninterrupted run in a process like the others: same thread count (CPU kernels sum
    # in a thread-count-dependent order, so bit-identity holds between runs of one setting)
    whole = tmp_path / "whole"
    straight = subprocess.run([sys.executable, "-m", "gantheory", "train", "dcgan", "--out",
                               str(whole), *KILL_FLAGS], env=env, capture_output=True,
                              text=True, timeout=600)
    assert straight.returncode == 0, straight.stderr
    a, b = ckpt.load(whole / "checkpoint.pt"), ckpt.load(killed / "checkpoint.pt")
    assert a["step"] == b["step"] == 40
    assert_identical(a, b)


# -- train -----------------------------------------------------------------------------------------
def test_divergence_says_what_is_on_disk_and_what_to_lower(tmp_path, capsys):
    err = one_line(capsys, 1, ["train", "dcgan", "--out", str(tmp_path / "d"), "--steps", "20",
                               "--lr-g", "1e10", "--lr-d", "1e10", "--checkpoint-every", "20",
                               *SMALL, "--n-images", "32"],
                   "training diverged", "No checkpoint was written",
                   "try a lower --lr-g (now 1e+10) or --lr-d (now 1e+10)")
    assert "is kept" not in err and not (tmp_path / "d" / "checkpoint.pt").exists()
    # with a checkpoint on disk the message names it and its step
    # (tests/test_images_trainer.py::test_a_nan_stops_the_run_and_keeps_the_last_good_checkpoint)


def test_a_diverging_vae_is_status_1_with_advice_the_command_line_can_follow(tmp_path, capsys):
    err = one_line(capsys, 1, ["train", "vae", "--out", str(tmp_path / "v"), "--steps", "20",
                               "--lr-g", "1e6", *SMALL, "--n-images", "32"],
                   "training diverged", "try a lower --lr-g (now 1e+06)")
    assert "max_logvar" not in err


def test_a_batch_larger_than_the_data_set_is_refused(tmp_path, capsys):
    one_line(capsys, 2, ["train", "dcgan", "--out", str(tmp_path / "r"), "--batch-size",
                         "100000", "--n-images", "100"],
             "--batch-size 100000 is larger than the data set (100 images")
    assert not (tmp_path / "r").exists()


def test_a_run_that_cannot_fit_in_memory_is_refused_with_the_estimate(tmp_path, capsys,
                                                                      monkeypatch):
    monkeypatch.setattr(commands, "free_memory", lambda device: 2**20)  # 1 MiB free
    one_line(capsys, 2, ["train", "dcgan", "--out", str(tmp_path / "r"), "--steps", "2",
                         *TINY], "the run needs about", "0.0 GiB is free; lower --batch-size")
    assert not (tmp_path / "r" / "checkpoint.pt").exists()


def test_the_memory_estimate_grows_with_the_batch_and_leaves_batch_norm_alone():
    from gantheory.images.data import shapes
    from gantheory.images.models.base import create

    data = shapes(64)
    small = create("dcgan", batch_size=8, width=4).build(data)
    running = [b.clone() for b in small.networks["generator"].buffers()]
    a = commands.estimate_memory(small, data)
    b = commands.estimate_memory(create("dcgan", batch_size=64, width=4).build(data), data)
    assert 0 < a < b and data.images.numel() < a
    assert all(torch.equal(x, y) for x, y in zip(running, small.networks["generator"].buffers(),
                                                 strict=True))
    assert commands.free_memory("cpu") > 0


@pytest.mark.parametrize(("argv", "message"), [
    (["train", "dcgan", "--d-steps", "0"], "argument --d-steps: must be >= 1; got 0"),
    (["train", "wgan-gp", "--d-steps", "-2"], "argument --d-steps: must be >= 1"),
    (["train", "vae", "--d-steps", "2"], "--d-steps does not apply to model 'vae'"),
    (["train", "dcgan", "--ema", "1.5"], "argument --ema: must lie strictly between 0 and 1"),
    (["train", "dcgan", "--out", ""], "--out must name a folder; got an empty string"),
    (["train", "vae", "--latent-dim", "300"], "--latent-dim must be an integer in [2, 256]"),
])
def test_flag_errors_name_the_flag_before_torch_is_imported(argv, message, tmp_path):
    """Each bad flag is refused in a fresh process, by its flag's name; the argparse-checked
    ones before torch is imported."""
    if "--out" not in argv:
        argv = [*argv, "--out", str(tmp_path / "r")]
    code = ("import sys\nfrom gantheory import cli\nrc = cli.main(sys.argv[1:])\n"
            "print('torch' in sys.modules)\nsys.exit(rc)\n")
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert message in done.stderr and "_" not in done.stderr.split(":")[2].split()[0]
    if "argument" in message or "--out" in message:
        assert done.stdout.strip() == "False"  # refused before torch was imported


def test_mnist_npz_pointing_at_a_text_file_says_what_it_needs(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("not an archive\n")
    err = one_line(capsys, 2, ["train", "dcgan", "--dataset", f"mnist-npz:{text}", "--out",
                               str(tmp_path / "r")],
                   "is not an .npz file with the arrays x_train, y_train")
    assert "pickle" not in err


def test_losses_png_has_one_panel_per_term(tmp_path, monkeypatch):
    from gantheory import plotting

    shown = []
    monkeypatch.setattr(plotting, "save", lambda fig, path: shown.append(fig))
    assert cli.main(["train", "wgan-gp", "--out", str(tmp_path / "w"), "--steps", "2",
                     *TINY]) == 0
    panels = [ax.get_ylabel() for ax in shown[-1].axes]
    assert panels == ["gp", "d_loss", "g_loss"]


# -- sample ----------------------------------------------------------------------------------------
def test_sample_names_by_kind_and_refuses_to_overwrite(dcgan_run, tmp_path, capsys,
                                                       monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["sample", "--checkpoint", str(dcgan_run)]) == 0
    assert cli.main(["sample", "--checkpoint", str(dcgan_run), "--kind", "interpolate"]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["samples-interpolate.png",
                                                              "samples-random.png"]
    before = (tmp_path / "samples-random.png").read_bytes()
    one_line(capsys, 2, ["sample", "--checkpoint", str(dcgan_run), "--seed", "5"],
             "--out 'samples-random.png' exists; pass --overwrite")
    assert (tmp_path / "samples-random.png").read_bytes() == before
    assert cli.main(["sample", "--checkpoint", str(dcgan_run), "--seed", "5",
                     "--overwrite"]) == 0
    assert (tmp_path / "samples-random.png").read_bytes() != before


@pytest.mark.parametrize(("out", "message"), [
    ("/dev/null/x.png", "--out '/dev/null/x.png': '/dev/null' is not a folder"),
    ("FOLDER", "is a folder; name a .png file in it"),
    ("grid.jpg", "--out 'grid.jpg' must end in .png"),
    ("", "--out must name a .png file; got an empty string"),
])
def test_sample_out_errors_name_the_flag(dcgan_run, tmp_path, capsys, out, message):
    out = str(tmp_path) if out == "FOLDER" else out
    one_line(capsys, 2, ["sample", "--checkpoint", str(dcgan_run), "--out", out], message)


# -- eval ------------------------------------------------------------------------------------------
def test_eval_refuses_a_data_set_of_another_shape_before_any_work(dcgan_run, tmp_path, capsys,
                                                                  monkeypatch):
    x = np.zeros((20, 28, 28), np.uint8)
    np.savez(tmp_path / "mnist.npz", x_train=x, y_train=np.arange(20) % 10, x_test=x,
             y_test=np.arange(20) % 10)

    def no_work(*args, **kwargs):
        raise AssertionError("eval started working")

    monkeypatch.setattr(metrics, "train_classifier", no_work)
    monkeypatch.setattr(commands.ImageModel, "evaluate", no_work, raising=False)
    one_line(capsys, 2, ["eval", "--checkpoint", str(dcgan_run), "--dataset",
                         f"mnist-npz:{tmp_path / 'mnist.npz'}", "--quiet"],
             "has 1x32x32 images but the run was trained on 3x32x32 images ('shapes')")


def test_eval_shows_progress_unless_quiet_and_keys_the_classifier_by_its_settings(
        dcgan_run, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GANTHEORY_CACHE", str(tmp_path / "cache"))
    base = ["eval", "--checkpoint", str(dcgan_run), "--samples", "40", "--test-images", "40",
            "--json"]
    assert cli.main([*base, "--classifier-steps", "3"]) == 0
    captured = capsys.readouterr()
    assert "classifier" in captured.err and "generating" in captured.err
    assert json.loads(captured.out)["classifier_steps"] == 3
    assert cli.main([*base, "--classifier-steps", "4", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    result = json.loads(captured.out)
    assert result["classifier_steps"] == 4 and 0 <= result["classifier_accuracy_held_out"] <= 1
    cached = sorted(p.name for p in (tmp_path / "cache" / "classifiers").iterdir())
    assert len(cached) == 2  # a 4-step request did not reuse the 3-step classifier
    assert all("shapes-32px-3ch-data0-steps" in name for name in cached)


def test_the_classifier_cache_key_holds_every_training_setting(tmp_path):
    from gantheory.images.data import shapes

    calls = []

    def data():
        calls.append(1)
        return shapes(64)

    for steps, seed in ((2, 0), (3, 0), (2, 1), (2, 0)):
        metrics.cached_classifier("shapes-test", data, cache_dir=tmp_path, steps=steps,
                                  seed=seed, batch_size=8)
    assert len(calls) == 3  # the last request is the first one's


def test_kid_sd_comes_from_disjoint_subsets_or_is_not_reported():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(1000, 8)), rng.normal(size=(1000, 8)) + 0.1
    mean, sd = metrics.kernel_inception_distance(a, b)  # 2 disjoint halves of 500
    assert sd > 1e-6 and np.isfinite(mean)  # the former 1e-12: ten copies of the whole set
    _, sd_small = metrics.kernel_inception_distance(a[:3], b[:3])
    assert np.isnan(sd_small)
    with pytest.raises(ValueError, match="a and b must be"):
        metrics.kernel_inception_distance(a, b[:, :3])


class _TinyVAE(torch.nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.enc = torch.nn.Linear(6, 4)
        self.dec = torch.nn.Linear(2, 6)

    def encode(self, x):
        h = self.enc(x.reshape(len(x), -1))
        return h[:, :2], h[:, 2:]

    def decode(self, z):
        return self.dec(z).reshape(-1, 1, 2, 3)


def test_vae_nll_separates_the_spread_over_images_from_the_monte_carlo_error():
    vae = _TinyVAE().double()
    images = torch.bernoulli(torch.full((40, 1, 2, 3), 0.5, dtype=torch.float64),
                             generator=torch.Generator().manual_seed(1))
    runs = [vae_nll(vae, images, k=64, binarize=False, seed=s) for s in range(8)]
    spread = np.std([r.nll for r in runs], ddof=1)  # what another K-sample draw changes
    mc = np.mean([r.mc_se for r in runs])
    assert 0.3 * spread < mc < 3 * spread
    assert runs[0].se > 3 * mc  # the images differ far more than the estimates of one image
    more = vae_nll(vae, images, k=1024, binarize=False)
    assert more.mc_se < runs[0].mc_se / 2  # about 1/sqrt(K)


def test_eval_of_a_vae_names_both_uncertainties(tmp_path, capsys):
    run = tmp_path / "vae"
    assert cli.main(["train", "vae", "--out", str(run), "--steps", "2", *TINY]) == 0
    capsys.readouterr()
    assert cli.main(["eval", "--checkpoint", str(run), "--k", "8", "--test-images", "8",
                     "--json", "--quiet"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["test_nll_se_over_images"] > 0 and result["test_nll_mc_se"] > 0
    assert "Monte Carlo" in result["test_nll_errors"] and "test_nll_se" not in result
