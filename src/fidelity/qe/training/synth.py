"""Synthetic fidelity errors made from faithful pairs, each with the exact characters changed.

A faithful pair (original, version) is perturbed on one side so the error is known exactly:
the version gets a wrong number, name, polarity, hedge or scope (a span on the version), an
inserted clause (an addition span), or the original gets a clause the version lacks (an
omission span on the original). Word lists live in `lexicon/<lang>.json`; perturbations that
need none (numbers, names, clauses) work in every language.
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fidelity.qe.training.data import Example, make_example, stable_hash

LEXICON_DIR = Path(__file__).with_name("lexicon")

_NO_SPACE_LANGS = frozenset({"zh", "ja", "th"})


@dataclass(frozen=True)
class Pair:
    """A faithful pair in one direction, with the group of the sentence it came from.
    `complete` is False for a pair known only to have no major error (a critical-error
    'NOT'): an error made from it is certain, the rest of its words are not."""

    src: str
    tgt: str
    src_lang: str
    tgt_lang: str
    group: str
    origin: str
    complete: bool = True


@dataclass(frozen=True)
class Edit:
    """A perturbation's result: the new texts and the changed spans on each side."""

    src: str
    tgt: str
    tgt_spans: tuple[tuple[int, int, str, str], ...] = ()
    src_spans: tuple[tuple[int, int, str], ...] = ()
    omission: str | None = None


@cache
def lexicon(lang: str) -> dict:
    """The word lists of one language; empty when none are written for it."""
    path = LEXICON_DIR / f"{lang}.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def both_directions(examples: Sequence[Example]) -> list[Pair]:
    """Faithful pairs as given and swapped, so X->en data also teaches en->X."""
    pairs = []
    for e in examples:
        pairs.append(
            Pair(e.src, e.tgt, e.src_lang, e.tgt_lang, e.group, e.origin, e.spans_complete)
        )
        pairs.append(
            Pair(e.tgt, e.src, e.tgt_lang, e.src_lang, e.group, e.origin, e.spans_complete)
        )
    return pairs


# ---------------------------------------------------------------- matching helpers


def _word_pattern(word: str, lang: str, not_after: str = "") -> re.Pattern[str]:
    escaped = re.escape(word)
    if lang in _NO_SPACE_LANGS:
        guard = f"(?<![{re.escape(not_after)}])" if not_after else ""
        return re.compile(guard + escaped)
    return re.compile(rf"(?<!\w){escaped}(?!\w)")


def _replace(text: str, start: int, end: int, new: str) -> tuple[str, tuple[int, int]]:
    """Replace text[start:end]; the span of the new words (the neighbouring word when the
    replacement deletes, so a changed meaning always has characters to point at)."""
    out = text[:start] + new + text[end:]
    if new.strip():
        lead = len(new) - len(new.lstrip())
        trail = len(new) - len(new.rstrip())
        return out, (start + lead, start + len(new) - trail)
    return out, _neighbour_word(out, start)


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def _neighbour_word(text: str, index: int) -> tuple[int, int]:
    """The word after `index` (before it at the end of the text); in scripts written without
    spaces, a number or at most two characters, not the whole run up to the next comma."""
    start = index
    while start < len(text) and not text[start].isalnum():
        start += 1
    end = start
    while end < len(text) and (text[end].isalnum() or text[end] in "-'’"):
        end += 1
    if start < end and _CJK.search(text[start:end]):
        if text[start].isdigit():
            end = start + len(re.match(r"\d+", text[start:]).group())
        else:
            end = min(end, start + 2)
    if start < end:
        return start, end
    end = index
    while end > 0 and not text[end - 1].isalnum():
        end -= 1
    start = end
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    return start, end


def _match_case(found: str, new: str) -> str:
    if found[:1].isupper() and new[:1].islower():
        return new[:1].upper() + new[1:]
    return new


def _swap_from_pairs(
    text: str, lang: str, pairs: Sequence[Sequence[str]], rng: random.Random, both_ways: bool
) -> tuple[str, tuple[int, int]] | None:
    """Apply one (a -> b) replacement from a list found in `text` (b -> a too when asked).
    A match inside a longer listed phrase is skipped, so "is" in "is not" is not negated
    again."""
    candidates = []
    occurrences = []
    for entry in pairs:
        a, b = entry[0], entry[1]
        not_after = entry[2] if len(entry) > 2 else ""
        for old, new in [(a, b), (b, a)]:
            if not old.strip():
                continue
            for match in _compiled(old, lang, not_after).finditer(text):
                occurrences.append((match.start(), match.end()))
                if old == a or both_ways:
                    candidates.append((match.start(), match.end(), new))
    candidates = [
        (start, end, new)
        for start, end, new in candidates
        if not any(s <= start and end <= e and e - s > end - start for s, e in occurrences)
    ]
    if not candidates:
        return None
    start, end, new = rng.choice(sorted(candidates))
    return _replace(text, start, end, _match_case(text[start:end], new))


