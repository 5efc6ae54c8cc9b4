"""Readers that turn the shared quality-estimation data into one example schema, so the trainer
sees MQM, critical errors, post-edits and DEMETR the same way: character spans on each side.

Pure Python (no torch): the data can be built and inspected on any machine. Every file goes
through `SourceFiles`, which refuses the held-out and reported sets and remembers what was
read (with a hash), so a data card can prove what the model saw.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import re
import tarfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

SEVERITIES = ("minor", "major")
CATEGORIES = ("mistranslation", "addition", "omission", "fluency")

# Files that are reported (or held out by the maintainers) and must never feed training or the
# choices made on dev: WMT23 QE test, WMT21 critical-error test and dev (dev is what bench
# reports), the MQM 2022 test halves, Text+Berg, the project's own corpora.
_FORBIDDEN = (
    re.compile(r"_test\b|_test\.|/test[_.]|test_data_2023|generalMT2023", re.IGNORECASE),
    re.compile(r"(^|/)benchmarks/ced/"),
    re.compile(r"(^|/)textberg/"),
    re.compile(r"(^|/)corpora/"),
)


class HeldOutError(ValueError):
    """A manifest named a file the project reports on or holds out."""


def stable_hash(text: str, key: str = "") -> int:
    """A hash that is the same in every process (Python's `hash` is salted per run)."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8, key=key.encode("utf-8")[:64])
    return int.from_bytes(digest.digest(), "big")


def group_of(text: str) -> str:
    """The split unit: every example made from one source sentence shares it."""
    normalised = " ".join(text.split()).casefold()
    return format(stable_hash(normalised), "016x")


def demetr_half(source: str) -> str:
    """Same rule as bench/common.py: only the 'calibration' half may be trained on."""
    digest = hashlib.blake2b(source.encode("utf-8"), digest_size=2).digest()
    return "calibration" if digest[0] % 2 == 0 else "evaluation"


@dataclass
class SourceFiles:
    """The one door to the shared data: refuses reported files and records what it opened."""

    root: Path
    read: dict[str, str] = field(default_factory=dict)  # relative path -> sha256

    def path(self, relative: str) -> Path:
        normalised = relative.replace("\\", "/")
        for pattern in _FORBIDDEN:
            if pattern.search(normalised):
                raise HeldOutError(f"{relative}: held out or reported, never used for training")
        if "demetr" in normalised and not normalised.endswith("demetr/dev.jsonl"):
            raise HeldOutError(f"{relative}: only DEMETR's dev.jsonl (even ids) may be used")
        return self.root / relative

    def read_bytes(self, relative: str) -> bytes:
        data = self.path(relative).read_bytes()
        self.read[relative] = hashlib.sha256(data).hexdigest()
        return data

    def read_text(self, relative: str) -> str:
        return self.read_bytes(relative).decode("utf-8")


@dataclass(frozen=True)
class Example:
    """One training pair. Offsets are Python string indices into `src` / `tgt`.

    `omission` is the severity of something the version leaves out (located in `src_spans`
    when known, otherwise only a segment signal); `spans_complete` is False where the data
    gives a segment label only (critical errors, DA), so unmarked words are not known to be OK.
    """

    id: str
    origin: str
    src: str
    tgt: str
    src_lang: str
    tgt_lang: str
    tgt_spans: tuple[tuple[int, int, str, str], ...]
    src_spans: tuple[tuple[int, int, str], ...]
    has_major: bool
    score: float | None
    group: str
    omission: str | None = None
    spans_complete: bool = True

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "origin": self.origin,
                "src": self.src,
                "tgt": self.tgt,
                "src_lang": self.src_lang,
                "tgt_lang": self.tgt_lang,
                "tgt_spans": [list(span) for span in self.tgt_spans],
                "src_spans": [list(span) for span in self.src_spans],
                "has_major": self.has_major,
                "score": self.score,
                "group": self.group,
                "omission": self.omission,
                "spans_complete": self.spans_complete,
            },
            ensure_ascii=False,
        )


