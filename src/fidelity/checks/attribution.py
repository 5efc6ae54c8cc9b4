"""Who said it: a claim must stay with the speaker the original gives it to.

A version that keeps every word but moves a statement from one person to another ("Peskov
said Naryshkin's warning was exaggerated" rendered as "Naryshkin said the warning was
exaggerated") changes what a reader believes about both people, and a sentence embedding
barely moves. Speakers are read from reporting verbs and their markers per language ("said",
"according to", "заявил", "по словам", "a déclaré", "selon", "según", "sagte", "laut") and
the nearest name or organisation beside them, found by the entity check's readers; names
are compared across scripts the way that check compares them.

Only a claim moved between people the pair names is reported: a speaker of the original
who stands in the version without the claim, or a name of the original that the version
makes the speaker. A speaker replaced by someone the original never mentions is the entity
check's finding ("X became Y"), and is not reported twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from fidelity import langdata
from fidelity.checks.base import (
    AlignedPair,
    CheckContext,
    Languages,
    mention_spans,
    parameters,
    register,
)
from fidelity.config import Setting, section, whole_number
from fidelity.model import Document, Finding, Severity
from fidelity.readers.gazetteer import Mention, find_gazetteer, organisations_known
from fidelity.readers.names import (
    find_names,
    initial_names,
    name_found,
    name_index,
    names_read_in,
)

# Reporting verbs and markers per language (langdata `reporting`), lower case; a cue may be
# several words. The speaker stands next to the cue, before or after it, in every one of these
# languages' news style.
# The speaker stands right before the cue ("Naryshkin said", "Sergei Naryshkin, said"),
# before an apposition ("Naryshkin, the director of the SVR, said"), or a few words after it
# ("said Naryshkin", "according to the SVR").
section(
    "attribution",
    {
        "max-words-after": Setting(
            "a whole number of at least 0", whole_number(0), 3,
            "how many words may stand between a reporting verb and a speaker after it",
        ),
    },
)
_ADJACENT = re.compile(r"[\s,]*")
_APPOSITION = re.compile(r"\s*,[^,.;:!?\"“”«»„]{1,120},\s*")
_AFTER_KINDS = frozenset({"name", "org"})
_GAP_BREAK = re.compile(r"[.;:!?\"“”«»„,]")
_ACRONYM = re.compile(r"(?<!\w)[A-ZА-ЯЁ]{2,5}(?!\w)")


@dataclass(frozen=True)
class Attribution:
    speaker: Mention


@lru_cache(maxsize=16)
def _cue_pattern(lang: str) -> re.Pattern[str] | None:
    cues = langdata.words(lang, "reporting")
    if not cues:
        return None
    alternatives = "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _has_cue(text: str, lang: str) -> bool:
    pattern = _cue_pattern(lang)
    return pattern is not None and pattern.search(text) is not None


def _mentions(
    text: str, lang: str, document: Document | None, initials: frozenset[str]
) -> list[Mention]:
    places = find_gazetteer(text, lang)
    taken = [(m.start, m.end) for m in places]
    names = find_names(text, lang, document, taken, initials)
    taken += [(m.start, m.end) for m in names]
    # Agencies speak by their acronyms ("the SVR said", "СВР сообщила"), which the name
    # reader leaves out; compared as names, so that transliteration matches them.
    acronyms = [
        Mention(m.start(), m.end(), m.group(0), f"name:{m.group(0)}", "name")
        for m in _ACRONYM.finditer(text)
        if not any(a < m.end() and m.start() < b for a, b in taken)
    ]
    return sorted([*places, *names, *acronyms], key=lambda m: m.start)


def find_attributions(
    text: str,
    lang: str,
    document: Document | None = None,
    initials: frozenset[str] = frozenset(),
    max_words_after: int = 3,
) -> list[Attribution]:
    """Each reporting cue with the name or organisation it gives the claim to. The document
    the text comes from, and `initials` (`names.initial_names`), tell a name that opens a
    sentence from an ordinary capital."""
    if not _has_cue(text, lang):
        return []
    mentions = _mentions(text, lang, document, initials)
    return _attributions(text, lang, mentions, max_words_after)


def _attributions(
    text: str, lang: str, mentions: list[Mention], max_words_after: int
) -> list[Attribution]:
    pattern = _cue_pattern(lang)
    if pattern is None:
        return []
    found = []
    for cue in pattern.finditer(text):
        speaker = _nearest(text, mentions, cue.start(), cue.end(), max_words_after)
        if speaker is not None:
            found.append(Attribution(speaker))
    return found


def _nearest(
    text: str, mentions: list[Mention], start: int, end: int, max_words_after: int
) -> Mention | None:
    """The subject of the reporting verb, as news style places it."""
    before = [m for m in mentions if m.end <= start]
    if before and _ADJACENT.fullmatch(text[before[-1].end : start]):
        return before[-1]
    for m in before:
        if _APPOSITION.fullmatch(text[m.end : start]):
            return m
    # After the verb a place is where it was said ("told reporters in Geneva"), not who.
    after = next((m for m in mentions if m.start >= end and m.kind in _AFTER_KINDS), None)
    if after is not None:
        gap = text[end : after.start]
        if not _GAP_BREAK.search(gap) and len(gap.split()) <= max_words_after:
            return _title_holder(text, mentions, after)
    return None


def _title_holder(text: str, mentions: list[Mention], speaker: Mention) -> Mention:
    """An agency's acronym that is part of a title ("заявив голова ДСНС Андрій Коваленко")
    gives the claim to the person named right after it."""
    if not speaker.text.isupper():
        return speaker
    holder = next((m for m in mentions if m.start > speaker.start), None)
    between = text[speaker.end : holder.start] if holder is not None else "x"
    if holder is not None and holder.kind == "name" and not between.strip(" ,"):
        return holder
    return speaker


def _same(a: Mention, a_lang: str, b: Mention, b_lang: str) -> bool:
    """One speaker in both texts: one entity, or one name in any script."""
    if a.kind != "name" and b.kind != "name":
        return a.entity == b.entity
    return name_found(b.text, a.text, a_lang) and name_found(a.text, b.text, b_lang)


def _named_in(mention: Mention, lang: str, mentions: list[Mention], other_lang: str) -> bool:
    return any(_same(other, other_lang, mention, lang) for other in mentions)


def _speaker_languages() -> list[str]:
    """Languages with reporting verbs whose speakers can be read: names from capitals, or
    organisations by their names in the language."""
    return [lang for lang in langdata.languages_with("reporting")
            if lang in names_read_in() or organisations_known(lang)]


@register(
    "attribution",
    languages=Languages(_speaker_languages, "no reporting verbs or speakers read"),
)
def check_attribution(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.original_segments or not pair.version_segments:
        return []
    o_lang, v_lang = context.original.lang, context.version.lang
    o_text, v_text = pair.original_text, pair.version_text
    if not (_has_cue(o_text, o_lang) and _has_cue(v_text, v_lang)):
        return []  # most sentences report no speech: decided before reading any name
    o_initials = initial_names(o_text, o_lang, name_index(v_text, v_lang))
    v_initials = initial_names(v_text, v_lang, name_index(o_text, o_lang))
    o_named = _mentions(o_text, o_lang, context.original, o_initials)
    words_after = parameters(context, "attribution")["max-words-after"]
    o_said = _attributions(o_text, o_lang, o_named, words_after)
    if not o_said:
        return []  # a pronoun or a title carries the claim: nothing to compare
    v_said = find_attributions(v_text, v_lang, context.version, v_initials, words_after)
    if not v_said:
        return []
    o_speakers = [a.speaker for a in o_said]
    v_speakers = [a.speaker for a in v_said]
    findings = []
    for attribution in v_said:
        speaker = attribution.speaker
        if _named_in(speaker, v_lang, o_speakers, o_lang):
            continue  # the version's speaker speaks in the original too
        if not _named_in(speaker, v_lang, o_named, o_lang):
            continue  # someone the original does not name: the entity check reports it
        moved_from = next(
            (s for s in o_speakers if not _named_in(s, o_lang, v_speakers, v_lang)), None
        )
        if moved_from is None:
            continue
        original_span, version_span = mention_spans(pair, context, moved_from, speaker)
        findings.append(
            Finding(
                check="attribution",
                category="mistranslation",
                severity=Severity.MAJOR,
                message=(
                    f"claim attributed to {speaker.text} in the version, "
                    f"to {moved_from.text} in the original"
                ),
                original_span=original_span,
                version_span=version_span,
                evidence={"original_speaker": moved_from.text, "version_speaker": speaker.text},
            )
        )
    return findings
