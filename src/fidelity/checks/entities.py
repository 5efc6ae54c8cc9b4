"""Names must stay the names they were: Slovakia is not Slovenia, the IMF is not the World Bank.

A swapped name keeps a sentence's shape and most of its embedding, so it has to be caught by
reading the names themselves. Countries (in every language, from the CLDR data that Babel
ships), major organisations and cities (a small alias table, since "МВФ", "FMI" and
"صندوق النقد الدولي" share no letters) are reduced to one identifier per entity, in any
inflection ("Словакии", "lituanien"). Other names are read from capitalised words in the
scripts that have case, and compared across scripts by transliteration (anyascii) and fuzzy
matching (rapidfuzz), so "Белозерская" finds "Belozerskaya" and "Budapeshte" finds
"Budapest".

Only what is sure is reported: an entity of the original whose place in the version is held
by a different entity of the same kind (critical), or an organisation or a person's full name
with no counterpart at all (major). Countries mentioned in one side only are not reported:
"Chinese" and "the country" render them as often as their names do.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz, process

from fidelity import langdata
from fidelity.checks.base import AlignedPair, CheckContext, mention_spans, register
from fidelity.checks.words import zipf
from fidelity.model import Document, Finding, Severity

# Tables per language (langdata): `organisations`, `cities` (identifier = names in the
# language), `countries` (ISO code = common names CLDR gives in another form), `demonyms`
# (ISO code = adjectives of nationality not beginning with the country's name); and for every
# language `xx/organisation_parents` (an agency = the organisation it speaks for),
# `xx/title_words` and `title_stems` (capitalised words that are titles or institutions, not
# names), `xx/name_particles` ("de", "van", "bin" inside a name).


def _parents() -> dict[str, str]:
    return langdata.table(langdata.MULTILINGUAL, "organisation_parents")


@lru_cache(maxsize=1)
def _folded_title_words() -> frozenset[str]:
    return frozenset(_fold(w) for w in langdata.words(langdata.MULTILINGUAL, "title_words"))


@lru_cache(maxsize=1)
def _title_stems() -> tuple[str, ...]:
    """Title and institution stems of every inflecting language (Cyrillic and Latin stems are
    asked of Russian, Ukrainian and Polish alike)."""
    return tuple(_fold(stem) for lang in langdata.languages_with("title_stems")
                 for stem in langdata.words(lang, "title_stems"))


@lru_cache(maxsize=1)
def _name_particles() -> frozenset[str]:
    return frozenset(langdata.words(langdata.MULTILINGUAL, "name_particles"))


def _cased(lang: str) -> bool:
    """Whether names are read from capitals (German capitalises every noun)."""
    return bool(langdata.prop(lang, "cased_names"))


def _inflecting(lang: str) -> bool:
    return bool(langdata.prop(lang, "inflecting"))


def organisations_known(lang: str) -> bool:
    """Whether the language has names for the organisations: without them an organisation
    named on one side only cannot be told apart from one the other side names otherwise."""
    return langdata.has(lang, "organisations")


_WORD = re.compile(r"[^\W\d_][^\W\d_'’\-]*(?:[-'’][^\W\d_]+)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;«»\"“”„‘'(\[—–]\s*|\n\s*)$")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    entity: str  # "country:SK", "org:IMF", "city:Geneva", or "name:<text>"
    kind: str  # country, org, city, name


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# ---------------------------------------------------------------------------------------
# gazetteer


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
            for name in names:
                entries.append((name, f"{kind}:{key}", kind))
    try:
        from babel import Locale

        territories = Locale.parse(lang).territories
    except Exception:  # an unknown locale: organisations and cities only
        territories = {}
    skip = {"EU", "EZ", "UN", "QO", "XA", "XB", "AQ"}
    for code, name in territories.items():
        if len(code) == 2 and code.isalpha() and code not in skip:
            entries += [(n, f"country:{code}", "country") for n in _clean_names(name)]
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


def _word_pattern(word: str, lang: str, single: bool) -> str:
    """A name word in any inflection: a stem and a short ending."""
    inflecting = _inflecting(lang)
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
    for k, (name, identifier, kind) in enumerate(_gazetteer(lang)):
        meaning.append((identifier, kind))
        acronym = name.replace(".", "").isupper() and lang != "zh"
        if lang == "zh":
            source = re.escape(name)
        elif lang == "ar":
            bare = name[2:] if name.startswith("ال") else name
            source = re.escape(bare[:-1]) + "ا?" if bare.endswith("ا") else re.escape(bare)
            source = source.replace(r"\ ", r"\s+") + "(?:ي|ية|يين|يون|يا)?"
        else:
            words = re.split(r"\s+", name)
            source = r"[\s\-]+".join(_word_pattern(w, lang, len(words) == 1) for w in words)
        if acronym:
            source = f"(?-i:{source})"
        key = name.removeprefix("ال")[:1].casefold()
        groups.setdefault(key, []).append(f"(?P<g{k}>{source})")
    end = "" if lang == "zh" else r"(?!\w)"
    flags = 0 if lang == "zh" else re.IGNORECASE
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
    starts = range(len(text)) if lang == "zh" else [m.start() for m in _WORD_START.finditer(text)]
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


# ---------------------------------------------------------------------------------------
# names


@lru_cache(maxsize=65536)
def _is_stop(word: str, lang: str) -> bool:
    folded = _fold(word)
    titles = _folded_title_words()
    if folded in titles or folded.rstrip("s") in titles:
        return True
    if _inflecting(lang):
        return any(folded.startswith(stem) for stem in _title_stems())
    return False


@lru_cache(maxsize=64)
def _mid_sentence_capitals(text: str) -> frozenset[str]:
    """Words a document capitalises somewhere other than at a sentence start."""
    words = set()
    for m in _WORD.finditer(text):
        if m.group(0)[0].isupper() and not _SENTENCE_START.search(text[max(0, m.start() - 3):
                                                                         m.start()]):
            words.add(m.group(0))
    return frozenset(words)


@lru_cache(maxsize=16)
def _calendar_words(lang: str) -> re.Pattern[str] | None:
    """Month and weekday names, capitalised in English but no one's name."""
    from fidelity.checks.numbers import month_pattern, weekday_pattern

    months, weekdays = month_pattern(lang), weekday_pattern(lang)
    parts = [p.pattern for p in (months, weekdays) if p is not None]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


