"""Untranslated or code-mixed text: words of the original's language left in a version.

Sentence embeddings barely notice a word left in the source language ("the corona 病毒",
"after the momento of our concern"), yet a reader cannot. Two detectors: characters of a
script the version's language does not use, and, between languages written in the same
(Latin) script, words shared with the original that are common in the original's language
but rare in the version's (word frequencies from wordfreq).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from fidelity import langdata
from fidelity.checks.base import AlignedPair, CheckContext, Languages, parameters, register, span_in
from fidelity.config import Setting, number_between, section
from fidelity.lang import language_name
from fidelity.model import Finding, Severity
from fidelity.readers.currencies import is_currency_name
from fidelity.readers.words import zipf

LATIN = "LATIN"


def scripts(lang: str) -> frozenset[str] | None:
    """The scripts a language is written in (langdata `xx/scripts`); None where unknown."""
    names = langdata.table(langdata.MULTILINGUAL, "scripts").get(lang)
    return frozenset(names) if names else None


_SCRIPT_NAMES = {
    "CJK": "Chinese characters",
    "HIRAGANA": "Japanese kana",
    "KATAKANA": "Japanese kana",
    "HANGUL": "Korean script",
}
section(
    "untranslated",
    {
        "zipf-gap": Setting(
            "a number from 0 to 8", number_between(0, 8), 2.0,
            "a word shared with the original counts as left untranslated when it is at least "
            "this much more common (Zipf scale) in the original's language ...",
        ),
        "zipf-rare": Setting(
            "a number from 0 to 8", number_between(0, 8), 3.0,
            "... and rarer than this in the version's",
        ),
    },
)
_WORD = re.compile(r"[^\W\d_]{3,}")


@lru_cache(maxsize=65536)
def script_of(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    for script in (
        "CJK",
        "HIRAGANA",
        "KATAKANA",
        "HANGUL",
        "CYRILLIC",
        "ARABIC",
        "GREEK",
        "HEBREW",
        "THAI",
        "DEVANAGARI",
        "ARMENIAN",
        "GEORGIAN",
        LATIN,
    ):
        if name.startswith(script) or (script == "CJK" and "IDEOGRAPH" in name):
            return script
    return None


@register(
    "untranslated",
    languages=Languages(
        lambda: langdata.table(langdata.MULTILINGUAL, "scripts"), "script unknown", "version"
    ),
)
def check_untranslated(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.original_segments or not pair.version_segments:
        return []
    o_lang, v_lang = context.original.lang, context.version.lang
    expected = scripts(v_lang)
    if o_lang == v_lang or expected is None:
        return []
    runs = [
        (start, end, script)
        for start, end, script in _foreign_runs(pair.version_text, expected)
        if script != LATIN or _has_common_word(pair.version_text[start:end])
    ]
    findings = [
        _finding(
            pair,
            context,
            start,
            end,
            f"left in {_SCRIPT_NAMES.get(script, script.title())}",
            script,
        )
        for start, end, script in runs
    ]
    if expected == scripts(o_lang) == frozenset({LATIN}):
        findings.extend(
            _finding(pair, context, m.start(), m.end(), f"left in {language_name(o_lang)}", LATIN)
            for m in _shared_foreign_words(pair, o_lang, v_lang,
                                           parameters(context, "untranslated"))
        )
    return findings


def _has_common_word(run: str) -> bool:
    """Latin letters in a CJK, Cyrillic or Arabic text are mostly names and acronyms kept as
    they are (APEC, iPhone, Smith): only a lower-case word marks untranslated text."""
    return any(word.islower() for word in _WORD.findall(run))


def _foreign_runs(text: str, expected: frozenset[str]) -> list[tuple[int, int, str]]:
    """Runs of letters in a script the version's language does not use (spaces and
    punctuation inside a run keep it together)."""
    runs: list[tuple[int, int, str]] = []
    if expected == {LATIN} and text.isascii():
        return runs  # ASCII letters are all Latin: the common case, decided in C
    start = None
    script_now = None
    last_letter = -1
    for index, char in enumerate(text):
        script = script_of(char)
        if script is not None and script not in expected:
            if start is None:
                start, script_now = index, script
            last_letter = index
        elif script is not None and start is not None:
            runs.append((start, last_letter + 1, script_now or ""))
            start = None
    if start is not None:
        runs.append((start, last_letter + 1, script_now or ""))
    return runs


def _shared_foreign_words(
    pair: AlignedPair, o_lang: str, v_lang: str, settings: dict[str, Any]
) -> list[re.Match[str]]:
    original_words = {w.lower() for w in _WORD.findall(pair.original_text)}
    found = []
    for match in _WORD.finditer(pair.version_text):
        word = match.group(0)
        if word[0].isupper() or word.lower() not in original_words:
            continue  # names are shared across languages by design
        if is_currency_name(word):
            continue  # "reais", "lira": the currency's own name
        if _left_untranslated(word.lower(), o_lang, v_lang, settings["zipf-rare"],
                              settings["zipf-gap"]):
            found.append(match)
    return found


def _left_untranslated(word: str, o_lang: str, v_lang: str, rare: float, gap: float) -> bool:
    """Decided on wordfreq's small lists (words of Zipf 3 and more, 20 ms to load) where they
    settle it, and on the large lists (0.3 s a language) only where they do not. A word rare
    in the original's own language too (below Zipf 3) is no sign of untranslated text."""
    in_original = _frequency(word, o_lang, "small")
    if in_original < rare:
        return False
    in_version = _frequency(word, v_lang, "small")
    if in_version >= rare:
        return False  # common in the version's language as well
    if in_original - rare >= gap:
        return True  # rare in the version's language, so the gap holds whatever it is exactly
    return in_original - _frequency(word, v_lang, "large") >= gap


def _frequency(word: str, lang: str, wordlist: str) -> float:
    """An unknown frequency counts as 0: with no list for the original's language, nothing
    is reported."""
    return zipf(word, lang, wordlist) or 0.0


def _finding(
    pair: AlignedPair, context: CheckContext, start: int, end: int, how: str, script: str
) -> Finding:
    text = pair.version_text[start:end]
    return Finding(
        check="untranslated",
        category="untranslated",
        severity=Severity.MAJOR,
        message=f"untranslated: “{text}” {how}",
        original_span=pair.original_span(context.original),
        version_span=span_in(context.version, pair.version_segments, start, end),
        evidence={"text": text, "script": script},
    )
