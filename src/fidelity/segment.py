"""Split a document into sentences that keep their character offsets.

sentencex keeps quoted speech with its attribution across scripts, which is what the quote
and attribution checks need; it splits wrongly after some abbreviations, so those splits are
joined again here with a small per-language list.

Every document is bounded: a run of text longer than FIDELITY_MAX_SEGMENT_CHARS without a
sentence end (a pasted table, a transcript without punctuation, a hostile file) is cut at a
clause boundary (`;`, `:`, `,`, a dash) or else a space near the limit, so that the encoders
and the per-segment readers of the checks always see bounded text; a document with more than
FIDELITY_MAX_CHARS characters or FIDELITY_MAX_SEGMENTS segments is refused with one line.
Every step is linear in the text.
"""

from __future__ import annotations

import re

import sentencex

from fidelity import langdata
from fidelity.errors import FidelityInputError
from fidelity.limits import MAX_CHARS, MAX_SEGMENT_CHARS, MAX_SEGMENTS
from fidelity.model import Segment

_CJK_LANGS = {"zh", "ja"}
_CJK_STOPS = "。！？"
_CJK_OPEN = "“「『（"
_CJK_CLOSE = "”」』）"
_INITIAL = re.compile(r"(?:^|\s)\w\.$")
_TERMINAL = ".!?。！？…»”\"'؟›)"
# Where a over-long run of text is cut, best first: after a clause mark, else after a space.
_CLAUSE_MARKS = re.compile(r"[;:,—–]\s|[；：，、]")


def segment_sentences(text: str, lang: str, name: str | None = None) -> tuple[Segment, ...]:
    """Sentences of `text`, each with offsets such that `text[start:end] == segment.text`.

    `name` (the document's path) only labels the error when the document is over a limit."""
    check_document_length(len(text), name)
    max_chars = int(MAX_SEGMENT_CHARS.value())
    counter = _Counter(name)
    # Abbreviations after which sentencex wrongly ends a sentence (langdata `abbreviations`).
    abbreviations = frozenset(langdata.words(lang, "abbreviations"))
    segments: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(text):
        block = text[block_start:block_end]
        pieces = [
            (b["start_index"], b["end_index"])
            for b in sentencex.get_sentence_boundaries(lang, block)
        ]
        if lang in _CJK_LANGS:
            pieces = [p for start, end in pieces for p in _split_cjk_stops(block, start, end)]
        for start, end in _rejoin_abbreviations(block, pieces, abbreviations):
            for cut_start, cut_end in _cut_long(block, start, end, max_chars):
                segments.append((block_start + cut_start, block_start + cut_end))
                counter.add()
    return _to_segments(text, segments, "sentence")


def segment_lines(text: str, name: str | None = None) -> tuple[Segment, ...]:
    """One segment a non-empty line, for text that is already split (and for gold files);
    a line over FIDELITY_MAX_SEGMENT_CHARS is cut as a sentence would be."""
    check_document_length(len(text), name)
    max_chars = int(MAX_SEGMENT_CHARS.value())
    counter = _Counter(name)
    spans = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            for span in _cut_long(text, offset, offset + len(line), max_chars):
                spans.append(span)
                counter.add()
        offset += len(line) + 1
    return _to_segments(text, spans, "line")


def check_document_length(characters: int, name: str | None = None) -> None:
    """Refuse a document longer than FIDELITY_MAX_CHARS characters."""
    most = int(MAX_CHARS.value())
    if characters > most:
        raise FidelityInputError(
            f"has {characters:,} characters, more than the {most:,} limit "
            f"(set {MAX_CHARS.variable} to raise it)",
            name,
        )


def check_segment_count(count: int, name: str | None = None) -> None:
    """Refuse a document with more segments than FIDELITY_MAX_SEGMENTS (e.g. the units of a
    bilingual file, which arrive already segmented)."""
    most = int(MAX_SEGMENTS.value())
    if count > most:
        raise FidelityInputError(
            f"has more than {most:,} segments (set {MAX_SEGMENTS.variable} to raise the limit)",
            name,
        )