def make_example(
    *,
    id: str,
    origin: str,
    src: str,
    tgt: str,
    src_lang: str,
    tgt_lang: str,
    group: str,
    tgt_spans: Iterable[tuple[int, int, str, str]] = (),
    src_spans: Iterable[tuple[int, int, str]] = (),
    omission: str | None = None,
    score: float | None = None,
    has_major: bool | None = None,
    spans_complete: bool = True,
) -> Example:
    """Build an example whose segment label follows from its spans unless given; a span off
    its text or with an unknown label is a bug in a reader, so it fails here, not in training."""
    tgt_spans = tuple(sorted(tgt_spans))
    src_spans = tuple(sorted(src_spans))
    for start, end, severity, category in tgt_spans:
        if not (0 <= start < end <= len(tgt)) or severity not in SEVERITIES or (
            category not in CATEGORIES
        ):
            raise ValueError(f"{id}: bad version span {(start, end, severity, category)}")
    for start, end, label in src_spans:
        if not (0 <= start < end <= len(src)) or label != "omission":
            raise ValueError(f"{id}: bad original span {(start, end, label)}")
    if has_major is None:
        has_major = omission == "major" or any(s[2] == "major" for s in tgt_spans)
    return Example(
        id=id,
        origin=origin,
        src=src,
        tgt=tgt,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        tgt_spans=tgt_spans,
        src_spans=src_spans,
        has_major=has_major,
        score=score,
        group=group,
        omission=omission,
        spans_complete=spans_complete,
    )


def _tsv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


def _runs(labels: list[str | None]) -> Iterator[tuple[int, int, str]]:
    """Maximal runs of one non-None label: (start, end, label)."""
    start = 0
    for index in range(1, len(labels) + 1):
        if index == len(labels) or labels[index] != labels[start]:
            if labels[start] is not None:
                yield start, index, labels[start]
            start = index


# ---------------------------------------------------------------- MQM (WMT21/22, Google)


def _mqm_rater_marks(row: list[str]) -> tuple[list[tuple[int, int, str]], str | None] | None:
    """A rater's spans inside the target, and the worst omission they signalled (empty,
    end-of-sentence or past-the-end spans); None when the row is malformed."""
    target = row[5]
    if row[6].strip() == "-1":
        return [], None
    starts, ends, severities = row[6].split(), row[7].split(), row[8].split()
    if not (len(starts) == len(ends) == len(severities)):
        return None
    spans: list[tuple[int, int, str]] = []
    omission: str | None = None
    stripped_end = len(target.rstrip())
    for start_text, end_text, severity in zip(starts, ends, severities, strict=True):
        try:
            start, end = int(start_text), int(end_text)
        except ValueError:
            return None
        severity = "major" if severity.lower() in ("major", "critical") else "minor"
        if start >= end or end > len(target) or start >= stripped_end - 1:
            if omission != "major":
                omission = severity
            continue
        spans.append((max(0, start), end, severity))
    return spans, omission


def load_mqm(
    files: SourceFiles, relative: str, lang_pair: str, origin: str = "mqm"
) -> list[Example]:
    """One example per distinct output (the same translation of the same sentence, whichever
    systems produced it), its raters merged by majority per character: duplicates would
    weigh short stock sentences many times over and teach the disagreements between raters."""
    src_lang, tgt_lang = lang_pair.split("-")
    outputs: dict[tuple[str, ...], list[list[str]]] = defaultdict(list)
    for row in _tsv_rows(files.read_text(relative)):
        if len(row) < 9 or row[0] == "mt_system":
            continue
        outputs[(row[4], row[5])].append(row)
    examples = []
    for (source, target), rows in outputs.items():
        marks = [m for m in (_mqm_rater_marks(r) for r in rows) if m is not None]
        if not marks or not source.strip() or not target.strip():
            continue
        raters = len(marks)
        marked = [0] * len(target)
        major = [0] * len(target)
        for spans, _ in marks:
            seen = [None] * len(target)
            for start, end, severity in spans:
                for i in range(start, end):
                    if seen[i] != "major":
                        seen[i] = severity
            for i, severity in enumerate(seen):
                if severity is not None:
                    marked[i] += 1
                    major[i] += severity == "major"
        labels: list[str | None] = [
            None
            if 2 * marked[i] <= raters or target[i].isspace()
            else ("major" if 2 * major[i] > marked[i] else "minor")
            for i in range(len(target))
        ]
        # a space between two marked words of one severity belongs to the span
        for i in range(1, len(target) - 1):
            if labels[i] is None and target[i].isspace() and labels[i - 1] == labels[i + 1]:
                labels[i] = labels[i - 1]
        omission_votes = [o for _, o in marks if o is not None]
        omission = None
        if 2 * len(omission_votes) > raters:
            majors = omission_votes.count("major")
            omission = "major" if 2 * majors > len(omission_votes) else "minor"
        tgt_spans = [(s, e, sev, "mistranslation") for s, e, sev in _runs(labels)]
        examples.append(
            make_example(
                id=f"{origin}:{Path(relative).stem}:{rows[0][0]}:{rows[0][1]}:{rows[0][2]}",
                origin=origin,
                src=source,
                tgt=target,
                src_lang=src_lang,
                tgt_lang=tgt_lang,
                group=group_of(source),
                tgt_spans=tgt_spans,
                omission=omission,
            )
        )
    return examples


