"""Findings as a table, one row per finding, as translation QA tools export them: CSV and XLSX.

The rows are built once here (`finding_rows`) and written by `render_csv` and
`render_xlsx`, so the two files always hold the same columns. Each row names where the
finding is on both sides (sentence numbers from 1, or the bilingual file's unit ids), what
was found, and both sentences with the drifted span between ⟦ and ⟧ (brackets that news text
does not use, unlike « » and “ ”), with the span's offsets into the document as loaded.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, so a story that
quotes "=HYPERLINK(...)" could act when the CSV is opened: such text cells get a leading `'`
(OWASP's advice). The XLSX file writes every text cell as a string, never a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fidelity.model import Finding, Report, Severity, Span
from fidelity.report.locate import SegmentIndex

if TYPE_CHECKING:
    from xlsxwriter import Workbook
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

OPEN_MARK, CLOSE_MARK = "⟦", "⟧"
# Characters of the sentence kept either side of a span, and of the span itself; longer text
# is cut with "…" (the offsets still give the whole span), so a cell stays readable and under
# a spreadsheet's limit of 32,767 characters.
CONTEXT = 400
MAX_SPAN = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = (
    "finding",
    "version",
    "original_segments",
    "version_segments",
    "check",
    "category",
    "severity",
    "message",
    "confidence",
    "original_text",
    "version_text",
    "original_start",
    "original_end",
    "version_start",
    "version_end",
)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class MarkedText:
    """A sentence cut in three around a span, for writers that style the span."""

    before: str
    span: str
    after: str

    def __str__(self) -> str:
        if not self.span and not self.before and not self.after:
            return ""
        return f"{self.before}{OPEN_MARK}{self.span}{CLOSE_MARK}{self.after}"


def finding_rows(report: Report) -> list[dict[str, object]]:
    """One dict per finding (keys `COLUMNS`), numbered across versions as the other reports
    number them; an absent span leaves its text and offsets empty."""
    rows: list[dict[str, object]] = []
    number = 0
    original = SegmentIndex(report.original)
    for version in report.versions:
        index = SegmentIndex(version.document)
        for finding in version.findings:
            number += 1
            rows.append(_row(number, finding, original, index))
    return rows


def _row(
    number: int, finding: Finding, original: SegmentIndex, version: SegmentIndex
) -> dict[str, object]:
    o_span, v_span = finding.original_span, finding.version_span
    return {
        "finding": number,
        "version": version.document.name,
        "original_segments": original.label(original.segments_of(o_span), empty=""),
        "version_segments": version.label(version.segments_of(v_span), empty=""),
        "check": finding.check,
        "category": finding.category,
        "severity": finding.severity.label,
        "message": finding.message,
        "confidence": round(finding.confidence, 4),
        "original_text": marked_text(original, o_span),
        "version_text": marked_text(version, v_span),
        "original_start": o_span.start if o_span else None,
        "original_end": o_span.end if o_span else None,
        "version_start": v_span.start if v_span else None,
        "version_end": v_span.end if v_span else None,
    }


def marked_text(index: SegmentIndex, span: Span | None) -> MarkedText:
    """The sentence(s) a span touches, on one line, cut in three around the span."""
    if span is None:
        return MarkedText("", "", "")
    doc = index.document
    start, end = max(0, span.start), min(len(doc.text), span.end)
    lo, hi = index.bounds(span)
    before = doc.text[max(lo, start - CONTEXT) : start]
    after = doc.text[end : min(hi, end + CONTEXT)]
    if start - CONTEXT > lo:
        before = "…" + before
    if end + CONTEXT < hi:
        after += "…"
    middle = _flat(doc.text[start:end])
    if len(middle) > MAX_SPAN:
        middle = middle[:MAX_SPAN] + "…"
    return MarkedText(_flat(before).lstrip(), middle, _flat(after).rstrip())


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text)


def safe_cell(value: object) -> object:
    """Text a spreadsheet would run as a formula, quoted; numbers and empty cells as they are."""
    if value is None:
        return ""
    if isinstance(value, MarkedText):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in finding_rows(report):
        writer.writerow([safe_cell(row[column]) for column in COLUMNS])
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# XLSX

WIDTHS = {
    "finding": 8,
    "version": 24,
    "original_segments": 10,
    "version_segments": 10,
    "check": 13,
    "category": 15,
    "severity": 10,
    "message": 50,
    "confidence": 11,
    "original_text": 60,
    "version_text": 60,
}
SEVERITY_COLOURS = {
    Severity.CRITICAL: "#FFCDD2",
    Severity.MAJOR: "#FFE0B2",
    Severity.MINOR: "#FFF59D",
}


def render_xlsx(report: Report) -> bytes:
    """A workbook with a `findings` sheet (header, frozen top row, filter on every column)
    and a `summary` sheet (one row per version, the verdict and the signature)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    header = workbook.add_format({"bold": True, "bg_color": "#ECEFF1", "border": 1})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    top = workbook.add_format({"valign": "top"})
    span_format = workbook.add_format({"bold": True, "font_color": "#B71C1C"})
    severity_formats = {
        s.label: workbook.add_format({"bg_color": colour, "valign": "top"})
        for s, colour in SEVERITY_COLOURS.items()
    }

    sheet = workbook.add_worksheet("findings")
    rows = finding_rows(report)
    for col, column in enumerate(COLUMNS):
        sheet.write_string(0, col, column, header)
        width = WIDTHS.get(column, 12)
        sheet.set_column(col, col, width, wrap if width >= 40 else top)
    for r, row in enumerate(rows, start=1):
        for col, column in enumerate(COLUMNS):
            value = row[column]
            if isinstance(value, MarkedText):
                _write_marked(sheet, r, col, value, span_format, wrap)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, col, value)
            elif value is None:
                sheet.write_blank(r, col, None)
            elif column == "severity":
                sheet.write_string(r, col, str(value), severity_formats[str(value)])
            else:
                sheet.write_string(r, col, str(value))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(COLUMNS) - 1)

    _summary_sheet(workbook, report, header)
    workbook.close()
    return buffer.getvalue()


