r"""What a theorem is in gantheory: a statement, a source, and a check that can fail.

A :class:`Theorem` carries its statement in LaTeX, where it comes from, a tolerance, a tuple
of named :class:`Configuration` objects (the toy distributions and parameters it is checked
on), and a ``check`` function. ``check(config)`` computes **both sides** of the statement
independently and returns a list of :class:`Comparison` objects:

* ``relation="=="``: error :math:`|\mathrm{lhs} - \mathrm{rhs}|`;
* ``relation="<="``: error :math:`\max(0, \mathrm{lhs} - \mathrm{rhs})`, the size of the
  violation of an inequality (0 when it holds).

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
    """

    label: str
    lhs: float
    rhs: float
    relation: str = "=="

    def __post_init__(self) -> None:
        if self.relation not in ("==", "<="):
            raise ValueError(f"relation must be '==' or '<='; got {self.relation!r}")

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
        """Number of comparisons made."""
        return sum(len(r.comparisons) for r in self.results)

    @property
    def passed(self) -> bool:
        """Whether every comparison is within the tolerance (and there was one at least)."""
        return self.n_comparisons > 0 and self.max_error <= self.theorem.tolerance

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary, with every comparison."""
        return {
            "key": self.theorem.key,
            "title": self.theorem.title,
            "source": self.theorem.source,
            "statement": self.theorem.statement,
            "configurations": [r.configuration for r in self.results],
            "max_error": self.max_error,
            "tolerance": self.theorem.tolerance,
            "passed": self.passed,
            "seconds": self.seconds,
            "comparisons": [
                {
                    "configuration": r.configuration,
                    "label": c.label,
                    "lhs": float(c.lhs),
                    "rhs": float(c.rhs),
                    "relation": c.relation,
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