_NAME_GAP = re.compile(r"[ \u00a0]+")
_ELIDED = re.compile(r"^(?:[LlDd]|[Dd]ell|[Aa]ll|[Nn]ell|[Ss]ull|[Qq]u)['’]")


def _name_words(text: str) -> list[tuple[int, int, str]]:
    """Words with an elided article ("l'autoroute") cut off, and codes ("A63") left out."""
    words = []
    for m in _WORD.finditer(text):
        start, word = m.start(), m.group(0)
        elided = _ELIDED.match(word)
        if elided and len(word) > elided.end():
            start, word = start + elided.end(), word[elided.end() :]
        if text[m.end() : m.end() + 1].isdecimal():
            continue
        words.append((start, m.end(), word))
    return words


def find_names(
    text: str,
    lang: str,
    document: Document | None = None,
    masked: list[tuple[int, int]] | None = None,
    initials: frozenset[str] = frozenset(),
) -> list[Mention]:
    """Runs of capitalised words that look like names of people or places: titles and
    institution words cut a run, and a sentence's first word counts only if the document
    capitalises it elsewhere too, or if it is one of `initials` (see `initial_names`)."""
    if not _cased(lang):
        return []
    known = _mid_sentence_capitals(document.text) if document is not None else frozenset()
    known = known | initials
    calendar = _calendar_words(lang)
    blocked = masked or []
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []

    def close() -> None:
        while current and not current[-1][2][0].isupper():
            current.pop()  # a particle cannot end a name
        if current:
            runs.append(current.copy())
        current.clear()

    for start, end, word in _name_words(text):
        capital = word[0].isupper() and not (word.isupper() and len(word) > 1) and len(word) > 1
        gap = text[current[-1][1] : start] if current else ""
        joined = bool(current) and _NAME_GAP.fullmatch(gap) is not None
        initial = start == 0 or bool(_SENTENCE_START.search(text[max(0, start - 3) : start]))
        usable = (
            capital
            and not _is_stop(word, lang)
            and not (calendar is not None and calendar.fullmatch(word))
            and not (initial and word not in known)
            and not any(start < b and a < end for a, b in blocked)
        )
        if usable and joined:
            current.append((start, end, word))
        elif joined and not capital and word.casefold() in _name_particles():
            current.append((start, end, word))  # tentatively: "Mendoza de la Paz"
        else:
            close()
            if usable:
                current.append((start, end, word))
    close()
    names = []
    for run in runs:
        start, end = run[0][0], run[-1][1]
        names.append(Mention(start, end, text[start:end], f"name:{text[start:end]}", "name"))
    return names


