"""The documentation: a fast-mode Sphinx build with warnings as errors, offline, typeset.

The docs are built once per session (``GANTHEORY_DOCS_FAST=1 sphinx-build -W``) into a temporary
folder. The checks read the HTML: every page is there, the ``verify-table`` directive ran the
catalogue and shows measured errors within the tolerances, each table's key links the page that
derives the theorem and its statement is maths, the theory pages show their figures, the gallery
examples link their theory pages, the API pages link the gallery examples that use them, and no
page loads a script, a style sheet or a font from a network address.

The browser test opens the theory pages from disk (``file://``) in headless Chromium with every
host name unresolvable, waits for MathJax, and checks that the maths is typeset (MathJax
containers for every formula, no TeX error boxes, no raw TeX left in the text), that nothing was
requested from the network and that nothing failed to load; it saves screenshots and checks
that they are non-blank PNGs showing typeset formulas. It needs Debian's ``chromium`` and
``chromium-driver`` (``.ci/run`` installs them): without them the test is skipped on a
developer's machine and fails in CI (``CI`` set).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
THEORY = sorted(p.stem for p in (DOCS / "theory").glob("*.rst"))
#: The theory pages with maths (all but the table of contents and the references).
DERIVATIONS = [name for name in THEORY if name not in ("index", "references")]
DEMOS = sorted((ROOT / "demos").glob("plot_*.py"))
THEORY_LINE = re.compile(r"^Theory: .*?:doc:`/theory/([a-z_]+)`", re.MULTILINE)
REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
NETWORK = re.compile(r"^(https?|wss?|ftp):", re.IGNORECASE)


@pytest.fixture(scope="session")
def built_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the docs in fast mode with warnings as errors; the HTML folder."""
    cached = any((DOCS / "_cache" / "mathjax").glob("mathjax-*.tgz"))
    if not (cached or shutil.which("npm") or os.environ.get("GANTHEORY_MATHJAX_TGZ")):
        msg = "the docs fetch MathJax once with npm, and npm is not installed"
        if os.environ.get("CI"):
            pytest.fail(f"{msg}; .ci/run installs it")
        pytest.skip(msg)
    out = tmp_path_factory.mktemp("docs")
    html = out / "html"
    env = {**os.environ, "GANTHEORY_DOCS_FAST": "1"}
    cmd = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-j", "auto", "-b", "html",
           "-d", str(out / "doctrees"), str(DOCS), str(html)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, (
        f"sphinx-build failed ({proc.returncode}):\n{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}"
    )
    return html


def test_docs_code_is_lint_clean() -> None:
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "docs"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _verify_table_module():
    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        import verify_table
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    return verify_table


def _listed_keys(page: str) -> set[str]:
    """The theorem keys a theory page's ``verify-table`` and ``theorem-figures`` name."""
    text = (DOCS / "theory" / f"{page}.rst").read_text(encoding="utf-8")
    found = re.findall(r"^\.\. (?:verify-table|theorem-figures)::(.*)$", text, re.MULTILINE)
    return {key for line in found for key in line.split()}


# -- the sources: where each theorem and each example is derived -------------------------------
def test_every_theorem_links_a_page_that_states_it() -> None:
    from gantheory.theorems.catalogue import CATALOGUE

    derived_on = _verify_table_module().DERIVED_ON
    assert set(derived_on) == {t.key for t in CATALOGUE}
    for key, docname in derived_on.items():
        folder, page = docname.split("/")
        assert folder == "theory" and page in DERIVATIONS, (key, docname)
        text = (DOCS / "theory" / f"{page}.rst").read_text(encoding="utf-8")
        # The page's own table shows the statement (not ``:no-statements:``).
        tables = re.findall(r"^\.\. verify-table::(.*)\n((?:   .*\n)*)", text, re.MULTILINE)
        assert any(key in keys.split() and ":no-statements:" not in options
                   for keys, options in tables), (key, docname)


