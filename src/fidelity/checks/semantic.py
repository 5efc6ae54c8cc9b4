"""Meaning drift measured by calibrated sentence similarity, localised to the clause.

A pair whose similarity falls below what nearly all faithful translations reach (by the
encoder's calibration) is flagged; the clauses on each side that find no counterpart on the
other are reported as the phrases that carry the difference.
"""

from __future__ import annotations

import numpy as np

from fidelity.calibration import Calibration
from fidelity.checks.base import AlignedPair, CheckContext, register, span_in
from fidelity.model import Finding, Severity
from fidelity.readers.clauses import (
    clause_similarities,
    split_clauses,
    word_weight,
)

MIN_CLAUSE_WORDS = 5
# Pairs with fewer words than this on a side are flagged minor at most.
MIN_MAJOR_WORDS = 4
# A re-report clause whose closest original clause is below this faithful percentile drifted.
REREPORT_CLAUSE_PERCENTILE = 1

# Percentiles of the faithful-translation similarity distribution (calibration data) below
# which a pair is flagged; a re-report paraphrases, so it is held to a lower bar.
THRESHOLDS = {Severity.MAJOR: 2, Severity.MINOR: 5}
# A document with at least this many aligned sentences sets its own level (see
# `_document_shift`); its median may lower the thresholds to this faithful percentile at most.
MIN_PAIRS_FOR_SHIFT = 6
MAX_SHIFT_PERCENTILE = 5
# A re-report paraphrases, so its sentence similarity says little; its pairs below this
# percentile are examined clause by clause instead.
REREPORT_EXAMINE_PERCENTILE = 10


@register("semantic")
def check_semantic(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.original_segments or not pair.version_segments or pair.similarity is None:
        return []
    calibration = context.calibration
    similarity = pair.similarity
    if context.mode == "rereport":
        if similarity >= calibration.faithful[REREPORT_EXAMINE_PERCENTILE]:
            return []
        return _rereport_drift(pair, context)
    severity = None
    configured = context.settings.get("semantic") or {}
    thresholds = {
        Severity.MAJOR: configured.get("major-percentile", THRESHOLDS[Severity.MAJOR]),
        Severity.MINOR: configured.get("minor-percentile", THRESHOLDS[Severity.MINOR]),
    }
    shift = _document_shift(context)
    for level, percentile in thresholds.items():
        if similarity < _at_percentile(calibration, percentile) + shift:
            severity = level
            break
    if severity is None:
        return []
    if severity > Severity.MINOR and min(
        word_weight(pair.original_text), word_weight(pair.version_text)
    ) < MIN_MAJOR_WORDS:
        # A caption or a heading ("Beglaubigte Auflage :" / "Tirage attesté :") is too short
        # for its similarity to say more than "worth a look".
        severity = Severity.MINOR
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
                "threshold": round(_at_percentile(calibration, thresholds[severity]) + shift, 4),
                "document_shift": round(shift, 4),
            },
            confidence=round(1 - percentile / 100, 4),
        )
    ]


def _document_shift(context: CheckContext) -> float:
    """How far below the calibration this document's rendered sentences sit as a whole.

    The calibration comes from news sentences translated into English; a pair of two other
    languages (Chinese and Russian), or literary prose, is rendered faithfully at lower
    similarity throughout. Where a document has enough aligned sentences, the thresholds
    follow its median down, by at most the distance from the calibration's median to its 5th
    percentile: a document whose median falls further is itself suspect, and keeps that
    bar. A document above the calibration keeps the calibration's thresholds."""
    return context.analysis("semantic-shift", _shift)


def _shift(context: CheckContext) -> float:
    similarities = [
        a.similarity
        for a in context.alignments
        if a.original_ids and a.version_ids and a.similarity is not None
    ]
    if len(similarities) < MIN_PAIRS_FOR_SHIFT:
        return 0.0
    median = _at_percentile(context.calibration, 50)
    floor = _at_percentile(context.calibration, MAX_SHIFT_PERCENTILE) - median
    return min(0.0, max(float(np.median(similarities)) - median, floor))


def _rereport_drift(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    """The version clause that renders least of its matched original sentence, when even
    its closest original clause is further from it than almost any faithful translation:
    the re-report changed what was said there (scope, actor, place, certainty), which the
    whole-sentence score of a paraphrase cannot show."""
    v_clauses = [
        c for c in split_clauses(pair.version_text) if word_weight(c.text) >= MIN_CLAUSE_WORDS
    ]
    o_clauses = split_clauses(pair.original_text)
    if not v_clauses:
        return []
    sims = clause_similarities(context.encoder, o_clauses, v_clauses)
    best_original = sims.max(axis=0)
    worst = int(best_original.argmin())
    limit = context.calibration.faithful[REREPORT_CLAUSE_PERCENTILE]
    if best_original[worst] >= limit:
        return []
    clause = v_clauses[worst]
    closest = o_clauses[int(sims[:, worst].argmax())]
    return [
        Finding(
            check="semantic",
            category="mistranslation",
            severity=Severity.MAJOR,
            message=f"“{_short(clause.text)}” is not what the original says: "
            f"closest is “{_short(closest.text)}”",
            original_span=span_in(
                context.original, pair.original_segments, closest.start, closest.end
            ),
            version_span=span_in(context.version, pair.version_segments, clause.start, clause.end),
            evidence={
                "clause_similarity": round(float(best_original[worst]), 4),
                "threshold": limit,
                "pair_similarity": round(float(pair.similarity or 0), 4),
            },
        )
    ]


def _at_percentile(calibration: Calibration, percentile: float) -> float:
    """The faithful-similarity value at a percentile, interpolated between stored ones."""
    qs = sorted(calibration.faithful)
    return float(np.interp(percentile, qs, [calibration.faithful[q] for q in qs]))


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