@cache
def _compiled(word: str, lang: str, not_after: str) -> re.Pattern[str]:
    flags = re.IGNORECASE if word[:1].isalpha() and not word.isupper() else 0
    return re.compile(_word_pattern(word, lang, not_after).pattern, flags)


def _one(edit_text: tuple[str, tuple[int, int]] | None, pair: Pair, severity: str,
         category: str) -> Edit | None:
    if edit_text is None:
        return None
    tgt, (start, end) = edit_text
    if tgt == pair.tgt or start >= end:
        return None
    return Edit(pair.src, tgt, ((start, end, severity, category),))


# ---------------------------------------------------------------- perturbations


# digits not glued to Latin letters or other digits (a CJK character next to them is fine)
_NUMBER = re.compile(
    r"(?<![0-9A-Za-z.,])\d+(?:[.,\u202f\u00a0 ]\d{3})*(?:[.,]\d+)?(?![0-9A-Za-z])"
)


def perturb_number(pair: Pair, rng: random.Random, pools: Pools) -> Edit | None:
    """A number changed: a year shifted, a quantity scaled or its digits altered."""
    matches = list(_NUMBER.finditer(pair.tgt))
    if not matches:
        return None
    match = rng.choice(matches)
    digits = match.group()
    plain = re.sub(r"\D", "", digits)
    if len(plain) == 4 and 1800 <= int(plain) <= 2099 and digits == plain:
        new = str(int(plain) + rng.choice([-10, -5, -3, -2, -1, 1, 2, 3, 5, 10]))
    else:
        new = _change_digits(digits, rng)
    return _one(_replace(pair.tgt, match.start(), match.end(), new), pair, "major",
                "mistranslation")


