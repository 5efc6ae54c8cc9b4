"""The JSON report: `Report` serialised, versioned so that other programs can rely on it.

The contract is `fidelity/report/schema.json` (JSON Schema 2020-12, shipped with the
package; README "The output contract" explains it), and `report_from_dict` reads a report
back into the same `Report`. Offsets are Python string indices (code points) into the
document text as loaded (after decoding and newline normalisation), which each document
carries in `text`.

Schema version 2 (fidelity 0.1 onwards): documents carry their `text`, segments their
`kind` and `unit_id`; findings their `original_segments` / `version_segments` (0-based) and
`original_units` / `version_units`; versions `skipped_checks` and `suppressed`; the report
`signature_fields` beside the `signature` string. Version 1 had a finding's unit id in
`evidence.unit_id`.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from fidelity.errors import FidelityInputError
from fidelity.model import (
    Alignment,
    Document,
    Finding,
    Report,
    Segment,
    Severity,
    Signature,
    SkippedCheck,
    Span,
    VersionReport,
)
from fidelity.report.locate import SegmentIndex

SCHEMA_VERSION = 2


def _document(doc: Document) -> dict[str, Any]:
    return {
        "path": doc.source_path,
        "lang": doc.lang,
        "lang_detected": doc.lang_detected,
        "encoding": doc.encoding,
        "text": doc.text,
        "segments": [
            {
                "index": s.index,
                "start": s.start,
                "end": s.end,
                "text": s.text,
                "kind": s.kind,
                "unit_id": s.unit_id,
            }
            for s in doc.segments
        ],
    }


def finding_to_dict(
    finding: Finding, original: SegmentIndex, version: SegmentIndex
) -> dict[str, Any]:
    """A finding with where it is: segment indices and, for bilingual files, unit ids."""
    o_ids = original.segments_of(finding.original_span)
    v_ids = version.segments_of(finding.version_span)
    return {
        **finding.to_dict(),
        "original_segments": list(o_ids),
        "version_segments": list(v_ids),
        "original_units": list(original.unit_ids(o_ids)),
        "version_units": list(version.unit_ids(v_ids)),
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    original = SegmentIndex(report.original)
    return {
        "schema_version": SCHEMA_VERSION,
        "signature": str(report.signature),
        "signature_fields": report.signature.to_dict(),
        "verdict": {
            "failed": report.failed,
            "fail_on": report.fail_on.label if report.fail_on else "never",
        },
        "original": _document(report.original),
        "versions": [_version(v, original) for v in report.versions],
    }


def _version(v: VersionReport, original: SegmentIndex) -> dict[str, Any]:
    index = SegmentIndex(v.document)
    return {
        **_document(v.document),
        "mode": v.mode,
        "mode_reason": v.mode_reason,
        "model": v.model,
        "score": v.score,
        "worst": v.worst.label if v.worst else None,
        "alignments": [
            [
                list(a.original_ids),
                list(a.version_ids),
                None if a.similarity is None else round(a.similarity, 4),
            ]
            for a in v.alignments
        ],
        "findings": [finding_to_dict(f, original, index) for f in v.findings],
        "metrics": v.metrics,
        "skipped_checks": [{"check": s.check, "reason": s.reason} for s in v.skipped_checks],
        "suppressed": [finding_to_dict(f, original, index) for f in v.suppressed],
    }


def report_schema() -> dict[str, Any]:
    """The JSON Schema every report this version writes validates against (shipped as
    package data, so a program can validate reports without a copy of its own)."""
    text = resources.files("fidelity.report").joinpath("schema.json").read_text("utf-8")
    return json.loads(text)


def render_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------
# Reading a report back


def report_from_dict(data: dict[str, Any]) -> Report:
    """The `Report` a JSON report was written from (similarities as rounded there).

    Raises `FidelityInputError` for a report of another schema version or a missing field,
    so a program reading reports it did not write gets one clear line."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version != SCHEMA_VERSION:
        raise FidelityInputError(
            f"report schema version {version!r}; this fidelity reads version {SCHEMA_VERSION}"
        )
    try:
        original = _document_from(data["original"])
        fail_on = data["verdict"]["fail_on"]
        fields = data.get("signature_fields")
        if fields is not None:
            signature = Signature.from_dict(fields)
        else:
            signature = Signature.parse(data["signature"])
        return Report(
            original=original,
            versions=tuple(_version_from(v) for v in data["versions"]),
            fail_on=None if fail_on == "never" else Severity.parse(fail_on),
            signature=signature,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        reason = f"{type(error).__name__}: {error}"
        raise FidelityInputError(f"not a fidelity JSON report ({reason})") from None


def _document_from(data: dict[str, Any]) -> Document:
    segments = tuple(
        Segment(s["index"], s["text"], s["start"], s["end"], s["kind"], s["unit_id"])
        for s in data["segments"]
    )
    return Document(
        text=data["text"],
        lang=data["lang"],
        segments=segments,
        source_path=data["path"],
        lang_detected=data["lang_detected"],
        encoding=data["encoding"],
    )


def _version_from(data: dict[str, Any]) -> VersionReport:
    return VersionReport(
        document=_document_from(data),
        mode=data["mode"],
        mode_reason=data["mode_reason"],
        alignments=tuple(
            Alignment(tuple(o), tuple(v), similarity) for o, v, similarity in data["alignments"]
        ),
        findings=tuple(_finding_from(f) for f in data["findings"]),
        score=data["score"],
        model=data["model"],
        metrics=data["metrics"],
        skipped_checks=tuple(SkippedCheck(s["check"], s["reason"]) for s in data["skipped_checks"]),
        suppressed=tuple(_finding_from(f) for f in data["suppressed"]),
    )


def _finding_from(data: dict[str, Any]) -> Finding:
    return Finding(
        check=data["check"],
        category=data["category"],
        severity=Severity.parse(data["severity"]),
        message=data["message"],
        original_span=_span_from(data["original_span"]),
        version_span=_span_from(data["version_span"]),
        evidence=data["evidence"],
        confidence=data["confidence"],
    )


def _span_from(data: dict[str, Any] | None) -> Span | None:
    return None if data is None else Span(data["start"], data["end"], data["text"])