# A name part this long is looked for inside compound words too.
MIN_COMPOUND_PART = 5
# Words at least this common (Zipf) are everyday words: "Free", "Europe", "Middle".
EVERYDAY_WORD_ZIPF = 5.0
# A sentence's first word rarer than this (Zipf scale, wordfreq's small list) may be a name.
COMMON_WORD_ZIPF = 4.5


def initial_names(text: str, lang: str, elsewhere: frozenset[str] = frozenset()) -> frozenset[str]:
    """Sentence-initial words of `text` that are names: rare in the language ("Peskov said"
    opens with a name, "Officials said" does not), or names of `elsewhere`, the `name_index`
    of the text it is compared with ("Paul Martin said" where the original names Paul Martin;
    "Según Belova" is no name: the original spells no "Según")."""
    if not _cased(lang):
        return frozenset()  # no capitals to read (and no word list without extra packages)
    names = set()
    for m in _WORD.finditer(text):
        word = m.group(0)
        if not word[0].isupper() or _is_stop(word, lang):
            continue
        if not _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]):
            continue
        if not common_word(word, lang) or _name_forms(word) & elsewhere:
            names.add(word)
    return frozenset(names)


@lru_cache(maxsize=64)
def name_index(text: str, lang: str) -> frozenset[str]:
    """Transliterated forms of the words a text capitalises as names (mid-sentence, or rare
    in its language), with a case ending or two cut off, for `initial_names` to look up in
    constant time whatever the text's length or script."""
    if not _cased(lang):
        return frozenset()
    forms: set[str] = set()
    known = _mid_sentence_capitals(text)
    for m in _WORD.finditer(text):
        word = m.group(0)
        if word[0].isupper() and (word in known or not common_word(word, lang)):
            forms |= _name_forms(word)
    return frozenset(forms)


def _name_forms(word: str) -> frozenset[str]:
    key = normalise_name(word)
    if len(key) < 5:
        return frozenset({key})
    return frozenset({key, key[:-1], key[:-2]})


def common_word(word: str, lang: str) -> bool:
    """Whether a word is common in the language, so that its capital says more about its
    place than about a name."""
    return everyday_zipf(word, lang) >= COMMON_WORD_ZIPF


def everyday_zipf(word: str, lang: str) -> float:
    """A word's Zipf frequency for telling names from everyday words: infinite where there
    is no word list, so that nothing is taken for a rare word (a name) without one."""
    frequency = zipf(word, lang)
    return math.inf if frequency is None else frequency


@lru_cache(maxsize=65536)
def normalise_name(word: str) -> str:
    """A Latin spelling that transliterations of one name share."""
    text = anyascii(word).lower()
    text = re.sub(r"['’`ʹʺ\-\s]", "", text)
    for old, new in (("shch", "sh"), ("chzh", "zh"), ("kh", "h"), ("yu", "iu"), ("ya", "ia"),
                     ("yo", "io"), ("ye", "ie"), ("ck", "k"), ("ph", "f"), ("x", "ks"), ("y", "i"),
                     ("w", "v")):
        text = text.replace(old, new)
    return text


@lru_cache(maxsize=65536)
def consonant_key(word: str) -> str:
    """Consonants only: Arabic script leaves most short vowels unwritten."""
    text = normalise_name(re.sub(r"^(?:[AaEe]l|[Aa]d|[Aa]r|[Aa]s)[-‐\s]", "", word))
    text = re.sub(r"^(?:al|el|l)(?=[^aeiou]{2})", "", text)
    for old, new in (("gh", "g"), ("ch", "sh"), ("th", "t"), ("dh", "d"), ("p", "b"),
                     ("v", "f"), ("j", "g"), ("q", "k"), ("c", "k")):
        text = text.replace(old, new)
    text = re.sub(r"[aeiouyw]", "", text)
    return re.sub(r"(.)\1+", r"\1", text)


