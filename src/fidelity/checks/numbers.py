"""Figures and dates must survive translation unchanged: "4 200 hectares" is not "2,400".

A changed figure is the costliest slip in wire copy and the one a sentence embedding is least
able to see, since "2,400" and "4,200" sit in the same place of the same sentence. Each side's
figures are read with its language's separators ("1 200", "1.200", "1,200", "3,5"), scale
words ("10 млн", "46.300 millones", "3.2亿"), percentages and clock times, and reduced to exact
values; dates are read as day, month, year and weekday in the languages we cover, so that
"27 сентября", "September 27" and "9月27日" compare equal. The digits of a date are not
figures. Numbers written as words are read too (text2num, number-parser, cn2an): mostly to
excuse a figure that the other side spells out, and, where each side spells one number and
they differ ("three" / "two"), as a change. A version that rounds ("2,432" as "about 2,400")
is told apart from one that changes the figure.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TypeVar

from rapidfuzz import fuzz

from fidelity import langdata
from fidelity.checks.base import AlignedPair, CheckContext, mention_spans, register
from fidelity.model import Finding, Severity

T = TypeVar("T")

# Arabic-Indic, Persian and full-width digits and signs, mapped one character to one, so
# offsets into the normalised text are offsets into the original text.
_LOCAL_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９٫٬٪％，．"
_DIGIT_MAP = str.maketrans(_LOCAL_DIGITS, "012345678901234567890123456789.,%%,.")
_HAS_LOCAL_DIGIT = re.compile(f"[{_LOCAL_DIGITS}]")

# A run of digits with separators; what precedes must not be a letter (A63, G7) or a digit.
_NUMBER = re.compile(
    r"(?<![A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF\d])"
    r"\d+(?:(?:[.,]|[ \u00a0\u202f](?=\d{3}(?![\d]|[.,]\d)))\d+)*"
)
_CODE_BEFORE = re.compile(r"[A-Za-z\u0400-\u04FF][-‐]$")
_ORDINAL_AFTER = re.compile(
    r"^(?:st|nd|rd|th|er|re|ère|ème|eme|e|º|ª|-?й|-?я|-?го|-?е|-?м|-?х|-?ю)(?![A-Za-zА-Яа-я])"
)
_DECADE_AFTER = re.compile(r"^(?:['’]?s\b|-(?:е|х)\b|-(?:ies|er)\b|er\b|年代)")
_TIME = re.compile(
    r"(?<![\d.,:])(?P<h>\d{1,2})\s*(?:[:：]|(?<=\d)h(?=\d)|\s?h\s(?=\d{2})"
    r"|\.(?=\d{2}\s*(?:Uhr|h\b|a\.m\.|p\.m\.|am\b|pm\b|ч\b)))\s*(?P<m>\d{2})(?![\d:])"
    r"(?:\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b))?"
    r"|(?<![\d.,])(?P<h2>\d{1,2})\s*(?P<ap2>a\.m\.|p\.m\.)"
    r"|(?<![\d.,])(?P<h3>\d{1,2})\s*(?:[时時]|[点點](?=\s*\d{1,2}\s*分))\s*(?:(?P<m3>\d{1,2})\s*分)?"
    r"|(?<![\d.,])(?P<h4>\d{1,2})\s*Uhr\b(?:\s*(?P<m4>\d{2})\b)?"
)
# Every clock time has a digit followed by one of these: a cheap test before _TIME's scan.
_TIME_HINT = re.compile(r"\d\s*(?:[:：h.时時点點]|a\.m\.|p\.m\.|Uhr)")
_LIST_NUMBER = re.compile(r"(?m)^\s*\d{1,2}[.)]\s")


@lru_cache(maxsize=1)
def _scale_words() -> tuple[tuple[str, int | str], ...]:
    """Every language's scale words (langdata `scales`), those of several words first ("mil
    millones" before "mil"): copy keeps foreign scale words ("US$1.2bn" in a French text)."""
    entries = [(pattern, exponent) for lang in langdata.languages_with("scales")
               for pattern, exponent in langdata.table(lang, "scales").items()]
    return tuple(sorted(entries, key=lambda e: not re.search(r"\\s", e[0])))


@lru_cache(maxsize=32)
def _scale_pattern(lang: str) -> re.Pattern[str]:
    alternatives = "|".join(f"(?P<s{k}>{p})" for k, (p, _) in enumerate(_scale_words()))
    return re.compile(rf"^(?:[ \u00a0\u202f]?)(?:{alternatives})", re.IGNORECASE)


