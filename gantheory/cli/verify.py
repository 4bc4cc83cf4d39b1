"""``gantheory verify``: run the theorem catalogue and print one row per theorem.

Each row counts the theorem's configurations and its independent comparisons ("checks");
comparisons equal by construction are labelled identities, shown with ``--details`` but not
counted (:mod:`gantheory.theorems.base`).

``--json`` writes strict JSON (RFC 8259, which has no infinities): a non-finite number is
written as the string ``"inf"``, ``"-inf"`` or ``"nan"``, every other number as a number.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Sequence
from typing import Any

from gantheory.cli._common import EXIT_FAILED, check_names, refuse_together

#: How ``--json`` writes the floats that JSON has no number for.
NON_FINITE = {math.inf: "inf", -math.inf: "-inf"}


def add_parser(sub) -> None:
    """Add the ``verify`` subcommand to ``sub``."""
    verify = sub.add_parser("verify", help="run the theorem catalogue and print the results")
    verify.add_argument(
        "--json", action="store_true",
        help="print the results as strict JSON; infinite and NaN numbers are written as the "
             "strings \"inf\", \"-inf\" and \"nan\"",
    )
    verify.add_argument(
        "--only", nargs="+", metavar="KEY", help="run only these theorems (see --list)"
    )
    verify.add_argument("--list", action="store_true", help="list the theorem keys and exit")
    verify.add_argument(
        "--details", action="store_true", help="print every comparison under its theorem"
    )
    verify.set_defaults(run=run)


def strict_json(value: Any) -> Any:
    """``value`` with every non-finite float replaced by ``"inf"``, ``"-inf"`` or ``"nan"``.

    JSON numbers are finite, so Python's ``Infinity``/``NaN`` extensions make a document that
    strict parsers reject; this encoding keeps the document strict and says which.

    Examples
    --------
    >>> strict_json({"error": float("inf"), "values": [1.5, float("-inf"), float("nan")]})
    {'error': 'inf', 'values': [1.5, '-inf', 'nan']}
    """
    if isinstance(value, dict):
        return {k: strict_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else NON_FINITE[value]
    return value


def _format_row(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def run(args: argparse.Namespace) -> int:
    """Run the theorem catalogue (or a part of it) and print the table; 1 if any fails."""
    from gantheory.theorems import catalogue

    refuse_together(args, "--list", "--json")
    refuse_together(args, "--list", "--only")
    check_names(args.only, [t.key for t in catalogue.CATALOGUE], "--only",
                what="theorem")
    if args.list:
        for theorem in catalogue.CATALOGUE:
            print(f"{theorem.key:24s} {theorem.title}")
        return 0
    theorems = catalogue.select(args.only)
    start = time.perf_counter()
    headers = ("theorem", "source", "configs", "checks", "max error", "tolerance", "pass")
    widths = (22, 44, 7, 6, 9, 9, 4)
    results = []
    errors: dict[str, str] = {}
    if not args.json:
        print(_format_row(headers, widths))
        print(_format_row(["-" * w for w in widths], widths))
    for t in theorems:
        try:
            result = t.run()
        except Exception as exc:  # a crashing check is a failed theorem, reported in one line
            errors[t.key] = f"{type(exc).__name__}: {exc}"
            if not args.json:
                print(_format_row((t.key, "ERROR", "", "", "", "", "NO"), widths))
                print(f"    {errors[t.key]}")
            continue
        results.append(result)
        if args.json:
            continue
        source = t.source if len(t.source) <= widths[1] else t.source[: widths[1] - 3] + "..."
        print(
            _format_row(
                (
                    t.key,
                    source,
                    str(len(result.results)),
                    str(result.n_checks),
                    f"{result.max_error:.1e}",
                    f"{t.tolerance:.0e}",
                    "yes" if result.passed else "NO",
                ),
                widths,
            ),
            flush=True,
        )
        if args.details or not result.passed:
            for config in result.results:
                for c in config.comparisons:
                    mark = "ok " if c.error <= t.tolerance else "BAD"
                    kind = "" if c.independent else " [identity, not counted]"
                    print(f"    {mark} [{config.configuration}] {c.label}: {c.lhs:.12g} "
                          f"{c.relation} {c.rhs:.12g} (error {c.error:.2e}){kind}")
    elapsed = time.perf_counter() - start
    n_failed = sum(not r.passed for r in results) + len(errors)
    n_total = len(results) + len(errors)
    n_checks = sum(r.n_checks for r in results)
    n_checks_passed = sum(
        c.error <= r.theorem.tolerance
        for r in results for config in r.results for c in config.comparisons if c.independent
    )
    n_identities = sum(r.n_identities for r in results)
    if args.json:
        payload = {
            "passed": n_failed == 0,
            "seconds": elapsed,
            "n_checks": n_checks,
            "n_checks_passed": n_checks_passed,
            "n_identities": n_identities,
            "non_finite": "infinite and NaN numbers are the strings 'inf', '-inf', 'nan'",
            "theorems": [r.as_dict() for r in results],
            "errors": errors,
        }
        print(json.dumps(strict_json(payload), indent=2, allow_nan=False))
    else:
        print(f"\n{n_total - n_failed}/{n_total} theorems pass in {elapsed:.1f} s; "
              f"{n_checks_passed}/{n_checks} independent checks pass "
              f"({n_identities} identities shown with --details, not counted)")
    return EXIT_FAILED if n_failed else 0


