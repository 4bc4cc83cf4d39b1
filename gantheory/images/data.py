r"""Image data sets as uint8 tensors on the training device, and batches drawn there.

Every loader returns an :class:`ImageData`: images as a uint8 tensor of shape
``(N, C, H, W)``, int64 labels of shape ``(N,)`` (or ``None``), the number of classes and a
name. Once moved to the GPU with :meth:`ImageData.to`, the whole data set stays there as uint8
(a quarter of float32's memory: 60,000 MNIST digits are 47 MB, 50,000 CIFAR-10 images 154 MB)
and :meth:`ImageData.sample_batch` draws a batch with one ``randint``, one gather and one
conversion on the device: no DataLoader, no worker processes and no host-to-device copy in the
training loop.

Pixel convention
----------------
A stored value :math:`k \in \{0, \dots, 255\}` is given to the networks as

.. math::

    x = \frac{k}{127.5} - 1 \in [-1, 1],

the range of a ``tanh`` generator (:func:`as_float`); :func:`to_uint8` is the inverse,
:math:`k = \operatorname{round}((x + 1) \cdot 127.5)` after clamping ``x`` to ``[-1, 1]``.

Data sets
---------
===========================  =========  =======  ================================================
name                         shape      classes  source
===========================  =========  =======  ================================================
``shapes``                   3x32x32    12       built in (:func:`shapes`): no file, no network
``mnist``                    1x28x28    10       torchvision, downloaded on demand
``fashion-mnist``            1x28x28    10       torchvision, downloaded on demand
``cifar10``                  3x32x32    10       torchvision, downloaded on demand
``mnist-npz:<path>``         1x28x28    10       Keras-style ``mnist.npz`` (:func:`load_mnist_npz`)
``stacked-mnist[:<path>]``   3x28x28    1000     three MNIST digits as RGB (:func:`stacked_mnist`)
``folder:<path>``            3xSxS      0 or k   any folder of images (:func:`load_folder`)
===========================  =========  =======  ================================================

:func:`load_dataset` reads these names (the ``--dataset`` of the image commands);
``image_size`` brings 28-pixel digits to 32 pixels by padding (:func:`pad_or_resize`).

Errors
------
A data set that cannot be loaded as named raises :class:`DataSetError`, a
:class:`~gantheory.errors.UsageError` (the command line reports it in one line):
:class:`DataSetNotFound` (also a :class:`FileNotFoundError`) for a missing file or folder,
:class:`DataSetDownloadError` (also a :class:`ConnectionError`) for a failed download.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from gantheory._validation import check_int
from gantheory.errors import UsageError

__all__ = [
    "DATASETS",
    "DataSetDownloadError",
    "DataSetError",
    "DataSetNotFound",
    "SHAPES_CLASSES",
    "ImageData",
    "as_float",
    "default_root",
    "load_dataset",
    "load_folder",
    "load_mnist_npz",
    "load_torchvision",
    "pad_or_resize",
    "shapes",
    "stacked_mnist",
    "to_uint8",
]

#: The names :func:`load_dataset` understands (``<path>``: a path follows the colon).
DATASETS = ("shapes", "mnist", "fashion-mnist", "cifar10", "stacked-mnist",
            "stacked-mnist:<path>", "mnist-npz:<path>", "folder:<path>")

#: The torchvision data sets of :func:`load_torchvision`: name -> class in torchvision.datasets.
TORCHVISION = {"mnist": "MNIST", "fashion-mnist": "FashionMNIST", "cifar10": "CIFAR10"}

#: The file suffixes :func:`load_folder` reads (those of torchvision's ImageFolder).
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")

#: The shapes and colours of :func:`shapes`; class ``3 * shape + colour``.
SHAPES = ("circle", "square", "triangle", "cross")
COLOURS = ("red", "green", "blue")
#: Class names of :func:`shapes`, index = label: ``SHAPES_CLASSES[4] == "green square"``.
SHAPES_CLASSES = tuple(f"{colour} {shape}" for shape in SHAPES for colour in COLOURS)
_RGB = torch.tensor([[230.0, 40.0, 40.0], [40.0, 200.0, 60.0], [50.0, 90.0, 230.0]])

#: Luma weights (ITU-R 601-2, as PIL's ``convert("L")``) for RGB -> grey.
_LUMA = (0.299, 0.587, 0.114)


class DataSetError(UsageError):
    """A data set that cannot be loaded as named: an unknown name, a file or folder that does
    not hold what it should, more images asked for than it has.
    """


class DataSetNotFound(DataSetError, FileNotFoundError):
    """The file or folder a data set's name points at does not exist, or a torchvision data set
    is not under its root.
    """


class DataSetDownloadError(DataSetError, ConnectionError):
    """torchvision could not download a data set (no network?)."""


# -- conversions -------------------------------------------------------------------------------
def as_float(x: torch.Tensor, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    r"""uint8 images -> floats in ``[-1, 1]``: :math:`x = k / 127.5 - 1`.

    Parameters
    ----------
    x : torch.Tensor, uint8, any shape
        Stored pixel values ``k`` in ``0..255``.
    dtype : torch.dtype
        A floating-point type for the result.

    Returns
    -------
    torch.Tensor
        Same shape and device as ``x``; ``0 -> -1``, ``255 -> 1``.

    Examples
    --------
    >>> import torch
    >>> as_float(torch.tensor([0, 51, 255], dtype=torch.uint8))
    tensor([-1.0000, -0.6000,  1.0000])
    """
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor; got {type(x).__name__}")
    if x.dtype != torch.uint8:
        raise TypeError(f"x must be a uint8 tensor of pixel values 0..255; got {x.dtype}")
    return x.to(dtype).div_(127.5).sub_(1.0)


def to_uint8(x: torch.Tensor) -> torch.Tensor:
    r"""Floats in ``[-1, 1]`` -> uint8 images: :math:`k = \mathrm{round}((x + 1) \cdot 127.5)`.

    Values outside ``[-1, 1]`` (a generator's overshoot) are clamped first, so the result is
    always a valid image. ``to_uint8(as_float(k)) == k`` for all 256 values.

    Parameters
    ----------
    x : torch.Tensor, floating point, any shape

    Returns
    -------
    torch.Tensor, uint8
        Same shape and device as ``x``.

    Examples
    --------
    >>> import torch
    >>> to_uint8(torch.tensor([-1.5, -1.0, 0.0, 1.0]))
    tensor([  0,   0, 128, 255], dtype=torch.uint8)
    >>> k = torch.arange(256, dtype=torch.uint8)
    >>> bool((to_uint8(as_float(k)) == k).all())
    True
    """
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor; got {type(x).__name__}")
    if not torch.is_floating_point(x):
        raise TypeError(f"x must be a floating-point tensor in [-1, 1]; got {x.dtype}")
    return ((x.float().clamp(-1.0, 1.0) + 1.0) * 127.5).round_().to(torch.uint8)


# -- the common representation -----------------------------------------------------------------
@dataclasses.dataclass(frozen=True, eq=False)
class ImageData:
    """A data set of images held as one uint8 tensor, with optional labels.

    Parameters
    ----------
    images : torch.Tensor, uint8, shape (N, C, H, W)
        Pixel values ``0..255``; ``C`` is 1 (grey) or 3 (RGB).
    labels : torch.Tensor, integer, shape (N,), optional
        Class indices in ``0..n_classes-1`` on the same device (stored as int64).
    n_classes : int, optional
        The number of classes; inferred as ``labels.max() + 1`` when labels are given without
        it; ``None`` for unlabelled data.
    name : str
        What the data are (recorded with results).
    classes : sequence of str, optional
        A name per class (``len(classes) == n_classes``).

    Examples
    --------
    >>> import torch
    >>> data = shapes(24, image_size=16, seed=0)
    >>> data
    ImageData('shapes', 24 images of 3x16x16 uint8 on cpu, 12 classes)
    >>> data.images.dtype, data.labels.dtype
    (torch.uint8, torch.int64)
    >>> x, y = data.sample_batch(8, torch.Generator().manual_seed(0))
    >>> x.shape, x.dtype, y.shape
    (torch.Size([8, 3, 16, 16]), torch.float32, torch.Size([8]))
    >>> bool(x.min() >= -1) and bool(x.max() <= 1)
    True
    """

    images: torch.Tensor
    labels: torch.Tensor | None = None
    n_classes: int | None = None
    name: str = "images"
    classes: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        images, labels = self.images, self.labels
        if not isinstance(images, torch.Tensor):
            raise TypeError(f"images must be a torch.Tensor; got {type(images).__name__}")
        if images.dtype != torch.uint8:
            raise TypeError(f"images must be a uint8 tensor (pixel values 0..255); got "
                            f"{images.dtype} (use to_uint8 for floats in [-1, 1])")
        if images.ndim != 4 or images.shape[1] not in (1, 3):
            hint = " (add the channel axis: images[:, None])" if images.ndim == 3 else ""
            raise ValueError(f"images must have shape (N, C, H, W) with C 1 or 3; got "
                             f"{tuple(images.shape)}{hint}")
        if images.shape[0] == 0:
            raise ValueError("images must hold at least one image (axis 0 is empty)")
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a string; got {type(self.name).__name__}")
        n_classes = self.n_classes
        if labels is not None:
            if not isinstance(labels, torch.Tensor):
                raise TypeError(f"labels must be a torch.Tensor or None; got "
                                f"{type(labels).__name__}")
            if labels.dtype.is_floating_point or labels.dtype.is_complex or \
                    labels.dtype == torch.bool:
                raise TypeError(f"labels must be an integer tensor; got {labels.dtype}")
            if labels.shape != (images.shape[0],):
                raise ValueError(f"labels must have shape ({images.shape[0]},), one per image; "
                                 f"got {tuple(labels.shape)}")
            if labels.device != images.device:
                raise ValueError(f"images and labels must be on one device; got "
                                 f"{images.device} and {labels.device}")
            labels = labels.to(torch.int64)
            lo, hi = int(labels.min()), int(labels.max())
            if n_classes is None:
                n_classes = hi + 1
            n_classes = check_int(n_classes, "n_classes", 1)
            if lo < 0 or hi >= n_classes:
                raise ValueError(f"labels must lie in 0..{n_classes - 1} (n_classes="
                                 f"{n_classes}); got values in {lo}..{hi}")
        elif n_classes is not None:
            raise ValueError(f"n_classes must be None for unlabelled images; got {n_classes}")
        classes = None if self.classes is None else tuple(str(c) for c in self.classes)
        if classes is not None and len(classes) != n_classes:
            raise ValueError(f"classes must name each of the {n_classes} classes; got "
                             f"{len(classes)} names")
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "n_classes", n_classes)
        object.__setattr__(self, "classes", classes)

    # -- description ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self.images.shape[0])

    def __repr__(self) -> str:
        c, h, w = self.shape
        classes = "unlabelled" if self.n_classes is None else f"{self.n_classes} classes"
        return (f"ImageData({self.name!r}, {len(self)} images of {c}x{h}x{w} uint8 on "
                f"{self.device}, {classes})")

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(C, H, W)`` of one image."""
        _, c, h, w = self.images.shape
        return int(c), int(h), int(w)

    @property
    def channels(self) -> int:
        """``C``: 1 (grey) or 3 (RGB)."""
        return int(self.images.shape[1])

    @property
    def image_size(self) -> int:
        """The height ``H`` (the images of every loader here are square)."""
        return int(self.images.shape[2])

    @property
    def device(self) -> torch.device:
        """Where the images are."""
        return self.images.device

    # -- moving and slicing --------------------------------------------------------------------
    def to(self, device: torch.device | str) -> ImageData:
        """The same data on ``device``, still uint8 (labels follow)."""
        labels = None if self.labels is None else self.labels.to(device)
        return dataclasses.replace(self, images=self.images.to(device), labels=labels)

    def subset(self, index: slice | Sequence[int] | torch.Tensor) -> ImageData:
        """The images (and labels) at ``index``: a slice, a list or a tensor of indices."""
        if isinstance(index, slice):
            images = self.images[index]
            labels = None if self.labels is None else self.labels[index]
        else:
            idx = torch.as_tensor(index, dtype=torch.int64, device=self.device).reshape(-1)
            images = self.images[idx]
            labels = None if self.labels is None else self.labels[idx]
        return dataclasses.replace(self, images=images, labels=labels)

    # -- batches -------------------------------------------------------------------------------
    def sample_batch(self, batch_size: int, generator: torch.Generator | None = None
                     ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """A batch drawn uniformly with replacement, made on the data's device.

        Parameters
        ----------
        batch_size : int
            ``B``, at least 1.
        generator : torch.Generator, optional
            Seeds the draw; it must live on the data's device (``torch.Generator(device=...)``).

        Returns
        -------
        x : torch.Tensor, float32, shape (B, C, H, W)
            Images in ``[-1, 1]`` (:func:`as_float`).
        y : torch.Tensor, int64, shape (B,), or None
            Their labels (``None`` for unlabelled data).
        """
        batch_size = check_int(batch_size, "batch_size", 1)
        if generator is not None and generator.device.type != self.device.type:
            raise ValueError(f"generator must be on the data's device; it is on "
                             f"{generator.device} and the images on {self.device} (make it "
                             f"with torch.Generator(device={str(self.device)!r}))")
        idx = torch.randint(len(self), (batch_size,), generator=generator, device=self.device)
        x = as_float(self.images[idx])  # (B, C, H, W) in [-1, 1]
        y = None if self.labels is None else self.labels[idx]  # (B,)
        return x, y


# -- size and channels -------------------------------------------------------------------------
def pad_or_resize(data: ImageData | torch.Tensor, image_size: int, *, pad: bool = True
                  ) -> ImageData | torch.Tensor:
    """Bring images to ``image_size x image_size``: pad the small, resize the rest.

    With ``pad=True`` square images no larger than ``image_size`` are padded with zeros on all
    sides (28 -> 32 adds 2 pixels each side, the layout of the DCGAN and VAE papers' 32-pixel
    MNIST; zero is the black background of digits). Otherwise the shorter side is resized to
    ``image_size`` (bilinear with antialiasing) and the centre cropped. Images already of that
    size are returned unchanged.

    Parameters
    ----------
    data : ImageData or torch.Tensor (uint8, shape (N, C, H, W))
    image_size : int
        The side of the output, at least 1.
    pad : bool
        Pad rather than upsample images smaller than ``image_size``.

    Returns
    -------
    ImageData or torch.Tensor
        The same type as ``data``; uint8 ``(N, C, image_size, image_size)``.

    Examples
    --------
    >>> import torch
    >>> x = torch.full((2, 1, 28, 28), 255, dtype=torch.uint8)
    >>> y = pad_or_resize(x, 32)
    >>> y.shape, int(y[0, 0, 1, 1]), int(y[0, 0, 2, 2])  # 2-pixel black border
    (torch.Size([2, 1, 32, 32]), 0, 255)
    >>> pad_or_resize(x, 14).shape
    torch.Size([2, 1, 14, 14])
    """
    image_size = check_int(image_size, "image_size", 1)
    if isinstance(data, ImageData):
        images = pad_or_resize(data.images, image_size, pad=pad)
        return data if images is data.images else dataclasses.replace(data, images=images)
    if not isinstance(data, torch.Tensor) or data.dtype != torch.uint8 or data.ndim != 4:
        raise TypeError("data must be an ImageData or a uint8 tensor of shape (N, C, H, W); "
                        f"got {_describe(data)}")
    h, w = data.shape[-2:]
    if h == w == image_size:
        return data
    if pad and h == w and h < image_size:
        before = (image_size - h) // 2
        after = image_size - h - before
        return F.pad(data, (before, after, before, after))
    scale = image_size / min(h, w)
    size = (max(image_size, round(h * scale)), max(image_size, round(w * scale)))
    top, left = (size[0] - image_size) // 2, (size[1] - image_size) // 2
    out = torch.empty((*data.shape[:2], image_size, image_size), dtype=torch.uint8,
                      device=data.device)
    for start in range(0, data.shape[0], 4096):  # bounded float memory
        chunk = data[start:start + 4096].float()
        chunk = F.interpolate(chunk, size=size, mode="bilinear", align_corners=False,
                              antialias=True)
        chunk = chunk[..., top:top + image_size, left:left + image_size]
        out[start:start + 4096] = chunk.round_().clamp_(0, 255).to(torch.uint8)
    return out


def _with_channels(data: ImageData, channels: int) -> ImageData:
    """Grey -> RGB by repetition, RGB -> grey by the luma weights."""
    channels = check_int(channels, "channels", 1)
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3; got {channels}")
    if channels == data.channels:
        return data
    if channels == 3:
        return dataclasses.replace(data, images=data.images.expand(-1, 3, -1, -1).contiguous())
    weights = torch.tensor(_LUMA, device=data.device).view(1, 3, 1, 1)
    grey = (data.images.float() * weights).sum(1, keepdim=True).round_().clamp_(0, 255)
    return dataclasses.replace(data, images=grey.to(torch.uint8))


def _describe(value: Any) -> str:
    if isinstance(value, torch.Tensor):
        return f"a {value.dtype} tensor of shape {tuple(value.shape)}"
    return type(value).__name__


# -- the built-in data set ---------------------------------------------------------------------
def shapes(n: int = 10_000, image_size: int = 32, seed: int = 0) -> ImageData:
    r"""Coloured shapes: 4 shapes x 3 colours = 12 classes, drawn from a seed, no file needed.

    Each image is one shape (circle, square, triangle, cross) in one colour (red, green, blue)
    on black, at a random position and size and a random brightness:

    - size: "radius" :math:`r \sim U(0.20, 0.32) \cdot S` pixels for side :math:`S`;
    - centre: uniform over the positions that keep the shape inside the image;
    - brightness: the class colour times :math:`U(0.75, 1)`.

    The label is ``3 * shape + colour`` (:data:`SHAPES_CLASSES` names them). The classes are
    balanced exactly: class :math:`k` has :math:`\lfloor n/12 \rfloor` or
    :math:`\lceil n/12 \rceil` images, in a random order. A generator that covers the data
    covers all 12 modes, which a classifier of shape and colour can count.

    Shapes are rendered from signed distance functions with one pixel of antialiasing, in
    torch on the CPU: the same seed gives the same bytes on every machine (10,000 images of
    32x32 take a fraction of a second). Move them with :meth:`ImageData.to`.

    Parameters
    ----------
    n : int
        Number of images, at least 1.
    image_size : int
        Side ``S`` of the square images, at least 8.
    seed : int
        Seed of the drawing.

    Returns
    -------
    ImageData
        uint8 images ``(n, 3, S, S)``, labels in ``0..11``, ``name="shapes"``.

    Examples
    --------
    >>> data = shapes(120, seed=1)
    >>> data.n_classes, data.classes[:4]
    (12, ('red circle', 'green circle', 'blue circle', 'red square'))
    >>> data.labels.bincount().tolist() == [10] * 12
    True
    >>> bool((shapes(120, seed=1).images == data.images).all())
    True
    """
    n = check_int(n, "n", 1)
    size = check_int(image_size, "image_size", 8)
    seed = check_int(seed, "seed", 0)
    g = torch.Generator().manual_seed(seed)
    k = len(SHAPES_CLASSES)
    labels = (torch.arange(n) % k)[torch.randperm(n, generator=g)]  # (n,) balanced
    r = size * (0.20 + 0.12 * torch.rand(n, generator=g))  # (n,) radius in pixels
    margin = r + 0.5
    cx = margin + (size - 2 * margin) * torch.rand(n, generator=g)  # (n,)
    cy = margin + (size - 2 * margin) * torch.rand(n, generator=g)
    bright = 0.75 + 0.25 * torch.rand(n, generator=g)
    colour = _RGB[labels % 3] * bright[:, None]  # (n, 3) in 0..255

    pixels = torch.arange(size, dtype=torch.float32) + 0.5  # pixel centres
    images = torch.empty((n, 3, size, size), dtype=torch.uint8)
    for start in range(0, n, 4096):
        sl = slice(start, start + 4096)
        shape_id = labels[sl] // 3
        dx = pixels[None, None, :] - cx[sl, None, None]  # (b, 1, S)
        dy = pixels[None, :, None] - cy[sl, None, None]  # (b, S, 1)
        rr = r[sl, None, None]  # (b, 1, 1)
        sd = torch.empty((len(shape_id), size, size))  # signed distance, < 0 inside
        for s in range(len(SHAPES)):
            m = shape_id == s
            if bool(m.any()):
                sd[m] = _SDF[s](dx[m], dy[m], rr[m])
        alpha = (0.5 - sd).clamp_(0.0, 1.0)  # (b, S, S) coverage of each pixel
        images[sl] = (alpha[:, None] * colour[sl, :, None, None]).round_().to(torch.uint8)
    return ImageData(images, labels, n_classes=k, name="shapes", classes=SHAPES_CLASSES)


def _sdf_circle(dx: torch.Tensor, dy: torch.Tensor, r: torch.Tensor) -> torch.Tensor:
    return torch.sqrt(dx * dx + dy * dy) - 0.8 * r


def _sdf_square(dx: torch.Tensor, dy: torch.Tensor, r: torch.Tensor) -> torch.Tensor:
    return torch.maximum(dx.abs(), dy.abs()) - 0.7 * r


def _sdf_triangle(dx: torch.Tensor, dy: torch.Tensor, r: torch.Tensor) -> torch.Tensor:
    # Equilateral, pointing up (image y grows downwards), circumradius r, inradius r/2:
    # the largest distance past its three edges (outward normals (0, 1), (+-0.866, -0.5)).
    c = 0.8660254
    edges = torch.maximum(dy, c * dx - 0.5 * dy)  # (b, S, S)
    return torch.maximum(edges, -c * dx - 0.5 * dy) - 0.5 * r


def _sdf_cross(dx: torch.Tensor, dy: torch.Tensor, r: torch.Tensor) -> torch.Tensor:
    ax, ay = dx.abs(), dy.abs()
    bar = torch.maximum(ax - 0.9 * r, ay - 0.3 * r)
    post = torch.maximum(ax - 0.3 * r, ay - 0.9 * r)
    return torch.minimum(bar, post)


_SDF = (_sdf_circle, _sdf_square, _sdf_triangle, _sdf_cross)


# -- MNIST and friends -------------------------------------------------------------------------
def _digits(x: np.ndarray, y: np.ndarray, name: str, what: str) -> ImageData:
    """Arrays ``(N, H, W)`` or ``(N, H, W, C)`` of 0..255 and labels -> ImageData."""
    if x.dtype != np.uint8:
        if not np.issubdtype(x.dtype, np.integer) or x.size and (x.min() < 0 or x.max() > 255):
            raise DataSetError(f"{what} must hold uint8 pixel values 0..255; got {x.dtype}")
        x = x.astype(np.uint8)
    if x.ndim == 3:
        x = x[:, None]
    elif x.ndim == 4 and x.shape[-1] in (1, 3):
        x = np.moveaxis(x, -1, 1)
    else:
        raise DataSetError(f"{what} must have shape (N, H, W) or (N, H, W, C); got "
                           f"{x.shape}")
    y = np.asarray(y)
    if not np.issubdtype(y.dtype, np.integer) or y.shape != (x.shape[0],):
        raise DataSetError(f"the labels of {what} must be {x.shape[0]} integers; got "
                         f"{y.dtype} of shape {y.shape}")
    labels = torch.from_numpy(y.astype(np.int64))
    n_classes = max(10, int(labels.max()) + 1) if labels.numel() else 10
    return ImageData(torch.from_numpy(np.ascontiguousarray(x)), labels, n_classes, name)


def load_mnist_npz(path: str | os.PathLike, train: bool = True) -> ImageData:
    """MNIST from a Keras-style ``mnist.npz`` (keys ``x_train, y_train, x_test, y_test``).

    Parameters
    ----------
    path : str or path-like
        The ``.npz`` file (Keras caches it as ``~/.keras/datasets/mnist.npz``).
    train : bool
        The 60,000 training digits, or the 10,000 test digits.

    Returns
    -------
    ImageData
        uint8 images ``(N, 1, 28, 28)``, labels ``0..9``, 10 classes, ``name="mnist"``.

    Raises
    ------
    DataSetNotFound
        If ``path`` is not a file.
    DataSetError
        If it is not a readable ``.npz`` with those keys.
    """
    file = Path(os.fspath(path)).expanduser()
    if not file.is_file():
        raise DataSetNotFound(f"path must be a Keras-style mnist.npz file; '{file}' does not "
                              "exist")
    split = "train" if train else "test"
    keys = (f"x_{split}", f"y_{split}")
    wanted = f"an .npz file with the arrays {', '.join(keys)} (a Keras mnist.npz)"
    try:
        npz = np.load(file, allow_pickle=False)
        if not isinstance(npz, np.lib.npyio.NpzFile):  # a single .npy array
            raise DataSetError(f"path '{file}' holds a single .npy array, not {wanted}")
        with npz:
            found = tuple(npz.files)
            arrays = [npz[key] for key in keys if key in found]
    except DataSetError:
        raise
    except Exception as exc:  # a zip error, a truncated file, a text or pickle file
        # numpy reads a file that is neither a zip nor an .npy as a pickle, and refuses it
        why = "" if "pickle" in str(exc) else f" ({type(exc).__name__}: {exc})"
        raise DataSetError(f"path '{file}' is not {wanted}{why}") from None
    if len(arrays) != 2:
        raise DataSetError(f"path '{file}' must hold the arrays {', '.join(keys)} (Keras "
                         f"mnist.npz); it has {', '.join(found) or 'none'}")
    x, y = arrays
    data = _digits(x, y, "mnist", f"{keys[0]} of '{file}'")
    return dataclasses.replace(data, classes=tuple(str(d) for d in range(data.n_classes)))


def default_root() -> Path:
    """Where torchvision data sets go when no ``root`` is given.

    ``$GANTHEORY_DATA`` when set, else ``~/.cache/gantheory/data``.
    """
    env = os.environ.get("GANTHEORY_DATA")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "gantheory" / "data"


def _canonical(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def load_torchvision(name: str, root: str | os.PathLike | None = None, train: bool = True,
                     download: bool = True) -> ImageData:
    """MNIST, Fashion-MNIST or CIFAR-10 through ``torchvision.datasets``, as one uint8 tensor.

    The arrays torchvision keeps in memory (``dataset.data``, ``dataset.targets``) are taken
    whole, so no per-image transform runs.

    Parameters
    ----------
    name : {"mnist", "fashion-mnist", "cifar10"}
    root : str or path-like, optional
        The folder torchvision reads and downloads into (:func:`default_root` if omitted).
    train : bool
        The training split, or the test split.
    download : bool
        Download into ``root`` when the files are not there.

    Returns
    -------
    ImageData
        ``(N, 1, 28, 28)`` for the two MNISTs, ``(N, 3, 32, 32)`` for CIFAR-10; 10 classes.

    Raises
    ------
    DataSetError
        If ``name`` is not one of the three.
    DataSetNotFound
        If the data set is not under ``root`` and ``download`` is false.
    DataSetDownloadError
        If the download fails (no network): fetch the files elsewhere and copy ``root``.
    """
    key = _canonical(name) if isinstance(name, str) else name
    if key not in TORCHVISION:
        raise DataSetError(f"name must be one of {', '.join(map(repr, TORCHVISION))}; got "
                         f"{name!r}")
    from torchvision import datasets

    folder = default_root() if root is None else Path(os.fspath(root)).expanduser()
    cls = getattr(datasets, TORCHVISION[key])
    try:
        ds = cls(str(folder), train=train, download=download)
    except RuntimeError as exc:
        if not download or "not found" in str(exc).lower():
            raise DataSetNotFound(
                f"{key} not found under root='{folder}' (download={download}); pass "
                "download=True with network access, or a root that holds it"
            ) from None
        raise DataSetDownloadError(f"could not download {key} into root='{folder}': "
                                   f"{exc}") from None
    except OSError as exc:  # URLError and socket errors: no network
        raise DataSetDownloadError(f"could not download {key} into root='{folder}' (no "
                                   f"network?): {exc}") from None
    data = _digits(np.asarray(ds.data), np.asarray(ds.targets), key,
                   f"torchvision {TORCHVISION[key]}")
    return dataclasses.replace(data, classes=tuple(ds.classes))


def stacked_mnist(mnist: ImageData, n: int, seed: int = 0) -> ImageData:
    r"""Stacked MNIST: three random digits as the R, G and B channels, 1000 modes.

    For each of the ``n`` images three digits are drawn independently and uniformly from
    ``mnist``; the label is :math:`100 d_1 + 10 d_2 + d_3` for the digits
    :math:`d_1, d_2, d_3` of the red, green and blue channels, so the 1000 modes
    (``000`` to ``999``) are equally likely (Metz et al. 2017; VEEGAN and PacGAN count the
    modes a generator covers with a digit classifier on each channel).

    Parameters
    ----------
    mnist : ImageData
        Grey digits (1 channel) with labels ``0..9``: MNIST from any loader, or a few fake
        digits in a test.
    n : int
        Number of stacked images, at least 1.
    seed : int
        Seed of the draw (on the CPU, so the same on every device).

    Returns
    -------
    ImageData
        uint8 ``(n, 3, H, W)`` on ``mnist``'s device, labels ``0..999``, 1000 classes,
        ``name="stacked-mnist"``.

    Examples
    --------
    >>> import torch
    >>> digits = ImageData(torch.arange(10, dtype=torch.uint8).view(10, 1, 1, 1).expand(
    ...     10, 1, 2, 2).contiguous(), torch.arange(10))  # digit d is a 2x2 image of value d
    >>> data = stacked_mnist(digits, 5, seed=0)
    >>> data.n_classes, data.shape
    (1000, (3, 2, 2))
    >>> d = data.images[:, :, 0, 0].long()  # (5, 3): the digits in R, G, B
    >>> data.labels.tolist() == (100 * d[:, 0] + 10 * d[:, 1] + d[:, 2]).tolist()
    True
    """
    if not isinstance(mnist, ImageData):
        raise TypeError(f"mnist must be an ImageData of digits; got {type(mnist).__name__}")
    if mnist.channels != 1:
        raise ValueError(f"mnist must hold grey digits (1 channel); got {mnist.channels} "
                         f"channels in {mnist.name!r}")
    if mnist.labels is None or mnist.n_classes > 10:
        what = "no labels" if mnist.labels is None else f"{mnist.n_classes} classes"
        raise ValueError(f"mnist must be labelled with the digits 0..9; {mnist.name!r} has "
                         f"{what}")
    n = check_int(n, "n", 1)
    seed = check_int(seed, "seed", 0)
    g = torch.Generator().manual_seed(seed)
    idx = torch.randint(len(mnist), (3, n), generator=g).to(mnist.device)  # (3, n)
    images = torch.cat([mnist.images[i] for i in idx], dim=1)  # (n, 3, H, W)
    d = mnist.labels[idx]  # (3, n) digits of R, G, B
    labels = 100 * d[0] + 10 * d[1] + d[2]  # (n,) in 0..999
    return ImageData(images, labels, n_classes=1000, name="stacked-mnist",
                     classes=tuple(f"{k:03d}" for k in range(1000)))


# -- any folder of images ----------------------------------------------------------------------
def _image_files(folder: Path) -> list[Path]:
    files = [p for p in folder.rglob("*")
             if p.suffix.lower() in IMAGE_EXTENSIONS and p.is_file()
             and not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    return sorted(files)


def load_folder(root: str | os.PathLike, image_size: int, channels: int = 3, *,
                limit: int | None = None, skip_unreadable: bool = False,
                workers: int | None = None) -> ImageData:
    """Every image under a folder, resized and centre-cropped to ``image_size``, as uint8.

    Files with the suffixes of :data:`IMAGE_EXTENSIONS` are read recursively (hidden files
    and folders skipped) in sorted order with PIL, converted to RGB (``channels=3``) or grey
    (``channels=1``), scaled so that the shorter side is ``image_size`` (bicubic) and
    cropped at the centre: torchvision's ``Resize(s)`` then ``CenterCrop(s)``.

    Labels follow torchvision's ImageFolder layout: when every image lies in a subfolder
    (``root/<class>/.../x.png``), the subfolders in sorted order are the classes; when some
    images lie directly in ``root`` the data are unlabelled.

    Parameters
    ----------
    root : str or path-like
        The folder.
    image_size : int
        Side of the square output images, at least 1.
    channels : {1, 3}
        Grey or RGB.
    limit : int, optional
        Read only the first ``limit`` files (in sorted order).
    skip_unreadable : bool
        Skip files PIL cannot read (with a warning) instead of raising.
    workers : int, optional
        Threads that decode images (PIL releases the GIL); default ``min(8, cpu count)``.

    Returns
    -------
    ImageData
        uint8 ``(N, channels, image_size, image_size)``, ``name="folder:<root>"``.

    Raises
    ------
    DataSetNotFound
        If ``root`` is not a folder.
    DataSetError
        If it holds no images, or an image cannot be read (naming the file).
    ValueError
        If ``channels`` is not 1 or 3.
    """
    from PIL import Image, ImageOps

    folder = Path(os.fspath(root)).expanduser()
    if not folder.is_dir():
        raise DataSetNotFound(f"root must be a folder of images; '{folder}' is not a folder")
    image_size = check_int(image_size, "image_size", 1)
    channels = check_int(channels, "channels", 1)
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3; got {channels}")
    files = _image_files(folder)
    if limit is not None:
        files = files[:check_int(limit, "limit", 1)]
    if not files:
        raise DataSetError(f"root '{folder}' holds no images (looked for "
                         f"{', '.join(IMAGE_EXTENSIONS)})")
    mode = "RGB" if channels == 3 else "L"
    corrupt = (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError)

    def read(path: Path) -> np.ndarray | BaseException:
        try:
            with Image.open(path) as im:
                im = ImageOps.fit(im.convert(mode), (image_size, image_size),
                                  method=Image.Resampling.BICUBIC, centering=(0.5, 0.5))
                return np.asarray(im, dtype=np.uint8)
        except corrupt as exc:
            return exc

    n_workers = workers if workers is not None else min(8, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=check_int(n_workers, "workers", 1)) as pool:
        arrays = list(pool.map(read, files))
    bad = [(f, a) for f, a in zip(files, arrays, strict=True) if isinstance(a, BaseException)]
    if bad and not skip_unreadable:
        path, exc = bad[0]
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise DataSetError(f"unreadable image '{path}' under root '{folder}'{more}: "
                         f"{type(exc).__name__}: {exc}")
    if bad:
        warnings.warn(f"skipped {len(bad)} unreadable image(s) under '{folder}', e.g. "
                      f"'{bad[0][0]}'", UserWarning, stacklevel=2)
    kept = [(f, a) for f, a in zip(files, arrays, strict=True) if not isinstance(a, BaseException)]
    if not kept:
        raise DataSetError(f"root '{folder}' holds no readable images")
    x = np.stack([a for _, a in kept])  # (N, S, S) or (N, S, S, 3)
    images = torch.from_numpy(x[:, None] if channels == 1 else np.moveaxis(x, -1, 1).copy())
    relative = [f.relative_to(folder).parts for f, _ in kept]
    labels = n_classes = classes = None
    if all(len(parts) > 1 for parts in relative):
        classes = tuple(sorted({parts[0] for parts in relative}))
        index = {c: i for i, c in enumerate(classes)}
        labels = torch.tensor([index[parts[0]] for parts in relative], dtype=torch.int64)
        n_classes = len(classes)
    return ImageData(images.contiguous(), labels, n_classes, f"folder:{folder}", classes)


# -- by name -----------------------------------------------------------------------------------
def load_dataset(name: str, root: str | os.PathLike | None = None,
                 image_size: int | None = None, *, train: bool = True, download: bool = True,
                 n: int | None = None, seed: int = 0, channels: int | None = None
                 ) -> ImageData:
    """A data set by name: the ``--dataset`` argument of the image commands.

    Parameters
    ----------
    name : str
        One of :data:`DATASETS`:

        - ``"shapes"``: :func:`shapes` (``n`` images, default 10,000; ``image_size`` default 32);
        - ``"mnist"``, ``"fashion-mnist"``, ``"cifar10"``: :func:`load_torchvision` in ``root``;
        - ``"mnist-npz:<path>"``: :func:`load_mnist_npz`;
        - ``"stacked-mnist"`` (MNIST from torchvision in ``root``) or
          ``"stacked-mnist:<path>"`` (from a ``mnist.npz``): :func:`stacked_mnist` with ``n``
          images (default: as many as the MNIST split) from ``seed``;
        - ``"folder:<path>"``: :func:`load_folder` (``image_size`` default 64).
    root : str or path-like, optional
        The torchvision folder (:func:`default_root` if omitted).
    image_size : int, optional
        Side of the images; 28-pixel digits are padded (:func:`pad_or_resize`), other sizes
        resized. Omitted: each data set's own size.
    train : bool
        Training or test split (torchvision and ``.npz`` data).
    download : bool
        Let torchvision download missing data.
    n : int, optional
        Number of images: drawn for ``shapes`` and ``stacked-mnist``; the first ``n`` for the
        others.
    seed : int
        Seed of ``shapes`` and ``stacked-mnist``.
    channels : {1, 3}, optional
        Convert grey to RGB (repeat) or RGB to grey (luma); omitted: as stored.

    Returns
    -------
    ImageData
        On the CPU; move it with :meth:`ImageData.to`.

    Raises
    ------
    DataSetError
        For an unknown name, a file or folder that cannot be read, or ``n`` above the number
        of images; :class:`DataSetNotFound` for a missing file or folder.
    ValueError, TypeError
        For a bad argument.

    Examples
    --------
    >>> load_dataset("shapes", n=36, image_size=16)
    ImageData('shapes', 36 images of 3x16x16 uint8 on cpu, 12 classes)
    >>> load_dataset("shapes", n=36, channels=1).shape
    (1, 32, 32)
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string naming a data set; got {type(name).__name__}")
    kind, sep, path = name.partition(":")
    kind = _canonical(kind)
    if n is not None:
        n = check_int(n, "n", 1)
    if image_size is not None:
        image_size = check_int(image_size, "image_size", 1)
    if sep and not path.strip():
        raise DataSetError(f"name {name!r} must give a path after the colon ('{kind}:<path>')")
    if kind == "shapes" and not sep:
        data = shapes(10_000 if n is None else n, 32 if image_size is None else image_size,
                      seed)
    elif kind in TORCHVISION and not sep:
        data = _first(load_torchvision(kind, root, train=train, download=download), n)
    elif kind == "mnist-npz" and sep:
        data = _first(load_mnist_npz(path, train=train), n)
    elif kind == "folder" and sep:
        data = load_folder(path, 64 if image_size is None else image_size,
                           3 if channels is None else channels, limit=n)
    elif kind == "stacked-mnist":
        digits = (load_mnist_npz(path, train=train) if sep
                  else load_torchvision("mnist", root, train=train, download=download))
        if image_size is not None:
            digits = pad_or_resize(digits, image_size)
        data = stacked_mnist(digits, len(digits) if n is None else n, seed)
    else:
        raise DataSetError(f"name must be one of {', '.join(DATASETS)}; got {name!r}")
    if image_size is not None:
        data = pad_or_resize(data, image_size)
    if channels is not None:
        data = _with_channels(data, channels)
    return data


def _first(data: ImageData, n: int | None) -> ImageData:
    if n is None:
        return data
    if n > len(data):
        raise DataSetError(f"n must be at most the {len(data)} images of {data.name!r}; "
                           f"got {n}")
    return data.subset(slice(0, n))
