"""Figures reduced to exact values: "4 200 hectares" is 4200, whatever the language writes.

Each side's figures are read with its language's separators ("1 200", "1.200", "1,200",
"3,5"), scale words ("10 млн", "46.300 millones", "3.2亿"), percentages and clock times; the
digits of a date are not figures (the caller masks them). Numbers written as words are read
too (text2num, number-parser, cn2an, or the language's own table), to excuse a figure that
the other side spells out and to compare one spelled number with another.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from fidelity import langdata
from fidelity.readers.currencies import approximate_at, currency_at, currency_before
from fidelity.readers.dates import find_dates
from fidelity.readers.digits import normalise_digits

# A run of digits with separators; what precedes must not be a letter (A63, G7) or a digit.
_NUMBER = re.compile(
    r"(?<![A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF\d])"
    r"\d+(?:(?:[.,]|[ \u00a0\u202f](?=\d{3}(?![\d]|[.,]\d)))\d+)*"
)
_CODE_BEFORE = re.compile(r"[A-Za-z\u0400-\u04FF][-‐]$")
# Characters after a figure in which its ordinal ending, decade or scale word is looked for.
_CONTEXT = 64
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
_MONEY_SUFFIX = re.compile(r"^(m|k)\b", re.IGNORECASE)
_MONEY_SUFFIXES = {"m": 6, "k": 3}


def scale_languages() -> tuple[str, ...]:
    """The languages whose scale words are read ("млн", "万"): elsewhere "1,2 ล้าน" would
    read as 1.2 against "1.2 million"."""
    return tuple(lang for lang in langdata.languages()
                 if langdata.has(lang, "scales") or langdata.has(lang, "cjk_scales"))


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
    currency: str = ""  # the currency's family ("EUR", "dollar"), where one is written
    approximate: bool = False  # marked so by its writer: "about 20", « près de 20 »


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
        # Windows next to the figure, not the rest of the text: slicing that for every
        # figure made a long segment quadratic.
        if _CODE_BEFORE.search(text[max(0, start - 2) : start]):
            continue
        raw = m.group(0).rstrip(".,")
        end = start + len(raw)
        value = parse_number(raw, lang)
        if value is None:
            continue
        after = text[end : end + _CONTEXT]
        soft = False
        decade = False
        if _ORDINAL_AFTER.match(after):
            soft = True
        elif _DECADE_AFTER.match(after) and value % 10 == 0:
            soft = decade = True
        elif langdata.prop(lang, "no_space"):
            value, end = _cjk_scaled(text, value, lang, end)
            if re.match(r"年?代", text[end : end + 2]):
                soft = True  # "80年代", "30代": a decade or an age
        else:
            scale = scale_pattern.match(after)
            if scale and scale.lastgroup:
                value *= Decimal(10) ** exponents[int(scale.lastgroup[1:])]
                end += scale.end()
            elif (money := _MONEY_SUFFIX.match(after)) and currency_before(text, start):
                # "€5m", "$300k": a scale letter only counts after a currency ("5m" is metres).
                value *= Decimal(10) ** _MONEY_SUFFIXES[money.group(1).lower()]
                end += money.end()
        figures.append(Figure(
            value.normalize(), start, end, text[start:end], soft, decade,
            currency=currency_at(text, start, end),
            approximate=approximate_at(text, start, end, lang),
        ))
        consumed = end
    return tuple(figures)


def _cjk_scaled(text: str, value: Decimal, lang: str, end: int) -> tuple[Decimal, int]:
    """A figure with Chinese, Japanese or Thai scale words: "3.2亿", "1万1000" (11,000),
    "2.1 ล้าน"."""
    scales = langdata.table(lang, "cjk_scales")
    total = Decimal(0)
    last_exponent = 99
    while True:
        # Thai writes a space before the scale word ("2.1 ล้าน"), Chinese and Japanese none.
        at = end + 1 if last_exponent == 99 and text[end : end + 1] in (" ", "\u00a0") else end
        scale = next(((w, e) for w, e in scales.items() if text.startswith(w, at)), None)
        if scale is None or scale[1] >= last_exponent:
            return total + value, end
        total += value * Decimal(10) ** scale[1]
        end = at + len(scale[0])
        last_exponent = scale[1]
        more = re.match(r"\d+(?:\.\d+)?", text[end : end + _CONTEXT])
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


def locate_number_word(text: str, lang: str, value: Decimal) -> tuple[int, int] | None:
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
