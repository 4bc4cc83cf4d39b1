r"""``.. verify-table:: key [key ...]``: a page's ``gantheory verify`` checks, run at build time.

Each theory page names the catalogue theorems (:mod:`gantheory.theorems.catalogue`) that check
its statements. When the docs are built the directive runs those theorems on their built-in
configurations and emits

* a table: key (a link to the theory page that derives the theorem, :data:`DERIVED_ON`),
  statement (the theorem's LaTeX statement as inline maths, one line per part), number of
  configurations, number of independent comparisons ("checks"; identities, equal by
  construction, are not counted), largest measured error, tolerance, pass;
* under it, for every theorem, its source, the statement in LaTeX as displayed maths, and the
  configurations it was checked on.

A theorem that fails makes the directive log a warning, so ``sphinx-build -W`` fails with it.
Each theorem is run once per build process (the results are cached by key); the whole
catalogue takes a few seconds, so no fast mode is needed here.

Options
-------
``:caption:``
    the table caption (default: "Checked when these docs were built").
``:no-statements:``
    emit the table only.
"""

from __future__ import annotations

import time

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

#: The theory page (a docname under ``theory/``) that derives each catalogue theorem. Several
#: pages list a theorem in their tables (the index lists them all); the key links here.
DERIVED_ON: dict[str, str] = {
    "optimal-discriminator": "theory/optimal_discriminator",
    "criterion-jsd": "theory/criterion_jsd",
    "jsd-bounds": "theory/jsd_bounds",
    "gibbs": "theory/criterion_jsd",
    "kl-mle": "theory/mle_kl",
    "gaussian-kl": "theory/vae",
    "vae-kl": "theory/vae",
    "mode-seeking": "theory/mode_collapse",
    "ns-gradient": "theory/non_saturating",
    "vanishing-gradient": "theory/non_saturating",
    "f-gan": "theory/fgan",
    "dirac-eigenvalues": "theory/dirac",
    "dirac-dynamics": "theory/dirac",
}

#: The width (in characters of LaTeX) of a statement's line in the table's statement cell.
CELL_WIDTH = 60

_RESULTS: dict[str, object] = {}


def run_theorem(key: str):
    """The :class:`~gantheory.theorems.base.TheoremResult` of ``key``, run once per process."""
    if key not in _RESULTS:
        from gantheory.theorems import catalogue

        _RESULTS[key] = catalogue.get(key).run()
    return _RESULTS[key]


def _split_top(latex: str, separators: tuple[str, ...]) -> list[str]:
    r"""Split ``latex`` after each separator outside braces, brackets and ``\left..\right``.

    A separator stays at the end of its piece; ``;`` preceded by a backslash (the thin space
    ``\;``) is not a separator.
    """
    pieces, depth, parens, start, i = [], 0, 0, 0, 0
    while i < len(latex):
        if latex.startswith("\\left", i) and not latex[i + 5:i + 6].isalpha():
            depth, i = depth + 1, i + 5
            continue
        if latex.startswith("\\right", i) and not latex[i + 6:i + 7].isalpha():
            depth, i = depth - 1, i + 6
            continue
        char = latex[i]
        if char == "\\":  # a control sequence or an escaped character: skip both
            i += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char in "([":
            parens += 1
        elif char in ")]":
            parens -= 1
        elif depth == 0 and parens == 0:
            for sep in separators:
                if latex.startswith(sep, i):
                    pieces.append(latex[start:i + len(sep)])
                    start = i + len(sep)
                    i = start - 1
                    break
        i += 1
    pieces.append(latex[start:])
    return [p for p in pieces if p.strip()]


def statement_lines(latex: str, width: int = 80) -> list[str]:
    r"""Break a one-line statement into display lines of at most about ``width`` characters.

    Lines break at the statement's top-level ``;`` and, where a part is still too long, at its
    top-level commas (``,\ ``, ``,\quad``, ``, ``).
    """
    lines: list[str] = []
    for part in _split_top(latex, (";",)):
        if len(part) <= width:
            lines.append(part)
            continue
        current = ""
        for piece in _split_top(part, (",\\ ", ",\\quad", ", ")):
            if current and len(current) + len(piece) > width:
                lines.append(current)
                current = piece
            else:
                current += piece
        lines.append(current)
    out = []
    for line in (line.strip() for line in lines):
        if line.endswith("\\") and not line.endswith("\\\\"):  # a control space before the break
            line = line[:-1].rstrip()
        if line:
            out.append(line)
    return out


def statement_math(latex: str) -> str:
    """The statement as display maths with its own delimiters, one line per part."""
    lines = statement_lines(latex)
    if len(lines) == 1:
        return f"\\[{lines[0]}\\]"
    body = " \\\\\n".join(lines)
    return f"\\[\\begin{{gathered}}\n{body}\n\\end{{gathered}}\\]"


def _text_entry(text: str, classes: list[str] | None = None) -> nodes.entry:
    entry = nodes.entry(classes=classes or [])
    entry += nodes.paragraph(text=text)
    return entry


def _node_entry(node: nodes.Node, classes: list[str] | None = None) -> nodes.entry:
    entry = nodes.entry(classes=classes or [])
    para = nodes.paragraph()
    para += node
    entry += para
    return entry


def _key_link(key: str, docname: str, lineno: int) -> nodes.Node:
    """The key as code, linked to its statement on the page that derives it (:data:`DERIVED_ON`).

    The link's address is filled in when the page is written (:func:`resolve_key_links`); the
    target is the statement's anchor, ``verify-<key>``, under that page's table.
    """
    literal = nodes.literal(text=key)
    page = DERIVED_ON.get(key)
    if page is None:
        logger.warning("verify-table: no theory page derives %r; add it to DERIVED_ON", key,
                       location=(docname, lineno))
        return literal
    ref = nodes.reference("", "", internal=True, refuri="#", classes=["verify-key"])
    ref["verify_page"] = page
    ref["verify_anchor"] = f"verify-{key}"
    ref += literal
    return ref


