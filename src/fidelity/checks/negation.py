"""A claim turned into its opposite: "did not confirm" rendered as "confirmed".

One dropped "не" or "not" reverses a news claim, yet leaves the sentence's embedding almost
where it was. Negation cues are counted per clause in each language, together with the verbs
that carry a negation in their meaning ("rule out", "deny", "descartar", "排除"), so that "did
not rule out" (two cues) reads as the affirmative it is and "descartó" (one) as a negation.
A clause whose count is odd on one side and even on the clause that renders it on the other
side is a reversed claim. A small table of opposite verbs (rose / fell) catches the same
reversal made without any negation word.

Words that negate only in form are masked first: "not only", "no later than", French
restrictive "ne ... que", Arabic "لا يزال" (still), Chinese "不断" (constantly), "未来"
(future). Words meaning "without" are not counted: translators render them by negative
prefixes ("sans réponse", "unanswered") as often as by a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from fidelity import langdata
from fidelity.checks.base import AlignedPair, CheckContext, Languages, register, span_in
from fidelity.model import Finding, Segment, Severity
from fidelity.readers.clauses import Clause, clause_similarities, split_clauses

# The cue lists per language (langdata, regular expressions): plain negators counted one each
# (`negators`, and `negator_affixes` written onto another word, "n't"); words that negate
# only where no plain negator stands near (`concord`); verbs whose meaning holds a negation,
# counted one each, so "did not rule out" counts two (`negative_verbs`); forms of negation
# that negate nothing (`negation_masks`); negation carried by a word's form or meaning,
# never counted (`lexical_negation`); opposite directions (`up`, `down`).
_TABLES = {"neg": "negators", "concord": "concord", "verb": "negative_verbs",
           "mask": "negation_masks", "up": "up", "down": "down", "lexical": "lexical_negation"}


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    text: str
    verb: bool = False  # a verb like "ruled out", not a negation word


@lru_cache(maxsize=128)
def _compile(lang: str, table: str) -> re.Pattern[str] | None:
    words = langdata.words(lang, _TABLES[table])
    if not words:
        return None
    alternatives = "|".join(sorted(words, key=len, reverse=True))
    if langdata.prop(lang, "no_space"):
        return re.compile(f"(?:{alternatives})")
    flags = re.IGNORECASE
    if table in {"up", "down"} and langdata.prop(lang, "lowercase_cues"):
        flags = 0  # "Up" in a name, "Cut" in a title: lower case only
    affixes = langdata.words(lang, "negator_affixes") if table == "neg" else ()
    whole = rf"(?<!\w)(?:{alternatives})(?!\w)"
    if affixes:
        return re.compile(f"(?:{whole}|{'|'.join(affixes)})", flags)
    return re.compile(whole, flags)


@lru_cache(maxsize=8192)
def _masked(text: str, lang: str) -> str:
    pattern = _compile(lang, "mask")
    if pattern is not None:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    restrictive = _restrictive_patterns(lang)
    if restrictive is not None:
        negator, second = restrictive
        text = negator.sub(
            lambda m: " " * len(m.group(0)) if _restrictive(m, second) else m.group(0), text
        )
    return text


# Negations that mean "only": French "ne ... que", Spanish "no ... más que", Arabic "لم ...
# سوى" / "لا ... إلا" (langdata `restrictive`). The negator is restrictive when the second word
# comes before any other.
@lru_cache(maxsize=64)
def _restrictive_patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    rule = langdata.table(lang, "restrictive")
    if not rule:
        return None
    return (re.compile(rule["negator"], re.IGNORECASE),
            re.compile(rule["second"], re.IGNORECASE))


@lru_cache(maxsize=1)
def _only_words() -> tuple[str, ...]:
    return tuple(w for lang in langdata.languages_with("restrictive")
                 for w in langdata.table(lang, "restrictive")["only"])


def _restrictive(match: re.Match[str], second: re.Pattern[str]) -> bool:
    window = re.split(r"[.;:,!?،؛]", match.string[match.end() : match.end() + 80])[0]
    found = second.search(window)
    if not found:
        return False
    word = found.group(1).lower()
    return any(word.startswith(w) for w in _only_words())


def find_negations(text: str, lang: str) -> list[Cue]:
    """Negation cues, counting a verb like "ruled out" as one and concord words only alone."""
    return list(_negations(text, lang))


# Polarity (find_direction) reads a sentence's negations again: each text is read once.
@lru_cache(maxsize=8192)
def _negations(text: str, lang: str) -> tuple[Cue, ...]:
    masked = _masked(text, lang)
    cues: list[Cue] = []
    for table in ("neg", "verb"):
        pattern = _compile(lang, table)
        if pattern is not None:
            cues += [Cue(m.start(), m.end(), text[m.start() : m.end()], table == "verb")
                     for m in pattern.finditer(masked)]
    concord = _compile(lang, "concord")
    if concord is not None:
        plain = [c for c in cues if not c.verb]
        for start, end in _pieces(masked):
            found = [m for m in concord.finditer(masked, start, end)
                     if not any(_near(masked, m.start(), c.start) for c in plain)]
            if found:
                m = found[0]
                cues.append(Cue(m.start(), m.end(), text[m.start() : m.end()]))
    return tuple(sorted(cues, key=lambda c: c.start))


def _near(text: str, a: int, b: int, words: int = 6) -> bool:
    """Whether two positions lie within a few words of each other, as "ne" and its "aucun"."""
    low, high = min(a, b), max(a, b)
    return len(re.findall(r"\s+", text[low:high])) <= words


_CLAUSE_BREAK = re.compile(r"[,;:.!?()«»“”\"，；：。！？、،؛]|\s[-–—]\s")


def _pieces(text: str) -> list[tuple[int, int]]:
    """Clause-sized stretches: negative concord ("ne ... aucun") holds within one."""
    spans, position = [], 0
    for cut in _CLAUSE_BREAK.finditer(text):
        spans.append((position, cut.start()))
        position = cut.end()
    spans.append((position, len(text)))
    return spans


def find_direction(text: str, lang: str) -> tuple[list[Cue], list[Cue]]:
    """Words saying a figure or a decision went up (or was accepted) and down (or was
    rejected), swapped when the text negates them: "did not rise" says no rise."""
    masked = _masked(text, lang)
    result = []
    for table in ("up", "down"):
        pattern = _compile(lang, table)
        result.append(
            [Cue(m.start(), m.end(), text[m.start() : m.end()]) for m in pattern.finditer(masked)]
            if pattern is not None
            else []
        )
    up, down = result
    if len(find_negations(text, lang)) % 2:
        up, down = down, up
    return up, down


def _supported(lang: str) -> bool:
    return bool(langdata.words(lang, "negators"))


@register(
    "negation",
    languages=Languages(lambda: langdata.languages_with("negators"), "no negation words"),
)
def check_negation(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.original_segments or not pair.version_segments:
        return []
    o_lang, v_lang = context.original.lang, context.version.lang
    if not _supported(o_lang) or not _supported(v_lang):
        return []
    o_total = len(find_negations(pair.original_text, o_lang))
    v_total = len(find_negations(pair.version_text, v_lang))
    if o_total != v_total:
        # Usually an odd difference; an even one may be two clauses reversed at once.
        finding = _reversed_clause(pair, context)
        if finding is not None or o_total % 2 != v_total % 2:
            return [finding] if finding else []
    return _opposite_direction(pair, context)


def _clauses(text: str, segments: tuple[Segment, ...]) -> list[Clause]:
    """Clauses of each sentence of a pair, with offsets into the pair's text."""
    base = segments[0].start
    clauses = []
    for segment in segments:
        offset = segment.start - base
        piece = text[offset : segment.end - base]
        clauses += [
            Clause(offset + c.start, offset + c.end, c.text) for c in split_clauses(piece)
        ]
    return clauses


