"""The image models by name: the one list that the command line, the trainer and ``eval`` read.

A name maps to a class (a subclass of :class:`gantheory.images.models.base.ImageModel`) or to
the import path of one, ``"package.module:Class"``. The built-in models are stored as paths,
so that reading the names (:func:`model_names`, the choices of ``gantheory train``) imports
neither torch nor the models; :func:`model_class` imports a model when it is asked for.

Adding a model is one module with its class and one line here (or, outside the package, one
call of :func:`register_model`).

Examples
--------
>>> model_names()
('dcgan', 'cgan', 'wgan-gp', 'vae', 'vaegan')
>>> model_class("wgan-gp").__name__
'WGANGP'
>>> model_class("stylegan")
Traceback (most recent call last):
...
gantheory.errors.UsageError: model must be one of dcgan, cgan, wgan-gp, vae, vaegan; got 'stylegan'
"""

from __future__ import annotations

import importlib

from gantheory.errors import UsageError

__all__ = ["SAMPLE_KINDS", "model_class", "model_names", "name_of", "register_model"]

_MODELS: dict[str, str | type] = {
    "dcgan": "gantheory.images.models.dcgan:DCGAN",
    "cgan": "gantheory.images.models.cgan:CGAN",
    "wgan-gp": "gantheory.images.models.wgan_gp:WGANGP",
    "vae": "gantheory.images.models.vae:VAE",
    "vaegan": "gantheory.images.models.vaegan:VAEGAN",
}

#: The grids ``gantheory sample`` draws: random samples, one row per class (conditional
#: models), the four-corner latent interpolation, test images and their reconstructions
#: (models with an encoder).
SAMPLE_KINDS = ("random", "classes", "interpolate", "reconstructions")


def model_names() -> tuple[str, ...]:
    """The registered names, in the order they were registered."""
    return tuple(_MODELS)


def register_model(name: str, model: type | str) -> None:
    """Register ``model`` (a class or ``"module:Class"``) under ``name``.

    Raises
    ------
    TypeError
        If ``name`` is not a string or ``model`` neither a class nor a string.
    ValueError
        If ``name`` is empty or taken, or the path has no ``":"``.
    """
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"name must be a non-empty string; got {name!r}")
    if name in _MODELS:
        raise ValueError(f"name {name!r} is taken (by {_MODELS[name]!r})")
    if isinstance(model, str):
        if ":" not in model:
            raise ValueError(f"model must be a class or a 'module:Class' path; got {model!r}")
    elif not isinstance(model, type):
        raise TypeError(f"model must be a class or a 'module:Class' path; got "
                        f"{type(model).__name__}")
    _MODELS[name] = model


def model_class(name: str) -> type:
    """The class registered under ``name`` (imported now if it was registered by path).

    Raises
    ------
    UsageError
        If no model has that name.
    """
    if name not in _MODELS:
        raise UsageError(f"model must be one of {', '.join(_MODELS)}; got {name!r}")
    entry = _MODELS[name]
    if isinstance(entry, str):
        module, _, attribute = entry.partition(":")
        entry = getattr(importlib.import_module(module), attribute)
    return entry


def name_of(cls: type) -> str:
    """The name ``cls`` is registered under (found without importing the other models).

    Raises
    ------
    LookupError
        If ``cls`` is not registered.
    """
    path = f"{cls.__module__}:{cls.__qualname__}"
    for name, entry in _MODELS.items():
        if entry is cls or entry == path:
            return name
    raise LookupError(f"{cls.__qualname__} is not a registered image model; register it with "
                      "gantheory.images.registry.register_model(name, cls)")
