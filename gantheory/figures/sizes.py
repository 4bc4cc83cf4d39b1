"""Experiment sizes of the figures: full, fast, and a tiny size that only the tests use.

Each figure function asks :func:`pick` for its sizes. ``fast=False`` gives the experiment's
real sizes (the toy lab's defaults: 10 seeds, thousands of steps), ``fast=True`` a run of
seconds. The test suite sets :data:`TINY` (``monkeypatch.setattr``) to shrink the fast sizes
further where a figure offers a tiny size: the figures are then only smoke-tested.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

#: Shrink fast runs to a smoke test (set only by the tests).
TINY = False


def pick(fast: bool, full: T, quick: T, tiny: T | None = None) -> T:
    """``full`` unless ``fast``; then ``tiny`` if :data:`TINY` is set and one is given.

    Examples
    --------
    >>> pick(True, full=3000, quick=400)
    400
    >>> pick(False, full=3000, quick=400, tiny=5)
    3000
    """
    if not fast:
        return full
    if TINY and tiny is not None:
        return tiny
    return quick
