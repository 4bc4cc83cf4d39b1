"""gantheory train | sample | eval on the built-in data set, and their one-line errors."""

import json

import matplotlib.image
import pytest
import torch

from gantheory import cli
from gantheory.errors import UsageError
from gantheory.images import checkpoint as ckpt
from gantheory.images import commands
from gantheory.images.commands import corner_interpolation

TINY = ["--steps", "2", "--width", "4", "--batch-size", "8", "--n-images", "64",
        "--sample-every", "1", "--checkpoint-every", "1", "--latent-dim", "4", "--quiet"]


def raises_usage_error(argv):
    """True if the command fails with a UsageError (what the CLI reports with status 2)."""
    try:
        args = cli._build_parser().parse_args(argv)
        args.run(args)
    except UsageError:
        return True
    return False


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    for model in ("cgan", "vae"):
        assert cli.main(["train", model, "--out", str(root / model), *TINY]) == 0
    return root


def test_train_writes_a_run_folder(runs):
    run = runs / "cgan"
    assert {p.name for p in run.iterdir()} >= {"checkpoint.pt", "losses.csv", "losses.png",
                                                "run.json", "samples"}
    record = json.loads((run / "run.json").read_text())
    assert record["config"]["model"] == "cgan" and record["n_images"] == 64
    assert ckpt.load(run / "checkpoint.pt")["step"] == 2


def test_resume_continues_to_more_steps(runs, tmp_path):
    out = tmp_path / "dcgan"
    assert cli.main(["train", "dcgan", "--out", str(out), *TINY]) == 0
    assert cli.main(["train", "dcgan", "--out", str(out), "--resume", "--steps", "3",
                     "--quiet", "--n-images", "64"]) == 0
    assert ckpt.load(out / "checkpoint.pt")["step"] == 3
    assert (out / "run-resumed.json").exists()


@pytest.mark.parametrize(("model", "kind", "shape", "labelled"), [
    ("cgan", "classes", (12 * 34 + 2, 10 * 34 + 2), True),  # 12 classes x 10 latents, 2-px pad
    ("cgan", "random", (2 * 34 + 2, 8 * 34 + 2), False),
    ("vae", "interpolate", (8 * 34 + 2, 8 * 34 + 2), False),
    ("vae", "reconstructions", (2 * 34 + 2, 8 * 34 + 2), True),  # 8 test images, 8 copies
])
def test_sample_grids(runs, tmp_path, model, kind, shape, labelled):
    out = tmp_path / "grid.png"
    assert cli.main(["sample", "--checkpoint", str(runs / model), "--kind", kind, "--n", "16",
                     "--out", str(out)]) == 0
    image = matplotlib.image.imread(out)
    if not labelled:
        assert image.shape[:2] == shape
        return
    # the grid on the right, each row's label (dark text) in a margin on its left
    assert image.shape[0] == shape[0] and image.shape[1] > shape[1] + 40
    margin = image[:, : image.shape[1] - shape[1], :3]
    assert (margin.mean(axis=2) < 0.5).sum() > 50
    rows = shape[0] // 34
    for row in range(rows):  # every row has a label
        assert (margin[2 + 34 * row: 2 + 34 * (row + 1)].mean(axis=2) < 0.5).any()


def test_corner_interpolation_is_bilinear():
    corners = torch.randn(4, 3, dtype=torch.float64)
    grid = corner_interpolation(corners, n=8).reshape(8, 8, 3)
    torch.testing.assert_close(grid[0, 0], corners[0])
    torch.testing.assert_close(grid[0, 7], corners[1])
    torch.testing.assert_close(grid[7, 0], corners[2])
    torch.testing.assert_close(grid[7, 7], corners[3])
    torch.testing.assert_close(grid[0, 1] - grid[0, 0], grid[0, 6] - grid[0, 5])  # linear rows


