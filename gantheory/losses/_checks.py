"""Argument checks for tensors, with messages that name the argument."""

from __future__ import annotations

import torch


def logits(value: object, name: str) -> torch.Tensor:
    """Check a batch of logits: a float tensor of shape ``(N,)`` or ``(N, 1)``; returns ``(N,)``."""
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


def upcast(value: torch.Tensor) -> torch.Tensor:
    """Half-precision logits are computed in float32 (bf16 autocast keeps them as they are)."""
    return value.float() if value.dtype in (torch.float16, torch.bfloat16) else value
