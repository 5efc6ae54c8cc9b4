"""Dates read as day, month, year and weekday, so that "27 сентября", "September 27" and
"9月27日" compare equal: month and weekday names from the language data (langdata `months`,
`weekdays`), numeric and ISO dates, Chinese and Japanese dates, day numbers alone ("the
18th", "18日").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from fidelity import langdata
from fidelity.readers.digits import normalise_digits


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
# Characters either side of a month name in which its day, year and context are looked for.
_CONTEXT = 100
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


@lru_cache(maxsize=64)
def calendar_names(lang: str, kind: str) -> tuple[tuple[str, ...], bool]:
    """Month (`kind` "months", January first) or weekday ("weekdays", Monday first) names as
    patterns, and whether they come from CLDR rather than the language data. The language
    data's lists hold every inflection a language writes ("сентябре"); where there is none,
    CLDR's wide names in both the format and the stand-alone forms ("května", "květen")."""
    names = langdata.words(lang, kind)
    if names:
        return names, False
    try:
        from babel import Locale

        locale = Locale.parse(lang)
        table = locale.months if kind == "months" else locale.days
        forms = [table[context]["wide"] for context in ("format", "stand-alone")]
    except Exception:  # no CLDR data for the language
        return (), False
    keys = range(1, 13) if kind == "months" else range(7)
    patterns = []
    for key in keys:
        variants = sorted({form[key] for form in forms if form.get(key)}, key=len, reverse=True)
        patterns.append("|".join(re.escape(v) for v in variants))
    return tuple(patterns), True


def _bounded(lang: str, alternatives: str) -> str:
    """Calendar words as whole words, after the prefixes the language writes onto them
    (langdata property `calendar_prefix`: Arabic و/ب/ل/ف, Hebrew ב/ל/ו); anywhere in a
    language written without spaces."""
    if langdata.prop(lang, "no_space"):
        return f"(?:{alternatives})"
    prefix = langdata.prop(lang, "calendar_prefix", "")
    return rf"(?<!\w)(?:{prefix})?(?:{alternatives})(?!\w)"


@lru_cache(maxsize=32)
def month_pattern(lang: str) -> re.Pattern[str] | None:
    """Month names (January to December), as groups m1 to m12."""
    return _calendar_pattern(lang, "months", "m", 1)


@lru_cache(maxsize=32)
def weekday_pattern(lang: str) -> re.Pattern[str] | None:
    """Weekday names (Monday to Sunday), as groups w0 to w6."""
    return _calendar_pattern(lang, "weekdays", "w", 0)


def _calendar_pattern(lang: str, kind: str, group: str, first: int) -> re.Pattern[str] | None:
    names, _ = calendar_names(lang, kind)
    if not names:
        return None
    alternatives = "|".join(f"(?P<{group}{k + first}>{n})" for k, n in enumerate(names))
    return re.compile(_bounded(lang, alternatives), _calendar_flags(lang))


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
    if langdata.prop(lang, "cjk_dates"):
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
            if lang == "ja" and m.group(0).endswith("号"):
                continue  # Japanese 号 numbers (台風14号, 第3号); its days are 日
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
    from_cldr = calendar_names(lang, "months")[1]
    if months is not None:
        for m in months.finditer(text):
            if not free(m.start(), m.end()):
                continue
            month = int((m.lastgroup or "m0")[1:])
            start, end = m.start(), m.end()
            # Only the words next to the month matter; slicing the whole text around every
            # month name made a long segment quadratic.
            window = max(0, start - _CONTEXT)
            before, after = text[window:start], text[end : end + _CONTEXT]
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
            if (
                from_cldr
                and not _HAS_DIGIT.search(m.group(0))
                and not (day_before or day_after or _YEAR_AFTER.match(after))
            ):
                continue  # CLDR's "mai" is also Romanian "more": a month only beside a date
            if lang == "ar" and not (
                day_before or re.match(r"^\s*[/\d]", after) or re.search(r"/\s*$", before)
                or _AR_MONTH_CONTEXT.search(before)
            ):
                continue
            day = None
            if day_before and 1 <= int(day_before.group(1)) <= 31:
                day = int(day_before.group(1))
                start = window + day_before.start()
            elif day_after and 1 <= int(day_after.group(1)) <= 31:
                day = int(day_after.group(1))
                end += day_after.end()
            year_match = _YEAR_AFTER.match(text[end : end + _CONTEXT])
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
            if free(s, e) and 1 <= day <= 31 and not re.match(r"\s+of\b", text[e : e + _CONTEXT]):
                add(DateMention(s, e, text[s:e], day=day))
    weekdays = weekday_pattern(lang)
    if weekdays is not None:
        for m in weekdays.finditer(text):
            if free(m.start(), m.end()):
                weekday = int((m.lastgroup or "w0")[1:])
                add(DateMention(m.start(), m.end(), m.group(0), weekday=weekday))
    mentions.sort(key=lambda d: d.start)
    return tuple(mentions)


_HAS_DIGIT = re.compile(r"\d")


def date_languages() -> tuple[str, ...]:
    """The languages whose dates are read: month names, or Chinese and Japanese dates."""
    return tuple(lang for lang in langdata.languages() if dates_supported(lang))


def dates_supported(lang: str) -> bool:
    return bool(calendar_names(lang, "months")[0]) or bool(langdata.prop(lang, "cjk_dates"))
