"""One person, one name: a version that calls someone by another's given name, or spells a
surname two ways, leaves the reader unsure who is meant.

Read across whole documents, as Xbench's consistency checks read a translation memory:
people's full names (a given name and a surname, from the entity check's reader) are taken
from both texts and compared by surname after transliteration. A version's full name whose
given name matches none the original gives that surname ("Dmitry Naryshkin" where the
original has only "Сергей Нарышкин") is one person called by another's name; a surname the
version writes two ways ("Naryshkin", "Narishkin") is reported in languages that do not
inflect names. Only surnames the original names with a given name are judged, so names of
things ("British Pound", "High Middle Ages") and originals whose names we cannot read
(Chinese, Arabic) raise nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from fidelity import langdata
from fidelity.checks.base import AlignedPair, CheckContext, Languages, parameters, register, span_in
from fidelity.config import SECTIONS, Setting, number_between, section, whole_number
from fidelity.model import Document, Finding, Severity, Span
from fidelity.readers.names import (
    common_word,
    everyday_zipf,
    find_names,
    initial_names,
    name_index,
    names_read_in,
    normalise_name,
)

section(
    "consistency",
    {
        "same-given-name": Setting(
            "a number from 0 to 100", number_between(0, 100), 80.0,
            "given names this similar (after transliteration, rapidfuzz ratio) are spellings "
            "of one name: Sergei, Sergey, Serguei",
        ),
        "max-ending": Setting(
            "a whole number of at least 0", whole_number(0), 3,
            "a surname or given name may carry a case ending this long",
        ),
        "function-word-zipf": Setting(
            "a number from 0 to 8", number_between(0, 8), 5.55,
            "a sentence's first word this common (Zipf) is a function word ('Según'), not a "
            "given name ('John' 5.4, 'Сергей' 5.2)",
        ),
    },
)


@dataclass(frozen=True)
class Clash:
    """A name at `start`-`end` of the version, and the name it contradicts: the original's
    (a given name) or the version's own first spelling of the surname."""

    start: int
    end: int
    text: str
    other: str
    kind: str  # "given name" or "spelling"


def _full_names(
    doc: Document, other: Document, settings: dict[str, Any]
) -> list[tuple[int, int, str, tuple[str, ...], str]]:
    """(start, end, text, given-name keys, surname key) of every two-or-more-word name: the
    given names are every capitalised word before the surname but initials, so a title or a
    middle name ("Congresswoman Michele Bachmann", "John F. Kennedy") still leaves the given
    name to compare. A given name that opens a sentence counts if the document writes it
    mid-sentence too, if it is rare in the language, or if the other document names it."""
    names = []
    elsewhere = name_index(other.text, other.lang)
    for segment in doc.segments:
        initials = initial_names(segment.text, doc.lang, elsewhere) | _given_at_start(
            segment.text, doc.lang, settings["function-word-zipf"]
        )
        for mention in find_names(segment.text, doc.lang, doc, None, initials):
            words = mention.text.split()
            if len(words) < 2 or not all(w[:1].isupper() for w in (words[0], words[-1])):
                continue
            if common_word(words[-1], doc.lang):
                continue  # "British Pound", "High Middle Ages": a common word is no surname
            given = tuple(
                normalise_name(w) for w in words[:-1] if w[:1].isupper() and len(w.strip(".")) > 1
            )
            if not given:
                continue
            start = segment.start + mention.start
            names.append(
                (start, start + len(mention.text), mention.text, given, normalise_name(words[-1]))
            )
    return names


_FIRST_TWO = re.compile(r"\s*([^\W\d_][^\W\d_'’\-]*)[ \u00a0]+([^\W\d_][^\W\d_'’\-]*)")


def _given_at_start(sentence: str, lang: str, function_word_zipf: float) -> frozenset[str]:
    """A sentence that opens with two capitalised words opens with a full name ("Сергей
    Нарышкин заявил") unless the first is a function word."""
    m = _FIRST_TWO.match(sentence)
    if m is None or not (m.group(1)[0].isupper() and m.group(2)[0].isupper()):
        return frozenset()
    if everyday_zipf(m.group(1), lang) >= function_word_zipf:
        return frozenset()
    return frozenset({m.group(1)})


