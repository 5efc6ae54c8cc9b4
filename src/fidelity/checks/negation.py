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

from fidelity.checks.base import AlignedPair, CheckContext, register, span_in
from fidelity.checks.clauses import Clause, clause_similarities, split_clauses
from fidelity.model import Finding, Segment, Severity

# Plain negators, counted one each.
NEGATORS: dict[str, tuple[str, ...]] = {
    "en": (r"not", r"no(?!\.\s*\d)", r"never", r"cannot", r"nobody", r"nothing", r"none",
           r"neither", r"nowhere", r"no one"),
    "ru": (r"не", r"нет", r"нельзя"),
    "fr": (r"ne",),
    "es": (r"no",),
    "de": (r"nicht", r"kein\w*", r"nie", r"niemals", r"nichts", r"niemand", r"weder"),
    "it": (r"non",),
    "pt": (r"não", r"nao"),
    "zh": (r"不", r"没有", r"没", r"未", r"无", r"并非", r"绝非", r"勿"),
    "ar": (r"[وف]?لا", r"[وف]?لم", r"[وف]?لن", r"[وف]?ليس\w*", r"[وف]?لست"),
    "pl": (r"nie",),
}
_FR_STEP_BEFORE = ("un", "le", "les", "des", "ses", "mes", "tes", "nos", "vos", "leurs", "ce",
                   "ces", "chaque", "petits", "premiers", "grands", "quelques", "au", "du", "à")