def _tokens(text: str, lang: str) -> list[str]:
    if lang == "zh":
        return [normalise_name(text)]
    words = [m.group(0) for m in _WORD.finditer(text)]
    words += [part for w in words if "-" in w for part in w.split("-") if part]
    if lang == "ar":
        words = [re.sub(r"^(?:[وفبلك]|و?ال|لل)(?=\w{3})", "", w) for w in words]
    return words


def name_found(name: str, text: str, lang: str) -> bool:
    """Whether any word of a name appears in a text, in whatever script and inflection."""
    parts = [w for w in _WORD.findall(name) if w[0].isupper() and len(w) > 2]
    if not parts:
        return True
    if lang == "zh":
        pinyin = normalise_name(text)
        return any(fuzz.partial_ratio(normalise_name(p), pinyin) >= 90 for p in parts)
    tokens = _tokens(text, lang)
    if lang == "ar":
        keys = [consonant_key(t) for t in tokens]
        return any(
            process.extractOne(consonant_key(p), keys, scorer=fuzz.ratio, score_cutoff=80)
            for p in parts
            if len(consonant_key(p)) >= 2
        )
    normalised = [normalise_name(t) for t in tokens]
    for part in parts:
        target = normalise_name(part)
        if process.extractOne(target, normalised, scorer=fuzz.ratio, score_cutoff=80):
            return True
        # An inflected form: "Будапеште" for "Budapest".
        stem = target[: max(4, len(target) - 2)]
        if any(t.startswith(stem) and len(t) - len(stem) <= 4 for t in normalised):
            return True
        if any(target.startswith(t[: max(4, len(t) - 2)]) and len(target) - len(t) <= 4
               for t in normalised if len(t) >= 4):
            return True
        # Inside a compound: "Rothorn" in "ZinalRothorn", "Brenta" in "BrentaDolomiten".
        if len(target) >= MIN_COMPOUND_PART and any(
            target in t for t in normalised if len(t) > len(target)
        ):
            return True
    return False


def _exonym_like(a: str, b: str) -> bool:
    """Whether two names may be one place in two languages ("Bordeaux", "Burdeos")."""
    key_a, key_b = consonant_key(a), consonant_key(b)
    if not key_a or not key_b:
        return False
    return key_a[0] == key_b[0] and fuzz.ratio(key_a, key_b) >= 60


# ---------------------------------------------------------------------------------------
# the check


def _finding(
    pair: AlignedPair,
    context: CheckContext,
    o: Mention | None,
    v: Mention | None,
    evidence: dict[str, object],
) -> Finding:
    original_span, version_span = mention_spans(pair, context, o, v)
    if o is not None and v is not None:
        message = f"{o.text} became {v.text}"
        category, severity = "mistranslation", Severity.CRITICAL
    elif o is not None:
        message = f"{o.text} is not named in the version"
        category, severity = "omission", Severity.MAJOR
    else:
        assert v is not None
        message = f"{v.text} is named in the version but not in the original"
        category, severity = "addition", Severity.MAJOR
    return Finding(
        check="entity",
        category=category,
        severity=severity,
        message=message,
        original_span=original_span,
        version_span=version_span,
        evidence={
            "original_entity": o.entity if o else None,
            "version_entity": v.entity if v else None,
            **evidence,
        },
    )


