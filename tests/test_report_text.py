"""The terminal report's renderer on reports built by hand: order, --show, wrapping, escaping."""

from __future__ import annotations

import io
import itertools
import re

import pytest
from rich.cells import cell_len
from rich.console import Console

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

SIGNATURE = Signature(
    (
        ("fidelity", "0.0.0"),
        ("model", "usem3@1a2b3c4d"),
        ("calib", "usem3@calibration-with-a-rather-long-name-n213"),
        ("mode", "auto:translation"),
        ("checks", "entity,attribution,consistency,omission,addition,modality,negation,date,"
                   "number,quote,semantic,untranslated"),
        ("score", "demetr-dev-calibration-half-n263"),
    )
)


def _document(sentences: list[str], lang: str, name: str) -> Document:
    segments, offset, parts = [], 0, []
    for k, sentence in enumerate(sentences):
        segments.append(Segment(k, sentence, offset, offset + len(sentence)))
        parts.append(sentence)
        offset += len(sentence) + 1
    return Document(" ".join(parts), lang, tuple(segments), name)


def _span(doc: Document, words: str, sentence: int | None = None) -> Span:
    start = doc.text.index(words, doc.segments[sentence].start if sentence is not None else 0)
    return Span(start, start + len(words), words)


def _whole(doc: Document, sentence: int) -> Span:
    segment = doc.segments[sentence]
    return Span(segment.start, segment.end, segment.text)


def _finding(
    check: str, severity: Severity, message: str, original: Span | None, version: Span | None
) -> Finding:
    return Finding(check, "mistranslation", severity, message, original, version)


ORIGINAL = _document(
    [
        "The minister said the talks could resume next week in Geneva.",
        "About 4 200 people were evacuated from the coast on Monday.",
        "The storm damaged 300 houses.",
        "Officials expect more rain.",
    ],
    "en",
    "original.en.txt",
)
VERSION = _document(
    [
        "The minister said the talks will resume next week in Geneva.",
        "About 2 400 people were evacuated from the coast on Monday.",
        "Officials expect more rain.",
        "The army was sent in.",
    ],
    "en",
    "version.en.txt",
)
ALIGNMENTS = (
    Alignment((0,), (0,), 0.9),
    Alignment((1,), (1,), 0.9),
    Alignment((2,), (), None),
    Alignment((3,), (2,), 0.95),
    Alignment((), (3,), None),
)
FINDINGS = (
    _finding("modality", Severity.MAJOR, "hedge “could” became certainty “will”",
             _span(ORIGINAL, "could"), _span(VERSION, "will")),
    _finding("number", Severity.CRITICAL, "4 200 became 2 400",
             _span(ORIGINAL, "4 200"), _span(VERSION, "2 400")),
    _finding("omission", Severity.MINOR, "this sentence of the original has no rendering",
             _whole(ORIGINAL, 2), None),
    _finding("addition", Severity.MAJOR, "the version says this, but nothing in the original does",
             None, _whole(VERSION, 3)),
)


def _report(
    findings: tuple[Finding, ...] = FINDINGS,
    original: Document = ORIGINAL,
    version: Document = VERSION,
    alignments: tuple[Alignment, ...] = ALIGNMENTS,
    fail_on: Severity | None = Severity.MAJOR,
    versions: int = 1,
) -> Report:
    reports = tuple(
        VersionReport(version, "translation", "test", alignments, findings, 0.23, "usem3")
        for _ in range(versions)
    )
    return Report(original, reports, fail_on, SIGNATURE)


def _render(report: Report, width: int = 80, **options: object) -> str:
    buffer = io.StringIO()
    render_text(report, Console(file=buffer, width=width, color_system=None), **options)
    return buffer.getvalue()


def _headers(output: str) -> list[str]:
    return re.findall(r"^(CRITICAL|MAJOR|MINOR) (\w+)", output, flags=re.MULTILINE)


def test_findings_sorted_by_severity_then_position() -> None:
    output = _render(_report(), show=Severity.MINOR)
    assert _headers(output) == [
        ("CRITICAL", "number"),
        ("MAJOR", "modality"),
        ("MAJOR", "addition"),
        ("MINOR", "omission"),
    ]