# Words that negate on their own only where no plain negator does ("nunca ha dicho",
# "aucun indice"); next to one they are concord ("no ... nunca", "n'a jamais").
CONCORD: dict[str, tuple[str, ...]] = {
    "ru": (r"никогда", r"ничего", r"никто", r"нигде", r"ничто", r"никак\w*", r"ни"),
    # "pas" after a determiner or "à" is the noun "step" ("à chaque pas", "à petits pas").
    "fr": ("".join(rf"(?<!\b{d}\s)" for d in _FR_STEP_BEFORE) + r"pas", r"jamais", r"aucun",
           r"aucune", r"rien", r"nullement", r"guère"),
    "es": (r"nunca", r"jamás", r"ningún", r"ninguna", r"ninguno", r"nada", r"nadie",
           r"tampoco", r"ni"),
    "it": (r"mai", r"nessun\w*", r"niente", r"nemmeno", r"neanche"),
    "pt": (r"nunca", r"nenhum\w*", r"nada", r"ninguém", r"jamais"),
    "pl": (r"nigdy", r"nikt", r"nic", r"żaden", r"żadna", r"żadne", r"żadnego", r"nigdzie",
           r"ani"),
}
# Verbs whose meaning holds a negation: "ruled out" = "said it will not", "denied" = "said
# it is not". They count as one cue, so "did not rule out" counts two.
NEGATIVE_VERBS: dict[str, tuple[str, ...]] = {
    "en": (r"rul(?:e|es|ed|ing) out", r"den(?:y|ies|ied|ying)", r"fail(?:s|ed|ing)? to",
           r"unable to"),
    "ru": (r"исключ(?:ил|ила|или|ило|ает|ают|ать|ить|ено|ён|ена|ены|ит|ат|ат|ал|ала|али)",
           r"отрица(?:ет|ют|л|ла|ли|ть|ющ\w*)", r"опроверг(?:ла|ли|нул|ает|ают|ли|ло)?"),
    "fr": (r"exclu(?:re|t|ent|ait|aient|ant|e|es|s)?", r"dément\w*", r"démenti\w*",
           r"ni(?:e|ent|ait|aient|é|ée|és)"),
    "es": (r"descart\w+", r"desmint\w+", r"desmient\w+",
           r"(?<!se )(?:negó|niega|niegan|negaron|negaba)"),
    "de": (r"ausgeschlossen", r"ausschließen", r"auszuschließen", r"ausschließt",
           r"dementiert\w*", r"dementi\w*", r"bestritt\w*", r"bestreitet", r"bestreiten"),
    "it": (r"esclu(?:so|sa|si|se|de|dono|dere|deva)", r"smenti\w+", r"neg(?:a|ano|ato|ò)"),
    "pt": (r"descart\w+", r"neg(?:ou|a|am|aram)", r"desmenti\w+"),
    "zh": (r"排除", r"否认"),
    "ar": (r"[وف]?(?:[يتا]|ن)?ستبعد\w*", r"[وف]?(?:نفى|نفت|نفوا|ينفي|تنفي|ينفون)"),
    "pl": (r"zaprzecz\w*", r"zdementowa\w*"),
}
# Forms of negation that state no negation of the claim.
MASKS: dict[str, tuple[str, ...]] = {
    "en": (r"not only", r"not just", r"not least", r"no (?:later|earlier|more|less|fewer) than",
           r"no doubt", r"not to mention", r"whether or not", r"nothing but", r"none other",
           r"no one else", r"nor\b"),
    "ru": (r"не только", r"не позднее", r"не позже", r"не ранее", r"не раньше", r"не более",
           r"не менее", r"не больше", r"не меньше", r"не раз", r"ни\s+\S+,\s+ни"),
    # "ne cesse de" (keeps on), "ne tarde pas à" (soon) affirm.
    "fr": (r"non seulement", r"au plus tard", r"pas plus tard que", r"ne serait-ce",
           r"n['’]importe", r"n['’]empêche", r"ne cess\w*(?: pas)?",
           r"n['’]a\w* (?:pas )?cessé", r"ne tard\w* pas"),
    "es": (r"no sólo", r"no solo", r"no obstante", r"no más (?:tarde )?(?:de|que)",
           r"no menos de", r"a más tardar"),
    "de": (r"nicht nur", r"nicht mehr als", r"nicht weniger als", r"nicht zuletzt",
           r"nichtsdestotrotz"),
    "it": (r"non solo", r"non oltre", r"non più tardi"),
    "pt": (r"não só", r"não apenas", r"no máximo"),
    "zh": (r"不确定", r"不断", r"不少", r"不仅", r"不但", r"不同", r"不过", r"不久", r"不足",
           r"不利", r"不良", r"不安", r"不稳", r"不如", r"不管", r"不论", r"不得不", r"不错",
           r"不妨", r"不外乎", r"未来", r"无论", r"无人机", r"无疑", r"无数", r"无限", r"无线",
           r"毫无疑问", r"不可避免", r"没想到", r"无时无刻"),
    "pl": (r"nie tylko", r"nie później niż", r"nie wcześniej niż", r"nie więcej niż",
           r"nie mniej niż"),
    "ar": (r"[وف]?لا سيما", r"[وف]?لاسيما", r"[وف]?لا (?:يزال|تزال|يزالون|تزالان|زال|زالت)",
           r"[وف]?لا (?:بد|بدّ)", r"ليس فقط", r"[وف]?لا يمكن إنكار", r"[وف]?ما (?:زال|يزال|تزال)"),
}
# Negation carried by a word's form or meaning ("unable", "sans", "без", "缺乏"). Never
# counted, since translators move between these and negation words freely; a clause that
# holds one is not taken to affirm what the other side negates.
LEXICAL: dict[str, tuple[str, ...]] = {
    "en": (r"without", r"un(?:able|likely|clear|known|aware|willing|successful|acceptable|"
           r"answered|fair|usual|certain|changed|stable|safe|necessary|precedented|til)",
           r"in(?:correct|accurate|active|valid|sufficient|adequate|capable|complete|"
           r"effective)", r"im(?:possible|probable|proper)", r"il(?:legal|logical)",
           r"ir(?:regular|relevant|responsible)", r"dis(?:agree|approve|miss)\w*", r"non-\w+",
           r"\w+less", r"lack\w*", r"absen\w+", r"fewer", r"anywhere", r"anyone",
           r"anything", r"hardly", r"barely", r"scarcely", r"refus\w*", r"declin\w+ to",
           r"reject\w*", r"instead of", r"rather than", r"avoid\w*", r"prevent\w*",
           r"free of", r"neither", r"nor", r"less"),
    "fr": (r"sans", r"in(?:capable|connu|correct|exact|suffisant|utile)\w*",
           r"im(?:possible|probable)\w*", r"illégal\w*", r"manqu\w+", r"absen\w+", r"échou\w+",
           r"refus\w*", r"rejet\w*", r"aucunement", r"guère", r"moins", r"ni"),
    "es": (r"sin", r"in(?:capaz|correct|exact|suficiente|útil)\w*", r"im(?:posible|probable)\w*",
           r"ilegal\w*", r"falt\w+", r"ausen\w+", r"fracas\w+", r"rechaz\w*", r"menos",
           r"neg(?:ó|aron|aba) a", r"ni"),
    "it": (r"senza", r"in(?:corrett|esatt|sufficient|util)\w*", r"im(?:possibil|probabil)\w*",
           r"illegal\w*", r"manca\w*", r"assenza", r"rifiut\w*", r"meno", r"né"),
    "pt": (r"sem", r"in(?:corret|suficient)\w*", r"impossível", r"falta\w*", r"ausência",
           r"recus\w*", r"menos", r"nem"),
    "de": (r"ohne", r"un\w{4,}", r"fehl\w*", r"mangel\w*", r"abgelehnt", r"weniger", r"kaum",
           r"weder", r"noch"),
    "ru": (r"без\w*", r"невозможн\w*", r"неизвестн\w*", r"недостаточн\w*", r"неверн\w*",
           r"незаконн\w*", r"неспособн\w*", r"неудач\w*", r"неправильн\w*", r"нелегальн\w*",
           r"отказ\w*", r"меньше", r"вместо", r"ни"),
    "zh": (r"无", r"缺乏", r"缺少", r"失败", r"拒绝", r"难以", r"较少", r"越少", r"非", r"免",
           r"别", r"勿", r"不再"),
    "pl": (r"bez", r"nie\w{3,}", r"brak\w*", r"odmów\w*", r"odrzuc\w*", r"mniej"),
    "ar": (r"[وفب]?بدون", r"[وفب]?دون", r"[وفب]?غير", r"[وفب]?عدم", r"[وفب]?فشل\w*", r"انعدام",
           r"[وف]?رفض\w*", r"أقل", r"[وف]?تجنب\w*"),
}
# Opposite directions, for claims reversed without a negation word.
UP: dict[str, tuple[str, ...]] = {
    "en": (r"rose", r"rise[sn]?", r"rising", r"increased?", r"increases", r"grew", r"grow(?:s|n)?",
           r"climbed", r"gained", r"raised", r"hiked", r"higher", r"accelerated", r"accepted",
           r"approved"),
    "ru": (r"вырос\w*", r"рост\w*", r"увелич\w*", r"повыс\w*", r"повыш\w*", r"подня\w*",
           r"ускор\w*", r"принял\w*", r"одобри\w*"),
    "fr": (r"hausse\w*", r"augment\w*", r"progress\w*", r"grimp\w*", r"relev\w*", r"accéléré\w*",
           r"accept\w*", r"approuv\w*"),
    "es": (r"subi\w*", r"subida\w*", r"aument\w*", r"crec\w*", r"alza\w*", r"increment\w*",
           r"acept\w*", r"aprob\w*"),
    "de": (r"stieg\w*", r"gestiegen", r"steigt", r"steigen", r"Anstieg\w*", r"wuchs",
           r"gewachsen", r"erhöh\w*", r"zugenommen", r"akzeptiert\w*", r"genehmigt\w*"),
    "zh": (r"增长", r"上升", r"上涨", r"提高", r"增加", r"回升", r"加快", r"接受", r"批准"),
    "ar": (r"[وف]?ارتفع\w*", r"[وف]?ارتفاع\w*", r"[وف]?زيادة\w*", r"[وف]?زاد\w*", r"[وف]?نمو",
           r"[وف]?نما", r"[وف]?رفع\w*", r"[وف]?قبل", r"[وف]?وافق\w*"),
}
DOWN: dict[str, tuple[str, ...]] = {
    "en": (r"fell", r"fall(?:s|en|ing)?", r"declined", r"decreased?", r"decreases", r"dropped",
           r"lower(?:ed)?", r"shr[au]nk", r"contracted", r"slowed", r"slower", r"cut",
           r"reduced?", r"rejected", r"refused"),
    "ru": (r"снизи\w*", r"сниж\w*", r"упа\w*", r"сократи\w*", r"сокращ\w*", r"падени\w*",
           r"уменьш\w*", r"замедл\w*", r"отклони\w*", r"отверг\w*"),
    "fr": (r"baiss\w*", r"recul\w*", r"chut\w*", r"diminu\w*", r"réduit\w*", r"réduir\w*",
           r"ralenti\w*", r"rejet\w*", r"refus\w*"),
    "es": (r"cay\w*", r"caída\w*", r"baj\w*", r"descen\w*", r"disminu\w*", r"redujo",
           r"reduc\w*", r"desaceler\w*", r"rechaz\w*"),
    "de": (r"fiel", r"gefallen", r"fällt", r"sank", r"gesunken", r"Rückgang\w*", r"verringert\w*",
           r"gesenkt", r"senkt\w*", r"abgelehnt"),
    "zh": (r"下降", r"下跌", r"回落", r"减少", r"降低", r"放缓", r"下滑", r"拒绝", r"驳回"),
    "ar": (r"[وف]?تراجع\w*", r"[وف]?انخفض\w*", r"[وف]?انخفاض\w*", r"[وف]?هبط\w*", r"[وف]?خفض\w*",
           r"[وف]?تخفيض\w*", r"[وف]?رفض\w*"),
}
_NO_SPACE = {"zh", "ja"}


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    text: str
    verb: bool = False  # a verb like "ruled out", not a negation word


