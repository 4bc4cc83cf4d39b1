"""Every image model of gantheory.images.models: its config, its networks, training on the
built-in data set, exact resume, and checkpoints written before each model had its own config."""

import csv

import pytest
import torch

from gantheory.errors import UsageError
from gantheory.images import checkpoint as ckpt
from gantheory.images.data import shapes
from gantheory.images.models.base import ImageConfig, create, model_from_record
from gantheory.images.models.dcgan import DCGANConfig
from gantheory.images.models.vae import VAEConfig
from gantheory.images.models.vaegan import VAEGANConfig
from gantheory.images.models.wgan_gp import WGANGPConfig
from gantheory.images.registry import model_class, model_names
from gantheory.images.trainer import ImageTrainer

SMALL = dict(image_size=32, latent_dim=8, width=4, batch_size=8, sample_every=2,
             checkpoint_every=2)


@pytest.fixture(scope="module")
def data():
    return shapes(128, image_size=32, seed=0)


@pytest.mark.parametrize(("model", "changes"), [
    ("dcgan", {}), ("cgan", {}), ("wgan-gp", {}), ("vae", {}),
    ("vae", {"likelihood": "gaussian"}), ("vaegan", {}), ("dcgan", {"ema": 0.9}),
])
def test_every_model_trains_on_the_built_in_data(model, changes, data, tmp_path):
    image_model = create(model, steps=2, **SMALL, **changes).build(data)
    nets = image_model.networks
    before = {k: [p.detach().clone() for p in m.parameters() if p.requires_grad]
              for k, m in nets.items()}
    run = ImageTrainer(image_model, data, tmp_path).train(progress=False)
    for key, params in before.items():
        after = [p for p in nets[key].parameters() if p.requires_grad]
        assert all(not torch.equal(p, q) for p, q in zip(params, after, strict=True)), key
    with (tmp_path / "losses.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2 and all(v not in ("nan", "inf") for r in rows for v in r.values())
    images = run.sample()
    assert images.shape == (64, 3, 32, 32) and float(images.abs().max()) <= 1.0


def test_build_checks_the_image_size(data):
    with pytest.raises(UsageError, match="images are 32 pixels but image_size is 64"):
        create("dcgan", image_size=64).build(data)


def test_cgan_needs_labels():
    with pytest.raises(UsageError, match="needs a labelled data set"):
        create("cgan", width=4).build_for(channels=3, n_classes=0)


@pytest.mark.parametrize("model", ["dcgan", "vae"])
def test_resume_with_batchnorm_networks_is_exact(model, data, tmp_path):
    full = ImageTrainer(create(model, steps=4, **SMALL), data, tmp_path / "a")
    full.train(progress=False)
    ImageTrainer(create(model, steps=2, **SMALL), data, tmp_path / "b").train(progress=False)
    state = ckpt.load(tmp_path / "b" / "checkpoint.pt")
    resumed = ImageTrainer.from_state(state, data, tmp_path / "b", steps=4)  # rebuilt networks
    resumed.train(progress=False)
    for key in full.model.networks:
        a, b = full.model.networks[key].state_dict(), resumed.model.networks[key].state_dict()
        assert all(torch.equal(a[n], b[n]) for n in a), key


# -- configs ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("config", "changes", "match"), [
    (DCGANConfig, {"image_size": 48}, "image_size must be 32, 64 or 128"),
    (DCGANConfig, {"batch_size": 0}, "batch_size must be an integer >= 1"),
    (DCGANConfig, {"lr_g": -1.0}, "lr_g must be a positive number"),
    (DCGANConfig, {"lr_d": float("inf")}, "lr_d must be a positive number"),
    (DCGANConfig, {"ema": 1.5}, "ema must lie in"),
    (DCGANConfig, {"d_steps": 0}, "d_steps must be an integer >= 1"),
    (WGANGPConfig, {"penalty_weight": -1.0}, "penalty_weight must be a finite number >= 0"),
    (VAEConfig, {"likelihood": "poisson"}, "likelihood must be 'bernoulli' or 'gaussian'"),
    (VAEConfig, {"latent_dim": 300}, r"latent_dim must be an integer in \[2, 256\]"),
    (VAEGANConfig, {"latent_dim": 1}, r"latent_dim must be an integer in \[2, 256\]"),
])
def test_config_errors_are_usage_errors_naming_the_field(config, changes, match):
    with pytest.raises(UsageError, match=match):
        config(**changes)


