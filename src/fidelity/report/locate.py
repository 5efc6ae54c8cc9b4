"""Where a finding or a bead is, as readers name it: sentence numbers or a file's unit ids.

Every renderer labels positions through these two functions, so a report of an XLIFF file
says `tu-17` wherever a report of plain text says `s17`. Human-facing labels count sentences
from 1; the JSON report keeps 0-based indices (with the unit ids beside them).
"""

from __future__ import annotations

from bisect import bisect_right

from fidelity.model import Document, Finding, Span


def segments_of(doc: Document, span: Span | None) -> tuple[int, ...]:
    """Indices of the segments a span touches (an empty span: the segment it sits in)."""
    if span is None or not doc.segments:
        return ()
    starts = [s.start for s in doc.segments]
    first = max(0, bisect_right(starts, span.start) - 1)
    found = []
    for segment in doc.segments[first:]:
        if segment.start >= max(span.end, span.start + 1):
            break
        if segment.end > span.start or (span.start == span.end == segment.end):
            found.append(segment.index)
    return tuple(found)


def unit_ids(doc: Document, ids: tuple[int, ...]) -> tuple[str, ...]:
    """The bilingual file's unit ids of these segments (empty where the document has none)."""
    return tuple(unit for i in ids if (unit := doc.segments[i].unit_id) is not None)


def segment_label(doc: Document, ids: tuple[int, ...], empty: str = "—") -> str:
    """`u7` or `u7,u8` for units; `s3`, `s3-5` or `s3,s7` (from 1) for sentences, as the
    terminal report and `fidelity align` print them."""
    if not ids:
        return empty
    units = unit_ids(doc, ids)
    if units:
        return ",".join(units)
    if len(ids) == 1:
        return f"s{ids[0] + 1}"
    if list(ids) == list(range(ids[0], ids[-1] + 1)):
        return f"s{ids[0] + 1}-{ids[-1] + 1}"
    return ",".join(f"s{i + 1}" for i in ids)


def finding_where(finding: Finding, original: Document, version: Document) -> str:
    """`s3 ↔ s3` (sentences from 1) or `u4 ↔ u4` (unit ids); `—` for a side with no span."""
    return (
        f"{segment_label(original, segments_of(original, finding.original_span))} ↔ "
        f"{segment_label(version, segments_of(version, finding.version_span))}"
    )
