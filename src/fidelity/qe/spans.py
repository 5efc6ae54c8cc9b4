"""Token probabilities -> word spans: an editor must see whole words, never half a token."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from fidelity.qe.tokenizer import Tokens

# Scripts written without spaces: each token is a word there (a run of them would otherwise
# be one "word" the length of the sentence).
_UNSPACED = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{_UNSPACED}]+|(?:(?![{_UNSPACED}])\w)+(?:['’\-](?:(?![{_UNSPACED}])\w)+)*")


@dataclass(frozen=True)
class QESpan:
    """Characters [start, end) of the text given, snapped to whole words."""

    start: int
    end: int
    severity: str  # "minor" | "major"
    category: str  # "mistranslation" | "addition" | "omission"
    probability: float


def words_of(text: str, tokens: Tokens) -> list[tuple[int, int, np.ndarray]]:
    """(start, end, indices of the tokens inside) for each word the model saw."""
    starts = np.asarray(tokens.starts)
    ends = np.asarray(tokens.ends)
    limit = int(ends.max()) if len(ends) else 0
    words: list[tuple[int, int, np.ndarray]] = []
    for match in WORD.finditer(text):
        start, end = match.span()
        if start >= limit:
            break  # beyond the truncated tokens: no prediction
        inside = np.nonzero((starts < end) & (ends > start))[0]
        if not len(inside):
            continue
        if re.match(rf"[{_UNSPACED}]", match.group()):
            for index in inside:  # one word per token in unspaced scripts
                a, b = max(int(starts[index]), start), min(int(ends[index]), end)
                if a < b:
                    words.append((a, b, np.array([index])))
        else:
            words.append((start, end, inside))
    return words


def decode_spans(
    text: str,
    tokens: Tokens,
    bad: np.ndarray,
    major: np.ndarray,
    addition: np.ndarray | None,
    flag_threshold: float,
    major_threshold: float,
    default_category: str,
) -> list[QESpan]:
    """Flag words whose most doubtful token reaches `flag_threshold`; adjacent flagged words
    (nothing but spaces or punctuation between them) form one span."""
    spans: list[QESpan] = []
    run: list[tuple[int, int, float, float, float]] = []

    def close() -> None:
        if not run:
            return
        probability = max(item[2] for item in run)
        severity = "major" if max(item[3] for item in run) >= major_threshold else "minor"
        category = default_category
        if addition is not None and np.mean([item[4] for item in run]) >= 0.5:
            category = "addition"
        spans.append(QESpan(run[0][0], run[-1][1], severity, category, round(probability, 4)))
        run.clear()

    for start, end, inside in words_of(text, tokens):
        p_bad = float(bad[inside].max())
        if p_bad < flag_threshold:
            close()
            continue
        p_add = float(addition[inside].mean()) if addition is not None else 0.0
        run.append((start, end, p_bad, float(major[inside].max()), p_add))
    close()
    return spans
