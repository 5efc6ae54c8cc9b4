"""What a check receives and how checks are registered and run."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import numpy as np

from fidelity.calibration import Calibration
from fidelity.embed.base import Encoder
from fidelity.model import Alignment, Document, Finding, Segment, Span

T = TypeVar("T")


@dataclass(frozen=True)
class CheckContext:
    """Everything shared by the pairs of one original-version comparison."""

    original: Document
    version: Document
    mode: str
    encoder: Encoder
    calibration: Calibration
    settings: dict[str, object] = field(default_factory=dict)
    # Whole-document readings a check makes once per comparison and reuses for every pair.
    analyses: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # The whole alignment, for checks that judge a pair against the rest of its document.
    alignments: tuple[Alignment, ...] = ()

    def analysis(self, key: str, compute: Callable[[CheckContext], T]) -> T:
        """A whole-document reading, computed on a check's first pair and then reused for
        every other pair of this comparison."""
        if key not in self.analyses:
            self.analyses[key] = compute(self)
        return self.analyses[key]


@dataclass(frozen=True)
class AlignedPair:
    """One alignment bead with its segments resolved; either side may be empty."""

    alignment: Alignment
    original_segments: tuple[Segment, ...]
    version_segments: tuple[Segment, ...]
    original_text: str
    version_text: str

    @property
    def similarity(self) -> float | None:
        return self.alignment.similarity

    def original_span(self, doc: Document) -> Span | None:
        return _covering_span(doc, self.original_segments)

    def version_span(self, doc: Document) -> Span | None:
        return _covering_span(doc, self.version_segments)


def _covering_span(doc: Document, segments: tuple[Segment, ...]) -> Span | None:
    if not segments:
        return None
    start, end = segments[0].start, segments[-1].end
    return Span(start, end, doc.text[start:end])


def span_in(doc: Document, segments: tuple[Segment, ...], start: int, end: int) -> Span:
    """A span given as offsets into the pair's joined text, mapped back into the document."""
    base = segments[0].start
    return Span(base + start, base + end, doc.text[base + start : base + end])


class Located(Protocol):
    """Anything found in a pair's text: offsets into `pair.original_text` or `version_text`."""

    start: int
    end: int


def mention_spans(
    pair: AlignedPair, context: CheckContext, original: Located | None, version: Located | None
) -> tuple[Span | None, Span | None]:
    """Document spans of a mention on each side, or of the whole pair side where a side has
    none (what was dropped or added is shown against the sentence that lacks it)."""
    original_span = (
        span_in(context.original, pair.original_segments, original.start, original.end)
        if original is not None
        else pair.original_span(context.original)
    )
    version_span = (
        span_in(context.version, pair.version_segments, version.start, version.end)
        if version is not None
        else pair.version_span(context.version)
    )
    return original_span, version_span


def pair_text(doc: Document, segments: tuple[Segment, ...]) -> str:
    """The pair's text exactly as in the document (including what lies between sentences),
    so offsets into it map back by adding the first segment's start."""
    if not segments:
        return ""
    return doc.text[segments[0].start : segments[-1].end]


Check = Callable[[AlignedPair, CheckContext], list[Finding]]
REGISTRY: dict[str, Check] = {}
DEFAULT_CHECKS: list[str] = []


def register(name: str, default: bool = True) -> Callable[[Check], Check]:
    def decorate(function: Check) -> Check:
        REGISTRY[name] = function
        if default:
            DEFAULT_CHECKS.append(name)
        return function

    return decorate


def make_pairs(
    original: Document, version: Document, alignments: Iterable[Alignment]
) -> list[AlignedPair]:
    pairs = []
    for alignment in alignments:
        o = tuple(original.segments[i] for i in alignment.original_ids)
        v = tuple(version.segments[j] for j in alignment.version_ids)
        pairs.append(AlignedPair(alignment, o, v, pair_text(original, o), pair_text(version, v)))
    return pairs


def run_checks(
    pairs: list[AlignedPair], context: CheckContext, names: Iterable[str]
) -> list[Finding]:
    """Every check on one pair before the next pair: checks read the same sentences (dates
    mask figures, names serve three checks), and their per-text memos then stay small."""
    checks = [REGISTRY[name] for name in names]
    findings: list[Finding] = []
    for pair in pairs:
        for check in checks:
            findings.extend(check(pair, context))
    return findings


def unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)