# ---------------------------------------------------------------- WMT21 critical errors


def load_ced(files: SourceFiles, relative: str, lang_pair: str) -> list[Example]:
    """Segment labels only: ERR (a critical meaning error by majority) becomes has_major."""
    src_lang, tgt_lang = lang_pair.split("-")
    examples = []
    for row in _tsv_rows(files.read_text(relative)):
        if len(row) < 5 or row[-1] not in ("ERR", "NOT"):
            continue
        source, target = row[1], row[2]
        examples.append(
            make_example(
                id=f"ced:{lang_pair}:{row[0]}",
                origin="ced",
                src=source,
                tgt=target,
                src_lang=src_lang,
                tgt_lang=tgt_lang,
                group=group_of(source),
                has_major=row[-1] == "ERR",
                spans_complete=False,
            )
        )
    return examples


# ---------------------------------------------------------------- MLQE-PE


_NO_SPACE_SCRIPTS = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def detokenize(tokens: list[str], lang: str) -> str:
    """Moses detokenisation (what MLQE-PE was tokenised with), with no spaces next to CJK
    characters, so post-edits read like the untokenised machine translations beside them."""
    from sacremoses import MosesDetokenizer

    text = MosesDetokenizer(lang=lang).detokenize(tokens)
    if lang in ("zh", "ja"):
        text = re.sub(r"(?<=\S) (?=\S)", lambda m: _cjk_space(text, m.start()), text)
    return text


def _cjk_space(text: str, index: int) -> str:
    before, after = text[index - 1], text[index + 1]
    if _NO_SPACE_SCRIPTS.match(before) or _NO_SPACE_SCRIPTS.match(after):
        return ""
    if before in ",.;:!?)" and _NO_SPACE_SCRIPTS.match(text[index - 2 : index - 1] or " "):
        return ""
    return " "


def token_offsets(tokens: list[str], text: str) -> list[tuple[int, int]] | None:
    """Where each token of a tokenised sentence sits in its untokenised form; None when the
    tokeniser changed characters (then the tokenised text is used instead)."""
    offsets = []
    cursor = 0
    for token in tokens:
        found = text.find(token, cursor)
        if found < 0 or text[cursor:found].strip():
            return None
        offsets.append((found, found + len(token)))
        cursor = found + len(token)
    if text[cursor:].strip():
        return None
    return offsets


def _surface(tokens: list[str], untokenised: str | None) -> tuple[str, list[tuple[int, int]]]:
    if untokenised is not None:
        offsets = token_offsets(tokens, untokenised)
        if offsets is not None:
            return untokenised, offsets
    text = " ".join(tokens)
    offsets, cursor = [], 0
    for token in tokens:
        offsets.append((cursor, cursor + len(token)))
        cursor += len(token) + 1
    return text, offsets


def _tag_spans(
    tags: list[str], offsets: list[tuple[int, int]], text: str
) -> list[tuple[int, int]]:
    """Merge consecutive BAD words into character spans."""
    spans: list[tuple[int, int]] = []
    for tag, (start, end) in zip(tags, offsets, strict=False):
        if tag != "BAD":
            continue
        if spans and not text[spans[-1][1] : start].strip():
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


_MLQE_MEMBERS = (
    ".src", ".mt", ".pe", ".tags", ".source_tags", ".hter", ".src-mt.alignments", ".df.short.tsv"
)


def _read_tar(files: SourceFiles, relative: str) -> dict[str, str]:
    """Member basename -> text, for the small MLQE-PE archives."""
    out = {}
    with tarfile.open(fileobj=io.BytesIO(files.read_bytes(relative)), mode="r:gz") as archive:
        for member in archive.getmembers():
            name = Path(member.name).name
            wanted = name.endswith(_MLQE_MEMBERS) and not name.startswith("._")
            if member.isfile() and wanted and "word-probas" not in member.name:
                handle = archive.extractfile(member)
                if handle is not None:
                    out[name] = handle.read().decode("utf-8")
    return out


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def _omitted_tags(tags: list[str], alignment: str | None, tokens: list[str]) -> list[str]:
    """BAD only for the source words a post-editor flagged that have no counterpart in the
    machine translation at all (unaligned): those were left out, while a flagged word with a
    counterpart was mistranslated, which the version's own tags already show."""
    if alignment is None:
        return tags
    aligned = set()
    for link in alignment.split():
        left, _, _ = link.partition("-")
        if left.isdigit():
            aligned.add(int(left))
    return [
        "BAD" if tag == "BAD" and i not in aligned and any(c.isalnum() for c in tokens[i]) else "OK"
        for i, tag in enumerate(tags[: len(tokens)])
    ]