def _write_marked(
    sheet: Worksheet, row: int, col: int, text: MarkedText, span_format: Format, wrap: Format
) -> None:
    """The span in bold red between its brackets, the sentence around it plain."""
    marked = f"{OPEN_MARK}{text.span}{CLOSE_MARK}"
    if not str(text):
        sheet.write_blank(row, col, None)
        return
    fragments: list[object] = []
    if text.before:
        fragments.append(text.before)
    fragments += [span_format, marked]
    if text.after:
        fragments.append(text.after)
    if len(fragments) == 2:  # the span alone: rich strings need two fragments
        sheet.write_string(row, col, marked, span_format)
    else:
        sheet.write_rich_string(row, col, *fragments, wrap)


def _summary_sheet(workbook: Workbook, report: Report, header: Format) -> None:
    sheet = workbook.add_worksheet("summary")
    columns = ("version", "lang", "mode", "score", "critical", "major", "minor", "suppressed",
               "checks not run")
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column, header)
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 7, 10)
    sheet.set_column(8, 8, 50)
    for r, version in enumerate(report.versions, start=1):
        counts = Counter(f.severity for f in version.findings)
        sheet.write_string(r, 0, version.document.name)
        sheet.write_string(r, 1, version.document.lang)
        sheet.write_string(r, 2, version.mode)
        sheet.write_number(r, 3, round(version.score, 4))
        for col, severity in enumerate((Severity.CRITICAL, Severity.MAJOR, Severity.MINOR), 4):
            sheet.write_number(r, col, counts[severity])
        sheet.write_number(r, 7, len(version.suppressed))
        skipped = "; ".join(f"{s.check}: {s.reason}" for s in version.skipped_checks)
        sheet.write_string(r, 8, skipped)
    sheet.freeze_panes(1, 0)
    below = len(report.versions) + 2
    threshold = report.fail_on.label if report.fail_on else "never"
    verdict = "FAIL" if report.failed else "PASS"
    sheet.write_string(below, 0, "original", header)
    sheet.write_string(below, 1, report.original.name)
    sheet.write_string(below + 1, 0, "verdict", header)
    sheet.write_string(below + 1, 1, f"{verdict} (fail on {threshold})")
    sheet.write_string(below + 2, 0, "signature", header)
    sheet.write_string(below + 2, 1, str(report.signature))
