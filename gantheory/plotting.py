"""One figure style for the whole project, applied only when asked.

Importing this module (or any of gantheory) changes neither matplotlib's backend nor its
global settings. The style is applied by an explicit call, for a whole script or notebook::

    from gantheory import plotting
    plotting.use_style()            # changes matplotlib.rcParams, like plt.style.use

or for a block, leaving the global settings as they were::

    with plotting.style():
        fig, ax = plt.subplots()

Colours have fixed meanings in every figure: the data distribution is :data:`DATA` (dark
grey), the generator :data:`GENERATOR` (orange), the discriminator :data:`DISCRIMINATOR`
(blue) and the optimal discriminator :data:`OPTIMAL` (green); published numbers are hatched grey.
:func:`figure` and :func:`save` (which closes the figure: long runs make many) apply the style
to the figure they make or write, and only to it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import matplotlib
from cycler import cycler

DATA = "#333333"
GENERATOR = "#e66101"
DISCRIMINATOR = "#2c7bb6"
OPTIMAL = "#1a9641"
PUBLISHED = "#999999"
#: Colours of compared methods, in order.
CYCLE = ["#e66101", "#5e3c99", "#2c7bb6", "#1a9641", "#d7191c", "#fdb863", "#b2abd2",
         "#abd9e9", "#a6611a", "#018571"]

STYLE = {
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "savefig.bbox": "tight",
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=CYCLE),
    "image.cmap": "RdBu_r",
}


def use_style() -> None:
    """Apply :data:`STYLE` to matplotlib's global settings (an explicit, lasting change)."""
    matplotlib.rcParams.update(STYLE)


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Apply :data:`STYLE` inside a ``with`` block; the global settings come back after it.

    Examples
    --------
    >>> import matplotlib
    >>> before = matplotlib.rcParams["font.size"]
    >>> with style():
    ...     matplotlib.rcParams["font.size"]
    9.0
    >>> matplotlib.rcParams["font.size"] == before
    True
    """
    with matplotlib.rc_context(STYLE):
        yield


def figure(nrows: int = 1, ncols: int = 1, *, size: tuple[float, float] = (3.2, 2.8),
           **kwargs):
    """``plt.subplots`` in the project style, ``size`` per panel (inches); axes always 2-D.

    The style shapes the figure and axes made here; the global settings are left alone.
    """
    import matplotlib.pyplot as plt

    with style():
        return plt.subplots(nrows, ncols, figsize=(size[0] * ncols, size[1] * nrows),
                            squeeze=False, **kwargs)


def save(fig, path: str | Path) -> Path:
    """Write ``fig`` (format from the suffix) in the project style, make the folder, close it."""
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with style():
        fig.savefig(path)
    plt.close(fig)
    return path
