r"""``.. theorem-figures:: key [key ...]``: the figures that illustrate a page's theorems.

The figure registry :data:`gantheory.figures.FIGURES` (a dict of
:class:`~gantheory.figures.registry.FigureSpec`) says for every figure the catalogue theorems
it illustrates (``spec.theorems``) and the gallery script that shows it (``spec.demo``,
``plot_<name>.py`` somewhere under ``demos/``). For every figure of the page's theorems the
directive emits a figure with the images that sphinx-gallery made when it ran that script
(``auto_examples/**/images/sphx_glr_plot_<name>_NNN.png``), captioned with the figure's title and
a link to its gallery page.

Where the gallery has no images of a figure (its script was skipped, or the gallery was
built with ``-D plot_gallery=0``), the directive draws the figure by running its example
(``spec.write(folder)``, the example's default size) into ``_generated/figures/`` when the
configuration value ``theorem_figures_draw`` is ``True`` (the default), or is ``"no-torch"``
and the example needs no torch. A figure not drawn is named, with a link to its gallery page.

Options
-------
``:names:``
    figure names to show as well, whatever their theorems.
``:exclude:``
    figure names to leave out.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

_DRAWN: dict[str, list[Path]] = {}


def _registry():
    """``gantheory.figures.FIGURES``, or None where the package has no figures yet."""
    try:
        from gantheory import figures
    except ModuleNotFoundError as exc:
        if exc.name in ("gantheory.figures",):
            return None
        raise
    return getattr(figures, "FIGURES", None)


class TheoremFigures(SphinxDirective):
    """Embed the gallery's images of the figures registered for some theorems."""

    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec = {"names": directives.unchanged, "exclude": directives.unchanged}

    def _gallery(self) -> list[tuple[Path, Path]]:
        """The (examples folder, gallery folder) pairs of sphinx-gallery's configuration."""
        conf = getattr(self.config, "sphinx_gallery_conf", {}) or {}
        examples = conf.get("examples_dirs") or []
        galleries = conf.get("gallery_dirs") or []
        if isinstance(examples, str):
            examples, galleries = [examples], [galleries]
        srcdir = Path(self.env.srcdir)
        return [((srcdir / e).resolve(), (srcdir / g).resolve())
                for e, g in zip(examples, galleries, strict=True)]

    def _gallery_images(self, spec) -> tuple[list[str], str | None]:
        """The gallery images of ``spec`` (docnames relative to srcdir) and its page's label."""
        srcdir = Path(self.env.srcdir).resolve()
        for examples, gallery in self._gallery():
            for script in sorted(examples.rglob(spec.demo)):
                rel = script.relative_to(examples)
                out = gallery / rel.parent
                stem = script.stem
                images = sorted((out / "images").glob(f"sphx_glr_{stem}_[0-9][0-9][0-9].png"))
                label_path = (gallery.relative_to(srcdir) / rel).as_posix().replace("/", "_")
                label = f"sphx_glr_{label_path}"
                return ["/" + p.relative_to(srcdir).as_posix() for p in images], label
        return [], None

    def _draw(self, spec) -> list[str]:
        """Draw ``spec`` with the registry's own function into ``_generated/figures``."""
        srcdir = Path(self.env.srcdir).resolve()
        if spec.name not in _DRAWN:
            folder = srcdir / "_generated" / "figures" / spec.name
            folder.mkdir(parents=True, exist_ok=True)
            logger.info("theorem-figures: drawing %s", spec.name)
            # Drawn in a private folder, then moved: parallel readers (-j) may draw the same
            # figure at once, and each file appears whole.
            with tempfile.TemporaryDirectory(dir=folder.parent) as tmp:
                paths = spec.write(Path(tmp))
                drawn = []
                for path in paths:
                    if Path(path).suffix == ".png":
                        target = folder / Path(path).name
                        os.replace(path, target)
                        drawn.append(target)
            _DRAWN[spec.name] = drawn
        return ["/" + Path(p).resolve().relative_to(srcdir).as_posix() for p in _DRAWN[spec.name]]

    @staticmethod
    def _link(label: str) -> nodes.Node:
        """A reference to the gallery page with sphinx-gallery's ``label``."""
        ref = addnodes.pending_xref(
            "", refdomain="std", reftype="ref", reftarget=label, refexplicit=True, refwarn=True
        )
        ref += nodes.inline(text="gallery example")
        return ref

    def run(self) -> list[nodes.Node]:
        """One figure node per registered figure of the theorems."""
        from gantheory.theorems import catalogue

        keys = self.arguments[0].split() if self.arguments else []
        try:
            catalogue.select(keys)
        except ValueError as exc:
            return [self.state.document.reporter.error(str(exc), line=self.lineno)]
        registry = _registry()
        if registry is None:
            logger.info("theorem-figures: gantheory.figures has no FIGURES registry yet")
            return []
        names = set((self.options.get("names") or "").split())
        exclude = set((self.options.get("exclude") or "").split())
        unknown = (names | exclude) - set(registry)
        if unknown:
            msg = f"unknown figure(s): {', '.join(sorted(unknown))}"
            return [self.state.document.reporter.error(msg, line=self.lineno)]
        specs = [s for s in registry.values()
                 if (set(s.theorems) & set(keys) or s.name in names) and s.name not in exclude]

        draw = self.config.theorem_figures_draw
        out: list[nodes.Node] = []
        for spec in specs:
            images, label = self._gallery_images(spec)
            if not images and (draw is True or (draw == "no-torch" and not spec.needs_torch)):
                try:
                    images = self._draw(spec)
                except Exception as exc:  # noqa: BLE001 - reported as a build warning
                    logger.warning("theorem-figures: drawing %r failed: %s: %s", spec.name,
                                   type(exc).__name__, exc, location=(self.env.docname,
                                                                      self.lineno))
                    _DRAWN[spec.name] = []
            if not images:  # not drawn in this build: say where it is
                para = nodes.paragraph(classes=["theorem-figure-missing"])
                para += nodes.Text(f"Figure: {spec.title} (not drawn in this build; ")
                para += self._link(label) if label else nodes.literal(
                    text=f"gantheory figures --only {spec.name}")
                para += nodes.Text(").")
                out.append(para)
                continue
            figure = nodes.figure(classes=["theorem-figure"], ids=[f"figure-{spec.name}"])
            for uri in images:
                figure += nodes.image(uri=uri, alt=spec.title)
                self.env.note_dependency(str(Path(self.env.srcdir) / uri.lstrip("/")))
            caption = nodes.caption()
            caption += nodes.Text(f"{spec.title} ")
            if label is not None:
                caption += nodes.Text("(")
                caption += self._link(label)
                caption += nodes.Text(")")
            figure += caption
            out.append(figure)
        return out


def setup(app: Sphinx) -> dict[str, object]:
    """Register the directive and its configuration value."""
    app.add_config_value("theorem_figures_draw", True, "env", types=frozenset({bool, str}))
    app.add_directive("theorem-figures", TheoremFigures)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
