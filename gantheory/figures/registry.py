r"""The registry of figures: what each one shows, the theorems it illustrates, which example
draws it.

A figure is a :class:`FigureSpec`: a kebab-case ``name``, a ``title``, a ``topic``, the keys of
the ``gantheory verify`` theorems it illustrates, and whether its example trains a network
(``needs_torch``). The figure is drawn by one gallery example, ``demos/plot_<name>.py``: the
example is the only code of the figure. :meth:`FigureSpec.write` runs that script in a fresh
Python process with matplotlib's non-interactive backend (:mod:`gantheory.figures.runner`) and
saves every figure it leaves open as ``<name>.png``, ``<name>-2.png``, ...; :func:`make_figures`
writes several.

Size: every example runs at a small, stated size by default (seconds on a CPU); with the
environment variable :data:`FULL_ENV` set to ``1`` (``fast=False`` here, ``gantheory figures
--full``) it runs at its experiment's real size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: The topics, in the order the gallery lists them.
TOPICS = ("gan-theory", "divergences", "toy-lab", "vae", "images")

#: The environment variable that asks the examples for their full size (``1``).
FULL_ENV = "GANTHEORY_FULL"


def demos_folder() -> Path:
    """The folder of the gallery examples: ``$GANTHEORY_DEMOS``, else ``demos/`` beside the
    package (a source checkout or an editable install).
    """
    override = os.environ.get("GANTHEORY_DEMOS")
    return Path(override) if override else Path(__file__).resolve().parents[2] / "demos"


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the gallery.

    Attributes
    ----------
    name : str
        Kebab-case name; the files start with it and ``demos/plot_<name>.py`` (dashes as
        underscores) draws it.
    title : str
        A one-line title.
    topic : str
        One of :data:`TOPICS`.
    theorems : tuple of str
        Keys of :data:`gantheory.theorems.catalogue.CATALOGUE` the figure illustrates (may be
        empty for a pure experiment).
    needs_torch : bool
        Whether the example imports torch (it trains or builds a network).
    """

    name: str
    title: str
    topic: str
    theorems: tuple[str, ...] = ()
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

    @property
    def script(self) -> Path:
        """The path of the gallery script (:func:`demos_folder` / :attr:`demo`)."""
        return demos_folder() / self.demo

    def write(self, out_dir: str | Path, fast: bool = True) -> list[Path]:
        """Run the example and save the figures it draws in ``out_dir``.

        Parameters
        ----------
        out_dir : str or Path
            Folder (made if missing).
        fast : bool
            The example's default, small size; ``False`` sets :data:`FULL_ENV` for the
            experiment's real size.

        Returns
        -------
        list of Path
            The PNGs written, ``<name>.png`` first.

        Raises
        ------
        FileNotFoundError
            If the script is not there (an installed package without its ``demos/``).
        RuntimeError
            If the script fails; the message ends with its error output.
        """
        return run_example(self.script, out_dir, self.name, full=not fast)["files"]


def run_example(script: str | Path, out_dir: str | Path, stem: str, *, full: bool = False,
                timeout: float | None = None) -> dict:
    """Run a gallery script in a fresh process with the Agg backend; save its open figures.

    Returns the runner's report: ``files`` (list of Path, ``out_dir/<stem>.png``,
    ``<stem>-2.png``, ...), ``torch`` (whether the script imported torch), ``seconds``.
    The script runs in a temporary working folder, with ``plt.show`` a no-op.
    """
    script = Path(script).resolve()
    if not script.is_file():
        raise FileNotFoundError(
            f"{script} not found: the figures are drawn by the gallery scripts of a source "
            "checkout (set GANTHEORY_DEMOS to their folder)")
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "MPLBACKEND": "Agg", FULL_ENV: "1" if full else "0"}
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    with tempfile.TemporaryDirectory(prefix="gantheory-example-") as cwd:
        proc = subprocess.run(
            [sys.executable, "-m", "gantheory.figures.runner", str(script), str(out_dir), stem],
            cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{script.name} failed (exit {proc.returncode}):\n"
                           f"{proc.stderr[-4000:]}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    report["files"] = [Path(p) for p in report["files"]]
    return report


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
