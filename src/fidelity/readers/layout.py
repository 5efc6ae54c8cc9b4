"""The furniture of a news page: a headline above the story, a dateline before it.

An editor's page puts a headline on a translated story ("Lyon cuts 40 bus routes") and may
set the dateline ("LYON, March 3 (AFP) -") on a line of its own. Neither is a claim the
original lacks: the headline repeats the story, the dateline its place and source. Checks
ask here whether a segment is one, so that page furniture raises nothing above minor.
"""

from __future__ import annotations

import re

from fidelity.model import Document, Segment

# A headline: among a page's first lines, short, standing on a line of its own, and not a
# finished sentence.
HEADLINE_MAX_WORDS = 20
HEADLINE_FIRST_SEGMENTS = 2
CROSSHEAD_MAX_WORDS = 8
_FINISHED = re.compile(r"[.!?。！？…:;»”\"'’」』]\s*$")
# A dateline on its own: a place in capitals, then a date or an agency, ending in a dash
# or an agency's name in brackets ("KYIV, March 3 (Reuters) -", "ПАРИЖ, 3 марта. /ТАСС/.").
_DATELINE = re.compile(
    r"^\s*[^\W\d_][^\W\d_ .'’-]*(?:[ .'’-]+[^\W\d_]+){0,3},?\s.{0,40}?"
    r"(?:\((?:[^()]{1,20})\)|/[^/]{1,12}/\.?)?\s*[-–—]*\s*$"
)
DATELINE_MAX_WORDS = 8


def is_headline(doc: Document, segment: Segment) -> bool:
    """Whether a segment is the page's headline, a sub-headline under it, or a crosshead
    between paragraphs ("Putin-Pashinyan talks"): a line of its own, not a sentence."""
    if _FINISHED.search(segment.text):
        return False
    words = len(segment.text.split())
    ends_line = doc.text[segment.end : segment.end + 1] in ("\n", "")
    if segment.index < HEADLINE_FIRST_SEGMENTS:
        return words <= HEADLINE_MAX_WORDS and ends_line
    starts_line = segment.start == 0 or doc.text[segment.start - 1] == "\n"
    return words <= CROSSHEAD_MAX_WORDS and starts_line and ends_line


def is_dateline(segment: Segment) -> bool:
    """Whether a segment is a dateline set on a line of its own."""
    text = segment.text.strip()
    if len(text.split()) > DATELINE_MAX_WORDS or not text[:1].isupper():
        return False
    head = text.split(",")[0]
    return head.isupper() and _DATELINE.match(text) is not None


def is_page_furniture(doc: Document, segment: Segment) -> bool:
    """A headline or a dateline: what a news page adds around a story."""
    return is_headline(doc, segment) or is_dateline(segment)
