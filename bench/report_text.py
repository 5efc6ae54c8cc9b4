"""How long the terminal report takes to render a very long comparison.

Synthetic documents of N tiny sentences, aligned one to one, with a finding every 1,000
pairs, rendered with `--all` (every pair: the longest text report there is) to a plain
console (a file or a pipe) and to a colour one (a terminal). Alignment and checks are not
timed: only `fidelity.report.text.render_text`, which must stay linear in N.

    python bench/report_text.py
"""

from __future__ import annotations

import argparse
import io
import time

from rich.console import Console

from common import append_result
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
from fidelity.report.text import render_text


def _document(words: str, count: int, lang: str) -> Document:
    segments, offset, parts = [], 0, []
    for k in range(count):
        sentence = f"{words} {k}."
        segments.append(Segment(k, sentence, offset, offset + len(sentence)))
        parts.append(sentence)
        offset += len(sentence) + 1
    return Document(" ".join(parts), lang, tuple(segments), f"{lang}.txt")


def _report(count: int) -> Report:
    original = _document("Line", count, "en")
    version = _document("Linea", count, "es")
    findings = []
    for k in range(0, count, 1000):
        o, v = original.segments[k], version.segments[k]
        findings.append(
            Finding("number", "mistranslation", Severity.MAJOR, f"{k} became {k + 1}",
                    Span(o.start, o.end, o.text), Span(v.start, v.end, v.text))
        )
    alignments = tuple(Alignment((k,), (k,), 0.9) for k in range(count))
    version_report = VersionReport(
        version, "translation", "bench", alignments, tuple(findings), 0.9, "none"
    )
    return Report(original, (version_report,), Severity.MAJOR, Signature((("bench", "1"),)))


def _seconds(report: Report, colour: bool) -> tuple[float, int]:
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=80, color_system="truecolor" if colour else None,
        force_terminal=colour,
    )
    start = time.perf_counter()
    render_text(report, console, show_all=True)
    return time.perf_counter() - start, buffer.getvalue().count("\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,200000")
    parser.add_argument("--no-record", action="store_true", help="do not append BENCHMARKS.md")
    args = parser.parse_args()
    rows = ["| sentences | lines | plain (file, pipe) s | colour (terminal) s | µs a pair, plain |",
            "| ---: | ---: | ---: | ---: | ---: |"]
    for count in (int(n) for n in args.sizes.split(",")):
        report = _report(count)
        plain, lines = _seconds(report, colour=False)
        colour, _lines = _seconds(report, colour=True)
        rows.append(f"| {count:,} | {lines:,} | {plain:.2f} | {colour:.2f} | "
                    f"{plain / count * 1e6:.1f} |")
        print(rows[-1], flush=True)
    if not args.no_record:
        append_result("Terminal report rendering (text format, --all)", "\n".join(rows))


if __name__ == "__main__":
    main()
