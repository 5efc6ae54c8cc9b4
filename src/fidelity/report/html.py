"""The HTML report: one standalone file to read in a browser and forward by e-mail.

Inline CSS and a little inline JavaScript, no external assets (a Content-Security-Policy
forbids any network request), so the file opens the same anywhere, offline. The original and
the version are side by side, one row per alignment bead; omitted original sentences and
added version sentences get rows of their own, marked as such. Drifted spans are `<mark>`
elements coloured by severity, with the finding's message on hover and a link to the findings
list below. Overlapping spans are nested, and split where they cross, so the markup is always
well formed. On a narrow screen (under 700px) the two columns stack.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from fidelity.baseline import BASELINE_NAME, baseline_line
from fidelity.model import Alignment, Document, Finding, Report, Severity, Span, VersionReport
from fidelity.report.locate import SegmentIndex, finding_where
from fidelity.report.notes import not_shown_notes

RTL_LANGUAGES = frozenset(
    {"ar", "he", "iw", "fa", "ur", "ps", "yi", "ji", "sd", "ug", "dv", "ckb", "syr"}
)
MAX_EXCERPT = 240
_SPACES = re.compile(r"\s+")
CONTEXT = 60  # characters of context either side of a span in the findings list

_CSS = """
:root{--crit:#c62828;--crit-bg:#ffcdd2;--major:#e65100;--major-bg:#ffe0b2;--minor:#9e8600;
--minor-bg:#fff59d;--ok:#2e7d32;--line:#d0d4da;--muted:#5f6670;--bg:#fff;--alt:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
"Noto Sans Arabic","Noto Sans CJK SC",sans-serif;color:#1d2125;background:var(--bg)}
header,main,footer{max-width:1400px;margin:0 auto;padding:0 16px}
h1{font-size:1.5rem;margin:16px 0 8px}h2{font-size:1.2rem;margin:24px 0 4px;
overflow-wrap:anywhere}h3{font-size:1.05rem;margin:20px 0 8px}
code{font-size:.85em;overflow-wrap:anywhere}
.verdict{display:inline-block;font-weight:700;padding:4px 12px;border-radius:6px;margin:4px 0}
.verdict.fail{background:var(--crit);color:#fff}.verdict.pass{background:var(--ok);color:#fff}
.muted{color:var(--muted)}
table.summary{border-collapse:collapse;margin:8px 0;font-size:.95rem}
table.summary th,table.summary td{border:1px solid var(--line);padding:4px 10px;text-align:left}
table.summary td.num{text-align:right;font-variant-numeric:tabular-nums}
.wrap{overflow-x:auto}
.chip{display:inline-block;min-width:1.6em;text-align:center;border-radius:10px;padding:0 6px;
font-weight:600}
.chip.sev-critical{background:var(--crit-bg);color:var(--crit)}
.chip.sev-major{background:var(--major-bg);color:var(--major)}
.chip.sev-minor{background:var(--minor-bg);color:#5c4d00}
.controls{margin:8px 0;font-size:.9rem}
.pairs{border:1px solid var(--line);border-radius:6px}
.row{display:grid;grid-template-columns:5.5em minmax(0,1fr) minmax(0,1fr);
border-top:1px solid var(--line)}
.row:first-child{border-top:0}
.row.head{background:var(--alt);font-weight:600;position:sticky;top:0;z-index:1}
.row>div{padding:8px 10px;overflow-wrap:anywhere}
.row .idx{color:var(--muted);font-size:.8rem;font-variant-numeric:tabular-nums}
.row .idx .ids{overflow-wrap:anywhere}
.row .cell+.cell{border-left:1px solid var(--line)}
.row.has-findings{background:#fffdf7}
.row.omitted .cell.orig,.row.added .cell.ver{background:#fbeaea}
.row.omitted .cell.ver,.row.added .cell.orig{background:repeating-linear-gradient(135deg,
var(--alt),var(--alt) 6px,#fff 6px,#fff 12px)}
.none{color:var(--muted);font-style:italic;font-size:.9rem}
.lbl{display:none}
.pairs.only .row:not(.has-findings):not(.head){display:none}
mark{color:inherit;border-radius:2px;padding:0 1px;cursor:pointer;
-webkit-box-decoration-break:clone;box-decoration-break:clone}
mark.sev-critical{background:var(--crit-bg);border-bottom:3px solid var(--crit)}
mark.sev-major{background:var(--major-bg);border-bottom:2px solid var(--major)}
mark.sev-minor{background:var(--minor-bg);border-bottom:2px dotted var(--minor)}
mark mark{font-weight:600}
mark.hl,.finding.hl{outline:3px solid #1565c0;outline-offset:1px}
.gap{color:var(--muted)}
ol.findings{padding-left:0;list-style:none}
.finding{border:1px solid var(--line);border-left:6px solid var(--line);border-radius:6px;
padding:8px 12px;margin:8px 0;scroll-margin-top:48px}
.finding.sev-critical{border-left-color:var(--crit)}
.finding.sev-major{border-left-color:var(--major)}
.finding.sev-minor{border-left-color:var(--minor)}
.finding .badge{font-weight:700;text-transform:uppercase;font-size:.8rem;margin-right:6px}
.finding.sev-critical .badge{color:var(--crit)}.finding.sev-major .badge{color:var(--major)}
.finding.sev-minor .badge{color:#7a6700}
.excerpts{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:8px;
margin-top:6px;font-size:.92rem}
.excerpts>div{background:var(--alt);border-radius:4px;padding:4px 8px}
.excerpts b{font-weight:600;border-radius:2px;padding:0 1px}
.excerpts b.sev-critical{background:var(--crit-bg)}.excerpts b.sev-major{background:var(--major-bg)}
.excerpts b.sev-minor{background:var(--minor-bg)}
.excerpts .side{display:block;color:var(--muted);font-size:.75rem}
.row[id]{scroll-margin-top:48px}
.dismiss{margin-top:6px;font-size:.85rem}.dismiss summary{cursor:pointer;color:var(--muted)}
.dismiss pre{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--alt);padding:4px 8px;
border-radius:4px;margin:4px 0;font-size:.8rem}
@media print{.dismiss{display:none}}
footer{margin:24px auto 32px;color:var(--muted);font-size:.85rem}
@media (max-width:700px){
body{font-size:15px}
header,main,footer{padding:0 10px}
.row{grid-template-columns:minmax(0,1fr)}
.row.head{display:none}
.row .cell+.cell{border-left:0;border-top:1px dashed var(--line)}
.row .idx{padding-bottom:0}
.lbl{display:block;color:var(--muted);font-size:.75rem;font-weight:600;text-transform:uppercase}
.excerpts{grid-template-columns:minmax(0,1fr)}
table.summary td:first-child{word-break:break-all;min-width:8em}
.row .idx br{display:none}.row .idx span[title]{margin-left:.5em}
}
@media print{.controls{display:none}.row.head{position:static}}
"""

_JS = """
(function () {
  "use strict";
  function marks(n) {
    return document.querySelectorAll('mark[data-finding="' + n + '"]');
  }
  function light(n, on) {
    marks(n).forEach(function (m) { m.classList.toggle("hl", on); });
    var item = document.getElementById("f-" + n);
    if (item) { item.classList.toggle("hl", on); }
  }
  document.querySelectorAll("mark[data-finding]").forEach(function (m) {
    var n = m.getAttribute("data-finding");
    m.addEventListener("mouseenter", function () { light(n, true); });
    m.addEventListener("mouseleave", function () { light(n, false); });
    m.addEventListener("click", function (event) {
      event.stopPropagation();
      var item = document.getElementById("f-" + n);
      if (item) { item.scrollIntoView({behavior: "smooth", block: "center"}); }
    });
  });
  document.querySelectorAll(".finding[data-finding]").forEach(function (item) {
    var n = item.getAttribute("data-finding");
    item.addEventListener("mouseenter", function () { light(n, true); });
    item.addEventListener("mouseleave", function () { light(n, false); });
  });
  document.querySelectorAll("input.only-findings").forEach(function (box) {
    box.addEventListener("change", function () {
      var pairs = document.getElementById(box.getAttribute("data-target"));
      if (pairs) { pairs.classList.toggle("only", box.checked); }
    });
  });
  document.querySelectorAll("button.copy-line").forEach(function (button) {
    button.addEventListener("click", function () {
      var line = button.parentNode.querySelector(".baseline-line");
      var note = button.parentNode.querySelector(".copy-note");
      var range = document.createRange();
      range.selectNodeContents(line);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      note.textContent = copied ? "copied" : "selected: copy it with Ctrl+C (Cmd+C)";
    });
  });
  document.documentElement.classList.add("js-ready");
})();
"""

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    number: int
    finding: Finding


def render_html(report: Report) -> str:
    numbers: dict[tuple[int, int], int] = {}
    counter = 0
    for v_index, version in enumerate(report.versions):
        for f_index, _finding in enumerate(version.findings):
            counter += 1
            numbers[(v_index, f_index)] = counter

    verdict = _verdict(report)
    names = ", ".join(v.document.name for v in report.versions)
    title = f"fidelity: {'FAIL' if report.failed else 'PASS'}: {names} vs {report.original.name}"
    parts = [
        *page_head(title),
        "<header>",
        "<h1>Fidelity report</h1>",
        verdict,
        f"<p>Original: <code>{_e(report.original.name)}</code> "
        f'<span class="muted">[{_e(report.original.lang)}]</span></p>',
        _summary_table(report),
        "</header>",
        "<main>",
    ]
    for v_index, version in enumerate(report.versions):
        parts.append(_version_section(report, version, v_index, numbers))
    parts += [
        "</main>",
        f"<footer>Signature: <code>{_e(str(report.signature))}</code></footer>",
        f"<script>{_JS}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def page_head(title: str) -> list[str]:
    """The lines of a standalone page up to `<body>`: the strict CSP, the inline style (no
    file beside it, nothing fetched); shared with `fidelity align --format html`."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="fidelity">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
    ]


# ---------------------------------------------------------------------------------------------
# Summary


def _verdict(report: Report) -> str:
    threshold = report.fail_on.label if report.fail_on else "never"
    if report.failed:
        return f'<p class="verdict fail">FAIL: drift at or above {_e(threshold)}</p>'
    return f'<p class="verdict pass">PASS: nothing at or above {_e(threshold)}</p>'


def _summary_table(report: Report) -> str:
    rows = [
        '<div class="wrap"><table class="summary">',
        "<thead><tr><th>version</th><th>lang</th><th>mode</th><th>score</th>"
        "<th>critical</th><th>major</th><th>minor</th></tr></thead><tbody>",
    ]
    for v_index, version in enumerate(report.versions):
        counts = Counter(f.severity for f in version.findings)
        cells = "".join(
            f'<td class="num"><span class="chip sev-{s.label}">{counts[s]}</span></td>'
            for s in (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR)
        )
        rows.append(
            f'<tr><td><a href="#v{v_index + 1}" title="{_e(version.document.name)}">'
            f"{_e(_basename(version.document.name))}</a></td>"
            f"<td>{_e(version.document.lang)}</td><td>{_e(version.mode)}</td>"
            f'<td class="num">{version.score:.2f}</td>{cells}</tr>'
        )
    rows.append("</tbody></table></div>")
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------------
# One version: side-by-side rows and the findings list


def _version_section(
    report: Report, version: VersionReport, v_index: int, numbers: dict[tuple[int, int], int]
) -> str:
    original, doc = report.original, version.document
    vid = f"v{v_index + 1}"
    alignments = list(version.alignments)
    o_runs = [sentence_runs(original, a.original_ids) for a in alignments]
    v_runs = [sentence_runs(doc, a.version_ids) for a in alignments]
    o_rows = _Rows(original, [a.original_ids for a in alignments])
    v_rows = _Rows(doc, [a.version_ids for a in alignments])

    # Which row each finding belongs to, and where each of its spans is highlighted.
    o_marks: list[list[_Mark]] = [[] for _ in alignments]
    v_marks: list[list[_Mark]] = [[] for _ in alignments]
    owner: dict[int, int | None] = {}
    for f_index, finding in enumerate(version.findings):
        number = numbers[(v_index, f_index)]
        row = _owner_row(finding, alignments, o_rows, v_rows, o_runs, v_runs)
        owner[number] = row
        if finding.version_span is not None and row is not None:
            _add_mark(v_marks[row], v_runs[row], finding.version_span, number, finding)
        if finding.original_span is not None:
            o_row = row
            if o_row is None or not _inside(finding.original_span, o_runs[o_row]):
                o_row = next(
                    (
                        k
                        for k in o_rows.touched(finding.original_span)
                        if _inside(finding.original_span, o_runs[k])
                    ),
                    None,
                )
            if o_row is not None:
                _add_mark(o_marks[o_row], o_runs[o_row], finding.original_span, number, finding)
            if row is None:
                owner[number] = o_row

    rows_with_findings = {row for row in owner.values() if row is not None}
    counts = Counter(f.severity for f in version.findings)
    count_text = " ".join(
        f'<span class="chip sev-{s.label}">{counts[s]}</span> {s.label}'
        for s in (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR)
    )
    o_attrs = lang_attrs(original.lang)
    v_attrs = lang_attrs(doc.lang)
    out = [
        f'<section class="version" id="{vid}">',
        f'<h2>Version: {_e(doc.name)} <span class="muted">[{_e(doc.lang)}]</span></h2>',
        f'<p class="muted">score <strong>{version.score:.2f}</strong> · {count_text} · mode '
        f"{_e(version.mode)} ({_e(version.mode_reason)}) · model {_e(version.model)}</p>",
        _not_shown(version),
        f'<div class="controls"><label><input type="checkbox" class="only-findings" '
        f'data-target="{vid}-pairs"> show only rows with findings</label></div>',
        f'<div class="pairs" id="{vid}-pairs" role="table" '
        f'aria-label="original and version, aligned">',
        '<div class="row head" role="row"><div class="idx" role="columnheader">#</div>'
        f'<div class="cell" role="columnheader">Original [{_e(original.lang)}]</div>'
        f'<div class="cell" role="columnheader">Version [{_e(doc.lang)}]</div></div>',
    ]
    for k, alignment in enumerate(alignments):
        classes = ["row"]
        if not alignment.version_ids:
            classes.append("omitted")
        if not alignment.original_ids:
            classes.append("added")
        if k in rows_with_findings:
            classes.append("has-findings")
        if alignment.original_ids:
            o_html = cell_html(original, o_runs[k], o_marks[k])
        else:
            o_html = '<span class="none">added: nothing in the original says this</span>'
        if alignment.version_ids:
            v_html = cell_html(doc, v_runs[k], v_marks[k])
        else:
            v_html = '<span class="none">omitted: no rendering in the version</span>'
        label = bead_label(alignment, o_rows.index, v_rows.index)
        out.append(
            f'<div class="{" ".join(classes)}" id="{vid}-r{k + 1}" role="row">'
            f'<div class="idx" role="cell">{label}</div>'
            f'<div class="cell orig" role="cell"{o_attrs}>'
            f'<span class="lbl" lang="en" dir="ltr">original</span>{o_html}</div>'
            f'<div class="cell ver" role="cell"{v_attrs}>'
            f'<span class="lbl" lang="en" dir="ltr">version</span>{v_html}</div></div>'
        )
    out.append("</div>")
    out.append(f"<h3>Findings ({len(version.findings)})</h3>")
    if not version.findings:
        out.append('<p class="muted">No drift found.</p>')
    else:
        out.append('<ol class="findings">')
        for f_index, finding in enumerate(version.findings):
            number = numbers[(v_index, f_index)]
            out.append(
                _finding_item(
                    finding,
                    number,
                    owner.get(number),
                    vid,
                    (o_rows.index, v_rows.index),
                    (o_attrs, v_attrs),
                )
            )
        out.append("</ol>")
    out.append("</section>")
    return "\n".join(out)


def _not_shown(version: VersionReport) -> str:
    notes = not_shown_notes(version)
    if not notes:
        return ""
    return f'<p class="muted not-shown">{" · ".join(_e(n) for n in notes)}</p>'


def _finding_item(
    finding: Finding,
    number: int,
    row: int | None,
    vid: str,
    docs: tuple[SegmentIndex, SegmentIndex],
    attrs: tuple[str, str],
) -> str:
    sev = finding.severity.label
    where = finding_where(finding, *docs)
    link = (
        f' · <a href="#{vid}-r{row + 1}" title="row {row + 1}">{_e(where)}</a>'
        if row is not None
        else f" · {_e(where)}"
    )
    o_text = _excerpt(docs[0], finding.original_span, sev, "(not in the original)")
    v_text = _excerpt(docs[1], finding.version_span, sev, "(omitted in the version)")
    return (
        f'<li class="finding sev-{sev}" id="f-{number}" data-finding="{number}">'
        f'<span class="badge">{number}. {sev}</span><strong>{_e(finding.check)}</strong> '
        f'<span class="muted">{_e(finding.category)}</span>{link}'
        f"<div>{_e(finding.message)}</div>"
        f'<div class="excerpts"><div{attrs[0]}><span class="side" lang="en" dir="ltr">original'
        f'</span>{o_text}</div><div{attrs[1]}><span class="side" lang="en" dir="ltr">'
        f"version</span>{v_text}</div></div>{_dismiss(finding)}</li>"
    )


def _dismiss(finding: Finding) -> str:
    """The baseline line that accepts this finding, to copy into the baseline file."""
    return (
        '<details class="dismiss"><summary>dismiss</summary>'
        f"<p>A false alarm? Add this line to <code>{BASELINE_NAME}</code> (beside "
        "fidelity.toml, or in the folder you run <code>fidelity check</code> from): later "
        "runs report this finding only as a count.</p>"
        f'<pre class="baseline-line">{_e(baseline_line(finding))}</pre>'
        '<button type="button" class="copy-line">copy line</button> '
        '<span class="copy-note muted" aria-live="polite"></span></details>'
    )


def _excerpt(index: SegmentIndex, span: Span | None, sev: str, missing: str) -> str:
    """The span in bold with up to CONTEXT characters of its sentence either side."""
    if span is None:
        return f'<span class="none">{_e(missing)}</span>'
    doc = index.document
    start, end = max(0, span.start), min(len(doc.text), span.end)
    lo, hi = index.bounds(span)
    left = doc.text[max(lo, start - CONTEXT) : start]
    right = doc.text[end : min(hi, end + CONTEXT)]
    if start - CONTEXT > lo:
        left = "… " + (left.split(" ", 1)[-1] if " " in left else left)
    if end + CONTEXT < hi:
        right = (right.rsplit(" ", 1)[0] if " " in right else right) + " …"
    middle = " ".join(doc.text[start:end].split())
    if len(middle) > MAX_EXCERPT:
        middle = middle[:MAX_EXCERPT].rsplit(" ", 1)[0] + " …"
        right = ""
    return f'{_e(_flat(left))}<b class="sev-{sev}">{_e(middle)}</b>{_e(_flat(right))}'.strip()


# ---------------------------------------------------------------------------------------------
# Placing findings on rows


def sentence_runs(doc: Document, ids: tuple[int, ...]) -> list[tuple[int, int]]:
    """Character ranges of the segments `ids`, consecutive segments merged into one range."""
    runs: list[tuple[int, int]] = []
    previous: int | None = None
    for i in ids:
        if not 0 <= i < len(doc.segments):
            continue
        segment = doc.segments[i]
        if previous is not None and i == previous + 1 and runs:
            runs[-1] = (runs[-1][0], segment.end)
        else:
            runs.append((segment.start, segment.end))
        previous = i
    return runs


def _inside(span: Span, runs: list[tuple[int, int]]) -> bool:
    return any(start <= span.start and span.end <= end for start, end in runs)


def _overlap(span: Span, runs: list[tuple[int, int]]) -> int:
    return max((min(end, span.end) - max(start, span.start) for start, end in runs), default=0)


class _Rows:
    """Which row (alignment bead) holds each segment of one side, to place a finding on its
    row without scanning every row."""

    def __init__(self, document: Document, ids_per_row: list[tuple[int, ...]]) -> None:
        self.index = SegmentIndex(document)
        self.row_of = {i: k for k, ids in enumerate(ids_per_row) for i in ids}

    def touched(self, span: Span) -> list[int]:
        """The rows holding a segment the span touches, in row order."""
        rows = {self.row_of[i] for i in self.index.segments_of(span) if i in self.row_of}
        return sorted(rows)


def _owner_row(
    finding: Finding,
    alignments: list[Alignment],
    o_rows: _Rows,
    v_rows: _Rows,
    o_runs: list[list[tuple[int, int]]],
    v_runs: list[list[tuple[int, int]]],
) -> int | None:
    """The row a finding is about: where its version span is, else its original span
    (preferring the row that marks that original sentence as omitted)."""
    if finding.version_span is not None:
        return _best_row(finding.version_span, v_runs, v_rows.touched(finding.version_span))
    if finding.original_span is not None:
        candidates = o_rows.touched(finding.original_span)
        omitted = [k for k in candidates if not alignments[k].version_ids]
        row = _best_row(finding.original_span, o_runs, omitted)
        if row is None:
            row = _best_row(finding.original_span, o_runs, candidates)
        return row
    return None


def _best_row(
    span: Span, runs: list[list[tuple[int, int]]], candidates: Iterable[int]
) -> int | None:
    best, best_overlap = None, 0
    for k in candidates:
        if _inside(span, runs[k]):
            return k
        overlap = _overlap(span, runs[k])
        if overlap > best_overlap:
            best, best_overlap = k, overlap
    return best


def _add_mark(
    marks: list[_Mark], runs: list[tuple[int, int]], span: Span, number: int, finding: Finding
) -> None:
    for start, end in runs:
        s, e = max(start, span.start), min(end, span.end)
        if s < e:
            marks.append(_Mark(s, e, number, finding))


# ---------------------------------------------------------------------------------------------
# Text with nested marks


def cell_html(doc: Document, runs: list[tuple[int, int]], marks: list[_Mark]) -> str:
    pieces = []
    for start, end in runs:
        inside = [m for m in marks if m.start < end and start < m.end]
        pieces.append(highlight(doc.text, start, end, inside))
    return '<span class="gap"> … </span>'.join(pieces)


def highlight(text: str, start: int, end: int, marks: list[_Mark]) -> str:
    """`text[start:end]`, escaped, with each mark's range wrapped in `<mark>`.

    Marks that start together open longest first; a mark that ends while a later-opened one
    is still open closes that one too and reopens it, so overlapping ranges come out as
    properly nested elements (the crossing one split in two, same `data-finding`).
    """
    clipped = sorted(
        (
            _Mark(max(start, m.start), min(end, m.end), m.number, m.finding)
            for m in marks
            if max(start, m.start) < min(end, m.end)
        ),
        key=lambda m: (m.start, -m.end, -int(m.finding.severity), m.number),
    )
    points = sorted({start, end, *(m.start for m in clipped), *(m.end for m in clipped)})
    out: list[str] = []
    stack: list[_Mark] = []
    pending = list(clipped)
    for i, point in enumerate(points):
        # Close marks ending here, and re-open any opened after them that go on.
        low = next((k for k, m in enumerate(stack) if m.end <= point), None)
        if low is not None:
            out.append("</mark>" * (len(stack) - low))
            reopen = [m for m in stack[low:] if m.end > point]
            del stack[low:]
            for m in reopen:
                out.append(_open(m))
                stack.append(m)
        while pending and pending[0].start == point:
            m = pending.pop(0)
            out.append(_open(m))
            stack.append(m)
        if i + 1 < len(points):
            out.append(_e(text[point : points[i + 1]]))
    out.append("</mark>" * len(stack))
    return "".join(out)


def _open(mark: _Mark) -> str:
    finding = mark.finding
    title = f"{finding.severity.label} · {finding.check}: {finding.message}"
    return (
        f'<mark class="sev-{finding.severity.label}" data-finding="{mark.number}" '
        f'title="{_e(title)}" tabindex="0">'
    )


def bead_label(alignment: Alignment, original: SegmentIndex, version: SegmentIndex) -> str:
    """Sentence numbers from 1, or a bilingual file's unit ids: one id when both sides are
    the same unit, as in a file paired by its units."""
    similarity = (
        f'<br><span title="similarity">{alignment.similarity:.2f}</span>'
        if alignment.similarity is not None
        else ""
    )
    o_label = original.label(alignment.original_ids)
    v_label = version.label(alignment.version_ids)
    if o_label == v_label and original.unit_ids(alignment.original_ids):
        return f'<span class="ids" title="unit">{_e(o_label)}</span>{similarity}'
    return (
        f'<span class="ids">{_e(o_label)}</span> ↔ <span class="ids">{_e(v_label)}</span>'
        f"{similarity}"
    )


def lang_attrs(lang: str) -> str:
    code = (lang or "").lower().replace("_", "-")
    primary = code.split("-")[0]
    direction = "rtl" if primary in RTL_LANGUAGES else "ltr"
    return f' lang="{_e(code)}" dir="{direction}"' if code else f' dir="{direction}"'


def _basename(name: str) -> str:
    return name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or name


def _flat(text: str) -> str:
    """Runs of whitespace (newlines included) as one space, edges kept."""
    return _SPACES.sub(" ", text)


def _e(text: str) -> str:
    return escape(text, quote=True)
