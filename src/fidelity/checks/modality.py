"""Hedges turned into certainty (and back): "may infiltrate" rendered as "will infiltrate".

Sentence embeddings barely move when one modal verb changes, yet for a news claim the
difference between "may" and "will" is the story. Cues are matched per language; when both
sides hedge somewhere, the clauses are aligned so that a hedge is compared with the clause
that renders it, not with another part of the sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from fidelity import langdata
from fidelity.checks.base import AlignedPair, CheckContext, Languages, register, span_in
from fidelity.model import Finding, Severity, Span
from fidelity.readers.clauses import Clause, clause_similarities, split_clauses

# Cue lists per language (langdata `hedges`, `certainty`): literal words, plus
# `hedge_patterns` and `certainty_patterns` (regular expressions) where a cue is a suffix
# (Turkish "-ebilir", Korean "수 있다고") or depends on the word after it.
_KINDS = {"hedge": "hedges", "certainty": "certainty"}


@lru_cache(maxsize=64)
def _pattern(lang: str, kind: str) -> re.Pattern[str] | None:
    words = langdata.words(lang, _KINDS[kind])
    if not words and not langdata.words(lang, f"{kind}_patterns"):
        return None
    literal = [re.escape(w) for w in sorted(words, key=len, reverse=True)]
    alternatives = "|".join([*literal, *langdata.words(lang, f"{kind}_patterns")])
    if langdata.prop(lang, "no_space"):
        return re.compile(alternatives)
    # "May" the month is not a hedge: lower-case only where the language says so.
    flags = 0 if langdata.prop(lang, "lowercase_cues") else re.IGNORECASE
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)


def find_cues(text: str, lang: str, kind: str) -> list[re.Match[str]]:
    pattern = _pattern(lang, kind)
    return list(pattern.finditer(text)) if pattern else []


@register(
    "modality", languages=Languages(lambda: langdata.languages_with("hedges"), "no hedge list")
)
def check_modality(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.original_segments or not pair.version_segments:
        return []
    o_lang, v_lang = context.original.lang, context.version.lang
    if _pattern(o_lang, "hedge") is None or _pattern(v_lang, "hedge") is None:
        return []
    o_hedges = find_cues(pair.original_text, o_lang, "hedge")
    v_hedges = find_cues(pair.version_text, v_lang, "hedge")
    if not o_hedges and not v_hedges:
        return []
    if o_hedges and not v_hedges:
        certain = find_cues(pair.version_text, v_lang, "certainty")
        return [_hedge_dropped(pair, context, o_hedges[0], certain[0] if certain else None, None)]
    if not o_hedges:
        return []  # a hedge added only weakens a claim; left to the semantic check
    return _compare_clauses(pair, context)


def _compare_clauses(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    o_clauses = split_clauses(pair.original_text)
    v_clauses = split_clauses(pair.version_text)
    hedged = [
        (k, c) for k, c in enumerate(o_clauses) if find_cues(c.text, context.original.lang, "hedge")
    ]
    if not hedged or len(v_clauses) < 2:
        return []
    sims = clause_similarities(context.encoder, o_clauses, v_clauses)
    findings = []
    for k, clause in hedged:
        best = int(sims[k].argmax())
        if sims[k, best] < context.calibration.match_threshold:
            continue
        target = v_clauses[best]
        if find_cues(target.text, context.version.lang, "hedge"):
            continue
        certain = find_cues(target.text, context.version.lang, "certainty")
        if not certain:
            continue
        hedge = find_cues(clause.text, context.original.lang, "hedge")[0]
        findings.append(_hedge_dropped(pair, context, hedge, certain[0], (clause, target)))
    return findings


def _hedge_dropped(
    pair: AlignedPair,
    context: CheckContext,
    hedge: re.Match[str],
    certainty: re.Match[str] | None,
    clauses: tuple[Clause, Clause] | None,
) -> Finding:
    o_offset = clauses[0].start if clauses else 0
    v_offset = clauses[1].start if clauses else 0
    original_span = span_in(
        context.original, pair.original_segments, o_offset + hedge.start(), o_offset + hedge.end()
    )
    version_span: Span | None
    if certainty is not None:
        version_span = span_in(
            context.version,
            pair.version_segments,
            v_offset + certainty.start(),
            v_offset + certainty.end(),
        )
        message = f"hedge “{hedge.group(0)}” became certainty “{certainty.group(0)}”"
        severity = Severity.MAJOR
    else:
        version_span = pair.version_span(context.version)
        message = f"hedge “{hedge.group(0)}” was dropped: the claim reads as certain"
        # Minor (README, severity policy): with no certainty word in its place, a dropped
        # cue is as often a modal of ability rendered another way ("kann" as a plain
        # verb) as a supposition stated as fact.
        severity = Severity.MINOR
    evidence: dict[str, object] = {"hedge": hedge.group(0)}
    if certainty is not None:
        evidence["certainty"] = certainty.group(0)
    if clauses:
        evidence["original_clause"] = clauses[0].text
        evidence["version_clause"] = clauses[1].text
    return Finding(
        check="modality",
        category="mistranslation",
        severity=severity,
        message=message,
        original_span=original_span,
        version_span=version_span,
        evidence=evidence,
    )
