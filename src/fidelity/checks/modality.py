"""Hedges turned into certainty (and back): "may infiltrate" rendered as "will infiltrate".

Sentence embeddings barely move when one modal verb changes, yet for a news claim the
difference between "may" and "will" is the story. Cues are matched per language; when both
sides hedge somewhere, the clauses are aligned so that a hedge is compared with the clause
that renders it, not with another part of the sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from fidelity.checks.base import AlignedPair, CheckContext, register, span_in
from fidelity.checks.clauses import Clause, clause_similarities, split_clauses
from fidelity.model import Finding, Severity, Span

# Cues are "|"-separated per language, so that multi-word cues read naturally.
HEDGES: dict[str, tuple[str, ...]] = {
    lang: tuple(cues.split("|"))
    for lang, cues in {
        # "can" renders the ability sense of peut/может/puede, which are listed as hedges.
        "en": "may|might|could|can|possibly|possible|perhaps|probably|likely|reportedly|"
        "allegedly|apparently|suspected|presumably|capable of|believed to|expected to|"
        "is said to|are said to|potentially|risk of",
        "ru": "может|могут|мог|могла|могло|могли|сможет|смогут|возможно|вероятно|"
        "предположительно|якобы|не исключено|как сообщается|сообщается|ожидается|"
        "по прогнозам|способна|способен|способно|грозит|риск",
        "fr": "pourrait|pourraient|peut|peuvent|peut-être|probablement|possiblement|aurait|"
        "auraient|présumé|présumée|vraisemblablement|susceptible|susceptibles|risque",
        "es": "podría|podrían|puede|pueden|posiblemente|probablemente|quizá|quizás|tal vez|"
        "presuntamente|supuestamente|habría|habrían|riesgo",
        "de": "könnte|könnten|kann|können|möglicherweise|vielleicht|wahrscheinlich|angeblich|"
        "mutmaßlich|soll|sollen|vermutlich",
        "it": "potrebbe|potrebbero|può|possono|forse|probabilmente|presumibilmente",
        "pt": "poderia|poderiam|pode|podem|talvez|provavelmente|supostamente",
        "zh": "可能|或许|也许|或将|据报道|据称|疑似|涉嫌|大概|恐将|有望|预计",
        "ar": "ربما|من المحتمل|يحتمل|يُحتمل|يمكن|بإمكان|يُزعم|يزعم|المحتمل|احتمال",
    }.items()
}
CERTAINTY: dict[str, tuple[str, ...]] = {
    lang: tuple(cues.split("|"))
    for lang, cues in {
        "en": "will|shall|is going to|are going to|certainly|definitely|undoubtedly|confirmed|"
        "surely|no doubt|inevitably",
        "ru": "будет|будут|обязательно|несомненно|наверняка|точно|подтвердил|подтвердила|неизбежно",
        "fr": "va|vont|sera|seront|certainement|sans aucun doute|confirmé|inévitablement|"
        "assurément",
        "es": "será|serán|va a|van a|sin duda|confirmó|ciertamente|inevitablemente",
        "de": "wird|werden|sicher|zweifellos|bestätigt|unweigerlich",
        "it": "sarà|saranno|certamente|sicuramente|confermato",
        "pt": "será|serão|certamente|confirmado",
        "zh": "将会|必将|一定|肯定|确认|必然|势必|将",
        "ar": "سوف|بالتأكيد|مؤكد|حتما|حتماً|لا شك|سيتم",
    }.items()
}
_NO_SPACE = {"zh", "ja"}


@lru_cache(maxsize=64)
def _pattern(lang: str, kind: str) -> re.Pattern[str] | None:
    words = (HEDGES if kind == "hedge" else CERTAINTY).get(lang)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    if lang == "ar" and kind == "hedge":
        # قد before an imperfect verb is "may"; before a perfect verb it means "already".
        alternatives += "|[وف]?قد(?=\\s+[يتنأ])"
    if lang in _NO_SPACE:
        return re.compile(alternatives)
    # "May" the month is not a hedge: lower-case only for the English modal.
    flags = 0 if lang == "en" else re.IGNORECASE
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)


def find_cues(text: str, lang: str, kind: str) -> list[re.Match[str]]:
    pattern = _pattern(lang, kind)
    return list(pattern.finditer(text)) if pattern else []


@register("modality")
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
