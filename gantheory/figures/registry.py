r"""The registry of figures: what each one shows, the theorems it illustrates, how it is made.

A figure is a :class:`FigureSpec`: a kebab-case ``name``, a ``title``, a ``topic``, the keys of
the ``gantheory verify`` theorems it illustrates, and a ``draw`` function. ``draw(out_dir,
fast)`` returns a list whose items are either

* an open :class:`matplotlib.figure.Figure` whose label (:meth:`~matplotlib.figure.Figure.
  set_label`) is the file stem: :func:`write` saves it as ``out_dir/<label>.png``; or
* a :class:`~pathlib.Path` of a file the function wrote itself (the toy-lab plots of
  :mod:`gantheory.toylab.plots` save as they draw, and the animated GIF).

:meth:`FigureSpec.write` is the ``(out_dir, fast) -> list[Path]`` function of an entry;
:func:`make` runs several; :func:`draw` returns open figures for a gallery script or a
notebook (files written by the toy lab come back as figures showing the PNG).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The topics, in the order the gallery lists them.
TOPICS = ("gan-theory", "divergences", "vae", "toy-lab", "images")

DrawFunction = Callable[[Path, bool], list[Any]]


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the gallery.

    Attributes
    ----------
    name : str
        Kebab-case name; files start with it and ``demos/plot_<name>.py`` (dashes as
        underscores) shows it.
    title : str
        A one-line title.
    topic : str
        One of :data:`TOPICS`.
    theorems : tuple of str
        Keys of :data:`gantheory.theorems.catalogue.CATALOGUE` the figure illustrates (may be
        empty for a pure experiment).
    draw : callable
        ``draw(out_dir, fast)``: a list of open figures (labelled with their file stems) and
        paths of files already written (see the module docstring).
    needs_torch : bool
        Whether ``draw`` trains or loads a network (torch is imported inside it, lazily).
    """

    name: str
    title: str
    topic: str
    theorems: tuple[str, ...]
    draw: DrawFunction
    needs_torch: bool = False

    def __post_init__(self) -> None:
        if self.topic not in TOPICS:
            raise ValueError(f"topic must be one of {TOPICS}; got {self.topic!r}")
        if not self.name or self.name != self.name.lower() or " " in self.name or "_" in \
                self.name:
            raise ValueError(f"name must be kebab-case; got {self.name!r}")

    @property
    def demo(self) -> str:
        """The file name of this figure's gallery script, ``plot_<name>.py``."""
        return "plot_" + self.name.replace("-", "_") + ".py"

    def write(self, out_dir: str | Path, fast: bool = True) -> list[Path]:
        """Make the figure's files in ``out_dir`` and close the figures.

        Parameters
        ----------
        out_dir : str or Path
            Folder (made if missing).
        fast : bool
            Small sizes (seconds to a minute on a laptop CPU) instead of the experiment's.

        Returns
        -------
        list of Path
            The files written: PNGs, and a GIF where the figure animates.
        """
        import matplotlib.pyplot as plt

        outputs = self._outputs(Path(out_dir), fast)
        paths = []
        for item in outputs:
            if isinstance(item, Path):
                paths.append(item)
            else:
                paths.append(save_open(item, Path(out_dir)))
                plt.close(item)
        return paths

    def figures(self, out_dir: str | Path, fast: bool = True) -> list[Any]:
        """Make the files, as :meth:`write` does, and return the figures open.

        Figures drawn here stay open; a PNG written by the toy lab comes back as a new
        figure that shows it (:func:`show_png`); a GIF is written but not shown.
        """
        outputs = self._outputs(Path(out_dir), fast)
        figs = []
        for item in outputs:
            if isinstance(item, Path):
                if item.suffix == ".png":
                    figs.append(show_png(item))
            else:
                save_open(item, Path(out_dir))
                figs.append(item)
        return figs

    def _outputs(self, out_dir: Path, fast: bool) -> list[Any]:
        from gantheory import plotting

        out_dir.mkdir(parents=True, exist_ok=True)
        plotting.use_style()
        outputs = list(self.draw(out_dir, bool(fast)))
        for item in outputs:
            if not isinstance(item, Path) and not _label(item):
                raise RuntimeError(f"figure {self.name!r} drew a figure with no label")
        return outputs


def _label(fig: Any) -> str:
    return str(fig.get_label() or "")


def save_open(fig: Any, out_dir: Path) -> Path:
    """Save ``fig`` as ``out_dir/<its label>.png`` and leave it open."""
    path = Path(out_dir) / f"{_label(fig)}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path


def show_png(path: str | Path) -> Any:
    """A new figure showing the image file ``path`` at its own size, without axes."""
    import matplotlib.image as mpimg
    import matplotlib.pyplot as plt

    image = mpimg.imread(str(path))
    dpi = 110
    height, width = image.shape[:2]
    fig = plt.figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.imshow(image)
    ax.set_axis_off()
    fig.set_label(Path(path).stem)
    return fig


class Registry(dict):
    """The figures by name, in gallery order (a ``dict`` of :class:`FigureSpec`)."""

    def add(self, spec: FigureSpec) -> FigureSpec:
        """Register ``spec``; its name must be new."""
        if spec.name in self:
            raise ValueError(f"figure {spec.name!r} is registered twice")
        self[spec.name] = spec
        return spec

    def select(self, names: Iterable[str] | None = None) -> list[FigureSpec]:
        """The entries named (all, in order, by default); unknown names are one ValueError."""
        if names is None:
            return list(self.values())
        names = [names] if isinstance(names, str) else list(names)
        unknown = [n for n in names if n not in self]
        if unknown:
            raise ValueError(
                f"unknown figure(s): {', '.join(unknown)}; the figures are: "
                f"{', '.join(self)}")
        return [self[n] for n in dict.fromkeys(names)]

    def by_topic(self, topic: str) -> list[FigureSpec]:
        """The entries of one topic."""
        if topic not in TOPICS:
            raise ValueError(f"topic must be one of {TOPICS}; got {topic!r}")
        return [s for s in self.values() if s.topic == topic]


def make_figures(registry: Registry, out: str | Path, names: Sequence[str] | None = None,
                 fast: bool = True, progress: bool = True) -> list[Path]:
    """Write the named figures (all by default) of ``registry`` into ``out``."""
    specs = registry.select(names)
    out = Path(out)
    written: list[Path] = []
    total = time.perf_counter()
    for i, spec in enumerate(specs, 1):
        start = time.perf_counter()
        paths = spec.write(out, fast)
        written.extend(paths)
        if progress:
            print(f"[{i}/{len(specs)}] {spec.name}: {len(paths)} file(s) in "
                  f"{time.perf_counter() - start:.1f} s", flush=True)
    if progress:
        print(f"{len(written)} file(s) in {out} ({time.perf_counter() - total:.1f} s, "
              f"{'fast' if fast else 'full'} mode)", flush=True)
    return written
