"""Argument checks for the loss library, with messages that name the argument.

Every public function of :mod:`gantheory.losses` validates its arguments here, so the messages
read alike: a wrong type, an integer tensor or a non-boolean flag is a TypeError; a wrong shape,
a mismatched batch, an empty batch, a tensor on another device, a number out of range, a
non-finite value or a critic that is not differentiable in its input is a ValueError. Half-
precision inputs are upcast to float32 (:func:`upcast`) before anything that can lose accuracy.

The value checks (:func:`require_finite`, :func:`no_overflow`) read one boolean off each tensor, a
synchronisation on CUDA; every caller exposes them as the keyword ``check_finite`` (the policy
is stated once, in :mod:`gantheory.losses`).
"""

from __future__ import annotations

import numbers

import torch

REDUCTIONS = ("mean", "sum", "none")
_HALF = (torch.float16, torch.bfloat16)


def tensor(value: object, name: str, *, min_ndim: int = 1, finite: bool = False
           ) -> torch.Tensor:
    """A floating-point tensor with at least ``min_ndim`` axes and a non-empty batch axis 0.

    ``finite=True`` also applies :func:`require_finite` (after the type and shape checks).
    """
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor; got {type(value).__name__}")
    if not torch.is_floating_point(value):
        raise TypeError(f"{name} must be a floating-point tensor; got {value.dtype}")
    if value.ndim < min_ndim:
        axes = "a batch axis" if min_ndim == 1 else f"at least {min_ndim} axes (batch first)"
        raise ValueError(f"{name} must have {axes}; got shape {tuple(value.shape)}")
    if value.ndim >= 1 and value.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one sample (axis 0 is empty)")
    return require_finite(value, name) if finite else value


def per_sample(value: object, name: str, *, what: str = "logits", finite: bool = False
               ) -> torch.Tensor:
    """One value per sample (``what``: logits, targets): a float tensor ``(N,)`` or ``(N, 1)``.

    Returns the ``(N,)`` view. ``finite=True`` applies :func:`require_finite` to the tensor as
    given, so that a reported index is one of the caller's tensor.
    """
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor; got {type(value).__name__}")
    if not torch.is_floating_point(value):
        raise TypeError(f"{name} must be a floating-point tensor of {what}; got {value.dtype}")
    if value.ndim not in (1, 2) or (value.ndim == 2 and value.shape[1] != 1):
        raise ValueError(
            f"{name} must have shape (N,) or (N, 1), one of the {what} per sample; got "
            f"{tuple(value.shape)}"
        )
    if value.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one sample")
    if finite:
        require_finite(value, name)
    return value.reshape(value.shape[0])


def same_batch(a: torch.Tensor, b: torch.Tensor, names: tuple[str, str]) -> None:
    """Equal batch sizes (axis 0) and one device."""
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same batch size; got {a.shape[0]} and "
            f"{b.shape[0]}"
        )
    same_device(a, b, names)


def same_shape(a: torch.Tensor, b: torch.Tensor, names: tuple[str, str]) -> None:
    """Equal shapes and one device."""
    if a.shape != b.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape; got {tuple(a.shape)} and "
            f"{tuple(b.shape)}"
        )
    same_device(a, b, names)


def same_device(a: torch.Tensor, b: torch.Tensor, names: tuple[str, str]) -> None:
    """Both tensors on one device."""
    if a.device != b.device:
        raise ValueError(
            f"{names[0]} and {names[1]} must be on one device; got {a.device} and {b.device}"
        )


def broadcasts_to(value: torch.Tensor, name: str, like: torch.Tensor, like_name: str) -> None:
    """``value`` broadcasts to ``like``'s shape without changing it, on ``like``'s device."""
    same_device(like, value, (like_name, name))
    try:
        fits = torch.broadcast_shapes(value.shape, like.shape) == like.shape
    except RuntimeError:
        fits = False
    if not fits:
        raise ValueError(
            f"{name} must have {like_name}'s shape {tuple(like.shape)} or broadcast to it; got "
            f"{tuple(value.shape)}"
        )


