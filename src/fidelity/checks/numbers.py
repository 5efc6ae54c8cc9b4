"""Figures and dates must survive translation unchanged: "4 200 hectares" is not "2,400".

A changed figure is the costliest slip in wire copy and the one a sentence embedding is least
able to see, since "2,400" and "4,200" sit in the same place of the same sentence. Figures
and dates are read by `fidelity.readers.figures` and `fidelity.readers.dates`; here they are
matched across the pair. A figure the other side spells out or keeps inside a date is
rendered; where each side spells one number and they differ ("three" / "two"), that is a
change. A version that rounds ("2,432" as "about 2,400") is told apart from one that changes
the figure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import TypeVar

from rapidfuzz import fuzz

from fidelity.checks.base import (
    AlignedPair,
    CheckContext,
    Languages,
    mention_spans,
    parameters,
    register,
)
from fidelity.config import Setting, section, whole_number
from fidelity.model import Document, Finding, Segment, Severity
from fidelity.readers.dates import DateMention, date_languages, dates_supported, find_dates
from fidelity.readers.figures import (
    Figure,
    find_figures,
    find_times,
    locate_number_word,
    scale_languages,
    spelled_cardinals,
    spelled_values,
)
from fidelity.readers.layout import is_headline

T = TypeVar("T")


# ---------------------------------------------------------------------------------------
# comparison


@dataclass
class _Matching:
    original_left: list[int] = field(default_factory=list)
    version_left: list[int] = field(default_factory=list)
    matched: list[tuple[int, int]] = field(default_factory=list)


def _match(
    original: Sequence[T],
    version: Sequence[T],
    same: Callable[[T, T], bool],
) -> _Matching:
    used: set[int] = set()
    left = []
    matched = []
    for i, o in enumerate(original):
        j = next((j for j, v in enumerate(version) if j not in used and same(o, v)), None)
        if j is None:
            left.append(i)
        else:
            used.add(j)
            matched.append((i, j))
    return _Matching(left, [j for j in range(len(version)) if j not in used], matched)


def _pair_up(
    original: list[int], version: list[int], score: Callable[[int, int], float]
) -> list[tuple[int | None, int | None]]:
    """Unmatched items of both sides paired most alike first; what is left is unpaired."""
    candidates = sorted(
        ((score(i, j), i, j) for i in original for j in version), key=lambda t: -t[0]
    )
    pairs: list[tuple[int | None, int | None]] = []
    used_o: set[int] = set()
    used_v: set[int] = set()
    for value, i, j in candidates:
        if value < 0 or i in used_o or j in used_v:
            continue
        pairs.append((i, j))
        used_o.add(i)
        used_v.add(j)
    pairs += [(i, None) for i in original if i not in used_o]
    pairs += [(None, j) for j in version if j not in used_v]
    return pairs


def _digits_of(value: Decimal) -> str:
    return re.sub(r"\D", "", format(value, "f")).strip("0") or "0"


def _figure_score(o: Figure, v: Figure) -> float:
    if o.unit != v.unit:
        return -1.0
    similarity = fuzz.ratio(_digits_of(o.value), _digits_of(v.value)) / 100
    return similarity + (0.5 if o.value.adjusted() == v.value.adjusted() else 0.0)


def _significant(value: Decimal) -> int:
    return len(_digits_of(value))


def _rounded(o: Figure | DateMention, v: Figure | DateMention) -> bool:
    """Whether the version's figure is the original's rounded ("2,432" as "about 2,400"):
    fewer significant digits, less than one unit of its last digit away, and the rounding
    said: the version marks the figure as approximate ("about", « près de »), or writes it
    with a scale word to two or more digits ("2,432,000" as "2.4 million"). "19 schools" as
    "20 schools" is a changed figure, as a reader has no way to know it was rounded."""
    if not isinstance(o, Figure) or not isinstance(v, Figure) or o.unit or v.unit:
        return False
    scaled = _significant(v.value) >= 2 and _SCALE_WORD.search(v.text) is not None
    if not (v.approximate or o.approximate or scaled):
        return False
    if v.value == 0 or _significant(v.value) >= _significant(o.value):
        return False
    unit = Decimal(1).scaleb(v.value.adjusted() - _significant(v.value) + 1)
    return abs(o.value - v.value) < unit


_SCALE_WORD = re.compile(r"\d\s*[^\W\d_]")


def _compatible(o: DateMention, v: DateMention) -> bool:
    a, b = o.fields, v.fields
    shared = set(a) & set(b)
    return bool(shared) and all(a[k] == b[k] for k in shared)


def _date_score(o: DateMention, v: DateMention) -> float:
    a, b = o.fields, v.fields
    shared = set(a) & set(b)
    if not shared:
        return -1.0
    return len(shared) + sum(a[k] == b[k] for k in shared) + (set(a) == set(b))


def _finding(
    check: str,
    pair: AlignedPair,
    context: CheckContext,
    o: Figure | DateMention | None,
    v: Figure | DateMention | None,
    what: str,
    evidence: dict[str, object],
) -> Finding:
    original_span, version_span = mention_spans(pair, context, o, v)
    o_text = original_span.text if o is not None else ""
    v_text = version_span.text if v is not None else ""
    if o is not None and v is not None and _rounded(o, v):
        message, category, severity = (
            f"{o_text} rounded to {v_text}", "mistranslation", Severity.MINOR
        )
    elif o is not None and v is not None:
        message, category, severity = (
            f"{o_text} became {v_text}", "mistranslation", Severity.CRITICAL
        )
    elif o is not None:
        message, category, severity = (
            f"{what} {o_text} is missing from the version", "omission", Severity.MAJOR
        )
    else:
        message, category, severity = (
            f"{what} {v_text} is not in the original", "addition", Severity.MAJOR
        )
    return Finding(
        check=check,
        category=category,
        severity=severity,
        message=message,
        original_span=original_span,
        version_span=version_span,
        evidence={"original": o_text or None, "version": v_text or None, **evidence},
    )


def compare_dates(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    o_dates = find_dates(pair.original_text, context.original.lang)
    v_dates = find_dates(pair.version_text, context.version.lang)
    exact = _match(o_dates, v_dates, lambda a, b: a.fields == b.fields)
    o_rest = [o_dates[i] for i in exact.original_left]
    v_rest = [v_dates[j] for j in exact.version_left]
    loose = _match(o_rest, v_rest, _compatible)
    o_left = [o_rest[i] for i in loose.original_left]
    v_left = [v_rest[j] for j in loose.version_left]
    # "в ніч на четвер" as "dans la nuit de mercredi à jeudi": the eve a language names
    # beside the weekday both sides share is no weekday of its own.
    o_left, v_left = (
        _without_eves(o_left, o_dates, v_left), _without_eves(v_left, v_dates, o_left)
    )
    findings = []
    pairs = _pair_up(
        list(range(len(o_left))),
        list(range(len(v_left))),
        lambda i, j: _date_score(o_left[i], v_left[j]),
    )
    for i, j in _reportable(pairs, context):
        o = o_left[i] if i is not None else None
        v = v_left[j] if j is not None else None
        findings.append(
            _finding(
                "date", pair, context, o, v, "date",
                {"original_date": o.fields if o else None, "version_date": v.fields if v else None},
            )
        )
    return findings


# How near a weekday's eve stands to it: "de mercredi à jeudi", "Wednesday night into Thursday".
MAX_EVE_GAP = 15


def _without_eves(
    left: list[DateMention], every: list[DateMention], other_left: list[DateMention]
) -> list[DateMention]:
    """The unmatched dates less the weekdays written right beside another weekday of the
    same text, where the other side has no unmatched weekday they could be a change of."""
    if any(set(d.fields) == {"weekday"} for d in other_left):
        return left
    return [
        d for d in left
        if set(d.fields) != {"weekday"}
        or not any(
            e is not d and set(e.fields) == {"weekday"} and e not in left
            and (0 <= e.start - d.end <= MAX_EVE_GAP or 0 <= d.start - e.end <= MAX_EVE_GAP)
            for e in every
        )
    ]


@register("date", languages=Languages(date_languages, "no month names"))
def check_dates(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.original_segments or not pair.version_segments:
        return []
    if not dates_supported(context.original.lang) or not dates_supported(context.version.lang):
        return []  # month names we cannot read on one side would all look dropped
    return compare_dates(pair, context)


@register("number", languages=Languages(scale_languages, "no scale words"))
def check_numbers(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.original_segments or not pair.version_segments:
        return []
    o_lang, v_lang = context.original.lang, context.version.lang
    o_dates = find_dates(pair.original_text, o_lang)
    v_dates = find_dates(pair.version_text, v_lang)
    o_figures = find_figures(pair.original_text, o_lang, [(d.start, d.end) for d in o_dates])
    v_figures = find_figures(pair.version_text, v_lang, [(d.start, d.end) for d in v_dates])
    o_figures += find_times(pair.original_text)
    v_figures += find_times(pair.version_text)
    matching = _match(o_figures, v_figures, lambda a, b: (a.value, a.unit) == (b.value, b.unit))
    currency_findings = [
        _currency_finding(pair, context, o_figures[i], v_figures[j])
        for i, j in matching.matched
        if _other_currency(o_figures[i], v_figures[j])
    ]
    o_left = [i for i in matching.original_left if not o_figures[i].soft]
    v_left = [j for j in matching.version_left if not v_figures[j].soft]
    # A headline repeats a figure of the story it stands above.
    o_left = _outside_headline_repeats(o_left, o_figures, pair.original_segments,
                                       context.original)
    v_left = _outside_headline_repeats(v_left, v_figures, pair.version_segments,
                                       context.version)
    # "106 °F (41 °C)": a conversion in brackets adds no fact of its own.
    o_left = [i for i in o_left if not _bracketed_conversion(pair.original_text, o_figures, i)]
    v_left = [j for j in v_left if not _bracketed_conversion(pair.version_text, v_figures, j)]
    # A figure the other side writes in words, or as part of a date, is rendered.
    v_spelled = spelled_values(pair.version_text, v_lang, v_figures)
    o_spelled = spelled_values(pair.original_text, o_lang, o_figures)
    for pool, dates, figures in ((v_spelled, v_dates, v_figures), (o_spelled, o_dates, o_figures)):
        pool.update(Decimal(x) for d in dates for x in d.fields.values())
        # "the 1970s" renders "les années 70".
        pool.update(f.value % 100 for f in figures if f.decade)
    o_left = [i for i in o_left if o_figures[i].unit or not _take(v_spelled, o_figures[i].value)]
    v_left = [j for j in v_left if v_figures[j].unit or not _take(o_spelled, v_figures[j].value)]
    o_left, v_left = _hours_as_figures(o_left, v_left, o_figures, v_figures)
    # A figure the other side keeps inside a code ("Stand 5" as "R5", "route 66" as "US66"),
    # or groups differently ("031/433611" as "031/43 36 11").
    o_left = [i for i in o_left if not _in_code(o_figures[i], pair.version_text)]
    v_left = [j for j in v_left if not _in_code(v_figures[j], pair.original_text)]
    if o_left and v_left:
        o_left, v_left = _regrouped(o_left, v_left, o_figures, v_figures,
                                    pair.original_text, pair.version_text,
                                    parameters(context, "number")["min-regrouped-digits"])
    findings = _compare_words(pair, context, o_figures, v_figures, o_dates, v_dates)
    findings += currency_findings
    pairs = _pair_up(o_left, v_left, lambda i, j: _figure_score(o_figures[i], v_figures[j]))
    for i, j in _reportable(pairs, context):
        o = o_figures[i] if i is not None else None
        v = v_figures[j] if j is not None else None
        findings.append(
            _finding(
                "number", pair, context, o, v, "figure",
                {
                    "original_value": format(o.value, "f") if o else None,
                    "version_value": format(v.value, "f") if v else None,
                },
            )
        )
    return findings


def _outside_headline_repeats(
    left: list[int], figures: list[Figure], segments: tuple[Segment, ...], doc: Document
) -> list[int]:
    """The unmatched figures less one of each that a headline and its story share."""
    base = segments[0].start
    headlines = [(s.start - base, s.end - base) for s in segments if is_headline(doc, s)]
    if not headlines:
        return left

    def in_headline(f: Figure) -> bool:
        return any(a <= f.start < b for a, b in headlines)

    def repeated(k: int) -> bool:
        return any(
            f is not figures[k] and f.value == figures[k].value
            and (in_headline(f) or in_headline(figures[k]))
            for f in figures
        )

    return [k for k in left if not repeated(k)]


def _other_currency(o: Figure, v: Figure) -> bool:
    """Both figures name a currency and not the same one ("€5m" / "$5 million")."""
    return bool(o.currency and v.currency) and o.currency != v.currency


def _currency_finding(pair: AlignedPair, context: CheckContext, o: Figure, v: Figure) -> Finding:
    original_span, version_span = mention_spans(pair, context, o, v)
    return Finding(
        check="number",
        category="mistranslation",
        severity=Severity.CRITICAL,
        message=(f"currency changed: {original_span.text} ({o.currency}) became "
                 f"{version_span.text} ({v.currency})"),
        original_span=original_span,
        version_span=version_span,
        evidence={"original": original_span.text, "version": version_span.text,
                  "original_currency": o.currency, "version_currency": v.currency},
    )


# A conversion in brackets: "106 °F (41 °C)", "10 miles (16 km)", "$5m (€4.6m)". Between
# the figures and the brackets stand at most a unit or a currency and an "about".
_CONVERSION_OPEN = re.compile(r"[(（\[]\s*(?:\w{1,7}\s|約|约)?[^\w\d\s(]{0,4}\s?$")
_CONVERSION_CLOSE = re.compile(r"^[^\d()（）\[\]]{0,24}[)）\]]")
MAX_UNIT_CHARS = 24


def _bracketed_conversion(text: str, figures: list[Figure], k: int) -> bool:
    """Whether figure k converts the figure just before its brackets into another unit."""
    figure = figures[k]
    opening = _CONVERSION_OPEN.search(text, max(0, figure.start - 12), figure.start)
    if opening is None or not _CONVERSION_CLOSE.match(text[figure.end :]):
        return False
    return any(
        0 <= opening.start() - f.end <= MAX_UNIT_CHARS
        and not re.search(r"\d", text[f.end : opening.start()])
        for f in figures[:k]
    )


def _hours_as_figures(
    o_left: list[int], v_left: list[int], o_figures: list[Figure], v_figures: list[Figure]
) -> tuple[list[int], list[int]]:
    """A full hour on one side ("11 Uhr", "11:00") and the bare hour on the other ("11
    heures", where "heures" may as well be a duration) are one figure; so are a duration
    written as a time and as hours and minutes."""
    o_rest, v_rest = list(o_left), list(v_left)
    for side, other, figures, other_figures in (
        (o_rest, v_rest, o_figures, v_figures),
        (v_rest, o_rest, v_figures, o_figures),
    ):
        for i in list(side):
            figure = figures[i]
            if figure.unit != "time" or figure.value % 60:
                continue
            hour = figure.value / 60
            match = next((j for j in other if not other_figures[j].unit
                          and other_figures[j].value == hour), None)
            if match is not None:
                side.remove(i)
                other.remove(match)
    # A duration read as a clock time on one side ("1 h 30") and as hours and minutes on the
    # other ("1 Std. 30 Min."): one figure.
    for side, other, figures, other_figures in (
        (o_rest, v_rest, o_figures, v_figures),
        (v_rest, o_rest, v_figures, o_figures),
    ):
        for i in list(side):
            if figures[i].unit != "time":
                continue
            plain = [j for j in other if not other_figures[j].unit]
            parts = next(((h, m) for h, m in pairwise(plain)
                          if other_figures[h].value * 60 + other_figures[m].value
                          == figures[i].value and other_figures[m].value < 60), None)
            if parts is not None:
                side.remove(i)
                other.remove(parts[0])
                other.remove(parts[1])
    return o_rest, v_rest


def _in_code(figure: Figure, other: str) -> bool:
    digits = format(figure.value, "f")
    return re.search(rf"[^\W\d_]{digits}(?!\d)", other) is not None


section(
    "number",
    {
        "min-regrouped-digits": Setting(
            "a whole number of at least 1", whole_number(1), 5,
            "digit groups (phone and account numbers) of at least this many digits in all are "
            "compared whatever their grouping: '031/433611' and '031/43 36 11' are one number",
        ),
    },
)
_DIGIT_GROUPS = re.compile(r"\d+(?:[ \u00a0]\d+)+")


def _regrouped(
    o_left: list[int],
    v_left: list[int],
    o_figures: list[Figure],
    v_figures: list[Figure],
    o_text: str,
    v_text: str,
    min_digits: int,
) -> tuple[list[int], list[int]]:
    """Drop a figure of one side, and the pieces of the other, where the pieces written
    together are that figure."""
    o_rest, v_rest = list(o_left), list(v_left)
    for wholes_left, pieces_left, wholes, pieces, piece_text in (
        (o_rest, v_rest, o_figures, v_figures, v_text),
        (v_rest, o_rest, v_figures, o_figures, o_text),
    ):
        for run in _DIGIT_GROUPS.finditer(piece_text):
            digits = re.sub(r"\D", "", run.group(0))
            if len(digits) < min_digits:
                continue
            whole = next((i for i in wholes_left
                          if re.sub(r"\D", "", wholes[i].text) == digits), None)
            if whole is None:
                continue
            wholes_left.remove(whole)
            for j in [j for j in pieces_left
                      if run.start() <= pieces[j].start < run.end()]:
                pieces_left.remove(j)
    return o_rest, v_rest


def _compare_words(
    pair: AlignedPair,
    context: CheckContext,
    o_figures: list[Figure],
    v_figures: list[Figure],
    o_dates: list[DateMention],
    v_dates: list[DateMention],
) -> list[Finding]:
    """One number written in words on both sides, and a different one: "three" / "two"."""
    o_lang, v_lang = context.original.lang, context.version.lang
    if not _WORDISH.search(pair.original_text) or not _WORDISH.search(pair.version_text):
        return []
    o_words = spelled_cardinals(pair.original_text, o_lang, o_figures)
    v_words = spelled_cardinals(pair.version_text, v_lang, v_figures)
    if not o_words or not v_words:
        return []
    o_seen = {f.value for f in o_figures} | {Decimal(x) for d in o_dates for x in d.fields.values()}
    v_seen = {f.value for f in v_figures} | {Decimal(x) for d in v_dates for x in d.fields.values()}
    o_only = [v for v in (o_words - v_words).elements() if v not in v_seen]
    v_only = [v for v in (v_words - o_words).elements() if v not in o_seen]
    if len(o_only) != 1 or len(v_only) != 1:
        return []  # several words on a side: which renders which is not sure enough
    o_at = locate_number_word(pair.original_text, o_lang, o_only[0])
    v_at = locate_number_word(pair.version_text, v_lang, v_only[0])
    if o_at is None or v_at is None:
        return []
    o = Figure(o_only[0], *o_at, pair.original_text[o_at[0] : o_at[1]])
    v = Figure(v_only[0], *v_at, pair.version_text[v_at[0] : v_at[1]])
    finding = _finding(
        "number", pair, context, o, v, "figure",
        {"original_value": format(o.value, "f"), "version_value": format(v.value, "f"),
         "written_in_words": True},
    )
    return [finding]


_WORDISH = re.compile(r"[^\W\d_]")


def _reportable(
    pairs: list[tuple[int | None, int | None]], context: CheckContext
) -> list[tuple[int | None, int | None]]:
    """A re-report keeps only some of the original's figures and adds its own context: there,
    only a figure replaced by another is a finding."""
    if context.mode == "translation":
        return pairs
    return [(i, j) for i, j in pairs if i is not None and j is not None]


def _take(pool: Counter[Decimal], value: Decimal) -> bool:
    if pool[value] > 0:
        pool[value] -= 1
        return True
    return False