def test_every_example_names_its_theory_page() -> None:
    import ast

    from gantheory.figures import FIGURES

    assert len(DEMOS) == 30
    theorems = {spec.demo: spec.theorems for spec in FIGURES.values()}
    for script in DEMOS:
        doc = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8"))) or ""
        pages = THEORY_LINE.findall(doc)
        assert len(pages) == 1, (script.name, pages)
        assert pages[0] in DERIVATIONS, (script.name, pages[0])
        if theorems.get(script.name):  # the page states one of the figure's theorems
            assert _listed_keys(pages[0]) & set(theorems[script.name]), (script.name, pages[0])


# -- the extension's statement layout ----------------------------------------------------------
def test_statements_break_into_lines_at_top_level_separators() -> None:
    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        from verify_table import statement_lines, statement_math
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    from gantheory.theorems.catalogue import CATALOGUE

    def squeeze(text: str) -> str:
        return re.sub(r"\\?\s+", "", text)

    for theorem in CATALOGUE:
        lines = statement_lines(theorem.statement)
        # Only breaks are added: the lines put back together are the statement.
        assert squeeze("".join(lines)) == squeeze(theorem.statement), theorem.key
        for line in lines:  # every line is valid TeX on its own: braces and \left..\right pair
            assert line.count("{") - line.count("\\{") == line.count("}") - line.count("\\}")
            assert len(re.findall(r"\\left(?![a-z])", line)) == len(
                re.findall(r"\\right(?![a-z])", line)), (theorem.key, line)
        math = statement_math(theorem.statement)
        assert math.startswith("\\[") and math.endswith("\\]")
        assert ("\\begin{gathered}" in math) == (len(lines) > 1)
    # A thin space \; is not a break; a top-level ; is; a comma inside parentheses is not.
    assert statement_lines("a \\;\\ge\\; b; c") == ["a \\;\\ge\\; b;", "c"]
    long = "f(x, y) = " + " + ".join(["x"] * 40) + ", " + " + ".join(["y"] * 40)
    assert statement_lines(long)[0].startswith("f(x, y) = ")
    assert len(statement_lines(long)) == 2


# -- the HTML ----------------------------------------------------------------------------------
class _Tags(HTMLParser):
    """Collects the resource references of a page and the rows of its verify tables."""

    def __init__(self) -> None:
        super().__init__()
        self.resources: list[tuple[str, str]] = []  # (tag, url) of things a browser loads
        self.styles: list[str] = []  # inline <style> text
        self.tables: list[list[list[str]]] = []  # verify tables: rows of cell texts
        self._in_table = self._in_style = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.resources.append((tag, a["src"] or ""))
        if tag == "link" and a.get("href") and (a.get("rel") or "") in (
                "stylesheet", "preload", "icon", "shortcut icon", "manifest", "modulepreload"):
            self.resources.append((tag, a["href"] or ""))
        if tag in ("img", "iframe", "source", "audio", "video", "embed") and a.get("src"):
            self.resources.append((tag, a["src"] or ""))
        if tag == "style":
            self._in_style = True
        if tag == "table" and "verify-table" in (a.get("class") or "").split():
            self._in_table = True
            self.tables.append([])
        elif self._in_table and tag == "tr":
            self._row = []
        elif self._in_table and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        if not self._in_table:
            return
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None
        elif tag == "table":
            self._in_table = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._in_style:
            self.styles.append(data)


def _parse(page: Path) -> _Tags:
    parser = _Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_every_page_is_built(built_docs: Path) -> None:
    for name in THEORY:
        assert (built_docs / "theory" / f"{name}.html").is_file(), name
    for page in ("index", "api/index", "auto_examples/index", "search", "genindex",
                 "api/modules/gantheory", "api/modules/gantheory.losses",
                 "api/modules/generated/gantheory.kl",
                 "api/modules/generated/gantheory.losses.minimax_d_loss",
                 "api/modules/generated/gantheory.vae_kl.lecture_form"):
        assert (built_docs / f"{page}.html").is_file(), page
    # A re-exported function is documented once, under its shortest public name.
    assert not (built_docs / "api/modules/generated/gantheory.divergences.api.kl.html").exists()