@lru_cache(maxsize=128)
def _compile(lang: str, table: str) -> re.Pattern[str] | None:
    source = {"neg": NEGATORS, "concord": CONCORD, "verb": NEGATIVE_VERBS, "mask": MASKS,
              "up": UP, "down": DOWN, "lexical": LEXICAL}[table]
    words = source.get(lang)
    if not words:
        return None
    alternatives = "|".join(sorted(words, key=len, reverse=True))
    if lang in _NO_SPACE:
        return re.compile(f"(?:{alternatives})")
    flags = re.IGNORECASE
    if lang == "en" and table in {"up", "down"}:
        flags = 0  # "Up" in a name, "Cut" in a title: lower case only
    if table == "neg" and lang == "en":
        # "n't" attaches to the word before it.
        return re.compile(rf"(?:(?<!\w)(?:{alternatives})(?!\w)|(?<=[a-z])n['’]t\b)", flags)
    if table == "neg" and lang == "fr":
        # "n'" attaches to the word after it.
        return re.compile(rf"(?:(?<!\w)(?:{alternatives})(?!\w)|(?<!\w)n['’](?=\w))", flags)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)


@lru_cache(maxsize=8192)
def _masked(text: str, lang: str) -> str:
    pattern = _compile(lang, "mask")
    if pattern is not None:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    if lang in _RESTRICTIVE:
        negator, second = _RESTRICTIVE[lang]
        text = negator.sub(
            lambda m: " " * len(m.group(0)) if _restrictive(m, second) else m.group(0), text
        )
    return text