def resolve_key_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Point each key link of ``docname`` at its page's statement (``doctree-resolved``)."""
    for ref in doctree.findall(nodes.reference):
        page = ref.get("verify_page")
        if page is None:
            continue
        if page not in app.env.all_docs:
            logger.warning("verify-table: %r links %r, which is not a page", ref.astext(), page,
                           location=docname)
            continue
        uri = "" if page == docname else app.builder.get_relative_uri(docname, page)
        ref["refuri"] = f"{uri}#{ref['verify_anchor']}"


def _statement_entry(latex: str) -> nodes.entry:
    """The statement as inline maths, one paragraph per line (:func:`statement_lines`)."""
    entry = nodes.entry(classes=["verify-statement"])
    for line in statement_lines(latex, CELL_WIDTH):
        para = nodes.paragraph()
        para += nodes.math(line, line)
        entry += para
    return entry


def _table(header: list[str], rows: list[list[nodes.entry]], widths: list[int],
           caption: str) -> nodes.table:
    table = nodes.table(classes=["verify-table", "longtable"])
    table += nodes.title(text=caption)
    tgroup = nodes.tgroup(cols=len(header))
    table += tgroup
    for width in widths:
        tgroup += nodes.colspec(colwidth=width)
    thead = nodes.thead()
    tgroup += thead
    head_row = nodes.row()
    for name in header:
        head_row += _text_entry(name)
    thead += head_row
    tbody = nodes.tbody()
    tgroup += tbody
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            row += cell
        tbody += row
    return table


def _count(n: int, noun: str, plural: str | None = None) -> str:
    """``"1 configuration"``, ``"2 configurations"``; ``plural`` where it is not noun + s."""
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"


def checked_on(res) -> str:
    """The line under a theorem: its configurations, checks and identities, largest error.

    Examples
    --------
    >>> from gantheory.theorems import catalogue
    >>> print(checked_on(catalogue.get("vanishing-gradient").run()))  # doctest: +ELLIPSIS
    Checked on 1 configuration (theta = ...): 52 independent comparisons, largest error ...
    """
    names = "; ".join(r.configuration for r in res.results)
    identities = (f" and {_count(res.n_identities, 'identity', 'identities')} (equal by "
                  "construction, not counted)" if res.n_identities else "")
    return (f"Checked on {_count(len(res.results), 'configuration')} ({names}): "
            f"{_count(res.n_checks, 'independent comparison')}{identities}, "
            f"largest error {res.max_error:.2e}.")


class VerifyTable(SphinxDirective):
    """Run catalogue theorems at build time and show their measured errors."""

    required_arguments = 1
    optional_arguments = 0
    final_argument_whitespace = True
    has_content = False
    option_spec = {
        "caption": directives.unchanged,
        "no-statements": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        """Build the table (and the statements under it)."""
        from gantheory.theorems import catalogue

        keys = self.arguments[0].split()
        try:
            catalogue.select(keys)
        except ValueError as exc:
            return [self.state.document.reporter.error(str(exc), line=self.lineno)]

        start = time.perf_counter()
        results = [run_theorem(key) for key in keys]
        seconds = time.perf_counter() - start
        logger.verbose("verify-table %s: %.2f s", " ".join(keys), seconds)

        rows = []
        for res in results:
            theorem = res.theorem
            ok = res.passed
            if not ok:
                logger.warning(
                    "theorem %r fails: max error %.3g > tolerance %.3g",
                    theorem.key, res.max_error, theorem.tolerance,
                    location=(self.env.docname, self.lineno),
                )
            rows.append([
                _node_entry(_key_link(theorem.key, self.env.docname, self.lineno)),
                _statement_entry(theorem.statement),
                _text_entry(str(len(res.results)), ["verify-num"]),
                _text_entry(str(res.n_checks), ["verify-num"]),
                _text_entry(f"{res.max_error:.1e}", ["verify-num"]),
                _text_entry(f"{theorem.tolerance:.0e}", ["verify-num"]),
                _text_entry("yes" if ok else "NO", ["verify-pass" if ok else "verify-fail"]),
            ])
        caption = self.options.get("caption", "Checked when these docs were built")
        out: list[nodes.Node] = [
            _table(["key", "statement", "configs", "checks", "max error", "tolerance", "pass"],
                   rows, [18, 40, 7, 6, 10, 10, 6], caption)
        ]

        command = nodes.paragraph(classes=["verify-command"])
        command += nodes.Text("Run them yourself: ")
        everything = set(keys) == {t.key for t in catalogue.CATALOGUE}
        command += nodes.literal(text="gantheory verify --details" + (
            "" if everything else " --only " + " ".join(keys)))
        out.append(command)

        if "no-statements" not in self.options:
            dlist = nodes.definition_list(classes=["verify-statements"])
            for res in results:
                theorem = res.theorem
                item = nodes.definition_list_item()
                term = nodes.term(ids=[f"verify-{theorem.key}"])
                term += nodes.literal(text=theorem.key)
                term += nodes.Text(f" ({theorem.source})")
                item += term
                definition = nodes.definition()
                latex = statement_math(theorem.statement)
                definition += nodes.math_block(
                    latex, latex, docname=self.env.docname, number=None, label=None, nowrap=True,
                )
                definition += nodes.paragraph(text=checked_on(res))
                item += definition
                dlist += item
            out.append(dlist)
        return out


def setup(app: Sphinx) -> dict[str, object]:
    """Register the directive."""
    app.add_directive("verify-table", VerifyTable)
    app.connect("doctree-resolved", resolve_key_links)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
