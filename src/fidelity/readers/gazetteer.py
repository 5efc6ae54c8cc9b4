"""Countries, organisations and cities reduced to one identifier per entity, in any language
and inflection: "МВФ", "FMI" and "صندوق النقد الدولي" are all `org:IMF`.

Countries come from the CLDR data that Babel ships; organisations, cities, common country
names and adjectives of nationality from the language data (langdata `organisations`,
`cities`, `countries`, `demonyms`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from fidelity import langdata


# Organisations that speak for another (langdata `xx/organisation_parents`): a version naming
# the UN where the original names its refugee agency has not swapped one for the other.
def _parents() -> dict[str, str]:
    return langdata.table(langdata.MULTILINGUAL, "organisation_parents")


def gazetteer_languages() -> tuple[str, ...]:
    """The languages whose countries, organisations and cities are read."""
    return tuple(lang for lang in langdata.languages() if langdata.prop(lang, "gazetteer"))


def organisations_known(lang: str) -> bool:
    """Whether the language has names for the organisations: without them an organisation
    named on one side only cannot be told apart from one the other side names otherwise."""
    return langdata.has(lang, "organisations")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    entity: str  # "country:SK", "org:IMF", "city:Geneva", or "name:<text>"
    kind: str  # country, org, city, name


def _clean_names(name: str) -> list[str]:
    names = []
    for part in re.split(r"\s*[()（）]\s*", name):
        part = part.split(" - ")[0].strip()
        if part and "SAR" not in part and "САР" not in part and len(part) > 1:
            names.append(part)
    return names


@lru_cache(maxsize=16)
def _gazetteer(lang: str) -> tuple[tuple[str, str, str], ...]:
    """(name, identifier, kind) for one language, longest names first."""
    entries: list[tuple[str, str, str]] = []
    for table, kind in (("organisations", "org"), ("cities", "city")):
        for key, names in langdata.table(lang, table).items():
            entries += [(name, f"{kind}:{key}", kind) for name in names]
    countries = _cldr_countries(lang)
    entries += [(name, f"city:{zone}", "city") for zone, name in _cldr_cities(lang)
                if name not in countries]
    entries += [(name, f"country:{code}", "country") for name, code in countries.items()]
    for table in ("countries", "demonyms"):
        for code, names in langdata.table(lang, table).items():
            entries += [(n, f"country:{code}", "country") for n in names]
    # Names that are also everyday words: "مالي" (Mali) is also "financial".
    excluded = set(langdata.words(lang, "gazetteer_exclude"))
    entries = [e for e in entries if e[0] not in excluded]
    seen: set[tuple[str, str]] = set()
    unique = []
    for entry in sorted(entries, key=lambda e: -len(e[0])):
        if (entry[0], entry[1]) not in seen:
            seen.add((entry[0], entry[1]))
            unique.append(entry)
    return tuple(unique)


# CLDR regions that are no country (European Union, Eurozone, United Nations, ...).
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "AQ"})


def _cldr_countries(lang: str) -> dict[str, str]:
    """Country names in the language (CLDR, via Babel): name -> ISO code."""
    try:
        from babel import Locale

        territories = Locale.parse(lang).territories
    except Exception:  # an unknown locale: no countries
        return {}
    return {n: code for code, name in territories.items()
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
            for n in _clean_names(name)}


# Time zones whose exemplar city is not a city anyone reports from, or an everyday word.
_NOT_CITIES = ("Antarctica/", "Arctic/", "Etc/", "Indian/Christmas", "Pacific/Easter")


def _cldr_cities(lang: str) -> list[tuple[str, str]]:
    """(time zone, city name) for CLDR's exemplar cities in the language (via Babel): the
    one multilingual list of cities a library ships, so that "Moscou", "Москва" and
    "Moscow" are one city. Sub-zones (America/Indiana/Knox) are left out. A zone the
    language has no name for keeps its English one from the zone id, as Babel's
    `get_timezone_location` does (read directly: thirty times faster)."""
    try:
        from babel import Locale
        from babel.core import get_global

        names = Locale.parse(lang).time_zones
        zones = get_global("zone_territories")
    except Exception:  # an unknown locale: no cities
        return []
    cities = []
    for zone in zones:
        if zone.count("/") != 1 or zone.startswith(_NOT_CITIES):
            continue
        name = names.get(zone, {}).get("city") or zone.split("/")[-1].replace("_", " ")
        if len(name) > 1:
            cities.append((zone, name))
    return cities


def _word_pattern(word: str, lang: str, single: bool, city: bool = False) -> str:
    """A name word in any inflection: a stem and a short ending. A city's stem keeps all but
    its last letter: among CLDR's hundreds of cities a looser stem meets everyday words and
    given names ("Мариго" would read "Мария")."""
    inflecting = bool(langdata.prop(lang, "inflecting"))
    if city and word.isalpha() and not word.isupper():
        stem = word[:-1] if len(word) >= 5 else word
        return re.escape(stem) + r"\w{0,3}"
    if word.isupper() or not word.isalpha() or len(word) < 4:
        return re.escape(word) + (r"\w{0,3}" if inflecting and len(word) >= 3
                                  and not word.isupper() else "")
    stem = word[:-1] if len(word) >= 5 else word
    if inflecting and len(word) >= 6:
        stem = word[:-2]  # "Европейский" / "Европейского"
    if single:
        return re.escape(stem) + (r"\w{0,6}" if inflecting else r"\w{0,4}")
    return re.escape(stem) + (r"\w{0,4}" if inflecting else r"\w{0,2}")


@lru_cache(maxsize=16)
def _clitics(lang: str) -> tuple[str, ...]:
    """Prefixes that may stand before a name (langdata `clitics`), the bare name first."""
    return ("", *langdata.words(lang, "clitics"))


@lru_cache(maxsize=16)
def _gazetteer_index(lang: str) -> tuple[dict[str, re.Pattern[str]], list[tuple[str, str]]]:
    """Patterns for the gazetteer's names grouped by their first letter, and what each named
    group means. Acronyms match in their exact case; other names in any case."""
    groups: dict[str, list[str]] = {}
    meaning: list[tuple[str, str]] = []
    # Chinese, Japanese, Thai: a name may start at any character.
    no_space = bool(langdata.prop(lang, "no_space"))
    for k, (name, identifier, kind) in enumerate(_gazetteer(lang)):
        meaning.append((identifier, kind))
        acronym = name.replace(".", "").isupper() and not no_space
        if no_space:
            source = re.escape(name)
        elif lang == "ar":
            bare = name[2:] if name.startswith("ال") else name
            source = re.escape(bare[:-1]) + "ا?" if bare.endswith("ا") else re.escape(bare)
            source = source.replace(r"\ ", r"\s+") + "(?:ي|ية|يين|يون|يا)?"
        else:
            words = re.split(r"\s+", name)
            source = r"[\s\-]+".join(_word_pattern(w, lang, len(words) == 1, kind == "city")
                                   for w in words)
        if acronym:
            source = f"(?-i:{source})"
        key = name.removeprefix("ال")[:1].casefold()
        groups.setdefault(key, []).append(f"(?P<g{k}>{source})")
    end = "" if no_space else r"(?!\w)"
    flags = 0 if no_space else re.IGNORECASE
    patterns = {k: re.compile(f"(?:{'|'.join(alts)}){end}", flags) for k, alts in groups.items()}
    return patterns, meaning


_WORD_START = re.compile(r"(?<!\w)\w")


def find_gazetteer(text: str, lang: str) -> list[Mention]:
    """Countries, organisations and cities, as identifiers."""
    return list(_gazetteer_mentions(text, lang))


# The entity and attribution checks read the same sentences: each is read once.
@lru_cache(maxsize=8192)
def _gazetteer_mentions(text: str, lang: str) -> tuple[Mention, ...]:
    if not langdata.prop(lang, "gazetteer"):
        return ()
    patterns, meaning = _gazetteer_index(lang)
    if langdata.prop(lang, "no_space"):
        starts: Iterable[int] = range(len(text))
    else:
        starts = [m.start() for m in _WORD_START.finditer(text)]
    found: list[Mention] = []
    reached = 0
    clitics = _clitics(lang)
    for start in starts:
        if start < reached:
            continue
        offsets = [len(p) for p in clitics if text.startswith(p, start)]
        for offset in offsets:
            position = start + offset
            pattern = patterns.get(text[position : position + 1].casefold())
            m = pattern.match(text, position) if pattern is not None else None
            if m is None:
                continue
            if lang == "en" and not m.group(0)[0].isupper():
                continue  # "turkey", "chad": names are capitalised in English
            identifier, kind = meaning[int((m.lastgroup or "g0")[1:])]
            found.append(Mention(m.start(), m.end(), m.group(0), identifier, kind))
            reached = m.end()
            break
    return tuple(found)


def related_organisations(a: str, b: str) -> bool:
    key_a, key_b = a.partition(":")[2], b.partition(":")[2]
    parents = _parents()
    return parents.get(key_a) == key_b or parents.get(key_b) == key_a