@dataclass(frozen=True)
class MlqeRule:
    """When a post-editor's BAD words count as a major error: the sentence was judged poor by
    the DA raters (z-score) and heavily edited (HTER); otherwise minor."""

    major_hter: float = 0.3
    major_z: float = -0.5


def load_mlqe(
    files: SourceFiles, lang_pair: str, part: str, rule: MlqeRule = MlqeRule()
) -> list[Example]:
    """From one language pair and part (train/dev): the machine translation with its word tags
    and DA z-score, and the post-edit as a faithful pair."""
    src_lang, tgt_lang = lang_pair.split("-")
    pe = _read_tar(files, f"training/mlqe-pe/post-editing/{lang_pair}-{part}.tar.gz")
    da = _read_tar(files, f"training/mlqe-pe/da/{lang_pair}-{part}.tar.gz")
    da_rows = []
    for name, text in da.items():
        if name.endswith(".df.short.tsv"):
            da_rows = [r for r in _tsv_rows(text) if r and r[0] != "index"]
    src_lines, mt_lines, pe_lines = (_lines(pe[f"{part}.{k}"]) for k in ("src", "mt", "pe"))
    tag_lines, src_tag_lines = _lines(pe[f"{part}.tags"]), _lines(pe[f"{part}.source_tags"])
    hters = _lines(pe[f"{part}.hter"])
    alignments = _lines(pe.get(f"{part}.src-mt.alignments", ""))
    examples = []
    for i, (src_tok, mt_tok, pe_tok) in enumerate(zip(src_lines, mt_lines, pe_lines, strict=True)):
        src_tokens, mt_tokens, pe_tokens = src_tok.split(), mt_tok.split(), pe_tok.split()
        if not src_tokens or not mt_tokens:
            continue
        da_row = da_rows[i] if i < len(da_rows) else None
        if da_row is not None and len(da_row) >= 7 and (
            "".join(da_row[1].split()) == "".join(src_tokens)
        ):
            src_text, src_offsets = _surface(src_tokens, da_row[1])
            mt_text, mt_offsets = _surface(mt_tokens, da_row[2])
            score: float | None = round(float(da_row[6]), 4)
        else:
            src_text, src_offsets = _surface(src_tokens, detokenize(src_tokens, src_lang))
            mt_text, mt_offsets = _surface(mt_tokens, detokenize(mt_tokens, tgt_lang))
            score = None
        hter = float(hters[i])
        major = hter >= rule.major_hter and score is not None and score <= rule.major_z
        severity = "major" if major else "minor"
        tags = tag_lines[i].split()
        word_tags = tags[1::2] if len(tags) == 2 * len(mt_tokens) + 1 else tags
        src_bad = _tag_spans(
            _omitted_tags(src_tag_lines[i].split(), alignments[i] if i < len(alignments) else None,
                          src_tokens),
            src_offsets,
            src_text,
        )
        tgt_bad = _tag_spans(word_tags, mt_offsets, mt_text)
        tgt_spans = [(s, e, severity, "mistranslation") for s, e in tgt_bad]
        omission = severity if src_bad else None
        group = group_of(src_text)
        examples.append(
            make_example(
                id=f"mlqe:{lang_pair}:{part}:{i}",
                origin="mlqe-mt",
                src=src_text,
                tgt=mt_text,
                src_lang=src_lang,
                tgt_lang=tgt_lang,
                group=group,
                tgt_spans=tgt_spans,
                src_spans=[(s, e, "omission") for s, e in src_bad],
                omission=omission,
                score=score,
            )
        )
        if pe_tokens:
            examples.append(
                make_example(
                    id=f"mlqe-pe:{lang_pair}:{part}:{i}",
                    origin="mlqe-pe",
                    src=src_text,
                    tgt=detokenize(pe_tokens, tgt_lang),
                    src_lang=src_lang,
                    tgt_lang=tgt_lang,
                    group=group,
                )
            )
    return examples


# ---------------------------------------------------------------- DEMETR (calibration half)


DEMETR_LANGS = {
    "chinese_simple": "zh",
    "german": "de",
    "hindi": "hi",
    "japanese": "ja",
    "polish": "pl",
    "russian": "ru",
    "czech": "cs",
    "french": "fr",
    "spanish": "es",
    "italian": "it",
}

