r"""Images: data sets kept on the training device, and (in sibling modules) their training.

Modules
-------
:mod:`~gantheory.images.data`
    :class:`ImageData` (uint8 images and int64 labels, batches drawn on the data's device);
    the loaders :func:`load_dataset`, :func:`load_mnist_npz`, :func:`load_torchvision`,
    :func:`load_folder`; :func:`stacked_mnist` (1000 modes) and the built-in :func:`shapes`
    data set (12 modes, no file and no network).

Importing this package is cheap: the names below load their module on first use, and
torchvision and PIL are imported only by the loaders that need them.
"""

import importlib

# Lazy exports (PEP 562), as in gantheory.toylab.
_EXPORTS = {
    "DATASETS": "data",
    "SHAPES_CLASSES": "data",
    "ImageData": "data",
    "as_float": "data",
    "load_dataset": "data",
    "load_folder": "data",
    "load_mnist_npz": "data",
    "load_torchvision": "data",
    "pad_or_resize": "data",
    "shapes": "data",
    "stacked_mnist": "data",
    "to_uint8": "data",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"gantheory.images.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'gantheory.images' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
