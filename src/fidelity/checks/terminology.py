"""Glossary terms rendered otherwise: "Служба внешней разведки" must become "Foreign
Intelligence Service", not "Foreign Spy Agency".

Off by default: it runs when a glossary is given (`context.settings["glossary"]`, a
`Glossary` or the path of a glossary file, as `fidelity.toml`'s `glossary` key gives it).
For each glossary entry with terms in both languages, when one of its original-language
terms occurs in the pair's original text and none of its version-language terms occurs in
the pair's version text, the pair gets a terminology finding (minor, or the entry's own
severity).

How a term is found in a text:

* case-insensitively, except words written all in capitals (acronyms: "US", "ЦРУ"), which
  must match as written, so that the glossary's "US" does not match "let us";
* whole words in languages written with spaces; as a plain substring in Chinese, Japanese,
  Thai, Lao, Khmer and Burmese, which are not;
* any run of whitespace between the words; ' and ’ interchangeable; е and ё interchangeable
  in Russian, Ukrainian and Belarusian;
* simple inflection in ru, uk, be, ar, fr, es, de: each word of at least five letters
  matches by its stem (the word less its last letter, or last two letters from seven letters
  on) followed by up to two letters more than were cut, so "Служба внешней разведки" also
  matches "Службы внешней разведки" and "Службой внешней разведки". Words written in
  capitals are not stemmed. In Arabic the first word may also carry the proclitics و ف ب ك ل
  (with the article: وال، بال، لل...). This is a prefix heuristic, not a morphological
  analyser: it finds the common case forms and may, rarely, match a related word;
* in English the last word may take a plural s/es ("sanction" matches "sanctions").

When terms of two entries overlap in the original (the glossary has both "разведка" and
"Служба внешней разведки"), the longer match wins and the shorter one is not checked there.
The check is per aligned pair and asks for presence only: one rendering in the version
satisfies any number of occurrences in the original.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from fidelity import langdata
from fidelity.checks.base import AlignedPair, CheckContext, register, span_in
from fidelity.errors import FidelityInputError
from fidelity.io.glossary import Entry, Glossary, load_glossary
from fidelity.model import Finding

# Language properties (langdata `language.toml`): `no_space` (a term is found anywhere in a
# text written without spaces), `term_stems` (a term's long words match in any inflection),
# `yo_as_ye` (ё written as е), `term_plural` (the plural ending of a term's last word).
_APOSTROPHES = "'’ʼ"
_MIN_STEMMED = 5


@register("terminology", default=False)
def check_terminology(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    glossary = glossary_setting(context.settings.get("glossary"))
    if glossary is None or not pair.original_segments or not pair.version_segments:
        return []
    o_lang, v_lang = context.original.lang, context.version.lang
    entries = glossary.entries_for(o_lang, v_lang)
    if not entries:
        return []
    o_folded = _fold(pair.original_text)
    hits: list[tuple[Entry, str, list[re.Match[str]]]] = []
    for entry in entries:
        for term in entry.terms[o_lang]:
            matches = find_term(pair.original_text, term, o_lang, o_folded)
            if matches:
                hits.append((entry, term, matches))
                break
    if not hits:
        return []
    hits.sort(key=lambda hit: -max(m.end() - m.start() for m in hit[2]))
    claimed: list[tuple[int, int]] = []
    v_folded = _fold(pair.version_text)
    findings: list[Finding] = []
    for entry, term, matches in hits:
        free = [m for m in matches if not any(m.start() < e and s < m.end() for s, e in claimed)]
        if not free:
            continue  # part of a longer glossary term found at the same place
        claimed.extend((m.start(), m.end()) for m in free)
        required = entry.terms[v_lang]
        if any(find_term(pair.version_text, r, v_lang, v_folded) for r in required):
            continue
        findings.append(_finding(pair, context, entry, term, free[0], required))
    return findings


def _finding(
    pair: AlignedPair,
    context: CheckContext,
    entry: Entry,
    term: str,
    match: re.Match[str],
    required: tuple[str, ...],
) -> Finding:
    quoted = [f"“{r}”" for r in required]
    wanted = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    evidence: dict[str, object] = {
        "term": term,
        "matched": match.group(0),
        "required": list(required),
        "language": context.version.lang,
    }
    if entry.note:
        evidence["note"] = entry.note
    return Finding(
        check="terminology",
        category="terminology",
        severity=entry.severity,
        message=f"“{term}” must be rendered {wanted}",
        original_span=span_in(context.original, pair.original_segments, match.start(), match.end()),
        version_span=pair.version_span(context.version),
        evidence=evidence,
    )


# ---------------------------------------------------------------------------------------------
# Finding terms


def find_term(text: str, term: str, lang: str, folded: str | None = None) -> list[re.Match[str]]:
    """Every occurrence of a glossary term in a text, by the rules in the module docstring.

    `folded` is `_fold(text)`, passed by callers that look for many terms in one text: a
    term whose longest literal piece is not in it cannot match, and is skipped cheaply."""
    anchor, pattern = _pattern_source(term, lang)
    if not anchor:
        return []
    if anchor not in (folded if folded is not None else _fold(text)):
        return []
    # Compiled only once the anchor is found: compiling every term of a large glossary for
    # every pair was nearly all the time of a check with one.
    return list(re.finditer(pattern, text, re.IGNORECASE))


@lru_cache(maxsize=262144)
def _pattern_source(term: str, lang: str) -> tuple[str, str]:
    words = term.split()
    pieces: list[str] = []
    anchor = ""
    for position, word in enumerate(words):
        piece, literal = _word(word, lang, first=position == 0, last=position == len(words) - 1)
        pieces.append(piece)
        if len(_fold(literal)) > len(anchor):
            anchor = _fold(literal)
    body = r"\s+".join(pieces)
    if not langdata.prop(lang, "no_space"):
        body = rf"(?<!\w){body}(?!\w)"
    return anchor, body


def _word(word: str, lang: str, first: bool, last: bool) -> tuple[str, str]:
    """A word's pattern and the literal text every match of it contains."""
    acronym = sum(ch.isalpha() for ch in word) >= 2 and word.upper() == word != word.lower()
    if acronym:
        return f"(?-i:{_literal(word, lang)})", word
    prefix = ""
    if lang == "ar" and first:
        if word.startswith("ال") and len(word) > 2:
            word = word[2:]
            prefix = "(?:[وف]?[بك]?ال|[وف]?لل)"
        else:
            prefix = "(?:[وف]?[بلك]?)"
    if langdata.prop(lang, "term_stems") and len(word) >= _MIN_STEMMED and word.isalpha():
        cut = 1 if len(word) < 7 else 2
        stem = word[:-cut]
        return rf"{prefix}{_literal(stem, lang)}\w{{0,{cut + 2}}}", stem
    plural = langdata.prop(lang, "term_plural", "")
    if plural and last and word.isalpha():
        return rf"{_literal(word, lang)}{plural}", word
    return prefix + _literal(word, lang), word


