"""Names must stay the names they were: Slovakia is not Slovenia, the IMF is not the World Bank.

A swapped name keeps a sentence's shape and most of its embedding, so it has to be caught by
reading the names themselves: countries, organisations and cities as identifiers
(`fidelity.readers.gazetteer`), other names from capitalised words compared across scripts
(`fidelity.readers.names`).

Only what is sure is reported: an entity of the original whose place in the version is held
by a different entity of the same kind (critical), or an organisation or a person's full name
with no counterpart at all (major). Countries mentioned in one side only are not reported:
"Chinese" and "the country" render them as often as their names do.
"""

from __future__ import annotations

from functools import lru_cache

from fidelity.checks.base import AlignedPair, CheckContext, Languages, mention_spans, register
from fidelity.model import Finding, Severity
from fidelity.readers.gazetteer import (
    Mention,
    find_gazetteer,
    gazetteer_languages,
    organisations_known,
    related_organisations,
)
from fidelity.readers.names import (
    exonym_like,
    find_names,
    full_name,
    name_found,
    names_read_in,
    names_readable,
    translated_name,
)

# ---------------------------------------------------------------------------------------
# the check


def _finding(
    pair: AlignedPair,
    context: CheckContext,
    o: Mention | None,
    v: Mention | None,
    evidence: dict[str, object],
) -> Finding:
    original_span, version_span = mention_spans(pair, context, o, v)
    if o is not None and v is not None:
        message = f"{o.text} became {v.text}"
        category, severity = "mistranslation", Severity.CRITICAL
    elif o is not None:
        message = f"{o.text} is not named in the version"
        category, severity = "omission", Severity.MAJOR
    else:
        assert v is not None
        message = f"{v.text} is named in the version but not in the original"
        category, severity = "addition", Severity.MAJOR
    return Finding(
        check="entity",
        category=category,
        severity=severity,
        message=message,
        original_span=original_span,
        version_span=version_span,
        evidence={
            "original_entity": o.entity if o else None,
            "version_entity": v.entity if v else None,
            **evidence,
        },
    )


def _unmatched(left: list[Mention], right: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    used: set[int] = set()
    rest = []
    for mention in left:
        k = next((k for k, r in enumerate(right) if k not in used
                  and r.entity == mention.entity), None)
        if k is None:
            rest.append(mention)
        else:
            used.add(k)
    return rest, [r for k, r in enumerate(right) if k not in used]


@lru_cache(maxsize=64)
def _document_entities(text: str, lang: str) -> frozenset[str]:
    return frozenset(m.entity for m in find_gazetteer(text, lang))


def _entity_languages() -> frozenset[str]:
    """Languages whose places and organisations (gazetteer) or names (capitals) are read."""
    return frozenset(gazetteer_languages()) | frozenset(names_read_in())


@register("entity", languages=Languages(_entity_languages, "no gazetteer or names"))
def check_entities(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.original_segments or not pair.version_segments:
        return []
    o_lang, v_lang = context.original.lang, context.version.lang
    o_text, v_text = pair.original_text, pair.version_text
    o_places = find_gazetteer(o_text, o_lang)
    v_places = find_gazetteer(v_text, v_lang)
    o_rest, v_rest = _unmatched(o_places, v_places)
    o_ids = {m.entity for m in o_places}
    v_ids = {m.entity for m in v_places}
    # A second mention of an entity the other side names once, or an agency named for its
    # parent organisation, is not a finding.
    o_rest = [m for m in o_rest if m.entity not in v_ids
              and not any(related_organisations(m.entity, e) for e in v_ids)]
    v_rest = [m for m in v_rest if m.entity not in o_ids
              and not any(related_organisations(m.entity, e) for e in o_ids)]
    findings = []
    for kind in ("country", "org", "city"):
        o_kind = [m for m in o_rest if m.kind == kind]
        v_kind = [m for m in v_rest if m.kind == kind]
        for o, v in zip(o_kind, v_kind, strict=False):
            findings.append(_finding(pair, context, o, v, {"kind": kind}))
        if context.mode != "translation" or kind != "org":
            continue
        if not organisations_known(o_lang) or not organisations_known(v_lang):
            continue  # the table has no names for this language's organisations
        # An organisation the other document names nowhere, under no name we know.
        v_known = _document_entities(context.version.text, v_lang)
        o_known = _document_entities(context.original.text, o_lang)
        for o in o_kind[len(v_kind) :]:
            if o.entity not in v_known and not name_found(o.text, v_text, v_lang):
                findings.append(_finding(pair, context, o, None, {"kind": kind}))
        for v in v_kind[len(o_kind) :]:
            if v.entity not in o_known and not name_found(v.text, o_text, o_lang):
                findings.append(_finding(pair, context, None, v, {"kind": kind}))
    findings += _compare_names(pair, context, o_places, v_places)
    return findings


def _compare_names(
    pair: AlignedPair,
    context: CheckContext,
    o_places: list[Mention],
    v_places: list[Mention],
) -> list[Finding]:
    o_lang, v_lang = context.original.lang, context.version.lang
    o_text, v_text = pair.original_text, pair.version_text
    o_names = find_names(o_text, o_lang, context.original, [(m.start, m.end) for m in o_places])
    v_names = find_names(v_text, v_lang, context.version, [(m.start, m.end) for m in v_places])
    o_missing = [n for n in o_names if not name_found(n.text, v_text, v_lang)]
    v_missing = [n for n in v_names if not name_found(n.text, o_text, o_lang)]
    similar = (pair.similarity or 0.0) >= context.calibration.match_threshold
    if context.mode != "translation":
        return []  # a re-report's sentences share too little for a missing name to mean much
    if len(o_missing) == 1 and len(v_missing) == 1 and similar:
        # One name where another stood, in a sentence that otherwise renders the original.
        o, v = o_missing[0], v_missing[0]
        o_words, v_words = len(o.text.split()), len(v.text.split())
        if (
            abs(o_words - v_words) <= 1
            and not exonym_like(o.text, v.text)
            and not translated_name(o, o_lang)
            and not translated_name(v, v_lang)
        ):
            return [_finding(pair, context, o, v, {"kind": "name"})]
    # A person's full name that no spelling or transliteration finds anywhere in the other
    # document. Chinese and Japanese render foreign names by sound in characters that their
    # romanisation does not bring back, so a name is only looked for in scripts we can read.
    if not similar or not (names_readable(o_lang) and names_readable(v_lang)):
        return []
    findings = []
    for name in o_missing:
        if full_name(name, o_lang) and not name_found(name.text, context.version.text, v_lang):
            findings.append(_finding(pair, context, name, None, {"kind": "name"}))
    for name in v_missing:
        if full_name(name, v_lang) and not name_found(name.text, context.original.text, o_lang):
            findings.append(_finding(pair, context, None, name, {"kind": "name"}))
    return findings
