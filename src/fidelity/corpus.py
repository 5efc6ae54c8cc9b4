"""Corpus cases with expected findings, and how a report is scored against them.

A case folder holds an original, its versions and `expected.json` (see corpora/README.md).
Expected findings are located by quoting the text they concern, which keeps them readable and
robust to edits elsewhere in the files. A report finding matches an expected one when its
check is one of the expected kinds and its span overlaps the quoted text; every report finding
that matches nothing expected counts against precision, and one on a `clean` sentence is
named as such.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from fidelity.model import Finding, Report


@dataclass(frozen=True)
class Expected:
    kinds: tuple[str, ...]
    version_quote: str | None
    original_quote: str | None
    note: str = ""


@dataclass(frozen=True)
class VersionCase:
    path: Path
    findings: tuple[Expected, ...]
    clean: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    original: Path
    mode: str
    versions: tuple[VersionCase, ...]


@dataclass
class CaseScore:
    """Counts over one case; `missed`, `unexpected` and `flagged_clean` say what went wrong."""

    matched: int = 0
    expected: int = 0
    reported: int = 0
    true_reported: int = 0
    missed: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    flagged_clean: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.true_reported / self.reported if self.reported else 1.0

    def add(self, other: CaseScore) -> None:
        self.matched += other.matched
        self.expected += other.expected
        self.reported += other.reported
        self.true_reported += other.true_reported
        self.missed += other.missed
        self.unexpected += other.unexpected
        self.flagged_clean += other.flagged_clean


def load_case(folder: Path) -> Case:
    data = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    versions = []
    for name, spec in data["versions"].items():
        findings = tuple(
            Expected(
                kinds=tuple([f["kind"]] if isinstance(f["kind"], str) else f["kind"]),
                version_quote=f.get("version_quote"),
                original_quote=f.get("original_quote"),
                note=f.get("note", ""),
            )
            for f in spec.get("findings", [])
        )
        clean = tuple(c["version_quote"] for c in spec.get("clean", []))
        versions.append(VersionCase(folder / name, findings, clean))
    return Case(
        folder.name, folder, folder / data["original"], data.get("mode", "auto"), tuple(versions)
    )


def find_cases(root: Path) -> list[Case]:
    return [load_case(p.parent) for p in sorted(root.glob("*/expected.json"))]


def _locate(text: str, quote: str) -> tuple[int, int]:
    start = text.find(quote)
    if start < 0:
        raise ValueError(f"quote not found in text: {quote!r}")
    return start, start + len(quote)


def _overlaps(span: object, bounds: tuple[int, int]) -> bool:
    if span is None:
        return False
    start, end = span.start, span.end  # type: ignore[attr-defined]
    return start < bounds[1] and bounds[0] < end


def _matches(finding: Finding, expected: Expected, original: str, version: str) -> bool:
    if finding.check not in expected.kinds:
        return False
    if expected.version_quote is not None:
        return _overlaps(finding.version_span, _locate(version, expected.version_quote))
    if expected.original_quote is not None:
        return _overlaps(finding.original_span, _locate(original, expected.original_quote))
    return False


def score_report(case: Case, report: Report) -> CaseScore:
    total = CaseScore()
    original_text = report.original.text
    for version_case, version_report in zip(case.versions, report.versions, strict=True):
        text = version_report.document.text
        score = CaseScore(
            expected=len(version_case.findings), reported=len(version_report.findings)
        )
        used: set[int] = set()
        for expected in version_case.findings:
            hits = [
                k
                for k, f in enumerate(version_report.findings)
                if _matches(f, expected, original_text, text)
            ]
            if hits:
                score.matched += 1
                used.update(hits)
            else:
                where = expected.version_quote or expected.original_quote
                score.missed.append(f"{version_case.path.name}: {expected.kinds[0]} at {where!r}")
        score.true_reported = len(used)
        clean_bounds = [_locate(text, quote) for quote in version_case.clean]
        for k, finding in enumerate(version_report.findings):
            if k in used:
                continue
            where = finding.version_span or finding.original_span
            label = (
                f"{version_case.path.name}: {finding.check} {where.text[:60] if where else ''!r}"
            )
            if any(_overlaps(finding.version_span, b) for b in clean_bounds):
                score.flagged_clean.append(label)
            score.unexpected.append(label)
        total.add(score)
    return total
