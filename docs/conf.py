"""Sphinx configuration of the gantheory documentation.

Build (from the repository root)::

    pip install -e ".[docs]"
    sphinx-build -W docs docs/_build/html                            # full: every demo runs
    GANTHEORY_DOCS_FAST=1 sphinx-build -W docs docs/_build/html      # fast mode (CI, tests)

The site works offline: MathJax is fetched once from the npm registry into ``docs/_cache/`` and
served from the build's ``_static`` (``_ext/offline_mathjax.py``); no intersphinx inventories
are downloaded. Each theory page runs its ``gantheory verify`` checks at build time
(``_ext/verify_table.py``) and shows the figures of its theorems (``_ext/theorem_figures.py``);
the gallery is built from ``demos/plot_*.py`` by sphinx-gallery into ``auto_examples/``.

Every build executes every demo at its default size, which each demo states (seconds to a
minute on a CPU; ``GANTHEORY_FULL=1`` in the environment asks the demos for their experiments'
real sizes). ``GANTHEORY_DOCS_SKIP`` (a regular expression on the part of the file name after
``plot_``) leaves some out, e.g. ``GANTHEORY_DOCS_SKIP='toy_gan_.*'``; ``-D plot_gallery=0``
runs no demo at all (sphinx-gallery's own switch). Fast mode (``GANTHEORY_DOCS_FAST=1``, for
CI and the tests) is read by the theory pages' checks.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

import gantheory  # noqa: E402

project = "gantheory"
author = "gantheory developers"
copyright = "2026, gantheory developers"
release = gantheory.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "offline_mathjax",
    "api_pages",
    "verify_table",
    "theorem_figures",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "_cache", "**/.ipynb_checkpoints", "auto_examples/*.ipynb"]
root_doc = "index"
default_role = "math"

# -- fast mode -----------------------------------------------------------------------------------

FAST = os.environ.get("GANTHEORY_DOCS_FAST", "0").lower() not in ("", "0", "false", "no")

# -- API reference -------------------------------------------------------------------------------

api_package = "gantheory"
api_pages_dir = "api/modules"
api_exclude = ["gantheory.cli"]

autosummary_generate = True
autosummary_imported_members = False
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # numpydoc's Parameters sections carry the types
numpydoc_show_class_members = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# -- gallery ------------------------------------------------------------------------------------

DEMOS = ROOT / "demos"
HAVE_DEMOS = DEMOS.is_dir() and any(DEMOS.glob("plot_*.py"))
if not HAVE_DEMOS:  # a placeholder, so that the table of contents resolves
    (DOCS / "auto_examples").mkdir(exist_ok=True)
    (DOCS / "auto_examples" / "index.rst").write_text(
        "Gallery\n=======\n\nNo gallery scripts (``demos/plot_*.py``) were found.\n"
    )


# Every demo runs in every build, at its default size (seconds to a minute on a CPU, stated in
# its text); ``GANTHEORY_DOCS_SKIP`` (a regular expression on the name after ``plot_``) leaves
# some out, e.g. ``GANTHEORY_DOCS_SKIP='toy_gan_.*'``.
SKIP = os.environ.get("GANTHEORY_DOCS_SKIP", "")
re.compile(SKIP)  # fail early on a bad pattern

sphinx_gallery_conf = {
    "examples_dirs": [str(DEMOS)] if HAVE_DEMOS else [],
    "gallery_dirs": ["auto_examples"] if HAVE_DEMOS else [],
    # Executed: the demos whose name (after plot_) does not match SKIP.
    "filename_pattern": rf"/plot_(?!(?:{SKIP})\.py$)" if SKIP else r"/plot_",
    "ignore_pattern": r"__init__\.py|/_",
    "doc_module": ("gantheory",),
    "backreferences_dir": "gen_modules/backreferences",
    "reset_modules": ("matplotlib",),
    "remove_config_comments": True,
    "min_reported_time": 1,
    "show_memory": False,
    "show_signature": False,
    "matplotlib_animations": False,
    "abort_on_example_error": False,
    "within_subsection_order": "gallery_order.RegistryOrder",
    # The computation-time pages load jQuery and DataTables from CDNs: not offline.
    "write_computation_times": False,
}

# Theory pages embed the gallery's images of their figures; a figure the gallery did not draw
# (``GANTHEORY_DOCS_SKIP``, ``-D plot_gallery=0``) is drawn by running its example.
theorem_figures_draw = True

# -- HTML ---------------------------------------------------------------------------------------

html_theme = "alabaster"
html_static_path = ["_static"]
html_css_files = ["gantheory.css"]
html_title = f"gantheory {release}"
html_theme_options = {
    "description": "The theory of GANs and VAEs as something you can run",
    "page_width": "1180px",
    "sidebar_width": "250px",
    "fixed_sidebar": True,
    "show_relbars": True,
}
html_sidebars = {"**": ["about.html", "navigation.html", "relations.html", "searchbox.html"]}
html_show_sourcelink = False
html_copy_source = False
# The search page shows a text snippet under each result. Sphinx 9's searchtools.js builds it
# from the result's built HTML page (the element with role="main"), not from the copied
# sources in _sources/, so html_copy_source can stay off. A browser allows that request only
# when the site is served (``python -m http.server -d docs/_build/html``); from file:// it
# lists the results without snippets.
html_show_search_summary = True

# MathJax 3, served from _static by offline_mathjax (no network address in the HTML).
offline_mathjax_spec = "mathjax@3.2.2"
offline_mathjax_file = "es5/tex-svg-full.js"
offline_mathjax_cache = "_cache/mathjax"
# Without noerrors/noundefined, a TeX error or an unknown macro is typeset as an error box
# (<mjx-merror>), which tests/test_docs.py looks for.
mathjax3_config = {
    "tex": {"packages": {"[-]": ["noerrors", "noundefined"]}},
    "svg": {"fontCache": "global"},
}
