"""Word frequencies (wordfreq), the one place the checks ask how common a word is.

The name readers ask whether a capitalised word is an everyday word or a name; the
untranslated check asks whether a word shared with the original belongs to the original's
language rather than the version's. Both ask the same question of the same lists, so it is
answered, and memoised, here.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=65536)
def zipf(word: str, lang: str, wordlist: str = "small") -> float | None:
    """A word's frequency on the Zipf scale (log10 per billion words) in one of wordfreq's
    lists: "small" (words of Zipf 3 and more, 20 ms to load; rarer words count as 0) or
    "large" (0.3 s a language). None where there is no list for the language, or where the
    list's tokenizer needs a package that is not installed (Chinese needs jieba): each
    caller says what an unknown frequency means for it."""
    try:
        from wordfreq import zipf_frequency

        return float(zipf_frequency(word, lang, wordlist=wordlist))
    except (LookupError, ImportError, ValueError):
        return None
