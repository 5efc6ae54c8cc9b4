"""From findings to a fidelity score and a verdict.

The score summarises a version in one number for tables of many pairs: the length-weighted
calibrated faithfulness of its aligned sentences (omitted and added sentences count as 0),
reduced for each finding by its severity. It orders versions; the verdict, not the score,
decides whether a story may go out.
"""

from __future__ import annotations

from collections.abc import Sequence

from fidelity.calibration import Calibration
from fidelity.checks.base import AlignedPair
from fidelity.model import Finding, Severity

# Share of the score a finding of each severity takes away (semantic findings are already
# reflected in the similarity term, so they take nothing more).
PENALTY = {Severity.CRITICAL: 0.3, Severity.MAJOR: 0.15, Severity.MINOR: 0.05}


def fidelity_score(
    pairs: Sequence[AlignedPair], findings: Sequence[Finding], calibration: Calibration
) -> float:
    total_weight = 0.0
    total = 0.0
    for pair in pairs:
        weight = float(len(pair.original_text) + len(pair.version_text))
        total_weight += weight
        if pair.original_segments and pair.version_segments and pair.similarity is not None:
            total += weight * float(calibration.faithfulness(pair.similarity))
    score = total / total_weight if total_weight else 1.0
    for finding in findings:
        if finding.check != "semantic":
            score *= 1 - PENALTY[finding.severity]
    return round(max(0.0, min(1.0, score)), 6)