def _literal(text: str, lang: str) -> str:
    out = []
    for ch in text:
        if ch in _APOSTROPHES:
            out.append("['’ʼ]")
        elif ch in "еёЕЁ" and langdata.prop(lang, "yo_as_ye"):
            out.append("[еёЕЁ]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _fold(text: str) -> str:
    """Lower case, ё as е, one apostrophe: what the cheap containment test compares."""
    folded = text.lower().replace("ё", "е")
    for ch in _APOSTROPHES[1:]:
        folded = folded.replace(ch, "'")
    return folded


# ---------------------------------------------------------------------------------------------
# The setting


_LOADED: dict[tuple[str, int, int], Glossary] = {}


def glossary_setting(value: object) -> Glossary | None:
    """The glossary a setting names: a `Glossary`, a file path (loaded once per file
    version), or None for no glossary."""
    if value is None or isinstance(value, Glossary):
        return value
    if isinstance(value, (str, os.PathLike)):
        path = Path(value)
        try:
            stat = path.stat()
        except OSError:
            return load_glossary(path)  # raises the usual "no such file" message
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        if key not in _LOADED:
            _LOADED.clear()
            _LOADED[key] = load_glossary(path)
        return _LOADED[key]
    raise FidelityInputError(
        f"the glossary setting must be a file path, not {type(value).__name__}"
    )
