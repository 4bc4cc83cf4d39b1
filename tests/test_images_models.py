"""Every image model, built by gantheory.images.models, trains on the built-in data set."""

import csv

import pytest
import torch

from gantheory.images import checkpoint as ckpt
from gantheory.images import models
from gantheory.images.data import shapes
from gantheory.images.trainer import ImageTrainer, TrainConfig

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
    config = TrainConfig.for_model(model, steps=2, **SMALL, **changes)
    nets = models.build(config, data)
    before = {k: [p.detach().clone() for p in m.parameters() if p.requires_grad]
              for k, m in nets.items()}
    run = ImageTrainer(config, data, tmp_path, models=nets).train(progress=False)
    for key, params in before.items():
        after = [p for p in nets[key].parameters() if p.requires_grad]
        assert all(not torch.equal(p, q) for p, q in zip(params, after, strict=True)), key
    with (tmp_path / "losses.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2 and all(v not in ("nan", "inf") for r in rows for v in r.values())
    images = run.sample()
    assert images.shape == (64, 3, 32, 32) and float(images.abs().max()) <= 1.0


def test_build_checks_the_image_size(data):
    with pytest.raises(ValueError, match="images are 32 pixels but image_size is 64"):
        models.build(TrainConfig(image_size=64), data)


def test_cgan_needs_labels():
    config = TrainConfig(model="cgan", width=4)
    with pytest.raises(ValueError, match="needs a labelled data set"):
        models.build_for(config, channels=3, n_classes=0)


@pytest.mark.parametrize("model", ["dcgan", "vae"])
def test_resume_with_batchnorm_networks_is_exact(model, data, tmp_path):
    def config(steps):
        return TrainConfig.for_model(model, steps=steps, **SMALL)

    full = ImageTrainer(config(4), data, tmp_path / "a", models=models.build(config(4), data))
    full.train(progress=False)
    first = ImageTrainer(config(2), data, tmp_path / "b", models=models.build(config(2), data))
    first.train(progress=False)
    state = ckpt.load(tmp_path / "b" / "checkpoint.pt")
    rebuilt = models.build_for(TrainConfig.from_dict(state["config"]), state["data_shape"][0],
                               state["n_classes"])
    resumed = ImageTrainer.resume(tmp_path / "b", data, steps=4, models=rebuilt)
    resumed.train(progress=False)
    for key in full.models:
        a, b = full.models[key].state_dict(), resumed.models[key].state_dict()
        assert all(torch.equal(a[n], b[n]) for n in a), key
