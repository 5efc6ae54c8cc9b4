"""Direct quotes must render what was said: not shortened, extended, altered or invented.

A version's quotation marks promise the speaker's words. Each quote in a version is compared,
clause by clause, with the quote of the original sentences it is aligned to: an original
clause rendered nowhere in the version sentence means the quote was cut; a quoted clause with
no counterpart in the original quote was put in the speaker's mouth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from fidelity import langdata
from fidelity.checks.base import AlignedPair, CheckContext, parameters, register, span_in
from fidelity.config import Setting, number_between, percentile, section, whole_number
from fidelity.model import Finding, Severity, Span
from fidelity.readers.clauses import split_clauses, unrendered_clauses, word_weight


def _pairs() -> dict[str, str]:
    """Opening mark -> the marks that may close it (langdata `xx/quotes`): „ closes with “ in
    German, ” in Polish."""
    return langdata.table(langdata.MULTILINGUAL, "quotes")["pairs"]


section(
    "quote",
    {
        "min-words": Setting(
            "a whole number of at least 1", whole_number(1), 4,
            "quoted fragments shorter than this are titles or scare quotes, not speech",
        ),
        "faithful-percentile": Setting(
            "a number from 0 to 100", percentile, 50.0,
            "a quote at least this close to its original (percentile of faithful "
            "translations) is not taken apart clause by clause",
        ),
        "whole-sentence-share": Setting(
            "a number from 0 to 1", number_between(0, 1), 0.85,
            "a quote holding this share of its sentence's characters is the sentence",
        ),
    },
)


@dataclass(frozen=True)
class Quote:
    start: int  # offsets of the quoted words, marks excluded
    end: int
    text: str


def find_quotes(text: str, min_words: int = 4) -> list[Quote]:
    """Quoted stretches; an opening mark with no closing one runs to the end of the text,
    as wire copy often leaves a quote open across a sentence break."""
    quotes: list[Quote] = []
    pairs = _pairs()
    position = 0
    while position < len(text):
        opening = min(
            (
                (text.find(mark, position), mark)
                for mark in pairs
                if text.find(mark, position) >= 0
            ),
            default=None,
        )
        if opening is None:
            break
        start, mark = opening
        closers = [at for c in pairs[mark] if (at := text.find(c, start + 1)) >= 0]
        close = min(closers, default=-1)
        end = close if close >= 0 else len(text)
        inner = text[start + 1 : end]
        stripped = inner.strip()
        if word_weight(stripped) >= min_words:
            lead = len(inner) - len(inner.lstrip())
            quotes.append(Quote(start + 1 + lead, start + 1 + lead + len(stripped), stripped))
        position = end + 1
    return quotes


@register("quote")
def check_quotes(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.original_segments or not pair.version_segments:
        return []
    settings = parameters(context, "quote")
    v_quotes = find_quotes(pair.version_text, settings["min-words"])
    if not v_quotes:
        return []
    o_quotes = find_quotes(pair.original_text, settings["min-words"])
    findings: list[Finding] = []
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
        findings.extend(_compare_quote(pair, context, quote, o_quotes, version_span, settings))
    return findings


def _share(quote: Quote, text: str) -> float:
    return len(quote.text) / max(len(text.strip()), 1)


def _compare_quote(
    pair: AlignedPair,
    context: CheckContext,
    quote: Quote,
    o_quotes: list[Quote],
    version_span: Span,
    settings: dict[str, Any],
) -> list[Finding]:
    encoder = context.encoder
    faithful = context.calibration.faithful_at(settings["faithful-percentile"])
    whole = settings["whole-sentence-share"]
    if (
        len(o_quotes) == 1
        and _share(quote, pair.version_text) >= whole
        and _share(o_quotes[0], pair.original_text) >= whole
        and (pair.similarity or 0.0) >= faithful
    ):
        return []  # a quote that is the whole sentence is as faithful as the sentence
    vectors = encoder.encode([quote.text] + [q.text for q in o_quotes])
    best = int(np.argmax(vectors[1:] @ vectors[0]))
    source = o_quotes[best]
    similarity = float(vectors[1 + best] @ vectors[0])
    if similarity >= faithful and len(split_clauses(quote.text)) <= len(
        split_clauses(source.text)
    ):
        # As close as a typical faithful translation and no more clauses than the original's
        # quote: nothing to take apart. A clause more ("cueste lo que cueste") is looked at.
        return []
    # Content the version renders outside its quotation marks still counts as rendered:
    # quoting a fragment and paraphrasing the rest is legitimate.
    missing = unrendered_clauses(encoder, source.text, pair.version_text)
    added = unrendered_clauses(encoder, quote.text, source.text)
    findings = []
    if not missing and not added:
        return _length_change(pair, context, quote, source, version_span, similarity)
    if missing:
        clause = missing[0]
        start = source.start + clause.start
        findings.append(
            Finding(
                check="quote",
                category="omission",
                severity=Severity.MAJOR,
                message=f"quote shortened: “{clause.text}” is missing from the version",
                original_span=span_in(
                    context.original, pair.original_segments, start, start + len(clause.text)
                ),
                version_span=version_span,
                evidence={
                    "missing": [c.text for c in missing],
                    "quote": quote.text,
                    "similarity": round(similarity, 4),
                },
            )
        )
    if added:
        clause = added[0]
        start = quote.start + clause.start
        findings.append(
            Finding(
                check="quote",
                category="addition",
                severity=Severity.MAJOR,
                message=f"quote altered: “{clause.text}” is not in the original quote",
                original_span=span_in(
                    context.original, pair.original_segments, source.start, source.end
                ),
                version_span=span_in(
                    context.version, pair.version_segments, start, start + len(clause.text)
                ),
                evidence={
                    "added": [c.text for c in added],
                    "quote": quote.text,
                    "similarity": round(similarity, 4),
                },
            )
        )
    return findings


# A quote this much shorter or longer than its original, measured against how much longer
# the version is than the original as a whole (languages differ in length), was cut or
# extended, even where its clauses cannot be taken apart ("The situation remains very
# worrying" for « La situation reste très préoccupante et le vent pourrait encore attiser
# les flammes dans la nuit »).
SHORTENED_RATIO = 0.7
EXTENDED_RATIO = 1.6


def _length_change(
    pair: AlignedPair,
    context: CheckContext,
    quote: Quote,
    source: Quote,
    version_span: Span,
    similarity: float,
) -> list[Finding]:
    document_ratio = len(context.version.text) / max(len(context.original.text), 1)
    ratio = len(quote.text) / max(len(source.text), 1) / max(document_ratio, 1e-6)
    if SHORTENED_RATIO <= ratio <= EXTENDED_RATIO:
        return []
    shortened = ratio < SHORTENED_RATIO
    return [
        Finding(
            check="quote",
            category="omission" if shortened else "addition",
            severity=Severity.MAJOR,
            message=(
                f"quote {'shortened' if shortened else 'extended'}: it is "
                f"{'much shorter' if shortened else 'much longer'} than the original's "
                f"“{source.text[:60]}”"
            ),
            original_span=span_in(
                context.original, pair.original_segments, source.start, source.end
            ),
            version_span=version_span,
            evidence={"quote": quote.text, "length_ratio": round(ratio, 2),
                      "similarity": round(similarity, 4)},
        )
    ]
