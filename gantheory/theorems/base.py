r"""What a theorem is in gantheory: a statement, a source, and a check that can fail.

A :class:`Theorem` carries its statement in LaTeX, where it comes from, a tolerance, a tuple
of named :class:`Configuration` objects (the toy distributions and parameters it is checked
on), and a ``check`` function. ``check(config)`` computes **both sides** of the statement
independently and returns a list of :class:`Comparison` objects:

* ``relation="=="``: error :math:`|\mathrm{lhs} - \mathrm{rhs}|`;
* ``relation="<="``: error :math:`\max(0, \mathrm{lhs} - \mathrm{rhs})`, the size of the
  violation of an inequality (0 when it holds).

Each comparison has a ``kind``. A ``"check"`` compares two computations that could
disagree: a closed form against quadrature, Monte Carlo or a derivative of the code, a
simulation against a prediction, a computed value against the number a paper states. An
``"identity"`` cannot disagree however the code is written, because both sides are the same
number by construction (an integrand that is identically zero, such as
:math:`p\log(p/p)`; a value scaled by :math:`1/\log 2` and compared with its own scaling).
Identities are shown, and a violated one still fails the theorem (it would mean a bug in
the evaluation itself), but only checks are counted as evidence
(:attr:`TheoremResult.n_checks`).

:meth:`Theorem.run` evaluates every configuration and reports the largest error against
the tolerance. ``gantheory verify`` runs the whole catalogue
(:mod:`gantheory.theorems.catalogue`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: The kinds of comparison: independent checks, and identities shown but not counted.
KINDS: tuple[str, ...] = ("check", "identity")


@dataclass(frozen=True)
class Comparison:
    """Two independently computed sides of one statement on one configuration.

    Attributes
    ----------
    label : str
        What is compared, e.g. ``"C(G) vs 2 JSD - log 4"``.
    lhs, rhs : float
        The two sides.
    relation : {"==", "<="}
        Equality up to the tolerance, or an inequality ``lhs <= rhs``.
    kind : {"check", "identity"}
        ``"check"`` (the default) if the two sides are independent computations that
        could differ; ``"identity"`` if they are equal by construction (shown, not counted).
    """

    label: str
    lhs: float
    rhs: float
    relation: str = "=="
    kind: str = "check"

    def __post_init__(self) -> None:
        if self.relation not in ("==", "<="):
            raise ValueError(f"relation must be '==' or '<='; got {self.relation!r}")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}; "
                             f"got {self.kind!r}")

    @property
    def independent(self) -> bool:
        """Whether the comparison counts as evidence (``kind == "check"``)."""
        return self.kind == "check"

    @property
    def error(self) -> float:
        """``|lhs - rhs|`` for an equality, ``max(0, lhs - rhs)`` for an inequality.

        A NaN on either side is an infinite error: a check that could not compute a side
        fails instead of passing silently.
        """
        lhs, rhs = float(self.lhs), float(self.rhs)
        if np.isnan(lhs) or np.isnan(rhs):
            return float("inf")
        if lhs == rhs:  # also inf == inf
            return 0.0
        if self.relation == "==":
            return abs(lhs - rhs)
        return max(0.0, lhs - rhs)


@dataclass(frozen=True)
class Configuration:
    """A named set of parameters (distributions, step sizes, ...) a theorem is checked on."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.params[key]


@dataclass(frozen=True)
class ConfigurationResult:
    """The comparisons of one configuration."""

    configuration: str
    comparisons: tuple[Comparison, ...]

    @property
    def max_error(self) -> float:
        """Largest error among the comparisons."""
        return max((c.error for c in self.comparisons), default=0.0)


@dataclass(frozen=True)
class TheoremResult:
    """Outcome of running one theorem on all its configurations."""

    theorem: Theorem
    results: tuple[ConfigurationResult, ...]
    seconds: float

    @property
    def max_error(self) -> float:
        """Largest error over every configuration and comparison."""
        return max((r.max_error for r in self.results), default=0.0)

    @property
    def n_comparisons(self) -> int:
        """Number of comparisons made, checks and identities."""
        return sum(len(r.comparisons) for r in self.results)

    @property
    def n_checks(self) -> int:
        """Number of independent comparisons (``kind == "check"``): the evidence."""
        return sum(c.independent for r in self.results for c in r.comparisons)

    @property
    def n_identities(self) -> int:
        """Number of identities: comparisons equal by construction, shown but not counted."""
        return self.n_comparisons - self.n_checks

    @property
    def passed(self) -> bool:
        """Whether every comparison is within the tolerance, with one independent check at least.

        Identities must hold too (a violated one is a bug in the evaluation), but a theorem
        with identities only has not been checked and does not pass.
        """
        return self.n_checks > 0 and self.max_error <= self.theorem.tolerance

    def as_dict(self) -> dict[str, Any]:
        """A summary with every comparison; floats may be infinite (see ``gantheory verify``).

        ``n_checks`` counts the independent comparisons, ``n_identities`` those equal by
        construction; each comparison carries its ``kind``.
        """
        return {
            "key": self.theorem.key,
            "title": self.theorem.title,
            "source": self.theorem.source,
            "statement": self.theorem.statement,
            "configurations": [r.configuration for r in self.results],
            "max_error": self.max_error,
            "tolerance": self.theorem.tolerance,
            "passed": self.passed,
            "n_checks": self.n_checks,
            "n_identities": self.n_identities,
            "seconds": self.seconds,
            "comparisons": [
                {
                    "configuration": r.configuration,
                    "label": c.label,
                    "lhs": float(c.lhs),
                    "rhs": float(c.rhs),
                    "relation": c.relation,
                    "kind": c.kind,
                    "error": c.error,
                }
                for r in self.results
                for c in r.comparisons
            ],
        }


@dataclass(frozen=True)
class Theorem:
    """A statement of GAN/VAE theory with a numerical check.

    Attributes
    ----------
    key : str
        Short identifier used on the command line (``gantheory verify --only KEY``).
    title : str
        One-line name.
    statement : str
        The statement in LaTeX.
    source : str
        Paper and proposition it comes from.
    tolerance : float
        Largest acceptable error of any comparison.
    configurations : tuple of Configuration
        Built-in configurations to check it on.
    check : callable
        ``check(config) -> list[Comparison]``.
    """

    key: str
    title: str
    statement: str
    source: str
    tolerance: float
    configurations: tuple[Configuration, ...]
    check: Callable[[Configuration], list[Comparison]]

    def run(self, configurations: tuple[Configuration, ...] | None = None) -> TheoremResult:
        """Check the theorem on ``configurations`` (default: its built-in ones)."""
        start = time.perf_counter()
        results = tuple(
            ConfigurationResult(config.name, tuple(self.check(config)))
            for config in (self.configurations if configurations is None else configurations)
        )
        return TheoremResult(self, results, time.perf_counter() - start)