def test_verify_tables_show_measured_errors_within_tolerance(built_docs: Path) -> None:
    from gantheory.theorems.catalogue import CATALOGUE

    tolerance = {t.key: t.tolerance for t in CATALOGUE}
    seen: dict[str, int] = {}
    for name in THEORY:
        for table in _parse(built_docs / "theory" / f"{name}.html").tables:
            header, *rows = table
            assert header == ["key", "statement", "configs", "checks", "max error", "tolerance",
                              "pass"]
            for key, statement, configs, checks, max_error, tol, passed in rows:
                assert key in tolerance, key
                assert statement and int(configs) >= 1 and int(checks) >= 1
                assert float(tol) == pytest.approx(tolerance[key], rel=0.5)
                assert 0.0 <= float(max_error) <= float(tol), (name, key, max_error, tol)
                assert passed == "yes", (name, key)
                seen[key] = seen.get(key, 0) + 1
    # Every theorem of the catalogue is on a theory page (the index shows them all, too).
    assert set(seen) == set(tolerance)
    assert all(count >= 2 for count in seen.values()), seen


_MATH_SPAN = re.compile(r'<span class="math notranslate nohighlight">\\\((.*?)\\\)</span>',
                        re.DOTALL)


def _untag(html: str) -> str:
    import html as html_lib

    return html_lib.unescape(re.sub(r"<[^>]+>", "", html))


def test_verify_table_keys_link_their_page_and_statements_are_maths(built_docs: Path) -> None:
    from gantheory.theorems.catalogue import CATALOGUE

    derived_on = _verify_table_module().DERIVED_ON
    statements = {t.key: t.statement for t in CATALOGUE}
    checked: set[str] = set()
    for name in THEORY:
        page = built_docs / "theory" / f"{name}.html"
        text = page.read_text(encoding="utf-8")
        for table in re.findall(r'<table class="[^"]*verify-table[^"]*".*?</table>', text,
                                re.DOTALL):
            body = table.split("<tbody>", 1)[1]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL):
                key_cell, statement_cell = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)[:2]
                key = _untag(key_cell).strip()
                link = re.search(r'<a class="[^"]*\breference internal" href="([^"]*)"', key_cell)
                assert link, (name, key)
                # It links the statement under the table of the page that derives the theorem.
                href, _, anchor = link.group(1).partition("#")
                target = (page.parent / href).resolve() if href else page.resolve()
                assert target == (built_docs / f"{derived_on[key]}.html").resolve(), (name, key)
                assert anchor == f"verify-{key}", (name, key, anchor)
                assert re.search(f'<dt id="{anchor}"', target.read_text(encoding="utf-8")), key
                # The statement is inline maths only, and the maths is the whole statement.
                maths = [_untag(m) for m in _MATH_SPAN.findall(statement_cell)]
                assert maths, (name, key)
                assert not _untag(_MATH_SPAN.sub("", statement_cell)).strip(), (name, key)
                squeeze = re.compile(r"\\?\s+")
                assert squeeze.sub("", "".join(maths)) == squeeze.sub("", statements[key]), key
                checked.add(key)
    assert checked == set(statements)


def test_examples_link_their_theory_page(built_docs: Path) -> None:
    for script in DEMOS:
        page = built_docs / "auto_examples" / f"{script.stem}.html"
        text = page.read_text(encoding="utf-8")
        doc = re.search(r"<p>Theory: (.*?)</p>", text, re.DOTALL)
        assert doc, script.name
        link = re.search(r'<a class="reference internal" href="([^"#]+)"', doc.group(1))
        assert link, script.name
        target = (page.parent / link.group(1)).resolve()
        assert target.parent == (built_docs / "theory").resolve(), (script.name, target)
        assert target.stem in DERIVATIONS and target.is_file(), (script.name, target)


