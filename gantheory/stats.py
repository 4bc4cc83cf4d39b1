r"""Means with their standard errors: over seeds, and over Monte Carlo draws.

:func:`mean_and_standard_error` is the one estimator of the package's "mean ± s.e." numbers
(Monte Carlo expectations in the theorems and figures, spreads over seeds in the toy lab);
:func:`summarize` wraps it for tables of results over seeds, with :class:`Summary` printing
``"mean ± s.e."``.

Numeric core: numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Summary", "mean_and_standard_error", "summarize"]


def mean_and_standard_error(values: Any, axis: int = 0) -> tuple[Any, Any]:
    r"""Sample mean and the standard error of the mean along ``axis``.

    .. math::

        \bar v = \frac1n \sum_i v_i, \qquad
        \mathrm{s.e.} = \frac{s}{\sqrt n}, \qquad
        s^2 = \frac{1}{n - 1} \sum_i (v_i - \bar v)^2 .

    Parameters
    ----------
    values : array_like
        The values, ``n`` of them along ``axis``.
    axis : int
        The axis of the draws (seeds, Monte Carlo samples).

    Returns
    -------
    (mean, se)
        Floats for 1-D ``values``, arrays of the other axes' shape otherwise. With one value
        the standard error is undefined: ``nan``.

    Examples
    --------
    >>> mean_and_standard_error([6, 7, 8, 6])  # s^2 = 11/12, se = sqrt(11/48)
    (6.75, 0.4787135538781691)
    >>> mean_and_standard_error([0.5])
    (0.5, nan)
    """
    v = np.asarray(values, dtype=np.float64)
    n = v.shape[axis]
    with np.errstate(invalid="ignore"):
        mean = v.mean(axis=axis)
        if n > 1:
            se = v.std(axis=axis, ddof=1) / np.sqrt(n)
        else:
            se = np.full(np.shape(mean), np.nan)
    if v.ndim == 1:
        return float(mean), float(se)
    return mean, se


@dataclass(frozen=True, eq=False)
class Summary:
    """Mean and standard error of the mean over ``n`` seeds.

    ``str`` gives ``"mean ± se"``; :meth:`format` fixes the decimals.
    """

    mean: Any
    se: Any
    n: int

    def format(self, digits: int = 2) -> str:
        """``"mean ± se"`` with ``digits`` decimals (scalar summaries)."""
        return f"{float(self.mean):.{digits}f} ± {float(self.se):.{digits}f}"

    def __str__(self) -> str:
        if np.ndim(self.mean) == 0:
            return f"{float(self.mean):.4g} ± {float(self.se):.2g}"
        return f"{self.mean} ± {self.se}"


def summarize(values: Any) -> Summary:
    r"""Mean and standard error over seeds, for "mean ± s.e." tables.

    The estimator of :func:`mean_and_standard_error` along the first axis, with the input
    checked.

    Parameters
    ----------
    values : array_like, shape (M,) or (M, ...)
        One value per seed along the first axis.

    Returns
    -------
    Summary
        ``mean`` and ``se`` (floats for ``(M,)``, arrays otherwise) and ``n = M``.

    Raises
    ------
    TypeError
        ``values`` are not real numbers.
    ValueError
        No value, or a NaN among them.

    Notes
    -----
    With one seed the standard error is undefined (``ddof=1``): ``se`` is ``nan``. Infinite
    values (a reverse KL of ``inf``) are allowed: the mean is then infinite and ``se`` is
    ``nan``. NaN values are rejected.

    Examples
    --------
    >>> s = summarize([6, 7, 8, 6])
    >>> float(s.mean), float(s.se)  # s^2 = 11/12, se = sqrt(11/48)
    (6.75, 0.4787135538781691)
    >>> s.format(1)
    '6.8 ± 0.5'
    >>> summarize([0.5]).se
    nan
    """
    try:
        v = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"values must be an array of real numbers; got {values!r}") from exc
    if v.ndim == 0 or v.shape[0] == 0:
        raise ValueError(f"values must hold at least one value per seed; got shape {v.shape}")
    if np.any(np.isnan(v)):
        raise ValueError("values must not contain NaN")
    mean, se = mean_and_standard_error(v)
    return Summary(mean, se, v.shape[0])
