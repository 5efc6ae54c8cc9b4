"""Split a document into sentences that keep their character offsets.

sentencex keeps quoted speech with its attribution across scripts, which is what the quote
and attribution checks need; it splits wrongly after some abbreviations, so those splits are
joined again here with a small per-language list.
"""

from __future__ import annotations

import re

import sentencex

from fidelity import langdata
from fidelity.model import Segment

_CJK_LANGS = {"zh", "ja"}
_CJK_STOPS = "。！？"
_CJK_OPEN = "“「『（"
_CJK_CLOSE = "”」』）"
_INITIAL = re.compile(r"(?:^|\s)\w\.$")
_TERMINAL = ".!?。！？…»”\"'؟›)"


def segment_sentences(text: str, lang: str) -> tuple[Segment, ...]:
    """Sentences of `text`, each with offsets such that `text[start:end] == segment.text`."""
    segments: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(text):
        block = text[block_start:block_end]
        pieces = [
            (b["start_index"], b["end_index"])
            for b in sentencex.get_sentence_boundaries(lang, block)
        ]
        if lang in _CJK_LANGS:
            pieces = [p for start, end in pieces for p in _split_cjk_stops(block, start, end)]
        for start, end in _rejoin_abbreviations(block, pieces, lang):
            segments.append((block_start + start, block_start + end))
    return _to_segments(text, segments, "sentence")


def segment_lines(text: str) -> tuple[Segment, ...]:
    """One segment a non-empty line, for text that is already split (and for gold files)."""
    spans = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return _to_segments(text, spans, "line")


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
    block: str, pieces: list[tuple[int, int]], lang: str
) -> list[tuple[int, int]]:
    # Abbreviations after which sentencex wrongly ends a sentence (langdata `abbreviations`).
    abbreviations = frozenset(langdata.words(lang, "abbreviations"))
    merged: list[tuple[int, int]] = []
    carry: int | None = None
    for index, (start, end) in enumerate(pieces):
        if carry is not None:
            start = carry
            carry = None
        piece = block[start:end].rstrip()
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
