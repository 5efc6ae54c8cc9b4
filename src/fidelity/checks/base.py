"""What a check receives and how checks are registered and run."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import numpy as np

from fidelity.calibration import Calibration
from fidelity.embed.base import Encoder
from fidelity.model import Alignment, Document, Finding, Segment, SkippedCheck, Span

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


@dataclass(frozen=True)
class Languages:
    """The languages a check can judge, as it declares them when registered.

    `listed` gives them (read lazily: most come from the language data); None means any
    language. `sides` says which side of a pair must be one of them: "both" (the check
    reads both texts with its word lists) or "version" (it reads only the version's). `lacks`
    names what a language without them lacks, for the report: "no hedge list"."""

    listed: Callable[[], Iterable[str]] | None = None
    lacks: str = ""
    sides: str = "both"

    def codes(self) -> frozenset[str] | None:
        return None if self.listed is None else frozenset(self.listed())

    def judges(self, lang: str) -> bool:
        codes = self.codes()
        return codes is None or lang in codes

    def reason(self, original_lang: str, version_lang: str) -> str | None:
        """Why the pair of languages cannot be judged, or None where it can."""
        sides = [version_lang] if self.sides == "version" else [original_lang, version_lang]
        missing = [lang for lang in dict.fromkeys(sides) if not self.judges(lang)]
        if not missing:
            return None
        because = f" ({self.lacks} for {', '.join(missing)})" if self.lacks else ""
        return f"not checked for {original_lang}→{version_lang}{because}"


ANY_LANGUAGE = Languages()
COVERAGE: dict[str, Languages] = {}


def register(
    name: str, default: bool = True, languages: Languages = ANY_LANGUAGE
) -> Callable[[Check], Check]:
    """Register a check under `name`, with the languages it can judge: a pair outside them
    is not run but reported as a skipped check."""

    def decorate(function: Check) -> Check:
        REGISTRY[name] = function
        COVERAGE[name] = languages
        if default:
            DEFAULT_CHECKS.append(name)
        return function

    return decorate


# The languages `fidelity models` shows coverage for: the default encoder's and the ten most
# used languages of the second encoder beyond them.
COVERAGE_LANGUAGES = ("ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru",
                      "th", "tr", "zh", "uk", "cs", "el", "he", "hi", "id", "fa", "ro", "sv", "vi")


def coverage_matrix(
    languages: Iterable[str] = COVERAGE_LANGUAGES,
) -> list[tuple[str, dict[str, bool]]]:
    """For each registered check, whether it can judge each language: generated from the
    checks' declarations, so the table `fidelity models` prints is what `check` does."""
    codes = list(languages)
    return [(name, {lang: COVERAGE[name].judges(lang) for lang in codes}) for name in REGISTRY]


def skipped_checks(
    names: Iterable[str], original_lang: str, version_lang: str
) -> list[SkippedCheck]:
    """The checks of `names` that cannot judge this pair of languages, with the reason."""
    skipped = []
    for name in names:
        reason = COVERAGE.get(name, ANY_LANGUAGE).reason(original_lang, version_lang)
        if reason is not None:
            skipped.append(SkippedCheck(name, reason))
    return skipped


def parameters(context: CheckContext, check: str) -> dict[str, Any]:
    """A check's parameters: its `[check]` settings section (`fidelity.config.section`,
    declared next to the check, validated when the settings are read) over the declared
    defaults."""
    from fidelity.config import SECTIONS

    declared = {key: setting.default for key, setting in SECTIONS.get(check, {}).items()}
    configured = context.settings.get(check) if context is not None else None
    return declared | dict(configured or {})


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
        found = [finding for check in checks for finding in check(pair, context)]
        findings.extend(_explained(found))
    return findings


# The check that measures meaning as a whole: where a check that names what changed (a
# figure, a quote cut, a hedge made certain) fired on the same pair at least as gravely,
# the drift it measured is that change, and saying "meaning drifted" too repeats it.
GENERAL_CHECK = "semantic"


def _explained(found: list[Finding]) -> list[Finding]:
    specific = [f.severity for f in found if f.check != GENERAL_CHECK]
    if not specific:
        return found
    worst = max(specific)
    return [f for f in found if f.check != GENERAL_CHECK or f.severity > worst]


def unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)
