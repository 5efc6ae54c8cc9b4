"""The Markdown report, for pasting into a ticket: summary, a table of findings, signature.

Excerpts show the sentence around each finding with the drifted span in **bold**; every piece
of document text is escaped so that a `|`, `*` or `<` in a story cannot break the table.
"""

from __future__ import annotations

import re
from collections import Counter

from fidelity.model import Finding, Report, Severity, Span, VersionReport
from fidelity.report.locate import SegmentIndex, finding_where
from fidelity.report.notes import not_shown_notes

CONTEXT = 60  # characters of context either side of a span
MAX_SPAN = 160  # longer spans are cut (with an ellipsis) to keep the table readable

_ESCAPE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def render_markdown(report: Report) -> str:
    lines: list[str] = ["# Fidelity report", ""]
    threshold = report.fail_on.label if report.fail_on else "never"
    if report.failed:
        lines.append(f"**FAIL**: drift at or above *{threshold}*")
    else:
        lines.append(f"**PASS**: nothing at or above *{threshold}*")
    lines += ["", f"Original: {inline_code(report.original.name)} ({report.original.lang})", ""]
    lines += [
        "| version | lang | mode | score | critical | major | minor |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for version in report.versions:
        counts = Counter(f.severity for f in version.findings)
        lines.append(
            f"| {table_cell(version.document.name)} | {version.document.lang} | {version.mode} "
            f"| {version.score:.2f} | {counts[Severity.CRITICAL]} | {counts[Severity.MAJOR]} "
            f"| {counts[Severity.MINOR]} |"
        )
    number = 0
    original_index = SegmentIndex(report.original)
    for version in report.versions:
        version_index = SegmentIndex(version.document)
        lines += ["", f"## Findings: {table_cell(version.document.name)}", ""]
        lines += _not_shown(version)
        if not version.findings:
            lines.append("No drift found.")
            continue
        lines += [
            "| # | where | severity | check | original | version | message |",
            "| ---: | --- | --- | --- | --- | --- | --- |",
        ]
        for finding in version.findings:
            number += 1
            original = _excerpt(original_index, finding.original_span)
            rendered = _excerpt(version_index, finding.version_span)
            if finding.version_span is None:
                rendered = "*(omitted)*"
            if finding.original_span is None:
                original = "*(not in the original)*"
            where = finding_where(finding, original_index, version_index)
            lines.append(
                f"| {number} | {table_cell(where)} | {_severity(finding)} "
                f"| {table_cell(finding.check)} "
                f"| {original} | {rendered} | {table_cell(finding.message)} |"
            )
    lines += ["", f"Signature: {inline_code(str(report.signature))}", ""]
    return "\n".join(lines)


def _not_shown(version: VersionReport) -> list[str]:
    notes = [f"*{table_cell(note)}.*" for note in not_shown_notes(version)]
    return [*notes, ""] if notes else []


def _severity(finding: Finding) -> str:
    label = finding.severity.label
    return f"**{label}**" if finding.severity >= Severity.MAJOR else label


def _excerpt(index: SegmentIndex, span: Span | None) -> str:
    """The span in bold with some context from the segment(s) around it."""
    if span is None:
        return "—"
    doc = index.document
    start, end = max(0, span.start), min(len(doc.text), span.end)
    lo, hi = index.bounds(span)
    left = doc.text[max(lo, start - CONTEXT) : start]
    right = doc.text[end : min(hi, end + CONTEXT)]
    if start - CONTEXT > lo:
        left = "…" + left.split(" ", 1)[-1] if " " in left else "…" + left
    if end + CONTEXT < hi:
        right = (right.rsplit(" ", 1)[0] if " " in right else right) + "…"
    middle = doc.text[start:end]
    if len(middle) > MAX_SPAN:
        cut = middle[:MAX_SPAN]
        middle = (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
        right = ""
    return table_cell(left, keep_edges=True) + _bold(middle) + table_cell(right, keep_edges=True)


def _bold(text: str) -> str:
    stripped = text.strip()
    if not stripped:
        return table_cell(text, keep_edges=True)
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{' ' if lead else ''}**{table_cell(stripped)}**{' ' if trail else ''}"


def table_cell(text: str, keep_edges: bool = False) -> str:
    """Escape text for a table cell: one line, Markdown and HTML markup neutralised."""
    flat = " ".join(text.split())
    if keep_edges and flat:
        if text[:1].isspace():
            flat = " " + flat
        if text[-1:].isspace():
            flat += " "
    return _ENTITY.sub("&amp;", _ESCAPE.sub(r"\\\1", flat))


def inline_code(text: str) -> str:
    """Inline code that survives backticks inside the text."""
    flat = " ".join(text.split())
    fence = "`"
    while fence in flat:
        fence += "`"
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"
