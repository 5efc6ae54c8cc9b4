"""The JSON report: `Report` serialised, versioned so that other programs can rely on it.

Schema (version 1): {schema_version, signature, verdict: {failed, fail_on}, original:
{path, lang, encoding, segments: [{index, start, end, text}]}, versions: [{path, lang, mode,
mode_reason, model, score, worst, alignments: [[[orig ids], [version ids], similarity]],
findings: [{check, category, severity, message, original_span: {start, end, text} | null,
version_span: ..., evidence, confidence}], metrics: {chrF_vs_original, TER_vs_original,
chrF_vs_reference, TER_vs_reference, *_signature} (sacrebleu, where they apply)}]}.
Offsets are Python string indices (code points) into the document text as loaded (after
decoding and newline normalisation).
"""

from __future__ import annotations

import json
from typing import Any

from fidelity.model import Document, Report

SCHEMA_VERSION = 1


def _document(doc: Document) -> dict[str, Any]:
    return {
        "path": doc.source_path,
        "lang": doc.lang,
        "lang_detected": doc.lang_detected,
        "encoding": doc.encoding,
        "segments": [
            {"index": s.index, "start": s.start, "end": s.end, "text": s.text} for s in doc.segments
        ],
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "signature": str(report.signature),
        "verdict": {
            "failed": report.failed,
            "fail_on": report.fail_on.label if report.fail_on else "never",
        },
        "original": _document(report.original),
        "versions": [
            {
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
                "findings": [f.to_dict() for f in v.findings],
                "metrics": v.metrics,
            }
            for v in report.versions
        ],
    }


def render_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2) + "\n"
