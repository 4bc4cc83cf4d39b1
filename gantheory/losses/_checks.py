"""Argument checks for the loss library, with messages that name the argument.

Every public loss validates its tensors here, so the messages read alike: a wrong type or an
integer tensor is a TypeError, a wrong shape, a mismatched batch, a tensor on another device or
a penalty asked at a point that does not require grad is a ValueError. Half-precision inputs are
upcast to float32 (:func:`upcast`) before anything that can lose accuracy.

The value checks (:func:`finite`) read a boolean off the tensor, a synchronisation on CUDA; they
guard against silent overflow of exponentials of log-variances.
"""

from __future__ import annotations

import torch

REDUCTIONS = ("mean", "none")
_HALF = (torch.float16, torch.bfloat16)


def tensor(value: object, name: str, *, min_ndim: int = 1) -> torch.Tensor:
    """A floating-point tensor with at least ``min_ndim`` axes and a non-empty batch axis 0."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor; got {type(value).__name__}")
    if not torch.is_floating_point(value):
        raise TypeError(f"{name} must be a floating-point tensor; got {value.dtype}")
    if value.ndim < min_ndim:
        axes = "a batch axis" if min_ndim == 1 else f"at least {min_ndim} axes (batch first)"
        raise ValueError(f"{name} must have {axes}; got shape {tuple(value.shape)}")
    if value.ndim >= 1 and value.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one sample (axis 0 is empty)")
    return value


def logits(value: object, name: str) -> torch.Tensor:
    """A batch of logits: a float tensor of shape ``(N,)`` or ``(N, 1)``; returns ``(N,)``."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor; got {type(value).__name__}")
    if not torch.is_floating_point(value):
        raise TypeError(f"{name} must be a floating-point tensor of logits; got {value.dtype}")
    if value.ndim == 2 and value.shape[1] == 1:
        value = value[:, 0]
    if value.ndim != 1:
        raise ValueError(
            f"{name} must have shape (N,) or (N, 1), one logit per sample; got "
            f"{tuple(value.shape)}"
        )
    if value.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one sample")
    return value


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


def requires_grad(value: torch.Tensor, name: str) -> torch.Tensor:
    """A point at which a gradient penalty is taken must require grad."""
    if not value.requires_grad:
        raise ValueError(
            f"{name} must require grad for a gradient penalty (pass {name}.requires_grad_(); "
            "a detached input gives the critic no gradient in x to penalise)"
        )
    return value


def reduction(value: object) -> str:
    """``"mean"`` (over the batch) or ``"none"`` (per sample)."""
    if value not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}; got {value!r}")
    return str(value)


def number(value: object, name: str, *, minimum: float | None = None,
           strict: bool = False) -> float:
    """A real number, optionally bounded below (``strict``: ``> minimum``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__}")
    out = float(value)
    if out != out or out in (float("inf"), float("-inf")):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    if minimum is not None and (out <= minimum if strict else out < minimum):
        raise ValueError(f"{name} must be {'>' if strict else '>='} {minimum}; got {value}")
    return out


def upcast(value: torch.Tensor) -> torch.Tensor:
    """Half-precision tensors (float16, bfloat16) are computed in float32; others unchanged.

    Under ``torch.autocast`` a network's outputs arrive in bfloat16; the losses exponentiate
    and sum them, which bfloat16's 8-bit mantissa would round visibly.
    """
    return value.float() if value.dtype in _HALF else value


def finite(value: torch.Tensor, name: str, hint: str = "") -> torch.Tensor:
    """Raise ValueError if ``value`` holds NaN or an infinity (loud, never silent)."""
    if not bool(torch.isfinite(value).all()):
        raise ValueError(f"{name} is not finite (NaN or inf){': ' + hint if hint else ''}")
    return value
