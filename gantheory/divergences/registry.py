"""The registry of closed forms, in the manner of PyTorch's ``register_kl``.

A closed form is a short function ``fn(p, q) -> ClosedFormValue`` registered for a divergence
name and a pair of distribution types::

    @register("kl", Gaussian, Gaussian)
    def _kl_gaussian_gaussian(p, q): ...

It returns the value with a bound on its rounding error, :class:`ClosedFormValue`: a closed
form is exact in exact arithmetic, not in floating point, and near zero the difference
matters (a KL of :math:`10^{-20}` between nearly equal Gaussians).

:func:`lookup` finds the most specific registered pair for the actual types, walking their
method resolution orders, so a form registered for a base class serves its subclasses unless
a more specific one exists. The documentation lists the registered pairs from
:func:`registered_closed_forms`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class ClosedFormValue(NamedTuple):
    """A closed form's value and a bound on its rounding error (0 only if the value is exact)."""

    value: float
    error: float


ClosedForm = Callable[[object, object], ClosedFormValue]

_REGISTRY: dict[tuple[str, type, type], ClosedForm] = {}


def register(divergence: str, type_p: type, type_q: type) -> Callable[[ClosedForm], ClosedForm]:
    """Decorator registering a closed form of ``divergence`` for ``(type_p, type_q)``."""

    def decorator(fn: ClosedForm) -> ClosedForm:
        key = (divergence, type_p, type_q)
        if key in _REGISTRY:
            raise ValueError(
                f"a closed form of {divergence!r} for ({type_p.__name__}, {type_q.__name__}) "
                "is already registered"
            )
        _REGISTRY[key] = fn
        return fn

    return decorator


def lookup(divergence: str, p: object, q: object) -> ClosedForm | None:
    """The most specific closed form of ``divergence`` for ``(type(p), type(q))``, or None."""
    mro_p, mro_q = type(p).__mro__, type(q).__mro__
    best, best_rank = None, None
    for (name, tp, tq), fn in _REGISTRY.items():
        if name != divergence or tp not in mro_p or tq not in mro_q:
            continue
        rank = (mro_p.index(tp), mro_q.index(tq))
        if best_rank is None or rank < best_rank:
            best, best_rank = fn, rank
    return best


def registered_closed_forms() -> list[tuple[str, str, str, str]]:
    """Rows ``(divergence, type of p, type of q, first docstring line)`` for the docs."""
    rows = []
    for (name, tp, tq), fn in sorted(
        _REGISTRY.items(), key=lambda item: (item[0][0], item[0][1].__name__, item[0][2].__name__)
    ):
        doc = (fn.__doc__ or "").strip().splitlines()
        rows.append((name, tp.__name__, tq.__name__, doc[0] if doc else ""))
    return rows
