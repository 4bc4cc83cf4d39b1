"""Image metrics: Fréchet distance = W2^2 of the fitted Gaussians, KID, modes, classifier."""

import numpy as np
import pytest
import torch

import gantheory as g
from gantheory.images import metrics
from gantheory.images.data import shapes


def test_frechet_distance_is_the_cores_squared_w2_between_the_fitted_gaussians():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(4000, 5)) @ rng.normal(size=(5, 5))
    b = rng.normal(size=(3000, 5)) * 1.5 + 0.3
    fitted = [g.Gaussian(x.mean(0), np.cov(x, rowvar=False)) for x in (a, b)]
    expected = g.w2_gaussian(*fitted).value ** 2
    assert metrics.frechet_distance(a, b) == pytest.approx(expected, rel=1e-8)
    assert metrics.frechet_distance(a, a) == pytest.approx(0.0, abs=1e-8)
    with pytest.raises(ValueError, match="a and b must be"):
        metrics.frechet_distance(a, b[:, :3])


def test_kid_is_near_zero_for_one_distribution_and_positive_for_two():
    rng = np.random.default_rng(1)
    same = metrics.kernel_inception_distance(rng.normal(size=(2000, 8)),
                                             rng.normal(size=(2000, 8)), subset_size=500)
    shifted = metrics.kernel_inception_distance(rng.normal(size=(2000, 8)),
                                                rng.normal(size=(2000, 8)) + 0.5,
                                                subset_size=500)
    assert abs(same[0]) < 3 * same[1] + 1e-3  # unbiased: zero within its spread
    assert shifted[0] > 10 * max(same[1], 1e-4)


def test_mode_histogram_metrics():
    uniform = metrics.mode_histogram_metrics(np.arange(1000), 1000)
    assert uniform.modes == 1000 and uniform.kl_to_uniform == pytest.approx(0.0, abs=1e-12)
    one = metrics.mode_histogram_metrics(np.zeros(26000, dtype=int), 1000)
    assert one.modes == 1 and one.kl_to_uniform == pytest.approx(np.log(1000))
    with pytest.raises(ValueError, match="images must have shape"):
        metrics.stacked_mnist_modes(metrics.SmallClassifier(1, 10), torch.zeros(2, 1, 28, 28))


def test_classifier_learns_the_shapes_and_is_cached(tmp_path):
    train, test = shapes(3000, seed=0), shapes(600, seed=1)
    model = metrics.cached_classifier("shapes-test", lambda: train, cache_dir=tmp_path,
                                      steps=600, batch_size=64)
    x = test.images.float() / 127.5 - 1.0
    assert metrics.accuracy(model, x, test.labels) > 0.9
    again = metrics.cached_classifier("shapes-test", lambda: pytest.fail("retrained"),
                                      cache_dir=tmp_path, steps=600, batch_size=64)
    assert torch.equal(metrics.predict(again, x[:50]), metrics.predict(model, x[:50]))
    assert metrics.features(model, x[:7]).shape == (7, 128)


def test_inception_fid_status_says_what_is_there():
    status = metrics.inception_fid_status()
    assert status.startswith("available") or status.startswith("unavailable")


def test_frechet_distance_with_singular_covariances():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(20, 64))  # 20 samples in 64 dimensions: a rank-19 covariance
    assert metrics.frechet_distance(a, a) < 1e-9
    # commuting (diagonal) covariances, one of them singular: the closed form is
    # |mu_a - mu_b|^2 + sum (sqrt(s_a) - sqrt(s_b))^2
    x = np.zeros((4, 2))
    x[:, 0] = [-1.0, 1.0, -1.0, 1.0]  # variance 4/3 in dimension 0, none in dimension 1
    y = np.array([[-1.0, -2.0], [1.0, 2.0], [-1.0, 2.0], [1.0, -2.0]]) + 5.0
    expected = 2 * 25.0 + (np.sqrt(4 / 3) - np.sqrt(4 / 3)) ** 2 + (0.0 - np.sqrt(16 / 3)) ** 2
    assert abs(metrics.frechet_distance(x, y) - expected) < 1e-10


class _FakeFID:
    """Stands in for torchmetrics' FrechetInceptionDistance: records what it is given."""

    seen: list = []

    def __init__(self, feature, normalize):
        assert feature == 2048 and normalize is True

    def to(self, device):
        return self

    def update(self, x, real):
        type(self).seen.append((tuple(x.shape), float(x.min()), float(x.max()), real))

    def compute(self):
        return torch.tensor(12.5)


def _fake_torchmetrics(monkeypatch, cls):
    import sys
    import types

    fid_module = types.ModuleType("torchmetrics.image.fid")
    fid_module.FrechetInceptionDistance = cls
    for name, module in [("torchmetrics", types.ModuleType("torchmetrics")),
                         ("torchmetrics.image", types.ModuleType("torchmetrics.image")),
                         ("torchmetrics.image.fid", fid_module)]:
        monkeypatch.setitem(sys.modules, name, module)


def test_inception_fid_feeds_torchmetrics_rgb_images_in_0_1(monkeypatch):
    _FakeFID.seen = []
    _fake_torchmetrics(monkeypatch, _FakeFID)
    real = torch.full((5, 1, 8, 8), -1.0)
    fake = torch.ones(3, 1, 8, 8)
    assert metrics.inception_fid(fake, real, batch_size=4) == 12.5
    assert _FakeFID.seen == [((4, 3, 8, 8), 0.0, 0.0, True), ((1, 3, 8, 8), 0.0, 0.0, True),
                             ((3, 3, 8, 8), 1.0, 1.0, False)]


def test_inception_fid_without_weights_says_unavailable(monkeypatch):
    class NoWeights(_FakeFID):
        def __init__(self, feature, normalize):
            raise RuntimeError("could not download the Inception weights\nmore text")

    _fake_torchmetrics(monkeypatch, NoWeights)
    assert metrics.inception_fid(torch.zeros(2, 3, 8, 8), torch.zeros(2, 3, 8, 8)) == (
        "unavailable: RuntimeError: could not download the Inception weights")