def _names_by_surname(
    doc: Document, other: Document, settings: dict[str, Any]
) -> dict[str, dict[str, str]]:
    """Per surname key: each given-name key with the full name it was first written in."""
    by_surname: dict[str, dict[str, str]] = {}
    for _start, _end, text, givens, surname in _full_names(doc, other, settings):
        for given in givens:
            by_surname.setdefault(surname, {}).setdefault(given, text)
    return by_surname


def _lookup(table: dict[str, dict[str, str]], surname: str, max_ending: int) -> dict[str, str]:
    """The original's given names for a surname, allowing a case ending on either side
    ("Кравцова" for "Кравцов")."""
    found: dict[str, str] = {}
    for key, givens in table.items():
        short, long = sorted((key, surname), key=len)
        if long.startswith(short) and len(long) - len(short) <= max_ending and len(short) >= 3:
            found.update(givens)
    return found


def _same_given(a: str, b: str, settings: dict[str, Any]) -> bool:
    """One given name in two spellings ("Sergei", "Sergey") or two grammatical cases
    ("Александр", "Александре")."""
    max_ending = settings["max-ending"]
    if fuzz.ratio(a, b) >= settings["same-given-name"]:
        return True
    short, long = sorted((a, b), key=len)
    return (len(short) >= 4 and long.startswith(short[:-1])
            and len(long) - len(short) <= max_ending)


def find_clashes(
    version: Document, original: Document, settings: dict[str, Any] | None = None
) -> list[Clash]:
    """Names of the version that contradict the original's names for the same surname."""
    # Cased languages whose names keep one form in every grammatical case, and those that
    # inflect them (langdata properties).
    uninflected = bool(langdata.prop(version.lang, "uninflected_names"))
    if not uninflected and not langdata.prop(version.lang, "inflecting"):
        return []
    declared = {key: setting.default for key, setting in SECTIONS["consistency"].items()}
    settings = declared | (settings or {})
    in_original = _names_by_surname(original, version, settings)
    if not in_original:
        return []
    first_spelling: dict[str, str] = {}  # surname key -> the version's first full name
    clashes = []
    for start, end, text, givens, surname in _full_names(version, original, settings):
        original_givens = _lookup(in_original, surname, settings["max-ending"])
        if not original_givens:
            continue
        if not any(_same_given(given, g, settings) for given in givens for g in original_givens):
            named = original_givens[min(original_givens)]
            clashes.append(Clash(start, end, text, named, "given name"))
            continue
        first = first_spelling.setdefault(surname, text)
        if uninflected and text.split()[-1] != first.split()[-1]:
            clashes.append(Clash(start, end, text, first, "spelling"))
    return clashes


@register(
    "consistency",
    languages=Languages(names_read_in, "names not read from capitals"),
)
def check_consistency(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.version_segments:
        return []
    first, last = pair.version_segments[0].start, pair.version_segments[-1].end
    findings = []
    clashes = context.analysis(
        "consistency",
        lambda c: find_clashes(c.version, c.original, parameters(c, "consistency")),
    )
    for clash in clashes:
        if not first <= clash.start < last:
            continue
        offset = clash.start - first
        version_span = span_in(
            context.version, pair.version_segments, offset, offset + len(clash.text)
        )
        findings.append(_finding(pair, context, clash, version_span))
    return findings


def _finding(
    pair: AlignedPair, context: CheckContext, clash: Clash, version_span: Span
) -> Finding:
    if clash.kind == "given name":
        message = (
            f"{clash.text} here, {clash.other} in the original: "
            "one person called by another's name?"
        )
        severity = Severity.MAJOR
    else:
        message = (
            f"{clash.text} here, {clash.other} earlier in the version: "
            "one name spelled two ways"
        )
        severity = Severity.MINOR
    return Finding(
        check="consistency",
        category="terminology" if clash.kind == "spelling" else "mistranslation",
        severity=severity,
        message=message,
        original_span=pair.original_span(context.original),
        version_span=version_span,
        evidence={"name": clash.text, "contradicts": clash.other, "kind": clash.kind},
    )