def requires_grad(value: torch.Tensor, name: str) -> torch.Tensor:
    """A point at which a gradient penalty is taken must require grad."""
    if not value.requires_grad:
        raise ValueError(
            f"{name} must require grad for a gradient penalty (pass {name}.requires_grad_(); "
            "a detached input gives the critic no gradient in x to penalise)"
        )
    return value


def reduction(value: object) -> str:
    """``"mean"`` or ``"sum"`` (over the batch), or ``"none"`` (per sample)."""
    if not isinstance(value, str) or value not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}; got {value!r}")
    return value


def reduce(per_sample_terms: torch.Tensor, how: str) -> torch.Tensor:
    """The ``(N,)`` terms reduced by ``how`` (checked by :func:`reduction`) over the batch."""
    how = reduction(how)
    if how == "none":
        return per_sample_terms
    return per_sample_terms.sum() if how == "sum" else per_sample_terms.mean()


def flag(value: object, name: str) -> bool:
    """A bool (``check_finite``, ``one_sided``): a truthy string is not accepted."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False; got {value!r}")
    return value


def number(value: object, name: str, *, minimum: float | None = None,
           strict: bool = False) -> float:
    """A finite real number, optionally bounded below (``strict``: ``> minimum``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__}")
    out = float(value)
    if out != out or out in (float("inf"), float("-inf")):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    if minimum is not None and (out <= minimum if strict else out < minimum):
        raise ValueError(f"{name} must be {'>' if strict else '>='} {minimum}; got {value}")
    return out


def integer(value: object, name: str, *, minimum: int) -> int:
    """An integer (Python or numpy, not bool) ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def generator(value: object) -> torch.Generator | None:
    """``None`` or a ``torch.Generator`` (the source of a function's random draws)."""
    if value is not None and not isinstance(value, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator or None; got {type(value).__name__}")
    return value


def like(value: object, name: str = "like") -> torch.Tensor:
    """A tensor whose dtype and device a result takes."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor; got {type(value).__name__}")
    return value


def upcast(value: torch.Tensor) -> torch.Tensor:
    """Half-precision tensors (float16, bfloat16) are computed in float32; others unchanged.

    Under ``torch.autocast`` a network's outputs arrive in bfloat16; the losses exponentiate
    and sum them, which bfloat16's 8-bit mantissa would round visibly.
    """
    return value.float() if value.dtype in _HALF else value


def _first_non_finite(value: torch.Tensor) -> str:
    """``"NaN at index 3"``: the first non-finite element of ``value`` (read on error only)."""
    value = value.detach()
    index = tuple(int(i) for i in (~torch.isfinite(value)).nonzero()[0])
    element = float(value[index])
    kind = "NaN" if element != element else ("inf" if element > 0 else "-inf")
    if not index:
        return kind
    return f"{kind} at index {index[0] if len(index) == 1 else index}"


def require_finite(value: torch.Tensor, name: str) -> torch.Tensor:
    """Raise ValueError naming ``name`` and its first NaN or infinity, if it holds one.

    One ``torch.isfinite(value).all()``, read on the host (a synchronisation on CUDA). A tensor
    on the ``meta`` device holds no values and passes.
    """
    if value.device.type != "meta" and not bool(torch.isfinite(value).all()):
        raise ValueError(f"{name} is not finite: it contains {_first_non_finite(value)}")
    return value


def no_overflow(value: torch.Tensor, what: str, hint: str, check: bool = True) -> torch.Tensor:
    """Raise ValueError if a result computed from finite inputs is not finite (an overflow).

    ``check=False`` (the caller's ``check_finite=False``) returns ``value`` unread.
    """
    if check and value.device.type != "meta" and not bool(torch.isfinite(value).all()):
        raise ValueError(f"{what} is not finite (NaN or inf): {hint}")
    return value