def _change_digits(digits: str, rng: random.Random) -> str:
    positions = [i for i, ch in enumerate(digits) if ch.isdigit()]
    choice = rng.random()
    if choice < 0.4 and len(positions) >= 2:
        i, j = rng.sample(positions, 2)
        if digits[i] != digits[j]:
            chars = list(digits)
            chars[i], chars[j] = chars[j], chars[i]
            return "".join(chars)
    if choice < 0.7:
        chars = list(digits)
        i = rng.choice(positions)
        chars[i] = rng.choice([d for d in "0123456789" if d != chars[i] and (i or d != "0")])
        return "".join(chars)
    value = int(re.sub(r"\D", "", digits) or "0")
    factor = rng.choice([2, 3, 10, 100])
    return str(value * factor if rng.random() < 0.5 or value < factor else value // factor)


def perturb_date(pair: Pair, rng: random.Random, pools: Pools) -> Edit | None:
    """A month or weekday replaced by another."""
    lex = lexicon(pair.tgt_lang)
    for key in rng.sample(["months", "weekdays"], 2):
        names = lex.get(key, [])
        edit = _swap_within(pair, names, rng)
        if edit is not None:
            return edit
    return None


def _swap_within(pair: Pair, names: Sequence[str], rng: random.Random) -> Edit | None:
    found = []
    for name in names:
        for match in _word_pattern(name, pair.tgt_lang).finditer(pair.tgt):
            found.append((match.start(), match.end(), name))
    if not found:
        return None
    start, end, name = rng.choice(sorted(found))
    new = rng.choice([n for n in names if n != name])
    return _one(_replace(pair.tgt, start, end, _match_case(pair.tgt[start:end], new)), pair,
                "major", "mistranslation")


def perturb_currency_unit(pair: Pair, rng: random.Random, pools: Pools) -> Edit | None:
    """A currency or unit replaced by another of its kind (euros -> dollars, km -> miles)."""
    lex = lexicon(pair.tgt_lang)
    groups = lex.get("currencies", []) + lex.get("units", [])
    found = []
    for group_index, group in enumerate(groups):
        for word in group:
            flags = 0 if word.isupper() or not word[:1].isalpha() else re.IGNORECASE
            pattern = re.compile(_word_pattern(word, pair.tgt_lang).pattern, flags)
            for match in pattern.finditer(pair.tgt):
                found.append((match.start(), match.end(), group_index))
    if not found:
        return None
    start, end, group_index = rng.choice(sorted(found))
    family = "currencies" if group_index < len(lex.get("currencies", [])) else "units"
    first = 0 if family == "currencies" else len(lex.get("currencies", []))
    last = len(lex.get("currencies", [])) if family == "currencies" else len(groups)
    others = [i for i in range(first, last) if i != group_index]
    if not others:
        return None
    new = rng.choice(groups[rng.choice(others)])
    return _one(_replace(pair.tgt, start, end, new), pair, "major", "mistranslation")


def perturb_negation(pair: Pair, rng: random.Random, pools: Pools) -> Edit | None:
    """An affirmative turned negative or a negative affirmative."""
    pairs = lexicon(pair.tgt_lang).get("negation", [])
    return _one(_swap_from_pairs(pair.tgt, pair.tgt_lang, pairs, rng, True), pair, "major",
                "mistranslation")


def perturb_polarity(pair: Pair, rng: random.Random, pools: Pools) -> Edit | None:
    """A word replaced by its opposite (rose -> fell, won -> lost)."""
    pairs = lexicon(pair.tgt_lang).get("antonyms", [])
    return _one(_swap_from_pairs(pair.tgt, pair.tgt_lang, pairs, rng, True), pair, "major",
                "mistranslation")


def perturb_hedge_removed(pair: Pair, rng: random.Random, pools: Pools) -> Edit | None:
    """A hedge or a source dropped: what was reported or possible now reads as fact; or an
    approximation ('about', 'up to') dropped before its number, which becomes exact."""
    lex = lexicon(pair.tgt_lang)
    approximate = []
    for word in lex.get("approximators", []):
        pattern = _compiled(word, pair.tgt_lang, "")
        for match in pattern.finditer(pair.tgt):
            gap = re.match(r"\s*(?=\d)", pair.tgt[match.end() :])
            if gap is not None:
                approximate.append((match.start(), match.end() + gap.end()))
    swapped = _swap_from_pairs(pair.tgt, pair.tgt_lang, lex.get("hedge_to_certain", []), rng,
                               False)
    if approximate and (swapped is None or rng.random() < 0.5):
        start, end = rng.choice(sorted(approximate))
        swapped = _replace(pair.tgt, start, end, "")
    return _one(swapped, pair, "major", "mistranslation")


def perturb_hedge_added(pair: Pair, rng: random.Random, pools: Pools) -> Edit | None:
    """A fact turned into a possibility, or attributed to a source the original lacks."""
    lex = lexicon(pair.tgt_lang)
    pairs = [(b, a) for a, b, *_ in lex.get("hedge_to_certain", []) if b.strip()]
    pairs += [tuple(p) for p in lex.get("certain_to_hedge", [])]
    suffixes = lex.get("sourcing_suffixes", [])
    if suffixes and (rng.random() < 0.4 or not pairs):
        body, final = _split_final(pair.tgt)
        if not body or any(s.strip(" ,，") in pair.tgt for s in suffixes):
            return None
        suffix = rng.choice(suffixes)
        start = len(body) + len(suffix) - len(suffix.lstrip(" ,，"))
        tgt = body + suffix + final
        return Edit(pair.src, tgt, ((start, len(body) + len(suffix), "major", "addition"),))
    return _one(_swap_from_pairs(pair.tgt, pair.tgt_lang, pairs, rng, False), pair, "major",
                "mistranslation")


def perturb_scope(pair: Pair, rng: random.Random, pools: Pools) -> Edit | None:
    """A direction or scope changed (both directions -> one, adjacent states -> our own)."""
    pairs = lexicon(pair.tgt_lang).get("scope", [])
    return _one(_swap_from_pairs(pair.tgt, pair.tgt_lang, pairs, rng, True), pair, "major",
                "mistranslation")


def perturb_gender(pair: Pair, rng: random.Random, pools: Pools) -> Edit | None:
    """A person's gender changed (he -> she, father -> mother)."""
    pairs = lexicon(pair.tgt_lang).get("gender", [])
    return _one(_swap_from_pairs(pair.tgt, pair.tgt_lang, pairs, rng, True), pair, "major",
                "mistranslation")


def perturb_typo(pair: Pair, rng: random.Random, pools: Pools) -> Edit | None:
    """Two letters of a word swapped or one dropped: a minor fluency slip, so the model learns
    that a changed word is not by itself a major error."""
    if pair.tgt_lang in _NO_SPACE_LANGS:  # no words to misspell, only characters
        return None
    # alphabetic scripts only: elsewhere a dropped letter may break a syllable cluster
    words = list(re.finditer(r"[A-Za-zÀ-ɏЀ-ӿ]{4,}", pair.tgt))
    if not words:
        return None
    match = rng.choice(words)
    word = match.group()
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5 and word[i] != word[i + 1]:
        new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    else:
        new = word[:i] + word[i + 1 :]
    return _one(_replace(pair.tgt, match.start(), match.end(), new), pair, "minor", "fluency")


def benign_rewording(pair: Pair, rng: random.Random, pools: Pools) -> Edit | None:
    """A word replaced by an equivalent: the version changes, its meaning does not, so the
    model learns that a different word is not by itself an error."""
    pairs = lexicon(pair.tgt_lang).get("equivalents", [])
    swapped = _swap_from_pairs(pair.tgt, pair.tgt_lang, pairs, rng, True)
    if swapped is None or swapped[0] == pair.tgt:
        return None
    return Edit(pair.src, swapped[0])


_QUOTES = re.compile(
    r"“([^”]{6,})”|\"([^\"]{6,})\"|«\s?([^»]{6,}?)\s?»|„([^“”]{6,})[“”]|「([^」]{2,})」"
)


def perturb_quote(pair: Pair, rng: random.Random, pools: Pools) -> Edit | None:
    """Words inside a quotation turned to say the opposite (negated or an antonym)."""
    lex = lexicon(pair.tgt_lang)
    quotes = list(_QUOTES.finditer(pair.tgt))
    if not quotes:
        return None
    match = rng.choice(quotes)
    group = next(i for i in range(1, 6) if match.group(i) is not None)
    start, end = match.start(group), match.end(group)
    inner = pair.tgt[start:end]
    swapped = _swap_from_pairs(
        inner, pair.tgt_lang, lex.get("negation", []) + lex.get("antonyms", []), rng, True
    )
    if swapped is None:
        return None
    new_inner, (s, e) = swapped
    tgt = pair.tgt[:start] + new_inner + pair.tgt[end:]
    return _one((tgt, (start + s, start + e)), pair, "major", "mistranslation")


def perturb_name(pair: Pair, rng: random.Random, pools: Pools) -> Edit | None:
    """A name (a capitalised word both sides share) swapped for a name from another sentence."""
    names = shared_names(pair)
    pool = pools.names.get(pair.tgt_lang, [])
    if not names or len(pool) < 2:
        return None
    start, end = rng.choice(names)
    old = pair.tgt[start:end]
    for _ in range(5):
        new = rng.choice(pool)
        if new != old and new not in pair.src and new not in pair.tgt:
            return _one(_replace(pair.tgt, start, end, new), pair, "major", "mistranslation")
    return None


_UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ"
_CAPITALISED = re.compile(rf"(?<![\w-])[{_UPPER}][\w-]{{2,}}(?:\s[{_UPPER}][\w-]{{2,}})*")


def shared_names(pair: Pair) -> list[tuple[int, int]]:
    """Capitalised words of the version, not starting a sentence, that the original also has
    (a name copied across languages) or, in a cased script, that look like a name."""
    out = []
    for match in _CAPITALISED.finditer(pair.tgt):
        before = pair.tgt[: match.start()].rstrip()
        if not before or before[-1] in ".!?:\"'«»“”„(":
            continue
        word = match.group()
        if word in pair.src or word.split()[0] in pair.src:
            out.append((match.start(), match.end()))
    return out


_YEAR = re.compile(r"(?<![0-9A-Za-z.,])(?:1[5-9]|20)\d\d(?![0-9A-Za-z])")


def perturb_entity_dropped(pair: Pair, rng: random.Random, pools: Pools) -> Edit | None:
    """A year or name both sides share left out of the version (with the preposition that
    leads it, 'in 1934', where the language's word list has one): the omission is located
    exactly on the original, where it stays. Other numbers are left alone: without their unit
    the sentence would not read."""
    candidates = [
        (m.start(), m.end()) for m in _YEAR.finditer(pair.tgt) if m.group() in pair.src
    ] + shared_names(pair)
    candidates = [(s, e) for s, e in candidates if pair.src.count(pair.tgt[s:e]) == 1]
    if not candidates:
        return None
    start, end = rng.choice(sorted(candidates))
    word = pair.tgt[start:end]
    if pair.tgt_lang in _NO_SPACE_LANGS:
        lead = re.search(r"[在于]$", pair.tgt[:start]) if word.isdigit() else None
        cut_start = start - 1 if lead else start
        end += pair.tgt[end : end + 1] == "年"
    else:
        lead = re.search(r"(?:^|\s)(\S+\s+)$", pair.tgt[:start])
        prepositions = lexicon(pair.tgt_lang).get("prepositions", [])
        leads = lead is not None and lead.group(1).strip().lower() in prepositions
        cut_start = start - len(lead.group(1)) if leads and lead else start
    before, after = pair.tgt[:cut_start].rstrip(" "), pair.tgt[end:].lstrip(" ")
    if before and after and before[-1] in "(（[" and after[0] in ")）]":  # no empty brackets
        before, after = before[:-1].rstrip(" "), after[1:].lstrip(" ")
    if not before:  # the sentence opened with it: no stray comma, the capital kept
        after = after.lstrip(" ,，、;；:")
        after = after[:1].upper() + after[1:]
    elif after and before[-1] in ",，;；" and after[0] in ",，;；":
        after = after[1:].lstrip(" ")
    joiner = "" if (not before or not after or after[0] in ".,;:!?)»”\"'，。、"
                    or pair.tgt_lang in _NO_SPACE_LANGS) else " "
    tgt = before + joiner + after
    if not tgt.strip() or tgt == pair.tgt:
        return None
    src_start = pair.src.index(word)
    return Edit(pair.src, tgt, (), ((src_start, src_start + len(word), "omission"),),
                omission="major")


_CLAUSE_SPLIT = re.compile(r"[,;]\s+|[，；、]\s*")
_FINAL = re.compile(r"[\s.!?。！？…\"'”»」)]*$")


def _split_final(text: str) -> tuple[str, str]:
    match = _FINAL.search(text)
    index = match.start() if match else len(text)
    return text[:index], text[index:]


def clause_candidates(text: str, lang: str) -> list[str]:
    """Comma-delimited pieces of a sentence that read as a clause on their own."""
    body, _ = _split_final(text)
    out = []
    for piece in _CLAUSE_SPLIT.split(body):
        piece = piece.strip(" \"'“”«»„()")
        size = len(piece) if lang in _NO_SPACE_LANGS else len(piece.split())
        low, high = (6, 30) if lang in _NO_SPACE_LANGS else (3, 14)
        if low <= size <= high:
            out.append(piece)
    return out


def _insert_clause(
    text: str, clause: str, lang: str, rng: random.Random, lowercase: frozenset[str]
) -> tuple[str, int, int]:
    """Insert a clause at a comma or before the final punctuation; its span in the result.
    A capitalised first word is lowered only when the language writes it lower-case
    elsewhere (a common word, not a name)."""
    comma = "，" if lang in ("zh", "ja") else ", "
    body, final = _split_final(text)
    points = [m.end() for m in re.finditer(r"[,，]\s*", body)]
    if points and rng.random() < 0.5:
        point = rng.choice(points)
        insertion = clause + comma
        start = point
    else:
        point = len(body)
        insertion = comma + clause
        start = point + len(comma)
    first = clause.split()[0] if clause.split() else ""
    if first[:1].isupper() and first.lower() in lowercase:
        insertion = insertion.replace(clause, clause[:1].lower() + clause[1:], 1)
    new = body[:point] + insertion + body[point:] + final
    return new, start, start + len(clause)


def perturb_clause_added(pair: Pair, rng: random.Random, pools: Pools) -> Edit | None:
    """A clause from another sentence inserted in the version: an addition."""
    pool = pools.clauses.get(pair.tgt_lang, [])
    if not pool:
        return None
    clause = rng.choice(pool)
    if clause in pair.tgt:
        return None
    tgt, start, end = _insert_clause(
        pair.tgt, clause, pair.tgt_lang, rng, pools.lowercase.get(pair.tgt_lang, frozenset())
    )
    return Edit(pair.src, tgt, ((start, end, "major", "addition"),))


def perturb_clause_dropped(pair: Pair, rng: random.Random, pools: Pools) -> Edit | None:
    """The version lacks a clause: made by adding one to the original, so the omitted words
    are known exactly on the original's side."""
    pool = pools.clauses.get(pair.src_lang, [])
    if not pool:
        return None
    clause = rng.choice(pool)
    if clause in pair.src:
        return None
    src, start, end = _insert_clause(
        pair.src, clause, pair.src_lang, rng, pools.lowercase.get(pair.src_lang, frozenset())
    )
    return Edit(src, pair.tgt, (), ((start, end, "omission"),), omission="major")


@dataclass
class Pools:
    """Material taken from other sentences: names and clauses per language."""

    names: dict[str, list[str]]
    clauses: dict[str, list[str]]
    lowercase: dict[str, frozenset[str]]  # words seen written lower-case, per language

    @classmethod
    def from_pairs(cls, pairs: Sequence[Pair]) -> Pools:
        names: dict[str, set[str]] = defaultdict(set)
        clauses: dict[str, set[str]] = defaultdict(set)
        lowercase: dict[str, set[str]] = defaultdict(set)
        for pair in pairs:
            lowercase[pair.tgt_lang].update(w for w in pair.tgt.split()[1:] if w[:1].islower())
            for start, end in shared_names(pair):
                names[pair.tgt_lang].add(pair.tgt[start:end])
            clauses[pair.tgt_lang].update(clause_candidates(pair.tgt, pair.tgt_lang))
        return cls(
            {lang: sorted(v) for lang, v in names.items()},
            {lang: sorted(v) for lang, v in clauses.items()},
            {lang: frozenset(v) for lang, v in lowercase.items()},
        )


Perturbation = Callable[[Pair, random.Random, Pools], Edit | None]

KINDS: dict[str, Perturbation] = {
    "number": perturb_number,
    "date": perturb_date,
    "currency_unit": perturb_currency_unit,
    "name": perturb_name,
    "negation": perturb_negation,
    "polarity": perturb_polarity,
    "hedge_removed": perturb_hedge_removed,
    "hedge_added": perturb_hedge_added,
    "quote": perturb_quote,
    "scope": perturb_scope,
    "gender": perturb_gender,
    "clause_added": perturb_clause_added,
    "clause_dropped": perturb_clause_dropped,
    "entity_dropped": perturb_entity_dropped,
    "typo": perturb_typo,
    "benign": benign_rewording,
}
# kinds whose result is still a faithful pair (no spans, no major error)
FAITHFUL_KINDS = frozenset({"benign"})


def synthesise(
    pairs: Sequence[Pair],
    counts: dict[str, int],
    seed: int,
    pools: Pools | None = None,
    id_prefix: str = "synth",
) -> list[Example]:
    """Up to `counts[kind]` examples of each kind, spread over the version languages in turn,
    each faithful pair used at most once per kind (fully labelled pairs before those with a
    segment label only); the same seed gives the same examples."""
    pools = pools or Pools.from_pairs(pairs)
    by_lang: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_lang[pair.tgt_lang].append(pair)
    examples: list[Example] = []
    for kind, wanted in counts.items():
        perturb = KINDS[kind]
        rng = random.Random(stable_hash(kind, key=str(seed)))
        # popped from the end: pairs with complete labels first, segment-label-only ones
        # only where a language runs out of them
        queues = {
            lang: _shuffled([p for p in items if not p.complete], rng)
            + _shuffled([p for p in items if p.complete], rng)
            for lang, items in sorted(by_lang.items())
        }
        made = 0
        while made < wanted and queues:
            for lang in list(queues):
                queue = queues[lang]
                edit = None
                while queue and edit is None:
                    pair = queue.pop()
                    edit = perturb(pair, rng, pools)
                if not queue:
                    del queues[lang]
                if edit is None:
                    continue
                examples.append(_as_example(edit, pair, kind, f"{id_prefix}:{kind}:{made}"))
                made += 1
                if made >= wanted:
                    break
    return examples


def _shuffled(items: list[Pair], rng: random.Random) -> list[Pair]:
    return rng.sample(items, len(items))


def _as_example(edit: Edit, pair: Pair, kind: str, id: str) -> Example:
    return make_example(
        id=id,
        origin=f"synth-{kind}",
        src=edit.src,
        tgt=edit.tgt,
        src_lang=pair.src_lang,
        tgt_lang=pair.tgt_lang,
        group=pair.group,
        tgt_spans=edit.tgt_spans,
        src_spans=edit.src_spans,
        omission=edit.omission,
        spans_complete=pair.complete,
    )
