"""Names of people and places read from capitalised words, and compared across scripts.

Other names than the gazetteer's are read from capitalised words in the scripts that have
case (titles and institution words from langdata cut a run), and compared across scripts by
transliteration (anyascii) and fuzzy matching (rapidfuzz), so "Белозерская" finds
"Belozerskaya" and "Budapeshte" finds "Budapest".
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz, process

from fidelity import langdata
from fidelity.model import Document
from fidelity.readers.gazetteer import Mention
from fidelity.readers.words import zipf


# Capitalised words that are titles or institutions rather than names: langdata
# `xx/title_words` (any Latin- or Cyrillic-script language), `title_stems` (the inflecting
# languages'); `xx/name_particles` are the lower-case words inside a name ("de", "van", "bin").
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


def names_read_in() -> tuple[str, ...]:
    """The languages whose names are read from capitals."""
    return tuple(lang for lang in langdata.languages() if _cased(lang))


def _cased(lang: str) -> bool:
    """Whether names are read from capitals (German capitalises every noun)."""
    return bool(langdata.prop(lang, "cased_names"))


def _inflecting(lang: str) -> bool:
    return bool(langdata.prop(lang, "inflecting"))


_WORD = re.compile(r"[^\W\d_][^\W\d_'’\-]*(?:[-'’][^\W\d_]+)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;«»\"“”„‘'(\[—–]\s*|\n\s*)$")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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
    from fidelity.readers.dates import month_pattern, weekday_pattern

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


_GREEK_OU = re.compile(r"[οό][υύ]", re.IGNORECASE)


@lru_cache(maxsize=65536)
def normalise_name(word: str) -> str:
    """A Latin spelling that transliterations of one name share."""
    # Greek "ου" is one vowel, u ("Παπαδόπουλος"), which anyascii spells "oy".
    text = anyascii(_GREEK_OU.sub("u", word)).lower()
    text = re.sub(r"['’`ʹʺ\-\s]", "", text)
    # "eu" / "ev": Greek and Cyrillic render the one diphthong ("Europe", "Evropa", "Evgeny");
    # "ou" / "u": French and Greek spell the vowel Cyrillic writes у ("Papadopoulos").
    for old, new in (("shch", "sh"), ("chzh", "zh"), ("eu", "ev"), ("ou", "u"), ("kh", "h"),
                     ("yu", "iu"), ("ya", "ia"), ("yo", "io"), ("ye", "ie"), ("ck", "k"),
                     ("ph", "f"), ("x", "ks"), ("y", "i"), ("w", "v")):
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
    return False


def exonym_like(a: str, b: str) -> bool:
    """Whether two names may be one place in two languages ("Bordeaux", "Burdeos")."""
    key_a, key_b = consonant_key(a), consonant_key(b)
    if not key_a or not key_b:
        return False
    return key_a[0] == key_b[0] and fuzz.ratio(key_a, key_b) >= 60


def names_readable(lang: str) -> bool:
    """Scripts in which a name keeps letters we can compare: Latin, Cyrillic, Arabic."""
    scripts = langdata.table(langdata.MULTILINGUAL, "scripts").get(lang, ())
    return _cased(lang) or "LATIN" in scripts or lang == "ar"


def translated_name(name: Mention, lang: str) -> bool:
    """A name made only of everyday words ("Free Europe", "Middle East"): a translation
    translates it, so its counterpart is no other name."""
    words = [w for w in _WORD.findall(name.text) if w[0].isupper()]
    return bool(words) and all(everyday_zipf(w, lang) >= EVERYDAY_WORD_ZIPF for w in words)


def full_name(name: Mention, lang: str) -> bool:
    """A person's first and last name, the kind of name a translation always keeps: two
    capitalised words, one of them no everyday word ("Radio Free Europe", "Middle East" are
    names a translation translates)."""
    words = [w for w in _WORD.findall(name.text) if w[0].isupper()]
    return len(words) >= 2 and any(everyday_zipf(w, lang) < EVERYDAY_WORD_ZIPF for w in words)
