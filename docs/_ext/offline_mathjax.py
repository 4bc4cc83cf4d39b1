"""Serve MathJax 3 from the built site itself, so the docs typeset maths offline.

Nothing of MathJax is kept in the repository. On the first HTML build the package is fetched
from the npm registry with the ordinary client (``npm pack mathjax@3.2.2``) into a git-ignored
cache folder; later builds reuse the cached tarball and need no network. One self-contained
file, ``es5/tex-svg-full.js`` (every TeX extension built in, SVG output, so no font files and
no extension is loaded on demand), is copied with MathJax's licence into the build's
``_static/mathjax/``, and ``mathjax_path`` points at it: the built HTML names no network
address to load a script or a font from.

Configuration values (``conf.py``):

``offline_mathjax_spec``
    the npm package spec, default ``"mathjax@3.2.2"``;
``offline_mathjax_file``
    the file of the package to serve, default ``"es5/tex-svg-full.js"``;
``offline_mathjax_cache``
    the cache folder, relative to the configuration directory, default ``"_cache/mathjax"``.

The environment variable ``GANTHEORY_MATHJAX_TGZ`` may name a tarball of the package that is
already on disk (``npm pack`` output); then npm is not called at all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

_STATIC_SUBDIR = "mathjax"


def _tarball(spec: str, cache: Path) -> Path:
    """The package tarball for ``spec``: from the environment, the cache, or ``npm pack``."""
    given = os.environ.get("GANTHEORY_MATHJAX_TGZ")
    if given:
        path = Path(given)
        if not path.is_file():
            raise ExtensionError(f"GANTHEORY_MATHJAX_TGZ={given!r} is not a file")
        return path
    name, _, version = spec.rpartition("@")
    expected = cache / f"{name}-{version}.tgz"
    if expected.is_file():
        return expected
    npm = shutil.which("npm")
    if npm is None:
        raise ExtensionError(
            "the docs serve MathJax from the build itself and fetch it once with npm "
            f"(`npm pack {spec}`), but npm is not on PATH: install Node.js and npm "
            "(Debian: apt-get install -y npm), or set GANTHEORY_MATHJAX_TGZ to a tarball"
        )
    cache.mkdir(parents=True, exist_ok=True)
    logger.info("offline_mathjax: npm pack %s into %s", spec, cache)
    proc = subprocess.run(
        [npm, "pack", spec, "--pack-destination", str(cache), "--silent"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise ExtensionError(f"`npm pack {spec}` failed ({proc.returncode}):\n{proc.stderr}")
    made = cache / proc.stdout.strip().splitlines()[-1]
    if not made.is_file():
        raise ExtensionError(f"`npm pack {spec}` did not write {made}")
    if made != expected:
        made.replace(expected)
    return expected


def _extract(tgz: Path, member: str, static: Path) -> Path:
    """Copy ``package/<member>`` and the licence from ``tgz`` into ``static/mathjax/``."""
    out_dir = static / _STATIC_SUBDIR
    target = out_dir / Path(member).name
    stamp = out_dir / ".source"
    source = f"{tgz.resolve()}:{member}"
    if target.is_file() and stamp.is_file() and stamp.read_text() == source:
        return target
    out_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tgz, "r:gz") as tar:
        for name, dest in ((f"package/{member}", target), ("package/LICENSE", out_dir / "LICENSE")):
            try:
                handle = tar.extractfile(name)
            except KeyError as exc:
                raise ExtensionError(f"{tgz} has no {name}") from exc
            if handle is None:
                raise ExtensionError(f"{tgz}: {name} is not a regular file")
            dest.write_bytes(handle.read())
    stamp.write_text(source)
    return target


def _static_dir(app: Sphinx) -> Path:
    return Path(app.confdir) / app.config.offline_mathjax_cache / "static"


def _configure(app: Sphinx, config: object) -> None:
    """Point ``mathjax_path`` and ``html_static_path`` at the copy (before the build starts)."""
    cfg = app.config
    static_dir = _static_dir(app)
    static_dir.mkdir(parents=True, exist_ok=True)  # Sphinx warns about a missing static path
    static = str(static_dir)
    if static not in [str(Path(app.confdir) / p) for p in cfg.html_static_path]:
        cfg.html_static_path = [*cfg.html_static_path, static]
    # Relative to the build's _static folder (see sphinx.ext.mathjax).
    cfg.mathjax_path = f"{_STATIC_SUBDIR}/{Path(cfg.offline_mathjax_file).name}"


def _install(app: Sphinx) -> None:
    """Fetch (once) and copy the MathJax file when an HTML builder starts."""
    if app.builder.format != "html":
        return
    cfg = app.config
    tgz = _tarball(cfg.offline_mathjax_spec, Path(app.confdir) / cfg.offline_mathjax_cache)
    _extract(tgz, cfg.offline_mathjax_file, _static_dir(app))
    logger.info("offline_mathjax: serving %s from _static/%s", tgz.name, cfg.mathjax_path)


def setup(app: Sphinx) -> dict[str, object]:
    """Register the configuration values and fetch MathJax when an HTML builder starts."""
    app.setup_extension("sphinx.ext.mathjax")
    app.add_config_value("offline_mathjax_spec", "mathjax@3.2.2", "html")
    app.add_config_value("offline_mathjax_file", "es5/tex-svg-full.js", "html")
    app.add_config_value("offline_mathjax_cache", "_cache/mathjax", "html")
    app.connect("config-inited", _configure)
    app.connect("builder-inited", _install)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
