"""Omitted and added content: alignment beads with nothing on one side.

In a translation every sentence should have a rendering, so both are major; a re-report may
leave parts of a statement out (minor), but content with no source at all is still major,
because an editor must be able to source every claim. A news page's headline or dateline
repeats the story: one left off is no omission, one added is minor (worth a look, as it
may say what the story does not).
"""

from __future__ import annotations

from fidelity import langdata
from fidelity.checks.base import AlignedPair, CheckContext, register
from fidelity.model import Document, Finding, Segment, Severity, Span
from fidelity.readers.clauses import word_weight
from fidelity.readers.layout import is_page_furniture


@register("omission")
def check_omission(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.original_segments:
        return []
    if pair.version_segments:
        return _merged_omissions(pair, context)
    marks = langdata.table(langdata.MULTILINGUAL, "quotes")["speech_marks"]
    quoted = any(mark in pair.original_text for mark in marks)
    severity = Severity.MAJOR if context.mode == "translation" or quoted else Severity.MINOR
    what = "a direct quote" if quoted else "this sentence"
    if all(is_page_furniture(context.original, s) for s in pair.original_segments):
        return []  # a headline or dateline left off the page loses no fact of the story
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
    if not pair.version_segments:
        return []
    if pair.original_segments:
        return _merged_additions(pair, context)
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


# A sentence inside a merged bead that the rest renders without: leaving it out brings the
# two sides at least this much closer.
MERGED_ABLATION_MARGIN = 0.02
# Fragments shorter than this ("Dring !", "ED inf.", an exclamation closing a paragraph)
# move a sentence embedding more than their meaning does.
MIN_MERGED_WORDS = 6


def _unrendered_segments(
    pair: AlignedPair, segments: tuple[Segment, ...], doc: Document, other: str,
    context: CheckContext,
) -> list[Segment]:
    """The segments of a bead of several that the other side does not render: the aligner
    joins an added sentence to its neighbour when that keeps the order, and one sentence
    left out of a merge looks like the merge itself."""
    if len(segments) < 2 or context.mode != "translation":
        return []
    whole = " ".join(s.text for s in segments)
    rests = [" ".join(s.text for s in segments if s is not left) for left in segments]
    vectors = context.encoder.encode([other, whole, *rests])
    full = float(vectors[1] @ vectors[0])
    gains = vectors[2:] @ vectors[0] - full
    return [s for s, gain in zip(segments, gains, strict=True)
            if gain > MERGED_ABLATION_MARGIN and word_weight(s.text) >= MIN_MERGED_WORDS
            and not is_page_furniture(doc, s)]


def _merged_additions(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    added = _unrendered_segments(pair, pair.version_segments, context.version, pair.original_text,
                                 context)
    return [
        Finding(
            check="addition",
            category="addition",
            severity=Severity.MAJOR,
            message="the version says this, but nothing in the original does",
            original_span=None,
            version_span=Span(s.start, s.end, context.version.text[s.start : s.end]),
            evidence={"merged_with": len(pair.version_segments) - 1},
        )
        for s in added
    ]


def _merged_omissions(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    dropped = _unrendered_segments(pair, pair.original_segments, context.original,
                                   pair.version_text, context)
    return [
        Finding(
            check="omission",
            category="omission",
            severity=Severity.MAJOR,
            message="this sentence of the original has no rendering in the version",
            original_span=Span(s.start, s.end, context.original.text[s.start : s.end]),
            version_span=None,
            evidence={"merged_with": len(pair.original_segments) - 1},
        )
        for s in dropped
    ]
