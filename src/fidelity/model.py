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
    """What it takes to reproduce a report, printed with every one (as sacrebleu does)."""

    fidelity_version: str
    model: str
    calibration: str
    mode: str
    checks: tuple[str, ...]
    score: str = ""  # the fitted score weights (calibration/score.json), by their source
    settings: str = ""  # the settings file in force, as name@hash (config.Settings.label)

    def __str__(self) -> str:
        checks = ",".join(self.checks)
        score = f"|score:{self.score}" if self.score else ""
        settings = f"|settings:{self.settings}" if self.settings else ""
        return (
            f"fidelity:{self.fidelity_version}|model:{self.model}|calib:{self.calibration}"
            f"|mode:{self.mode}|checks:{checks}{score}{settings}"
        )


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

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)


@dataclass(frozen=True)
class Report:
    original: Document
    versions: tuple[VersionReport, ...]
    fail_on: Severity | None
    signature: Signature

    @property
    def failed(self) -> bool:
        if self.fail_on is None:
            return False
        return any(v.worst is not None and v.worst >= self.fail_on for v in self.versions)
