"""The currency a figure is counted in, and whether it is marked as approximate.

"5 millions d'euros", "€5m" and "EUR 5 million" are one amount; "$5 million" is another,
however close the number. Currencies are read from the multilingual table
`langdata/xx/currencies.toml` (copy keeps foreign symbols: "US$5m" in French text), so the
same amount is recognised whichever way a newsroom writes it. A figure preceded by "about",
« environ », "около" is one the writer rounded on purpose: `langdata/<code>/approximators.txt`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from fidelity import langdata

# How far around a figure its currency or approximator may stand: "5 millions de dollars"
# puts "de " between them, "près de 20" puts its marker just before.
_GAP_AFTER = r"[ \u00a0\u202f]?(?:de |d['’]|of |em |из )?"
_GAP_BEFORE = r"[ \u00a0\u202f]?$"


@lru_cache(maxsize=1)
def _currency_patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    data = langdata.table(langdata.MULTILINGUAL, "currencies")
    families: dict[str, str] = {}
    alternatives = {}
    for side in ("before", "after"):
        groups = []
        for k, (pattern, family) in enumerate(data.get(side, {}).items()):
            name = f"{side[0]}{k}"
            families[name] = family
            groups.append(f"(?P<{name}>{pattern})")
        alternatives[side] = "|".join(groups)
    before = re.compile(rf"(?<![\w$])(?:{alternatives['before']}){_GAP_BEFORE}", re.IGNORECASE)
    # A currency name ends at a word boundary, or anywhere in Chinese and Japanese ("円に").
    after = re.compile(
        rf"{_GAP_AFTER}(?:{alternatives['after']})(?:(?<=[\u3040-\u30ff\u3400-\u9fff])|(?!\w))",
        re.IGNORECASE,
    )
    return before, after, families


def currency_at(text: str, start: int, end: int) -> str:
    """The currency family of the figure at text[start:end] ("EUR", "dollar"), or ""."""
    before, after, families = _currency_patterns()
    m = after.match(text, end)
    if m is None:
        window = max(0, start - 6)
        m = next((c for c in before.finditer(text, window, start) if c.end() == start), None)
    if m is None or m.lastgroup is None:
        return ""
    return families[m.lastgroup]


def currency_before(text: str, start: int) -> bool:
    """Whether a currency symbol stands just before `start` ("€5m": the "m" is a million)."""
    before, _, _ = _currency_patterns()
    return any(c.end() == start for c in before.finditer(text, max(0, start - 6), start))


@lru_cache(maxsize=64)
def _approximators(lang: str, kind: str) -> re.Pattern[str] | None:
    words = langdata.words(lang, kind)
    if not words:
        return None
    alternatives = "|".join(f"(?:{w})" for w in words)
    if kind == "approximators":
        return re.compile(
            rf"(?<!\w)(?:{alternatives})[ \u00a0\u202f]*(?:[$€£¥]|[A-Z]{{3}} ?)?$", re.IGNORECASE
        )
    # After the figure, past its counter or unit word where there is one ("20人以上").
    return re.compile(rf"^\S{{0,3}}?[ \u00a0\u202f]*(?:{alternatives})", re.IGNORECASE)


def approximate_at(text: str, start: int, end: int, lang: str) -> bool:
    """Whether the writer marks the figure at text[start:end] as approximate ("about 20",
    « près de 20 », "約20", "20余り")."""
    before = _approximators(lang, "approximators")
    if before is not None and before.search(text[max(0, start - 30) : start]):
        return True
    after = _approximators(lang, "approximators_after")
    return after is not None and after.match(text[end : end + 12]) is not None


def is_currency_name(word: str) -> bool:
    """Whether a word names a currency ("reais", "lira", "euros"): a currency keeps its own
    name in many languages, so sharing it with the original is no sign of untranslated text."""
    _, after, _ = _currency_patterns()
    match = after.match(word)
    return match is not None and match.end() == len(word)
