"""The model registry: read without torch, one list for the CLI, and a model added from outside
the package in one class and one registration, then trained, sampled, resumed and evaluated
through the command line."""

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib.image
import pytest
import torch
from torch import nn

from gantheory import cli
from gantheory.errors import UsageError
from gantheory.images import registry
from gantheory.images.data import as_float, load_dataset
from gantheory.images.models.base import ImageConfig, ImageModel


def test_the_train_command_offers_the_registered_models():
    parser = cli._build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices
    model = next(a for a in sub["train"]._actions if a.dest == "model")
    kind = next(a for a in sub["sample"]._actions if a.dest == "kind")
    assert tuple(model.choices) == registry.model_names()
    assert tuple(kind.choices) == registry.SAMPLE_KINDS


def test_every_registered_model_knows_its_name():
    for name in registry.model_names():
        cls = registry.model_class(name)
        assert issubclass(cls, ImageModel) and registry.name_of(cls) == name
        assert cls().name == name


def test_no_model_is_named_outside_the_registry():
    """The trainer, the commands and the models branch on no model name."""
    package = Path(registry.__file__).parent
    pattern = re.compile(r"model ==|\.model in|config\.model")
    hits = [f"{path.relative_to(package)}:{i}" for path in sorted(package.rglob("*.py"))
            for i, line in enumerate(path.read_text().splitlines(), 1)
            if path.name != "registry.py" and pattern.search(line)]
    assert hits == []


def test_register_model_errors(monkeypatch):
    monkeypatch.setattr(registry, "_MODELS", dict(registry._MODELS))
    with pytest.raises(ValueError, match="name 'dcgan' is taken"):
        registry.register_model("dcgan", "somewhere:Else")
    with pytest.raises(ValueError, match="a 'module:Class' path; got 'nowhere'"):
        registry.register_model("new", "nowhere")
    with pytest.raises(TypeError, match="a class or a 'module:Class' path; got int"):
        registry.register_model("new", 3)
    with pytest.raises(TypeError, match="name must be a non-empty string"):
        registry.register_model("", ImageModel)
    with pytest.raises(UsageError, match="model must be one of .*; got 'new'"):
        registry.model_class("new")
    with pytest.raises(LookupError, match="MeanMatching is not a registered image model"):
        registry.name_of(MeanMatching)


# -- a model defined here --------------------------------------------------------------------
@dataclass(frozen=True)
class MeanMatchingConfig(ImageConfig):
    """The settings of :class:`MeanMatching`: the shared ones, a small latent."""

    latent_dim: int = 4


class MeanMatching(ImageModel):
    r"""A linear-tanh generator trained to match the data's mean image,
    :math:`\min_G \frac1D \|\bar G(z) - \bar x\|^2` over each batch."""

    config_class = MeanMatchingConfig
    network_names = ("generator",)

    def make_networks(self, channels, n_classes):
        shape = (channels, self.config.image_size, self.config.image_size)
        return {"generator": nn.Sequential(nn.Linear(self.config.latent_dim, shape[0] * shape[1]
                                                     * shape[2]),
                                           nn.Tanh(), nn.Unflatten(1, shape))}

    def make_optimizers(self, fused):
        return {"opt_g": self._adam("generator", self.config.lr_g, fused)}

    def step(self, context):
        real, _ = context.draw_batch()
        fake = context.forward["generator"](context.draw_latents())
        loss = (fake.mean(0) - real.mean(0)).pow(2).mean()
        self.optimizers["opt_g"].zero_grad(set_to_none=True)
        loss.backward()
        self.optimizers["opt_g"].step()
        return {"mean_error": loss.detach()}

    @torch.no_grad()
    def generate(self, z, labels=None, *, overrides=None):
        return self._network("generator", overrides)(z).float()

    @torch.no_grad()
    def evaluate(self, settings):
        test = load_dataset(settings.dataset, image_size=self.config.image_size, train=False,
                            n=settings.n_test, seed=1)
        z = torch.randn(settings.n_test, self.config.latent_dim,
                        generator=torch.Generator().manual_seed(0))
        error = (self.generate(z).mean(0) - as_float(test.images).mean(0)).pow(2).mean()
        return {"mean_pixel_error": float(error)}


def test_a_model_defined_outside_the_package_runs_through_the_cli(monkeypatch, tmp_path,
                                                                   capsys):
    monkeypatch.setattr(registry, "_MODELS", dict(registry._MODELS))
    registry.register_model("mean-matching", MeanMatching)
    run = tmp_path / "run"
    assert cli.main(["train", "mean-matching", "--out", str(run), "--steps", "30",
                     "--lr-g", "0.05", "--batch-size", "16", "--n-images", "64",
                     "--sample-every", "10", "--checkpoint-every", "10", "--quiet"]) == 0
    with (run / "losses.csv").open() as fh:
        errors = [float(r["mean_error"]) for r in csv.DictReader(fh)]
    assert len(errors) == 30 and errors[-1] < errors[0] / 2  # it learns the mean image
    assert json.loads((run / "run.json").read_text())["config"]["model"] == "mean-matching"
    assert cli.main(["train", "mean-matching", "--out", str(run), "--resume", "--steps", "32",
                     "--n-images", "64", "--quiet"]) == 0
    grid = tmp_path / "grid.png"
    assert cli.main(["sample", "--checkpoint", str(run), "--n", "16", "--out", str(grid)]) == 0
    assert matplotlib.image.imread(grid).shape[:2] == (2 * 34 + 2, 8 * 34 + 2)
    capsys.readouterr()
    assert cli.main(["eval", "--checkpoint", str(run), "--test-images", "50", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["model"] == "mean-matching" and result["step"] == 32
    assert 0.0 <= result["mean_pixel_error"] < 0.1
    assert cli.main(["train", "mean-matching", "--out", str(tmp_path / "other"),
                     "--d-steps", "2"]) == 2
    assert "--d-steps does not apply to model 'mean-matching'" in capsys.readouterr().err