@lru_cache(maxsize=32)
def _scale_exponents(lang: str) -> list[int]:
    """Powers of ten of `_scale_words`: "billion" is 10^12 in the long-scale languages."""
    billion = 12 if langdata.prop(lang, "long_scale") else 9
    return [billion if e == "billion" else int(e) for _, e in _scale_words()]


@dataclass(frozen=True)
class Figure:
    value: Decimal
    start: int
    end: int
    text: str
    soft: bool = False  # an ordinal ("3rd"), a decade: read, but never reported on its own
    decade: bool = False
    unit: str = ""  # "time" for a clock time, whose value is minutes after midnight


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None

    @property
    def fields(self) -> dict[str, int]:
        names = ("day", "month", "year", "weekday")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}


def normalise_digits(text: str) -> str:
    # Most text has none: a scan in C is much cheaper than translating every character.
    return text.translate(_DIGIT_MAP) if _HAS_LOCAL_DIGIT.search(text) else text


def parse_number(raw: str, lang: str) -> Decimal | None:
    """The value of a digit string written with `lang`'s separators."""
    compact = re.sub(r"[ \u00a0\u202f]", "", raw)
    commas, dots = compact.count(","), compact.count(".")
    if commas and dots:
        decimal = "," if compact.rfind(",") > compact.rfind(".") else "."
        group = "." if decimal == "," else ","
        if compact.count(decimal) > 1:
            return None
        compact = compact.replace(group, "").replace(decimal, ".")
    elif commas or dots:
        sep = "," if commas else "."
        parts = compact.split(sep)
        grouped = all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3
        if len(parts) > 2:
            if not grouped:
                return None
            compact = compact.replace(sep, "")
        elif grouped:
            # Languages writing "1.200,5" say so (langdata); the others write "1,200.5".
            decimal_sep = "," if langdata.prop(lang, "decimal_comma") else "."
            compact = compact.replace(sep, "." if sep == decimal_sep else "")
        else:
            compact = compact.replace(sep, ".")
    try:
        return Decimal(compact)
    except InvalidOperation:
        return None


# ---------------------------------------------------------------------------------------
# dates

# "May" is also the modal: a month only next to a number or after a preposition.
_EN_MAY_CONTEXT = re.compile(
    r"(?:\b(?:in|of|since|from|until|till|by|early|late|mid|last|next|this|through|"
    r"between|and|to|during)[\s-]+$)"
)
_AR_MONTH_CONTEXT = re.compile(
    r"(?:\b[وف]?(?:في|منذ|حتى|من|شهر|خلال|مطلع|أواخر|نهاية|بداية|منتصف|أوائل)\s+$)"
)
_DAY_BEFORE = re.compile(
    r"(?<![\d.,])(\d{1,2})(?:st|nd|rd|th|er|\.|º|-?го|-?е)?"
    r"(?:\s+(?:de|of|of the|del))?[\s\u00a0]*$"
)
_DAY_AFTER = re.compile(
    r"^[\s\u00a0]*(\d{1,2})(?:st|nd|rd|th)?(?![\d]|[.,]\d)"
    r"(?!\s*(?:%|percent|per cent|percentage))"
)
_YEAR_AFTER = re.compile(r"^(?:,?[\s\u00a0]*|\s+(?:de|del)\s+)(\d{4})(?!\d)")
_ISO_DATE = re.compile(r"(?<![\d.,/-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")
_NUMERIC_DATE = re.compile(r"(?<![\d.,/-])(\d{1,2})([./])(\d{1,2})\2(\d{4}|\d{2})(?![\d.,/]\d)")
# "on the 18th", "the 18th." — not "the 8th century".
_EN_DAY_ONLY = re.compile(
    r"\b(?:(?:on|from|until|till|by|since|before|after)\s+the\s+(\d{1,2})(?:st|nd|rd|th)\b"
    r"(?!\s+(?:century|centuries|anniversary|consecutive|straight|successive|time|times|place|"
    r"round|edition|birthday|floor|day|week|month|year|minute|hour|amendment|largest|biggest|"
    r"most|highest|lowest|best|worst|annual|of)\b)"
    r"|the\s+(\d{1,2})(?:st|nd|rd|th)(?=\s*(?:[,.;)]|$)))"
)
_ZH_NUM = "〇零一二三四五六七八九十两"
_ZH_DATE = re.compile(
    rf"(?:(\d{{4}}|[{_ZH_NUM}]{{4}})年)?(\d{{1,2}}|[{_ZH_NUM}]{{1,3}})"
    rf"(?:(?:至|到|-|—|–|~)(\d{{1,2}}|[{_ZH_NUM}]{{1,3}}))?月份?"
    rf"(?:(\d{{1,2}}|[{_ZH_NUM}]{{1,3}})[日号])?"
)
_ZH_DAY_ONLY = re.compile(r"(?<![\d月])(\d{1,2})[日号](?!本)")
_ZH_WEEKDAY = re.compile(r"(?:星期|礼拜|周)([一二三四五六日天])")
_JA_WEEKDAY = re.compile(r"([月火水木金土日])曜日?")


