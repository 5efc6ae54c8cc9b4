"""The plain data that flows one way through the pipeline.

Every stage takes these immutable records and returns new ones, so a renderer or another
program can rely on a `Report` holding everything that was decided, with character offsets
that point back into the texts exactly as they were loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from fidelity.errors import printable_path


class Severity(IntEnum):
    """Ordered so that policies can compare: a finding fails a check at or above `fail_on`."""

    MINOR = 1
    MAJOR = 2
    CRITICAL = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, name: str) -> Severity:
        try:
            return cls[name.upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {name!r}; choose one of {choices}") from None


@dataclass(frozen=True)
class Segment:
    """A sentence (or a pre-split line) with its character offsets in `Document.text`."""

    index: int
    text: str
    start: int
    end: int
    kind: str = "sentence"
    # The bilingual file's own id of this unit (XLIFF trans-unit/unit, TMX tu, PO msgctxt or
    # position): translators navigate by it, so every report shows it where it has one.
    unit_id: str | None = None


@dataclass(frozen=True)
class Document:
    text: str
    lang: str
    segments: tuple[Segment, ...]
    source_path: str | None = None
    lang_detected: bool = True
    encoding: str = "utf-8"

    def __post_init__(self) -> None:
        # A file name with bytes that are not UTF-8 must still fit every report format.
        if self.source_path is not None:
            object.__setattr__(self, "source_path", printable_path(self.source_path))

    @property
    def name(self) -> str:
        return self.source_path or "<text>"


@dataclass(frozen=True)
class Span:
    """A stretch of one document: offsets into its text, with the text itself for readers."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Alignment:
    """Original segments rendered by version segments; either side may be empty."""

    original_ids: tuple[int, ...]
    version_ids: tuple[int, ...]
    similarity: float | None

    def to_list(self) -> list[list[int]]:
        return [list(self.original_ids), list(self.version_ids)]


@dataclass(frozen=True)
class Finding:
    check: str
    category: str
    severity: Severity
    message: str
    original_span: Span | None
    version_span: Span | None
    evidence: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "category": self.category,
            "severity": self.severity.label,
            "message": self.message,
            "original_span": self.original_span.to_dict() if self.original_span else None,
            "version_span": self.version_span.to_dict() if self.version_span else None,
            "evidence": self.evidence,
            "confidence": round(self.confidence, 4),
        }


@dataclass(frozen=True)
class Signature:
    """What it takes to reproduce a report, printed with every one in sacrebleu's style:
    an ordered list of `key:value` entries joined by `|`.

    Two runs whose findings can differ (another model, split, setting, glossary ...) carry
    different signatures; `fidelity.api.build_signature` is the one place the entries are
    decided."""

    entries: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        keys = [key for key, _value in self.entries]
        if len(set(keys)) != len(keys):
            raise ValueError(f"signature keys repeat: {keys}")
        for key, value in self.entries:
            if not key or any(ch in key for ch in "|:") or "|" in value:
                raise ValueError(f"signature entry {key}:{value} cannot be written unambiguously")

    def __str__(self) -> str:
        return "|".join(f"{key}:{value}" for key, value in self.entries)

    def __getitem__(self, key: str) -> str:
        for name, value in self.entries:
            if name == key:
                return value
        raise KeyError(key)

    def get(self, key: str, default: str | None = None) -> str | None:
        try:
            return self[key]
        except KeyError:
            return default

    def with_entry(self, key: str, value: str) -> Signature:
        """This signature with `key` set: replaced in place if present, else appended."""
        value = value.replace("|", "/")
        if any(name == key for name, _value in self.entries):
            return Signature(tuple((n, value if n == key else v) for n, v in self.entries))
        return Signature((*self.entries, (key, value)))

    def to_dict(self) -> dict[str, str]:
        return dict(self.entries)

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Signature:
        return cls(tuple((str(key), str(value)) for key, value in data.items()))

    @classmethod
    def parse(cls, text: str) -> Signature:
        """Read back a printed signature (values may hold `:`, keys never do)."""
        entries = []
        for part in text.split("|") if text else []:
            key, colon, value = part.partition(":")
            if not colon:
                raise ValueError(f"not a signature entry: {part!r}")
            entries.append((key, value))
        return cls(tuple(entries))


@dataclass(frozen=True)
class SkippedCheck:
    """A check that could not run on this pair (e.g. no word list for the language)."""

    check: str
    reason: str


@dataclass(frozen=True)
class VersionReport:
    document: Document
    mode: str
    mode_reason: str
    alignments: tuple[Alignment, ...]
    findings: tuple[Finding, ...]
    score: float
    model: str
    metrics: dict[str, object] = field(default_factory=dict)
    skipped_checks: tuple[SkippedCheck, ...] = ()
    # Findings matching the baseline (accepted earlier): out of `findings`, the score and the
    # verdict, and reported only as a count.
    suppressed: tuple[Finding, ...] = ()

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)


@dataclass(frozen=True)
class Report:
    original: Document
    versions: tuple[VersionReport, ...]
    fail_on: Severity | None
    signature: Signature

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """Read back a report written as JSON (`fidelity check --format json`)."""
        from fidelity.report.json import report_from_dict

        return report_from_dict(data)

    @classmethod
    def from_json(cls, text: str | bytes) -> Report:
        import json

        return cls.from_dict(json.loads(text))

    @property
    def failed(self) -> bool:
        if self.fail_on is None:
            return False
        return any(v.worst is not None and v.worst >= self.fail_on for v in self.versions)
