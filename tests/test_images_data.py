"""Image data sets: the uint8 representation, batches on the device, every loader on CPU."""

import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from gantheory.images import data as imdata
from gantheory.images.data import (
    SHAPES_CLASSES,
    ImageData,
    as_float,
    load_dataset,
    load_folder,
    load_mnist_npz,
    load_torchvision,
    pad_or_resize,
    shapes,
    stacked_mnist,
    to_uint8,
)

REAL_MNIST = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist.npz"


# -- fixtures ----------------------------------------------------------------------------------
def fake_digits(n=40, size=28, seed=0):
    """Digit d drawn as a constant image of value 10 * d + 1 (so the digit reads off a pixel)."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 10, size=n).astype(np.uint8)
    x = np.broadcast_to((10 * y + 1)[:, None, None], (n, size, size)).astype(np.uint8)
    return x, y


@pytest.fixture
def fake_npz(tmp_path):
    x, y = fake_digits(40)
    xt, yt = fake_digits(12, seed=1)
    path = tmp_path / "mnist.npz"
    np.savez(path, x_train=x, y_train=y, x_test=xt, y_test=yt)
    return path


def write_png(path, size=(20, 12), colour=(255, 0, 0), mode="RGB"):
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, colour).save(path)


# -- conversions -------------------------------------------------------------------------------
def test_as_float_and_to_uint8_round_trip_all_values():
    k = torch.arange(256, dtype=torch.uint8)
    x = as_float(k)
    assert x.dtype == torch.float32
    assert float(x[0]) == -1.0 and float(x[-1]) == 1.0
    assert torch.equal(to_uint8(x), k)
    assert torch.equal(to_uint8(as_float(k, torch.float64)), k)
    assert to_uint8(torch.tensor([-7.0, 7.0])).tolist() == [0, 255]


def test_conversion_errors_name_the_argument():
    with pytest.raises(TypeError, match="x must be a uint8"):
        as_float(torch.zeros(3))
    with pytest.raises(TypeError, match="x must be a floating-point"):
        to_uint8(torch.zeros(3, dtype=torch.uint8))
    with pytest.raises(TypeError, match="x must be a torch.Tensor"):
        as_float(np.zeros(3, dtype=np.uint8))


# -- ImageData ---------------------------------------------------------------------------------
def test_image_data_validates_its_fields():
    images = torch.zeros(4, 1, 8, 8, dtype=torch.uint8)
    with pytest.raises(TypeError, match="images must be a uint8"):
        ImageData(images.float())
    with pytest.raises(ValueError, match=r"shape \(N, C, H, W\).*images\[:, None\]"):
        ImageData(images[:, 0])
    with pytest.raises(ValueError, match="images must hold at least one"):
        ImageData(images[:0])
    with pytest.raises(ValueError, match=r"labels must have shape \(4,\)"):
        ImageData(images, torch.zeros(3, dtype=torch.int64))
    with pytest.raises(TypeError, match="labels must be an integer"):
        ImageData(images, torch.zeros(4))
    with pytest.raises(ValueError, match="labels must lie in 0..1"):
        ImageData(images, torch.tensor([0, 1, 2, 0]), n_classes=2)
    with pytest.raises(ValueError, match="n_classes must be None"):
        ImageData(images, None, n_classes=3)
    with pytest.raises(ValueError, match="classes must name each of the 3"):
        ImageData(images, torch.tensor([0, 1, 2, 0]), classes=("a", "b"))


def test_image_data_infers_classes_and_stores_int64():
    data = ImageData(torch.zeros(3, 3, 4, 4, dtype=torch.uint8),
                     torch.tensor([0, 4, 2], dtype=torch.uint8))
    assert data.n_classes == 5 and data.labels.dtype == torch.int64
    assert (len(data), data.shape, data.channels, data.image_size) == (3, (3, 4, 4), 3, 4)
    unlabelled = ImageData(torch.zeros(2, 1, 4, 4, dtype=torch.uint8), name="x")
    assert unlabelled.n_classes is None
    assert repr(unlabelled) == "ImageData('x', 2 images of 1x4x4 uint8 on cpu, unlabelled)"
    assert unlabelled.sample_batch(3)[1] is None


def test_to_keeps_uint8_and_subset():
    data = shapes(30, image_size=12, seed=3)
    moved = data.to("cpu")
    assert moved.images.dtype == torch.uint8 and moved.labels.dtype == torch.int64
    assert moved.n_classes == 12 and moved.classes == SHAPES_CLASSES
    part = data.subset(slice(5, 9))
    assert len(part) == 4 and torch.equal(part.labels, data.labels[5:9])
    picked = data.subset([2, 0])
    assert torch.equal(picked.images[1], data.images[0])


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_to_cuda_keeps_uint8_and_samples_there():
    data = shapes(100, seed=0).to("cuda")
    assert data.images.dtype == torch.uint8 and data.images.is_cuda
    x, y = data.sample_batch(16, torch.Generator(device="cuda").manual_seed(0))
    assert x.is_cuda and y.is_cuda and x.dtype == torch.float32


def test_sample_batch_ranges_and_determinism():
    data = shapes(200, image_size=16, seed=0)
    x1, y1 = data.sample_batch(64, torch.Generator().manual_seed(5))
    x2, y2 = data.sample_batch(64, torch.Generator().manual_seed(5))
    x3, _ = data.sample_batch(64, torch.Generator().manual_seed(6))
    assert x1.shape == (64, 3, 16, 16) and x1.dtype == torch.float32
    assert y1.shape == (64,) and y1.dtype == torch.int64
    assert float(x1.min()) >= -1.0 and float(x1.max()) <= 1.0
    assert float(x1.min()) == -1.0  # black background
    assert torch.equal(x1, x2) and torch.equal(y1, y2)
    assert not torch.equal(x1, x3)
    # the batch is made of data images, with their labels
    idx = torch.randint(len(data), (64,), generator=torch.Generator().manual_seed(5))
    assert torch.equal(to_uint8(x1), data.images[idx]) and torch.equal(y1, data.labels[idx])


def test_sample_batch_errors():
    data = shapes(12, image_size=8)
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        data.sample_batch(0)
    with pytest.raises(TypeError, match="batch_size must be an integer"):
        data.sample_batch(2.5)
    elsewhere = ImageData(torch.empty(4, 1, 8, 8, dtype=torch.uint8, device="meta"))
    with pytest.raises(ValueError, match="generator must be on the data's device"):
        elsewhere.sample_batch(2, torch.Generator())


# -- shapes ------------------------------------------------------------------------------------
def test_shapes_is_deterministic_balanced_and_in_range():
    a = shapes(600, image_size=32, seed=7)
    b = shapes(600, image_size=32, seed=7)
    c = shapes(600, image_size=32, seed=8)
    assert torch.equal(a.images, b.images) and torch.equal(a.labels, b.labels)
    assert not torch.equal(a.images, c.images)
    assert a.images.shape == (600, 3, 32, 32) and a.images.dtype == torch.uint8
    assert a.labels.bincount(minlength=12).tolist() == [50] * 12
    assert len(SHAPES_CLASSES) == 12 and a.classes == SHAPES_CLASSES
    assert int(a.images.max()) <= 230 and int(a.images.min()) == 0
    # every image shows one shape: some lit pixels, and not the whole frame
    lit = (a.images.amax(1) > 0).flatten(1).float().mean(1)
    assert float(lit.min()) > 0.03 and float(lit.max()) < 0.5
    # the corners stay background (shapes are kept inside the frame)
    assert int(a.images[..., 0, 0].max()) == 0 and int(a.images[..., -1, -1].max()) == 0


def test_shapes_colour_matches_label():
    data = shapes(240, seed=2)
    mean = data.images.float().flatten(2).sum(2)  # (N, 3) total intensity per channel
    assert torch.equal(mean.argmax(1), data.labels % 3)


def test_shapes_areas_follow_the_shape_formulas():
    # areas in units of r^2: circle pi 0.8^2 = 2.01, square 1.4^2 = 1.96,
    # triangle (3 sqrt(3) / 4) = 1.30, cross 2 (1.8 x 0.6) - 0.6^2 = 1.80
    data = shapes(2400, seed=0)
    area = (data.images.amax(1) > 100).flatten(1).float().sum(1)  # (N,) pixels
    per_shape = [float(area[(data.labels // 3) == s].mean()) for s in range(4)]
    ratio = np.array(per_shape) / per_shape[0]
    np.testing.assert_allclose(ratio, np.array([2.01, 1.96, 1.30, 1.80]) / 2.01, atol=0.05)


def test_shapes_is_fast():
    start = time.perf_counter()
    data = shapes(10_000)
    assert len(data) == 10_000
    assert time.perf_counter() - start < 3.0


def test_shapes_errors():
    with pytest.raises(ValueError, match="n must be >= 1"):
        shapes(0)
    with pytest.raises(ValueError, match="image_size must be >= 8"):
        shapes(10, image_size=4)
    with pytest.raises(TypeError, match="seed must be an integer"):
        shapes(10, seed=1.5)


# -- pad_or_resize -----------------------------------------------------------------------------
def test_pad_or_resize_pads_28_to_32_and_resizes():
    x = torch.full((3, 1, 28, 28), 200, dtype=torch.uint8)
    y = pad_or_resize(x, 32)
    assert y.shape == (3, 1, 32, 32)
    assert int(y[:, :, :2].max()) == 0 and int(y[:, :, -2:].max()) == 0
    assert torch.equal(y[:, :, 2:30, 2:30], x)
    up = pad_or_resize(x, 32, pad=False)
    assert up.shape == (3, 1, 32, 32) and int(up.min()) == 200
    wide = torch.full((2, 3, 10, 20), 50, dtype=torch.uint8)
    assert pad_or_resize(wide, 8).shape == (2, 3, 8, 8)
    data = shapes(12, image_size=16)
    assert pad_or_resize(data, 16) is data
    assert pad_or_resize(data, 8).shape == (3, 8, 8)
    with pytest.raises(TypeError, match="data must be an ImageData"):
        pad_or_resize(torch.zeros(1, 1, 4, 4), 8)


# -- the npz loader ----------------------------------------------------------------------------
def test_load_mnist_npz_fake(fake_npz):
    train = load_mnist_npz(fake_npz)
    test = load_mnist_npz(fake_npz, train=False)
    assert train.images.shape == (40, 1, 28, 28) and train.images.dtype == torch.uint8
    assert len(test) == 12 and train.n_classes == 10 and train.name == "mnist"
    assert torch.equal((train.images[:, 0, 0, 0].long() - 1) // 10, train.labels)
    via_name = load_dataset(f"mnist-npz:{fake_npz}", image_size=32)
    assert via_name.shape == (1, 32, 32)
    assert torch.equal(via_name.images[:, :, 2:30, 2:30], train.images)
    assert len(load_dataset(f"mnist-npz:{fake_npz}", n=5)) == 5


def test_load_mnist_npz_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="path must be a Keras-style mnist.npz.*nope"):
        load_mnist_npz(tmp_path / "nope.npz")
    np.savez(tmp_path / "wrong.npz", images=np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(ValueError, match="x_train, y_train.*it has images"):
        load_mnist_npz(tmp_path / "wrong.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip file at all")
    with pytest.raises(ValueError, match="is not an .npz file with the arrays x_train, y_train"):
        load_mnist_npz(tmp_path / "junk.npz")
    (tmp_path / "text.npz").write_text("a text file\n")  # numpy would read it as a pickle
    with pytest.raises(ValueError, match=r"is not an .npz file with the arrays x_train, y_train "
                                         r"\(a Keras mnist.npz\)$"):
        load_mnist_npz(tmp_path / "text.npz")
    np.save(tmp_path / "single.npy", np.zeros(3))
    with pytest.raises(ValueError, match="holds a single .npy array, not an .npz file"):
        load_mnist_npz(tmp_path / "single.npy")
    np.savez(tmp_path / "float.npz", x_train=np.zeros((2, 28, 28)) + 0.5,
             y_train=np.zeros(2, np.int64))
    with pytest.raises(ValueError, match="uint8 pixel values"):
        load_mnist_npz(tmp_path / "float.npz")


@pytest.mark.slow
@pytest.mark.skipif(not REAL_MNIST.exists(), reason="real mnist.npz not present")
def test_real_mnist_npz():
    train = load_mnist_npz(REAL_MNIST)
    test = load_mnist_npz(REAL_MNIST, train=False)
    assert (len(train), len(test)) == (60_000, 10_000)
    assert train.shape == (1, 28, 28) and train.labels.bincount().tolist()[0] == 5923
    stacked = load_dataset(f"stacked-mnist:{REAL_MNIST}", image_size=32, n=26_000)
    assert stacked.shape == (3, 32, 32) and stacked.labels.unique().numel() == 1000


# -- torchvision -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["mnist", "fashion-mnist", "cifar10"])
def test_load_torchvision_missing_without_download(tmp_path, name):
    with pytest.raises(FileNotFoundError, match=f"{name} not found under root='{tmp_path}'"):
        load_torchvision(name, tmp_path, download=False)
    with pytest.raises(FileNotFoundError, match=f"{name} not found"):
        load_dataset(name, root=tmp_path, download=False)


def test_load_torchvision_download_failure_is_one_error(tmp_path, monkeypatch):
    import torchvision.datasets

    def offline(*args, **kwargs):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz")

    monkeypatch.setattr(torchvision.datasets, "MNIST", offline)
    with pytest.raises(ConnectionError, match="could not download mnist into root="):
        load_torchvision("mnist", tmp_path, download=True)


def test_load_torchvision_converts_arrays(tmp_path, monkeypatch):
    import torchvision.datasets

    class FakeCIFAR:
        classes = [f"c{i}" for i in range(10)]

        def __init__(self, root, train, download):
            self.data = np.full((4, 32, 32, 3), 7, np.uint8)  # channel-last, as torchvision
            self.data[:, :, :, 2] = 9
            self.targets = [3, 1, 4, 1]

    monkeypatch.setattr(torchvision.datasets, "CIFAR10", FakeCIFAR)
    data = load_torchvision("CIFAR10", tmp_path)
    assert data.images.shape == (4, 3, 32, 32) and data.name == "cifar10"
    assert int(data.images[:, 2].min()) == 9 and int(data.images[:, 0].max()) == 7
    assert data.labels.tolist() == [3, 1, 4, 1] and data.classes[0] == "c0"


def test_load_torchvision_unknown_name():
    with pytest.raises(ValueError, match="name must be one of 'mnist'"):
        load_torchvision("svhn", "/nonexistent")


# -- folders -----------------------------------------------------------------------------------
def test_load_folder_flat_resizes_and_crops(tmp_path):
    for i in range(3):
        write_png(tmp_path / f"img{i}.png", size=(20 + 4 * i, 12), colour=(0, 255, 0))
    write_png(tmp_path / ".hidden.png")
    (tmp_path / "notes.txt").write_text("not an image")
    data = load_folder(tmp_path, 8)
    assert data.images.shape == (3, 3, 8, 8) and data.images.dtype == torch.uint8
    assert data.labels is None and data.n_classes is None
    assert int(data.images[:, 1].min()) == 255 and int(data.images[:, 0].max()) == 0
    grey = load_folder(tmp_path, 6, channels=1, workers=1)
    assert grey.shape == (1, 6, 6)
    assert len(load_folder(tmp_path, 6, limit=2)) == 2


def test_load_folder_class_subfolders(tmp_path):
    write_png(tmp_path / "dogs" / "a.png", colour=(0, 0, 255))
    write_png(tmp_path / "cats" / "b.jpg", colour=(255, 0, 0))
    write_png(tmp_path / "cats" / "deep" / "c.png", colour=(255, 0, 0))
    data = load_folder(tmp_path, 4)
    assert data.classes == ("cats", "dogs") and data.n_classes == 2
    assert data.labels.tolist() == [0, 0, 1]  # sorted paths: cats/b.jpg, cats/deep/c.png, dogs
    assert int(data.images[2, 2].min()) == 255
    via_name = load_dataset(f"folder:{tmp_path}", image_size=4)
    assert torch.equal(via_name.images, data.images)


def test_load_folder_corrupt_image(tmp_path):
    write_png(tmp_path / "good.png")
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really a png")
    with pytest.raises(ValueError, match=r"unreadable image '.*broken\.png' under root"):
        load_folder(tmp_path, 8)
    with pytest.warns(UserWarning, match="skipped 1 unreadable"):
        data = load_folder(tmp_path, 8, skip_unreadable=True)
    assert len(data) == 1


def test_load_folder_errors(tmp_path):
    with pytest.raises(ValueError, match="holds no images"):
        load_folder(tmp_path, 8)
    with pytest.raises(FileNotFoundError, match="root must be a folder.*missing"):
        load_folder(tmp_path / "missing", 8)
    write_png(tmp_path / "a.png")
    with pytest.raises(ValueError, match="channels must be 1 or 3"):
        load_folder(tmp_path, 8, channels=2)


# -- stacked MNIST -----------------------------------------------------------------------------
def test_stacked_mnist_labels_are_the_digit_triples():
    x, y = fake_digits(50)
    digits = ImageData(torch.from_numpy(x[:, None]), torch.from_numpy(y.astype(np.int64)),
                       n_classes=10, name="fake")
    data = stacked_mnist(digits, 500, seed=1)
    assert data.images.shape == (500, 3, 28, 28) and data.n_classes == 1000
    d = (data.images[:, :, 0, 0].long() - 1) // 10  # (500, 3) digits per channel
    assert torch.equal(data.labels, 100 * d[:, 0] + 10 * d[:, 1] + d[:, 2])
    assert data.labels.unique().numel() > 300  # spread over the 1000 modes
    assert torch.equal(stacked_mnist(digits, 500, seed=1).images, data.images)
    assert not torch.equal(stacked_mnist(digits, 500, seed=2).labels, data.labels)
    assert data.classes[7] == "007"


def test_stacked_mnist_via_name(fake_npz):
    data = load_dataset(f"stacked-mnist:{fake_npz}", image_size=32, n=64, seed=0)
    assert data.shape == (3, 32, 32) and len(data) == 64 and data.name == "stacked-mnist"
    assert len(load_dataset(f"stacked-mnist:{fake_npz}")) == 40  # default: the split's size


def test_stacked_mnist_errors():
    rgb = shapes(12, image_size=8)
    with pytest.raises(ValueError, match="mnist must hold grey digits"):
        stacked_mnist(rgb, 10)
    grey = ImageData(torch.zeros(3, 1, 4, 4, dtype=torch.uint8))
    with pytest.raises(ValueError, match="mnist must be labelled.*no labels"):
        stacked_mnist(grey, 10)
    many = ImageData(torch.zeros(3, 1, 4, 4, dtype=torch.uint8), torch.tensor([0, 11, 2]))
    with pytest.raises(ValueError, match="12 classes"):
        stacked_mnist(many, 10)
    with pytest.raises(TypeError, match="mnist must be an ImageData"):
        stacked_mnist(torch.zeros(3, 1, 4, 4), 10)


# -- load_dataset ------------------------------------------------------------------------------
def test_load_dataset_shapes_defaults_and_options():
    data = load_dataset("shapes", n=48, seed=4)
    assert data.shape == (3, 32, 32) and len(data) == 48
    assert torch.equal(data.images, shapes(48, seed=4).images)
    assert load_dataset(" Shapes ", n=12).name == "shapes"
    grey = load_dataset("shapes", n=12, channels=1)
    assert grey.shape == (1, 32, 32)
    back = imdata._with_channels(grey, 3)
    assert back.shape == (3, 32, 32) and torch.equal(back.images[:, 0], back.images[:, 2])


@pytest.mark.parametrize(("name", "error", "pattern"), [
    ("imagenet", ValueError, "name must be one of shapes, mnist"),
    ("folder:", ValueError, "must give a path after the colon"),
    ("mnist-npz:/definitely/not/here.npz", FileNotFoundError, "here.npz' does not exist"),
    ("folder:/definitely/not/here", FileNotFoundError, "is not a folder"),
    ("stacked-mnist:/definitely/not/here.npz", FileNotFoundError, "does not exist"),
])
def test_load_dataset_errors(name, error, pattern):
    with pytest.raises(error, match=pattern):
        load_dataset(name)


def test_load_dataset_argument_errors(fake_npz):
    with pytest.raises(TypeError, match="name must be a string"):
        load_dataset(3)
    with pytest.raises(ValueError, match="n must be >= 1"):
        load_dataset("shapes", n=0)
    with pytest.raises(ValueError, match="n must be at most the 40 images"):
        load_dataset(f"mnist-npz:{fake_npz}", n=41)
    with pytest.raises(ValueError, match="channels must be 1 or 3"):
        load_dataset("shapes", n=12, channels=4)


def test_package_import_is_light():
    import ast
    import subprocess

    code = ("import sys, gantheory.images as m; assert 'torch' not in sys.modules; "
            "print(sorted(k for k in vars(m) if not k.startswith('__')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"  # no names: users import the submodules
    # torchvision and PIL are imported inside the loaders that need them, never at the top
    tree = ast.parse(Path(imdata.__file__).read_text())
    top = {alias.name.split(".")[0] for node in tree.body if isinstance(node, ast.Import)
           for alias in node.names}
    top |= {node.module.split(".")[0] for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module}
    assert not top & {"torchvision", "PIL"}