def test_each_config_holds_the_fields_its_model_uses():
    shared = set(ImageConfig.field_names())
    extra = {name: set(model_class(name).config_class.field_names()) - shared
             for name in model_names()}
    assert extra == {"dcgan": {"lr_d", "d_steps", "ema"}, "cgan": {"lr_d", "d_steps", "ema"},
                     "wgan-gp": {"lr_d", "d_steps", "ema", "penalty_weight"},
                     "vae": {"likelihood", "beta", "binarize"}, "vaegan": {"lr_d"}}


def test_wgan_gp_defaults_are_gulrajani_et_al_algorithm_1():
    config = WGANGPConfig()
    assert (config.d_steps, config.lr_g, config.lr_d, config.betas, config.penalty_weight) == (
        5, 1e-4, 1e-4, (0.0, 0.9), 10.0)


def test_create_refuses_a_field_the_model_does_not_have():
    with pytest.raises(UsageError, match="VAEConfig has no field.s. d_steps"):
        create("vae", d_steps=2)
    with pytest.raises(UsageError, match="model must be one of dcgan, cgan"):
        create("stylegan")


def test_a_record_round_trips():
    model = create("wgan-gp", penalty_weight=3.0, **SMALL)
    record = model.record()
    assert record["model"] == "wgan-gp" and record["betas"] == [0.0, 0.9]
    again = model_from_record(record)
    assert type(again) is type(model) and again.config == model.config


# -- checkpoints written by the former single TrainConfig ---------------------------------------
def old_record(model, **changes):
    """A config dict as TrainConfig.as_dict() wrote it: every field of every model."""
    record = {"model": model, "dataset": "shapes", "image_size": 32, "latent_dim": 100,
              "width": 64, "likelihood": "bernoulli", "batch_size": 64, "steps": 2000,
              "lr_g": 2e-4, "lr_d": 2e-4, "betas": [0.5, 0.999], "d_steps": 1,
              "gp_weight": 10.0, "beta": 1.0, "binarize": True, "ema": None,
              "sample_every": 200, "checkpoint_every": 200, "seed": 0, "bf16": None,
              "channels_last": False, "compile": False, "max_loss": 1e4}
    return {**record, **changes}


def test_an_old_record_maps_onto_the_models_config():
    vae = model_from_record(old_record("vae", d_steps=0, lr_g=1e-3, betas=[0.9, 0.999],
                                       latent_dim=32, likelihood="gaussian"))
    assert vae.config == VAEConfig(likelihood="gaussian")  # d_steps, lr_d, gp_weight dropped
    wgan = model_from_record(old_record("wgan-gp", gp_weight=5.0, d_steps=5))
    assert wgan.config.penalty_weight == 5.0 and wgan.config.d_steps == 5
    assert not hasattr(wgan.config, "gp_weight") and not hasattr(wgan.config, "likelihood")


def test_an_old_vae_checkpoint_resumes_exactly(data, tmp_path):
    """A checkpoint whose config is the old TrainConfig dict resumes like the new one."""
    changes = dict(**SMALL, lr_g=1e-3, betas=[0.9, 0.999], d_steps=0)
    full = ImageTrainer(create("vae", steps=4, **SMALL), data, tmp_path / "full")
    full.train(progress=False)
    ImageTrainer(create("vae", steps=2, **SMALL), data, tmp_path / "old").train(progress=False)
    state = ckpt.load(tmp_path / "old" / "checkpoint.pt")
    state["config"] = old_record("vae", steps=2, **changes)
    state.pop("format")
    ckpt.save(state, tmp_path / "old" / "checkpoint.pt")
    resumed = ImageTrainer.resume(tmp_path / "old", data, steps=4)
    assert resumed.config == full.config
    resumed.train(progress=False)
    a, b = full.model.networks["vae"].state_dict(), resumed.model.networks["vae"].state_dict()
    assert all(torch.equal(a[n], b[n]) for n in a)
    assert "gp_weight" not in ckpt.load(tmp_path / "old" / "checkpoint.pt")["config"]
