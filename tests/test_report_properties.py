"""Reports of arbitrary text and spans: every renderer copes, JSON reads back exactly, the
schema holds, and no CSV cell can start a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fidelity.model import (
    Alignment,
    Document,
    Finding,
    Report,
    Segment,
    Severity,
    Signature,
    Span,
    VersionReport,
)
from fidelity.report.html import render_html
from fidelity.report.json import render_json, report_schema, report_to_dict
from fidelity.report.markdown import render_markdown
from fidelity.report.table import FORMULA_STARTS, render_csv, render_xlsx

VALIDATOR = jsonschema.Draft202012Validator(report_schema())
SIGNATURE_KEYS = VALIDATOR.schema["properties"]["signature_fields"]["required"]
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
)


@st.composite
def documents(draw: st.DrawFn, name: str) -> Document:
    pieces = draw(st.lists(TEXT, min_size=1, max_size=5))
    units = draw(st.booleans())
    segments, text = [], ""
    for k, piece in enumerate(pieces):
        start = len(text)
        text += piece
        unit = draw(st.text(min_size=1, max_size=8)) if units else None
        segments.append(Segment(k, piece, start, len(text), "unit" if units else "sentence", unit))
        text += draw(st.sampled_from(["\n\n", " ", "\r\n"]))
    return Document(text, "en", tuple(segments), name)


@st.composite
def spans(draw: st.DrawFn, doc: Document) -> Span | None:
    if draw(st.booleans()):
        return None
    start = draw(st.integers(0, len(doc.text)))
    end = draw(st.integers(start, len(doc.text)))
    return Span(start, end, doc.text[start:end])


@st.composite
def reports(draw: st.DrawFn) -> Report:
    original = draw(documents("o.txt"))
    version = draw(documents(draw(st.sampled_from(["v.txt", "=v.txt", "-v", "@v"]))))
    findings = []
    for _ in range(draw(st.integers(0, 4))):
        findings.append(
            Finding(
                "number",
                draw(st.sampled_from(["mistranslation", "omission", "addition"])),
                draw(st.sampled_from(list(Severity))),
                draw(TEXT),
                draw(spans(original)),
                draw(spans(version)),
                {"original": None, "version": None, "original_value": None,
                 "version_value": None},
                draw(st.sampled_from([1.0, 0.5, 0.0])),
            )
        )
    beads = tuple(
        Alignment((k,), (k,), 0.5) for k in range(min(len(original.segments),
                                                       len(version.segments)))
    )
    return Report(
        original,
        (VersionReport(version, "translation", "test", beads, tuple(findings), 0.5, "m"),),
        Severity.MAJOR,
        Signature(tuple((key, draw(TEXT).replace("|", "/")) for key in SIGNATURE_KEYS)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_every_format_renders_and_json_reads_back(report: Report) -> None:
    text = render_json(report)
    again = Report.from_json(text)
    assert again == report
    assert report_to_dict(again) == json.loads(text)
    VALIDATOR.validate(json.loads(text))
    for row in csv.reader(io.StringIO(render_csv(report))):
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row), row
    render_markdown(report)
    render_html(report)
    assert render_xlsx(report)[:2] == b"PK"