def _zh_int(token: str | None) -> int | None:
    if not token:
        return None
    if token.isdigit():
        return int(token)
    digits = {c: k for k, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
    if len(token) == 4:  # a year written digit by digit: 二〇二四
        values = [digits.get(c) for c in token]
        return None if None in values else int("".join(str(v) for v in values))
    if "十" in token:
        tens, _, units = token.partition("十")
        value = (digits.get(tens, 0) if tens else 1) * 10
        return value + (digits.get(units, 0) if units else 0)
    return digits.get(token)


def _calendar_flags(lang: str) -> int:
    return 0 if langdata.prop(lang, "case_sensitive_calendar") else re.IGNORECASE


@lru_cache(maxsize=32)
def month_pattern(lang: str) -> re.Pattern[str] | None:
    """Month names (langdata `months`, January to December), as groups m1 to m12."""
    names = langdata.words(lang, "months")
    if not names:
        return None
    alternatives = "|".join(f"(?P<m{k + 1}>{n})" for k, n in enumerate(names))
    flags = _calendar_flags(lang)
    prefix = r"(?<!\w)[وبلف]?" if lang == "ar" else r"(?<!\w)"
    return re.compile(rf"{prefix}(?:{alternatives})(?!\w)", flags)


@lru_cache(maxsize=32)
def weekday_pattern(lang: str) -> re.Pattern[str] | None:
    """Weekday names (langdata `weekdays`, Monday to Sunday), as groups w0 to w6."""
    names = langdata.words(lang, "weekdays")
    if not names:
        return None
    alternatives = "|".join(f"(?P<w{k}>{n})" for k, n in enumerate(names))
    flags = _calendar_flags(lang)
    prefix = r"(?<!\w)[وبلف]?" if lang == "ar" else r"(?<!\w)"
    return re.compile(rf"{prefix}(?:{alternatives})(?!\w)", flags)


def find_dates(text: str, lang: str) -> list[DateMention]:
    """Dates, months, weekdays and day numbers ("the 18th", "18日") in reading order."""
    return list(_dates(text, lang))


# The number, date and entity checks read the same sentence several times (dates mask
# figures, words are turned into digits and read again): each text is parsed once.
@lru_cache(maxsize=8192)
def _dates(text: str, lang: str) -> tuple[DateMention, ...]:
    text = normalise_digits(text)
    mentions: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(mention: DateMention) -> None:
        mentions.append(mention)
        taken.append((mention.start, mention.end))

    for m in _ISO_DATE.finditer(text):
        year, month, day = (int(g) for g in m.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            add(DateMention(m.start(), m.end(), m.group(0), day, month, year))
    for m in _NUMERIC_DATE.finditer(text):
        first, second, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        month_first = langdata.prop(lang, "month_first_slash_dates") and m.group(2) == "/"
        month, day = (first, second) if month_first else (second, first)
        if 1 <= month <= 12 and 1 <= day <= 31:
            add(DateMention(m.start(), m.end(), m.group(0), day, month,
                            year + 2000 if year < 100 else year))
    if langdata.prop(lang, "no_space"):
        for m in _ZH_DATE.finditer(text):
            if not free(m.start(), m.end()):
                continue
            year, first, second, day = (_zh_int(g) for g in m.groups())
            if first is None or not 1 <= first <= 12:
                continue
            if second is not None and 1 <= second <= 12:
                add(DateMention(m.start(), m.end(), m.group(0), None, first, year))
                add(DateMention(m.start(), m.end(), m.group(0), day, second, year))
                continue
            if day is not None and not 1 <= day <= 31:
                day = None
            add(DateMention(m.start(), m.end(), m.group(0), day, first, year))
        for m in _ZH_DAY_ONLY.finditer(text):
            if free(m.start(), m.end()) and 1 <= int(m.group(1)) <= 31:
                add(DateMention(m.start(), m.end(), m.group(0), day=int(m.group(1))))
        for m in _ZH_WEEKDAY.finditer(text):
            add(DateMention(m.start(), m.end(), m.group(0),
                            weekday="一二三四五六日天".index(m.group(1)) % 7 if m.group(1) != "天"
                            else 6))
        if lang == "ja":
            for m in _JA_WEEKDAY.finditer(text):
                if free(m.start(), m.end()):
                    add(DateMention(m.start(), m.end(), m.group(0),
                                    weekday="月火水木金土日".index(m.group(1))))
        mentions.sort(key=lambda d: d.start)
        return tuple(mentions)

    months = month_pattern(lang)
    if months is not None:
        for m in months.finditer(text):
            if not free(m.start(), m.end()):
                continue
            month = int((m.lastgroup or "m0")[1:])
            start, end = m.start(), m.end()
            before, after = text[:start], text[end:]
            day_before = _DAY_BEFORE.search(before)
            day_after = (
                _DAY_AFTER.match(after)
                if langdata.prop(lang, "day_after_month") and not day_before
                else None
            )
            if lang == "en" and month == 5 and not (
                day_before or day_after or _EN_MAY_CONTEXT.search(before)
                or _YEAR_AFTER.match(after)
            ):
                continue
            if lang == "ar" and not (
                day_before or re.match(r"^\s*[/\d]", after) or re.search(r"/\s*$", before)
                or _AR_MONTH_CONTEXT.search(before)
            ):
                continue
            day = None
            if day_before and 1 <= int(day_before.group(1)) <= 31:
                day = int(day_before.group(1))
                start = day_before.start()
            elif day_after and 1 <= int(day_after.group(1)) <= 31:
                day = int(day_after.group(1))
                end += day_after.end()
            year_match = _YEAR_AFTER.match(text[end:])
            year = None
            if year_match:
                year = int(year_match.group(1))
                end += year_match.end()
            previous = mentions[-1] if mentions else None
            if (
                lang == "ar"
                and previous is not None
                and previous.month == month
                and re.fullmatch(r"\s*/\s*", text[previous.end : m.start()])
            ):
                # "أبريل/نيسان": one month in its two names.
                mentions.pop()
                taken.pop()
                day = previous.day
                start = previous.start
            add(DateMention(start, end, text[start:end], day, month, year))
    if lang == "en":
        for m in _EN_DAY_ONLY.finditer(text):
            group = 1 if m.group(1) else 2
            s, e, day = m.start(group), m.end(), int(m.group(group))
            if free(s, e) and 1 <= day <= 31 and not re.match(r"\s+of\b", text[e:]):
                add(DateMention(s, e, text[s:e], day=day))
    weekdays = weekday_pattern(lang)
    if weekdays is not None:
        for m in weekdays.finditer(text):
            if free(m.start(), m.end()):
                weekday = int((m.lastgroup or "w0")[1:])
                add(DateMention(m.start(), m.end(), m.group(0), weekday=weekday))
    mentions.sort(key=lambda d: d.start)
    return tuple(mentions)


# ---------------------------------------------------------------------------------------
# figures


def find_times(text: str) -> list[Figure]:
    """Clock times ("15:50", "3.40 Uhr", "3 p.m.", "15时50分") as minutes after midnight."""
    return list(_times(text))


@lru_cache(maxsize=8192)
def _times(text: str) -> tuple[Figure, ...]:
    text = normalise_digits(text)
    if not _TIME_HINT.search(text):
        return ()
    times = []
    for m in _TIME.finditer(text):
        groups = m.groupdict()
        hour = int(groups["h"] or groups["h2"] or groups["h3"] or groups["h4"])
        minute = int(groups["m"] or groups["m3"] or groups["m4"] or 0)
        meridiem = (groups["ap"] or groups["ap2"] or "").lower()
        if meridiem.startswith("p") and hour < 12:
            hour += 12
        elif meridiem.startswith("a") and hour == 12:
            hour = 0
        if hour > 24 or minute > 59:
            continue
        end = m.end()
        while end > m.start() and text[end - 1].isspace():
            end -= 1
        times.append(Figure(Decimal(hour * 60 + minute), m.start(), end,
                            text[m.start() : end], unit="time"))
    return tuple(times)


def find_figures(text: str, lang: str, masked: Sequence[tuple[int, int]] = ()) -> list[Figure]:
    """Figures with their exact values, skipping the given spans (dates) and times."""
    return list(_figures(text, lang, tuple(masked)))


_ANY_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=8192)
def _figures(text: str, lang: str, masked: tuple[tuple[int, int], ...]) -> tuple[Figure, ...]:
    text = normalise_digits(text)
    if not _ANY_DIGIT.search(text):
        return ()
    blocked = [*masked]
    blocked += [(t.start, t.end) for t in find_times(text)]
    blocked += [(m.start(), m.end()) for m in _LIST_NUMBER.finditer(text)]
    figures: list[Figure] = []
    scale_pattern = _scale_pattern(lang)
    exponents = _scale_exponents(lang)
    consumed = 0
    for m in _NUMBER.finditer(text):
        start, end = m.start(), m.end()
        if start < consumed or any(start < b and a < end for a, b in blocked):
            continue
        if _CODE_BEFORE.search(text[:start]):
            continue
        raw = m.group(0).rstrip(".,")
        end = start + len(raw)
        value = parse_number(raw, lang)
        if value is None:
            continue
        after = text[end:]
        soft = False
        decade = False
        if _ORDINAL_AFTER.match(after):
            soft = True
        elif _DECADE_AFTER.match(after) and value % 10 == 0:
            soft = decade = True
        elif langdata.prop(lang, "no_space"):
            value, end = _cjk_scaled(text, value, lang, end)
            if re.match(r"年?代", text[end:]):
                soft = True  # "80年代", "30代": a decade or an age
        else:
            scale = scale_pattern.match(after)
            if scale and scale.lastgroup:
                value *= Decimal(10) ** exponents[int(scale.lastgroup[1:])]
                end += scale.end()
        figures.append(Figure(value.normalize(), start, end, text[start:end], soft, decade))
        consumed = end
    return tuple(figures)


def _cjk_scaled(text: str, value: Decimal, lang: str, end: int) -> tuple[Decimal, int]:
    """A figure with Chinese or Japanese scale characters: "3.2亿", "1万1000" (11,000)."""
    scales = langdata.table(lang, "cjk_scales")
    total = Decimal(0)
    last_exponent = 99
    while True:
        scale = next(((w, e) for w, e in scales.items() if text.startswith(w, end)), None)
        if scale is None or scale[1] >= last_exponent:
            return total + value, end
        total += value * Decimal(10) ** scale[1]
        end += len(scale[0])
        last_exponent = scale[1]
        more = re.match(r"\d+(?:\.\d+)?", text[end:])
        if not more:
            return total, end
        value = Decimal(more.group(0))
        end += more.end()


@lru_cache(maxsize=8192)
def _words_to_digits(text: str, lang: str) -> str:
    """The text with numbers written as words turned into digits, where a library can."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cn2an warns about every character it cannot read
        return _convert_words(text, lang)


def _convert_words(text: str, lang: str) -> str:
    """By the reader the language names (langdata property `number_words`): a library, or
    the language's own table of number words."""
    reader = langdata.prop(lang, "number_words", "")
    try:
        if reader == "text2num":
            from text_to_num import alpha2digit

            return str(alpha2digit(text, lang, threshold=2))
        if reader == "number-parser":
            from number_parser import parse

            return str(parse(text, language=lang))
        if reader == "cn2an":
            import cn2an

            return str(cn2an.transform(text, "cn2an"))
    except Exception:  # a library's parse error must not stop the check
        return text
    if reader == "table":
        words = langdata.table(lang, "number_words")
        return re.sub(
            r"(?<!\w)[وب]?(" + "|".join(words) + r")(?!\w)",
            lambda m: f" {words[m.group(1)]} ",
            text,
        )
    return text


def spelled_values(text: str, lang: str, figures: Sequence[Figure]) -> Counter[Decimal]:
    """Values written as words (or as ordinals): they excuse, never accuse. A full hour in
    words ("um fünf Uhr") excuses the bare hour ("à 5 heures")."""
    converted = _words_to_digits(normalise_digits(text), lang)
    every = Counter(f.value for f in find_figures(converted, lang))
    every.update(t.value / 60 for t in find_times(converted) if not t.value % 60)
    hard = Counter(f.value for f in figures if not f.soft)
    hard.update(f.value / 60 for f in figures if f.unit == "time" and not f.value % 60)
    spelled = every - hard
    spelled.update(f.value for f in figures if f.soft)
    return spelled


_ZH_NUMERALS = re.compile(r"[零〇一二三四五六七八九十百千万亿两]+")


def spelled_cardinals(text: str, lang: str, figures: Sequence[Figure]) -> Counter[Decimal]:
    """Cardinal numbers of two or more written as words ("three", "сорок две тысячи")."""
    if not langdata.prop(lang, "number_words", "") or langdata.prop(lang, "number_words_excuse"):
        return Counter()
    converted = _words_to_digits(normalise_digits(text), lang)
    dates = [(d.start, d.end) for d in find_dates(converted, lang)]
    every = Counter(
        f.value for f in find_figures(converted, lang, dates)
        if not f.soft and not f.unit and f.value >= 2
    )
    return every - Counter(f.value for f in figures if not f.soft and not f.unit)


def _locate_word(text: str, lang: str, value: Decimal) -> tuple[int, int] | None:
    """Where a number written as one word stands in the text."""
    no_space = langdata.prop(lang, "no_space")
    tokens = _ZH_NUMERALS.finditer(text) if no_space else re.finditer(r"\w+", text)
    for m in tokens:
        if m.group(0).isdigit():
            continue
        digits = re.sub(r"\D", "", _words_to_digits(m.group(0), lang))
        if digits and Decimal(digits) == value:
            return m.start(), m.end()
    return None


# ---------------------------------------------------------------------------------------
# comparison


@dataclass
class _Matching:
    original_left: list[int] = field(default_factory=list)
    version_left: list[int] = field(default_factory=list)


def _match(
    original: Sequence[T],
    version: Sequence[T],
    same: Callable[[T, T], bool],
) -> _Matching:
    used: set[int] = set()
    left = []
    for i, o in enumerate(original):
        j = next((j for j, v in enumerate(version) if j not in used and same(o, v)), None)
        if j is None:
            left.append(i)
        else:
            used.add(j)
    return _Matching(left, [j for j in range(len(version)) if j not in used])


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
    fewer significant digits, and less than one unit of its last digit away."""
    if not isinstance(o, Figure) or not isinstance(v, Figure) or o.unit or v.unit:
        return False
    if v.value == 0 or _significant(v.value) >= _significant(o.value):
        return False
    unit = Decimal(1).scaleb(v.value.adjusted() - _significant(v.value) + 1)
    return abs(o.value - v.value) < unit


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


def dates_supported(lang: str) -> bool:
    return bool(langdata.words(lang, "months")) or bool(langdata.prop(lang, "no_space"))


@register("date")
def check_dates(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.original_segments or not pair.version_segments:
        return []
    if not dates_supported(context.original.lang) or not dates_supported(context.version.lang):
        return []  # month names we cannot read on one side would all look dropped
    return compare_dates(pair, context)


@register("number")
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
    o_left = [i for i in matching.original_left if not o_figures[i].soft]
    v_left = [j for j in matching.version_left if not v_figures[j].soft]
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
                                    pair.original_text, pair.version_text)
    findings = _compare_words(pair, context, o_figures, v_figures, o_dates, v_dates)
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


def _hours_as_figures(
    o_left: list[int], v_left: list[int], o_figures: list[Figure], v_figures: list[Figure]
) -> tuple[list[int], list[int]]:
    """A full hour on one side ("11 Uhr", "11:00") and the bare hour on the other ("11
    heures", where "heures" may as well be a duration) are one figure."""
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
    return o_rest, v_rest


def _in_code(figure: Figure, other: str) -> bool:
    digits = format(figure.value, "f")
    return re.search(rf"[^\W\d_]{digits}(?!\d)", other) is not None


# Digit groups (phone and account numbers) of at least this many digits in all are compared
# whatever their grouping: "031/433611" and "031/43 36 11" are one number.
MIN_REGROUPED_DIGITS = 5
_DIGIT_GROUPS = re.compile(r"\d+(?:[ \u00a0]\d+)+")


def _regrouped(
    o_left: list[int],
    v_left: list[int],
    o_figures: list[Figure],
    v_figures: list[Figure],
    o_text: str,
    v_text: str,
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
            if len(digits) < MIN_REGROUPED_DIGITS:
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
    o_at = _locate_word(pair.original_text, o_lang, o_only[0])
    v_at = _locate_word(pair.version_text, v_lang, v_only[0])
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
