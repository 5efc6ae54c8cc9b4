"""The currency a figure is in: "2,1 millions d'euros", "€2.1 million", "210万欧元" are all
EUR, so that a version turning euros into dollars is caught even where the figure is right.

Symbols, ISO codes and formal names come from CLDR (Babel) for the language; the short names
wire copy uses ("dollars", "долларов") from the language data (`xx/currency_words`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from fidelity import langdata

# The currencies read: those wire copy reports most.
CURRENCIES = ("USD", "EUR", "GBP", "CNY", "JPY", "RUB", "UAH", "INR")
# Symbols that name one currency whatever the language's own conventions.
_UNIVERSAL_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "₴": "UAH",
                      "₹": "INR"}
# Between a figure (with its scale word) and a currency name: "millions d'euros", "de euros".
_LINK = r"(?:\s*(?:d['’]|de\s+|of\s+|di\s+|van\s+)|\s*)"


@lru_cache(maxsize=64)
def _tables(lang: str) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """Patterns for a currency written before a figure and after it, and what each written
    form means (lower case)."""
    meaning: dict[str, str] = {}
    symbols: dict[str, str] = dict(_UNIVERSAL_SYMBOLS)
    names: dict[str, str] = {}
    try:
        from babel import Locale
        from babel.numbers import get_currency_name, get_currency_symbol

        locale = Locale.parse(lang)
        for code in CURRENCIES:
            symbols[get_currency_symbol(code, locale=locale)] = code
            for count in (1, 2, 5, 1.5):
                names[get_currency_name(code, count=count, locale=locale).lower()] = code
    except Exception:  # no CLDR data for the language: the universal symbols and words only
        pass
    for code in CURRENCIES:
        symbols[code] = code
    meaning.update({s.lower(): c for s, c in symbols.items()})
    meaning.update(names)
    words = langdata.table(langdata.MULTILINGUAL, "currency_words")
    name_patterns = [re.escape(n) for n in sorted(names, key=len, reverse=True)]
    name_patterns += [p for code in CURRENCIES for p in words.get(code, ())]
    symbol_alternatives = "|".join(re.escape(s) for s in sorted(symbols, key=len, reverse=True))
    before = re.compile(rf"(?:{symbol_alternatives})\s?$")
    after = re.compile(
        rf"^(?:\s?(?P<symbol>{symbol_alternatives})|{_LINK}(?P<name>{'|'.join(name_patterns)}))"
        + ("" if langdata.prop(lang, "no_space") else r"(?!\w)"),
        re.IGNORECASE,
    )
    return before, after, meaning


@lru_cache(maxsize=64)
def _word_codes(lang: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    words = langdata.table(langdata.MULTILINGUAL, "currency_words")
    return tuple((re.compile(rf"(?:{'|'.join(patterns)})$", re.IGNORECASE), code)
                 for code, patterns in words.items())


def currency_of(text: str, start: int, end: int, lang: str) -> str | None:
    """The ISO code of the currency written right before `text[start:end]` (a figure with
    its scale word) or right after it, or None."""
    before, after, meaning = _tables(lang)
    m = before.search(text, 0, start)
    if m is not None and m.end() == start:
        return meaning.get(m.group(0).strip().lower())
    m = after.match(text[end : end + 40])
    if m is None:
        return None
    written = (m.group("symbol") or m.group("name") or "").lower()
    if written in meaning:
        return meaning[written]
    return next((code for pattern, code in _word_codes(lang) if pattern.match(written)), None)