# What kind of error each perturbation makes, in MQM terms.
_DEMETR_OMISSION = re.compile(r"removed")
_DEMETR_FLUENCY = re.compile(
    r"case|punc|tokenized|lower|misspelled|char_removed|pos_shift|word_swap|function_word"
)
_DEMETR_ADDITION = re.compile(r"addition|repeat")


def char_diff_spans(before: str, after: str) -> tuple[list[tuple[int, int]], bool]:
    """Spans of `after` that differ from `before`, widened to whole words and merged; and
    whether something of `before` was deleted without any replacement."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    spans: list[tuple[int, int]] = []
    deleted = False
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "delete":
            deleted = deleted or bool(before[a0:a1].strip())
            continue
        start, end = _widen(after, b0, b1)
        if start == end:  # only spaces inserted (a tokenised text): the next word carries it
            start, end = _adjacent_word(after, b1, prefer_next=True)
            if start == end:
                continue
        if spans and (start <= spans[-1][1] or not after[spans[-1][1] : start].strip()):
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans, deleted


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces off a changed region, then extend it to the words it cuts into."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, end
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def _adjacent_word(text: str, index: int, prefer_next: bool = False) -> tuple[int, int]:
    """The word just before `index` (or just after, at the start or when asked), to carry a
    change that has no characters of its own."""
    if prefer_next:
        start = index
        while start < len(text) and text[start].isspace():
            start += 1
        end = start
        while end < len(text) and not text[end].isspace():
            end += 1
        if start < end:
            return start, end
    start, end = index, index
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    if start < end:  # the change sits inside or at the edge of a word: that word
        return start, end
    while end > 0 and text[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    if start == end:
        start = index
        while start < len(text) and text[start].isspace():
            start += 1
        end = start
        while end < len(text) and not text[end].isspace():
            end += 1
    return start, end


def load_demetr(files: SourceFiles, relative: str = "benchmarks/demetr/dev.jsonl") -> list[Example]:
    """Calibration half only: good translations, references, and each perturbation with the
    perturbed words located by a character diff."""
    examples: list[Example] = []
    seen_good: set[tuple[str, str]] = set()
    for line in files.read_text(relative).splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        source = item["src_sent"]
        if demetr_half(source) != "calibration" or int(item["id"]) % 2:
            continue
        src_lang = DEMETR_LANGS[item["lang_tag"]]
        group = group_of(source)
        common = {"src": source, "src_lang": src_lang, "tgt_lang": "en", "group": group}
        for name, good in (("mt", item["mt_sent"]), ("ref", item["eng_sent"])):
            if good.strip() and (source, good) not in seen_good:
                seen_good.add((source, good))
                examples.append(
                    make_example(
                        id=f"demetr:{item['id']}:{name}", origin="demetr-good", tgt=good, **common
                    )
                )
        labels = _demetr_labels(item["pert_name"], item["severity"], item["mt_sent"],
                                item["pert_sent"], source)
        if labels is None:
            continue
        tgt_spans, src_spans, omission = labels
        examples.append(
            make_example(
                id=f"demetr:{item['id']}:{item['pert_id']}:{item['pert_name']}",
                origin="demetr-pert",
                tgt=item["pert_sent"],
                tgt_spans=tgt_spans,
                src_spans=src_spans,
                omission=omission,
                **common,
            )
        )
    return examples


def _demetr_labels(
    kind: str, severity_name: str, good: str, pert: str, source: str
) -> tuple[list[tuple[int, int, str, str]], list[tuple[int, int, str]], str | None] | None:
    """Version spans, original spans and omission of one perturbation; None for the
    reference (a good pair, read as such) or a perturbation that changed nothing."""
    if severity_name == "base":
        if "empty" in kind:
            return [], [(0, len(source), "omission")], "major"
        if "shuffle_trans" in kind:
            return [(0, len(pert), "major", "mistranslation")], [], None
        return None
    severity = "minor" if severity_name == "minor" else "major"
    spans, deleted = char_diff_spans(good, pert)
    category = "mistranslation"
    if _DEMETR_FLUENCY.search(kind) and severity == "minor":
        category = "fluency"
    elif _DEMETR_ADDITION.search(kind):
        category = "addition"
    omission = None
    if _DEMETR_OMISSION.search(kind) and category != "fluency":
        omission = severity
    elif not spans and deleted:
        spans = [_adjacent_word(pert, _first_difference(good, pert))]
    if not spans and omission is None:
        return None
    return [(s, e, severity, category) for s, e in spans if e > s], [], omission


def _first_difference(a: str, b: str) -> int:
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return index
    return min(len(a), len(b))