def test_eval_of_a_gan_and_a_vae(runs, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GANTHEORY_CACHE", str(tmp_path / "cache"))
    assert cli.main(["eval", "--checkpoint", str(runs / "cgan"), "--samples", "120",
                     "--test-images", "120", "--classifier-steps", "5", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n_modes"] == 12 and 1 <= result["modes"] <= 12
    assert 0.0 <= result["kl_to_uniform"] <= float(torch.log(torch.tensor(12.0))) + 1e-9
    assert 0.0 <= result["label_accuracy"] <= 1.0 and result["frechet_distance_classifier"] > 0
    assert 0.0 <= result["classifier_accuracy_held_out"] <= 1.0
    assert (runs / "cgan" / "eval.json").exists()
    assert (tmp_path / "cache" / "classifiers").is_dir()  # the classifier is cached
    assert cli.main(["eval", "--checkpoint", str(runs / "vae"), "--k", "4",
                     "--test-images", "8", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    # 3 x 32 x 32 binary pixels: a finite positive NLL below the uniform model's log 2 each
    assert 0.0 < result["test_nll"] < 3 * 32 * 32 * float(torch.log(torch.tensor(2.0))) * 2
    assert result["k"] == 4 and result["n_test"] == 8


def test_eval_of_the_trained_weights_of_an_ema_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GANTHEORY_CACHE", str(tmp_path / "cache"))
    run = tmp_path / "dcgan-ema"
    assert cli.main(["train", "dcgan", "--out", str(run), "--ema", "0.5", *TINY]) == 0
    capsys.readouterr()
    state = ckpt.load(run / "checkpoint.pt")
    ema, trained = state["ema"], state["models"]["generator"]
    assert any(not torch.equal(ema[k], trained[k]) for k in trained)  # two different networks
    results = {}
    for flags in ([], ["--no-ema"]):
        assert cli.main(["eval", "--checkpoint", str(run), "--samples", "60",
                         "--test-images", "60", "--classifier-steps", "3", "--json",
                         "--quiet", *flags]) == 0
        results[tuple(flags)] = json.loads(capsys.readouterr().out)
    assert results[()]["weights"] == "ema" and results[("--no-ema",)]["weights"] == "trained"
    fd = [r["frechet_distance_classifier"] for r in results.values()]
    assert fd[0] != fd[1]  # the same latents through the two generators
    # the model that load_run builds holds the weights asked for
    for ema_wanted, expected in ((True, ema), (False, trained)):
        model, _ = commands.load_run(run, ema=ema_wanted)
        got = model.networks["generator"].state_dict()
        assert all(torch.equal(got[k], expected[k]) for k in expected)


@pytest.mark.parametrize(("argv", "message"), [
    (["train", "stylegan"], "invalid choice: 'stylegan'"),
    (["train", "dcgan", "--steps", "0"], "must be >= 1"),
    (["train", "dcgan", "--lr-g", "-1"], "must be a positive number"),
    (["train", "dcgan", "--dataset", "imagenet"], "name must be one of"),
    (["train", "dcgan", "--dataset", "folder:/no/such/folder"], "is not a folder"),
    (["train", "dcgan", "--dataset", "mnist-npz:/no/such.npz"], "no/such.npz"),
    (["train", "vae", "--latent-dim", "300", "--steps", "1"], "--latent-dim must be"),
    (["sample", "--checkpoint", "/no/such/run"], "no checkpoint at"),
    (["sample", "--checkpoint", "CORRUPT"], "is not a readable checkpoint"),
    (["eval", "--checkpoint", "/no/such/run"], "no checkpoint at"),
    (["train", "dcgan", "--device", "cuda:7"], "cuda:7"),
    (["train", "dcgan", "--likelihood", "gaussian"], "--likelihood does not apply to model "
                                                     "'dcgan'"),
    (["train", "vae", "--d-steps", "2"], "--d-steps does not apply to model 'vae'"),
    (["train", "vaegan", "--penalty-weight", "1"], "--penalty-weight does not apply"),
    (["train", "wgan-gp", "--penalty-weight", "-1", "--steps", "1"],
     "--penalty-weight: must be a finite number >= 0"),
])
def test_bad_input_is_one_line_and_status_2(argv, message, tmp_path, capsys):
    corrupt = tmp_path / "corrupt.pt"
    corrupt.write_bytes(b"not a checkpoint")
    argv = [str(corrupt) if a == "CORRUPT" else a for a in argv]
    if argv[0] == "train":
        argv += ["--out", str(tmp_path / "run")]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert raises_usage_error(argv)  # not a plain ValueError, TypeError or OSError


@pytest.mark.parametrize(("model", "kind", "message"), [
    ("vae", "classes", "kind 'classes' needs a conditional model; this run is 'vae'"),
    ("cgan", "reconstructions", "kind 'reconstructions' needs a model with an encoder"),
])
def test_a_kind_the_model_cannot_draw_is_a_usage_error(runs, tmp_path, model, kind, message,
                                                       capsys):
    argv = ["sample", "--checkpoint", str(runs / model), "--kind", kind,
            "--out", str(tmp_path / "grid.png")]
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err
    assert raises_usage_error(argv)


def test_an_existing_run_is_not_overwritten(runs, capsys):
    before = (runs / "cgan" / "checkpoint.pt").read_bytes()
    argv = ["train", "cgan", "--out", str(runs / "cgan"), *TINY]
    assert cli.main(argv) == 2
    assert "already holds a run" in capsys.readouterr().err
    assert raises_usage_error(argv)
    assert (runs / "cgan" / "checkpoint.pt").read_bytes() == before


def test_resume_takes_no_other_setting(runs, capsys):
    argv = ["train", "cgan", "--out", str(runs / "cgan"), "--resume", "--lr-g", "0.1"]
    assert cli.main(argv) == 2
    assert ("--lr-g 0.1 contradicts the saved run's --lr-g 0.0002"
            in capsys.readouterr().err)
    assert raises_usage_error(argv)


def test_an_unreadable_image_is_one_line(tmp_path, capsys):
    folder = tmp_path / "images" / "a"
    folder.mkdir(parents=True)
    (folder / "broken.png").write_bytes(b"not a png")
    argv = ["train", "dcgan", "--dataset", f"folder:{tmp_path / 'images'}",
            "--out", str(tmp_path / "run"), *TINY]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "broken.png" in err and err.count("\n") == 1
    assert raises_usage_error(argv)


def test_a_diverged_run_is_reported_in_one_line_with_status_1(monkeypatch, tmp_path, capsys):
    from gantheory.images import commands
    from gantheory.images.trainer import TrainingDiverged

    def diverge(*args, **kwargs):
        raise TrainingDiverged("d_loss = nan at step 4 (...); the last good checkpoint is kept")

    monkeypatch.setattr(commands, "train", diverge)
    assert cli.main(["train", "dcgan", "--out", str(tmp_path / "run")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("gantheory: training diverged: d_loss = nan") and err.count("\n") == 1


# The fields of the former TrainConfig, which every checkpoint held before each model had its own.
OLD_TRAIN_CONFIG_FIELDS = {
    "model", "dataset", "image_size", "latent_dim", "width", "likelihood", "batch_size", "steps",
    "lr_g", "lr_d", "betas", "d_steps", "gp_weight", "beta", "binarize", "ema", "sample_every",
    "checkpoint_every", "seed", "bf16", "channels_last", "compile", "max_loss"}


def test_a_vae_checkpoint_of_the_former_train_config_samples_evaluates_and_resumes(
        runs, tmp_path, capsys):
    run = tmp_path / "old-vae"
    run.mkdir()
    state = ckpt.load(runs / "vae" / "checkpoint.pt")
    state["config"] = {**{k: v for k, v in state.pop("config").items()  # recorded since
                          if k not in ("n_images", "data_root")},
                       "lr_d": 2e-4, "d_steps": 0, "gp_weight": 10.0,
                       "ema": None}  # what TrainConfig.as_dict() wrote for a VAE
    assert set(state["config"]) == OLD_TRAIN_CONFIG_FIELDS
    del state["format"]
    ckpt.save(state, run / "checkpoint.pt")
    assert cli.main(["sample", "--checkpoint", str(run), "--kind", "reconstructions",
                     "--out", str(tmp_path / "grid.png")]) == 0
    assert cli.main(["eval", "--checkpoint", str(run), "--k", "2", "--test-images", "4",
                     "--json"]) == 0
    out = capsys.readouterr().out
    result = json.loads(out[out.index("{"):])
    assert result["model"] == "vae" and result["n_test"] == 4 and result["test_nll"] > 0
    assert cli.main(["train", "vae", "--out", str(run), "--resume", "--steps", "3",
                     "--n-images", "64", "--quiet"]) == 0
    resumed = ckpt.load(run / "checkpoint.pt")
    assert resumed["step"] == 3 and resumed["config"]["model"] == "vae"
    assert resumed["config"]["n_images"] == 64  # not recorded before: the flag is taken
    assert not {"gp_weight", "d_steps", "lr_d", "ema"} & set(resumed["config"])
