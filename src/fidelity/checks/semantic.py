"""Meaning drift measured by calibrated sentence similarity, localised to the clause.

A pair whose similarity falls below what nearly all faithful translations reach (by the
encoder's calibration) is flagged; the clauses on each side that find no counterpart on the
other are reported as the phrases that carry the difference.
"""

from __future__ import annotations

from fidelity.checks.base import AlignedPair, CheckContext, register, span_in
from fidelity.checks.clauses import clause_similarities, split_clauses
from fidelity.model import Finding, Severity

# Percentiles of the faithful-translation similarity distribution (calibration data) below
# which a pair is flagged; a re-report paraphrases, so it is held to a lower bar.
THRESHOLDS = {
    "translation": {Severity.MAJOR: 2, Severity.MINOR: 5},
    "rereport": {Severity.MAJOR: 1},
}


@register("semantic")
def check_semantic(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.original_segments or not pair.version_segments or pair.similarity is None:
        return []
    calibration = context.calibration
    similarity = pair.similarity
    severity = None
    for level, percentile in THRESHOLDS[context.mode].items():
        if similarity < calibration.faithful[percentile]:
            severity = level
            break
    if severity is None:
        return []
    original_span = pair.original_span(context.original)
    version_span = pair.version_span(context.version)
    detail = ""
    o_clauses = split_clauses(pair.original_text)
    v_clauses = split_clauses(pair.version_text)
    if len(o_clauses) > 1 or len(v_clauses) > 1:
        sims = clause_similarities(context.encoder, o_clauses, v_clauses)
        v_worst = int(sims.max(axis=0).argmin())
        o_worst = int(sims.max(axis=1).argmin())
        if len(v_clauses) > 1:
            c = v_clauses[v_worst]
            version_span = span_in(context.version, pair.version_segments, c.start, c.end)
        if len(o_clauses) > 1:
            c = o_clauses[o_worst]
            original_span = span_in(context.original, pair.original_segments, c.start, c.end)
        detail = f": “{_short(version_span.text)}” does not render “{_short(original_span.text)}”"
    percentile = calibration.faithful_percentile(similarity)
    return [
        Finding(
            check="semantic",
            category="mistranslation",
            severity=severity,
            message=f"meaning drifted{detail}",
            original_span=original_span,
            version_span=version_span,
            evidence={
                "similarity": round(similarity, 4),
                "faithful_percentile": round(percentile, 1),
                "threshold": calibration.faithful[THRESHOLDS[context.mode][severity]],
            },
            confidence=round(1 - percentile / 100, 4),
        )
    ]


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
