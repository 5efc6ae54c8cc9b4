"""The terminal report: aligned pairs side by side with the drifted spans highlighted.

Only pairs with findings are shown by default: an editor before publication reads what needs
attention first; `show_all` prints every pair.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fidelity.model import Document, Finding, Report, Severity, VersionReport

STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.MAJOR: "bold black on dark_orange",
    Severity.MINOR: "black on yellow",
}
LABEL_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.MAJOR: "dark_orange",
    Severity.MINOR: "yellow",
}


def render_text(report: Report, console: Console, show_all: bool = False) -> None:
    console.print(
        Text.assemble(
            ("original ", "dim"),
            (report.original.name, "bold"),
            (f"  [{report.original.lang}]", "dim"),
        )
    )
    for version in report.versions:
        _render_version(report, version, console, show_all)
    console.print(Text(f"signature {report.signature}", style="dim"))
    console.print(_verdict(report))


def _render_version(
    report: Report, version: VersionReport, console: Console, show_all: bool
) -> None:
    doc = version.document
    console.rule(Text.assemble(("version ", "dim"), (doc.name, "bold"), (f"  [{doc.lang}]", "dim")))
    console.print(
        Text(f"mode {version.mode} ({version.mode_reason}) · model {version.model}", style="dim")
    )
    table = Table(show_lines=True, expand=True, pad_edge=False)
    table.add_column("#", style="dim", no_wrap=True, width=7)
    table.add_column(f"original [{report.original.lang}]", ratio=1)
    table.add_column(f"version [{doc.lang}]", ratio=1)
    table.add_column("findings", ratio=1)
    shown = 0
    for alignment in version.alignments:
        findings = [f for f in version.findings if _belongs(f, alignment, report.original, doc)]
        if not findings and not show_all:
            continue
        shown += 1
        o_text = _highlight(report.original, alignment.original_ids, findings, "original")
        v_text = _highlight(doc, alignment.version_ids, findings, "version")
        notes = Group(*[_finding_line(f) for f in findings]) if findings else Text("ok", "green")
        label = f"{_ids(alignment.original_ids)}:{_ids(alignment.version_ids)}"
        table.add_row(label, o_text, v_text, notes)
    if shown:
        console.print(table)
    console.print(_summary(version))
    numbers = {k: v for k, v in version.metrics.items() if not k.endswith("_signature")}
    if numbers:
        console.print(
            Text(
                "  ".join(f"{k.replace('_vs_', ' vs ')} {v}" for k, v in numbers.items()),
                style="dim",
            )
        )


def _belongs(finding: Finding, alignment, original: Document, version: Document) -> bool:
    for span, doc, ids in (
        (finding.version_span, version, alignment.version_ids),
        (finding.original_span, original, alignment.original_ids),
    ):
        if span is not None and ids:
            first, last = doc.segments[ids[0]], doc.segments[ids[-1]]
            return first.start <= span.start and span.end <= last.end
    return False


def _highlight(doc: Document, ids: tuple[int, ...], findings: list[Finding], side: str) -> Text:
    if not ids:
        return Text("(nothing)", style="dim italic")
    start, end = doc.segments[ids[0]].start, doc.segments[ids[-1]].end
    text = Text(doc.text[start:end])
    for finding in sorted(findings, key=lambda f: f.severity):
        span = finding.original_span if side == "original" else finding.version_span
        if span is None or span.start < start or span.end > end:
            continue
        if span.start == start and span.end == end and len(findings) > 1:
            continue  # a whole-sentence span would hide the precise ones
        text.stylize(STYLE[finding.severity], span.start - start, span.end - start)
    return text


def _finding_line(finding: Finding) -> Text:
    return Text.assemble(
        (f"{finding.severity.label.upper()} ", LABEL_STYLE[finding.severity]),
        (f"{finding.check}: ", "bold"),
        finding.message,
    )


def _ids(ids: tuple[int, ...]) -> str:
    if not ids:
        return "-"
    return str(ids[0] + 1) if len(ids) == 1 else f"{ids[0] + 1}-{ids[-1] + 1}"


def _summary(version: VersionReport) -> Text:
    counts = Counter(f.severity for f in version.findings)
    checks = Counter(f.check for f in version.findings)
    parts: list[tuple[str, str] | str] = [(f"score {version.score:.2f}  ", "bold")]
    if not version.findings:
        parts.append(("no drift found", "green"))
    for severity in sorted(counts, reverse=True):
        parts.append((f"{counts[severity]} {severity.label}  ", LABEL_STYLE[severity]))
    if checks:
        parts.append(("(" + ", ".join(f"{n} {c}" for c, n in checks.most_common()) + ")", "dim"))
    return Text.assemble(*parts)


def _verdict(report: Report) -> Panel:
    threshold = report.fail_on.label if report.fail_on else "never"
    if report.failed:
        return Panel(Text(f"FAIL: drift at or above {threshold}", style="bold red"), expand=False)
    return Panel(Text(f"PASS: nothing at or above {threshold}", style="bold green"), expand=False)
