"""The terminal report: one compact block per finding, worst first, to act on.

An editor before publication reads what needs attention first, so findings are sorted by
severity, then by where they are in the story, and by default only those that reach
`--fail-on` are listed (the rest as one count). Each finding is a header line (severity,
check, message) and one line per side with the finding's words highlighted inside their
sentence and a little context, so the seed case fits in well under a screen at 80 columns.

Positions read `s5`: the 5th sentence of that text, counted from 1, as `fidelity align`
numbers them. Document text is only ever put into `rich.text.Text` objects, never parsed as
markup or emoji, so a story (or a file name) holding `[bold]` or `:x:` prints literally. The
lines are laid out here, not by a rich Table, so that a report of 200,000 sentences renders in
linear time, and a figure such as "4 200" is never split across two lines.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from fidelity.model import Alignment, Document, Finding, Report, Severity, Span, VersionReport
from fidelity.report.locate import segment_label

LABEL_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.MAJOR: "bold dark_orange",
    Severity.MINOR: "bold yellow",
}
SPAN_STYLE = {
    Severity.CRITICAL: "bold red underline",
    Severity.MAJOR: "bold dark_orange underline",
    Severity.MINOR: "bold yellow underline",
}
# A span that is the whole sentence (an added or omitted one) is coloured, not shouted.
WHOLE_STYLE = {Severity.CRITICAL: "red", Severity.MAJOR: "dark_orange", Severity.MINOR: "yellow"}
# Where the terminal shows no colour (a pipe, a file), the highlighted words are bracketed.
PLAIN_MARKS = ("⟦", "⟧")
SIDE_WIDTH = 9  # "original " / "version  "
# A cut goes back to the last word boundary only this far (text without spaces, as Chinese
# or Japanese, is cut where the room ends).
WORD_CUT = 20
CHUNK_LINES = 2000  # lines written at once: few writes, bounded memory
NO_BREAK = "\u00a0"
_FIGURE_SPACE = re.compile(r"(?<=\d)[ \u202f](?=\d)")
_SPACES = re.compile(r"\s+")
_UNUSUAL_SPACE = re.compile(r"[^\S ]|  ")
_GUTTER = "  "
_COLOR_SYSTEMS = {
    "standard": ColorSystem.STANDARD,
    "256": ColorSystem.EIGHT_BIT,
    "truecolor": ColorSystem.TRUECOLOR,
    "windows": ColorSystem.WINDOWS,
}


def render_text(
    report: Report,
    console: Console,
    show_all: bool = False,
    show: Severity | None = None,
) -> None:
    """Print the report; `show` is the least severity listed (default: the report's
    `fail_on`, or everything when nothing fails), `show_all` adds every aligned pair."""
    least = show or report.fail_on or Severity.MINOR
    width = max(40, console.width)
    writer = _Writer(console, width)
    original = report.original
    writer.add(
        Text.assemble(
            ("original ", "dim"),
            (original.name, "bold"),
            (f" · {original.lang} · {_segments(original)}", "dim"),
        )
    )
    units = any(s.unit_id for s in original.segments[:1])
    legend = (
        "positions: the bilingual file's unit ids"
        if units
        else "positions: s5 = 5th sentence of that text, counted from 1 (as `fidelity align`)"
    )
    writer.add(Text(legend, style="dim"))
    if len(report.versions) > 1:
        writer.flush()
        console.print(_summary_table(report))
    for version in report.versions:
        _render_version(writer, report, version, least, show_all, width)
    writer.add(Text())
    for line in _verdict(report, width):
        writer.add(line)
    for line in _signature(str(report.signature), width):
        writer.add(line)
    writer.flush()


Part = tuple[str, "str | Style | None"]
Line = list[Part]  # the fast form of a line: (text, style) parts, no rich object


class _Writer:
    """Collects finished lines (already wrapped here) and writes them in chunks, cropped to
    the width, straight to the console's file: rich's own layout costs a hundred times more
    per line, which matters for a report of 200,000 pairs."""

    def __init__(self, console: Console, width: int) -> None:
        self.console = console
        self.width = width
        self.plain = console.no_color or console.color_system is None
        self.colours = None if self.plain else _COLOR_SYSTEMS.get(console.color_system or "")
        self.codes: dict[str | Style, tuple[str, str]] = {}
        self.lines: list[Line] = []

    def add(self, line: Text | Line, fitted: bool = False) -> None:
        """Queue a line; `fitted` says it was built to fit the width (no need to measure)."""
        if isinstance(line, Text):
            line = [(segment.text, segment.style) for segment in line.render(self.console)]
        self.lines.append(line if fitted else _crop(line, self.width))
        if len(self.lines) >= CHUNK_LINES:
            self.flush()

    def extend(self, lines: Iterable[Text | Line], fitted: bool = False) -> None:
        for line in lines:
            self.add(line, fitted)

    def flush(self) -> None:
        if not self.lines:
            return
        out = [self._render(line) for line in self.lines]
        self.lines = []
        self.console.file.write("\n".join(out) + "\n")
        self.console.file.flush()

    def _render(self, line: Line) -> str:
        if self.colours is None:
            return "".join(text for text, _style in line)
        return "".join(self._wrap_in(style, text) for text, style in line)

    def _wrap_in(self, style: str | Style | None, text: str) -> str:
        """`text` between its style's escape codes, worked out once per style."""
        if not style or not text:
            return text
        codes = self.codes.get(style)
        if codes is None:
            parsed = Style.parse(style) if isinstance(style, str) else style
            prefix, _, suffix = parsed.render("\0", color_system=self.colours).partition("\0")
            codes = self.codes[style] = (prefix, suffix)
        return codes[0] + text + codes[1]