def _unmatched(left: list[Mention], right: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    used: set[int] = set()
    rest = []
    for mention in left:
        k = next((k for k, r in enumerate(right) if k not in used
                  and r.entity == mention.entity), None)
        if k is None:
            rest.append(mention)
        else:
            used.add(k)
    return rest, [r for k, r in enumerate(right) if k not in used]


def _related(a: str, b: str) -> bool:
    key_a, key_b = a.partition(":")[2], b.partition(":")[2]
    parents = _parents()
    return parents.get(key_a) == key_b or parents.get(key_b) == key_a


@lru_cache(maxsize=64)
def _document_entities(text: str, lang: str) -> frozenset[str]:
    return frozenset(m.entity for m in find_gazetteer(text, lang))


@register("entity")
def check_entities(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.original_segments or not pair.version_segments:
        return []
    o_lang, v_lang = context.original.lang, context.version.lang
    o_text, v_text = pair.original_text, pair.version_text
    o_places = find_gazetteer(o_text, o_lang)
    v_places = find_gazetteer(v_text, v_lang)
    o_rest, v_rest = _unmatched(o_places, v_places)
    o_ids = {m.entity for m in o_places}
    v_ids = {m.entity for m in v_places}
    # A second mention of an entity the other side names once, or an agency named for its
    # parent organisation, is not a finding.
    o_rest = [m for m in o_rest if m.entity not in v_ids
              and not any(_related(m.entity, e) for e in v_ids)]
    v_rest = [m for m in v_rest if m.entity not in o_ids
              and not any(_related(m.entity, e) for e in o_ids)]
    findings = []
    for kind in ("country", "org", "city"):
        o_kind = [m for m in o_rest if m.kind == kind]
        v_kind = [m for m in v_rest if m.kind == kind]
        for o, v in zip(o_kind, v_kind, strict=False):
            findings.append(_finding(pair, context, o, v, {"kind": kind}))
        if context.mode != "translation" or kind != "org":
            continue
        if not organisations_known(o_lang) or not organisations_known(v_lang):
            continue  # the table has no names for this language's organisations
        # An organisation the other document names nowhere, under no name we know.
        v_known = _document_entities(context.version.text, v_lang)
        o_known = _document_entities(context.original.text, o_lang)
        for o in o_kind[len(v_kind) :]:
            if o.entity not in v_known and not name_found(o.text, v_text, v_lang):
                findings.append(_finding(pair, context, o, None, {"kind": kind}))
        for v in v_kind[len(o_kind) :]:
            if v.entity not in o_known and not name_found(v.text, o_text, o_lang):
                findings.append(_finding(pair, context, None, v, {"kind": kind}))
    findings += _compare_names(pair, context, o_places, v_places)
    return findings


def _compare_names(
    pair: AlignedPair,
    context: CheckContext,
    o_places: list[Mention],
    v_places: list[Mention],
) -> list[Finding]:
    o_lang, v_lang = context.original.lang, context.version.lang
    o_text, v_text = pair.original_text, pair.version_text
    o_names = find_names(o_text, o_lang, context.original, [(m.start, m.end) for m in o_places])
    v_names = find_names(v_text, v_lang, context.version, [(m.start, m.end) for m in v_places])
    o_missing = [n for n in o_names if not name_found(n.text, v_text, v_lang)]
    v_missing = [n for n in v_names if not name_found(n.text, o_text, o_lang)]
    similar = (pair.similarity or 0.0) >= context.calibration.match_threshold
    if context.mode != "translation":
        return []  # a re-report's sentences share too little for a missing name to mean much
    if len(o_missing) == 1 and len(v_missing) == 1 and similar:
        # One name where another stood, in a sentence that otherwise renders the original.
        o, v = o_missing[0], v_missing[0]
        o_words, v_words = len(o.text.split()), len(v.text.split())
        if abs(o_words - v_words) <= 1 and not _exonym_like(o.text, v.text):
            return [_finding(pair, context, o, v, {"kind": "name"})]
    # A person's full name that no spelling or transliteration finds anywhere in the other
    # document. Chinese and Japanese render foreign names by sound in characters that their
    # romanisation does not bring back, so a name is only looked for in scripts we can read.
    if not similar or not (_readable(o_lang) and _readable(v_lang)):
        return []
    findings = []
    for name in o_missing:
        if _full_name(name, o_lang) and not name_found(name.text, context.version.text, v_lang):
            findings.append(_finding(pair, context, name, None, {"kind": "name"}))
    for name in v_missing:
        if _full_name(name, v_lang) and not name_found(name.text, context.original.text, o_lang):
            findings.append(_finding(pair, context, None, name, {"kind": "name"}))
    return findings


def _readable(lang: str) -> bool:
    """Scripts in which a name keeps letters we can compare: Latin, Cyrillic, Arabic."""
    scripts = langdata.table(langdata.MULTILINGUAL, "scripts").get(lang, ())
    return _cased(lang) or "LATIN" in scripts or lang == "ar"


def _full_name(name: Mention, lang: str) -> bool:
    """A person's first and last name, the kind of name a translation always keeps: two
    capitalised words, one of them no everyday word ("Radio Free Europe", "Middle East" are
    names a translation translates)."""
    words = [w for w in _WORD.findall(name.text) if w[0].isupper()]
    return len(words) >= 2 and any(everyday_zipf(w, lang) < EVERYDAY_WORD_ZIPF for w in words)
