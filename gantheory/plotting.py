"""One figure style for the whole project; imported only by code that draws.

Colours have fixed meanings in every figure: the data distribution is :data:`DATA` (dark
grey), the generator :data:`GENERATOR` (orange), the discriminator :data:`DISCRIMINATOR`
(blue) and the optimal discriminator :data:`OPTIMAL` (green); published numbers are hatched grey.
Figures are written with :func:`save`, which closes them (long runs make many).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; never a window
import matplotlib.pyplot as plt  # noqa: E402

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
    "axes.prop_cycle": matplotlib.cycler(color=CYCLE),
    "image.cmap": "RdBu_r",
}


def use_style() -> None:
    """Apply :data:`STYLE` to matplotlib's global settings."""
    plt.rcParams.update(STYLE)


def figure(nrows: int = 1, ncols: int = 1, *, size: tuple[float, float] = (3.2, 2.8),
           **kwargs):
    """``plt.subplots`` in the project style, ``size`` per panel (inches)."""
    use_style()
    return plt.subplots(nrows, ncols, figsize=(size[0] * ncols, size[1] * nrows), squeeze=False,
                        **kwargs)


def save(fig, path: str | Path) -> Path:
    """Write ``fig`` (format from the suffix), make the folder, close the figure."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