class _Counter:
    """Counts segments as they are made, so an oversized document stops early."""

    def __init__(self, name: str | None) -> None:
        self._name = name
        self._most = int(MAX_SEGMENTS.value())
        self._count = 0

    def add(self) -> None:
        self._count += 1
        if self._count > self._most:
            check_segment_count(self._count, self._name)


def _cut_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """`text[start:end]` as pieces of at most `max_chars` characters, each cut after the last
    clause mark in the second half of its window, else after the last space there, else at
    the limit. Linear: each cut looks at one window only."""
    pieces: list[tuple[int, int]] = []
    while end - start > max_chars:
        window_end = start + max_chars
        floor = start + max_chars // 2
        cut = -1
        for match in _CLAUSE_MARKS.finditer(text, floor, window_end):
            cut = match.start() + 1
        if cut < 0:
            space = max(text.rfind(" ", floor, window_end), text.rfind("\t", floor, window_end))
            cut = space + 1 if space >= 0 else window_end
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _blocks(text: str) -> list[tuple[int, int]]:
    """Hard boundaries: blank lines always, single newlines after a finished sentence or a
    short line (a headline, a dateline), so that a wrapped paragraph stays one block."""
    blocks: list[tuple[int, int]] = []
    start = 0
    offset = 0
    lines = text.split("\n")
    for i, line in enumerate(lines):
        end = offset + len(line)
        stripped = line.rstrip()
        next_line = lines[i + 1] if i + 1 < len(lines) else ""
        hard = (
            not stripped
            or not next_line.strip()
            or stripped.endswith(tuple(_TERMINAL))
            or len(stripped) < 60
            or next_line.lstrip()[:1].isupper()
        )
        if hard or i == len(lines) - 1:
            if text[start:end].strip():
                blocks.append((start, end))
            start = end + 1
        offset = end + 1
    return blocks


def _split_cjk_stops(block: str, start: int, end: int) -> list[tuple[int, int]]:
    """sentencex misses a full stop followed by a digit ("3.2%。1至9月"); a CJK full stop
    outside quotation marks always ends a sentence."""
    pieces = []
    depth = 0
    piece_start = start
    for index in range(start, end):
        char = block[index]
        if char in _CJK_OPEN:
            depth += 1
        elif char in _CJK_CLOSE:
            depth = max(0, depth - 1)
        elif char in _CJK_STOPS and depth == 0 and index + 1 < end:
            following = block[index + 1]
            if following not in _CJK_CLOSE and following not in _CJK_STOPS:
                pieces.append((piece_start, index + 1))
                piece_start = index + 1
    pieces.append((piece_start, end))
    return pieces


def _rejoin_abbreviations(
    block: str, pieces: list[tuple[int, int]], abbreviations: frozenset[str]
) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    carry: int | None = None
    for index, (start, end) in enumerate(pieces):
        # Only the piece's own text decides (its last word): re-reading the whole carried
        # run made a long run of initials ("A. B. C. ...") quadratic.
        piece = block[start:end].rstrip()
        if carry is not None:
            start = carry
            carry = None
        last_word = piece.rsplit(None, 1)[-1].lower() if piece.split() else ""
        is_last = index == len(pieces) - 1
        if not is_last and (last_word in abbreviations or _INITIAL.search(piece)):
            carry = start
            continue
        merged.append((start, end))
    if carry is not None:
        merged.append((carry, pieces[-1][1]))
    return merged


def _to_segments(text: str, spans: list[tuple[int, int]], kind: str) -> tuple[Segment, ...]:
    segments = []
    for start, end in spans:
        piece = text[start:end]
        if not piece.strip():
            continue
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        s, e = start + lead, end - trail
        segments.append(Segment(len(segments), text[s:e], s, e, kind))
    return tuple(segments)
