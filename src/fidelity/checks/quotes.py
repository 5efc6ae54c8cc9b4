"""Direct quotes must render what was said: not shortened, extended, altered or invented.

A version's quotation marks promise the speaker's words. Each quote in a version is compared,
clause by clause, with the quotes of the original sentences it is aligned to: an original
clause rendered nowhere in the version sentence means the quote was cut; a quoted clause with
no counterpart in the original was put in the speaker's mouth.
"""

from __future__ import annotations

from dataclasses import dataclass

from fidelity.checks.base import AlignedPair, CheckContext, register, span_in
from fidelity.checks.clauses import Clause, clause_similarities, split_clauses, word_weight
from fidelity.model import Finding, Severity

_PAIRS = {"“": "”", "«": "»", "„": "“", "「": "」", "『": "』", "‹": "›", '"': '"', "‚": "‘"}
# Quoted fragments shorter than this are titles or scare quotes, not reported speech.
MIN_QUOTE_WORDS = 4


@dataclass(frozen=True)
class Quote:
    start: int  # offsets of the quoted words, marks excluded
    end: int
    text: str


def find_quotes(text: str) -> list[Quote]:
    """Quoted stretches; an opening mark with no closing one runs to the end of the text,
    as wire copy often leaves a quote open across a sentence break."""
    quotes: list[Quote] = []
    position = 0
    while position < len(text):
        opening = min(
            (
                (text.find(mark, position), mark)
                for mark in _PAIRS
                if text.find(mark, position) >= 0
            ),
            default=None,
        )
        if opening is None:
            break
        start, mark = opening
        close = text.find(_PAIRS[mark], start + 1)
        end = close if close >= 0 else len(text)
        inner = text[start + 1 : end]
        stripped = inner.strip()
        if word_weight(stripped) >= MIN_QUOTE_WORDS:
            lead = len(inner) - len(inner.lstrip())
            quotes.append(Quote(start + 1 + lead, start + 1 + lead + len(stripped), stripped))
        position = end + 1
    return quotes


@register("quote")
def check_quotes(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.original_segments or not pair.version_segments:
        return []
    v_quotes = find_quotes(pair.version_text)
    if not v_quotes:
        return []
    o_quotes = find_quotes(pair.original_text)
    findings: list[Finding] = []
    threshold = context.calibration.match_threshold
    for quote in v_quotes:
        version_span = span_in(context.version, pair.version_segments, quote.start, quote.end)
        if not o_quotes:
            findings.append(
                Finding(
                    check="quote",
                    category="mistranslation",
                    severity=Severity.MAJOR,
                    message="presented as a direct quote, but the original does not quote "
                    "these words",
                    original_span=pair.original_span(context.original),
                    version_span=version_span,
                    evidence={"quote": quote.text},
                )
            )
            continue
        o_clauses = [(q, c) for q in o_quotes for c in _offset_clauses(q)]
        v_all = split_clauses(pair.version_text)
        v_quoted = [c for c in v_all if quote.start <= c.start < quote.end]
        sims = clause_similarities(context.encoder, [c for _, c in o_clauses], v_all)
        if sims.size == 0:
            continue
        missing = [c for k, (_, c) in enumerate(o_clauses) if sims[k].max() < threshold]
        quoted_cols = [k for k, c in enumerate(v_all) if c in v_quoted]
        invented = [v_all[k] for k in quoted_cols if sims[:, k].max() < threshold]
        if missing:
            clause = missing[0]
            findings.append(
                Finding(
                    check="quote",
                    category="omission",
                    severity=Severity.MAJOR,
                    message=f"quote shortened: “{clause.text}” is missing from the version",
                    original_span=span_in(
                        context.original, pair.original_segments, clause.start, clause.end
                    ),
                    version_span=version_span,
                    evidence={"missing": [c.text for c in missing], "quote": quote.text},
                )
            )
        if invented:
            clause = invented[0]
            findings.append(
                Finding(
                    check="quote",
                    category="addition",
                    severity=Severity.MAJOR,
                    message=f"quote altered: “{clause.text}” has no counterpart in the "
                    "original quote",
                    original_span=pair.original_span(context.original),
                    version_span=span_in(
                        context.version, pair.version_segments, clause.start, clause.end
                    ),
                    evidence={"added": [c.text for c in invented], "quote": quote.text},
                )
            )
    return findings


def _offset_clauses(quote: Quote) -> list[Clause]:
    return [
        Clause(quote.start + c.start, quote.start + c.end, c.text)
        for c in split_clauses(quote.text)
    ]