def test_default_shows_what_reaches_fail_on_and_counts_the_rest() -> None:
    output = _render(_report())
    assert [h[0] for h in _headers(output)] == ["CRITICAL", "MAJOR", "MAJOR"]
    assert "+ 1 minor finding not shown (--show all)" in output


def test_show_critical_counts_each_hidden_severity() -> None:
    output = _render(_report(), show=Severity.CRITICAL)
    assert _headers(output) == [("CRITICAL", "number")]
    assert "+ 2 major, 1 minor findings not shown (--show all)" in output


def test_fail_on_never_shows_everything() -> None:
    output = _render(_report(fail_on=None))
    assert len(_headers(output)) == 4
    assert "not shown" not in output


def test_positions_are_one_based_sentences_on_both_sides() -> None:
    output = _render(_report(), show=Severity.MINOR)
    assert re.search(r"original s2 +…?About ⟦4 200⟧ people", output.replace("\u00a0", " "))
    assert re.search(r"version +s2 ", output)
    assert re.search(r"original s3 +The storm damaged 300 houses\.", output)
    assert "s5 = 5th sentence" in output


def test_span_is_cut_to_one_line_with_context() -> None:
    long_sentence = " ".join(["word"] * 60) + " could " + " ".join(["more"] * 60) + "."
    original = _document([long_sentence], "en", "o.txt")
    version = _document(["It will."], "en", "v.txt")
    finding = _finding("modality", Severity.MAJOR, "hedge", _span(original, "could"),
                       _span(version, "will"))
    report = _report((finding,), original, version, (Alignment((0,), (0,), 0.9),))
    for width in (60, 80, 120):
        output = _render(report, width=width)
        line = next(x for x in output.splitlines() if "⟦could⟧" in x)
        assert cell_len(line) <= width
        assert line.split()[2].startswith("…") and line.endswith("…")
        assert "word ⟦could⟧ more" in line


@pytest.mark.parametrize("width", range(40, 101, 3))
def test_figures_never_split_across_lines(width: int) -> None:
    message = "the version says " + " and ".join(f"{n} 200 people" for n in range(1, 30))
    finding = _finding("number", Severity.MAJOR, message, _span(ORIGINAL, "4 200"),
                       _span(VERSION, "2 400"))
    output = _render(_report((finding,)), width=width)
    lines = output.splitlines()
    for line, after in itertools.pairwise(lines):
        assert cell_len(line) <= width
        assert not (re.search(r"\d$", line.rstrip()) and re.match(r"\s*\d", after)), (line, after)
    flat = " ".join(line.strip() for line in lines).replace("\u00a0", " ")
    for n in range(1, 30):
        assert f"{n} 200 people" in flat


def test_markup_and_emoji_in_user_text_print_literally() -> None:
    original = _document(["[bold]Prices[/bold] rose :x: sharply could."], "en", ":x:[bold].txt")
    version = _document(["[red]Prices[/red] fell :fire: will."], "en", "[link=x]v[/link].txt")
    finding = _finding("modality", Severity.MAJOR, "“[b]could[/b]” :x: became “will”",
                       _span(original, "could"), _span(version, "will"))
    report = _report((finding,), original, version, (Alignment((0,), (0,), 0.9),), versions=2)
    output = _render(report, width=120)
    for literal in (":x:[bold].txt", "[link=x]v[/link].txt", "[bold]Prices[/bold] rose :x:",
                    "[red]Prices[/red] fell :fire:", "“[b]could[/b]” :x: became"):
        assert literal in output
    assert "❌" not in output and "🔥" not in output


def test_signature_on_its_own_lines_wrapped_only_at_separators() -> None:
    signature = str(SIGNATURE)
    for width in (60, 80, 120):
        lines = _render(_report(), width=width).splitlines()
        start = lines.index("signature")
        body = [line.strip() for line in lines[start + 1 :]]
        assert "".join(body) == signature
        for line in body:
            assert line.endswith(("|", ",")) or line == body[-1]


def test_summary_table_for_several_versions() -> None:
    output = _render(_report(versions=2), width=100)
    header = next(line for line in output.splitlines() if line.startswith("version "))
    for column in ("lang", "mode", "score", "worst", "crit", "major", "minor", "verdict"):
        assert column in header
    rows = [line for line in output.splitlines() if line.startswith("version.en.txt ")]
    assert len(rows) == 2 and all("critical" in r and "FAIL" in r for r in rows)
    assert "0.23" in rows[0]