def _crop(line: Line, width: int) -> Line:
    """The line cut to `width` cells, ending in … where it was cut."""
    total = sum(_cells(text) for text, _style in line)
    if total <= width:
        return line
    cropped: Line = []
    room = width - 1
    for text, style in line:
        cells = _cells(text)
        if cells > room:
            cropped.append((_head_cells(text, room) + "…", style))
            break
        cropped.append((text, style))
        room -= cells
    return cropped


def _cells(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


# --- one version ---------------------------------------------------------------------------


def _render_version(
    writer: _Writer,
    report: Report,
    version: VersionReport,
    least: Severity,
    show_all: bool,
    width: int,
) -> None:
    doc = version.document
    locator = _Locator(report.original, doc, version.alignments)
    writer.flush()
    writer.console.rule(
        Text.assemble(
            ("version ", "dim"),
            (doc.name, "bold"),
            (f" · {doc.lang} · {_segments(doc)}", "dim"),
        ),
        characters="─",
    )
    models = {v.model for v in report.versions}
    model = f" · model {version.model}" if len(models) > 1 else ""  # else in the signature
    writer.extend(_wrap(Text(f"{version.mode}: {version.mode_reason}{model}", "dim"), width))
    writer.add(_status_line(version, report.fail_on))
    for skipped in version.skipped_checks:
        reason = skipped.reason if skipped.reason.startswith("not ") else (
            f"not checked: {skipped.reason}"
        )
        writer.extend(_wrap(Text(f"{skipped.check} {reason}", "dim"), width, 2))
    suppressed = len(version.suppressed)
    if suppressed:
        writer.add(
            Text(
                f"{_count(suppressed, 'finding')} accepted in the baseline, not shown",
                style="dim",
            )
        )
    shown = [f for f in version.findings if f.severity >= least]
    shown.sort(key=locator.order)
    for group in _runs(shown):
        writer.extend(_finding_block(group, locator, writer.plain, width))
    hidden = Counter(f.severity for f in version.findings if f.severity < least)
    if hidden:
        counts = ", ".join(
            f"{hidden[s]} {s.label}" for s in sorted(hidden, reverse=True)
        )
        noun = "finding" if sum(hidden.values()) == 1 else "findings"
        writer.add(Text(f"+ {counts} {noun} not shown (--show all)", style="dim"))
    numbers = {k: v for k, v in version.metrics.items() if not k.endswith("_signature")}
    if numbers:
        metrics = " · ".join(f"{k.replace('_vs_', ' vs ')} {v}" for k, v in numbers.items())
        writer.extend(_wrap(Text(metrics, style="dim"), width))
    if show_all:
        writer.add(Text("every aligned pair (--all):", style="bold"))
        writer.extend(_pairs(version, locator, width), fitted=True)


def _status_line(version: VersionReport, fail_on: Severity | None) -> Text:
    counts = Counter(f.severity for f in version.findings)
    failed = fail_on is not None and version.worst is not None and version.worst >= fail_on
    parts: list[tuple[str, str] | str] = [
        ("FAIL" if failed else "PASS", "bold red" if failed else "bold green"),
        f" · score {version.score:.2f} · ",
    ]
    if not counts:
        parts.append(("no findings", "green"))
    for k, severity in enumerate(sorted(counts, reverse=True)):
        parts.append((f"{', ' if k else ''}{counts[severity]} {severity.label}",
                      LABEL_STYLE[severity]))
    return Text.assemble(*parts)


def _runs(findings: Sequence[Finding]) -> Iterator[list[Finding]]:
    """Consecutive one-sided findings that say the same thing (six added sentences) share
    their header line; everything else is a block of its own."""
    group: list[Finding] = []
    for finding in findings:
        if group and _same_kind(group[-1], finding):
            group.append(finding)
            continue
        if group:
            yield group
        group = [finding]
    if group:
        yield group


def _same_kind(a: Finding, b: Finding) -> bool:
    return (
        (a.check, a.severity, a.message) == (b.check, b.severity, b.message)
        and (a.original_span is None) != (a.version_span is None)
        and (a.original_span is None) == (b.original_span is None)
        and (a.version_span is None) == (b.version_span is None)
    )


def _finding_block(
    group: list[Finding], locator: _Locator, plain: bool, width: int
) -> list[Text | Line]:
    first = group[0]
    header = Text.assemble(
        (first.severity.label.upper(), LABEL_STYLE[first.severity]),
        " ",
        (first.check, "bold"),
        " · ",
        _flat(first.message),
    )
    lines: list[Text | Line] = list(_wrap(header, width, indent=4))
    sides = [
        (side, doc, span, finding.severity)
        for finding in group
        for side, doc, span in (
            ("original", locator.original, finding.original_span),
            ("version", locator.version, finding.version_span),
        )
        if span is not None
    ]
    positions = [doc.position(span) for _side, doc, span, _severity in sides]
    column = max((len(p) for p in positions), default=0)
    for (side, doc, span, severity), position in zip(sides, positions, strict=True):
        label = f"{_GUTTER}{side:<{SIDE_WIDTH}}{position:<{max(4, column)}}  "
        budget = max(10, width - _cells(label))
        lines.append([(label, "dim"), *_snippet(doc, span, severity, plain, budget)])
    return lines


# --- snippets ------------------------------------------------------------------------------


def _snippet(
    doc: _Indexed, span: Span, severity: Severity, plain: bool, budget: int
) -> Line:
    """The span within its sentence, with as much context either side as fits the budget,
    cut at word boundaries; a span longer than the budget is cut itself."""
    text = doc.document.text
    start = max(0, min(span.start, len(text)))
    end = max(start, min(span.end, len(text)))
    lo, hi = doc.bounds(start, end)
    middle = _flat(text[start:end])
    left = _flat(text[lo:start], keep_edges=True)
    right = _flat(text[end:hi], keep_edges=True)
    whole = not left.strip() and not right.strip()
    marks = ("", "") if whole or not plain else PLAIN_MARKS
    room = budget - _cells(middle) - len(marks[0]) - len(marks[1])
    if room < 0:
        left = "…" if left.strip() else ""
        middle = _cut_right(middle, budget - len(marks[0]) - len(marks[1]) - len(left))
        right = ""
    else:
        left_share = max(room // 2, room - _cells(right))
        left = _cut_left(left, left_share)
        right = _cut_right(right, room - _cells(left))
    style = WHOLE_STYLE[severity] if whole else SPAN_STYLE[severity]
    return [(left + marks[0], None), (middle, style), (marks[1] + right, None)]


def _cut_left(text: str, cells: int) -> str:
    """The end of `text` in at most `cells` cells, from a word start, after a …"""
    if _cells(text) <= cells:
        return text
    if cells <= 1:
        return "…"[:cells]
    kept = _tail_cells(text, cells - 1)
    if kept and not kept[0].isspace() and not text[-len(kept) - 1].isspace():
        space = kept.find(" ")
        kept = kept[space:] if 0 <= space <= WORD_CUT else kept
    return "…" + kept.lstrip()


def _cut_right(text: str, cells: int) -> str:
    """The start of `text` in at most `cells` cells, to a word end, before a …"""
    if _cells(text) <= cells:
        return text
    if cells <= 1:
        return "…"[:cells]
    kept = _head_cells(text, cells - 1)
    if kept and not kept[-1].isspace() and not text[len(kept)].isspace():
        space = kept.rfind(" ")
        kept = kept[:space] if space > 0 and len(kept) - space <= WORD_CUT else kept
    return kept.rstrip() + "…"


def _head_cells(text: str, cells: int) -> str:
    if text.isascii():
        return text[:max(0, cells)]
    total = 0
    for k, char in enumerate(text):
        total += _cells(char)
        if total > cells:
            return text[:k]
    return text


def _tail_cells(text: str, cells: int) -> str:
    if text.isascii():
        return text[len(text) - cells :] if cells > 0 else ""
    total = 0
    for k in range(len(text) - 1, -1, -1):
        total += _cells(text[k])
        if total > cells:
            return text[k + 1 :]
    return text


def _flat(text: str, keep_edges: bool = False) -> str:
    """One display line: runs of whitespace become one space, figures keep together."""
    flat = _SPACES.sub(" ", text) if _UNUSUAL_SPACE.search(text) else text
    if not keep_edges:
        flat = flat.strip()
    return _FIGURE_SPACE.sub(NO_BREAK, flat)


# --- positions -----------------------------------------------------------------------------


class _Indexed:
    """A document with its segment starts, to find the sentence of an offset in log time."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.starts = [s.start for s in document.segments]

    def segment_at(self, offset: int) -> int | None:
        """The segment holding `offset` (or the last one starting before it)."""
        if not self.starts:
            return None
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """From the start of the span's first sentence to the end of its last."""
        first, last = self.segment_at(start), self.segment_at(max(start, end - 1))
        if first is None or last is None:
            return start, end
        segments = self.document.segments
        return min(segments[first].start, start), max(segments[last].end, end)

    def position(self, span: Span) -> str:
        """`s3`, `s3-4`, or a bilingual file's unit id, as every report labels them."""
        first = self.segment_at(span.start)
        if first is None:
            return "—"
        last = self.segment_at(max(span.start, span.end - 1)) or first
        return segment_label(self.document, tuple(range(first, max(first, last) + 1)))


class _Locator:
    """Which bead of the alignment each finding belongs to, so that findings read in the
    order of the story (the version's order, then what the original had and the version
    left out)."""

    def __init__(
        self, original: Document, version: Document, alignments: tuple[Alignment, ...]
    ) -> None:
        self.original = _Indexed(original)
        self.version = _Indexed(version)
        self.beads = len(alignments)
        self.version_bead = {v: k for k, a in enumerate(alignments) for v in a.version_ids}
        self.original_bead = {o: k for k, a in enumerate(alignments) for o in a.original_ids}

    def bead(self, finding: Finding) -> int:
        for span, doc, beads in (
            (finding.version_span, self.version, self.version_bead),
            (finding.original_span, self.original, self.original_bead),
        ):
            if span is not None:
                return beads.get(doc.segment_at(span.start), self.beads)
        return self.beads

    def order(self, finding: Finding) -> tuple[int, int, int, str]:
        span = finding.version_span or finding.original_span
        offset = span.start if span is not None else 0
        return (-int(finding.severity), self.bead(finding), offset, finding.check)


# --- every pair (--all) --------------------------------------------------------------------


def _pairs(version: VersionReport, locator: _Locator, width: int) -> Iterator[Line]:
    """Two lines a bead: its positions and similarity beside the original, the number of
    findings beside the version. Every line is built to fit the width."""
    per_bead = Counter(locator.bead(f) for f in version.findings)
    labels = [
        f"{segment_label(locator.original.document, a.original_ids)} ↔ "
        f"{segment_label(locator.version.document, a.version_ids)}"
        for a in version.alignments
    ]
    cells = [_cells(label) for label in labels]
    label_width = max(cells, default=0)
    gutter = len(_GUTTER) + label_width + 6
    budget = max(10, width - gutter)
    for k, alignment in enumerate(version.alignments):
        similarity = "" if alignment.similarity is None else f"{alignment.similarity:.2f}"
        found = per_bead.get(k, 0)
        note = _count(found, "finding") if found else "ok"
        yield [
            (f"{_GUTTER}{labels[k]}{' ' * (label_width - cells[k])} {similarity:>4} ", "dim"),
            _pair_text(locator.original, alignment.original_ids, budget),
        ]
        yield [
            (f"{note:>{gutter - 1}} ", "dark_orange" if found else "green"),
            _pair_text(locator.version, alignment.version_ids, budget),
        ]


def _pair_text(doc: _Indexed, ids: tuple[int, ...], budget: int) -> Part:
    if not ids:
        return ("(nothing)", "dim italic")
    segments = doc.document.segments
    start, end = segments[ids[0]].start, segments[ids[-1]].end
    return (_cut_right(_flat(doc.document.text[start:end]), budget), None)


# --- summary, verdict, signature -----------------------------------------------------------


def _summary_table(report: Report) -> Table:
    """One row per version: few rows (the versions given on one command line)."""
    table = Table(expand=True, box=None, padding=(0, 1, 0, 0))
    table.add_column("version", overflow="fold", ratio=1)
    for name in ("lang", "mode"):
        table.add_column(name, no_wrap=True)
    for name in ("score", "worst", "crit", "major", "minor"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    for version in report.versions:
        counts = Counter(f.severity for f in version.findings)
        failed = (
            report.fail_on is not None
            and version.worst is not None
            and version.worst >= report.fail_on
        )
        table.add_row(
            Text(version.document.name),
            Text(version.document.lang),
            Text(version.mode),
            f"{version.score:.2f}",
            Text(version.worst.label if version.worst else "—",
                 LABEL_STYLE[version.worst] if version.worst else "green"),
            str(counts[Severity.CRITICAL]),
            str(counts[Severity.MAJOR]),
            str(counts[Severity.MINOR]),
            Text("FAIL", "bold red") if failed else Text("PASS", "bold green"),
        )
    return table


def _verdict(report: Report, width: int) -> list[Text]:
    """The verdict and, in the same breath, what the score is and why it did not decide."""
    fail_on = report.fail_on
    reaching = sum(
        1 for v in report.versions for f in v.findings if fail_on and f.severity >= fail_on
    )
    below = sum(len(v.findings) for v in report.versions) - reaching
    scores = "/".join(f"{v.score:.2f}" for v in report.versions[:4])
    if len(report.versions) > 4:
        scores += "/…"
    score_note = (
        f"Score {scores}: the share of the text rendered faithfully (1 = all), lowered by "
        "each finding; it ranks versions, findings decide the verdict."
    )
    accepted = sum(len(v.suppressed) for v in report.versions)
    if accepted:
        score_note += f" {_count(accepted, 'finding')} accepted in the baseline do not count."
    if fail_on is None:
        head = Text.assemble(("PASS", "bold green"), ": --fail-on never, nothing can fail. ")
    elif report.failed:
        head = Text.assemble(
            ("FAIL", "bold red"),
            f": {_count(reaching, 'finding')} reach --fail-on {fail_on.label}. ",
        )
    else:
        rest = f" ({_count(below, 'finding')} below it)" if below else ""
        head = Text.assemble(
            ("PASS", "bold green"),
            f": no finding reaches --fail-on {fail_on.label}{rest}. ",
        )
    return _wrap(head + Text(score_note), width, indent=2)


def _signature(signature: str, width: int) -> list[Text]:
    """`signature` on a line of its own, then the signature wrapped only where a `|` is (at
    a `,` inside one part too long for a line), so no key or value is cut."""
    lines = [Text("signature", style="dim")]
    pieces = signature.split("|")
    current = ""
    for k, piece in enumerate(pieces):
        token = piece + ("|" if k < len(pieces) - 1 else "")
        for part in _split_long(token, width - 2):
            if current and _cells(current) + _cells(part) > width - 2:
                lines.append(Text(_GUTTER + current, style="dim"))
                current = ""
            current += part
    if current:
        lines.append(Text(_GUTTER + current, style="dim"))
    return lines


def _split_long(token: str, width: int) -> list[str]:
    if _cells(token) <= width or "," not in token:
        return [token]
    parts = token.split(",")
    return [p + "," for p in parts[:-1]] + [parts[-1]]


# --- wrapping ------------------------------------------------------------------------------


def _wrap(text: Text, width: int, indent: int = 2) -> list[Text]:
    """Greedy wrapping at plain spaces only (a no-break space inside a figure never breaks);
    continuation lines are indented. A word wider than a line is cut by the line's crop."""
    plain = text.plain
    if _cells(plain) <= width:
        return [text]
    lines: list[Text] = []
    start, available = 0, width
    while start < len(plain):
        if _cells(plain[start:]) <= available:
            end = len(plain)
        else:
            window = _head_cells(plain[start:], available)
            cut = window.rfind(" ")
            if cut <= 0:  # one word wider than the line: take it whole, the crop cuts it
                cut = plain.find(" ", start + len(window))
                cut = len(plain) - start if cut < 0 else cut - start
            end = start + cut
        piece = text[start:end]
        piece.rstrip()
        lines.append(piece if not lines else Text(" " * indent) + piece)
        start = end
        while start < len(plain) and plain[start] == " ":
            start += 1
        available = width - indent
    return lines


def _segments(doc: Document) -> str:
    noun = "unit" if doc.segments and doc.segments[0].unit_id else "sentence"
    return _count(len(doc.segments), noun)


def _count(n: int, noun: str) -> str:
    figure = f"{n:,}".replace(",", NO_BREAK)
    return f"{figure} {noun}{'' if n == 1 else 's'}"
