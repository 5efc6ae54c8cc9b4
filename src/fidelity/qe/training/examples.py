"""Training examples in the agreed JSONL schema (written by `fidelity.qe.training.build`),
and the per-token labels the heads learn from them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fidelity.qe.tokenizer import Tokens

SEVERITY_CODES = {"ok": 0, "minor": 1, "major": 2}
CATEGORY_CODES = {"mistranslation": 0, "addition": 1}
IGNORE = -100
# Origins whose originals are fully annotated for omissions (elsewhere, e.g. MQM, omissions
# are marked on the version, so unmarked original words are not known to be rendered).
OMISSION_ANNOTATED = ("mlqe-mt", "mlqe-pe", "synth-")


@dataclass(frozen=True)
class Example:
    id: str
    origin: str
    src: str
    tgt: str
    src_lang: str
    tgt_lang: str
    tgt_spans: tuple[tuple[int, int, str, str], ...]
    src_spans: tuple[tuple[int, int], ...]
    has_major: bool
    group: str
    spans_known: bool = True
    omissions_known: bool = False


def example_from_json(row: dict) -> Example:
    origin = str(row.get("origin", ""))
    spans_known = bool(row.get("spans_complete", True))
    tgt_spans = tuple(
        (int(s[0]), int(s[1]), str(s[2]), str(s[3]) if len(s) > 3 else "mistranslation")
        for s in row.get("tgt_spans") or ()
    )
    src_spans = tuple((int(s[0]), int(s[1])) for s in row.get("src_spans") or ())
    return Example(
        id=str(row.get("id", "")),
        origin=origin,
        src=str(row["src"]),
        tgt=str(row["tgt"]),
        src_lang=str(row.get("src_lang") or ""),
        tgt_lang=str(row.get("tgt_lang") or ""),
        tgt_spans=tgt_spans,
        src_spans=src_spans,
        has_major=bool(row.get("has_major")),
        group=str(row.get("group") or row["src"]),
        spans_known=spans_known,
        omissions_known=spans_known and (bool(src_spans) or origin.startswith(OMISSION_ANNOTATED)),
    )


def read_jsonl(path: Path) -> Iterator[Example]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield example_from_json(json.loads(line))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def token_severity_labels(
    tokens: Tokens, spans: Iterable[tuple[int, int, str, str]], known: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Per token: severity code (0 ok, 1 minor, 2 major, IGNORE unknown) and category code
    (IGNORE where the token is fine or the category is not one the head learns)."""
    n = len(tokens)
    severity = np.full(n, IGNORE if not known else 0, dtype=np.int64)
    category = np.full(n, IGNORE, dtype=np.int64)
    if not known:
        return severity, category
    starts = np.asarray(tokens.starts)
    ends = np.asarray(tokens.ends)
    for start, end, sev, cat in spans:
        end = max(end, start + 1)
        hit = (starts < end) & (ends > start)
        code = SEVERITY_CODES.get(sev, 1)
        severity[hit] = np.maximum(severity[hit], code)
        if cat in CATEGORY_CODES:
            category[hit] = CATEGORY_CODES[cat]
    severity[(ends <= starts)] = IGNORE  # a lone space marker carries no word
    return severity, category


def token_omission_labels(
    tokens: Tokens, spans: Iterable[tuple[int, int]], known: bool
) -> np.ndarray:
    n = len(tokens)
    if not known:
        return np.full(n, IGNORE, dtype=np.int64)
    labels = np.zeros(n, dtype=np.int64)
    starts = np.asarray(tokens.starts)
    ends = np.asarray(tokens.ends)
    for start, end in spans:
        labels[(starts < max(end, start + 1)) & (ends > start)] = 1
    labels[(ends <= starts)] = IGNORE
    return labels
