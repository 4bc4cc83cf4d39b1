"""Image networks: shapes, the published channel layouts, initialisation, per-sample critics."""

import pytest
import torch
from torch import nn

from gantheory import nets


@pytest.mark.parametrize("size", [32, 64, 128])
def test_generator_and_discriminator_shapes(size):
    g = nets.DCGANGenerator(latent_dim=8, image_size=size, channels=3, width=4)
    d = nets.DCGANDiscriminator(image_size=size, channels=3, width=4)
    with torch.no_grad():
        x = g(torch.randn(2, 8))
    assert x.shape == (2, 3, size, size) and float(x.abs().max()) <= 1.0
    features, logits = d.features_and_logits(x)
    assert logits.shape == (2,) and torch.equal(logits, d(x))
    assert features.shape == (2, 4 * 2 ** (size.bit_length() - 4) * 16)


def _channels(module, kind):
    return [m.out_channels for m in module.modules() if isinstance(m, kind)]


def test_the_128_pixel_pair_has_the_published_layout():
    g = nets.DCGANGenerator(latent_dim=128, image_size=128, channels=3)
    d = nets.DCGANDiscriminator(image_size=128, channels=3)
    # a 4x4 projection to 1024 channels, then ConvTranspose blocks 512-256-128-64, then RGB
    assert _channels(g, nn.ConvTranspose2d) == [1024, 512, 256, 128, 64, 3]
    assert _channels(d, nn.Conv2d) == [64, 128, 256, 512, 1024, 1]
    assert sum(isinstance(m, nn.BatchNorm2d) for m in d.modules()) == 4  # not on the first
    assert any(isinstance(m, nn.LeakyReLU) and m.negative_slope == 0.2 for m in d.modules())


def test_the_64_pixel_pair_is_pytorch_examples_dcgan():
    g = nets.DCGANGenerator(latent_dim=100, image_size=64, channels=3)
    d = nets.DCGANDiscriminator(image_size=64, channels=3)
    assert _channels(g, nn.ConvTranspose2d) == [512, 256, 128, 64, 3]
    assert _channels(d, nn.Conv2d) == [64, 128, 256, 512, 1]


def test_dcgan_initialisation():
    torch.manual_seed(0)
    g = nets.DCGANGenerator(latent_dim=100, image_size=64, channels=3)
    w = torch.cat([m.weight.flatten() for m in g.modules() if isinstance(m, nn.ConvTranspose2d)])
    assert abs(float(w.std()) - 0.02) < 0.001 and abs(float(w.mean())) < 0.001
    scales = torch.cat([m.weight for m in g.modules() if isinstance(m, nn.BatchNorm2d)])
    assert abs(float(scales.mean()) - 1.0) < 0.01


def test_the_critic_has_no_batchnorm_and_scores_each_sample_alone():
    critic = nets.WGANCritic(image_size=32, channels=3, width=4)
    assert not any(isinstance(m, nn.BatchNorm2d) for m in critic.modules())
    critic.train()
    x = torch.randn(6, 3, 32, 32)
    alone = torch.stack([critic(x[i:i + 1])[0] for i in range(6)])
    torch.testing.assert_close(critic(x), alone)
    with pytest.raises(ValueError, match="per-sample gradient penalty"):
        nets.WGANCritic(norm="batch")


def test_batchnorm_discriminator_couples_samples_in_training():
    """The reason the critic refuses BatchNorm: here a sample's logit depends on the batch."""
    d = nets.DCGANDiscriminator(image_size=32, channels=3, width=4).train()
    x = torch.randn(6, 3, 32, 32)
    assert not torch.allclose(d(x)[:3], d(x[:3]))


def test_conditional_networks_use_the_labels():
    torch.manual_seed(0)
    g = nets.ConditionalGenerator(10, latent_dim=8, image_size=32, channels=1, width=4).eval()
    d = nets.ConditionalDiscriminator(10, image_size=32, channels=1, width=4).eval()
    z = torch.randn(1, 8).repeat(2, 1)
    images = g(z, torch.tensor([3, 7]))
    assert not torch.allclose(images[0], images[1])
    x = images[:1].repeat(2, 1, 1, 1)
    logits = d(x, torch.tensor([3, 7]))
    assert logits.shape == (2,) and logits[0] != logits[1]
    with pytest.raises(ValueError, match="labels must be integers"):
        g(z, torch.tensor([0.5, 1.0]))
    with pytest.raises(ValueError, match="n_classes must be an integer >= 2"):
        nets.ConditionalGenerator(1)


@pytest.mark.parametrize("likelihood", ["bernoulli", "gaussian"])
def test_conv_vae(likelihood):
    vae = nets.ConvVAE(latent_dim=2, image_size=32, channels=1, width=4, likelihood=likelihood)
    x = torch.rand(3, 1, 32, 32) * 2 - 1
    mu, logvar = vae.encode(x)
    assert mu.shape == logvar.shape == (3, 2)
    eps = torch.randn(3, 2)
    mu2, logvar2, z, out = vae(x, eps)
    torch.testing.assert_close(z, mu + torch.exp(0.5 * logvar) * eps)
    assert out.shape == (3, 1, 32, 32)
    image = vae.decode_image(z)
    assert float(image.min()) >= -1.0 and float(image.max()) <= 1.0
    assert vae.decoder_logvar.requires_grad == (likelihood == "gaussian")
    assert {n.split(".")[0] for n, _ in vae.named_parameters()} == {
        "encoder", "decoder", "decoder_logvar"}


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"latent_dim": 1}, r"latent_dim must be an integer in \[2, 256\]"),
    ({"latent_dim": 257}, r"latent_dim must be an integer in \[2, 256\]"),
    ({"image_size": 28}, "image_size must be one of"),
    ({"likelihood": "poisson"}, "likelihood must be one of"),
])
def test_vae_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        nets.ConvVAE(**kwargs)


def test_shape_errors_name_the_expected_shape():
    g = nets.DCGANGenerator(latent_dim=8, image_size=32, width=4)
    with pytest.raises(ValueError, match=r"z must have shape \(N, 8\)"):
        g(torch.randn(2, 9))
    d = nets.DCGANDiscriminator(image_size=32, channels=3, width=4)
    with pytest.raises(ValueError, match=r"x must have shape \(N, 3, 32, 32\)"):
        d(torch.randn(2, 1, 32, 32))
