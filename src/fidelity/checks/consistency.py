"""One person, one name: a version that calls someone by another's first name, or spells a
name two ways, leaves the reader unsure who is meant.

Read across the whole version, as Xbench's consistency checks read a translation memory:
people's full names (a given name and a surname, from the entity check's reader) are grouped
by surname; a surname that comes with two different given names is one person called by
another's name, unless the original too names two people so (relatives, namesakes). In
languages that do not inflect names, one surname written two ways ("Naryshkin",
"Narishkin") is reported as well, again only where the original is consistent.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from fidelity.checks.base import AlignedPair, CheckContext, register, span_in
from fidelity.checks.entities import find_names, initial_names, normalise_name
from fidelity.model import Document, Finding, Severity, Span

# Given names this similar (after transliteration) are spellings of one name: "Sergei",
# "Sergey", "Serguei".
SAME_GIVEN_NAME = 80
# Cased languages whose names keep one form in every grammatical case.
_UNINFLECTED = frozenset({"en", "fr", "es", "it", "pt", "nl"})


@dataclass(frozen=True)
class Clash:
    """A name at `start`-`end` of the version that another mention of the version
    contradicts."""

    start: int
    end: int
    text: str
    earlier: str
    kind: str  # "given name" or "spelling"


def _full_names(doc: Document) -> list[tuple[int, int, str, str, str]]:
    """(start, end, text, given-name key, surname key) of every two-or-more-word name. A
    given name that opens a sentence counts if the document writes it mid-sentence too or
    if it is rare in the language (reading the other document for each would cost time
    growing with the square of the length)."""
    names = []
    for segment in doc.segments:
        initials = initial_names(segment.text, doc.lang)
        for mention in find_names(segment.text, doc.lang, doc, None, initials):
            words = mention.text.split()
            if len(words) < 2 or not all(w[:1].isupper() for w in (words[0], words[-1])):
                continue
            start = segment.start + mention.start
            names.append(
                (start, start + len(mention.text), mention.text,
                 normalise_name(words[0]), normalise_name(words[-1]))
            )
    return names


def _names_by_surname(doc: Document) -> dict[str, tuple[set[str], set[str]]]:
    """Per surname key: the given-name keys and the spellings of the surname."""
    by_surname: dict[str, tuple[set[str], set[str]]] = {}
    for _start, _end, text, given, surname in _full_names(doc):
        givens, spellings = by_surname.setdefault(surname, (set(), set()))
        givens.add(given)
        spellings.add(text.split()[-1])
    return by_surname


def find_clashes(version: Document, original: Document) -> list[Clash]:
    """Names of the version that an earlier mention contradicts and the original does not
    (transliteration makes every cased script comparable)."""
    if version.lang not in _UNINFLECTED | {"ru", "uk", "pl"}:
        return []
    in_original = _names_by_surname(original)
    first_seen: dict[str, tuple[str, str]] = {}  # surname key -> (given key, full name)
    clashes = []
    for start, end, text, given, surname in _full_names(version):
        if surname not in first_seen:
            first_seen[surname] = (given, text)
            continue
        first_given, first_text = first_seen[surname]
        original_givens, original_spellings = in_original.get(surname, (set(), set()))
        if fuzz.ratio(given, first_given) < SAME_GIVEN_NAME:
            if len(original_givens) < 2:
                clashes.append(Clash(start, end, text, first_text, "given name"))
        elif (
            version.lang in _UNINFLECTED
            and text.split()[-1] != first_text.split()[-1]
            and not (original.lang == version.lang and len(original_spellings) > 1)
        ):
            clashes.append(Clash(start, end, text, first_text, "spelling"))
    return clashes


@register("consistency")
def check_consistency(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.version_segments:
        return []
    first, last = pair.version_segments[0].start, pair.version_segments[-1].end
    findings = []
    clashes = context.analyses.get("consistency")
    if clashes is None:  # read the whole version once per comparison, not once per pair
        clashes = context.analyses["consistency"] = find_clashes(context.version,
                                                                 context.original)
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
            f"{clash.text} here, {clash.earlier} earlier in the version: "
            "one person called by another's name?"
        )
        severity = Severity.MAJOR
    else:
        message = (
            f"{clash.text} here, {clash.earlier} earlier in the version: "
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
        evidence={"name": clash.text, "earlier": clash.earlier, "kind": clash.kind},
    )