def test_no_page_loads_anything_from_the_network(built_docs: Path) -> None:
    pages = sorted(built_docs.rglob("*.html"))
    assert len(pages) > 50
    mathjax_pages = 0
    for page in pages:
        tags = _parse(page)
        for tag, url in tags.resources:
            assert not REMOTE.match(url), f"{page.relative_to(built_docs)}: <{tag}> loads {url}"
            path = url.split("?")[0]
            if tag == "script" and path.endswith("_static/mathjax/tex-svg-full.js"):
                mathjax_pages += 1
                assert (page.parent / path).resolve().is_file(), url
        for css in tags.styles:
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css) + re.findall(
                    r"@import\s+['\"]([^'\"]+)", css):
                assert not REMOTE.match(url), f"{page.name}: inline style loads {url}"
    assert mathjax_pages > len(DERIVATIONS)  # the theory pages and the API pages with maths
    for css in sorted(built_docs.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(
                r"@import\s+(?:url\()?['\"]?([^'\")\s;]+)", text):
            assert not REMOTE.match(url), f"{css.relative_to(built_docs)} loads {url}"


def test_theory_pages_link_the_api(built_docs: Path) -> None:
    links = 0
    for name in THEORY:
        text = (built_docs / "theory" / f"{name}.html").read_text(encoding="utf-8")
        for ref in re.finditer(r'<code class="xref py[^"]*"><span class="pre">([^<]*)', text):
            before = text[max(0, ref.start() - 400):ref.start()]
            assert re.search(r'<a class="reference internal" href="[^"]*api/[^"]*"[^>]*>$',
                             before), f"{name}: unresolved reference {ref.group(1)}"
            links += 1
    assert links > 40


def test_theory_pages_show_the_figures_of_their_theorems(built_docs: Path) -> None:
    from gantheory.figures import FIGURES

    shown: dict[str, list[str]] = {}
    for name in THEORY:
        text = (built_docs / "theory" / f"{name}.html").read_text(encoding="utf-8")
        for fig in re.finditer(r'<figure[^>]*id="figure-([a-z0-9-]+)"(.*?)</figure>', text,
                               re.DOTALL):
            images = re.findall(r'<img[^>]*src="([^"]+)"', fig.group(2))
            assert images, fig.group(1)
            for src in images:
                png = (built_docs / "theory" / src).resolve()
                assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", src
            shown.setdefault(fig.group(1), []).append(name)
    # Every numpy figure (drawn even in the fast mode) illustrating a theorem is on a page.
    expected = {s.name for s in FIGURES.values() if s.theorems and not s.needs_torch}
    assert expected
    assert expected <= set(shown), expected - set(shown)


def test_api_pages_link_the_examples_that_use_them(built_docs: Path) -> None:
    backrefs = DOCS / "gen_modules" / "backreferences"
    linked = []
    for examples in sorted(backrefs.glob("gantheory*.examples")):
        if not examples.read_text(encoding="utf-8").strip():
            continue
        page = built_docs / "api/modules/generated" / f"{examples.stem}.html"
        if not page.is_file():
            continue  # a module or a method: it has no page of its own
        text = page.read_text(encoding="utf-8")
        assert "sphx-glr-thumbcontainer" in text, page.name
        assert re.search(r'href="[./]*auto_examples/[^"]*plot_[^"]*\.html', text), page.name
        linked.append(examples.stem)
    assert linked, "no API page links a gallery example"


# -- the browser ------------------------------------------------------------------------------
def _browser() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if chromium and chromedriver:
        return chromium, chromedriver
    msg = "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        pytest.fail(f"{msg}; .ci/run installs them")
    pytest.skip(msg)


_WAIT_FOR_MATHJAX = """
const done = arguments[arguments.length - 1];
if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) {
  done("MathJax did not start"); return;
}
MathJax.startup.promise.then(() => done("ok"), (e) => done("MathJax failed: " + e));
"""

_INSPECT = """
const math = [...document.querySelectorAll("span.math, div.math")];
return {
  math: math.length,
  untypeset: math.filter((e) => !e.querySelector("mjx-container")).map((e) => e.textContent)
                 .slice(0, 5),
  containers: document.querySelectorAll("mjx-container").length,
  svgs: document.querySelectorAll("mjx-container svg").length,
  errors: [...document.querySelectorAll("mjx-merror")].map((e) => e.textContent).slice(0, 5),
  text: document.body.innerText,
};
"""

RAW_TEX = ("\\(", "\\)", "\\[", "\\]", "$$", "\\begin", "\\frac", "\\mathrm", "\\math")


def _dark_fraction(png: bytes) -> float:
    """Fraction of clearly non-white pixels of a PNG (and a check that it is one)."""
    from PIL import Image

    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png)).convert("L")
    histogram = image.histogram()
    return sum(histogram[:160]) / (image.width * image.height)


