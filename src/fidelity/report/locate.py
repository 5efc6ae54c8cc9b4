"""Where a finding or a bead is, as readers name it: sentence numbers or a file's unit ids.

Every renderer labels positions through `segment_label` (and finds the segments of a span
through a `SegmentIndex`), so a report of an XLIFF file says
`tu-17` wherever a report of plain text says `s17`. Human-facing labels count sentences
from 1; the JSON report keeps 0-based indices (with the unit ids beside them). An index is
built once per document and answers each span in logarithmic time, so a report of a
100,000-sentence document renders in linear time.
"""

from __future__ import annotations

from bisect import bisect_right

from fidelity.model import Document, Finding, Span


class SegmentIndex:
    """A document's segment starts, to find the segments of a span by bisection."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.starts = [s.start for s in document.segments]

    def segments_of(self, span: Span | None) -> tuple[int, ...]:
        """Indices of the segments a span touches (an empty span: the segment it sits in)."""
        segments = self.document.segments
        if span is None or not segments:
            return ()
        found = []
        for k in range(max(0, bisect_right(self.starts, span.start) - 1), len(segments)):
            segment = segments[k]
            if segment.start >= max(span.end, span.start + 1):
                break
            if segment.end > span.start or span.start == span.end == segment.end:
                found.append(segment.index)
        return tuple(found)

    def bounds(self, span: Span) -> tuple[int, int]:
        """From the start of the span's first segment to the end of its last (the span's own
        bounds where it touches none)."""
        ids = self.segments_of(span)
        if not ids:
            return span.start, span.end
        segments = self.document.segments
        return min(segments[ids[0]].start, span.start), max(segments[ids[-1]].end, span.end)

    def unit_ids(self, ids: tuple[int, ...]) -> tuple[str, ...]:
        """The bilingual file's unit ids of these segments (empty where it has none)."""
        return unit_ids(self.document, ids)

    def label(self, ids: tuple[int, ...], empty: str = "—") -> str:
        return segment_label(self.document, ids, empty)


def unit_ids(doc: Document, ids: tuple[int, ...]) -> tuple[str, ...]:
    """The bilingual file's unit ids of these segments (empty where it has none)."""
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


def finding_where(finding: Finding, original: SegmentIndex, version: SegmentIndex) -> str:
    """`s3 ↔ s3` (sentences from 1) or `u4 ↔ u4` (unit ids); `—` for a side with no span."""
    return (
        f"{original.label(original.segments_of(finding.original_span))} ↔ "
        f"{version.label(version.segments_of(finding.version_span))}"
    )