def _clause_pairs(
    pair: AlignedPair, context: CheckContext
) -> list[tuple[Clause, Clause, float]]:
    """Each clause of either side with the clause of the other side most like it."""
    o_clauses = _clauses(pair.original_text, pair.original_segments)
    v_clauses = _clauses(pair.version_text, pair.version_segments)
    if len(o_clauses) == 1 and len(v_clauses) == 1:
        return [(o_clauses[0], v_clauses[0], float(pair.similarity or 0.0))]
    sims = clause_similarities(context.encoder, o_clauses, v_clauses)
    pairs = {}
    for k in range(len(o_clauses)):
        j = int(sims[k].argmax())
        pairs[(k, j)] = (o_clauses[k], v_clauses[j], float(sims[k, j]))
    for j in range(len(v_clauses)):
        k = int(sims[:, j].argmax())
        pairs[(k, j)] = (o_clauses[k], v_clauses[j], float(sims[k, j]))
    return sorted(pairs.values(), key=lambda t: -t[2])


def _reversed_clause(pair: AlignedPair, context: CheckContext) -> Finding | None:
    o_lang, v_lang = context.original.lang, context.version.lang
    for o_clause, v_clause, similarity in _clause_pairs(pair, context):
        o_cues = find_negations(o_clause.text, o_lang)
        v_cues = find_negations(v_clause.text, v_lang)
        if len(o_cues) % 2 == len(v_cues) % 2:
            continue
        if similarity < context.calibration.unrelated[90]:
            return None  # the clauses do not render each other: not a reversal we can show
        affirming, lang = (v_clause, v_lang) if len(o_cues) % 2 else (o_clause, o_lang)
        lexical = _compile(lang, "lexical")
        if lexical is not None and lexical.search(affirming.text):
            return None  # "without waking" renders "не разбудить"
        return _finding(pair, context, o_clause, v_clause, o_cues, v_cues, similarity)
    return None