def test_theory_pages_typeset_offline_in_chromium(built_docs: Path, tmp_path: Path) -> None:
    chromium, chromedriver = _browser()
    from selenium import webdriver
    from selenium.webdriver.common.by import By

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,1400",
                f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(options=options,
                              service=webdriver.ChromeService(executable_path=chromedriver))
    shots = Path(os.environ.get("GANTHEORY_DOCS_SCREENSHOTS", tmp_path / "screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    try:
        driver.set_script_timeout(60)
        driver.get("about:blank")
        driver.get_log("performance")  # the browser's own start-up requests
        driver.get_log("browser")
        pages = [built_docs / "theory" / f"{name}.html" for name in DERIVATIONS]
        pages.append(built_docs / "api/modules/gantheory.vae_kl.html")
        for page in pages:
            driver.get(page.as_uri())
            assert driver.execute_async_script(_WAIT_FOR_MATHJAX) == "ok", page.name
            state = driver.execute_script(_INSPECT)
            assert state["math"] > 0, page.name
            assert not state["untypeset"], (page.name, state["untypeset"])
            assert state["containers"] >= state["math"] and state["svgs"] >= state["math"]
            assert not state["errors"], (page.name, state["errors"])
            raw = [s for s in RAW_TEX if s in state["text"]]
            assert not raw, (page.name, raw)

            # Nothing requested from the network, nothing failed to load, no console errors.
            requested, failed = [], []
            for entry in driver.get_log("performance"):
                message = json.loads(entry["message"])["message"]
                if message["method"] == "Network.requestWillBeSent":
                    requested.append(message["params"]["request"]["url"])
                elif message["method"] == "Network.loadingFailed":
                    failed.append(message["params"].get("errorText", "?"))
            assert any(u == page.as_uri() for u in requested), (page.name, requested[:5])
            remote = [u for u in requested if NETWORK.match(u)]
            assert not remote, (page.name, remote)
            assert not failed, (page.name, failed)
            severe = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
            assert not severe, (page.name, severe)

            # A screenshot of the page and of its first displayed formula: real pixels.
            shot = driver.get_screenshot_as_png()
            (shots / f"{page.stem}.png").write_bytes(shot)
            assert 0.002 < _dark_fraction(shot) < 0.5, page.name
            formula = driver.find_elements(By.CSS_SELECTOR, 'mjx-container[display="true"]')
            if formula:
                driver.execute_script("arguments[0].scrollIntoView();", formula[0])
                crop = formula[0].screenshot_as_png
                (shots / f"{page.stem}-formula.png").write_bytes(crop)
                assert _dark_fraction(crop) > 0.005, page.name
    finally:
        driver.quit()
