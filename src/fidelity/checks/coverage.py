"""Omitted and added content: alignment beads with nothing on one side.

In a translation every sentence should have a rendering, so both are major; a re-report may
leave parts of a statement out (minor), but content with no source at all is still major,
because an editor must be able to source every claim. A news page's headline or dateline,
added or dropped, is minor: it repeats the story, it does not add to it.
"""

from __future__ import annotations

from fidelity import langdata
from fidelity.checks.base import AlignedPair, CheckContext, register
from fidelity.model import Finding, Severity
from fidelity.readers.layout import is_page_furniture


@register("omission")
def check_omission(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if pair.version_segments or not pair.original_segments:
        return []
    marks = langdata.table(langdata.MULTILINGUAL, "quotes")["speech_marks"]
    quoted = any(mark in pair.original_text for mark in marks)
    severity = Severity.MAJOR if context.mode == "translation" or quoted else Severity.MINOR
    what = "a direct quote" if quoted else "this sentence"
    if all(is_page_furniture(context.original, s) for s in pair.original_segments):
        severity, what = Severity.MINOR, "the page's headline or dateline"
    return [
        Finding(
            check="omission",
            category="omission",
            severity=severity,
            message=f"{what} of the original has no rendering in the version",
            original_span=pair.original_span(context.original),
            version_span=None,
            evidence={"best_similarity": _rounded(pair.similarity)},
        )
    ]


@register("addition")
def check_addition(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if pair.original_segments or not pair.version_segments:
        return []
    furniture = all(is_page_furniture(context.version, s) for s in pair.version_segments)
    return [
        Finding(
            check="addition",
            category="addition",
            severity=Severity.MINOR if furniture else Severity.MAJOR,
            message=(
                "a headline or dateline the original's page does not have"
                if furniture
                else "the version says this, but nothing in the original does"
            ),
            original_span=None,
            version_span=pair.version_span(context.version),
            evidence={"best_similarity": _rounded(pair.similarity)},
        )
    ]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
