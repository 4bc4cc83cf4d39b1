"""Write the API reference's module pages from the package itself, before the build reads.

Every public module of the package (no component starting with ``_``; ``__main__`` and the
names in ``api_exclude`` left out) gets a page ``api/<module>.rst`` with its docstring and an
autosummary table of its public names: ``__all__`` where the module has one, otherwise the
functions and classes it defines and the attributes it documents with ``#:`` comments. An
object re-exported by several modules is documented once, under its shortest public name
(``gantheory.kl``, not ``gantheory.divergences.api.kl``), which is also the name that
sphinx-gallery records when an example uses it, so each API page's ``minigallery`` finds the
examples that call it. The other modules list it as "also available here" with a link.

The pages are written when the configuration is read (before Sphinx looks for source files),
into a git-ignored folder; ``autosummary_generate`` then writes one page per object from
``docs/_templates/autosummary``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from types import ModuleType

from sphinx.application import Sphinx
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging

logger = logging.getLogger(__name__)

_PRIMITIVE = (int, float, complex, str, bytes, bool, type(None))


def public_modules(package: str, exclude: tuple[str, ...] = ()) -> list[str]:
    """``package`` and its public submodules, depth first in alphabetical order."""
    root = importlib.import_module(package)
    names = [package]
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        parts = info.name.split(".")
        if any(p.startswith("_") for p in parts) or info.name in exclude:
            continue
        if any(info.name.startswith(f"{e}.") for e in exclude):
            continue
        names.append(info.name)
    return sorted(names, key=lambda n: n.split("."))


def _kind(obj: object) -> str:
    if inspect.isclass(obj):
        return "Classes"
    if callable(obj):
        return "Functions"
    return "Data"


def public_names(module: ModuleType) -> list[str]:
    """The names a module offers: ``__all__``, or what it defines and documents."""
    exported = getattr(module, "__all__", None)
    if exported is not None:
        return [n for n in exported if not n.startswith("_")]
    names = []
    for name, obj in vars(module).items():
        if name.startswith("_") or inspect.ismodule(obj):
            continue
        if (inspect.isclass(obj) or inspect.isfunction(obj)) and obj.__module__ == module.__name__:
            names.append(name)
    try:
        documented = ModuleAnalyzer.for_module(module.__name__).find_attr_docs()
    except Exception:  # noqa: BLE001 - a module without source simply documents no attributes
        documented = {}
    for (scope, name), _doc in documented.items():
        if scope == "" and not name.startswith("_") and name not in names:
            names.append(name)
    return names


def _identity(obj: object, module: str, name: str) -> object:
    return (module, name) if isinstance(obj, _PRIMITIVE) else id(obj)


def write_pages(package: str, outdir: Path, exclude: tuple[str, ...]) -> list[str]:
    """Write ``outdir/<module>.rst`` for every public module; return the module names."""
    modules = public_modules(package, exclude)
    canonical: dict[object, str] = {}
    members: dict[str, list[tuple[str, object]]] = {}
    # Shortest public name first: the depth of the module, then its name.
    for modname in sorted(modules, key=lambda n: (n.count("."), n)):
        module = importlib.import_module(modname)
        members[modname] = []
        for name in public_names(module):
            obj = getattr(module, name)
            members[modname].append((name, obj))
            canonical.setdefault(_identity(obj, modname, name), f"{modname}.{name}")

    outdir.mkdir(parents=True, exist_ok=True)
    written = set()
    documented = set()  # the full names autosummary writes a page for
    for modname in modules:
        own: dict[str, list[str]] = {}
        elsewhere: list[tuple[str, str]] = []
        for name, obj in members[modname]:
            full = canonical[_identity(obj, modname, name)]
            if full == f"{modname}.{name}":
                own.setdefault(_kind(obj), []).append(name)
                documented.add(full)
            else:
                elsewhere.append((name, full))
        lines = [modname, "=" * len(modname), "", f".. automodule:: {modname}", "",
                 f".. currentmodule:: {modname}", ""]
        for kind in ("Functions", "Classes", "Data"):
            if kind not in own:
                continue
            lines += [f".. rubric:: {kind}", "", ".. autosummary::", "   :toctree: generated",
                      "   :nosignatures:", ""]
            lines += [f"   {name}" for name in own[kind]]
            lines.append("")
        if elsewhere:
            lines += [".. rubric:: Also available here", ""]
            lines += [f"* ``{name}``: :py:obj:`{full}`" for name, full in elsewhere]
            lines.append("")
        text = "\n".join(lines)
        path = outdir / f"{modname}.rst"
        if not path.is_file() or path.read_text() != text:  # keep incremental builds incremental
            path.write_text(text)
        written.add(path.name)
    for stale in outdir.glob("*.rst"):
        if stale.name not in written:
            stale.unlink()
    # Pages of objects that no longer exist would be orphans (a warning, an error under -W).
    for stale in (outdir / "generated").glob("*.rst"):
        if stale.stem not in documented:
            stale.unlink()
    return modules


def _config_inited(app: Sphinx, config: object) -> None:
    cfg = app.config
    outdir = Path(app.confdir) / cfg.api_pages_dir
    modules = write_pages(cfg.api_package, outdir, tuple(cfg.api_exclude))
    # Name the pages to autosummary explicitly: with a cached environment, Sphinx's list of
    # source files (which ``autosummary_generate = True`` reads) does not have new ones yet.
    pages = [f"{cfg.api_pages_dir}/{m}.rst" for m in modules]
    if cfg.autosummary_generate is True or not cfg.autosummary_generate:
        cfg.autosummary_generate = pages
    else:
        cfg.autosummary_generate = [*cfg.autosummary_generate, *pages]
    logger.info("api_pages: %d module pages in %s", len(modules), outdir)


def setup(app: Sphinx) -> dict[str, object]:
    """Register the configuration values and write the pages when the configuration is read."""
    app.add_config_value("api_package", "gantheory", "env")
    app.add_config_value("api_pages_dir", "api/modules", "env")
    app.add_config_value("api_exclude", [], "env")
    app.connect("config-inited", _config_inited)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
