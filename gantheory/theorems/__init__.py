"""The theorem catalogue: every statement of the lectures as a check that can fail.

See :mod:`gantheory.theorems.base` for what a theorem is and
:mod:`gantheory.theorems.catalogue` for the list that ``gantheory verify`` runs.
"""

from gantheory.theorems.base import (
    Comparison,
    Configuration,
    ConfigurationResult,
    Theorem,
    TheoremResult,
)

__all__ = ["Comparison", "Configuration", "ConfigurationResult", "Theorem", "TheoremResult"]
