"""Numerical helpers shared by the theorem checks."""

from __future__ import annotations

from collections.abc import Callable


def derivative(f: Callable[[float], float], x: float, h: float = 1e-3) -> float:
    r"""Central finite difference with one Richardson step, error :math:`O(h^4)`.

    .. math::

        D(h) = \frac{f(x + h) - f(x - h)}{2h}, \qquad f'(x) \approx \frac{4 D(h/2) - D(h)}{3}.
    """

    def central(step: float) -> float:
        return (f(x + step) - f(x - step)) / (2.0 * step)

    return (4.0 * central(h / 2.0) - central(h)) / 3.0


def second_derivative(f: Callable[[float], float], x: float, h: float = 1e-2) -> float:
    r"""Central second difference with one Richardson step, error :math:`O(h^4)`."""

    def central(step: float) -> float:
        return (f(x + step) - 2.0 * f(x) + f(x - step)) / step**2

    return (4.0 * central(h / 2.0) - central(h)) / 3.0