# Negations that mean "only": French "ne ... que", Spanish "no ... más que", Arabic "لم ...
# سوى" / "لا ... إلا". The negator is restrictive when the second word comes before any other.
_RESTRICTIVE: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "fr": (
        re.compile(r"(?<!\w)(?:ne(?!\w)|n['’](?=\w))", re.IGNORECASE),
        re.compile(
            r"(?<!\w)(pas|plus|jamais|rien|aucune?|guère|personne|nullement|point|que|qu['’])"
            r"(?!\w)",
            re.IGNORECASE,
        ),
    ),
    "es": (
        re.compile(r"(?<!\w)no(?!\w)", re.IGNORECASE),
        re.compile(r"(?<!\w)(nunca|nada|nadie|ningún|ninguna|más que)(?!\w)", re.IGNORECASE),
    ),
    "ar": (
        re.compile(r"(?<!\w)[وف]?(?:لم|لا|ليس|ليست|لن|ما)(?!\w)"),
        re.compile(r"(?<!\w)[وف]?(سوى|إلا|الا)(?!\w)"),
    ),
}
_ONLY = {"fr": ("qu",), "es": ("más que",), "ar": ("سوى", "إلا", "الا")}


def _restrictive(match: re.Match[str], second: re.Pattern[str]) -> bool:
    window = re.split(r"[.;:,!?،؛]", match.string[match.end() : match.end() + 80])[0]
    found = second.search(window)
    if not found:
        return False
    word = found.group(1).lower()
    return any(word.startswith(w) for only in _ONLY.values() for w in only)


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
    return lang in NEGATORS


@register("negation")
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
