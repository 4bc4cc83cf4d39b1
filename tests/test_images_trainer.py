"""The image trainer: outputs, exact resume, divergence handling, every model on CPU."""

import csv

import pytest
import torch
from torch import nn

from gantheory.errors import UsageError
from gantheory.images import checkpoint as ckpt
from gantheory.images.data import shapes
from gantheory.images.models.base import create
from gantheory.images.models.dcgan import DCGAN, DCGANConfig
from gantheory.images.trainer import ImageTrainer, TrainingDiverged


class TinyG(nn.Module):
    def __init__(self, latent=8, shape=(3, 32, 32), bad_after=None):
        super().__init__()
        self.shape, self.bad_after, self.calls = shape, bad_after, 0
        self.net = nn.Linear(latent, shape[0] * shape[1] * shape[2])

    def forward(self, z):
        self.calls += 1
        out = torch.tanh(self.net(z)).reshape(len(z), *self.shape)
        if self.bad_after is not None and self.calls > self.bad_after:
            out = out * float("nan")
        return out


class TinyD(nn.Module):
    def __init__(self, shape=(3, 32, 32)):
        super().__init__()
        self.net = nn.Linear(shape[0] * shape[1] * shape[2], 1)

    def forward(self, x):
        return self.net(x.flatten(1))[:, 0]


def tiny(bad_after=None):
    torch.manual_seed(0)
    return {"generator": TinyG(bad_after=bad_after), "discriminator": TinyD()}


CFG = dict(latent_dim=8, batch_size=8, sample_every=3, checkpoint_every=3)


def dcgan(networks, **changes):
    """DCGAN with the given (tiny) networks and CFG."""
    return DCGAN(DCGANConfig(**CFG, **changes), networks=networks)


@pytest.fixture(scope="module")
def data():
    return shapes(256, image_size=32, seed=0)


def test_a_run_writes_samples_losses_and_a_checkpoint(tmp_path, data):
    run = ImageTrainer(dcgan(tiny(), steps=6), data, tmp_path)
    run.train(progress=False)
    assert sorted(p.name for p in (tmp_path / "samples").iterdir()) == [
        "step-000003.png", "step-000006.png"]  # named by their step
    with (tmp_path / "losses.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["step"]) for r in rows] == [1, 2, 3, 4, 5, 6]
    assert {"d_loss", "g_loss", "images_per_s"} <= set(rows[0])
    assert (tmp_path / "losses.png").exists()
    assert ckpt.load(tmp_path / "checkpoint.pt")["step"] == 6


def test_interrupted_and_resumed_equals_uninterrupted(tmp_path, data):
    full = ImageTrainer(dcgan(tiny(), steps=6), data, tmp_path / "a")
    full.train(progress=False)
    first = ImageTrainer(dcgan(tiny(), steps=3), data, tmp_path / "b")
    first.train(progress=False)
    resumed = ImageTrainer.resume(tmp_path / "b", data, steps=6, networks=tiny())
    assert resumed.step == 3
    resumed.train(progress=False)
    for key in ("generator", "discriminator"):
        for p, q in zip(full.model.networks[key].state_dict().values(),
                        resumed.model.networks[key].state_dict().values(), strict=True):
            assert torch.equal(p, q)


def test_a_nan_stops_the_run_and_keeps_the_last_good_checkpoint(tmp_path, data):
    # the generator turns NaN on its 8th call: steps 1-3 are good (2 calls per step)
    run = ImageTrainer(dcgan(tiny(bad_after=7), steps=9), data, tmp_path)
    with pytest.raises(TrainingDiverged, match=r"step 4 .*last good checkpoint, .*checkpoint"
                                               r"\.pt \(step 3\), is kept; try a lower --lr-g"):
        run.train(progress=False)
    assert ckpt.load(tmp_path / "checkpoint.pt")["step"] == 3


def test_resume_refuses_another_configuration(tmp_path, data):
    ImageTrainer(dcgan(tiny(), steps=3), data, tmp_path).train(progress=False)
    state = ckpt.load(tmp_path / "checkpoint.pt")
    other = ImageTrainer(dcgan(tiny(), steps=3, lr_g=1e-3), data, tmp_path)
    with pytest.raises(UsageError, match="another configuration"):
        other.load_state_dict(state)
    state["config"]["model"] = "cgan"  # the same settings, another model
    with pytest.raises(UsageError, match="another configuration"):
        ImageTrainer(dcgan(tiny(), steps=3), data, tmp_path).load_state_dict(state)


class TinyCondG(TinyG):
    def __init__(self, n_classes=12):
        super().__init__()
        self.embed = nn.Embedding(n_classes, 8)

    def forward(self, z, labels):
        return super().forward(z + self.embed(labels))


class TinyCondD(TinyD):
    def __init__(self, n_classes=12):
        super().__init__()
        self.embed = nn.Embedding(n_classes, 1)

    def forward(self, x, labels):
        return super().forward(x) + self.embed(labels)[:, 0]


class TinyVAE(nn.Module):
    def __init__(self, latent=8, shape=(3, 32, 32)):
        super().__init__()
        self.shape, n = shape, shape[0] * shape[1] * shape[2]
        self.encoder = nn.Linear(n, 2 * latent)
        self.decoder = nn.Linear(latent, n)

    def encode(self, x):
        return self.encoder(x.flatten(1)).chunk(2, dim=1)

    def decode(self, z):  # Bernoulli logits
        return self.decoder(z).reshape(len(z), *self.shape)

    def decode_image(self, z):  # in [-1, 1]
        return torch.tanh(self.decode(z))

    def forward(self, x, eps):
        mu, logvar = self.encode(x)
        z = mu + torch.exp(0.5 * logvar) * eps
        return mu, logvar, z, self.decode(z)


class TinyFeatureD(TinyD):
    def features_and_logits(self, x):
        h = x.flatten(1)[:, :16]
        return h, self.forward(x)


@pytest.mark.parametrize("model", ["wgan-gp", "cgan", "vae", "vaegan"])
def test_every_model_trains_a_few_steps_and_its_losses_move(model, tmp_path, data):
    torch.manual_seed(0)
    nets = {"wgan-gp": lambda: {"generator": TinyG(), "discriminator": TinyD()},
            "cgan": lambda: {"generator": TinyCondG(), "discriminator": TinyCondD()},
            "vae": lambda: {"vae": TinyVAE()},
            "vaegan": lambda: {"vae": TinyVAE(), "discriminator": TinyFeatureD()}}[model]()
    before = {k: [p.detach().clone() for p in m.parameters()] for k, m in nets.items()}
    image_model = create(model, steps=4, **CFG)
    image_model.networks = nets
    run = ImageTrainer(image_model, data, tmp_path).train(progress=False)
    with (tmp_path / "losses.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4 and all(float(v) == float(v) for r in rows for v in r.values())
    for key, params in before.items():  # every network was updated
        assert any(not torch.equal(p, q) for p, q in zip(params, nets[key].parameters(),
                                                          strict=True)), key
    assert run.sample().shape == (64, 3, 32, 32)


def test_missing_networks_are_named(tmp_path, data):
    with pytest.raises(ValueError, match="missing discriminator"):
        ImageTrainer(dcgan({"generator": TinyG()}, steps=1), data, tmp_path)


def test_the_trainer_takes_only_a_model(tmp_path, data):
    with pytest.raises(TypeError, match="model must be an ImageModel; got DCGANConfig"):
        ImageTrainer(DCGANConfig(), data, tmp_path)