def _finding(
    pair: AlignedPair,
    context: CheckContext,
    o_clause: Clause,
    v_clause: Clause,
    o_cues: list[Cue],
    v_cues: list[Cue],
    similarity: float,
) -> Finding:
    o_words = _cue_phrase(o_clause.text, o_cues)
    v_words = _cue_phrase(v_clause.text, v_cues)
    if len(o_cues) % 2:
        message = (
            f"{o_words} became {v_words}: the claim is reversed"
            if v_cues
            else f"the negation {o_words} is lost: the version affirms the claim"
        )
    else:
        message = (
            f"{o_words} became {v_words}: the claim is reversed"
            if o_cues
            else f"the version negates the claim ({v_words}), the original does not"
        )
    severity = (
        Severity.CRITICAL if similarity >= context.calibration.match_threshold else Severity.MAJOR
    )
    return Finding(
        check="negation",
        category="mistranslation",
        severity=severity,
        message=message,
        original_span=span_in(
            context.original, pair.original_segments, o_clause.start, o_clause.end
        ),
        version_span=span_in(context.version, pair.version_segments, v_clause.start, v_clause.end),
        evidence={
            "original_cues": [c.text for c in o_cues],
            "version_cues": [c.text for c in v_cues],
            "original_clause": o_clause.text,
            "version_clause": v_clause.text,
            "clause_similarity": round(similarity, 4),
        },
    )


def _cue_phrase(text: str, cues: list[Cue]) -> str:
    """The cues as quoted phrases, each with the word a negation word negates."""
    phrases: list[tuple[int, int]] = []
    for cue in cues:
        end = cue.end
        if not cue.verb and not _CJK_END.search(cue.text):
            following = re.match(r"\s*\w+", text[end:])
            end += following.end() if following else 0
        if phrases and cue.start - phrases[-1][1] <= 2:
            phrases[-1] = (phrases[-1][0], max(end, phrases[-1][1]))
        else:
            phrases.append((cue.start, end))
    return ", ".join(f"“{text[a:b]}”" for a, b in phrases)


_CJK_END = re.compile(r"[\u3400-\u9fff]$")


def _opposite_direction(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    o_lang, v_lang = context.original.lang, context.version.lang
    o_up, o_down = find_direction(pair.original_text, o_lang)
    v_up, v_down = find_direction(pair.version_text, v_lang)
    if not ((o_up and not o_down and v_down and not v_up)
            or (o_down and not o_up and v_up and not v_down)):
        return []
    for o_clause, v_clause, similarity in _clause_pairs(pair, context):
        ou, od = find_direction(o_clause.text, o_lang)
        vu, vd = find_direction(v_clause.text, v_lang)
        if not ((ou and not od and vd and not vu) or (od and not ou and vu and not vd)):
            continue
        if similarity < context.calibration.match_threshold:
            return []
        o_cue = (ou or od)[0]
        v_cue = (vu or vd)[0]
        return [
            Finding(
                check="negation",
                category="mistranslation",
                severity=Severity.CRITICAL,
                message=f"“{o_cue.text}” became its opposite “{v_cue.text}”",
                original_span=span_in(
                    context.original,
                    pair.original_segments,
                    o_clause.start + o_cue.start,
                    o_clause.start + o_cue.end,
                ),
                version_span=span_in(
                    context.version,
                    pair.version_segments,
                    v_clause.start + v_cue.start,
                    v_clause.start + v_cue.end,
                ),
                evidence={
                    "original_cue": o_cue.text,
                    "version_cue": v_cue.text,
                    "original_clause": o_clause.text,
                    "version_clause": v_clause.text,
                    "clause_similarity": round(similarity, 4),
                },
            )
        ]
    return []