def test_single_version_has_no_summary_table() -> None:
    assert "verdict" not in _render(_report()).splitlines()[2]


def test_verdict_explains_a_low_score_beside_pass() -> None:
    minor = tuple(f for f in FINDINGS if f.severity == Severity.MINOR)
    output = " ".join(_render(_report(minor)).split())
    assert "PASS: no finding reaches --fail-on major (1 finding below it)." in output
    assert "Score 0.23: the share of the text rendered faithfully" in output
    assert "findings decide the verdict" in output


def test_all_lists_every_pair_compactly() -> None:
    output = _render(_report(), show_all=True)
    pairs = output.split("every aligned pair (--all):\n")[1].split("\n\n")[0].splitlines()
    assert len(pairs) == 2 * len(ALIGNMENTS)
    assert "s3 ↔ —" in output and "— ↔ s4" in output
    assert "(nothing)" in output


def test_skipped_checks_and_suppressed_count_are_shown() -> None:
    from dataclasses import replace

    from fidelity.model import SkippedCheck

    report = _report()
    version = replace(
        report.versions[0],
        skipped_checks=(SkippedCheck("modality", "no hedge list for uk→en"),),
        suppressed=FINDINGS[:2],
    )
    output = _render(replace(report, versions=(version,)))
    assert "modality not checked: no hedge list for uk→en" in output
    assert "2 findings accepted in the baseline, not shown" in output


def test_many_sentences_render_in_linear_form() -> None:
    """50,000 sentences with --all: every pair shown, two lines each (no table layout;
    bench/report_text.py times 200,000)."""
    count = 50_000
    original = _document([f"Line {k}." for k in range(count)], "en", "o.txt")
    version = _document([f"Linea {k}." for k in range(count)], "es", "v.txt")
    alignments = tuple(Alignment((k,), (k,), 0.9) for k in range(count))
    findings = tuple(
        _finding("number", Severity.MAJOR, f"{k} became {k + 1}",
                 _span(original, f"{k}", k), _span(version, f"{k}", k))
        for k in range(0, count, 1000)
    )
    buffer = io.StringIO()
    render_text(
        _report(findings, original, version, alignments),
        Console(file=buffer, width=80, color_system=None),
        show_all=True,
    )
    lines = buffer.getvalue().splitlines()
    assert sum(1 for line in lines if "↔" in line) == count
    assert sum(1 for line in lines if line.startswith("MAJOR number")) == count // 1000


def test_bilingual_files_show_unit_ids() -> None:
    from dataclasses import replace

    def with_units(doc: Document) -> Document:
        units = tuple(replace(s, unit_id=f"tu-{s.index + 7}") for s in doc.segments)
        return replace(doc, segments=units)

    output = _render(_report(original=with_units(ORIGINAL), version=with_units(VERSION)),
                     show_all=True)
    assert "positions: the bilingual file's unit ids" in output
    assert re.search(r"original tu-8 +…?About ⟦4 200⟧", output.replace("\u00a0", " "))
    assert "tu-9 ↔ —" in output and "4 units" in output


@pytest.mark.parametrize("width", [60, 80, 120])
def test_wide_characters_fit_the_width(width: int) -> None:
    sentence = "国家统计局新闻发言人在当天举行的新闻发布会上表示" * 3 + "增长3.2%，" + "社会消费品零售总额" * 4
    original = _document(["北京10月18日电 " + sentence], "zh", "o.zh.txt")
    version = _document(["Sales grew 2.3 percent, the data showed."], "en", "v.txt")
    finding = _finding("number", Severity.CRITICAL, "3.2 became 2.3", _span(original, "3.2"),
                       _span(version, "2.3"))
    report = _report((finding,), original, version, (Alignment((0,), (0,), 0.9),))
    lines = _render(report, width=width, show_all=True).splitlines()
    assert all(cell_len(line) <= width for line in lines)
    snippet = next(line for line in lines if "⟦3.2⟧" in line)
    assert cell_len(snippet) >= width - 3, "a text without spaces is cut where the room ends"
