"""Clauses inside a sentence, and which clause of one side renders which of the other.

Sentence similarity says *that* a pair drifted; comparing its clauses says *where*. Clauses
are cut at punctuation that separates phrases in the scripts we cover, and short fragments
are joined to their neighbour so each clause carries enough meaning to embed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from fidelity.embed.base import Encoder

# Commas and colons cut, except between digits ("2,400", "3:40").
_CUT = re.compile(r"(?:(?<!\d)[,:]|[,:](?!\d)|[;—–()\[\]“”«»\"„،؛，；：、。!?！？])+|\s+-\s+")
_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str


def word_weight(text: str) -> int:
    """Words, counting each CJK character as half a word."""
    cjk = len(_CJK.findall(text))
    return len(_WORD.findall(_CJK.sub(" ", text))) + cjk // 2


def split_clauses(text: str, min_words: int = 3) -> list[Clause]:
    spans: list[list[int]] = []
    position = 0
    for cut in _CUT.finditer(text):
        if cut.start() > position:
            spans.append([position, cut.start()])
        position = cut.end()
    if position < len(text):
        spans.append([position, len(text)])
    spans = [s for s in spans if text[s[0] : s[1]].strip()]
    merged: list[list[int]] = []
    for span in spans:
        if merged and (
            word_weight(text[span[0] : span[1]]) < min_words
            or word_weight(text[merged[-1][0] : merged[-1][1]]) < min_words
        ):
            merged[-1][1] = span[1]
        else:
            merged.append(span)
    clauses = []
    for start, end in merged:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        clauses.append(Clause(start + lead, end - trail, piece.strip()))
    return clauses or [Clause(0, len(text), text)]


def clause_similarities(encoder: Encoder, left: list[Clause], right: list[Clause]) -> np.ndarray:
    """Cosine similarity of every clause of `left` against every clause of `right`."""
    vectors = encoder.encode([c.text for c in left] + [c.text for c in right])
    return vectors[: len(left)] @ vectors[len(left) :].T


# Leaving a clause out must raise similarity by this much before the clause counts as
# unrendered (a margin above the jitter of re-encoding a shorter text).
ABLATION_MARGIN = 0.02


def unrendered_clauses(encoder: Encoder, text: str, other: str) -> list[Clause]:
    """Clauses of `text` that `other` does not render: leaving one out makes `text` *more*
    similar to `other`. Ablation copes with one clause rendered by several and vice versa,
    which clause-to-clause similarity does not."""
    clauses = split_clauses(text)
    if len(clauses) < 2:
        return []
    variants = [
        " ".join(c.text for j, c in enumerate(clauses) if j != k) for k in range(len(clauses))
    ]
    vectors = encoder.encode([text, other, *variants])
    full = float(vectors[0] @ vectors[1])
    gains = vectors[2:] @ vectors[1] - full
    return [clauses[k] for k in range(len(clauses)) if gains[k] > ABLATION_MARGIN]
