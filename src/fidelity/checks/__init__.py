"""Drift checks: independent functions, registered by name, run over every aligned pair.

Importing this package registers the built-in checks; `REGISTRY` maps names to them in the
order they run, and `DEFAULT_CHECKS` is what `fidelity check` runs unless told otherwise.
"""

from fidelity.checks import (  # noqa: F401  (registration)
    attribution,
    consistency,
    coverage,
    entities,
    learned,
    modality,
    negation,
    numbers,
    quotes,
    semantic,
    terminology,
    untranslated,
)
from fidelity.checks.base import (
    DEFAULT_CHECKS,
    REGISTRY,
    AlignedPair,
    CheckContext,
    coverage_matrix,
    run_checks,
)

__all__ = [
    "DEFAULT_CHECKS",
    "REGISTRY",
    "AlignedPair",
    "CheckContext",
    "coverage_matrix",
    "run_checks",
]
